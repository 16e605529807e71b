import { ECRClient } from '#aws-sdk/client-ecr';
import { buildImage } from './build.js';
import { readBuildConfig } from './inputs.js';
import type { ActionResult } from '../../lib/action.js';
import { createClient } from '../../lib/aws.js';
import type { Logger } from '../../lib/log.js';
import { regionFrom } from '../../lib/run-context.js';
import { blocks, heading, keyValueTable } from '../../lib/summary.js';
import { Deadline } from '../../lib/wait.js';

export async function runBuild(
  env: NodeJS.ProcessEnv,
  logger: Logger,
  makeClient: (region: string) => ECRClient = (region) => createClient(ECRClient, { region, logger }),
): Promise<ActionResult> {
  const started = Date.now();
  const config = readBuildConfig(env);
  const ecr = makeClient(regionFrom(config.region, env));
  const result = await buildImage(ecr, config, logger, new Deadline(config.timeoutMinutes * 60_000, started), env);
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
