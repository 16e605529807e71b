import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';

/** The real path of `path`, through symlinks, for the part of it that exists (the rest appended). */
function realPath(path: string): string {
  if (existsSync(path)) return realpathSync(path);
  const parent = dirname(path);
  return parent === path ? path : join(realPath(parent), basename(path));
}

/**
 * Where a path input points outside the workspace the runner gives (GITHUB_WORKSPACE), after `..`
 * and symlinks: the real path it reaches, or undefined when it stays inside (or no runner set a
 * workspace). A path is read relative to the working directory, where the runner starts actions.
 */
export function outsideWorkspace(path: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!env.GITHUB_WORKSPACE) return undefined;
  const workspace = realPath(resolve(env.GITHUB_WORKSPACE));
  const target = realPath(resolve(process.cwd(), path));
  const rel = relative(workspace, target);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel)) ? undefined : target;
}

/** The rule a path input breaks, in the words its error uses. */
export function workspaceRule(path: string, target: string, env: NodeJS.ProcessEnv = process.env): string {
  const workspace = env.GITHUB_WORKSPACE;
  return `must be a path inside the workspace (${workspace}), got '${path}', which leads to ${target}`;
}
