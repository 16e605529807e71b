import { readFileSync } from 'node:fs';
import {
  CancelUpdateStackCommand,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeEndpointCommand } from '@aws-sdk/client-sagemaker';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { jest } from '@jest/globals';
import 'aws-sdk-client-mock-jest';
import {
  ACCOUNT, ALARMS, endpoint, ENDPOINT, endpointPlan, event, mockClients, NEW_CONFIG, OLD_CONFIG, OUTPUTS, resources, stack, STACK, STACK_ID,
} from './fixtures.js';
import { DeployFailure, deployStack } from '../../actions/deploy-stack/src/deploy.js';
import { memoryLogger } from '../../actions/lib/log.js';
import { Deadline } from '../../actions/lib/wait.js';
import { UserError } from '../../core/errors.js';
import { settle } from '../helpers/timers.js';

const NOW = new Date('2026-11-22T10:00:00Z');
const CHANGE_SET = 'gitops-20261122-100000';
const notFound = (message: string, name = 'ValidationError') => Object.assign(new Error(message), { name, $metadata: {} });
const MISSING_STACK = notFound(`Stack with id ${STACK} does not exist`);
const MISSING_CHANGE_SET = notFound(`ChangeSet [${CHANGE_SET}] does not exist`, 'ChangeSetNotFoundException');

const { mocks, clients } = mockClients();
let logger: ReturnType<typeof memoryLogger>;

function commandNames(mock: typeof mocks.cfn): string[] {
  return mock.calls().map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ''));
}

function deploy(plan = endpointPlan(), deadline = Deadline.minutes(60)) {
  return settle(deployStack(plan, clients, logger, deadline));
}

async function failureOf(promise: Promise<unknown>): Promise<DeployFailure> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof DeployFailure) return e;
    throw e;
  }
  throw new Error('expected the deploy to fail');
}

const CHANGES = [
  { Type: 'Resource' as const, ResourceChange: { Action: 'Add' as const, LogicalResourceId: 'EndpointConfig', ResourceType: 'AWS::SageMaker::EndpointConfig', Replacement: 'True' as const } },
  { Type: 'Resource' as const, ResourceChange: { Action: 'Modify' as const, LogicalResourceId: 'Endpoint', ResourceType: 'AWS::SageMaker::Endpoint', Replacement: 'False' as const } },
];

