// Promotion: one pull request per model version that pins it in the environment files, on a
// branch named for the version, so a re-run updates the same pull request. Its body says what
// is promoted and why it may be: challenger against champion, and where the model came from.
import type { GitHub, PullRequest } from './github.js';
import { UserError } from '../../../core/errors.js';
import type { Logger } from '../../lib/log.js';
import { gateTable, type GateResult } from '../../lib/metrics.js';
import { describePackage, type ModelClients } from '../../lib/registry.js';
import { blocks, heading, keyValueTable, table } from '../../lib/summary.js';

export interface PromoteConfig {
  arn: string;
  group: string;
  version: number;
  /** The environment files to pin, as paths in the repository. */
  files: { environment: string; path: string }[];
  base: string;
  gate?: GateResult;
}

export interface Lineage {
  commit?: string;
  repository?: string;
  runUrl?: string;
  dataVersion?: string;
  pipelineExecution?: string;
  created?: Date;
  metrics: { name: string; value: number; standardDeviation?: number }[];
}

export interface PromoteResult {
  pullRequest: PullRequest;
  created: boolean;
  branch: string;
  /** The environments whose pin this run changed (none on a re-run that finds them pinned). */
  changed: string[];
  body: string;
}

export const branchFor = (group: string, version: number) => `promote/${group}-v${version}`;

/** Where the candidate came from and how it scored, from the registry and its metrics file. */
export async function lineageOf(clients: ModelClients, arn: string): Promise<Lineage> {
  const pkg = await describePackage(clients.sagemaker, arn);
  const meta = pkg.CustomerMetadataProperties ?? {};
  const lineage: Lineage = {
    commit: meta.git_commit,
    repository: meta.repository,
    runUrl: meta.run_url,
    dataVersion: meta.data_version,
    pipelineExecution: meta.pipeline_execution,
    created: pkg.CreationTime,
    metrics: [],
  };
  const uri = pkg.ModelMetrics?.ModelQuality?.Statistics?.S3Uri;
  if (uri) {
    type Statistics = { binary_classification_metrics?: Record<string, { value?: number; standard_deviation?: number }> };
    const { readS3Json } = await import('../../lib/s3-object.js');
    const statistics = (await readS3Json(clients.s3, uri, `the metrics of ${arn}`)) as Statistics;
    for (const [name, m] of Object.entries(statistics.binary_classification_metrics ?? {})) {
      if (typeof m?.value === 'number') lineage.metrics.push({ name, value: m.value, standardDeviation: m.standard_deviation });
    }
  }
  return lineage;
}

export function renderBody(config: PromoteConfig, lineage: Lineage): string {
  const environments = config.files.map((f) => f.environment).join(', ');
  const known = (x: string | undefined) => (x && x !== 'unknown' ? x : '—');
  return blocks(
    heading(`Promote ${config.group} v${config.version} to ${environments}`),
    `Merging this pins \`model.version: ${config.version}\` in ${config.files.map((f) => `\`${f.path}\``).join(', ')}; model-deploy then deploys it to each environment in turn, with their approvals. CI posts the plan of each environment on this pull request.`,
    config.gate && heading(`Challenger vs champion (${config.gate.passed ? '✅ passed' : '❌ failed'})`, 3),
    config.gate && gateTable(config.gate),
    heading('Lineage', 3),
    keyValueTable({
      'Model package': config.arn,
      'Commit': known(lineage.commit),
      'Repository': known(lineage.repository),
      'Built by': known(lineage.runUrl),
      'Pipeline execution': known(lineage.pipelineExecution),
      'Data version': known(lineage.dataVersion),
      'Registered': lineage.created ? lineage.created.toISOString() : '—',
    }),
    lineage.metrics.length > 0 && heading('Metrics', 3),
    lineage.metrics.length > 0 && table(
      ['Metric', 'Value', 'Standard deviation'],
      lineage.metrics.map((m) => [m.name, m.value.toFixed(4), m.standardDeviation === undefined ? '—' : m.standardDeviation.toFixed(4)]),
    ),
  );
}

export async function promote(github: GitHub, clients: ModelClients, config: PromoteConfig, logger: Logger): Promise<PromoteResult> {
  const lineage = await lineageOf(clients, config.arn);
  const branch = branchFor(config.group, config.version);
  const baseSha = await github.branchSha(config.base);
  if (!baseSha) throw new UserError(`Input 'base': the repository has no branch ${config.base}`);
  if (!(await github.branchSha(branch))) await github.createBranch(branch, baseSha);
  const changed: string[] = [];
  // Editing that keeps comments needs the `yaml` library: a chunk of its own, off the cold start.
  const { pinVersion } = await import('./pins.js');
  for (const { environment, path } of config.files) {
    const current = await github.file(path, branch);
    const next = pinVersion(current.text, path, config.group, config.version);
    if (next === current.text) {
      logger.info(`${path} already pins ${config.group} v${config.version} on ${branch}`);
      continue;
    }
    await github.writeFile(path, branch, next, current.sha, `Promote ${config.group} v${config.version} to ${environment}`);
    changed.push(environment);
  }
  const title = `Promote ${config.group} v${config.version} to ${config.files.map((f) => f.environment).join(', ')}`;
  const body = renderBody(config, lineage);
  const existing = await github.openPullRequest(branch);
  let pullRequest;
  try {
    pullRequest = existing
      ? await github.updatePullRequest(existing.number, title, body)
      : await github.createPullRequest(branch, config.base, title, body);
  } catch (error) {
    // The branch and its commits stay: they are what the pull request would show, and a re-run reuses them.
    const pinned = changed.length ? `pins ${config.group} v${config.version} for ${changed.join(', ')}` : 'already pinned the version';
    throw new UserError(`${(error as Error).message}. Left behind: branch ${branch}, which ${pinned}; re-run to ${existing ? 'update' : 'open'} the pull request, or delete the branch`);
  }
  logger.info(`${existing ? 'Updated' : 'Opened'} pull request #${pullRequest.number}: ${pullRequest.html_url}`);
  return { pullRequest, created: !existing, branch, changed, body };
}
