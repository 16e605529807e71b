// `npm run twin`: the offline twin in the foreground, with a log line per request.
import { resolve } from 'node:path';
import { startTwin } from './server.js';

const port = Number(process.env.TWIN_PORT ?? 4599);
const stateDir = resolve(process.env.TWIN_STATE_DIR ?? '.twin');
const timeScale = Number(process.env.TWIN_TIME_SCALE ?? 1);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`TWIN_PORT must be a port number, got '${process.env.TWIN_PORT}'`);
  process.exit(2);
}
if (!(timeScale > 0)) {
  console.error(`TWIN_TIME_SCALE must be a positive number, got '${process.env.TWIN_TIME_SCALE}'`);
  process.exit(2);
}

const twin = await startTwin({
  port,
  stateDir,
  timeScale,
  account: process.env.TWIN_ACCOUNT,
  region: process.env.TWIN_REGION,
  log: (line) => console.log(`${new Date().toISOString().slice(11, 23)} ${line}`),
});
console.log(`sagemaker-gitops twin listening on ${twin.url} (state in ${stateDir}, time scale ${timeScale})`);
console.log('Point AWS clients at it:');
console.log(`  export AWS_ENDPOINT_URL=${twin.url}`);
console.log('  export AWS_ACCESS_KEY_ID=twin AWS_SECRET_ACCESS_KEY=twin AWS_REGION=us-east-1');
const stop = () => twin.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
