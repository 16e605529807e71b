// Validates every environments/*.yaml against the schema; exits non-zero naming each bad file.
import { listEnvironments, loadEnvironment } from '../core/environment/load.js';
import { describeError } from '../core/errors.js';

const names = listEnvironments();
let failed = 0;
for (const name of names) {
  try {
    const env = loadEnvironment(name);
    const model = env.config.model.version === null ? 'no model pinned' : `${env.config.model.packageGroup} v${env.config.model.version}`;
    console.log(`ok   ${env.file} (${env.config.account}, ${env.config.region}, ${env.config.deployment.strategy}, ${model})`);
  } catch (error) {
    failed++;
    console.error(`FAIL ${describeError(error)}`);
  }
}
if (names.length === 0) {
  console.error('no environment files found in environments/');
  process.exit(1);
}
if (failed > 0) process.exit(1);
