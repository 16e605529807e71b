// The names and identifiers AWS accepts, written once for inputs, environment files and the
// twin alike, so a value one layer accepts is never refused by another.

/** An AWS region: us-east-1, eu-central-2, us-gov-west-1. */
export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

/** A SageMaker entity name (model package group, model, endpoint, job): SageMaker's EntityName pattern. */
export const SAGEMAKER_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** A SageMaker pipeline name (up to 256 characters). */
export const PIPELINE_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/;

/** An IAM role ARN in any partition. */
export const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** An ECR repository name (namespaces with /), at most 256 characters in all. */
export const ECR_REPOSITORY_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
export const ECR_REPOSITORY_MAX = 256;

/** A GitHub login as GITHUB_ACTOR gives it, bots included (dependabot[bot]). */
export const GITHUB_LOGIN_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

/** An S3 bucket name (3-63 lowercase letters, digits, dots and hyphens). */
export const BUCKET_NAME = '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]';
export const BUCKET_NAME_PATTERN = new RegExp(`^${BUCKET_NAME}$`);
