// The GitOps story npm start plays, through this repository's own workflow files: a model change
// reviewed and merged, the promotion it leads to deployed through dev, staging and prod, a bad
// candidate stopped by prod's canary, and a rollback by revert. Each chapter says what it expects
// of the runs it starts; whatever does not happen as it should is a problem, and the caller exits
// non-zero on any.
import { readFileSync } from 'node:fs';
import { DescribeStacksCommand, CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { registerVersion, readVersion } from './bootstrap.js';
import { Person } from './person.js';
import { seconds } from './report.js';
import { Traffic, type TrafficCounts } from './traffic.js';
import { ENVIRONMENTS, type EnvironmentName, type World } from './world.js';
import { modelPackageArn } from '../../core/environment/parameters.js';
import type { RunRecord } from '../runner/types.js';

export const CHAPTERS = ['change', 'deploy', 'canary', 'rollback'] as const;
export type ChapterName = (typeof CHAPTERS)[number];

/** What a chapter needs played before it; `change` can be stood in for by a dispatch of model-build. */
const NEEDS: Record<ChapterName, ChapterName[]> = { change: [], deploy: [], canary: ['deploy'], rollback: ['deploy', 'canary'] };

export interface ChapterRecord {
  name: ChapterName;
  title: string;
  startedAt: Date;
  finishedAt: Date;
  runs: number[];
  lines: string[];
  problems: string[];
}

export interface StoryRecord {
  chapters: ChapterRecord[];
  /** Per environment: the version git pins on main, and the one its endpoint stack runs. */
  versions: Record<EnvironmentName, { pinned: string; running: string }>;
  metrics: Record<string, number>;
  traffic?: TrafficCounts;
  problems: string[];
}

/** The chapters to play for `--only`: the one asked for, after what it needs. */
export function chaptersFor(only?: ChapterName): ChapterName[] {
  return only ? [...NEEDS[only], only] : [...CHAPTERS];
}

const GROUP = 'churn-model';
const stackOf = (env: EnvironmentName) => `sagemaker-gitops-endpoint-${env}`;
const endpointOf = (env: EnvironmentName) => `sagemaker-gitops-${env}`;

class Story {
  readonly person: Person;
  readonly chapters: ChapterRecord[] = [];
  traffic?: Traffic;
  private current?: ChapterRecord;

  constructor(readonly world: World, private readonly say: (line: string) => void) {
    this.person = new Person(world.github.apiUrl, world.repository, world.owner);
  }

  async chapter(name: ChapterName, title: string, body: () => Promise<void>): Promise<void> {
    const record: ChapterRecord = { name, title, startedAt: new Date(), finishedAt: new Date(), runs: [], lines: [], problems: [] };
    this.chapters.push(record);
    this.current = record;
    this.say(`== ${title}`);
    const before = this.world.dispatcher.runs.length;
    try {
      await body();
    } catch (error) {
      record.problems.push((error as Error).message);
    }
    await this.world.dispatcher.idle();
    record.runs = this.world.dispatcher.runs.slice(before).map((r) => r.id);
    record.finishedAt = new Date();
    for (const p of record.problems) this.say(`   problem: ${p}`);
  }

  note(line: string): void {
    this.current!.lines.push(line);
    this.say(`   ${line}`);
  }

  problem(text: string): void {
    this.current!.problems.push(text);
  }

  /** Waits for every run the last step started; returns the newest run of `workflow`. */
  async settle(workflow: string): Promise<RunRecord | undefined> {
    await this.world.dispatcher.idle();
    const run = this.world.dispatcher.runs.filter((r) => r.name === workflow).at(-1);
    if (!run) this.problem(`no ${workflow} run started`);
    return run;
  }

  /** Holds a run to the job results GitHub would show; a job not listed must have been skipped. */
  expectJobs(run: RunRecord | undefined, expected: Record<string, string>): void {
    if (!run) return;
    const got = Object.fromEntries(run.jobs.map((j) => [j.key, j.result]));
    for (const [key, result] of Object.entries(got)) {
      const want = expected[key] ?? 'skipped';
      if (result !== want) {
        const job = run.jobs.find((j) => j.key === key)!;
        const why = job.reason ?? job.steps.find((s) => s.error)?.error ?? job.log.slice(-6).join(' | ');
        this.problem(`${run.name} run ${run.id}: job '${key}' ended ${result}, expected ${want}${why ? ` (${why})` : ''}`);
      }
    }
    for (const key of Object.keys(expected)) if (!(key in got)) this.problem(`${run.name} run ${run.id}: no job '${key}'`);
    this.note(`${run.name} run ${run.id}: ${run.result} in ${seconds(run.startedAt, run.finishedAt)}`);
  }

  async commentsWith(number: number, marker: string): Promise<string | undefined> {
    return (await this.person.comments(number)).find((c) => c.body?.includes(marker))?.body;
  }

  /** The open pull request whose head branch starts with `prefix`. */
  async pullRequest(prefix: string): Promise<{ number: number; title: string } | undefined> {
    return (await this.person.pullRequests()).find((p) => p.head.ref.startsWith(prefix));
  }

  /** Version N registered in dev, copied into staging's and prod's registries under the same number. */
  async share(version: number): Promise<void> {
    const { dev } = this.world.accounts;
    const { model, metrics } = await readVersion(dev.account, modelPackageArn(dev.environment, version));
    for (const name of ['staging', 'prod'] as const) {
      const target = this.world.accounts[name];
      await registerVersion(target.account, target.environment, target.bucket, model, String(version), metrics);
    }
    this.note(`${GROUP} v${version} copied from dev's registry to staging's and prod's, as a registry replication would`);
  }

  async stackVersion(env: EnvironmentName): Promise<string> {
    const { account } = this.world.accounts[env];
    try {
      const stack = (await new CloudFormationClient(account).send(new DescribeStacksCommand({ StackName: stackOf(env) }))).Stacks![0];
      const arn = stack.Parameters?.find((p) => p.ParameterKey === 'ModelPackageArn')?.ParameterValue ?? '';
      return `${arn.split('/').pop()} (${stack.StackStatus})`;
    } catch {
      return 'nothing';
    }
  }

  pinned(env: EnvironmentName): string {
    const file = this.world.github.repository(this.world.repository).git.file('main', `environments/${env}.yaml`);
    return file?.content.toString().match(/^ {2}version: (\S+)/m)?.[1] ?? 'unknown';
  }
}

/** ci on a pull request: the metrics, and the plan in each environment (matrix legs are keyed by index). */
const PR_CHECKS = { 'metrics': 'success', 'plan (0)': 'success', 'plan (1)': 'success', 'plan (2)': 'success' };

const DEPLOYED = (envs: EnvironmentName[]) => Object.fromEntries([
  ['changes', 'success'],
  ...envs.flatMap((e) => [[`${e} / deploy`, 'success'], [`${e} / record`, 'success']]),
]);

/** A change to the model reviewed on its pull request, merged, built into a candidate and proposed for promotion. */
async function change(story: Story): Promise<void> {
  const { person } = story;
  await person.branch('tune-learning-rate', {
    'pipelines/churn.ts': (t) => t.replace("parameter('LearningRate', 'Float', { default: 0.08 })", "parameter('LearningRate', 'Float', { default: 0.1 })"),
  }, 'Raise the learning rate to 0.1');
  const pr = await person.openPullRequest('tune-learning-rate', 'Raise the learning rate to 0.1', 'Trains faster on the churn data; the metrics comment shows what it gives.');
  story.note(`pull request #${pr} opened: Raise the learning rate to 0.1`);
  story.expectJobs(await story.settle('ci'), PR_CHECKS);
  const metrics = await story.commentsWith(pr, 'sagemaker-gitops:gate-metrics');
  if (metrics) story.note(`#${pr} has the metrics comment`);
  else story.problem(`pull request #${pr} has no metrics comment`);
  await person.merge(pr);
  story.note(`#${pr} merged: model-build starts on the push to main`);
  await modelBuilt(story);
}

/** After model-build: its run, the promotion pull request and its plan comment. */
async function modelBuilt(story: Story): Promise<void> {
  story.expectJobs(await story.settle('model-build'), { build: 'success' });
  const promotion = await story.pullRequest(`promote/${GROUP}-v1`);
  if (!promotion) return story.problem('model-build opened no promotion pull request');
  story.note(`promotion pull request #${promotion.number}: ${promotion.title}`);
  const ci = story.world.dispatcher.runs.filter((r) => r.name === 'ci' && r.event === 'pull_request').at(-1);
  story.expectJobs(ci, PR_CHECKS);
  if (await story.commentsWith(promotion.number, 'sagemaker-gitops:plan')) story.note(`#${promotion.number} has the plan comment`);
  else story.problem(`promotion pull request #${promotion.number} has no plan comment`);
  await story.share(1);
}

async function deploy(story: Story, played: ChapterName[]): Promise<void> {
  const { person, world } = story;
  if (!played.includes('change')) {
    story.note('no model change played: model-build is dispatched by hand, as its "Run workflow" button does');
    await person.dispatch('model-build.yml');
    await modelBuilt(story);
  }
  const promotion = await story.pullRequest(`promote/${GROUP}-v1`);
  if (!promotion) return story.problem('there is no promotion pull request to merge');
  const merged = await person.merge(promotion.number);
  story.note(`#${promotion.number} merged: model-deploy starts on the push to main`);
  story.expectJobs(await story.settle('model-deploy'), DEPLOYED([...ENVIRONMENTS]));
  const git = world.github.repository(world.repository).git;
  for (const env of ENVIRONMENTS) {
    if (git.resolve(`refs/tags/deployed/${env}`) !== merged) story.problem(`deployed/${env} does not point at the promotion's merge commit`);
  }
  story.traffic = new Traffic(world.accounts.prod.account, endpointOf('prod'), sampleRows()).start();
  story.note(`traffic on ${endpointOf('prod')} from now on`);
}

async function canary(story: Story): Promise<void> {
  const { person, world } = story;
  const { dev } = world.accounts;
  const v1 = await readVersion(dev.account, modelPackageArn(dev.environment, 1));
  // Better on paper than v1, and broken under load: only a canary under real traffic can tell.
  const metrics = Object.fromEntries(Object.entries(v1.metrics).map(([k, v]) => [k, Math.min(1, v + 0.01)]));
  for (const env of ENVIRONMENTS) {
    const { account, environment, bucket } = world.accounts[env];
    const image = `${environment.config.account}.dkr.ecr.${account.region}.amazonaws.com/sagemaker-gitops/overloaded-inference:2`;
    await registerVersion(account, environment, bucket, v1.model, '2', metrics, image);
  }
  story.note(`${GROUP} v2 registered in every account: metrics a little better than v1, a server that fails under sustained load`);
  const edits = Object.fromEntries(ENVIRONMENTS.map((e) => [`environments/${e}.yaml`, (t: string) => t.replace(/^ {2}version: 1$/m, '  version: 2')]));
  await person.branch(`promote/${GROUP}-v2`, edits, `Promote ${GROUP} v2`);
  const pr = await person.openPullRequest(`promote/${GROUP}-v2`, `Promote ${GROUP} v2 to dev, staging, prod`, 'A candidate whose offline metrics beat v1.');
  story.expectJobs(await story.settle('ci'), PR_CHECKS);
  await person.merge(pr);
  story.note(`#${pr} merged: model-deploy starts`);
  const run = await story.settle('model-deploy');
  story.expectJobs(run, { ...DEPLOYED(['dev', 'staging']), 'prod / deploy': 'failure', 'reconcile': 'success' });
  const prod = run?.jobs.find((j) => j.key === 'prod / deploy');
  const alarm = prod?.log.join('\n').match(/alarm (\S*5xx\S*)/i)?.[1] ?? prod?.log.join('\n').match(/(\S+-5xx-rate)/)?.[1];
  if (alarm) story.note(`prod's canary was rolled back: alarm ${alarm} fired`);
  else story.problem("prod's deploy failed without naming the 5XX alarm");
  const reconcile = await story.pullRequest('reconcile/');
  if (reconcile) story.note(`reconcile pull request #${reconcile.number}: ${reconcile.title}`);
  else story.problem('no pull request puts prod\'s pin back to what runs');
}

async function rollback(story: Story): Promise<void> {
  const { person } = story;
  await person.dispatch('rollback.yml', { target: 'previous' });
  story.expectJobs(await story.settle('rollback'), { revert: 'success' });
  const revert = await story.pullRequest('rollback/');
  if (!revert) return story.problem('rollback opened no pull request');
  story.note(`rollback pull request #${revert.number}: ${revert.title}`);
  // The revert puts every pin back, prod's included: the reconcile pull request is no longer needed.
  const reconcile = await story.pullRequest('reconcile/');
  if (reconcile) await person.close(reconcile.number, `Superseded by #${revert.number}, which reverts the promotion in every environment.`);
  await person.merge(revert.number);
  story.note(`#${revert.number} merged: model-deploy puts v1 back`);
  story.expectJobs(await story.settle('model-deploy'), DEPLOYED([...ENVIRONMENTS]));
}

/** Feature rows of the sample, as the prod endpoint's callers send them. */
function sampleRows(): string[] {
  return readFileSync('containers/data/sample.csv', 'utf8').trim().split('\n').slice(1, 21).map((l) => l.split(',').slice(1).join(','));
}

export async function playStory(world: World, chapters: ChapterName[], say: (line: string) => void): Promise<StoryRecord> {
  const story = new Story(world, say);
  const titles: Record<ChapterName, string> = {
    change: 'A model change: pull request, CI metrics, merge, model-build, promotion pull request with its plan',
    deploy: 'The promotion merged: model-deploy to dev, staging (approved) and prod (approved, canary)',
    canary: 'A bad candidate: prod\'s canary trips the 5XX alarm and is rolled back',
    rollback: 'A rollback by revert: every environment back to the good version',
  };
  const bodies: Record<ChapterName, () => Promise<void>> = {
    change: () => change(story),
    deploy: () => deploy(story, chapters),
    canary: () => canary(story),
    rollback: () => rollback(story),
  };
  for (const name of chapters) {
    await story.chapter(name, titles[name], bodies[name]);
    if (story.chapters.at(-1)!.problems.length) break;
  }
  const traffic = await story.traffic?.stop();
  const versions = {} as StoryRecord['versions'];
  for (const env of ENVIRONMENTS) versions[env] = { pinned: story.pinned(env), running: await story.stackVersion(env) };
  const { dev } = world.accounts;
  const metrics = await readVersion(dev.account, modelPackageArn(dev.environment, 1))
    .then((v) => v.metrics, () => ({}));
  const problems = story.chapters.flatMap((c) => c.problems.map((p) => `${c.name}: ${p}`));
  // After the canary alone, prod's pin waits for its reconcile pull request; otherwise git and AWS must agree.
  for (const env of chapters.at(-1) === 'canary' ? [] : ENVIRONMENTS) {
    if (versions[env].running !== 'nothing' && !versions[env].running.startsWith(`${versions[env].pinned} `)) {
      problems.push(`${env}: git pins ${versions[env].pinned}, its endpoint runs ${versions[env].running}`);
    }
  }
  return { chapters: story.chapters, versions, metrics, traffic, problems };
}
