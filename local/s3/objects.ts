// S3's state: buckets (one namespace for every account, as in S3), objects with their bodies on
// disk, and multipart uploads; and the functions other services of the twin read and write
// objects with (pipeline jobs, data capture, CloudFormation templates).
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUCKET_NAME_PATTERN } from '../../core/aws-names.js';
import type { RequestContext } from '../context.js';
import { TwinError } from '../errors.js';

export interface Bucket {
  name: string;
  created: number;
  region: string;
  /** The account that created it: bucket names are global, owners are not. */
  account?: string;
}
export interface S3Object {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  modified: number;
  contentType: string;
  metadata: Record<string, string>;
  blob: string;
}
export interface Upload {
  bucket: string;
  key: string;
  contentType: string;
  parts: Record<string, { etag: string; blob: string; size: number }>;
}

export const buckets = (ctx: RequestContext) => ctx.store.global<Bucket>('s3-buckets');
export const objects = (ctx: RequestContext) => ctx.store.global<S3Object>('s3-objects');
export const uploads = (ctx: RequestContext) => ctx.store.global<Upload>('s3-uploads');

export function s3Error(code: string, message: string, status: number, fields: Record<string, string> = {}): TwinError {
  return new TwinError(code, message, status, 'Sender', fields);
}
const noSuchBucket = (bucket: string) => s3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
const noSuchKey = (key: string) => s3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });

export function blobPath(ctx: RequestContext, id: string): string {
  return join(ctx.store.blobs('s3-blobs'), id);
}

export function requireBucket(ctx: RequestContext, name: string): Bucket {
  const b = buckets(ctx).get(name);
  if (!b) throw noSuchBucket(name);
  return b;
}

export function md5(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

export function putObject(ctx: RequestContext, bucket: string, key: string, body: Buffer, contentType: string, metadata: Record<string, string>, etag = `"${md5(body)}"`): S3Object {
  const previous = objects(ctx).get(`${bucket}/${key}`);
  const blob = randomUUID();
  writeFileSync(blobPath(ctx, blob), body);
  if (previous) rmSync(blobPath(ctx, previous.blob), { force: true });
  return objects(ctx).set(`${bucket}/${key}`, { bucket, key, size: body.length, etag, modified: Date.now(), contentType, metadata, blob });
}

/** Reads an object's bytes, for other services of the twin (pipelines, CloudFormation templates). */
export function readObject(ctx: RequestContext, bucket: string, key: string): Buffer {
  return readFileSync(blobPath(ctx, requireObject(ctx, bucket, key).blob));
}

export function requireObject(ctx: RequestContext, bucket: string, key: string): S3Object {
  requireBucket(ctx, bucket);
  const obj = objects(ctx).get(`${bucket}/${key}`);
  if (!obj) throw noSuchKey(key);
  return obj;
}

/** Writes an object, creating the bucket if needed: how the twin's jobs upload their outputs. */
export function writeObject(ctx: RequestContext, bucket: string, key: string, body: Buffer, contentType = 'application/octet-stream'): void {
  if (!buckets(ctx).has(bucket)) buckets(ctx).set(bucket, { name: bucket, created: Date.now(), region: ctx.region });
  putObject(ctx, bucket, key, body, contentType, {});
}

/** Creates a bucket, as PUT /bucket and CloudFormation's AWS::S3::Bucket do. */
export function createBucket(ctx: RequestContext, bucket: string, region = ctx.region): void {
  const existing = buckets(ctx).get(bucket);
  if (existing && existing.account !== undefined && existing.account !== ctx.account) {
    throw s3Error('BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', 409, { BucketName: bucket });
  }
  if (existing) throw s3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { BucketName: bucket });
  if (!BUCKET_NAME_PATTERN.test(bucket)) throw s3Error('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket });
  buckets(ctx).set(bucket, { name: bucket, created: Date.now(), region, account: ctx.account });
}

/** Deletes an empty bucket. */
export function deleteBucket(ctx: RequestContext, bucket: string): void {
  requireBucket(ctx, bucket);
  if (objects(ctx).values().some((o) => o.bucket === bucket)) throw s3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { BucketName: bucket });
  buckets(ctx).delete(bucket);
}

/** Keys under a prefix, for other services of the twin. */
export function listKeys(ctx: RequestContext, bucket: string, prefix: string): string[] {
  requireBucket(ctx, bucket);
  return objects(ctx).values().filter((o) => o.bucket === bucket && o.key.startsWith(prefix)).map((o) => o.key).sort();
}

