import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { jest } from '@jest/globals';
import { createClient, lazyClient } from '../../actions/lib/aws.js';
import { memoryLogger } from '../../actions/lib/log.js';
import { PROJECT_VERSION } from '../../actions/lib/version.js';
import { HttpStub, queryError, queryXml } from '../helpers/http-stub.js';

const STACK = '<Stacks><member><StackName>app</StackName><StackId>arn:aws:cloudformation:us-east-1:1:stack/app/1</StackId><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime></member></Stacks>';

/** Lets the real loopback I/O happen while fake time runs the SDK's backoff delays. */
async function withBackoffElapsed<T>(promise: Promise<T>): Promise<T> {
  let settled = false;
  promise.finally(() => (settled = true)).catch(() => undefined);
  for (let i = 0; i < 200 && !settled; i++) {
    await new Promise((r) => setImmediate(r));
    await jest.advanceTimersByTimeAsync(250);
  }
  return promise;
}

describe('createClient', () => {
  const saved = { ...process.env };
  let stub: HttpStub;

  beforeEach(async () => {
    stub = await new HttpStub().start();
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret', AWS_ENDPOINT_URL: stub.url });
    delete process.env.AWS_PROFILE;
  });
  afterEach(async () => {
    process.env = { ...saved };
    jest.useRealTimers();
    await stub.stop();
  });

  it('reaches the endpoint in AWS_ENDPOINT_URL with the project user agent', async () => {
    stub.respond(queryXml('DescribeStacks', STACK));
    const cfn = createClient(CloudFormationClient, { region: 'us-east-1', logger: memoryLogger() });
    const out = await cfn.send(new DescribeStacksCommand({ StackName: 'app' }));
    expect(out.Stacks?.[0].StackStatus).toBe('CREATE_COMPLETE');
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0].body).toBe('Action=DescribeStacks&Version=2010-05-15&StackName=app');
    expect(String(stub.requests[0].headers['user-agent']) + String(stub.requests[0].headers['x-amz-user-agent'])).toContain(`sagemaker-gitops/${PROJECT_VERSION}`);
  });

  it('prefers the per-service variable and uses path-style S3 when an endpoint is overridden', async () => {
    const other = await new HttpStub().start();
    process.env.AWS_ENDPOINT_URL_S3 = other.url;
    other.respond({ status: 200, headers: { etag: '"e"' }, body: '' });
    const s3 = createClient(S3Client, { region: 'us-east-1', logger: memoryLogger() });
    await s3.send(new PutObjectCommand({ Bucket: 'my-bucket', Key: 'a/b.yaml', Body: 'x' }));
    expect(other.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual(['PUT /my-bucket/a/b.yaml']);
    expect(stub.requests).toHaveLength(0);
    await other.stop();
  });

  it('retries throttling with backoff and says what it retries and why', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    stub.respond(queryError(400, 'Throttling', 'Rate exceeded'), queryError(400, 'Throttling', 'Rate exceeded'), queryXml('DescribeStacks', STACK));
    const logger = memoryLogger();
    const cfn = createClient(CloudFormationClient, { region: 'us-east-1', logger, maxAttempts: 4 });
    const out = await withBackoffElapsed(cfn.send(new DescribeStacksCommand({ StackName: 'app' })));
    expect(out.Stacks?.[0].StackName).toBe('app');
    expect(stub.requests).toHaveLength(3);
    expect(stub.requests.map((r) => r.headers['amz-sdk-request'])).toEqual(['attempt=1; max=4', 'attempt=2; max=4', 'attempt=3; max=4']);
    expect(logger.lines).toEqual([
      'warning: DescribeStacksCommand failed (Throttling: throttled, HTTP 400), attempt 1 of 4; retrying with backoff',
      'warning: DescribeStacksCommand failed (Throttling: throttled, HTTP 400), attempt 2 of 4; retrying with backoff',
    ]);
  });

  it('calls an HTTP 500 a server error with its status when it retries it, not a network error', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    stub.respond(queryError(500, 'InternalFailure', 'boom'), queryXml('DescribeStacks', STACK));
    const logger = memoryLogger();
    const cfn = createClient(CloudFormationClient, { region: 'us-east-1', logger, maxAttempts: 3 });
    await withBackoffElapsed(cfn.send(new DescribeStacksCommand({ StackName: 'app' })));
    expect(logger.lines).toEqual(['warning: DescribeStacksCommand failed (InternalFailure: server error, HTTP 500), attempt 1 of 3; retrying with backoff']);
  });

  it('does not retry an error that is the caller\'s fault', async () => {
    stub.respond(queryError(400, 'ValidationError', 'Stack with id app does not exist'));
    const logger = memoryLogger();
    const cfn = createClient(CloudFormationClient, { region: 'us-east-1', logger });
    await expect(cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).rejects.toThrow('Stack with id app does not exist');
    expect(stub.requests).toHaveLength(1);
    expect(logger.lines).toEqual([]);
  });

  it('gives up on a hung request after its timeout instead of hanging the job', async () => {
    stub.respond({ ...queryXml('DescribeStacks', STACK), delayMs: 2000 });
    const cfn = createClient(CloudFormationClient, { region: 'us-east-1', logger: memoryLogger(), requestTimeoutMs: 100, maxAttempts: 1 });
    await expect(cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).rejects.toThrow(/timed? ?out|timeout/i);
  });

  it('builds a lazy client on its first send only, once, through createClient', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    stub.respond(queryError(400, 'Throttling', 'Rate exceeded'), queryXml('DescribeStacks', STACK), queryXml('DescribeStacks', STACK));
    const logger = memoryLogger();
    let loads = 0;
    const cfn = lazyClient(async () => {
      loads++;
      return CloudFormationClient;
    }, { region: 'us-east-1', logger, maxAttempts: 2 });
    expect(loads).toBe(0);
    const [first, second] = await withBackoffElapsed(Promise.all([
      cfn.send(new DescribeStacksCommand({ StackName: 'app' })),
      cfn.send(new DescribeStacksCommand({ StackName: 'app' })),
    ]));
    expect(loads).toBe(1);
    expect([first.Stacks?.[0].StackName, second.Stacks?.[0].StackName]).toEqual(['app', 'app']);
    // The retry logger and the attempt limit are createClient's: the lazy client is the same client.
    expect(logger.lines).toEqual(['warning: DescribeStacksCommand failed (Throttling: throttled, HTTP 400), attempt 1 of 2; retrying with backoff']);
    expect(stub.requests.map((r) => r.headers['amz-sdk-request'])).toEqual(['attempt=1; max=2', 'attempt=1; max=2', 'attempt=2; max=2']);
  });
});
