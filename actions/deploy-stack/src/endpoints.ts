import { ListStackResourcesCommand, type CloudFormationClient, type StackResourceSummary } from '@aws-sdk/client-cloudformation';
// Loaded with import() once the stack has deployed (see lazyClient): SageMaker and CloudWatch stay
// out of the action's start, and out of a plan entirely.
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { Template } from '../../../core/cfn-template.js';
import type { Sender } from '../../lib/aws.js';

export { CloudWatchClient, SageMakerClient };

export interface EndpointCheck {
  logicalId: string;
  endpointName: string;
  status: string;
  configName?: string;
  expectedConfigName?: string;
  ok: boolean;
  /** Why the endpoint is not what this deploy asked for. */
  problem?: string;
  firedAlarms: string[];
}

export async function listStackResources(cfn: CloudFormationClient, stackName: string): Promise<StackResourceSummary[]> {
  const resources: StackResourceSummary[] = [];
  let token: string | undefined;
  do {
    const out = await cfn.send(new ListStackResourcesCommand({ StackName: stackName, NextToken: token }));
    resources.push(...(out.StackResourceSummaries ?? []));
    token = out.NextToken;
  } while (token);
  return resources;
}

/** `arn:aws:sagemaker:r:a:endpoint-config/name` -> `name`; a plain name stays as it is. */
export function nameFromArn(id: string): string {
  const m = id.match(/^arn:aws[a-z-]*:sagemaker:[^:]*:\d*:[a-z-]+\/(.+)$/);
  return m ? m[1] : id;
}

/** The EndpointConfig this stack's template points the endpoint at, as the stack deployed it. */
function expectedConfigName(template: Template, logicalId: string, resources: StackResourceSummary[]): string | undefined {
  const prop = template.Resources[logicalId]?.Properties?.EndpointConfigName as unknown;
  if (typeof prop === 'string') return prop;
  const target = (prop as { Ref?: string } | undefined)?.Ref ?? (prop as { 'Fn::GetAtt'?: string[] } | undefined)?.['Fn::GetAtt']?.[0];
  const physical = resources.find((r) => r.LogicalResourceId === target)?.PhysicalResourceId;
  return physical ? nameFromArn(physical) : undefined;
}

/**
 * Alarms of the endpoint's rollback configuration that went into ALARM since `since`, or are in it now.
 * Guardrails roll back silently (the endpoint ends InService on its old config), so the alarm is
 * the only record of why.
 */
export async function findFiredAlarms(cloudwatch: Sender<CloudWatchClient>, alarmNames: string[], since: Date): Promise<string[]> {
  if (alarmNames.length === 0) return [];
  const fired = new Set<string>();
  for (const name of alarmNames) {
    const history = await cloudwatch.send(
      new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: 'StateUpdate', StartDate: since, MaxRecords: 100 }),
    );
    if ((history.AlarmHistoryItems ?? []).some((h) => /to ALARM/.test(h.HistorySummary ?? ''))) fired.add(name);
  }
  const now = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: alarmNames, StateValue: 'ALARM' }));
  for (const alarm of now.MetricAlarms ?? []) if (alarm.AlarmName) fired.add(alarm.AlarmName);
  return alarmNames.filter((n) => fired.has(n));
}

/**
 * Why an endpoint's update failed inside CloudFormation: the alarms of its rollback configuration
 * that fired since `since`, in words for the error message; undefined when none is on record.
 */
export async function explainEndpointFailure(
  clients: { sagemaker: Sender<SageMakerClient>; cloudwatch: Sender<CloudWatchClient> },
  endpointName: string,
  since: Date,
): Promise<string | undefined> {
  const ep = await clients.sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
  const alarmNames = (ep.LastDeploymentConfig?.AutoRollbackConfiguration?.Alarms ?? []).map((a) => a.AlarmName!).filter(Boolean);
  const fired = await findFiredAlarms(clients.cloudwatch, alarmNames, since);
  if (fired.length === 0) return undefined;
  return `deployment guardrails rolled endpoint ${endpointName} back: alarm${fired.length > 1 ? 's' : ''} ${fired.join(', ')} fired`;
}

/** Checks that every endpoint in the stack is InService on the EndpointConfig this deploy created. */
export async function checkEndpoints(
  clients: { cfn: CloudFormationClient; sagemaker: Sender<SageMakerClient>; cloudwatch: Sender<CloudWatchClient> },
  stackName: string,
  template: Template,
  since: Date,
): Promise<EndpointCheck[]> {
  const resources = await listStackResources(clients.cfn, stackName);
  const checks: EndpointCheck[] = [];
  for (const r of resources.filter((x) => x.ResourceType === 'AWS::SageMaker::Endpoint' && x.PhysicalResourceId)) {
    const endpointName = nameFromArn(r.PhysicalResourceId!);
    const ep = await clients.sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
    const status = ep.EndpointStatus ?? 'Unknown';
    const configName = ep.EndpointConfigName;
    const expected = expectedConfigName(template, r.LogicalResourceId!, resources);
    const alarmNames = (ep.LastDeploymentConfig?.AutoRollbackConfiguration?.Alarms ?? []).map((a) => a.AlarmName!).filter(Boolean);
    const check: EndpointCheck = {
      logicalId: r.LogicalResourceId!,
      endpointName: ep.EndpointName ?? endpointName,
      status,
      configName,
      expectedConfigName: expected,
      ok: true,
      firedAlarms: [],
    };
    // SageMaker lowercases names in ARNs, so compare names without case.
    const onExpected = !expected || (configName ?? '').toLowerCase() === expected.toLowerCase();
    if (status !== 'InService') {
      check.ok = false;
      check.problem = `is ${status}${ep.FailureReason ? `: ${ep.FailureReason}` : ''}`;
    } else if (!onExpected) {
      check.ok = false;
      check.firedAlarms = await findFiredAlarms(clients.cloudwatch, alarmNames, since);
      const alarms = check.firedAlarms.length
        ? `alarm${check.firedAlarms.length > 1 ? 's' : ''} ${check.firedAlarms.join(', ')} fired during the deployment`
        : `no alarm of its rollback configuration (${alarmNames.join(', ') || 'none'}) is recorded in ALARM; see the endpoint's events`;
      check.problem =
        `was rolled back by deployment guardrails: it is InService on endpoint config ${configName}, ` +
        `not on ${expected} that this deploy created; ${alarms}`;
    }
    checks.push(check);
  }
  return checks;
}
