import type { Clock } from './clock.js';
import type { Faults } from './faults.js';
import type { ServiceModels } from './protocols/model.js';
import type { Store } from './store.js';

/** What every handler gets: where and as whom the call runs, and the twin's state. */
export interface RequestContext {
  account: string;
  region: string;
  accessKeyId?: string;
  requestId: string;
  store: Store;
  clock: Clock;
  /** The twin's fault rules, for work it does inside itself (a pipeline starting its jobs). */
  faults?: Faults;
  /** botocore's models, for work the twin does through its own operations (resource providers). */
  models?: ServiceModels;
}

/** The signer's access key, region and service, from SigV4's Credential=AKID/date/region/service/aws4_request. */
export function signerOf(authorization: string | undefined): { accessKeyId?: string; region?: string; service?: string } {
  const m = (authorization ?? '').match(/Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\//);
  return m ? { accessKeyId: m[1], region: m[2], service: m[3] } : {};
}

/**
 * A service's handlers, each taking the SDK's input type of its operation (botocore's shapes, as
 * the protocol layer types them: timestamps are Dates, blobs Buffers), in the caller's context.
 */
export type Operations<Inputs> = { [Op in keyof Inputs]: (input: Inputs[Op], ctx: RequestContext) => unknown };
