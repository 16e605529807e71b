// deploy-stack's plan mode: the change set a deploy would execute, shown and deleted, nothing changed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Change,
} from '@aws-sdk/client-cloudformation';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import 'aws-sdk-client-mock-jest';
import { ACCOUNT, inputEnv, mockClients, stack, STACK, STACK_ID } from './fixtures.js';
import { runDeploy } from '../../actions/deploy-stack/src/run.js';
import { actionContext } from '../../actions/lib/action.js';
import { memoryLogger } from '../../actions/lib/log.js';
import { settle } from '../helpers/timers.js';

const { mocks, clients } = mockClients();
const logger = memoryLogger();
const BASE = { 'mode': 'plan', 'template': 'cloudformation/endpoint.yaml', 'stack-name': STACK, 'environment': 'dev', 'environments-dir': 'test/fixtures/environments' };
const run = (inputs: Record<string, string> = BASE) => settle(runDeploy(actionContext({ ...inputEnv(inputs), GITHUB_RUN_ID: '7' }, logger), () => clients));
const notFound = (what: string, name: string) => Object.assign(new Error(`${what} does not exist`), { name });

const change = (Action: string, LogicalResourceId: string, ResourceType: string, Replacement?: string): Change => ({
  Type: 'Resource',
  ResourceChange: { Action: Action as 'Add', LogicalResourceId, ResourceType, Replacement: Replacement as 'True' },
});

