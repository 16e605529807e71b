// S3 (restXml, path style): buckets, objects, ListObjectsV2 with paging, and multipart uploads.
// Operations are botocore's; the protocol layer binds their members to the path, query string,
// headers and body.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type {
  CopyObjectRequest,
  DeleteObjectsRequest,
  ListObjectsRequest,
  AbortMultipartUploadRequest,
  CompleteMultipartUploadRequest,
  CreateBucketRequest,
  CreateMultipartUploadRequest,
  DeleteBucketRequest,
  DeleteObjectRequest,
  GetObjectRequest,
  HeadBucketRequest,
  HeadObjectRequest,
  ListBucketsRequest,
  ListObjectsV2Request,
  PutObjectRequest,
  UploadPartRequest,
} from '@aws-sdk/client-s3';
import {
  blobPath, buckets, createBucket, deleteBucket, md5, objects, putObject, requireBucket, requireObject, s3Error, uploads, type S3Object, type Upload,
} from './objects.js';
import type { Operations, RequestContext } from '../context.js';

/** The object's headers as GetObject and HeadObject answer them. */
function objectOutput(o: S3Object) {
  return { ContentType: o.contentType, ContentLength: o.size, ETag: o.etag, LastModified: new Date(o.modified), AcceptRanges: 'bytes', Metadata: o.metadata };
}

function listObjectsV2(ctx: RequestContext, input: ListObjectsV2Request) {
  const bucket = String(input.Bucket);
  requireBucket(ctx, bucket);
  const prefix: string = input.Prefix ?? '';
  const delimiter: string = input.Delimiter ?? '';
  const max = Math.min(input.MaxKeys ?? 1000, 1000);
  const token: string | undefined = input.ContinuationToken;
  const after = token ? Buffer.from(token, 'base64url').toString() : input.StartAfter ?? '';
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
  return {
    Name: bucket,
    Prefix: prefix,
    Delimiter: delimiter || undefined,
    MaxKeys: max,
    KeyCount: contents.length + prefixes.size,
    IsTruncated: truncated,
    ContinuationToken: token,
    NextContinuationToken: truncated ? Buffer.from(last).toString('base64url') : undefined,
    Contents: contents.map((o) => ({ Key: o.key, LastModified: new Date(o.modified), ETag: o.etag, Size: o.size, StorageClass: 'STANDARD' })),
    CommonPrefixes: [...prefixes].map((p) => ({ Prefix: p })),
  };
}

/** ListObjects (v1): the same walk as V2, paged by Marker; NextMarker only with a delimiter, as S3 sends it. */
function listObjects(ctx: RequestContext, input: ListObjectsRequest) {
  const { Bucket, Prefix, Delimiter, MaxKeys, Marker } = input;
  const v2 = listObjectsV2(ctx, { Bucket, Prefix, Delimiter, MaxKeys, StartAfter: Marker });
  const last = [...v2.Contents.map((c) => c.Key), ...v2.CommonPrefixes.map((p) => p.Prefix)].sort().pop();
  return {
    Name: v2.Name,
    Prefix: v2.Prefix,
    Marker: input.Marker ?? '',
    Delimiter: v2.Delimiter,
    MaxKeys: v2.MaxKeys,
    IsTruncated: v2.IsTruncated,
    NextMarker: v2.IsTruncated && input.Delimiter ? last : undefined,
    Contents: v2.Contents,
    CommonPrefixes: v2.CommonPrefixes,
  };
}

function requireUpload(ctx: RequestContext, uploadId: string): Upload {
  const upload = uploads(ctx).get(uploadId);
  if (!upload) throw s3Error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404, { UploadId: uploadId });
  return upload;
}

function discardUpload(ctx: RequestContext, uploadId: string, upload: Upload): void {
  for (const p of Object.values(upload.parts)) rmSync(blobPath(ctx, p.blob), { force: true });
  uploads(ctx).delete(uploadId);
}

/** S3's root elements, which botocore does not record (its parsers ignore them). */
export const S3_XML_ROOTS = {
  ListBuckets: 'ListAllMyBucketsResult',
  ListObjects: 'ListBucketResult',
  ListObjectsV2: 'ListBucketResult',
  CreateMultipartUpload: 'InitiateMultipartUploadResult',
  DeleteObjects: 'DeleteResult',
};

