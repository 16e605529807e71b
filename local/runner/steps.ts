// One step as GitHub's runner runs it: `run:` through GitHub's shells, `uses: ./path` from the
// action's bundle under Node 24, `uses: owner/name@sha` through its local equivalent; then the
// file commands it wrote, its outcome and its conclusion.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter, isString } from '@actions/workflow-parser';
import { convertActionTemplate, parseAction, type ActionRunsNode } from '@actions/workflow-parser/actions/index';
import type { Step } from '@actions/workflow-parser/model/workflow-template';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import { CommandError, Masker, parseKeyValueFile, parsePathFile, WorkflowCommandReader, type Annotation } from './commands.js';
import { asText, evaluate, truthy, type Contexts, type Status } from './expressions.js';
import { runProcess } from './process.js';
import type { JobIdentity, Result, RunnerHooks, StepRecord } from './types.js';
import { evaluateStrings, evaluateToken, field, WorkflowError } from './workflow.js';

/** What a step reads from and writes to its job. */
export interface JobState {
  workspace: string;
  tempDir: string;
  hooks: RunnerHooks;
  identity: JobIdentity;
  /** The job's env so far: workflow, job, then what GITHUB_ENV added. */
  env: Record<string, string>;
  /** GITHUB_* and RUNNER_* for every process. */
  defaultEnv: Record<string, string>;
  baseEnv: Record<string, string>;
  path: string[];
  contexts: () => Contexts;
  steps: Record<string, { outputs: Record<string, string>; outcome: Result; conclusion: Result }>;
  failed: boolean;
  cancelled: boolean;
  /** Epoch ms the job must end by. */
  deadline: number;
  defaults: { shell?: string; workingDirectory?: string };
  masker: Masker;
  log: (line: string) => void;
  annotate: (a: Annotation) => void;
  summary: string[];
  /** Post steps of the actions run so far, run last-first when the job ends. */
  post: (() => Promise<void>)[];
  signal: AbortSignal;
}

const SHELLS: Record<string, { command: string; args: string[]; ext: string }> = {
  default: { command: 'bash', args: ['-e', '{0}'], ext: '.sh' },
  bash: { command: 'bash', args: ['--noprofile', '--norc', '-eo', 'pipefail', '{0}'], ext: '.sh' },
  sh: { command: 'sh', args: ['-e', '{0}'], ext: '.sh' },
  python: { command: 'python', args: ['{0}'], ext: '.py' },
};

function shellFor(shell: string | undefined): { command: string; args: string[]; ext: string } {
  if (shell === undefined || shell === '') return SHELLS.default;
  if (SHELLS[shell]) return SHELLS[shell];
  if (shell.includes('{0}')) {
    const [command, ...args] = shell.split(/\s+/);
    return { command, args, ext: '' };
  }
  throw new WorkflowError(`shell '${shell}' is not one the local runner has: use bash, sh, python or a command with {0}`);
}

function status(state: JobState): Status {
  return { failed: state.failed, cancelled: state.cancelled, workspace: state.workspace };
}

let fileCounter = 0;

/** The file commands' files for one step, empty, and the env that points at them. */
interface FileCommandTexts {
  output: string;
  env: string;
  path: string;
  state: string;
  summary: string;
}

function fileCommands(state: JobState): { env: Record<string, string>; read: () => FileCommandTexts } {
  const dir = join(state.tempDir, '_runner_file_commands');
  mkdirSync(dir, { recursive: true });
  const n = ++fileCounter;
  const files = { GITHUB_OUTPUT: `set_output_${n}`, GITHUB_ENV: `set_env_${n}`, GITHUB_PATH: `add_path_${n}`, GITHUB_STATE: `save_state_${n}`, GITHUB_STEP_SUMMARY: `step_summary_${n}` };
  const env: Record<string, string> = {};
  for (const [k, f] of Object.entries(files)) {
    env[k] = join(dir, f);
    writeFileSync(env[k], '');
  }
  const text = (k: keyof typeof files) => readFileSync(env[k], 'utf8');
  return { env, read: () => ({ output: text('GITHUB_OUTPUT'), env: text('GITHUB_ENV'), path: text('GITHUB_PATH'), state: text('GITHUB_STATE'), summary: text('GITHUB_STEP_SUMMARY') }) };
}

/** Runs a process for a step, its stdout read for workflow commands and every line masked. */
async function runLogged(state: JobState, command: string, args: string[], cwd: string, env: Record<string, string>, timeoutMs: number) {
  const reader = new WorkflowCommandReader();
  const result = await runProcess({
    command,
    args,
    cwd,
    env,
    timeoutMs,
    signal: state.signal,
    onStdout: (line) => {
      const event = reader.read(line);
      if (event.kind === 'mask') {state.masker.add(event.value);} else if (event.kind === 'annotation') {
        const annotation = { ...event.annotation, message: state.masker.mask(event.annotation.message) };
        state.annotate(annotation);
        state.log(`${annotation.level === 'error' ? 'Error' : annotation.level === 'warning' ? 'Warning' : 'Notice'}: ${annotation.message}`);
      } else if (event.kind === 'group') {state.log(`▸ ${state.masker.mask(event.title)}`);} else if (event.kind === 'line') {state.log(state.masker.mask(event.text));}
    },
    onStderr: (line) => state.log(state.masker.mask(line)),
  });
  return result;
}

