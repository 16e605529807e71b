import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  isClockSkewError,
  isServerError,
  isThrottlingError,
  isTransientError,
} from '@smithy/service-error-classification';
import type { Logger } from './log.js';
import { PROJECT_NAME, PROJECT_VERSION } from './version.js';

export interface ClientOptions {
  region: string;
  logger: Logger;
  /** Per request; a hung connection fails and is retried instead of hanging the job. */
  requestTimeoutMs?: number;
  /** Total attempts, the first included. */
  maxAttempts?: number;
}

// Every SDK v3 client constructor has this shape; the factory works for all of them.
type ClientConstructor<C> = new (config: Record<string, unknown>) => C;

interface MiddlewareStackHolder {
  middlewareStack: {
    addRelativeTo(middleware: unknown, options: Record<string, unknown>): void;
  };
}

/** Whether the SDK's standard retry strategy will try this error again (same classification it uses). */
function isRetryable(error: unknown): boolean {
  const e = error as Parameters<typeof isThrottlingError>[0] & { $retryable?: unknown };
  return Boolean(e.$retryable) || isThrottlingError(e) || isClockSkewError(e) || isTransientError(e) || isServerError(e);
}

/** What was retried and why, accurately: an answer's status when there was one, else the network. */
function retryReason(error: unknown): string {
  const e = error as Parameters<typeof isThrottlingError>[0] & { $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  if (isThrottlingError(e)) return status ? `throttled, HTTP ${status}` : 'throttled';
  if (status !== undefined && status >= 500) return `server error, HTTP ${status}`;
  if (isTransientError(e)) return status ? `transient error, HTTP ${status}` : 'no answer: network error or timeout';
  if (isServerError(e)) return 'server error';
  return 'retryable error';
}

/**
 * The one way actions build AWS clients. Retries use the SDK's standard strategy (exponential
 * backoff with full jitter, a longer base delay for throttling errors), every attempt has a
 * timeout, and each retried failure is logged with the operation and the reason.
 * Endpoints come from AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> (the SDK reads them itself),
 * which is how the offline twin is reached with no code change.
 */
export function createClient<C>(Client: ClientConstructor<C>, options: ClientOptions): C {
  const maxAttempts = options.maxAttempts ?? 6;
  const timeout = options.requestTimeoutMs ?? 30_000;
  const endpointOverridden = Boolean(process.env.AWS_ENDPOINT_URL || process.env.AWS_ENDPOINT_URL_S3);
  const client = new Client({
    region: options.region,
    maxAttempts,
    retryMode: 'standard',
    customUserAgent: `${PROJECT_NAME}/${PROJECT_VERSION}`,
    // requestTimeout only warns unless throwOnRequestTimeout is set; a hung call must fail.
    requestHandler: new NodeHttpHandler({
      connectionTimeout: Math.min(timeout, 10_000),
      requestTimeout: timeout,
      throwOnRequestTimeout: true,
    }),
    // A local endpoint has no bucket subdomains; real S3 is unaffected when nothing is overridden.
    forcePathStyle: endpointOverridden,
  });
  (client as unknown as MiddlewareStackHolder).middlewareStack.addRelativeTo(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string; clientName?: string }) =>
      async (args: unknown) => {
        try {
          return await next(args);
        } catch (error) {
          const attempt = ((args as { request?: { headers?: Record<string, string> } }).request?.headers?.['amz-sdk-request'] ?? '')
            .match(/attempt=(\d+)/)?.[1];
          if (isRetryable(error) && attempt !== undefined && Number(attempt) < maxAttempts) {
            options.logger.warning(
              `${context.commandName ?? 'AWS call'} failed (${(error as Error).name}: ${retryReason(error)}), ` +
                `attempt ${attempt} of ${maxAttempts}; retrying with backoff`,
            );
          }
          throw error;
        }
      },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'gitopsRetryLogger', override: true },
  );
  return client;
}

type AnyClient = { send: (...args: never[]) => Promise<unknown> };

/** All an action does with a client: a lazy client offers only this. */
export type Sender<C extends AnyClient> = Pick<C, 'send'>;

/**
 * A client built on its first `send`, from a module loaded only then (ncc puts a dynamic import in
 * a chunk of its own). An action loads before its first call only the SDK that call needs; the
 * others load when, and if, the action gets to them. `load` should import the module that also
 * holds the service's commands, so that the service's SDK lands in one chunk, tree-shaken.
 */
export function lazyClient<C extends AnyClient>(load: () => Promise<ClientConstructor<C>>, options: ClientOptions): Sender<C> {
  let client: Promise<C> | undefined;
  const send = (...args: unknown[]) =>
    (client ??= load().then((Client) => createClient(Client, options))).then((c) => (c.send as (...a: unknown[]) => Promise<unknown>)(...args));
  return { send } as Sender<C>;
}
