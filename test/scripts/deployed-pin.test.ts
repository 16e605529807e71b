// scripts/deployed-pin.sh against a stand-in for GitHub's REST API: `record` moves (or first
// creates) the tag deployed/<environment>, `restore` writes the environment file as that tag has it.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const SCRIPT = resolve('scripts/deployed-pin.sh');
const refs = new Map<string, string>();
const files = new Map<string, string>([['abc123:environments/prod.yaml', 'model:\n  version: 6\n']]);
const calls: string[] = [];
let server: Server;
let api = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      calls.push(`${req.method} ${url.pathname}${url.search}`);
      const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      const path = url.pathname.replace('/repos/org/churn', '');
      const tag = path.match(/^\/git\/refs?\/tags\/(.+)$/)?.[1];
      if (req.method === 'PATCH' && tag) return refs.has(tag) ? (refs.set(tag, JSON.parse(body).sha), json(200, {})) : json(422, { message: 'Reference does not exist' });
      if (req.method === 'POST' && path === '/git/refs') {
        const { ref, sha } = JSON.parse(body);
        refs.set(ref.replace('refs/tags/', ''), sha);
        return json(201, {});
      }
      if (req.method === 'GET' && tag) return refs.has(tag) ? json(200, { object: { sha: refs.get(tag) } }) : json(404, { message: 'Not Found' });
      const content = path.match(/^\/contents\/(.+)$/)?.[1];
      if (req.method === 'GET' && content) {
        const sha = refs.get(url.searchParams.get('ref')!.replace(/^deployed\//, 'deployed/'));
        const text = files.get(`${sha}:${content}`);
        return text === undefined ? json(404, { message: 'Not Found' }) : json(200, { content: Buffer.from(text).toString('base64') });
      }
      return json(501, { message: `not in the stand-in: ${req.method} ${path}` });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function run(args: string[], cwd: string, sha = 'abc123'): Promise<{ code: number | null; out: string }> {
  const env = { PATH: process.env.PATH, GH_TOKEN: 't', GITHUB_REPOSITORY: 'org/churn', GITHUB_API_URL: api, GITHUB_SHA: sha };
  return new Promise((done) => {
    const child = spawn('bash', [SCRIPT, ...args], { cwd, env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('exit', (code) => done({ code, out }));
  });
}

describe('deployed-pin.sh', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'pin-'));
  mkdirSync(join(cwd, 'environments'));

  it('says an environment was never recorded (exit 3), and changes no file', async () => {
    writeFileSync(join(cwd, 'environments', 'prod.yaml'), 'model:\n  version: 9\n');
    const r = await run(['restore', 'prod'], cwd);
    expect(r).toEqual({ code: 3, out: 'prod has no deployed/prod yet\n' });
    expect(readFileSync(join(cwd, 'environments', 'prod.yaml'), 'utf8')).toBe('model:\n  version: 9\n');
  });

  it('creates the tag on the first deploy and moves it on the next', async () => {
    calls.length = 0;
    expect((await run(['record', 'prod'], cwd)).code).toBe(0);
    expect(calls).toEqual(['PATCH /repos/org/churn/git/refs/tags/deployed/prod', 'POST /repos/org/churn/git/refs']);
    calls.length = 0;
    expect((await run(['record', 'prod'], cwd, 'abc123')).out).toBe('deployed/prod -> abc123\n');
    expect(calls).toEqual(['PATCH /repos/org/churn/git/refs/tags/deployed/prod']);
    expect(refs.get('deployed/prod')).toBe('abc123');
  });

  it('restores the environment file as the tag has it, whatever commits came after', async () => {
    const r = await run(['restore', 'prod'], cwd);
    expect(r).toEqual({ code: 0, out: 'environments/prod.yaml restored as deployed/prod deployed it\n' });
    expect(readFileSync(join(cwd, 'environments', 'prod.yaml'), 'utf8')).toBe('model:\n  version: 6\n');
  });

  it('refuses a bad environment name and an unknown action', async () => {
    expect(await run(['restore', '../etc'], cwd)).toEqual({ code: 2, out: '::error::not an environment name: ../etc\n' });
    expect((await run(['push', 'prod'], cwd)).code).toBe(2);
  });
});