function changeSetReady() {
  mocks.cfn.on(CreateChangeSetCommand).resolves({ Id: `arn:cs/${CHANGE_SET}`, StackId: STACK_ID });
  mocks.cfn
    .on(DescribeChangeSetCommand)
    .resolvesOnce({ Status: 'CREATE_IN_PROGRESS' })
    .resolves({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', StackId: STACK_ID, Changes: CHANGES });
  mocks.cfn.on(ExecuteChangeSetCommand).resolves({});
}

beforeEach(() => {
  jest.useFakeTimers({ now: NOW });
  Object.values(mocks).forEach((m) => m.reset());
  logger = memoryLogger();
  mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/gh` });
  mocks.cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  mocks.cfn.on(ListStackResourcesCommand).resolves(resources());
  mocks.sagemaker.on(DescribeEndpointCommand).resolves(endpoint(NEW_CONFIG));
});
afterEach(() => jest.useRealTimers());

describe('deployStack', () => {
  it('creates a new stack through a CREATE change set and checks the endpoint', async () => {
    mocks.cfn.on(DescribeStacksCommand)
      .rejectsOnce(MISSING_STACK)
      .resolvesOnce(stack('CREATE_IN_PROGRESS'))
      .resolves(stack('CREATE_COMPLETE', { Outputs: OUTPUTS }));
    changeSetReady();
    mocks.cfn.on(DescribeStackEventsCommand).resolves({
      StackEvents: [event(STACK, 'AWS::CloudFormation::Stack', 'CREATE_COMPLETE'), event('Endpoint', 'AWS::SageMaker::Endpoint', 'CREATE_COMPLETE')].reverse(),
    });

    const result = await deploy();

    expect(commandNames(mocks.cfn)).toEqual([
      'DescribeStacks', 'CreateChangeSet', 'DescribeChangeSet', 'DescribeChangeSet', 'ExecuteChangeSet',
      'DescribeStacks', 'DescribeStackEvents', 'DescribeStacks', 'DescribeStackEvents', 'ListStackResources',
    ]);
    const plan = endpointPlan();
    expect(mocks.cfn).toHaveReceivedCommandWith(CreateChangeSetCommand, {
      StackName: STACK,
      ChangeSetName: CHANGE_SET,
      ChangeSetType: 'CREATE',
      TemplateBody: readFileSync('cloudformation/endpoint.yaml', 'utf8'),
      Parameters: plan.parameters,
      Capabilities: ['CAPABILITY_IAM'],
      Tags: [{ Key: 'environment', Value: 'dev' }],
      ClientToken: CHANGE_SET,
    });
    expect(plan.parameters).toContainEqual({ ParameterKey: 'ModelPackageArn', ParameterValue: `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:model-package/churn-model/7` });
    expect(mocks.cfn).toHaveReceivedCommandWith(ExecuteChangeSetCommand, {
      StackName: STACK,
      ChangeSetName: CHANGE_SET,
      ClientRequestToken: CHANGE_SET,
    });
    expect(mocks.sagemaker).toHaveReceivedCommandWith(DescribeEndpointCommand, { EndpointName: ENDPOINT });
    expect(result).toMatchObject({
      stackId: STACK_ID,
      status: 'CREATE_COMPLETE',
      changed: true,
      recreated: false,
      outputs: { EndpointName: ENDPOINT, EndpointConfigName: NEW_CONFIG },
      endpoints: [{ endpointName: ENDPOINT, status: 'InService', configName: NEW_CONFIG, expectedConfigName: 'endpointconfig-new', ok: true }],
    });
    expect(logger.lines).toContain('Creating CREATE change set gitops-20261122-100000 for stack churn-dev');
    expect(logger.lines).toContain('  Add EndpointConfig (AWS::SageMaker::EndpointConfig) [replacement]');
    expect(logger.lines).toContain('10:00:00 CREATE_COMPLETE AWS::SageMaker::Endpoint Endpoint');
    expect(logger.lines).toContain(`Endpoint ${ENDPOINT} is InService on ${NEW_CONFIG}`);
  });

  it('updates an existing stack with an UPDATE change set', async () => {
    mocks.cfn.on(DescribeStacksCommand)
      .resolvesOnce(stack('UPDATE_COMPLETE'))
      .resolvesOnce(stack('UPDATE_IN_PROGRESS'))
      .resolves(stack('UPDATE_COMPLETE', { Outputs: OUTPUTS }));
    changeSetReady();

    const result = await deploy();

    expect(mocks.cfn).toHaveReceivedCommandWith(CreateChangeSetCommand, { ChangeSetType: 'UPDATE' });
    expect(mocks.cfn).toHaveReceivedCommandTimes(ExecuteChangeSetCommand, 1);
    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(result.changes).toEqual(CHANGES);
    expect(logger.lines).toContain('Waiting for stack churn-dev to finish updating: UPDATE_IN_PROGRESS (0s elapsed)');
  });

  it('treats a stack left in REVIEW_IN_PROGRESS as new', async () => {
    mocks.cfn.on(DescribeStacksCommand).resolvesOnce(stack('REVIEW_IN_PROGRESS')).resolves(stack('CREATE_COMPLETE'));
    changeSetReady();
    await deploy();
    expect(mocks.cfn).toHaveReceivedCommandWith(CreateChangeSetCommand, { ChangeSetType: 'CREATE' });
  });

  it('succeeds with changed=false on an empty change set and deletes it', async () => {
    mocks.cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_COMPLETE', { Outputs: OUTPUTS }));
    mocks.cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs', StackId: STACK_ID });
    mocks.cfn.on(DescribeChangeSetCommand)
      .resolvesOnce({ Status: 'FAILED', StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set." })
      .resolvesOnce({ Status: 'DELETE_IN_PROGRESS' })
      .rejects(MISSING_CHANGE_SET);

    const result = await deploy();

    expect(commandNames(mocks.cfn)).toEqual(['DescribeStacks', 'CreateChangeSet', 'DescribeChangeSet', 'DeleteChangeSet', 'DescribeChangeSet', 'DescribeChangeSet', 'DescribeStacks']);
    expect(mocks.cfn).toHaveReceivedCommandWith(DeleteChangeSetCommand, { StackName: STACK, ChangeSetName: CHANGE_SET });
    expect(mocks.cfn).not.toHaveReceivedCommand(ExecuteChangeSetCommand);
    expect(result).toMatchObject({ changed: false, status: 'UPDATE_COMPLETE', stackId: STACK_ID, outputs: { EndpointName: ENDPOINT } });
    expect(logger.lines).toContain(`Deleted change set ${CHANGE_SET}`);
  });

  it('fails on an empty change set when fail-on-empty-changeset is set', async () => {
    mocks.cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_COMPLETE'));
    mocks.cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs' });
    mocks.cfn.on(DescribeChangeSetCommand).resolvesOnce({ Status: 'FAILED', StatusReason: 'No updates are to be performed.' }).rejects(MISSING_CHANGE_SET);
    const failure = await failureOf(deploy(endpointPlan({ 'fail-on-empty-changeset': 'true' })));
    expect(failure.message).toBe('Stack churn-dev has no changes to deploy and fail-on-empty-changeset is true');
    expect(mocks.cfn).toHaveReceivedCommand(DeleteChangeSetCommand);
  });

  it('deletes a stack in ROLLBACK_COMPLETE and creates it again, saying so', async () => {
    mocks.cfn.on(DescribeStacksCommand)
      .resolvesOnce(stack('ROLLBACK_COMPLETE'))
      .resolvesOnce(stack('DELETE_IN_PROGRESS'))
      .rejectsOnce(MISSING_STACK)
      .resolves(stack('CREATE_COMPLETE'));
    mocks.cfn.on(DeleteStackCommand).resolves({});
    changeSetReady();

    const result = await deploy();

    expect(commandNames(mocks.cfn).slice(0, 6)).toEqual(['DescribeStacks', 'DeleteStack', 'DescribeStacks', 'DescribeStackEvents', 'DescribeStacks', 'CreateChangeSet']);
    expect(mocks.cfn).toHaveReceivedCommandWith(CreateChangeSetCommand, { ChangeSetType: 'CREATE' });
    expect(result.recreated).toBe(true);
    expect(logger.lines).toContain(
      'Stack churn-dev is in ROLLBACK_COMPLETE (its first create failed and only a delete works): deleting it, then creating it again',
    );
  });

  it('names the first failed resource and its reason when a create fails', async () => {
    mocks.cfn.on(DescribeStacksCommand)
      .rejectsOnce(MISSING_STACK)
      .resolvesOnce(stack('CREATE_IN_PROGRESS'))
      .resolvesOnce(stack('ROLLBACK_IN_PROGRESS'))
      .resolves(stack('ROLLBACK_COMPLETE', { StackStatusReason: 'The following resource(s) failed to create: [Endpoint, EndpointConfig].' }));
    changeSetReady();
    const t = (s: number) => new Date(NOW.getTime() + s * 1000);
    mocks.cfn.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        event(STACK, 'AWS::CloudFormation::Stack', 'ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to create: [Endpoint, EndpointConfig].', t(5)),
        event('EndpointConfig', 'AWS::SageMaker::EndpointConfig', 'CREATE_FAILED', 'Resource creation cancelled', t(4)),
        event('Endpoint', 'AWS::SageMaker::Endpoint', 'CREATE_FAILED', 'Could not find model package churn-model/7.', t(3)),
        event(STACK, 'AWS::CloudFormation::Stack', 'CREATE_IN_PROGRESS', 'User Initiated', t(1)),
      ],
    });

    const failure = await failureOf(deploy());

    expect(failure.message).toBe(
      'Stack churn-dev ended in ROLLBACK_COMPLETE: first failed resource Endpoint (AWS::SageMaker::Endpoint): Could not find model package churn-model/7.',
    );
    expect(failure.result.failedEvent?.LogicalResourceId).toBe('Endpoint');
    expect(mocks.sagemaker).not.toHaveReceivedCommand(DescribeEndpointCommand);
    // Each event is logged once, oldest first, though every poll returns all of them.
    expect(logger.lines.filter((l) => /^10:00:0\d /.test(l))).toEqual([
      '10:00:01 CREATE_IN_PROGRESS AWS::CloudFormation::Stack churn-dev - User Initiated',
      '10:00:03 CREATE_FAILED AWS::SageMaker::Endpoint Endpoint - Could not find model package churn-model/7.',
      '10:00:04 CREATE_FAILED AWS::SageMaker::EndpointConfig EndpointConfig - Resource creation cancelled',
      '10:00:05 ROLLBACK_IN_PROGRESS AWS::CloudFormation::Stack churn-dev - The following resource(s) failed to create: [Endpoint, EndpointConfig].',
    ]);
  });

  it('waits out another run\'s update before creating its change set', async () => {
    mocks.cfn.on(DescribeStacksCommand)
      .resolvesOnce(stack('UPDATE_IN_PROGRESS'))
      .resolvesOnce(stack('UPDATE_IN_PROGRESS'))
      .resolvesOnce(stack('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'))
      .resolvesOnce(stack('UPDATE_COMPLETE'))
      .resolvesOnce(stack('UPDATE_IN_PROGRESS'))
      .resolves(stack('UPDATE_COMPLETE'));
    changeSetReady();

    await deploy();

    const names = commandNames(mocks.cfn);
    expect(names.indexOf('CreateChangeSet')).toBeGreaterThan(names.lastIndexOf('DescribeStacks', 6));
    expect(mocks.cfn).toHaveReceivedCommandWith(CreateChangeSetCommand, { ChangeSetType: 'UPDATE' });
    expect(logger.lines.slice(0, 3)).toEqual([
      'Stack churn-dev is UPDATE_IN_PROGRESS from another run; waiting for it to finish first',
      'Waiting for stack churn-dev to finish what another run started: UPDATE_IN_PROGRESS (0s elapsed)',
      'Waiting for stack churn-dev to finish what another run started: UPDATE_COMPLETE_CLEANUP_IN_PROGRESS (2s elapsed)',
    ]);
  });

  it.each([
    ['UPDATE_ROLLBACK_FAILED', 'continue-update-rollback --stack-name churn-dev'],
    ['ROLLBACK_FAILED', 'delete-stack --stack-name churn-dev'],
    ['DELETE_FAILED', 'delete-stack --stack-name churn-dev'],
  ])('refuses a stack in %s and says what to do', async (status, advice) => {
    mocks.cfn.on(DescribeStacksCommand).resolves(stack(status));
    const promise = deploy();
    await expect(promise).rejects.toThrow(UserError);
    await expect(promise).rejects.toThrow(`Stack churn-dev is in ${status} and cannot be deployed until you`);
    await expect(promise).rejects.toThrow(advice);
    expect(commandNames(mocks.cfn)).toEqual(['DescribeStacks']);
  });

  it('detects a silent guardrail rollback and names the alarm that fired', async () => {
    mocks.cfn.on(DescribeStacksCommand).resolvesOnce(stack('UPDATE_COMPLETE')).resolves(stack('UPDATE_COMPLETE', { Outputs: OUTPUTS }));
    changeSetReady();
    mocks.sagemaker.on(DescribeEndpointCommand).resolves(endpoint(OLD_CONFIG));
    mocks.cloudwatch.on(DescribeAlarmHistoryCommand, { AlarmName: ALARMS[0] }).resolves({
      AlarmHistoryItems: [{ AlarmName: ALARMS[0], HistoryItemType: 'StateUpdate', HistorySummary: 'Alarm updated from OK to ALARM' }],
    });
    mocks.cloudwatch.on(DescribeAlarmHistoryCommand, { AlarmName: ALARMS[1] }).resolves({ AlarmHistoryItems: [] });
    mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });

    const failure = await failureOf(deploy());

    expect(failure.message).toBe(
      `Endpoint ${ENDPOINT} was rolled back by deployment guardrails: it is InService on endpoint config ${OLD_CONFIG}, ` +
        `not on endpointconfig-new that this deploy created; alarm ${ALARMS[0]} fired during the deployment`,
    );
    expect(mocks.cloudwatch).toHaveReceivedCommandWith(DescribeAlarmHistoryCommand, { AlarmName: ALARMS[0], HistoryItemType: 'StateUpdate', StartDate: NOW });
    expect(mocks.cloudwatch).toHaveReceivedCommandWith(DescribeAlarmsCommand, { AlarmNames: ALARMS, StateValue: 'ALARM' });
    expect(failure.result.endpoints[0]).toMatchObject({ ok: false, firedAlarms: [ALARMS[0]] });
  });

  it('says so when a rolled-back endpoint has no alarm on record, and fails an endpoint that is not InService', async () => {
    mocks.cfn.on(DescribeStacksCommand).resolvesOnce(stack('UPDATE_COMPLETE')).resolves(stack('UPDATE_COMPLETE'));
    changeSetReady();
    mocks.sagemaker.on(DescribeEndpointCommand).resolves(endpoint(OLD_CONFIG));
    mocks.cloudwatch.on(DescribeAlarmHistoryCommand).resolves({});
    mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: ALARMS[1] }] });
    expect((await failureOf(deploy())).message).toContain(`alarm ${ALARMS[1]} fired during the deployment`);

    mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({});
    expect((await failureOf(deploy())).message).toContain(`no alarm of its rollback configuration (${ALARMS.join(', ')}) is recorded in ALARM`);

    mocks.sagemaker.on(DescribeEndpointCommand).resolves({ ...endpoint(NEW_CONFIG, 'Failed'), FailureReason: 'Image not found' });
    expect((await failureOf(deploy())).message).toBe(`Endpoint ${ENDPOINT} is Failed: Image not found`);
  });

  it('fails at the deadline while executing and cancels the update it started', async () => {
    mocks.cfn.on(DescribeStacksCommand).resolvesOnce(stack('UPDATE_COMPLETE')).resolves(stack('UPDATE_IN_PROGRESS'));
    changeSetReady();
    mocks.cfn.on(CancelUpdateStackCommand).resolves({});

    const failure = await failureOf(deploy(endpointPlan({ 'timeout-minutes': '1' }), Deadline.minutes(1)));

    expect(failure.message).toBe(
      'Timed out after 60s waiting for stack churn-dev to finish updating (timeout-minutes: 1); cancelled the update of churn-dev; CloudFormation rolls it back to its last good state',
    );
    expect(mocks.cfn).toHaveReceivedCommandWith(CancelUpdateStackCommand, { StackName: STACK });
    expect(Date.now() - NOW.getTime()).toBeLessThan(61_000 + 1000);
  });

  it('deletes its change set and the empty new stack when the deadline passes before execution', async () => {
    mocks.cfn.on(DescribeStacksCommand).rejects(MISSING_STACK);
    mocks.cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs', StackId: STACK_ID });
    mocks.cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_PENDING' });
    mocks.cfn.on(DeleteChangeSetCommand).callsFake(() => {
      mocks.cfn.on(DescribeChangeSetCommand).rejects(MISSING_CHANGE_SET);
      return {};
    });
    mocks.cfn.on(DeleteStackCommand).resolves({});

    const failure = await failureOf(deploy(endpointPlan({ 'timeout-minutes': '2' }), Deadline.minutes(2)));

    expect(failure.message).toBe(
      `Timed out after 120s waiting for change set ${CHANGE_SET} to be created (timeout-minutes: 2); deleted change set ${CHANGE_SET} and the empty stack churn-dev`,
    );
    expect(mocks.cfn).toHaveReceivedCommandWith(DeleteStackCommand, { StackName: STACK });
    expect(mocks.cfn).not.toHaveReceivedCommand(ExecuteChangeSetCommand);
  });

  it('removes a change set CloudFormation rejected and reports its reason', async () => {
    mocks.cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_COMPLETE'));
    mocks.cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs' });
    mocks.cfn.on(DescribeChangeSetCommand)
      .resolvesOnce({ Status: 'FAILED', StatusReason: 'Parameter InstanceType failed to satisfy constraint' })
      .rejects(MISSING_CHANGE_SET);
    await expect(deploy()).rejects.toThrow(
      `Change set ${CHANGE_SET} for stack churn-dev failed: Parameter InstanceType failed to satisfy constraint`,
    );
    expect(mocks.cfn).toHaveReceivedCommand(DeleteChangeSetCommand);
    expect(mocks.cfn).not.toHaveReceivedCommand(DeleteStackCommand);
  });

  it('refuses credentials for another account before touching CloudFormation', async () => {
    mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: '999999999999', Arn: 'arn:aws:sts::999999999999:assumed-role/x/y' });
    await expect(deploy()).rejects.toThrow(
      'The credentials are for account 999999999999 (arn:aws:sts::999999999999:assumed-role/x/y), but test/fixtures/environments/dev.yaml deploys to account 111111111111: assume arn:aws:iam::111111111111:role/deploy first',
    );
    expect(mocks.cfn.calls()).toHaveLength(0);
  });
});

describe('deployStack when CloudFormation reports the rollback', () => {
  it('names the alarm when the endpoint update failed the stack', async () => {
    mocks.cfn.on(DescribeStacksCommand)
      .resolvesOnce(stack('UPDATE_COMPLETE'))
      .resolvesOnce(stack('UPDATE_IN_PROGRESS'))
      .resolves(stack('UPDATE_ROLLBACK_COMPLETE'));
    changeSetReady();
    const failed = {
      ...event('Endpoint', 'AWS::SageMaker::Endpoint', 'UPDATE_FAILED', 'Endpoint update was rolled back.'),
      PhysicalResourceId: `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:endpoint/${ENDPOINT}`,
    };
    mocks.cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [failed] });
    mocks.sagemaker.on(DescribeEndpointCommand).resolves(endpoint(OLD_CONFIG));
    mocks.cloudwatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
    mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: ALARMS[1] }] });

    const failure = await failureOf(deploy());

    expect(failure.message).toBe(
      'Stack churn-dev ended in UPDATE_ROLLBACK_COMPLETE: first failed resource Endpoint (AWS::SageMaker::Endpoint): Endpoint update was rolled back.; ' +
        `deployment guardrails rolled endpoint ${ENDPOINT} back: alarm ${ALARMS[1]} fired`,
    );
    expect(mocks.sagemaker).toHaveReceivedCommandWith(DescribeEndpointCommand, { EndpointName: ENDPOINT });
  });
});
