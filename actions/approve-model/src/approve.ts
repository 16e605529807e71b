import { UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';
import type { LoadedEnvironment } from '../../../core/environment/load.js';
import { UserError } from '../../../core/errors.js';
import type { Logger } from '../../lib/log.js';
import { evaluateGate, gateTable, type GateResult } from '../../lib/metrics.js';
import { describePackage, packageMetrics, type ModelClients } from '../../lib/registry.js';

export interface ApproveConfig {
  arn: string;
  status: 'Approved' | 'Rejected';
  actor?: string;
  runUrl?: string;
  reason?: string;
  environment: LoadedEnvironment;
}

export interface ApproveResult {
  previousStatus?: string;
  changed: boolean;
  description?: string;
  gate?: GateResult;
}

/** Who decided, where and why: the ApprovalDescription every later reader of the registry sees. */
export function approvalDescription(config: ApproveConfig): string {
  const who = config.actor ? ` by @${config.actor}` : '';
  const where = config.runUrl ? ` in ${config.runUrl}` : '';
  const why = config.reason ? `: ${config.reason}` : '';
  // The inputs' limits keep this under SageMaker's 1024 characters; nothing is cut.
  return `${config.status}${who}${where} for ${config.environment.name}${why}`;
}

/**
 * Sets the approval status. Refuses a version that is not Completed, and refuses to approve one
 * whose metrics fail the environment's gate thresholds. Setting the status it already has is a no-op.
 */
export async function approveModel(
  clients: ModelClients,
  config: ApproveConfig,
  logger: Logger,
): Promise<ApproveResult> {
  const pkg = await describePackage(clients.sagemaker, config.arn);
  if (pkg.ModelPackageStatus !== 'Completed') {
    throw new UserError(`Model package ${config.arn} is ${pkg.ModelPackageStatus ?? 'in an unknown state'}; only a Completed version can be ${config.status.toLowerCase()}`);
  }
  const previousStatus = pkg.ModelApprovalStatus;
  if (previousStatus === config.status) {
    logger.info(`${config.arn} is already ${config.status}; nothing to do`);
    return { previousStatus, changed: false };
  }
  let gate: GateResult | undefined;
  if (config.status === 'Approved') {
    const { thresholds, maxRegression } = config.environment.config.gate;
    gate = evaluateGate(await packageMetrics(clients.s3, pkg), thresholds, undefined, maxRegression);
    if (!gate.passed) {
      throw new UserError(
        `Refusing to approve ${config.arn}: its metrics fail the gate of ${config.environment.file}\n${gateTable(gate)}`,
      );
    }
  }
  const description = approvalDescription(config);
  await clients.sagemaker.send(
    new UpdateModelPackageCommand({ ModelPackageArn: config.arn, ModelApprovalStatus: config.status, ApprovalDescription: description }),
  );
  logger.info(`${config.arn}: ${previousStatus} -> ${config.status} (${description})`);
  return { previousStatus, changed: true, description, gate };
}
