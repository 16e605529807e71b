import { BUCKET_NAME, SAGEMAKER_NAME_PATTERN } from '../../../core/aws-names.js';
import { UserError } from '../../../core/errors.js';
import { parseS3Uri } from '../../../core/s3-uri.js';
import * as z from '../../../core/zod.js';
import { input, parseInputs } from '../../lib/inputs.js';

// Values SageMaker accepts in CustomerMetadataProperties.
const METADATA_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

export const inputSchema = z.object({
  'model-package-group': input.matching(SAGEMAKER_NAME_PATTERN, 'a model package group name (letters, digits, hyphens; at most 63)'),
  'model-data-url': input.matching(new RegExp(`^s3://${BUCKET_NAME}/.+\\.tar\\.gz$`), 'the S3 URI of a model.tar.gz'),
  'image-uri': input.matching(/^[\w.-]+(:\d+)?\/[\w./-]+(:[\w.-]+|@sha256:[0-9a-f]{64})$/, 'a container image URI with a tag or digest'),
  'metrics-s3-uri': input.optional(),
  'data-quality-statistics-s3-uri': input.optional(),
  'data-quality-constraints-s3-uri': input.optional(),
  'approval-status': input.oneOf(['PendingManualApproval', 'Approved', 'Rejected'] as const, 'PendingManualApproval'),
  'description': input.limited(1024, "SageMaker's limit for ModelPackageDescription"),
  'git-commit': input.optional(),
  'repository': input.optional(),
  'run-url': input.optional(),
  'region': input.region(),
  'timeout-minutes': input.integer(1, 120, 15),
});

export interface RegisterConfig {
  group: string;
  modelDataUrl: string;
  imageUri: string;
  metricsUri?: string;
  statisticsUri?: string;
  constraintsUri?: string;
  approvalStatus: 'PendingManualApproval' | 'Approved' | 'Rejected';
  description?: string;
  metadata: Record<string, string>;
  timeoutMinutes: number;
}

/** Inputs plus the run's context (commit, repository, run URL) as registry metadata. */
export function readRegisterConfig(env: NodeJS.ProcessEnv, runUrl: string | undefined): RegisterConfig & { region?: string } {
  const i = parseInputs(inputSchema, env);
  const metadata: Record<string, string> = {};
  const sources: [string, string, string | undefined][] = [
    ['git_commit', 'git-commit', i['git-commit'] ?? env.GITHUB_SHA],
    ['repository', 'repository', i.repository ?? env.GITHUB_REPOSITORY],
    ['run_url', 'run-url', i['run-url'] ?? runUrl],
  ];
  for (const [key, inputName, value] of sources) {
    if (value === undefined) continue;
    if (!METADATA_VALUE.test(value)) {
      throw new UserError(`Input '${inputName}' must be 1-256 letters, digits, spaces or _.:/=+-@ (SageMaker metadata), got '${value}'`);
    }
    metadata[key] = value;
  }
  for (const name of ['metrics-s3-uri', 'data-quality-statistics-s3-uri', 'data-quality-constraints-s3-uri'] as const) {
    if (i[name]) parseS3Uri(i[name], `Input '${name}'`);
  }
  if (Boolean(i['data-quality-statistics-s3-uri']) !== Boolean(i['data-quality-constraints-s3-uri'])) {
    throw new UserError("Inputs 'data-quality-statistics-s3-uri' and 'data-quality-constraints-s3-uri' go together: give both or neither");
  }
  return {
    group: i['model-package-group'],
    modelDataUrl: i['model-data-url'],
    imageUri: i['image-uri'],
    metricsUri: i['metrics-s3-uri'],
    statisticsUri: i['data-quality-statistics-s3-uri'],
    constraintsUri: i['data-quality-constraints-s3-uri'],
    approvalStatus: i['approval-status'],
    description: i.description,
    metadata,
    timeoutMinutes: i['timeout-minutes'],
    region: i.region,
  };
}
