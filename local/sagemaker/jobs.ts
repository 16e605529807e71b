// Processing and training jobs run the container code in containers/ as host processes under the
// SageMaker contract: inputs copied from the twin's S3 into a sandbox standing in for /opt/ml,
// outputs (and model.tar.gz) copied back to S3 when the process succeeds.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type {
  ListProcessingJobsRequest,
  ListTrainingJobsRequest,
  CreateProcessingJobRequest,
  CreateTrainingJobRequest,
  DescribeProcessingJobRequest,
  DescribeTrainingJobRequest,
} from '@aws-sdk/client-sagemaker';
import { dateOf } from '../clock.js';
import { listing, type ListInput } from './listing.js';
import type { Operations, RequestContext } from '../context.js';
import { TwinError } from '../errors.js';
import { listKeys, readObject, writeObject } from '../s3/objects.js';

type Input = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Job {
  kind: 'processing' | 'training';
  name: string;
  arn: string;
  request: Input;
  status: 'InProgress' | 'Completed' | 'Failed' | 'Stopped';
  created: number;
  started?: number;
  ended?: number;
  failureReason?: string;
  exitMessage?: string;
  modelArtifacts?: string;
  metrics?: { MetricName: string; Value: number; Timestamp: number }[];
}

const jobs = (ctx: RequestContext) => ctx.store.regional<Job>('sagemaker-jobs', ctx);

export function splitS3(uri: string): { bucket: string; key: string } {
  const m = String(uri).match(/^s3:\/\/([^/]+)\/?(.*)$/);
  if (!m) throw new TwinError('ValidationException', `'${uri}' is not an S3 URI`);
  return { bucket: m[1], key: m[2] };
}

/**
 * The folder an image was built from: the last part of its repository name, under containers/
 * (or one of `extraDirs`, where tests keep stand-in containers).
 */
export function containerFolder(repoRoot: string, image: string, extraDirs: string[] = []): string {
  const repository = String(image).split('@')[0].replace(/:[^/]*$/, '');
  const name = repository.split('/').pop() ?? '';
  const folder = [join(repoRoot, 'containers'), ...extraDirs].map((d) => join(d, name)).find((f) => existsSync(join(f, 'Dockerfile')));
  if (!folder) {
    throw new TwinError('ValidationException', `The twin runs images built from containers/: image ${image} names no folder containers/${name}`);
  }
  return folder;
}

/**
 * The image's own ENTRYPOINT and CMD (exec form), which SageMaker runs when the job names no
 * ContainerEntrypoint (ContainerEntrypoint replaces ENTRYPOINT, ContainerArguments replaces CMD).
 */
export function imageCommand(folder: string): { entrypoint: string[]; cmd: string[] } {
  const lines = readFileSync(join(folder, 'Dockerfile'), 'utf8').split('\n');
  const last = (instruction: string): string[] => {
    const line = lines.filter((l) => l.trim().startsWith(`${instruction} `)).at(-1);
    if (!line) return [];
    try {
      const value: unknown = JSON.parse(line.trim().slice(instruction.length));
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
    } catch {
      // the shell form: not what SageMaker images use
    }
    throw new TwinError('ValidationException', `The twin runs the exec form of ${instruction} only (${join(folder, 'Dockerfile')}: ${line.trim()})`);
  };
  return { entrypoint: last('ENTRYPOINT'), cmd: last('CMD') };
}

/** /opt/ml/... inside the sandbox. */
function sandboxPath(sandbox: string, containerPath: string): string {
  return join(sandbox, containerPath.replace(/^\/opt\/ml\/?/, ''));
}

function download(ctx: RequestContext, uri: string, into: string): void {
  const { bucket, key } = splitS3(uri);
  const keys = listKeys(ctx, bucket, key).filter((k) => k === key || key === '' || key.endsWith('/') || k.startsWith(`${key}/`));
  if (keys.length === 0) throw new TwinError('ValidationException', `No S3 objects found under ${uri}`);
  for (const k of keys) {
    const rel = k === key ? k.split('/').pop()! : k.slice(key.replace(/\/$/, '').length).replace(/^\//, '');
    const target = join(into, rel);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, readObject(ctx, bucket, k));
  }
}

