import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { readRegisterConfig } from './inputs.js';
import { registerModel } from './register.js';
import type { ActionContext, ActionResult } from '../../lib/action.js';
import { createClient } from '../../lib/aws.js';
import { runUrl } from '../../lib/run-context.js';
import { blocks, heading, keyValueTable } from '../../lib/summary.js';

export async function runRegister(
  ctx: ActionContext,
  makeClient: (region: string) => SageMakerClient = (region) => createClient(SageMakerClient, { region, logger: ctx.logger }),
): Promise<ActionResult> {
  const config = readRegisterConfig(ctx.env, runUrl(ctx.env));
  const region = ctx.region([config.region]);
  const result = await registerModel(makeClient(region), config, ctx.logger, ctx.deadline(config.timeoutMinutes));
  const summary = blocks(
    heading(`register-model: ${config.group} v${result.version}`),
    keyValueTable({
      'Model package': result.arn,
      'Result': result.created ? '✅ Registered' : '✅ Already registered from this commit',
      'Approval status': config.approvalStatus,
      'Model data': config.modelDataUrl,
      'Image': config.imageUri,
      ...config.metadata,
    }),
  );
  return { outputs: { arn: result.arn, version: result.version, created: result.created }, summary };
}
