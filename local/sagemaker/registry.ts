// The SageMaker Model Registry: package groups, versioned packages, approval updates, and listing
// with filters, sort order and paging, as the SageMaker JSON API answers them.
import type {
  CreateModelPackageGroupInput,
  CreateModelPackageInput,
  DeleteModelPackageGroupInput,
  DescribeModelPackageGroupInput,
  DescribeModelPackageInput,
  ListModelPackageGroupsInput,
  ListModelPackagesInput,
  UpdateModelPackageInput,
} from '@aws-sdk/client-sagemaker';
import { dateOf } from '../clock.js';
import type { Operations, RequestContext } from '../context.js';
import { TwinError } from '../errors.js';
import { page } from '../protocols/paging.js';

// A new version is Pending, then InProgress, then Completed, over this much simulated time.
const COMPLETES_AFTER_MS = 2_000;

interface Group {
  name: string;
  arn: string;
  description?: string;
  created: number;
  nextVersion: number;
}
export interface Package {
  arn: string;
  group: string;
  version: number;
  created: number;
  request: CreateModelPackageInput;
  approval: string;
  approvalDescription?: string;
  metadata?: Record<string, string>;
  clientToken?: string;
  modified?: number;
}

const groups = (ctx: RequestContext) => ctx.store.regional<Group>('sagemaker-model-package-groups', ctx);
const packages = (ctx: RequestContext) => ctx.store.regional<Package>('sagemaker-model-packages', ctx);

const groupArn = (ctx: RequestContext, name: string) => `arn:aws:sagemaker:${ctx.region}:${ctx.account}:model-package-group/${name.toLowerCase()}`;

function requireGroup(ctx: RequestContext, name: string): Group {
  const g = groups(ctx).get(name.toLowerCase());
  if (!g) throw new TwinError('ValidationException', `ModelPackageGroup ${groupArn(ctx, name)} does not exist.`);
  return g;
}

/** A model package by ARN (or versioned name); how hosting resolves a Model's ModelPackageName. */
export function findPackage(ctx: RequestContext, name: string): Package {
  // By ARN, or as `group/version` (how the SageMaker Python SDK's waiters name a versioned package).
  const byName = name.match(/^([a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62})\/(\d+)$/);
  const named = (x: Package) => byName !== null && x.group.toLowerCase() === byName[1].toLowerCase() && x.version === Number(byName[2]);
  const p = packages(ctx).get(name) ?? packages(ctx).values().find((x) => x.arn.toLowerCase() === name.toLowerCase() || named(x));
  if (!p) throw new TwinError('ValidationException', `ModelPackage ${name} does not exist.`);
  return p;
}

function status(ctx: RequestContext, p: Package): string {
  const elapsed = ctx.clock.elapsedSince(p.created);
  return elapsed >= COMPLETES_AFTER_MS ? 'Completed' : elapsed >= COMPLETES_AFTER_MS / 2 ? 'InProgress' : 'Pending';
}

function summary(ctx: RequestContext, p: Package) {
  return {
    ModelPackageGroupName: p.group,
    ModelPackageVersion: p.version,
    ModelPackageArn: p.arn,
    ModelPackageDescription: p.request.ModelPackageDescription,
    CreationTime: dateOf(p.created),
    ModelPackageStatus: status(ctx, p),
    ModelApprovalStatus: p.approval,
  };
}

function pageOf<T>(items: T[], input: { MaxResults?: number; NextToken?: string }): { items: T[]; next?: string } {
  return page(items, input.NextToken, input.MaxResults ?? 100);
}

interface RegistryInputs {
  CreateModelPackageGroup: CreateModelPackageGroupInput;
  DescribeModelPackageGroup: DescribeModelPackageGroupInput;
  ListModelPackageGroups: ListModelPackageGroupsInput;
  DeleteModelPackageGroup: DeleteModelPackageGroupInput;
  CreateModelPackage: CreateModelPackageInput;
  DescribeModelPackage: DescribeModelPackageInput;
  ListModelPackages: ListModelPackagesInput;
  UpdateModelPackage: UpdateModelPackageInput;
}

/** Registers a versioned package (once per ClientToken): the CreateModelPackage operation and the pipelines' RegisterModel steps. */
export function createModelPackage(ctx: RequestContext, input: CreateModelPackageInput): string {
  const name = input.ModelPackageGroupName;
  if (!name) throw notVersioned();
  const approval = input.ModelApprovalStatus ?? 'PendingManualApproval';
  const g = requireGroup(ctx, String(name));
  if (input.ClientToken) {
    const same = packages(ctx).values().find((p) => p.group === g.name && p.clientToken === input.ClientToken);
    if (same) return same.arn;
  }
  const version = g.nextVersion;
  groups(ctx).update(g.name.toLowerCase(), (x) => (x.nextVersion += 1));
  const arn = `arn:aws:sagemaker:${ctx.region}:${ctx.account}:model-package/${g.name.toLowerCase()}/${version}`;
  packages(ctx).set(arn, {
    arn,
    group: g.name,
    version,
    created: Date.now(),
    request: input,
    approval,
    metadata: input.CustomerMetadataProperties,
    clientToken: input.ClientToken,
  });
  return arn;
}