function upload(ctx: RequestContext, folder: string, uri: string): void {
  if (!existsSync(folder)) return;
  const { bucket, key } = splitS3(uri);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else writeObject(ctx, bucket, `${key.replace(/\/$/, '')}/${relative(folder, full)}`, readFileSync(full));
    }
  };
  walk(folder);
}

/** The Python that runs container code: the project's .venv (TWIN_PYTHON overrides). */
export function python(repoRoot: string): string {
  const venv = join(repoRoot, '.venv', 'bin', 'python');
  return process.env.TWIN_PYTHON ?? (existsSync(venv) ? venv : 'python3');
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (error) => resolve({ code: -1, output: error.message }));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

export function lastLines(text: string, n = 5): string {
  return text.trim().split('\n').slice(-n).join('\n');
}

/** What a container wrote to /opt/ml/output/<name> (failure, message), at most 1 KiB as SageMaker keeps it. */
function containerOutput(sandbox: string, name: 'failure' | 'message'): string | undefined {
  const file = join(sandbox, 'output', name);
  return existsSync(file) ? readFileSync(file, 'utf8').slice(0, 1024) : undefined;
}

async function execute(ctx: RequestContext, job: Job, repoRoot: string): Promise<Job> {
  const sandbox = join(ctx.store.dir, 'jobs', job.name, 'opt_ml');
  rmSync(sandbox, { recursive: true, force: true });
  mkdirSync(sandbox, { recursive: true });
  const r = job.request;
  const update = (change: Partial<Job>) => jobs(ctx).update(job.name, (j) => Object.assign(j, change))!;
  update({ started: Date.now() });
  try {
    if (job.kind === 'processing') {
      const folder = containerFolder(repoRoot, r.AppSpecification.ImageUri);
      for (const input of r.ProcessingInputs ?? []) download(ctx, input.S3Input.S3Uri, sandboxPath(sandbox, input.S3Input.LocalPath));
      // SageMaker hands a processing container its own request here; monitoring containers read Environment from it.
      mkdirSync(join(sandbox, 'config'), { recursive: true });
      writeFileSync(join(sandbox, 'config', 'processingjobconfig.json'), JSON.stringify({ ...r, ProcessingJobArn: job.arn }));
      const image = imageCommand(folder);
      const given: string[] | undefined = r.AppSpecification.ContainerEntrypoint;
      const [entry, ...entryArgs] = given ?? image.entrypoint;
      if (!entry) throw new TwinError('ValidationException', `The image of ${folder} has no ENTRYPOINT and the job names no ContainerEntrypoint`);
      const command = /^python3?$/.test(entry) ? python(repoRoot) : entry;
      const env = { ...process.env, ...(r.Environment ?? {}), OPT_ML: sandbox, PYTHONPATH: folder };
      const args = r.AppSpecification.ContainerArguments ?? (given ? [] : image.cmd);
      const result = await run(command, [...entryArgs, ...args], folder, env);
      if (result.code !== 0) {
        const reason = containerOutput(sandbox, 'failure') ?? lastLines(result.output);
        return update({ status: 'Failed', ended: Date.now(), failureReason: `AlgorithmError: ${reason}` });
      }
      for (const output of r.ProcessingOutputConfig?.Outputs ?? []) {
        upload(ctx, sandboxPath(sandbox, output.S3Output.LocalPath), output.S3Output.S3Uri);
      }
      // A monitoring container says Completed or CompletedWithViolations here; it becomes ExitMessage.
      return update({ status: 'Completed', ended: Date.now(), exitMessage: containerOutput(sandbox, 'message') });
    }
    const folder = containerFolder(repoRoot, r.AlgorithmSpecification.TrainingImage);
    const config = join(sandbox, 'input', 'config');
    mkdirSync(config, { recursive: true });
    writeFileSync(join(config, 'hyperparameters.json'), JSON.stringify(r.HyperParameters ?? {}));
    writeFileSync(join(config, 'resourceconfig.json'), JSON.stringify({ current_host: 'algo-1', hosts: ['algo-1'] }));
    writeFileSync(join(config, 'inputdataconfig.json'), JSON.stringify(Object.fromEntries((r.InputDataConfig ?? []).map((c: Input) => [c.ChannelName, { ContentType: c.ContentType }]))));
    for (const channel of r.InputDataConfig ?? []) download(ctx, channel.DataSource.S3DataSource.S3Uri, join(sandbox, 'input', 'data', channel.ChannelName));
    const result = await run(python(repoRoot), [join(folder, 'train')], folder, { ...process.env, ...(r.Environment ?? {}), OPT_ML: sandbox, PYTHONPATH: folder });
    const metrics = (r.AlgorithmSpecification.MetricDefinitions ?? []).flatMap((d: { Name: string; Regex: string }) => {
      const m = result.output.match(new RegExp(d.Regex));
      return m ? [{ MetricName: d.Name, Value: Number(m[1]), Timestamp: Date.now() }] : [];
    });
    if (result.code !== 0) {
      const reason = containerOutput(sandbox, 'failure') ?? lastLines(result.output);
      return update({ status: 'Failed', ended: Date.now(), failureReason: `AlgorithmError: ${reason}`, metrics });
    }
    const archive = join(sandbox, 'model.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', join(sandbox, 'model'), '.']);
    const { bucket, key } = splitS3(r.OutputDataConfig.S3OutputPath);
    const artifactKey = `${key.replace(/\/$/, '')}/${job.name}/output/model.tar.gz`.replace(/^\//, '');
    writeObject(ctx, bucket, artifactKey, readFileSync(archive), 'application/x-tar');
    return update({ status: 'Completed', ended: Date.now(), modelArtifacts: `s3://${bucket}/${artifactKey}`, metrics });
  } catch (error) {
    const reason = error instanceof TwinError ? error.message : `InternalServerError: ${(error as Error).message}`;
    return update({ status: 'Failed', ended: Date.now(), failureReason: reason });
  }
}

