// Validates every environments/*.yaml against the schema; exits non-zero naming each bad file.
import { listEnvironments, loadEnvironment } from '../core/environment/load.js';
import { describeError } from '../core/errors.js';

const names = listEnvironments();
let failed = 0;
for (const name of names) {
  try {
    const environment = loadEnvironment(name);
    const model = environment.config.model.version === null ? 'no model pinned' : `${environment.config.model.packageGroup} v${environment.config.model.version}`;
    console.log(`ok   ${environment.file} (${environment.config.account}, ${environment.config.region}, ${environment.config.deployment.strategy}, ${model})`);
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
