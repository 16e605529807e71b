import { jest } from '@jest/globals';
import { inputEnv } from './fixtures.js';
import { createDeployClients, runDeploy } from '../../actions/deploy-stack/src/run.js';
import { actionContext } from '../../actions/lib/action.js';
import { memoryLogger } from '../../actions/lib/log.js';
import { HttpStub, queryError, queryXml } from '../helpers/http-stub.js';

const STACK_XML = '<Stacks><member><StackName>found</StackName><StackId>arn:aws:cloudformation:us-east-1:111111111111:stack/found/1</StackId><StackStatus>UPDATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime><Outputs><member><OutputKey>ArtifactBucketName</OutputKey><OutputValue>bucket-1</OutputValue></member></Outputs></member></Stacks>';

/** Advances fake timers while letting real sockets make progress, until the promise settles. */
async function driveWithIo<T>(promise: Promise<T>): Promise<T> {
  let settled = false;
  promise.finally(() => (settled = true)).catch(() => undefined);
  for (let i = 0; i < 2000 && !settled; i++) {
    await new Promise((r) => setImmediate(r));
    await jest.advanceTimersByTimeAsync(200);
  }
  return promise;
}

describe('deploy-stack through the real SDK', () => {
  const saved = { ...process.env };
  let stub: HttpStub;

  beforeEach(async () => {
    stub = await new HttpStub().start();
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret', AWS_ENDPOINT_URL: stub.url });
    jest.useFakeTimers({ now: new Date('2026-11-22T10:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  });
  afterEach(async () => {
    jest.useRealTimers();
    process.env = { ...saved };
    await stub.stop();
  });

  it('retries a throttled call and completes an empty deploy with the exact requests', async () => {
    stub.respond(
      queryError(400, 'Throttling', 'Rate exceeded'),
      queryXml('DescribeStacks', STACK_XML),
      queryXml('CreateChangeSet', '<Id>arn:aws:cloudformation:us-east-1:111111111111:changeSet/cs/1</Id><StackId>arn:aws:cloudformation:us-east-1:111111111111:stack/found/1</StackId>'),
      queryXml('DescribeChangeSet', "<Status>FAILED</Status><StatusReason>The submitted information didn't contain changes. Submit different information to create a change set.</StatusReason><Changes/>"),
      queryXml('DeleteChangeSet', ''),
      queryError(404, 'ChangeSetNotFound', 'ChangeSet [cs] does not exist'),
      queryXml('DescribeStacks', STACK_XML),
    );
    const logger = memoryLogger();
    const env = inputEnv({ 'template': 'cloudformation/foundation.yaml', 'stack-name': 'found', 'region': 'us-east-1', 'parameter-overrides': 'ProjectName=demo' });

    const result = await driveWithIo(runDeploy(actionContext(env, logger), createDeployClients));

    const actions = stub.requests.map((r) => new URLSearchParams(r.body).get('Action'));
    expect(actions).toEqual(['DescribeStacks', 'DescribeStacks', 'CreateChangeSet', 'DescribeChangeSet', 'DeleteChangeSet', 'DescribeChangeSet', 'DescribeStacks']);
    const create = new URLSearchParams(stub.requests[2].body);
    expect(create.get('ChangeSetType')).toBe('UPDATE');
    expect(create.get('ChangeSetName')).toMatch(/^gitops-20261122-1000\d\d$/);
    expect(create.get('Parameters.member.1.ParameterKey')).toBe('ProjectName');
    expect(create.get('Parameters.member.1.ParameterValue')).toBe('demo');
    expect(create.get('Capabilities.member.1')).toBe('CAPABILITY_IAM');
    expect(create.get('TemplateBody')).toContain('sagemaker-gitops foundation');
    expect(result.outputs).toEqual({ 'stack-id': 'arn:aws:cloudformation:us-east-1:111111111111:stack/found/1', 'status': 'UPDATE_COMPLETE', 'changed': false, 'endpoint-name': '', 'ArtifactBucketName': 'bucket-1' });
    expect(logger.lines[0]).toBe('warning: DescribeStacksCommand failed (Throttling: throttled, HTTP 400), attempt 1 of 6; retrying with backoff');
    expect(result.summary).toContain('| **Result** | ✅ No changes |');
  });
});
