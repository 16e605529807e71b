export const id = 864;
export const ids = [864];
export const modules = {

/***/ 5864:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S3Client: () => (/* reexport safe */ _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_2__.Y),
/* harmony export */   readS3Json: () => (/* binding */ readS3Json),
/* harmony export */   writeS3Object: () => (/* binding */ writeS3Object)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8897);
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(40);
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5539);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(265);
/* harmony import */ var _core_s3_uri_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9791);
// Loaded with import() on first use (see lazyClient): the S3 SDK stays out of an action's start.




/** Reads and parses a JSON object from S3, with errors that name the object and what it is for. */
async function readS3Json(s3, uri, what) {
    const { bucket, key } = (0,_core_s3_uri_js__WEBPACK_IMPORTED_MODULE_1__/* .parseS3Uri */ .y)(uri, what);
    let text;
    try {
        const out = await s3.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_3__/* .GetObjectCommand */ .j({ Bucket: bucket, Key: key }));
        text = (await out.Body?.transformToString('utf-8')) ?? '';
    }
    catch (error) {
        const code = (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .awsErrorCode */ .J6)(error);
        if (code === 'NoSuchKey' || code === 'NotFound' || code === 'NoSuchBucket')
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${what}: ${uri} does not exist`);
        throw error;
    }
    try {
        return JSON.parse(text);
    }
    catch {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${what}: ${uri} is not valid JSON`);
    }
}
/** Writes one object. */
async function writeS3Object(s3, bucket, key, body) {
    await s3.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__/* .PutObjectCommand */ .w({ Bucket: bucket, Key: key, Body: body }));
}


/***/ })

};
