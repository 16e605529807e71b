export const id = 475;
export const ids = [475];
export const modules = {

/***/ 8475:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  S3Client: () => (/* reexport */ S3Client/* S3Client */.Y),
  readS3Json: () => (/* binding */ readS3Json),
  writeS3Object: () => (/* binding */ writeS3Object)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-es/S3Client.js + 9 modules
var S3Client = __webpack_require__(8897);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-es/commands/GetObjectCommand.js
var GetObjectCommand = __webpack_require__(40);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-es/commands/PutObjectCommand.js
var PutObjectCommand = __webpack_require__(5539);
// EXTERNAL MODULE: ./core/aws-names.ts
var aws_names = __webpack_require__(9868);
// EXTERNAL MODULE: ./core/errors.ts
var errors = __webpack_require__(265);
;// CONCATENATED MODULE: ./actions/lib/s3-uri.ts


const S3_URI = new RegExp(`^s3://(${aws_names/* BUCKET_NAME */.BX})/(.+)$`);
/** `s3://bucket/key` -> its parts; `what` names the input or field in the error. */
function parseS3Uri(uri, what) {
    const m = uri.match(S3_URI);
    if (!m)
        throw new errors/* UserError */.yo(`${what} must be an S3 URI like s3://bucket/path/file.json, got '${uri}'`);
    return { bucket: m[1], key: m[2] };
}
//# sourceMappingURL=data:application/json;base64,eyJ2ZXJzaW9uIjozLCJmaWxlIjoiczMtdXJpLmpzIiwic291cmNlUm9vdCI6IiIsInNvdXJjZXMiOlsiZmlsZTovLy93b3JrL21haW4vYWN0aW9ucy9saWIvczMtdXJpLnRzIl0sIm5hbWVzIjpbXSwibWFwcGluZ3MiOiJBQUFBLE9BQU8sRUFBRSxXQUFXLEVBQUUsTUFBTSx5QkFBeUIsQ0FBQztBQUN0RCxPQUFPLEVBQUUsU0FBUyxFQUFFLE1BQU0sc0JBQXNCLENBQUM7QUFFakQsTUFBTSxNQUFNLEdBQUcsSUFBSSxNQUFNLENBQUMsVUFBVSxXQUFXLFNBQVMsQ0FBQyxDQUFDO0FBTzFELG9GQUFvRjtBQUNwRixNQUFNLFVBQVUsVUFBVSxDQUFDLEdBQVcsRUFBRSxJQUFZO0lBQ2xELE1BQU0sQ0FBQyxHQUFHLEdBQUcsQ0FBQyxLQUFLLENBQUMsTUFBTSxDQUFDLENBQUM7SUFDNUIsSUFBSSxDQUFDLENBQUM7UUFBRSxNQUFNLElBQUksU0FBUyxDQUFDLEdBQUcsSUFBSSw0REFBNEQsR0FBRyxHQUFHLENBQUMsQ0FBQztJQUN2RyxPQUFPLEVBQUUsTUFBTSxFQUFFLENBQUMsQ0FBQyxDQUFDLENBQUMsRUFBRSxHQUFHLEVBQUUsQ0FBQyxDQUFDLENBQUMsQ0FBQyxFQUFFLENBQUM7QUFDckMsQ0FBQyIsInNvdXJjZXNDb250ZW50IjpbImltcG9ydCB7IEJVQ0tFVF9OQU1FIH0gZnJvbSAnLi4vLi4vY29yZS9hd3MtbmFtZXMuanMnO1xuaW1wb3J0IHsgVXNlckVycm9yIH0gZnJvbSAnLi4vLi4vY29yZS9lcnJvcnMuanMnO1xuXG5jb25zdCBTM19VUkkgPSBuZXcgUmVnRXhwKGBeczM6Ly8oJHtCVUNLRVRfTkFNRX0pLyguKykkYCk7XG5cbmV4cG9ydCBpbnRlcmZhY2UgUzNMb2NhdGlvbiB7XG4gIGJ1Y2tldDogc3RyaW5nO1xuICBrZXk6IHN0cmluZztcbn1cblxuLyoqIGBzMzovL2J1Y2tldC9rZXlgIC0+IGl0cyBwYXJ0czsgYHdoYXRgIG5hbWVzIHRoZSBpbnB1dCBvciBmaWVsZCBpbiB0aGUgZXJyb3IuICovXG5leHBvcnQgZnVuY3Rpb24gcGFyc2VTM1VyaSh1cmk6IHN0cmluZywgd2hhdDogc3RyaW5nKTogUzNMb2NhdGlvbiB7XG4gIGNvbnN0IG0gPSB1cmkubWF0Y2goUzNfVVJJKTtcbiAgaWYgKCFtKSB0aHJvdyBuZXcgVXNlckVycm9yKGAke3doYXR9IG11c3QgYmUgYW4gUzMgVVJJIGxpa2UgczM6Ly9idWNrZXQvcGF0aC9maWxlLmpzb24sIGdvdCAnJHt1cml9J2ApO1xuICByZXR1cm4geyBidWNrZXQ6IG1bMV0sIGtleTogbVsyXSB9O1xufVxuIl19
;// CONCATENATED MODULE: ./actions/lib/s3-object.ts
// Loaded with import() on first use (see lazyClient): the S3 SDK stays out of an action's start.




/** Reads and parses a JSON object from S3, with errors that name the object and what it is for. */
async function readS3Json(s3, uri, what) {
    const { bucket, key } = parseS3Uri(uri, what);
    let text;
    try {
        const out = await s3.send(new GetObjectCommand/* GetObjectCommand */.j({ Bucket: bucket, Key: key }));
        text = (await out.Body?.transformToString('utf-8')) ?? '';
    }
    catch (error) {
        const code = (0,errors/* awsErrorCode */.J6)(error);
        if (code === 'NoSuchKey' || code === 'NotFound' || code === 'NoSuchBucket')
            throw new errors/* UserError */.yo(`${what}: ${uri} does not exist`);
        throw error;
    }
    try {
        return JSON.parse(text);
    }
    catch {
        throw new errors/* UserError */.yo(`${what}: ${uri} is not valid JSON`);
    }
}
/** Writes one object. */
async function writeS3Object(s3, bucket, key, body) {
    await s3.send(new PutObjectCommand/* PutObjectCommand */.w({ Bucket: bucket, Key: key, Body: body }));
}
//# sourceMappingURL=data:application/json;base64,eyJ2ZXJzaW9uIjozLCJmaWxlIjoiczMtb2JqZWN0LmpzIiwic291cmNlUm9vdCI6IiIsInNvdXJjZXMiOlsiZmlsZTovLy93b3JrL21haW4vYWN0aW9ucy9saWIvczMtb2JqZWN0LnRzIl0sIm5hbWVzIjpbXSwibWFwcGluZ3MiOiJBQUFBLGlHQUFpRztBQUNqRyxPQUFPLEVBQUUsZ0JBQWdCLEVBQUUsZ0JBQWdCLEVBQUUsUUFBUSxFQUFFLE1BQU0sb0JBQW9CLENBQUM7QUFFbEYsT0FBTyxFQUFFLFVBQVUsRUFBRSxNQUFNLGFBQWEsQ0FBQztBQUN6QyxPQUFPLEVBQUUsWUFBWSxFQUFFLFNBQVMsRUFBRSxNQUFNLHNCQUFzQixDQUFDO0FBRS9ELE9BQU8sRUFBRSxRQUFRLEVBQUUsQ0FBQztBQUVwQixtR0FBbUc7QUFDbkcsTUFBTSxDQUFDLEtBQUssVUFBVSxVQUFVLENBQUMsRUFBb0IsRUFBRSxHQUFXLEVBQUUsSUFBWTtJQUM5RSxNQUFNLEVBQUUsTUFBTSxFQUFFLEdBQUcsRUFBRSxHQUFHLFVBQVUsQ0FBQyxHQUFHLEVBQUUsSUFBSSxDQUFDLENBQUM7SUFDOUMsSUFBSSxJQUFZLENBQUM7SUFDakIsSUFBSSxDQUFDO1FBQ0gsTUFBTSxHQUFHLEdBQUcsTUFBTSxFQUFFLENBQUMsSUFBSSxDQUFDLElBQUksZ0JBQWdCLENBQUMsRUFBRSxNQUFNLEVBQUUsTUFBTSxFQUFFLEdBQUcsRUFBRSxHQUFHLEVBQUUsQ0FBQyxDQUFDLENBQUM7UUFDOUUsSUFBSSxHQUFHLENBQUMsTUFBTSxHQUFHLENBQUMsSUFBSSxFQUFFLGlCQUFpQixDQUFDLE9BQU8sQ0FBQyxDQUFDLElBQUksRUFBRSxDQUFDO0lBQzVELENBQUM7SUFBQyxPQUFPLEtBQUssRUFBRSxDQUFDO1FBQ2YsTUFBTSxJQUFJLEdBQUcsWUFBWSxDQUFDLEtBQUssQ0FBQyxDQUFDO1FBQ2pDLElBQUksSUFBSSxLQUFLLFdBQVcsSUFBSSxJQUFJLEtBQUssVUFBVSxJQUFJLElBQUksS0FBSyxjQUFjO1lBQUUsTUFBTSxJQUFJLFNBQVMsQ0FBQyxHQUFHLElBQUksS0FBSyxHQUFHLGlCQUFpQixDQUFDLENBQUM7UUFDbEksTUFBTSxLQUFLLENBQUM7SUFDZCxDQUFDO0lBQ0QsSUFBSSxDQUFDO1FBQ0gsT0FBTyxJQUFJLENBQUMsS0FBSyxDQUFDLElBQUksQ0FBQyxDQUFDO0lBQzFCLENBQUM7SUFBQyxNQUFNLENBQUM7UUFDUCxNQUFNLElBQUksU0FBUyxDQUFDLEdBQUcsSUFBSSxLQUFLLEdBQUcsb0JBQW9CLENBQUMsQ0FBQztJQUMzRCxDQUFDO0FBQ0gsQ0FBQztBQUVELHlCQUF5QjtBQUN6QixNQUFNLENBQUMsS0FBSyxVQUFVLGFBQWEsQ0FBQyxFQUFvQixFQUFFLE1BQWMsRUFBRSxHQUFXLEVBQUUsSUFBWTtJQUNqRyxNQUFNLEVBQUUsQ0FBQyxJQUFJLENBQUMsSUFBSSxnQkFBZ0IsQ0FBQyxFQUFFLE1BQU0sRUFBRSxNQUFNLEVBQUUsR0FBRyxFQUFFLEdBQUcsRUFBRSxJQUFJLEVBQUUsSUFBSSxFQUFFLENBQUMsQ0FBQyxDQUFDO0FBQ2hGLENBQUMiLCJzb3VyY2VzQ29udGVudCI6WyIvLyBMb2FkZWQgd2l0aCBpbXBvcnQoKSBvbiBmaXJzdCB1c2UgKHNlZSBsYXp5Q2xpZW50KTogdGhlIFMzIFNESyBzdGF5cyBvdXQgb2YgYW4gYWN0aW9uJ3Mgc3RhcnQuXG5pbXBvcnQgeyBHZXRPYmplY3RDb21tYW5kLCBQdXRPYmplY3RDb21tYW5kLCBTM0NsaWVudCB9IGZyb20gJyNhd3Mtc2RrL2NsaWVudC1zMyc7XG5pbXBvcnQgdHlwZSB7IFNlbmRlciB9IGZyb20gJy4vYXdzLmpzJztcbmltcG9ydCB7IHBhcnNlUzNVcmkgfSBmcm9tICcuL3MzLXVyaS5qcyc7XG5pbXBvcnQgeyBhd3NFcnJvckNvZGUsIFVzZXJFcnJvciB9IGZyb20gJy4uLy4uL2NvcmUvZXJyb3JzLmpzJztcblxuZXhwb3J0IHsgUzNDbGllbnQgfTtcblxuLyoqIFJlYWRzIGFuZCBwYXJzZXMgYSBKU09OIG9iamVjdCBmcm9tIFMzLCB3aXRoIGVycm9ycyB0aGF0IG5hbWUgdGhlIG9iamVjdCBhbmQgd2hhdCBpdCBpcyBmb3IuICovXG5leHBvcnQgYXN5bmMgZnVuY3Rpb24gcmVhZFMzSnNvbihzMzogU2VuZGVyPFMzQ2xpZW50PiwgdXJpOiBzdHJpbmcsIHdoYXQ6IHN0cmluZyk6IFByb21pc2U8dW5rbm93bj4ge1xuICBjb25zdCB7IGJ1Y2tldCwga2V5IH0gPSBwYXJzZVMzVXJpKHVyaSwgd2hhdCk7XG4gIGxldCB0ZXh0OiBzdHJpbmc7XG4gIHRyeSB7XG4gICAgY29uc3Qgb3V0ID0gYXdhaXQgczMuc2VuZChuZXcgR2V0T2JqZWN0Q29tbWFuZCh7IEJ1Y2tldDogYnVja2V0LCBLZXk6IGtleSB9KSk7XG4gICAgdGV4dCA9IChhd2FpdCBvdXQuQm9keT8udHJhbnNmb3JtVG9TdHJpbmcoJ3V0Zi04JykpID8/ICcnO1xuICB9IGNhdGNoIChlcnJvcikge1xuICAgIGNvbnN0IGNvZGUgPSBhd3NFcnJvckNvZGUoZXJyb3IpO1xuICAgIGlmIChjb2RlID09PSAnTm9TdWNoS2V5JyB8fCBjb2RlID09PSAnTm90Rm91bmQnIHx8IGNvZGUgPT09ICdOb1N1Y2hCdWNrZXQnKSB0aHJvdyBuZXcgVXNlckVycm9yKGAke3doYXR9OiAke3VyaX0gZG9lcyBub3QgZXhpc3RgKTtcbiAgICB0aHJvdyBlcnJvcjtcbiAgfVxuICB0cnkge1xuICAgIHJldHVybiBKU09OLnBhcnNlKHRleHQpO1xuICB9IGNhdGNoIHtcbiAgICB0aHJvdyBuZXcgVXNlckVycm9yKGAke3doYXR9OiAke3VyaX0gaXMgbm90IHZhbGlkIEpTT05gKTtcbiAgfVxufVxuXG4vKiogV3JpdGVzIG9uZSBvYmplY3QuICovXG5leHBvcnQgYXN5bmMgZnVuY3Rpb24gd3JpdGVTM09iamVjdChzMzogU2VuZGVyPFMzQ2xpZW50PiwgYnVja2V0OiBzdHJpbmcsIGtleTogc3RyaW5nLCBib2R5OiBzdHJpbmcpOiBQcm9taXNlPHZvaWQ+IHtcbiAgYXdhaXQgczMuc2VuZChuZXcgUHV0T2JqZWN0Q29tbWFuZCh7IEJ1Y2tldDogYnVja2V0LCBLZXk6IGtleSwgQm9keTogYm9keSB9KSk7XG59XG4iXX0=

/***/ })

};