/** The change set answers `described` until it is deleted, then no longer exists. */
function changeSet(described: object): void {
  mocks.cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs', StackId: STACK_ID });
  mocks.cfn.on(DeleteChangeSetCommand).resolves({});
  mocks.cfn.on(DescribeChangeSetCommand).resolvesOnce(described).rejects(notFound('ChangeSet', 'ChangeSetNotFoundException'));
}

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-11-22T10:00:00Z') });
  Object.values(mocks).forEach((m) => m.reset());
  logger.lines.length = 0;
  mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/plan/x` });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('deploy-stack plan mode', () => {
  it('plans a first-ever stack as a create, then deletes the change set and the empty stack it needed', async () => {
    mocks.cfn.on(DescribeStacksCommand).rejects(notFound('Stack with id churn-dev', 'ValidationError'));
    changeSet({ Status: 'CREATE_COMPLETE', Changes: [change('Add', 'Model', 'AWS::SageMaker::Model'), change('Add', 'Endpoint', 'AWS::SageMaker::Endpoint')] });
    mocks.cfn.on(DeleteStackCommand).resolves({});

    const result = await run();

    expect(mocks.cfn).toHaveReceivedCommandWith(CreateChangeSetCommand, { StackName: STACK, ChangeSetType: 'CREATE', ChangeSetName: 'plan-gitops-20261122-100000-run7' });
    expect(mocks.cfn).toHaveReceivedCommandWith(DeleteChangeSetCommand, { StackName: STACK, ChangeSetName: 'plan-gitops-20261122-100000-run7' });
    expect(mocks.cfn).toHaveReceivedCommandWith(DeleteStackCommand, { StackName: STACK });
    expect(mocks.cfn).not.toHaveReceivedCommand(ExecuteChangeSetCommand);
    expect(result.outputs).toEqual({ 'plan-markdown': result.summary, 'changed': true, 'destructive-changes': '' });
    expect(result.summary).toContain('### Plan: churn-dev (dev)');
    expect(result.summary).toContain('| **Plan** | Creates the stack: 2 change(s) |');
    expect(result.summary).toContain('|   | Add | Model | AWS::SageMaker::Model |   |');
    expect(result.summary).not.toContain('Removes or replaces');
  });

  it('flags what an update removes or replaces, first, in the log, the summary and an output', async () => {
    mocks.cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_COMPLETE'));
    changeSet({
      Status: 'CREATE_COMPLETE',
      Changes: [
        change('Modify', 'Endpoint', 'AWS::SageMaker::Endpoint', 'False'),
        change('Modify', 'Model', 'AWS::SageMaker::Model', 'True'),
        change('Modify', 'EndpointConfig', 'AWS::SageMaker::EndpointConfig', 'Conditional'),
        change('Remove', 'ArtifactBucket', 'AWS::S3::Bucket'),
      ],
    });

    const result = await run();

    expect(mocks.cfn).toHaveReceivedCommandWith(CreateChangeSetCommand, { ChangeSetType: 'UPDATE' });
    expect(mocks.cfn).not.toHaveReceivedCommand(DeleteStackCommand);
    expect(mocks.cfn).not.toHaveReceivedCommand(ExecuteChangeSetCommand);
    expect(result.outputs['destructive-changes']).toBe('Model,EndpointConfig,ArtifactBucket');
    const summary = String(result.summary);
    expect(summary).toContain('**⚠️ Removes or replaces:** `Model` (AWS::SageMaker::Model), `EndpointConfig` (AWS::SageMaker::EndpointConfig), `ArtifactBucket` (AWS::S3::Bucket)');
    const rows = summary.split('\n').filter((l) => / \| AWS::\S+ \| /.test(l));
    expect(rows).toEqual([
      '| ⚠️ replaced | Modify | Model | AWS::SageMaker::Model | True |',
      '| ⚠️ may be replaced | Modify | EndpointConfig | AWS::SageMaker::EndpointConfig | Conditional |',
      '| ⚠️ removed | Remove | ArtifactBucket | AWS::S3::Bucket |   |',
      '|   | Modify | Endpoint | AWS::SageMaker::Endpoint | False |',
    ]);
    expect(logger.lines).toContain('warning: Removes ArtifactBucket (AWS::S3::Bucket)');
    expect(logger.lines).toContain('warning: Replaces Model (AWS::SageMaker::Model): replacement True');
  });

  it('reports an empty change set as no changes, and deletes it', async () => {
    mocks.cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_COMPLETE'));
    changeSet({ Status: 'FAILED', StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set." });

    const result = await run();

    expect(result.outputs).toMatchObject({ 'changed': false, 'destructive-changes': '' });
    expect(result.summary).toContain('| **Plan** | ✅ No changes |');
    expect(mocks.cfn).toHaveReceivedCommandTimes(DeleteChangeSetCommand, 1);
    expect(mocks.cfn).not.toHaveReceivedCommand(ExecuteChangeSetCommand);
  });

  it('plans a stack in ROLLBACK_COMPLETE as a re-create of every resource, without touching it', async () => {
    mocks.cfn.on(DescribeStacksCommand).resolves(stack('ROLLBACK_COMPLETE'));

    const result = await run({ ...BASE, 'template': 'cloudformation/foundation.yaml', 'stack-name': STACK });

    expect(mocks.cfn).not.toHaveReceivedCommand(CreateChangeSetCommand);
    expect(mocks.cfn).not.toHaveReceivedCommand(DeleteStackCommand);
    expect(result.summary).toMatch(/\| \*\*Plan\*\* \| ⚠️ Re-creates the stack \(it is in ROLLBACK_COMPLETE\): \d+ resource\(s\) \|/);
    expect(result.summary).toContain('|   | Add | ArtifactBucket | AWS::S3::Bucket |   |');
  });

  it('adds its plan to the pull request\'s one plan comment, keeping the other stacks\' sections', async () => {
    mocks.cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_COMPLETE'));
    changeSet({ Status: 'CREATE_COMPLETE', Changes: [change('Modify', 'Endpoint', 'AWS::SageMaker::Endpoint', 'False')] });
    const event = join(mkdtempSync(join(tmpdir(), 'event-')), 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: 12 } }));
    const existing = '<!-- sagemaker-gitops:plan -->\n## title\n\n<!-- section:other-stack -->\nother plan\n<!-- /section:other-stack -->\n';
    const calls: { method: string; url: string; body?: string }[] = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      calls.push({ method: String(init.method), url, body: init.body as string | undefined });
      const json = init.method === 'GET' ? [{ id: 5, body: existing }] : { id: 5 };
      return new Response(JSON.stringify(json), { status: 200 });
    }) as typeof fetch;
    const env = { ...inputEnv({ ...BASE, 'comment': 'true', 'github-token': 'tok' }), GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: 'org/repo', GITHUB_API_URL: 'http://github.local' };
    const result = await settle(runDeploy(actionContext(env, logger), () => clients, fetchImpl));

    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET http://github.local/repos/org/repo/issues/12/comments?per_page=100&page=1', 'PATCH http://github.local/repos/org/repo/issues/comments/5']);
    const body = JSON.parse(calls[1].body!).body as string;
    expect(body).toContain('<!-- section:other-stack -->\nother plan\n<!-- /section:other-stack -->');
    expect(body).toContain(`<!-- section:churn-dev -->\n${String(result.summary).trim()}\n<!-- /section:churn-dev -->`);
  });

  it('refuses an unknown mode before any AWS call', async () => {
    await expect(run({ ...BASE, mode: 'apply' })).rejects.toThrow("Input 'mode' must be one of deploy, plan, got 'apply'");
    for (const mock of Object.values(mocks)) expect(mock.calls()).toHaveLength(0);
  });
});
