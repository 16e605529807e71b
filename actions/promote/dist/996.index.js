export const id = 996;
export const ids = [996];
export const modules = {

/***/ 3996:
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
// EXTERNAL MODULE: ./core/errors.ts
var errors = __webpack_require__(265);
// EXTERNAL MODULE: ./core/aws-names.ts
var aws_names = __webpack_require__(9868);
;// CONCATENATED MODULE: ./core/s3-uri.ts


const S3_URI = new RegExp(`^s3://(${aws_names/* BUCKET_NAME */.BX})/(.+)$`);
/** `s3://bucket/key` -> its parts; `what` names the input or field in the error. */
function parseS3Uri(uri, what) {
    const m = uri.match(S3_URI);
    if (!m)
        throw new errors/* UserError */.yo(`${what} must be an S3 URI like s3://bucket/path/file.json, got '${uri}'`);
    return { bucket: m[1], key: m[2] };
}

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


/***/ })

};