/** Applies what the step wrote to its file commands; a malformed file fails the step. */
function applyFileCommands(state: JobState, files: FileCommandTexts): { outputs: Record<string, string>; savedState: Record<string, string> } {
  const outputs = parseKeyValueFile(files.output, 'GITHUB_OUTPUT');
  Object.assign(state.env, parseKeyValueFile(files.env, 'GITHUB_ENV'));
  state.path.unshift(...parsePathFile(files.path));
  const savedState = parseKeyValueFile(files.state, 'GITHUB_STATE');
  if (Buffer.byteLength(files.summary) > 1024 * 1024) {
    state.annotate({ level: 'error', message: 'The step summary is larger than 1 MiB and was not uploaded', properties: {} });
  } else if (files.summary) {
    state.summary.push(state.masker.mask(files.summary));
  }
  return { outputs, savedState };
}

function processEnv(state: JobState, stepEnv: Record<string, string>, extra: Record<string, string>): Record<string, string> {
  const env = { ...state.baseEnv, ...state.defaultEnv, ...stepEnv, ...extra };
  env.PATH = [...state.path, state.baseEnv.PATH ?? ''].filter(Boolean).join(':');
  return env;
}

function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** A `uses: ./path` JavaScript action: its metadata, read and checked by GitHub's action parser. */
function loadLocalAction(workspace: string, uses: string) {
  const dir = join(workspace, uses);
  const file = ['action.yml', 'action.yaml'].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!file) throw new WorkflowError(`uses: ${uses}: no action.yml in ${dir}`);
  const parsed = parseAction({ name: file, content: readFileSync(file, 'utf8') }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length || !parsed.value) throw new WorkflowError(`uses: ${uses}: ${file} is not a valid action:\n${errors.join('\n')}`);
  const action = convertActionTemplate(parsed.context, parsed.value);
  if (!action.runs.using.startsWith('node')) throw new WorkflowError(`uses: ${uses}: runs.using '${action.runs.using}' is not run by the local runner (JavaScript actions only)`);
  return { dir, action, runs: action.runs as ActionRunsNode };
}

export interface StepOutcome {
  record: StepRecord;
}