/** Records a job and runs it; the promise settles when the job ends (the API does not wait for it). */
export function startJob(ctx: RequestContext, kind: Job['kind'], name: string, request: Input, repoRoot: string): Promise<Job> {
  if (jobs(ctx).has(name)) throw new TwinError('ResourceInUse', `Job name must be unique within an AWS account and region, and a job with this name already exists (${name})`);
  const job: Job = { kind, name, arn: `arn:aws:sagemaker:${ctx.region}:${ctx.account}:${kind}-job/${name.toLowerCase()}`, request, status: 'InProgress', created: Date.now() };
  jobs(ctx).set(name, job);
  return execute(ctx, job, repoRoot);
}

export function describeJob(ctx: RequestContext, kind: Job['kind'], name: string): Record<string, unknown> {
  const job = jobs(ctx).get(name);
  if (!job || job.kind !== kind) throw new TwinError('ResourceNotFound', 'Requested resource not found.');
  const r = job.request;
  const common = {
    CreationTime: dateOf(job.created),
    LastModifiedTime: dateOf(job.ended ?? job.started ?? job.created),
    FailureReason: job.failureReason,
    RoleArn: r.RoleArn,
  };
  if (kind === 'processing') {
    return {
      ...common,
      ProcessingJobName: job.name,
      ProcessingJobArn: job.arn,
      ProcessingJobStatus: job.status,
      ProcessingInputs: r.ProcessingInputs,
      ProcessingOutputConfig: r.ProcessingOutputConfig,
      ProcessingResources: r.ProcessingResources,
      StoppingCondition: r.StoppingCondition,
      AppSpecification: r.AppSpecification,
      Environment: r.Environment,
      ProcessingStartTime: dateOf(job.started),
      ProcessingEndTime: dateOf(job.ended),
      ExitMessage: job.exitMessage ?? job.failureReason,
    };
  }
  return {
    ...common,
    TrainingJobName: job.name,
    TrainingJobArn: job.arn,
    TrainingJobStatus: job.status,
    SecondaryStatus: job.status === 'InProgress' ? 'Training' : job.status,
    AlgorithmSpecification: r.AlgorithmSpecification,
    HyperParameters: r.HyperParameters,
    InputDataConfig: r.InputDataConfig,
    // SageMaker always answers a KmsKeyId ('' without one); the SageMaker Python SDK's Estimator.attach reads it.
    OutputDataConfig: { KmsKeyId: '', ...r.OutputDataConfig },
    ResourceConfig: r.ResourceConfig,
    StoppingCondition: r.StoppingCondition,
    ModelArtifacts: job.modelArtifacts ? { S3ModelArtifacts: job.modelArtifacts } : undefined,
    TrainingStartTime: dateOf(job.started),
    TrainingEndTime: dateOf(job.ended),
    FinalMetricDataList: job.metrics?.map((m) => ({ ...m, Timestamp: dateOf(m.Timestamp) })),
  };
}

