import { BUCKET_NAME } from './aws-names.js';
import { UserError } from './errors.js';

const S3_URI = new RegExp(`^s3://(${BUCKET_NAME})/(.+)$`);

export interface S3Location {
  bucket: string;
  key: string;
}

/** `s3://bucket/key` -> its parts; `what` names the input or field in the error. */
export function parseS3Uri(uri: string, what: string): S3Location {
  const m = uri.match(S3_URI);
  if (!m) throw new UserError(`${what} must be an S3 URI like s3://bucket/path/file.json, got '${uri}'`);
  return { bucket: m[1], key: m[2] };
}