/** Runs one step of the job; never throws for what the step did, only for the runner's own faults. */
export async function runStep(state: JobState, step: Step, raw: MappingToken | undefined, index: number): Promise<StepRecord> {
  const started = Date.now();
  const id = step.id;
  const baseName = step.name ? asText(evaluateToken(step.name, state.contexts(), status(state))) : 'run' in step ? `Run ${asText(evaluateToken(step.run, state.contexts(), status(state))).split('\n')[0]}` : 'uses' in step ? `Run ${step.uses.value}` : `step ${index + 1}`;
  const record: StepRecord = { id, name: baseName, outcome: 'skipped', conclusion: 'skipped', outputs: {}, seconds: 0 };
  const finish = (outcome: Result, error?: string, continueOnError = false): StepRecord => {
    record.outcome = outcome;
    record.conclusion = outcome === 'failure' && continueOnError ? 'success' : outcome;
    record.error = error;
    if (outcome === 'failure' && error) state.log(`Error: ${error}`);
    record.seconds = (Date.now() - started) / 1000;
    state.steps[id] = { outputs: record.outputs, outcome: record.outcome, conclusion: record.conclusion };
    if (record.conclusion === 'failure') state.failed = true;
    return record;
  };

  if (!('run' in step) && !('uses' in step)) return finish('failure', `step ${index + 1}: only run: and uses: steps are run by the local runner`);
  const condition = step.if ? truthy(evaluate(step.if.expression, state.contexts(), status(state))) : !state.failed && !state.cancelled;
  if (!condition) return finish('skipped');
  state.log(`▶ ${record.name}`);

  let continueOnError = false;
  try {
    const coe = step['continue-on-error'];
    continueOnError = typeof coe === 'boolean' ? coe : coe ? truthy(evaluateToken(coe, state.contexts(), status(state))) : false;
    const stepEnv = { ...state.env, ...evaluateStrings(step.env, state.contexts(), status(state)) };
    const contexts = { ...state.contexts(), env: stepEnv };
    const timeoutToken = field(raw, 'timeout-minutes');
    const stepMinutes = timeoutToken ? Number(evaluateToken(timeoutToken, contexts, status(state))) : undefined;
    const timeoutMs = Math.max(0, Math.min(state.deadline - Date.now(), stepMinutes !== undefined ? stepMinutes * 60_000 : Infinity));
    const files = fileCommands(state);

    if ('run' in step) {
      const script = asText(evaluateToken(step.run, contexts, status(state)));
      const shellName = field(raw, 'shell') ? asText(evaluateToken(field(raw, 'shell'), contexts, status(state))) : state.defaults.shell;
      const shell = shellFor(shellName);
      const wd = field(raw, 'working-directory') ? asText(evaluateToken(field(raw, 'working-directory'), contexts, status(state))) : state.defaults.workingDirectory;
      const scriptFile = join(state.tempDir, `${id}-${started}${shell.ext}`);
      writeFileSync(scriptFile, script);
      const cwd = wd ? join(state.workspace, wd) : state.workspace;
      if (!existsSync(cwd)) return finish('failure', `working-directory ${wd} does not exist`, continueOnError);
      const result = await runLogged(state, shell.command, shell.args.map((a) => a.replace('{0}', scriptFile)), cwd, processEnv(state, stepEnv, files.env), timeoutMs);
      const { outputs } = applyFileCommands(state, files.read());
      record.outputs = outputs;
      if (result.timedOut) return finish('failure', `The action '${record.name}' has timed out after ${stepMinutes ?? 'the job\'s'} minutes.`, continueOnError);
      if (state.signal.aborted) return finish('cancelled', 'The operation was canceled.');
      if (result.exitCode !== 0) return finish('failure', `Process completed with exit code ${result.exitCode}.`, continueOnError);
      return finish('success');
    }

    const uses = step.uses.value;
    const withValues = evaluateStrings(field(raw, 'with'), contexts, status(state));
    if (uses.startsWith('./')) {
      const { dir, action, runs } = loadLocalAction(state.workspace, uses);
      const inputs: Record<string, string> = {};
      for (const def of action.inputs ?? []) {
        // A default may be an expression (`\${{ github.token }}`), evaluated in the step's contexts.
        const fallback = def.default && (isString(def.default) ? def.default.value : asText(evaluateToken(def.default, contexts, status(state))));
        inputs[def.id] = def.id in withValues ? withValues[def.id] : fallback || '';
      }
      for (const [k, v] of Object.entries(withValues)) inputs[k] ??= v;
      const inputEnv = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [inputEnvName(k), v]));
      const env = processEnv(state, stepEnv, { ...inputEnv, ...files.env, GITHUB_ACTION_PATH: dir, GITHUB_ACTION: id });
      const result = await runLogged(state, state.hooks.node, [join(dir, runs.main)], state.workspace, env, timeoutMs);
      const { outputs, savedState } = applyFileCommands(state, files.read());
      record.outputs = outputs;
      if (runs.post) {
        const postIf = runs.postIf ?? 'always()';
        state.post.unshift(async () => {
          if (!truthy(evaluate(postIf.replace(/^\$\{\{|\}\}$/g, ''), state.contexts(), status(state)))) return;
          state.log(`▶ Post ${record.name}`);
          const postFiles = fileCommands(state);
          const stateEnv = Object.fromEntries(Object.entries(savedState).map(([k, v]) => [`STATE_${k}`, v]));
          const postEnv = processEnv(state, stepEnv, { ...inputEnv, ...postFiles.env, ...stateEnv });
          const left = Math.max(0, state.deadline - Date.now());
          const post = await runLogged(state, state.hooks.node, [join(dir, runs.post!)], state.workspace, postEnv, left);
          applyFileCommands(state, postFiles.read());
          if (post.exitCode !== 0) state.failed = true;
        });
      }
      if (result.timedOut) return finish('failure', `The action '${record.name}' has timed out after ${stepMinutes ?? 'the job\'s'} minutes.`, continueOnError);
      if (state.signal.aborted) return finish('cancelled', 'The operation was canceled.');
      if (result.exitCode !== 0) return finish('failure', `Process completed with exit code ${result.exitCode}.`, continueOnError);
      return finish('success');
    }

    const m = uses.match(/^([^/@]+\/[^/@]+)(?:\/[^@]*)?@(.+)$/);
    const local = m ? state.hooks.actions[m[1]] : undefined;
    if (!m || !local) {
      return finish('failure', `uses: ${uses}: the local runner has no equivalent of this action (it has ${Object.keys(state.hooks.actions).sort().join(', ') || 'none'})`, continueOnError);
    }
    if (!local.pins[m[2]]) {
      const known = Object.entries(local.pins).map(([sha, v]) => `${sha} (${v})`).join(', ');
      return finish('failure', `uses: ${uses}: ${m[1]} must be pinned to a commit the local runner knows: ${known}`, continueOnError);
    }
    const log = (l: string) => state.log(state.masker.mask(l));
    const env = processEnv(state, stepEnv, {});
    const out = await local.run({ inputs: withValues, env, identity: state.identity, workspace: state.workspace, log });
    for (const s of out.secrets ?? []) state.masker.add(s);
    Object.assign(state.env, out.env ?? {});
    state.path.unshift(...(out.path ?? []));
    record.outputs = out.outputs ?? {};
    return finish('success');
  } catch (error) {
    const message = error instanceof CommandError || error instanceof WorkflowError ? error.message : (error as Error).message ?? String(error);
    return finish('failure', state.masker.mask(message), continueOnError);
  }
}
