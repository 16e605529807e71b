import { ECRClient } from '@aws-sdk/client-ecr';
import { buildImage } from './build.js';
import { readBuildConfig } from './inputs.js';
import type { ActionContext, ActionResult } from '../../lib/action.js';
import { createClient } from '../../lib/aws.js';
import { blocks, heading, keyValueTable } from '../../lib/summary.js';

export async function runBuild(
  ctx: ActionContext,
  makeClient: (region: string) => ECRClient = (region) => createClient(ECRClient, { region, logger: ctx.logger }),
): Promise<ActionResult> {
  const config = readBuildConfig(ctx.env);
  const ecr = makeClient(ctx.region([config.region]));
  const result = await buildImage(ecr, config, ctx.logger, ctx.deadline(config.timeoutMinutes), ctx.env);
  const summary = blocks(
    heading(`build-image: ${config.repository}`),
    keyValueTable({
      Result: result.built ? '✅ Built and pushed' : '✅ Unchanged: existing image reused',
      Image: result.imageUri,
      Tags: [result.tag, result.gitTag].filter(Boolean).join(', '),
      Context: config.context,
    }),
  );
  return { outputs: { 'image-uri': result.imageUri, 'tag': result.tag, 'digest': result.digest, 'built': result.built }, summary };
}
