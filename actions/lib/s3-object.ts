import { GetObjectCommand, type S3Client } from '#aws-sdk/client-s3';
import { BUCKET_NAME } from '../../core/aws-names.js';
import { awsErrorCode, UserError } from '../../core/errors.js';

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

/** Reads and parses a JSON object from S3, with errors that name the object and what it is for. */
export async function readS3Json(s3: S3Client, uri: string, what: string): Promise<unknown> {
  const { bucket, key } = parseS3Uri(uri, what);
  let text: string;
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = (await out.Body?.transformToString('utf-8')) ?? '';
  } catch (error) {
    const code = awsErrorCode(error);
    if (code === 'NoSuchKey' || code === 'NotFound' || code === 'NoSuchBucket') throw new UserError(`${what}: ${uri} does not exist`);
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError(`${what}: ${uri} is not valid JSON`);
  }
}
