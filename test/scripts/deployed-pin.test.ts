// scripts/deployed-pin.sh against the GitHub stand-in (real git, GitHub's contract, a job token
// with the record job's permissions): `record` moves (or first creates) the tag
// deployed/<environment>, `restore` writes the environment file as that tag has it.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GitHubStandIn } from '../../local/github/server.js';

const SCRIPT = resolve('scripts/deployed-pin.sh');
let github: GitHubStandIn;
let temp: string;
let token = '';
const commits: string[] = [];

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'pin-github-'));
  github = await new GitHubStandIn({ stateDir: temp }).start();
  const git = github.repository('org/churn').git;
  const author = { name: 't', email: 't@x' };
  const empty = git.git(['mktree'], { input: '' }).trim();
  let parent = git.commitTree(empty, [], 'first', author);
  for (const version of [6, 7]) {
    parent = git.commitFile(parent, 'environments/prod.yaml', Buffer.from(`model:\n  version: ${version}\n`), `pin ${version}`, author);
    commits.push(parent);
  }
  git.updateRef('refs/heads/main', parent);
  // The record job's permissions in deploy-environment.yml.
  token = github.installationToken('org/churn', { contents: 'write' });
});
afterAll(async () => {
  await github?.stop();
  rmSync(temp, { recursive: true, force: true });
});

const calls = () => github.requests.map((r) => `${r.operation} ${r.status}`);

function run(args: string[], cwd: string, sha = commits[0]): Promise<{ code: number | null; out: string }> {
  const env = { PATH: process.env.PATH, GH_TOKEN: token, GITHUB_REPOSITORY: 'org/churn', GITHUB_API_URL: github.apiUrl, GITHUB_SHA: sha };
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
    github.requests.length = 0;
    expect((await run(['record', 'prod'], cwd)).code).toBe(0);
    expect(calls()).toEqual(['git/update-ref 422', 'git/create-ref 201']);
    github.requests.length = 0;
    expect((await run(['record', 'prod'], cwd, commits[0])).out).toBe(`deployed/prod -> ${commits[0]}\n`);
    expect(calls()).toEqual(['git/update-ref 200']);
    expect(github.repository('org/churn').git.resolve('refs/tags/deployed/prod')).toBe(commits[0]);
  });

  it('restores the environment file as the tag has it, whatever commits came after', async () => {
    expect(github.repository('org/churn').git.resolve('refs/heads/main')).toBe(commits[1]);
    const r = await run(['restore', 'prod'], cwd);
    expect(r).toEqual({ code: 0, out: 'environments/prod.yaml restored as deployed/prod deployed it\n' });
    expect(readFileSync(join(cwd, 'environments', 'prod.yaml'), 'utf8')).toBe('model:\n  version: 6\n');
  });

  it('refuses a bad environment name and an unknown action', async () => {
    expect(await run(['restore', '../etc'], cwd)).toEqual({ code: 2, out: '::error::not an environment name: ../etc\n' });
    expect((await run(['push', 'prod'], cwd)).code).toBe(2);
  });

  it('made only calls GitHub\'s contract and the job\'s permissions allow', () => {
    expect(github.requests.filter((r) => r.status >= 500 || r.status === 403 || r.status === 400)).toEqual([]);
  });
});
