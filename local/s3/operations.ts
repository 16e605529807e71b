// S3 (restXml, path style): buckets, objects, ListObjectsV2 with paging, and multipart uploads.
// Operations are botocore's; the protocol layer binds their members to the path, query string,
// headers and body.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type {
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
export const S3_XML_ROOTS = { ListBuckets: 'ListAllMyBucketsResult', ListObjectsV2: 'ListBucketResult', CreateMultipartUpload: 'InitiateMultipartUploadResult' };

interface S3Inputs {
  ListBuckets: ListBucketsRequest;
  CreateBucket: CreateBucketRequest;
  HeadBucket: HeadBucketRequest;
  DeleteBucket: DeleteBucketRequest;
  ListObjectsV2: ListObjectsV2Request;
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
    createBucket(ctx, String(input.Bucket));
    return { Location: `/${input.Bucket}` };
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
    return { ...objectOutput(o), Body: existsSync(blobPath(ctx, o.blob)) ? readFileSync(blobPath(ctx, o.blob)) : Buffer.alloc(0) };
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
