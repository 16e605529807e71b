import {
  DescribeStackEventsCommand,
  type CloudFormationClient,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import type { Logger } from '../../lib/log.js';

/**
 * Streams a stack's events as they happen: each poll reads the newest pages until it reaches an
 * event it has seen (or one older than `since`) and logs the new ones oldest first.
 */
export class StackEventStream {
  private readonly seen = new Set<string>();
  readonly events: StackEvent[] = [];

  constructor(
    private readonly cfn: CloudFormationClient,
    private readonly stackName: string,
    private readonly since: Date,
    private readonly logger: Logger,
  ) {}

  async poll(): Promise<StackEvent[]> {
    const fresh: StackEvent[] = [];
    let token: string | undefined;
    pages: do {
      const out = await this.cfn.send(new DescribeStackEventsCommand({ StackName: this.stackName, NextToken: token }));
      for (const event of out.StackEvents ?? []) {
        if (!event.EventId || this.seen.has(event.EventId) || (event.Timestamp && event.Timestamp < this.since)) break pages;
        fresh.push(event);
      }
      token = out.NextToken;
    } while (token);
    fresh.reverse();
    for (const event of fresh) {
      this.seen.add(event.EventId!);
      this.events.push(event);
      this.logger.info(formatEvent(event));
    }
    return fresh;
  }

  /** The first resource that failed and why, skipping the cascade CloudFormation reports after it. */
  firstFailure(): StackEvent | undefined {
    const failed = this.events.filter((e) => e.ResourceStatus?.endsWith('_FAILED'));
    const cause = failed.find(
      (e) => e.LogicalResourceId !== this.stackName && !/cancelled|The following resource\(s\) failed/i.test(e.ResourceStatusReason ?? ''),
    );
    return cause ?? failed[0];
  }
}

export function formatEvent(e: StackEvent): string {
  const time = e.Timestamp ? e.Timestamp.toISOString().slice(11, 19) : '--:--:--';
  const reason = e.ResourceStatusReason ? ` - ${e.ResourceStatusReason}` : '';
  return `${time} ${e.ResourceStatus ?? ''} ${e.ResourceType ?? ''} ${e.LogicalResourceId ?? ''}${reason}`;
}
