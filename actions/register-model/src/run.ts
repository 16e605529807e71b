import { SageMakerClient } from '#aws-sdk/client-sagemaker';
import { readRegisterConfig } from './inputs.js';
import { registerModel } from './register.js';
import type { ActionResult } from '../../lib/action.js';
import { createClient } from '../../lib/aws.js';
import type { Logger } from '../../lib/log.js';
import { regionFrom, runUrl } from '../../lib/run-context.js';
import { blocks, heading, keyValueTable } from '../../lib/summary.js';
import { Deadline } from '../../lib/wait.js';

export async function runRegister(
  env: NodeJS.ProcessEnv,
  logger: Logger,
  makeClient: (region: string) => SageMakerClient = (region) => createClient(SageMakerClient, { region, logger }),
): Promise<ActionResult> {
  const started = Date.now();
  const config = readRegisterConfig(env, runUrl(env));
  const region = regionFrom(config.region, env);
  const result = await registerModel(makeClient(region), config, logger, new Deadline(config.timeoutMinutes * 60_000, started));
  const summary = blocks(
    heading(`register-model: ${config.group} v${result.version}`),
    keyValueTable({
      'Model package': result.arn,
      'Result': result.created ? '✅ Registered' : '✅ Already registered from this commit',
      'Approval status': config.approvalStatus,
      'Model data': config.modelDataUrl,
      'Image': config.imageUri,
      ...Object.fromEntries(Object.entries(config.metadata).map(([k, v]) => [k, v])),
    }),
  );
  return { outputs: { arn: result.arn, version: result.version, created: result.created }, summary };
}