export const registryOperations: Operations<RegistryInputs> = {
  CreateModelPackageGroup: (input, ctx) => {
    const name = String(input.ModelPackageGroupName ?? '');
    const key = name.toLowerCase();
    if (groups(ctx).has(key)) throw new TwinError('ValidationException', `Model Package Group already exists: ${groupArn(ctx, name)}`);
    groups(ctx).set(key, { name, arn: groupArn(ctx, name), description: input.ModelPackageGroupDescription, created: Date.now(), nextVersion: 1 });
    return { ModelPackageGroupArn: groupArn(ctx, name) };
  },

  DescribeModelPackageGroup: (input, ctx) => {
    const g = requireGroup(ctx, String(input.ModelPackageGroupName ?? ''));
    return { ModelPackageGroupName: g.name, ModelPackageGroupArn: g.arn, ModelPackageGroupDescription: g.description, CreationTime: dateOf(g.created), ModelPackageGroupStatus: 'Completed' };
  },

  ListModelPackageGroups: (input, ctx) => {
    const all = groups(ctx).values().filter((g) => !input.NameContains || g.name.includes(input.NameContains));
    all.sort((a, b) => a.created - b.created);
    if (input.SortOrder === 'Descending') all.reverse();
    const { items, next } = pageOf(all, input);
    return { ModelPackageGroupSummaryList: items.map((g) => ({ ModelPackageGroupName: g.name, ModelPackageGroupArn: g.arn, CreationTime: dateOf(g.created), ModelPackageGroupStatus: 'Completed' })), NextToken: next };
  },

  DeleteModelPackageGroup: (input, ctx) => {
    const g = requireGroup(ctx, String(input.ModelPackageGroupName ?? ''));
    if (packages(ctx).values().some((p) => p.group === g.name)) throw new TwinError('ConflictException', `Model Package Group ${g.arn} is not empty: delete its model packages first.`);
    groups(ctx).delete(g.name.toLowerCase());
    return {};
  },

  CreateModelPackage: (input, ctx) => ({ ModelPackageArn: createModelPackage(ctx, input) }),

  DescribeModelPackage: (input, ctx) => {
    const p = findPackage(ctx, String(input.ModelPackageName ?? ''));
    const r = p.request;
    return {
      ModelPackageName: p.group,
      ModelPackageGroupName: p.group,
      ModelPackageVersion: p.version,
      ModelPackageArn: p.arn,
      ModelPackageDescription: r.ModelPackageDescription,
      CreationTime: dateOf(p.created),
      LastModifiedTime: dateOf(p.modified ?? p.created),
      InferenceSpecification: r.InferenceSpecification,
      ModelPackageStatus: status(ctx, p),
      ModelPackageStatusDetails: { ValidationStatuses: [], ImageScanStatuses: [] },
      ModelApprovalStatus: p.approval,
      ApprovalDescription: p.approvalDescription,
      ModelMetrics: r.ModelMetrics,
      DriftCheckBaselines: r.DriftCheckBaselines,
      MetadataProperties: r.MetadataProperties,
      CustomerMetadataProperties: p.metadata,
      CertifyForMarketplace: false,
    };
  },

  ListModelPackages: (input, ctx) => {
    let all = packages(ctx).values();
    // Without a group, SageMaker lists the unversioned packages unless ModelPackageType asks for more; the twin holds versioned ones only.
    if (!input.ModelPackageGroupName && input.ModelPackageType !== 'Versioned' && input.ModelPackageType !== 'Both') all = [];
    if (input.ModelPackageGroupName) all = all.filter((p) => p.group.toLowerCase() === String(input.ModelPackageGroupName).toLowerCase());
    if (input.ModelApprovalStatus) all = all.filter((p) => p.approval === input.ModelApprovalStatus);
    const sortBy = input.SortBy ?? 'CreationTime';
    all.sort((a, b) => (sortBy === 'Name' ? a.arn.localeCompare(b.arn) : a.created - b.created || a.version - b.version));
    // SageMaker sorts ascending unless told otherwise.
    if (input.SortOrder === 'Descending') all.reverse();
    const { items, next } = pageOf(all, input);
    return { ModelPackageSummaryList: items.map((p) => summary(ctx, p)), NextToken: next };
  },

  UpdateModelPackage: (input, ctx) => {
    const p = findPackage(ctx, String(input.ModelPackageArn ?? ''));
    packages(ctx).update(p.arn, (x) => {
      if (input.ModelApprovalStatus) x.approval = input.ModelApprovalStatus;
      if (input.ApprovalDescription !== undefined) x.approvalDescription = input.ApprovalDescription;
      if (input.CustomerMetadataProperties) x.metadata = { ...x.metadata, ...input.CustomerMetadataProperties };
      for (const k of input.CustomerMetadataPropertiesToRemove ?? []) delete x.metadata?.[k];
      x.modified = Date.now();
    });
    return { ModelPackageArn: p.arn };
  },
};

function notVersioned(): TwinError {
  return new TwinError('ValidationException', 'The offline twin registers versioned model packages only: give ModelPackageGroupName');
}
