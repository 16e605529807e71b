// Loaded with import() on first use (see lazyClient): the S3 SDK stays out of an action's start.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Sender } from './aws.js';
import { awsErrorCode, UserError } from '../../core/errors.js';
import { parseS3Uri } from '../../core/s3-uri.js';

export { S3Client };

/** Reads and parses a JSON object from S3, with errors that name the object and what it is for. */
export async function readS3Json(s3: Sender<S3Client>, uri: string, what: string): Promise<unknown> {
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

/** Writes one object. */
export async function writeS3Object(s3: Sender<S3Client>, bucket: string, key: string, body: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}
