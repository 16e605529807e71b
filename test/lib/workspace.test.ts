import { existsSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import fc from 'fast-check';
import { input, parseInputs } from '../../actions/lib/inputs.js';
import { parseKeyValues } from '../../actions/lib/key-values.js';
import { outsideWorkspace } from '../../actions/lib/workspace.js';
import * as z from '../../core/zod.js';

// A workspace with a file, a folder, a symlink out of it and one that stays inside; an outside file.
const root = mkdtempSync(join(tmpdir(), 'workspace-test-'));
const workspace = join(root, 'repo');
mkdirSync(join(workspace, 'cloudformation'), { recursive: true });
writeFileSync(join(workspace, 'cloudformation', 'app.yaml'), 'Resources: {}');
writeFileSync(join(root, 'secret.yaml'), 'Resources: {}');
writeFileSync(join(workspace, 'params.json'), '{"A": "1"}');
symlinkSync(join(root, 'secret.yaml'), join(workspace, 'cloudformation', 'escape.yaml'));
symlinkSync(root, join(workspace, 'up'));
symlinkSync(join(workspace, 'cloudformation', 'app.yaml'), join(workspace, 'inside.yaml'));

const cwd = process.cwd();
beforeAll(() => process.chdir(workspace));
afterAll(() => process.chdir(cwd));
const env = (vars: Record<string, string>) => ({ GITHUB_WORKSPACE: workspace, ...Object.fromEntries(Object.entries(vars).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])) });
const schema = z.object({ 'template': input.path(), 'environments-dir': input.path('environments'), 'metrics-file': input.optionalPath() });

describe('paths confined to the workspace', () => {
  it.each([
    ['a relative file', 'cloudformation/app.yaml'],
    ['a file that does not exist yet', 'cloudformation/new.yaml'],
    ['a symlink that stays inside', 'inside.yaml'],
    ['an absolute path inside', join(workspace, 'cloudformation', 'app.yaml')],
    ['a detour that comes back', 'cloudformation/../cloudformation/app.yaml'],
  ])('accepts %s', (_what, path) => {
    expect(outsideWorkspace(path, { GITHUB_WORKSPACE: workspace })).toBeUndefined();
    expect(parseInputs(schema, env({ template: path })).template).toBe(path);
  });

  it.each([
    ['a path through ..', '../secret.yaml', join(root, 'secret.yaml')],
    ['an absolute path', '/etc/passwd', '/etc/passwd'],
    ['a symlinked file that leads out', 'cloudformation/escape.yaml', join(root, 'secret.yaml')],
    ['a path under a symlinked folder', 'up/secret.yaml', join(root, 'secret.yaml')],
    ['a missing file under a symlinked folder', 'up/missing.yaml', join(root, 'missing.yaml')],
  ])('refuses %s, naming the input and where it leads', (_what, path, target) => {
    expect(() => parseInputs(schema, env({ template: path }))).toThrow(
      `Input 'template' must be a path inside the workspace (${workspace}), got '${path}', which leads to ${target}`,
    );
  });

  it('checks defaults and optional paths, and every bad one at once', () => {
    expect(parseInputs(schema, env({ template: 'inside.yaml' }))).toEqual({ 'template': 'inside.yaml', 'environments-dir': 'environments', 'metrics-file': undefined });
    expect(() => parseInputs(schema, env({ 'template': '/tmp', 'environments-dir': '..', 'metrics-file': '/etc/hosts' }))).toThrow(
      /Input 'template' must be a path inside the workspace .*\nInput 'environments-dir' must be a path inside .*\nInput 'metrics-file' must be a path inside .*/,
    );
  });

  it('confines file:// parameter files too', () => {
    process.env.GITHUB_WORKSPACE = workspace;
    try {
      expect(() => parseKeyValues(`file://${join(root, 'secret.yaml')}`, "Input 'parameter-overrides'", workspace)).toThrow(
        `Input 'parameter-overrides': file must be a path inside the workspace (${workspace}), got '${join(root, 'secret.yaml')}'`,
      );
      expect(parseKeyValues('file://params.json', "Input 'parameter-overrides'", workspace)).toEqual({ A: '1' });
    } finally {
      delete process.env.GITHUB_WORKSPACE;
    }
  });

  it('leaves paths alone where no runner set a workspace', () => {
    expect(outsideWorkspace('/etc/passwd', {})).toBeUndefined();
  });

  it('accepts exactly the paths that stay inside, for any path built from names, dots, slashes and the symlinks', () => {
    const part = fc.constantFrom('cloudformation', 'app.yaml', 'escape.yaml', 'up', 'inside.yaml', 'new', '..', '.', '', 'secret.yaml');
    fc.assert(
      fc.property(fc.boolean(), fc.array(part, { minLength: 1, maxLength: 5 }), (absolute, parts) => {
        const path = (absolute ? `${workspace}/` : '') + parts.join('/');
        fc.pre(path.trim() !== ''); // an empty input is 'is required', not a path
        const target = outsideWorkspace(path, { GITHUB_WORKSPACE: workspace });
        let accepted: string | undefined;
        let refused: string | undefined;
        try {
          accepted = parseInputs(schema, env({ template: path })).template;
        } catch (error) {
          refused = (error as Error).message;
        }
        if (target === undefined) {
          expect(accepted).toBe(path);
          // Independently: where an accepted path exists, its real path is inside the workspace.
          if (existsSync(path)) expect(relative(workspace, realpathSync(path)).startsWith('..')).toBe(false);
        } else {
          // Refused naming the input and a real path that is indeed outside.
          expect(refused).toBe(`Input 'template' must be a path inside the workspace (${workspace}), got '${path}', which leads to ${target}`);
          const rel = relative(workspace, target);
          expect(rel.startsWith('..') || isAbsolute(rel)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
