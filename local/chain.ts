// The one request chain of the twin, the same for every service: find the protocol and the
// operation, parse the input from the botocore shape, check it against the model's constraints,
// apply injected faults, run the handler (typed input in, typed output out, no HTTP), write the
// response from the output shape, log. Handlers never see the wire; adapters never see state.
import type { RequestContext } from './context.js';
import type { Contract } from './contract.js';
import { notImplemented, TwinError } from './errors.js';
import type { Faults } from './faults.js';
import type { Protocol, ProtocolName, ServiceDefinition, WireRequest, WireResponse } from './protocols/adapter.js';
import { jsonProtocol, jsonTarget } from './protocols/json.js';
import type { ServiceModels } from './protocols/model.js';
import { parseQuery, queryProtocol } from './protocols/query.js';
import { restJsonProtocol, restXmlProtocol, routeRest } from './protocols/rest.js';

export const PROTOCOLS: Record<ProtocolName, Protocol> = {
  'json': jsonProtocol,
  'query': queryProtocol,
  'rest-json': restJsonProtocol,
  'rest-xml': restXmlProtocol,
};

type Handler = (input: Record<string, unknown>, ctx: RequestContext) => unknown;

interface Routed {
  protocol: Protocol;
  service?: ServiceDefinition;
  operation: string;
  /** How errors and the log name the service when the twin has none by that address. */
  unknown?: string;
}

export class RequestChain {
  constructor(
    private readonly services: ServiceDefinition[],
    private readonly models: ServiceModels,
    private readonly contract: Contract,
    private readonly faults: Faults,
    private readonly log: (line: string) => void,
  ) {}

  /** Which protocol, service and operation a request is for; `signer` is SigV4's service name. */
  private route(req: WireRequest, signer: string | undefined): Routed {
    const target = jsonTarget(req.headers);
    if (target) {
      const service = this.services.find((s) => s.json?.target === target.prefix);
      return { protocol: jsonProtocol, service, operation: target.operation, unknown: target.prefix };
    }
    const form = String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded') ? parseQuery(req.body.toString()) : undefined;
    if (form) {
      const service = this.services.find((s) => s.query?.version === form.version);
      return { protocol: queryProtocol, service, operation: form.action, unknown: `the awsQuery API version ${form.version}` };
    }
    // REST services by their signing name; an unsigned request goes to the first whose routes match.
    for (const service of this.services.filter((s) => s.rest && (!signer || s.rest.signingName === signer))) {
      const found = routeRest(this.models.get(service.model), req);
      if (found) {
        req.labels = found.labels;
        return { protocol: PROTOCOLS[service.rest!.protocol], service, operation: found.operation };
      }
    }
    const fallback = this.services.find((s) => s.rest?.signingName === signer) ?? this.services.find((s) => s.rest?.protocol === 'rest-xml');
    return { protocol: PROTOCOLS[fallback?.rest?.protocol ?? 'rest-xml'], service: fallback, operation: `${req.method} ${req.path}`, unknown: 'S3' };
  }

  async handle(req: WireRequest, ctx: RequestContext, signer: string | undefined): Promise<WireResponse> {
    const started = Date.now();
    const { protocol, service, operation, unknown } = this.route(req, signer);
    let response: WireResponse;
    try {
      const handler = service?.operations[operation] as Handler | undefined;
      if (!service || !handler) throw notImplemented(service?.name ?? unknown ?? 'the twin', operation);
      const model = this.models.get(service.model);
      const input = protocol.parse(req, model, operation);
      const violations = this.contract.check(model, operation, input);
      if (violations.length) {
        throw new TwinError(protocol.validationCode, `${violations.length} validation error${violations.length > 1 ? 's' : ''} detected: ${violations.join('; ')}`);
      }
      await this.applyFaults(protocol, service.name, operation);
      response = protocol.serialize(model, operation, await handler(input, ctx), ctx.requestId, service);
    } catch (error) {
      response = protocol.error(this.asTwinError(error), ctx.requestId, req, service);
    }
    this.log(`${service?.name ?? unknown}.${operation} ${response.status} ${Date.now() - started}ms`);
    return response;
  }

  /** Delays the call, or throws the injected error, when a fault rule picks it. */
  private async applyFaults(protocol: Protocol, service: string, operation: string): Promise<void> {
    const rule = this.faults.next(service, operation);
    if (!rule) return;
    if (rule.kind === 'delay') await new Promise((r) => setTimeout(r, rule.delayMs ?? 1000));
    if (rule.kind === 'throttle') throw new TwinError(protocol.throttling.code, protocol.throttling.message, protocol.throttling.status);
    if (rule.kind === 'error') {
      throw new TwinError(protocol.name === 'rest-xml' ? 'InternalError' : 'InternalFailure', 'Injected fault: internal error', 500, 'Receiver');
    }
  }

  private asTwinError(error: unknown): TwinError {
    if (error instanceof TwinError) return error;
    this.log(`internal error: ${(error as Error)?.stack ?? String(error)}`);
    return new TwinError('InternalFailure', `The twin failed: ${(error as Error)?.message ?? String(error)}`, 500, 'Receiver');
  }
}
