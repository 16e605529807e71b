// What a run produces and what the runner asks of its surroundings (the GitHub stand-in, the
// twin): kept apart so that the runner itself knows neither.
import type { Annotation } from './commands.js';
import type { ConcurrencyGroups } from './concurrency.js';
import type { Combination } from './matrix.js';
import type { Permissions } from '../permissions.js';

export type Result = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface StepRecord {
  id: string;
  name: string;
  outcome: Result;
  conclusion: Result;
  outputs: Record<string, string>;
  seconds: number;
  /** Why the step failed, in the runner's words (exit code, timeout, an unknown action). */
  error?: string;
}

export interface JobRecord {
  /** Unique within the run: the job id, the matrix leg and the calling job for reusable ones. */
  key: string;
  id: string;
  name: string;
  workflow: string;
  result: Result;
  outputs: Record<string, string>;
  steps: StepRecord[];
  log: string[];
  summary: string;
  annotations: Annotation[];
  environment?: string;
  matrix?: Combination;
  /** continue-on-error: a failure of this job does not fail the run. */
  continueOnError?: boolean;
  /** Why the job ended as it did when no step says it (skipped, rejected, timed out, replaced). */
  reason?: string;
  startedAt: Date;
  finishedAt: Date;
}

export interface RunRecord {
  id: number;
  workflow: string;
  name: string;
  event: string;
  result: Result;
  jobs: JobRecord[];
  /** A called workflow's outputs. */
  outputs: Record<string, string>;
  startedAt: Date;
  finishedAt: Date;
}

export interface JobIdentity {
  run: { id: number; workflow: string };
  job: string;
  environment?: string;
  permissions: Permissions;
  ref: string;
  sha: string;
}

/** A third-party action's local equivalent: what it does to the job, given its inputs. */
export interface LocalAction {
  /** The commit SHAs the workflows may pin it at, with their versions (for the error on another). */
  pins: Record<string, string>;
  run(ctx: LocalActionContext): Promise<{ outputs?: Record<string, string>; env?: Record<string, string>; path?: string[]; secrets?: string[] }>;
}

export interface LocalActionContext {
  inputs: Record<string, string>;
  env: Record<string, string>;
  identity: JobIdentity;
  workspace: string;
  log: (line: string) => void;
}

export interface EnvironmentScope {
  secrets: Record<string, string>;
  vars: Record<string, string>;
}

export interface RunnerHooks {
  /** Node 24, which runs every `uses: ./actions/*` as GitHub's runner does. */
  node: string;
  /** Third-party actions by `owner/name`; any other `uses:` is an error that names it. */
  actions: Record<string, LocalAction>;
  /** Resolves when the environment's protection rules pass; `approved: false` fails the job. */
  approve?(identity: JobIdentity, environment: string): Promise<{ approved: boolean; by?: string; comment?: string }>;
  /** The environment's own secrets and variables, visible once the job starts. */
  environment?(name: string): Promise<EnvironmentScope>;
  /** The job's GITHUB_TOKEN, carrying its permissions. */
  token?(identity: JobIdentity): Promise<string>;
  /** For `id-token: write`: what ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set to. */
  idTokenRequest?(identity: JobIdentity): Promise<{ url: string; token: string }>;
  /** A reason to leave a job out (it would run here, but not offline), or undefined to run it. */
  skip?(workflow: string, job: string): string | undefined;
  /** A progress line while the run goes on. */
  progress?(line: string): void;
}

export interface RunOptions {
  /** The working copy at the event's commit: what checkout gives and what `./` refers to. */
  workspace: string;
  /** The workflow file, relative to the workspace. */
  workflow: string;
  event: string;
  payload: Record<string, unknown>;
  repository: string;
  sha: string;
  ref: string;
  actor: string;
  runId: number;
  runNumber: number;
  serverUrl: string;
  apiUrl: string;
  inputs?: Record<string, unknown>;
  secrets: Record<string, string>;
  vars: Record<string, string>;
  /** The environment every step starts from (PATH, HOME, AWS_ENDPOINT_URL, ...). */
  baseEnv: Record<string, string>;
  /** Where the runner keeps RUNNER_TEMP and the file commands; one folder per job under it. */
  tempDir: string;
  hooks: RunnerHooks;
  concurrency: ConcurrencyGroups;
  signal?: AbortSignal;
}
