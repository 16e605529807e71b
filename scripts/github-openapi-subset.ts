// Writes local/github/openapi.json: the operations of GitHub's REST API that the actions, scripts,
// workflows and the local runner call, cut from GitHub's official OpenAPI description
// (@octokit/openapi) with every component they reference. The whole description is 13 MB; a
// validator over all of it takes minutes and a gigabyte, so the GitHub stand-in loads this cut.
//   npx projen github:openapi     (fetches @octokit/openapi from the npm registry when it is not installed)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const OPENAPI_PACKAGE = '@octokit/openapi@23.0.2';

/** Every operation the stand-in serves, by GitHub's operationId. */
export const OPERATIONS = [
  'pulls/create', 'pulls/list', 'pulls/get', 'pulls/update', 'pulls/merge',
  'issues/list-comments', 'issues/create-comment', 'issues/update-comment',
  'issues/create', 'issues/list-for-repo', 'issues/update', 'issues/add-labels',
  'git/get-ref', 'git/create-ref', 'git/update-ref', 'git/delete-ref',
  'repos/get-content', 'repos/create-or-update-file-contents',
  'actions/create-workflow-dispatch', 'repos/create-dispatch-event',
  'repos/create-or-update-environment', 'repos/get-environment',
  'actions/get-pending-deployments-for-run', 'actions/review-pending-deployments-for-run',
  'actions/list-repo-variables', 'actions/create-repo-variable', 'actions/update-repo-variable',
  'actions/create-environment-variable',
];

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
// Documentation the validator does not read.
const DROP = new Set(['description', 'summary', 'examples', 'example', 'externalDocs', 'x-github', 'x-githubEnterpriseOnly', 'x-multi-segment', 'tags']);

function description(): Record<string, unknown> {
  const installed = join('node_modules', '@octokit', 'openapi', 'generated', 'api.github.com.json');
  if (existsSync(installed)) return JSON.parse(readFileSync(installed, 'utf8')) as Record<string, unknown>;
  const dir = mkdtempSync(join(tmpdir(), 'octokit-openapi-'));
  console.log(`fetching ${OPENAPI_PACKAGE} from the npm registry`);
  const tarball = execFileSync('npm', ['pack', OPENAPI_PACKAGE, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop()!;
  execFileSync('tar', ['-xzf', join(dir, tarball), '-C', dir, 'package/generated/api.github.com.json']);
  return JSON.parse(readFileSync(join(dir, 'package', 'generated', 'api.github.com.json'), 'utf8')) as Record<string, unknown>;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !DROP.has(k)).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, strip(s)])) : strip(v)]));
}

function refsIn(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {value.forEach((v) => refsIn(v, found));} else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') found.add(v);
      else refsIn(v, found);
    }
  }
}

interface FullDescription {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, { operationId?: string }>>;
  components: Record<string, Record<string, unknown>>;
}
const full = description() as unknown as FullDescription;
const paths: Record<string, Record<string, unknown>> = {};
const missing = new Set(OPERATIONS);
for (const [path, item] of Object.entries(full.paths)) {
  for (const method of METHODS) {
    const op = item[method];
    if (op?.operationId && missing.has(op.operationId)) {
      missing.delete(op.operationId);
      (paths[path] ??= {})[method] = { ...(strip(op) as object), operationId: op.operationId };
    }
  }
}
if (missing.size) throw new Error(`not in GitHub's description: ${[...missing].join(', ')}`);

// Every component the operations reach, following references inside components too.
const components: Record<string, Record<string, unknown>> = {};
const pending = new Set<string>();
refsIn(paths, pending);
const done = new Set<string>();
while (pending.size) {
  const ref = pending.values().next().value as string;
  pending.delete(ref);
  if (done.has(ref)) continue;
  done.add(ref);
  const [, , kind, name] = ref.split('/');
  const value = strip(full.components[kind][name]);
  (components[kind] ??= {})[name] = value;
  const inner = new Set<string>();
  refsIn(value, inner);
  for (const r of inner) if (!done.has(r)) pending.add(r);
}

const subset = { openapi: full.openapi, info: { title: `GitHub REST API, the operations sagemaker-gitops uses (${OPENAPI_PACKAGE})`, version: full.info.version }, paths, components };
writeFileSync('local/github/openapi.json', `${JSON.stringify(subset)}\n`);
console.log(`local/github/openapi.json: ${OPERATIONS.length} operations, ${done.size} components, ${JSON.stringify(subset).length} bytes`);