/** `bytes=0-99`, `bytes=100-`, `bytes=-50` within an object of `size` bytes; InvalidRange when none of it exists. */
export function byteRange(header: string, size: number): { start: number; end: number } | undefined {
  const m = header.match(/^bytes=(\d*)-(\d*)$/);
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const [start, end] = m[1] === '' ? [Math.max(0, size - Number(m[2])), size - 1] : [Number(m[1]), m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)];
  if (start >= size || start > end) throw s3Error('InvalidRange', 'The requested range is not satisfiable', 416, { RangeRequested: header, ActualObjectSize: String(size) });
  return { start, end };
}

/** `bucket/key`, `/bucket/key` or their URL-encoded forms, with an optional `?versionId=`. */
function copySource(source: string): { bucket: string; key: string } {
  const path = decodeURIComponent(source.split('?')[0]).replace(/^\//, '');
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw s3Error('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 400, { ArgumentName: 'x-amz-copy-source' });
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

interface S3Inputs {
  ListBuckets: ListBucketsRequest;
  CreateBucket: CreateBucketRequest;
  HeadBucket: HeadBucketRequest;
  DeleteBucket: DeleteBucketRequest;
  ListObjectsV2: ListObjectsV2Request;
  ListObjects: ListObjectsRequest;
  CopyObject: CopyObjectRequest;
  DeleteObjects: DeleteObjectsRequest;
  PutObject: Omit<PutObjectRequest, 'Body'> & { Body?: Buffer };
  GetObject: GetObjectRequest;
  HeadObject: HeadObjectRequest;
  DeleteObject: DeleteObjectRequest;
  CreateMultipartUpload: CreateMultipartUploadRequest;
  UploadPart: Omit<UploadPartRequest, 'Body'> & { Body?: Buffer };
  CompleteMultipartUpload: CompleteMultipartUploadRequest;
  AbortMultipartUpload: AbortMultipartUploadRequest;
}

export const s3Operations: Operations<S3Inputs> = {
  ListBuckets: (_input, ctx) => ({
    Owner: { ID: 'twin' },
    Buckets: buckets(ctx).values().map((b) => ({ Name: b.name, CreationDate: new Date(b.created) })),
  }),
  CreateBucket: (input, ctx) => {
    const name = String(input.Bucket);
    const region = input.CreateBucketConfiguration?.LocationConstraint ?? ctx.region;
    const existing = buckets(ctx).get(name);
    // S3 answers a repeated create of your own bucket in us-east-1 with success, everywhere else with BucketAlreadyOwnedByYou.
    if (existing?.account === ctx.account && existing.region === 'us-east-1' && region === 'us-east-1') return { Location: `/${name}` };
    createBucket(ctx, name, region);
    return { Location: `/${name}` };
  },
  HeadBucket: (input, ctx) => ({ BucketRegion: requireBucket(ctx, String(input.Bucket)).region }),
  DeleteBucket: (input, ctx) => {
    deleteBucket(ctx, String(input.Bucket));
    return {};
  },
  ListObjectsV2: (input, ctx) => listObjectsV2(ctx, input),
  PutObject: (input, ctx) => {
    requireBucket(ctx, String(input.Bucket));
    const o = putObject(ctx, String(input.Bucket), String(input.Key), input.Body ?? Buffer.alloc(0), input.ContentType ?? 'application/octet-stream', input.Metadata ?? {});
    return { ETag: o.etag };
  },
  GetObject: (input, ctx) => {
    const o = requireObject(ctx, String(input.Bucket), String(input.Key));
    const body = existsSync(blobPath(ctx, o.blob)) ? readFileSync(blobPath(ctx, o.blob)) : Buffer.alloc(0);
    const range = input.Range ? byteRange(String(input.Range), body.length) : undefined;
    if (!range) return { ...objectOutput(o), Body: body };
    // A ranged read, as the SDKs' parallel downloads make: 206 with the part and where it sits.
    const part = body.subarray(range.start, range.end + 1);
    return { ...objectOutput(o), Body: part, ContentLength: part.length, ContentRange: `bytes ${range.start}-${range.end}/${body.length}`, $status: 206 };
  },
  HeadObject: (input, ctx) => objectOutput(requireObject(ctx, String(input.Bucket), String(input.Key))),
  DeleteObject: (input, ctx) => {
    requireBucket(ctx, String(input.Bucket));
    const id = `${input.Bucket}/${input.Key}`;
    const o = objects(ctx).get(id);
    if (o) {
      rmSync(blobPath(ctx, o.blob), { force: true });
      objects(ctx).delete(id);
    }
    return {};
  },
  CopyObject: (input, ctx) => {
    const { bucket, key } = copySource(String(input.CopySource));
    const source = requireObject(ctx, bucket, key);
    requireBucket(ctx, String(input.Bucket));
    const replace = input.MetadataDirective === 'REPLACE';
    const o = putObject(
      ctx, String(input.Bucket), String(input.Key), readFileSync(blobPath(ctx, source.blob)),
      replace ? input.ContentType ?? 'application/octet-stream' : source.contentType, replace ? input.Metadata ?? {} : source.metadata, source.etag,
    );
    return { CopyObjectResult: { ETag: o.etag, LastModified: new Date(o.modified) } };
  },
  DeleteObjects: (input, ctx) => {
    const bucket = String(input.Bucket);
    requireBucket(ctx, bucket);
    const deleted = (input.Delete?.Objects ?? []).map((id) => {
      const o = objects(ctx).get(`${bucket}/${id.Key}`);
      if (o) {
        rmSync(blobPath(ctx, o.blob), { force: true });
        objects(ctx).delete(`${bucket}/${id.Key}`);
      }
      return { Key: id.Key };
    });
    return { Deleted: input.Delete?.Quiet ? [] : deleted, Errors: [] };
  },
  ListObjects: (input, ctx) => listObjects(ctx, input),
  CreateMultipartUpload: (input, ctx) => {
    requireBucket(ctx, String(input.Bucket));
    const uploadId = randomUUID();
    uploads(ctx).set(uploadId, { bucket: String(input.Bucket), key: String(input.Key), contentType: input.ContentType ?? 'application/octet-stream', parts: {} });
    return { Bucket: input.Bucket, Key: input.Key, UploadId: uploadId };
  },
  UploadPart: (input, ctx) => {
    requireBucket(ctx, String(input.Bucket));
    requireUpload(ctx, String(input.UploadId));
    const body: Buffer = input.Body ?? Buffer.alloc(0);
    const blob = randomUUID();
    writeFileSync(blobPath(ctx, blob), body);
    const etag = `"${md5(body)}"`;
    uploads(ctx).update(String(input.UploadId), (u) => (u.parts[String(input.PartNumber)] = { etag, blob, size: body.length }));
    return { ETag: etag };
  },
  CompleteMultipartUpload: (input, ctx) => {
    requireBucket(ctx, String(input.Bucket));
    const upload = requireUpload(ctx, String(input.UploadId));
    const parts = ((input.MultipartUpload?.Parts ?? []) as { PartNumber: number }[]).map((p) => {
      const part = upload.parts[String(p.PartNumber)];
      if (!part) throw s3Error('InvalidPart', 'One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.', 400);
      return part;
    });
    const body = Buffer.concat(parts.map((p) => readFileSync(blobPath(ctx, p.blob))));
    const etag = `"${createHash('md5').update(Buffer.concat(parts.map((p) => Buffer.from(p.etag.replace(/"/g, ''), 'hex')))).digest('hex')}-${parts.length}"`;
    putObject(ctx, upload.bucket, upload.key, body, upload.contentType, {}, etag);
    discardUpload(ctx, String(input.UploadId), upload);
    return { Location: `/${upload.bucket}/${upload.key}`, Bucket: upload.bucket, Key: upload.key, ETag: etag };
  },
  AbortMultipartUpload: (input, ctx) => {
    discardUpload(ctx, String(input.UploadId), requireUpload(ctx, String(input.UploadId)));
    return {};
  },
};
