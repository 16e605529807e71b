// `npm run workflow -- <file> [options]`: one workflow file of this repository run by the local
// runner, its actions under Node 24, against whatever AWS_ENDPOINT_URL and GITHUB_API_URL point
// at (the twin and the GitHub stand-in). Prints each job's log and a line per job at the end.
//   --event push|pull_request|workflow_dispatch|workflow_call   (default push)
//   --input name=value   --secret NAME=value   --var NAME=value  (repeatable)
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConcurrencyGroups } from './concurrency.js';
import { node24 } from './node.js';
import { OidcIssuer } from './oidc.js';
import { runWorkflow } from './run.js';
import { localActions } from './third-party.js';
import { WorkflowError } from './workflow.js';
import { defuseCommands } from '../../core/escape.js';

function usage(message: string): never {
  console.error(`${message}\nusage: npm run workflow -- .github/workflows/<file>.yml [--event name] [--input k=v] [--secret K=v] [--var K=v]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const file = args.shift();
if (!file || file.startsWith('--')) usage('name the workflow file first');
const pairs: Record<string, Record<string, string>> = { '--input': {}, '--secret': {}, '--var': {} };
let event = 'push';
while (args.length) {
  const flag = args.shift()!;
  const value = args.shift();
  if (value === undefined) usage(`${flag} needs a value`);
  if (flag === '--event') {event = value;} else if (pairs[flag]) {
    const eq = value.indexOf('=');
    if (eq < 1) usage(`${flag} takes name=value, got '${value}'`);
    pairs[flag][value.slice(0, eq)] = value.slice(eq + 1);
  } else {usage(`unknown option ${flag}`);}
}

const workspace = resolve('.');
const git = (...a: string[]) => execFileSync('git', a, { cwd: workspace, encoding: 'utf8' }).trim();
const node = node24(workspace);
const oidc = await new OidcIssuer().start();
const repository = process.env.GITHUB_REPOSITORY ?? 'local/sagemaker-gitops';
try {
  const run = await runWorkflow({
    workspace,
    workflow: file,
    event,
    payload: { inputs: pairs['--input'] },
    repository,
    sha: git('rev-parse', 'HEAD'),
    ref: `refs/heads/${git('rev-parse', '--abbrev-ref', 'HEAD')}`,
    actor: process.env.USER ?? 'local',
    runId: Date.now() % 1_000_000_000,
    runNumber: 1,
    serverUrl: process.env.GITHUB_SERVER_URL ?? 'http://localhost',
    apiUrl: process.env.GITHUB_API_URL ?? 'http://localhost:4600',
    inputs: pairs['--input'],
    secrets: pairs['--secret'],
    vars: pairs['--var'],
    baseEnv: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !e[0].startsWith('GITHUB_') && !e[0].startsWith('INPUT_'))),
    tempDir: mkdtempSync(join(tmpdir(), 'local-runner-')),
    hooks: {
      node,
      actions: localActions(node),
      idTokenRequest: async (identity) => oidc.request(repository, identity, event),
      progress: (line) => console.log(defuseCommands(`· ${line}`)),
    },
    concurrency: new ConcurrencyGroups(),
  });
  for (const job of run.jobs) {
    console.log(`\n── ${job.name} (${job.result}${job.reason ? `: ${job.reason}` : ''})`);
    for (const line of job.log) console.log(defuseCommands(`   ${line}`));
  }
  console.log(`\n${run.name}: ${run.result}`);
  for (const job of run.jobs) console.log(`  ${job.result.padEnd(9)} ${job.name}  ${((job.finishedAt.getTime() - job.startedAt.getTime()) / 1000).toFixed(1)} s`);
  process.exitCode = run.result === 'success' ? 0 : 1;
} catch (error) {
  if (!(error instanceof WorkflowError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
} finally {
  await oidc.stop();
}
