// S3 over restXml, path style: buckets, objects, ListObjectsV2 with paging, and multipart uploads.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { BUCKET_NAME_PATTERN } from '../../core/aws-names.js';
import type { RequestContext } from '../context.js';
import { notImplemented, TwinError } from '../errors.js';
import { escapeXml, toXml } from '../protocols/wire.js';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

interface Bucket {
  name: string;
  created: number;
  region: string;
}
interface S3Object {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  modified: number;
  contentType: string;
  metadata: Record<string, string>;
  blob: string;
}
interface Upload {
  bucket: string;
  key: string;
  contentType: string;
  parts: Record<string, { etag: string; blob: string; size: number }>;
}

const buckets = (ctx: RequestContext) => ctx.store.global<Bucket>('s3-buckets');
const objects = (ctx: RequestContext) => ctx.store.global<S3Object>('s3-objects');
const uploads = (ctx: RequestContext) => ctx.store.global<Upload>('s3-uploads');

function s3Error(code: string, message: string, status: number, extra: Record<string, string> = {}): TwinError & { extra?: Record<string, string> } {
  return Object.assign(new TwinError(code, message, status), { extra });
}
const noSuchBucket = (bucket: string) => s3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
const noSuchKey = (key: string) => s3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });

export function sendS3Error(res: ServerResponse, method: string, error: TwinError & { extra?: Record<string, string> }, requestId: string): void {
  res.writeHead(error.status, { 'content-type': 'application/xml', 'x-amz-request-id': requestId });
  // HEAD responses carry no body; the SDK reads the status alone.
  if (method === 'HEAD') return void res.end();
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message>${toXml(error.extra ?? {})}<RequestId>${requestId}</RequestId></Error>`);
}

/** The SDK streams bodies of unknown length as aws-chunked with a trailing checksum. */
export function decodeBody(req: IncomingMessage, raw: Buffer): Buffer {
  const sha = String(req.headers['x-amz-content-sha256'] ?? '');
  const encoding = String(req.headers['content-encoding'] ?? '');
  if (!sha.startsWith('STREAMING-') && !encoding.includes('aws-chunked')) return raw;
  const chunks: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(raw.subarray(at, lineEnd).toString().split(';')[0], 16);
    if (!size) break;
    chunks.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(chunks);
}

function blobPath(ctx: RequestContext, id: string): string {
  return join(ctx.store.blobs('s3-blobs'), id);
}

function requireBucket(ctx: RequestContext, name: string): Bucket {
  const b = buckets(ctx).get(name);
  if (!b) throw noSuchBucket(name);
  return b;
}

function md5(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

function putObject(ctx: RequestContext, bucket: string, key: string, body: Buffer, contentType: string, metadata: Record<string, string>, etag = `"${md5(body)}"`): S3Object {
  const previous = objects(ctx).get(`${bucket}/${key}`);
  const blob = randomUUID();
  writeFileSync(blobPath(ctx, blob), body);
  if (previous) rmSync(blobPath(ctx, previous.blob), { force: true });
  return objects(ctx).set(`${bucket}/${key}`, { bucket, key, size: body.length, etag, modified: Date.now(), contentType, metadata, blob });
}

/** Reads an object's bytes, for other services of the twin (pipelines, CloudFormation templates). */
export function readObject(ctx: RequestContext, bucket: string, key: string): Buffer {
  requireBucket(ctx, bucket);
  const obj = objects(ctx).get(`${bucket}/${key}`);
  if (!obj) throw noSuchKey(key);
  return readFileSync(blobPath(ctx, obj.blob));
}

/** Writes an object, creating the bucket if needed: how the twin's jobs upload their outputs. */
export function writeObject(ctx: RequestContext, bucket: string, key: string, body: Buffer, contentType = 'application/octet-stream'): void {
  if (!buckets(ctx).has(bucket)) buckets(ctx).set(bucket, { name: bucket, created: Date.now(), region: ctx.region });
  putObject(ctx, bucket, key, body, contentType, {});
}

/** Creates a bucket, as PUT /bucket and CloudFormation's AWS::S3::Bucket do. */
export function createBucket(ctx: RequestContext, bucket: string): void {
  if (buckets(ctx).has(bucket)) throw s3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { BucketName: bucket });
  if (!BUCKET_NAME_PATTERN.test(bucket)) throw s3Error('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket });
  buckets(ctx).set(bucket, { name: bucket, created: Date.now(), region: ctx.region });
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

function send(res: ServerResponse, status: number, xml: string | undefined, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...(xml === undefined ? {} : { 'content-type': 'application/xml' }), ...headers });
  res.end(xml === undefined ? undefined : `<?xml version="1.0" encoding="UTF-8"?>${xml}`);
}

function listObjectsV2(ctx: RequestContext, bucket: string, q: URLSearchParams, res: ServerResponse): void {
  requireBucket(ctx, bucket);
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const max = Math.min(Number(q.get('max-keys') ?? 1000), 1000);
  const token = q.get('continuation-token');
  const after = token ? Buffer.from(token, 'base64url').toString() : q.get('start-after') ?? '';
  const all = objects(ctx)
    .values()
    .filter((o) => o.bucket === bucket && o.key.startsWith(prefix) && o.key > after)
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const contents: S3Object[] = [];
  const prefixes = new Set<string>();
  let last = '';
  let truncated = false;
  for (const o of all) {
    if (contents.length + prefixes.size >= max) {
      truncated = true;
      break;
    }
    const rest = o.key.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    if (cut >= 0) prefixes.add(prefix + rest.slice(0, cut + delimiter.length));
    else contents.push(o);
    last = o.key;
  }
  const xml = toXml({
    Name: bucket,
    Prefix: prefix,
    Delimiter: delimiter || undefined,
    MaxKeys: max,
    KeyCount: contents.length + prefixes.size,
    IsTruncated: truncated,
    ContinuationToken: token ?? undefined,
    NextContinuationToken: truncated ? Buffer.from(last).toString('base64url') : undefined,
  });
  const items = contents
    .map((o) => `<Contents>${toXml({ Key: o.key, LastModified: new Date(o.modified), ETag: o.etag, Size: o.size, StorageClass: 'STANDARD' })}</Contents>`)
    .join('');
  const common = [...prefixes].map((p) => `<CommonPrefixes><Prefix>${escapeXml(p)}</Prefix></CommonPrefixes>`).join('');
  send(res, 200, `<ListBucketResult xmlns="${XMLNS}">${xml}${items}${common}</ListBucketResult>`);
}

function objectHeaders(o: S3Object): Record<string, string> {
  return {
    'content-type': o.contentType,
    'content-length': String(o.size),
    'etag': o.etag,
    'last-modified': new Date(o.modified).toUTCString(),
    'accept-ranges': 'bytes',
    ...Object.fromEntries(Object.entries(o.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v])),
  };
}

export function handleS3(req: IncomingMessage, res: ServerResponse, raw: Buffer, ctx: RequestContext): void {
  const url = new URL(req.url ?? '/', 'http://twin');
  const q = url.searchParams;
  const [bucket, ...keyParts] = url.pathname.slice(1).split('/');
  const key = decodeURIComponent(keyParts.join('/'));
  const method = req.method ?? 'GET';

  if (!bucket) {
    if (method !== 'GET') throw notImplemented('S3', `${method} /`);
    const list = buckets(ctx).values().map((b) => ({ Name: b.name, CreationDate: new Date(b.created) }));
    return send(res, 200, `<ListAllMyBucketsResult xmlns="${XMLNS}"><Owner><ID>twin</ID></Owner><Buckets>${list.map((b) => `<Bucket>${toXml(b)}</Bucket>`).join('')}</Buckets></ListAllMyBucketsResult>`);
  }

  if (!key) {
    if (method === 'PUT') {
      createBucket(ctx, bucket);
      return send(res, 200, undefined, { location: `/${bucket}` });
    }
    if (method === 'HEAD') {
      requireBucket(ctx, bucket);
      return send(res, 200, undefined, { 'x-amz-bucket-region': buckets(ctx).get(bucket)!.region });
    }
    if (method === 'DELETE') {
      deleteBucket(ctx, bucket);
      return send(res, 204, undefined);
    }
    if (method === 'GET' && q.get('list-type') === '2') return listObjectsV2(ctx, bucket, q, res);
    throw notImplemented('S3', `${method} bucket ${[...q.keys()].join(',') || '(ListObjects v1)'}`);
  }

  requireBucket(ctx, bucket);
  const id = `${bucket}/${key}`;
  if (method === 'POST' && q.has('uploads')) {
    const uploadId = randomUUID();
    uploads(ctx).set(uploadId, { bucket, key, contentType: String(req.headers['content-type'] ?? 'application/octet-stream'), parts: {} });
    return send(res, 200, `<InitiateMultipartUploadResult xmlns="${XMLNS}">${toXml({ Bucket: bucket, Key: key, UploadId: uploadId })}</InitiateMultipartUploadResult>`);
  }
  const uploadId = q.get('uploadId');
  if (uploadId) {
    const upload = uploads(ctx).get(uploadId);
    if (!upload) throw s3Error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404, { UploadId: uploadId });
    if (method === 'PUT') {
      const body = decodeBody(req, raw);
      const blob = randomUUID();
      writeFileSync(blobPath(ctx, blob), body);
      const etag = `"${md5(body)}"`;
      uploads(ctx).update(uploadId, (u) => (u.parts[q.get('partNumber') ?? '1'] = { etag, blob, size: body.length }));
      return send(res, 200, undefined, { etag });
    }
    if (method === 'POST') {
      const numbers = [...raw.toString().matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => m[1]);
      const parts = numbers.map((n) => {
        const part = upload.parts[n];
        if (!part) throw s3Error('InvalidPart', 'One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.', 400);
        return part;
      });
      const body = Buffer.concat(parts.map((p) => readFileSync(blobPath(ctx, p.blob))));
      const etag = `"${createHash('md5').update(Buffer.concat(parts.map((p) => Buffer.from(p.etag.replace(/"/g, ''), 'hex')))).digest('hex')}-${parts.length}"`;
      putObject(ctx, bucket, key, body, upload.contentType, {}, etag);
      for (const p of Object.values(upload.parts)) rmSync(blobPath(ctx, p.blob), { force: true });
      uploads(ctx).delete(uploadId);
      return send(res, 200, `<CompleteMultipartUploadResult xmlns="${XMLNS}">${toXml({ Location: `/${bucket}/${key}`, Bucket: bucket, Key: key, ETag: etag })}</CompleteMultipartUploadResult>`);
    }
    if (method === 'DELETE') {
      for (const p of Object.values(upload.parts)) rmSync(blobPath(ctx, p.blob), { force: true });
      uploads(ctx).delete(uploadId);
      return send(res, 204, undefined);
    }
  }
  if (method === 'PUT') {
    if (req.headers['x-amz-copy-source']) throw notImplemented('S3', 'CopyObject');
    const metadata = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith('x-amz-meta-')).map(([k, v]) => [k.slice(11), String(v)]));
    const o = putObject(ctx, bucket, key, decodeBody(req, raw), String(req.headers['content-type'] ?? 'application/octet-stream'), metadata);
    return send(res, 200, undefined, { etag: o.etag });
  }
  const o = objects(ctx).get(id);
  if (method === 'DELETE') {
    if (o) {
      rmSync(blobPath(ctx, o.blob), { force: true });
      objects(ctx).delete(id);
    }
    return send(res, 204, undefined);
  }
  if (!o) throw noSuchKey(key);
  if (method === 'HEAD') return send(res, 200, undefined, objectHeaders(o));
  if (method === 'GET') {
    res.writeHead(200, objectHeaders(o));
    return void res.end(existsSync(blobPath(ctx, o.blob)) ? readFileSync(blobPath(ctx, o.blob)) : Buffer.alloc(0));
  }
  throw notImplemented('S3', `${method} object`);
}
