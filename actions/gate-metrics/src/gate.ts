import { existsSync, readFileSync } from 'node:fs';
import type { LoadedEnvironment } from '../../../core/environment/load.js';
import { pinnedModelPackageArn } from '../../../core/environment/parameters.js';
import { UserError } from '../../../core/errors.js';
import type { Logger } from '../../lib/log.js';
import { evaluateGate, metricsFromStatistics, type GateResult, type Metrics } from '../../lib/metrics.js';
import { describePackage, latestApprovedPackage, packageMetrics, type ModelClients } from '../../lib/registry.js';

export interface GateConfig {
  challenger: { packageArn: string } | { metricsFile: string };
  /** 'auto': the version pinned in the prod environment file, else the latest Approved one. */
  champion: 'auto' | 'none' | { packageArn: string };
  environment: LoadedEnvironment;
  championEnvironment?: LoadedEnvironment;
  thresholds: Metrics;
  maxRegression: number;
}

export interface GateReport extends GateResult {
  challenger: { source: string; metrics: Metrics };
  champion?: { arn: string; how: string; metrics: Metrics };
}

type Clients = ModelClients;

async function challengerMetrics(clients: Clients, config: GateConfig): Promise<{ source: string; metrics: Metrics }> {
  if ('metricsFile' in config.challenger) {
    const file = config.challenger.metricsFile;
    if (!existsSync(file)) throw new UserError(`Input 'metrics-file': ${file} does not exist`);
    let document: unknown;
    try {
      document = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new UserError(`Input 'metrics-file': ${file} is not valid JSON`);
    }
    return { source: file, metrics: metricsFromStatistics(document, file) };
  }
  const pkg = await describePackage(clients.sagemaker, config.challenger.packageArn);
  return { source: config.challenger.packageArn, metrics: await packageMetrics(clients.s3, pkg) };
}

async function championArn(clients: Clients, config: GateConfig): Promise<{ arn: string; how: string } | undefined> {
  if (config.champion === 'none') return undefined;
  if (typeof config.champion === 'object') return { arn: config.champion.packageArn, how: 'given' };
  const pinnedIn = config.championEnvironment ?? config.environment;
  const pinned = pinnedModelPackageArn(pinnedIn);
  if (pinned) return { arn: pinned, how: `pinned in ${pinnedIn.file}` };
  const latest = await latestApprovedPackage(clients.sagemaker, pinnedIn.config.model.packageGroup);
  return latest?.ModelPackageArn ? { arn: latest.ModelPackageArn, how: 'latest Approved' } : undefined;
}

/** Compares the candidate with the thresholds and with the model in production. */
export async function gateMetrics(clients: Clients, config: GateConfig, logger: Logger): Promise<GateReport> {
  const challenger = await challengerMetrics(clients, config);
  let champion: GateReport['champion'];
  const found = await championArn(clients, config);
  if (found && 'packageArn' in config.challenger && found.arn === config.challenger.packageArn) {
    logger.info(`The candidate is the champion (${found.arn}); comparing with the thresholds only`);
  } else if (found) {
    const pkg = await describePackage(clients.sagemaker, found.arn);
    champion = { ...found, metrics: await packageMetrics(clients.s3, pkg) };
  } else {
    logger.info('No champion yet (nothing pinned or Approved); comparing with the thresholds only');
  }
  const result = evaluateGate(challenger.metrics, config.thresholds, champion?.metrics, config.maxRegression);
  for (const row of result.rows) logger.info(`${row.metric}: ${row.challenger ?? '—'} ${row.passed ? 'ok' : `FAIL (${row.reason})`}`);
  return { ...result, challenger, champion };
}
