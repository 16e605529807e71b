import type { Capability, Tag } from '@aws-sdk/client-cloudformation';
import type { Guard } from './destructive.js';
import { BUCKET_NAME_PATTERN } from '../../../core/aws-names.js';
import { loadEnvironment, type LoadedEnvironment } from '../../../core/environment/load.js';
import { UserError } from '../../../core/errors.js';
import * as z from '../../../core/zod.js';
import { input, parseInputs } from '../../lib/inputs.js';
import { parseKeyValues } from '../../lib/key-values.js';

export const CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'] as const;

export const inputSchema = z.object({
  'mode': input.oneOf(['deploy', 'plan'] as const, 'deploy'),
  'template': input.path(),
  'stack-name': input.matching(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'a stack name: letters, digits and hyphens, starting with a letter, at most 128'),
  'environment': input.optional(),
  'environments-dir': input.path('environments'),
  'parameter-overrides': input.multiline(),
  'capabilities': input.list(CAPABILITIES, ['CAPABILITY_IAM']),
  'tags': input.multiline(),
  'fail-on-empty-changeset': input.boolean(false),
  'timeout-minutes': input.integer(1, 360, 60),
  'template-bucket': input.optionalWhere(
    (v) => BUCKET_NAME_PATTERN.test(v),
    (v) => `must be an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens), got '${v}'`,
  ),
  'region': input.region(),
  'protected-resources': input.multiline(),
  'allow-destructive-changes': input.multiline(),
  'comment': input.boolean(false),
  'github-token': input.optional(),
});

/** What to deploy, as the inputs say it: typed, with the environment file loaded. Scripts build one directly. */
export interface DeployRequest {
  /** deploy executes the change set; plan shows it and deletes it, changing nothing. */
  mode: 'deploy' | 'plan';
  templatePath: string;
  stackName: string;
  environment?: LoadedEnvironment;
  /** The region input; the environment file's region applies when it is not given. */
  region?: string;
  parameterOverrides: Record<string, string>;
  capabilities: Capability[];
  tags: Tag[];
  templateBucket?: string;
  failOnEmptyChangeSet: boolean;
  timeoutMinutes: number;
  /** The workflow run, when there is one: names the change set so it can be traced back. */
  run?: { id: string; attempt?: string };
  /** In plan mode on a pull request: add the plan to the pull request's one plan comment. */
  comment: boolean;
  githubToken?: string;
  /** Which removals and replacements the deploy may make (see destructive.ts). */
  guard: Guard;
}

/** A comma- or newline-separated list of CloudFormation logical ids. */
function logicalIds(text: string | undefined, name: string): string[] {
  const ids = (text ?? '').split(/[,\s]+/).filter(Boolean);
  const bad = ids.filter((id) => !/^[A-Za-z0-9]{1,255}$/.test(id));
  if (bad.length) throw new UserError(`Input '${name}' must list logical ids (letters and digits), got ${bad.map((b) => `'${b}'`).join(', ')}`);
  return [...new Set(ids)];
}

export function readDeployRequest(env: NodeJS.ProcessEnv): DeployRequest {
  const i = parseInputs(inputSchema, env);
  const environment = i.environment ? loadEnvironment(i.environment, i['environments-dir']) : undefined;
  if (i.region && environment && i.region !== environment.config.region) {
    throw new UserError(`Input 'region' (${i.region}) differs from ${environment.file} (region: ${environment.config.region}); remove one`);
  }
  return {
    mode: i.mode,
    templatePath: i.template,
    stackName: i['stack-name'],
    environment,
    region: i.region,
    parameterOverrides: parseKeyValues(i['parameter-overrides'] ?? '', "Input 'parameter-overrides'"),
    capabilities: i.capabilities,
    tags: Object.entries(parseKeyValues(i.tags ?? '', "Input 'tags'")).map(([Key, Value]) => ({ Key, Value })),
    templateBucket: i['template-bucket'],
    failOnEmptyChangeSet: i['fail-on-empty-changeset'],
    timeoutMinutes: i['timeout-minutes'],
    run: env.GITHUB_RUN_ID ? { id: env.GITHUB_RUN_ID, attempt: env.GITHUB_RUN_ATTEMPT } : undefined,
    comment: i.comment,
    githubToken: i['github-token'],
    guard: { protected: logicalIds(i['protected-resources'], 'protected-resources'), allowed: logicalIds(i['allow-destructive-changes'], 'allow-destructive-changes') },
  };
}
