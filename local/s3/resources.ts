// S3's CloudFormation resources: buckets and their policies.
import { createBucket, deleteBucket } from './objects.js';
import { generatedName, ignoringNotFound, type Provider, Input } from '../cloudformation/provider.js';
import type { RequestContext } from '../context.js';

const bucketPolicies = (ctx: RequestContext) => ctx.store.global<Input>('s3-bucket-policies');

export const s3Resources: Record<string, Provider> = {
  'AWS::S3::Bucket': {
    replaceOn: ['BucketName'],
    create: (props, p) => {
      const name = props.BucketName ?? generatedName(p, 63).toLowerCase();
      createBucket(p.ctx, name);
      return { physicalId: name, attributes: bucketAttributes(name, p.ctx.region) };
    },
    update: (id, _props, _prev, p) => bucketAttributes(id, p.ctx.region),
    delete: (id, _props, p) => ignoringNotFound(() => deleteBucket(p.ctx, id)),
  },
  'AWS::S3::BucketPolicy': {
    replaceOn: ['Bucket'],
    create: (props, p) => {
      bucketPolicies(p.ctx).set(String(props.Bucket), props.PolicyDocument);
      return { physicalId: generatedName(p, 128), attributes: {} };
    },
    update: (_id, props, _prev, p) => {
      bucketPolicies(p.ctx).set(String(props.Bucket), props.PolicyDocument);
      return {};
    },
    delete: (_id, props, p) => void bucketPolicies(p.ctx).delete(String(props.Bucket)),
  },
};

function bucketAttributes(name: string, region: string): Record<string, string> {
  return { Arn: `arn:aws:s3:::${name}`, DomainName: `${name}.s3.amazonaws.com`, RegionalDomainName: `${name}.s3.${region}.amazonaws.com` };
}