/** A job as ListProcessingJobs and ListTrainingJobs summarise it, their members named by the kind. */
function jobSummary(kind: 'Processing' | 'Training', j: Job): Record<string, unknown> {
  return {
    [`${kind}JobName`]: j.name,
    [`${kind}JobArn`]: j.arn,
    CreationTime: dateOf(j.created),
    [`${kind}EndTime`]: dateOf(j.ended),
    LastModifiedTime: dateOf(j.ended ?? j.started ?? j.created),
    [`${kind}JobStatus`]: j.status,
  };
}

function listJobs(ctx: RequestContext, kind: Job['kind'], input: ListInput) {
  const mine = jobs(ctx).values().filter((j) => j.kind === kind);
  return listing(mine, input, { name: (j) => j.name, created: (j) => j.created, status: (j) => j.status });
}

interface JobInputs {
  CreateProcessingJob: CreateProcessingJobRequest;
  DescribeProcessingJob: DescribeProcessingJobRequest;
  CreateTrainingJob: CreateTrainingJobRequest;
  DescribeTrainingJob: DescribeTrainingJobRequest;
  ListProcessingJobs: ListProcessingJobsRequest;
  ListTrainingJobs: ListTrainingJobsRequest;
}

export function jobOperations(repoRoot: string): Operations<JobInputs> {
  return {
    CreateProcessingJob: (input, ctx) => {
      const running = startJob(ctx, 'processing', String(input.ProcessingJobName), input, repoRoot);
      void running;
      return { ProcessingJobArn: jobs(ctx).get(String(input.ProcessingJobName))!.arn };
    },
    DescribeProcessingJob: (input, ctx) => describeJob(ctx, 'processing', String(input.ProcessingJobName)),
    CreateTrainingJob: (input, ctx) => {
      const running = startJob(ctx, 'training', String(input.TrainingJobName), input, repoRoot);
      void running;
      return { TrainingJobArn: jobs(ctx).get(String(input.TrainingJobName))!.arn };
    },
    DescribeTrainingJob: (input, ctx) => describeJob(ctx, 'training', String(input.TrainingJobName)),
    ListProcessingJobs: (input, ctx) => {
      const { items, next } = listJobs(ctx, 'processing', input);
      return { ProcessingJobSummaries: items.map((j) => ({ ...jobSummary('Processing', j), FailureReason: j.failureReason })), NextToken: next };
    },
    ListTrainingJobs: (input, ctx) => {
      const { items, next } = listJobs(ctx, 'training', input);
      return { TrainingJobSummaries: items.map((j) => jobSummary('Training', j)), NextToken: next };
    },
  };
}
