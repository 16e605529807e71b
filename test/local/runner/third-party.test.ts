// The local equivalents of setup-node's dependency restore and setup-buildx, and jobs left out
// offline: what the workflows' own steps see of them.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { job, output, workspace, type Workspace } from './harness.js';
import { node24 } from '../../../local/runner/node.js';
import { localActions } from '../../../local/runner/third-party.js';

let ws: Workspace | undefined;
let machine: string | undefined;
afterEach(() => {
  ws?.remove();
  if (machine) rmSync(machine, { recursive: true, force: true });
  ws = machine = undefined;
});

const SETUP_NODE = 'actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020';

/** This machine's install (a project with node_modules) and an npm on PATH that records its arguments. */
function machineInstall(lock: string): { root: string; path: string; log: string } {
  machine = mkdtempSync(join(tmpdir(), 'machine-'));
  const root = join(machine, 'project');
  mkdirSync(join(root, 'node_modules', 'kept'), { recursive: true });
  writeFileSync(join(root, 'package-lock.json'), lock);
  const bin = join(machine, 'bin');
  mkdirSync(bin);
  const log = join(machine, 'npm.log');
  writeFileSync(join(bin, 'npm'), `#!/usr/bin/env bash\necho "real npm $*" >> ${log}\n`);
  chmodSync(join(bin, 'npm'), 0o755);
  return { root, path: `${bin}:${process.env.PATH}`, log };
}

function npmCi(lock: string, installedLock: string) {
  const install = machineInstall(installedLock);
  ws = workspace({
    'package-lock.json': lock,
    '.github/workflows/w.yml': `
on: push
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - uses: ${SETUP_NODE}
        with:
          node-version: 24
      - run: npm ci --no-audit
      - run: if [ -L node_modules ]; then echo linked; else echo "not linked"; fi
`,
  });
  symlinkSync(join(install.root, 'node_modules'), join(ws.dir, 'node_modules'));
  const baseEnv = { PATH: install.path, HOME: process.env.HOME ?? '/tmp' };
  // setup-node checks the version asked for against the runner's Node 24.
  const node = node24();
  return { install, run: () => ws!.run('.github/workflows/w.yml', { baseEnv, hooks: { node, actions: localActions(node) } }) };
}

describe('setup-node', () => {
  it('makes npm ci a cache hit when node_modules is the machine\'s install of the same lockfile', async () => {
    const { install, run } = npmCi('{"lockfileVersion":3}', '{"lockfileVersion":3}');
    const j = job(await run(), 'j');
    expect(j.result).toBe('success');
    expect(output(j)).toContain('npm ci: node_modules restored from the local install (package-lock.json unchanged), as a dependency cache hit would');
    expect(output(j)).toContain('linked');
    expect(() => readFileSync(install.log, 'utf8')).toThrow();
  });

  it('unlinks the machine\'s install before a real npm ci of another lockfile, which would empty it', async () => {
    const { install, run } = npmCi('{"lockfileVersion":3,"other":true}', '{"lockfileVersion":3}');
    const j = job(await run(), 'j');
    expect(j.result).toBe('success');
    expect(readFileSync(install.log, 'utf8')).toBe('real npm ci --no-audit\n');
    expect(output(j)).toContain('not linked');
    expect(readFileSync(join(install.root, 'package-lock.json'), 'utf8')).toBe('{"lockfileVersion":3}');
    expect(() => readFileSync(join(install.root, 'node_modules', 'kept'))).toThrow(/EISDIR/);
  });
});

describe('setup-buildx and jobs left out', () => {
  it('says there is no engine, and records a job the hook leaves out as skipped with its reason', async () => {
    ws = workspace({
      '.github/workflows/w.yml': `
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - id: buildx
        uses: docker/setup-buildx-action@e468171a9de216ec08956ac3ada2f0791b6bd435
      - run: echo "driver \${{ steps.buildx.outputs.driver }}"
  suite:
    runs-on: ubuntu-latest
    steps:
      - run: exit 1
`,
    });
    const skip = (workflow: string, id: string) => (workflow === '.github/workflows/w.yml' && id === 'suite' ? 'offline, npm test runs it' : undefined);
    const run = await ws.run('.github/workflows/w.yml', { hooks: { node: process.execPath, actions: localActions(process.execPath), skip } });
    expect(output(job(run, 'build'))).toEqual([
      'No Docker engine offline: build-image reuses the images the twin knows by content tag; a changed container cannot be built here',
      'driver none',
    ]);
    expect([job(run, 'suite').result, job(run, 'suite').reason, run.result]).toEqual(['skipped', 'offline, npm test runs it', 'success']);
  });
});
