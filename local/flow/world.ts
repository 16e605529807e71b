// Everything the offline flow needs running before the first event: the AWS twin, the GitHub
// stand-in holding a fork of this checkout, the OIDC issuer, the dispatcher that turns the
// stand-in's events into runs of the repository's own workflow files, and what a platform team
// sets up once (foundation stacks, protected environments, the promotion token, training data).
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { accountOf, bootstrapFoundation, uploadTrainingData, type AccountClients } from './bootstrap.js';
import { Dispatcher, type DispatcherOptions } from './dispatcher.js';
import { Person } from './person.js';
import { loadEnvironment, type LoadedEnvironment } from '../../core/environment/load.js';
import { GitHubStandIn } from '../github/server.js';
import { ConcurrencyGroups } from '../runner/concurrency.js';
import { node24 } from '../runner/node.js';
import { OidcIssuer } from '../runner/oidc.js';
import { startTwin, type Twin } from '../server.js';

const run = promisify(execFile);

export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

/** Jobs the offline flow leaves out: ci's own checks are the project's test suite, which npm test runs. */
export const OFFLINE_SKIPS: Record<string, string> = { 'ci.yml:test': "offline, the project's own checks are npm test" };

export interface WorldOptions {
  /** Where the twin's and the stand-in's state, the checkouts and the runner's files go. */
  dir: string;
  repository: string;
  /** Simulated AWS time runs this many times faster (bakes, alarm periods, instance start-up). */
  timeScale: number;
  /** Reviews for the protected environments; approve by default. */
  review?: DispatcherOptions['review'];
  only?: string[];
  skipJobs?: Record<string, string>;
  progress?: (line: string) => void;
}

export interface Deployment {
  environment: LoadedEnvironment;
  account: AccountClients;
  bucket: string;
}

export interface World {
  twin: Twin;
  github: GitHubStandIn;
  dispatcher: Dispatcher;
  repository: string;
  /** The repository owner's token: what a person clicking in GitHub does. */
  owner: string;
  accounts: Record<EnvironmentName, Deployment>;
  stop(): Promise<void>;
}

/**
 * The fork: this checkout as it is now, uncommitted changes and new files included (what a person
 * trying an edit expects to see played), as the one commit on main. The tree is written through an
 * index of its own, so the checkout's own index and stash are left alone.
 */
async function fork(github: GitHubStandIn, repository: string, dir: string): Promise<void> {
  const git = github.repository(repository).git;
  const who = { GIT_AUTHOR_NAME: 'octocat', GIT_AUTHOR_EMAIL: 'octocat@users.noreply.github.com', GIT_COMMITTER_NAME: 'octocat', GIT_COMMITTER_EMAIL: 'octocat@users.noreply.github.com' };
  const env = { ...process.env, ...who, GIT_INDEX_FILE: join(dir, 'fork.index') };
  await run('git', ['read-tree', 'HEAD'], { env });
  await run('git', ['add', '--all', '.'], { env });
  const tree = (await run('git', ['write-tree'], { env })).stdout.trim();
  const seed = (await run('git', ['commit-tree', tree, '-m', 'seed'], { env })).stdout.trim();
  await run('git', ['push', '--quiet', git.dir, `${seed}:refs/heads/seed`]);
  git.updateRef('refs/heads/main', git.commitTree(tree, [], 'Created from the sagemaker-gitops template', { name: 'octocat', email: 'octocat@users.noreply.github.com' }));
  git.deleteRef('refs/heads/seed');
}

export async function startWorld(options: WorldOptions): Promise<World> {
  const say = options.progress ?? (() => {});
  mkdirSync(options.dir, { recursive: true });
  const twin = await startTwin({ stateDir: join(options.dir, 'twin'), timeScale: options.timeScale, containerDirs: [resolve('local/flow/containers')] });
  const github = await new GitHubStandIn({ stateDir: join(options.dir, 'github') }).start();
  const oidc = await new OidcIssuer().start();
  say(`twin at ${twin.url}, GitHub stand-in at ${github.url}`);
  const { repository } = options;
  await fork(github, repository, options.dir);
  const owner = github.userToken('octocat');

  const accounts = {} as Record<EnvironmentName, Deployment>;
  await Promise.all(ENVIRONMENTS.map(async (name) => {
    const environment = loadEnvironment(name);
    const account = await accountOf(twin.url, environment);
    const outputs = await bootstrapFoundation(account, environment);
    accounts[name] = { environment, account, bucket: outputs.ArtifactBucketName };
    say(`bootstrap: foundation stack in ${name}'s account ${environment.config.account}`);
  }));
  await uploadTrainingData(accounts.dev.account, accounts.dev.bucket);
  // staging and prod have required reviewers, as the bootstrap sets them up.
  const person = new Person(github.apiUrl, repository, owner);
  for (const name of ['staging', 'prod']) await person.call('PUT', `/environments/${name}`, { reviewers: [{ type: 'User', id: 1 }] });
  // The promotion pull request is opened with a GitHub App's token, so that CI runs on it.
  github.repository(repository).state.secrets.PROMOTION_TOKEN = github.installationToken(
    repository, { 'contents': 'write', 'pull-requests': 'write' }, 'sagemaker-gitops-promoter',
  );

  const dispatcher = new Dispatcher({
    github,
    oidc,
    concurrency: new ConcurrencyGroups(),
    node: node24(),
    workDir: join(options.dir, 'work'),
    baseEnv: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      AWS_ENDPOINT_URL: twin.url,
      AWS_EC2_METADATA_DISABLED: 'true',
      // AWS's time runs faster here; the actions' waits between checks shrink with it (not below 50 ms).
      SAGEMAKER_GITOPS_POLL_SPEEDUP: String(Math.min(options.timeScale, 20)),
    },
    provisioned: { 'node_modules': resolve('node_modules'), '.venv': resolve('.venv') },
    review: options.review ?? (async () => ({ state: 'approved', comment: 'Approved in the offline demo' })),
    only: options.only,
    skipJobs: options.skipJobs ?? OFFLINE_SKIPS,
    progress: options.progress,
  });
  return {
    twin,
    github,
    dispatcher,
    repository,
    owner,
    accounts,
    stop: async () => {
      await dispatcher.idle();
      await oidc.stop();
      await github.stop();
      await twin.stop();
    },
  };
}
