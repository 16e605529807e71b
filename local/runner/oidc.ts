// GitHub's OIDC token service for the jobs of the local runner: a job with `id-token: write` gets
// ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN, and a GET of that URL (with `&audience=`) answers
// `{"value": "<JWT>"}` with the claims AWS trust policies read (iss, aud, sub by environment or ref).
// Tokens are RS256-signed by a key made at start, published at /.well-known/jwks.
import { createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JobIdentity } from './types.js';

export const OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** The `sub` claim GitHub gives a job: by environment when it has one, else by ref or pull request. */
export function subjectOf(repository: string, identity: JobIdentity, event: string): string {
  if (identity.environment) return `repo:${repository}:environment:${identity.environment}`;
  if (event === 'pull_request') return `repo:${repository}:pull_request`;
  return `repo:${repository}:ref:${identity.ref}`;
}

export class OidcIssuer {
  private server?: Server;
  private readonly key: KeyObject;
  private readonly publicJwk: Record<string, unknown>;
  private readonly requests = new Map<string, Record<string, unknown>>();
  url = '';

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.key = privateKey;
    this.publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'local', alg: 'RS256', use: 'sig' };
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/.well-known/jwks') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [this.publicJwk] }));
        return;
      }
      const claims = this.requests.get(url.searchParams.get('request') ?? '');
      const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!claims || bearer !== claims.requestToken) {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Bad credentials' }));
        return;
      }
      const { requestToken: _, ...rest } = claims;
      const audience = url.searchParams.get('audience') ?? `https://github.com/${String(rest.repository_owner)}`;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: this.sign({ ...rest, aud: audience }) }));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** What a job with id-token: write gets in ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN. */
  request(repository: string, identity: JobIdentity, event: string): { url: string; token: string } {
    const id = randomBytes(8).toString('hex');
    const token = randomBytes(16).toString('hex');
    const now = Math.floor(Date.now() / 1000);
    this.requests.set(id, {
      requestToken: token,
      iss: OIDC_ISSUER,
      sub: subjectOf(repository, identity, event),
      repository,
      repository_owner: repository.split('/')[0],
      ref: identity.ref,
      sha: identity.sha,
      environment: identity.environment,
      job_workflow_ref: `${repository}/${identity.run.workflow}@${identity.ref}`,
      run_id: String(identity.run.id),
      event_name: event,
      iat: now,
      nbf: now,
      exp: now + 300,
    });
    return { url: `${this.url}/token?request=${id}&api-version=2.0`, token };
  }

  private sign(claims: Record<string, unknown>): string {
    const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'local' }));
    const body = b64url(JSON.stringify(claims));
    const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(this.key);
    return `${head}.${body}.${b64url(signature)}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
