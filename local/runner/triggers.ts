// Which workflows an event starts, as GitHub decides it from `on:`: push with branches, tags and
// paths filters (and their -ignore forms), pull_request with types, base branches and paths,
// workflow_dispatch by file. Filter patterns are GitHub's: globs where `*` stays within a path
// segment and `**` crosses them, read in order, a `!` pattern taking back what came before.
import { minimatch } from 'minimatch';
import type { LoadedWorkflow } from './workflow.js';

export type TriggerEvent =
  | { name: 'push'; ref: string; changedFiles: string[] }
  | { name: 'pull_request'; action: string; baseRef: string; changedFiles: string[] }
  | { name: 'workflow_dispatch'; workflowFile: string }
  | { name: 'repository_dispatch'; type: string };

interface Filters {
  'branches'?: string[];
  'branches-ignore'?: string[];
  'tags'?: string[];
  'tags-ignore'?: string[];
  'paths'?: string[];
  'paths-ignore'?: string[];
  'types'?: string[];
}

/** Whether a name passes an ordered pattern list (the last matching pattern decides). */
export function filterMatches(name: string, patterns: string[]): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (minimatch(name, p.slice(1), { dot: true })) matched = false;
    } else if (minimatch(name, p, { dot: true })) {
      matched = true;
    }
  }
  return matched;
}

function refPasses(short: string, include: string[] | undefined, ignore: string[] | undefined): boolean {
  if (include) return filterMatches(short, include);
  if (ignore) return !filterMatches(short, ignore);
  return true;
}

function pathsPass(files: string[], f: Filters): boolean {
  if (f.paths) return files.some((file) => filterMatches(file, f.paths!));
  if (f['paths-ignore']) return files.some((file) => !filterMatches(file, f['paths-ignore']!));
  return true;
}

export function startsWorkflow(workflow: LoadedWorkflow, event: TriggerEvent): boolean {
  const events = workflow.template.events as Record<string, Filters | undefined>;
  if (!(event.name in events)) return false;
  const f = events[event.name] ?? {};
  switch (event.name) {
    case 'push': {
      const tag = event.ref.startsWith('refs/tags/');
      const short = event.ref.replace(/^refs\/(heads|tags)\//, '');
      const branchFilter = f.branches !== undefined || f['branches-ignore'] !== undefined;
      const tagFilter = f.tags !== undefined || f['tags-ignore'] !== undefined;
      // A workflow that filters only branches is not started by tags, and the other way round.
      if (tag ? branchFilter && !tagFilter : tagFilter && !branchFilter) return false;
      const refOk = tag ? refPasses(short, f.tags, f['tags-ignore']) : refPasses(short, f.branches, f['branches-ignore']);
      // Paths filters do not apply to tag pushes.
      return refOk && (tag || pathsPass(event.changedFiles, f));
    }
    case 'pull_request': {
      const types = f.types ?? ['opened', 'synchronize', 'reopened'];
      return types.includes(event.action) && refPasses(event.baseRef, f.branches, f['branches-ignore']) && pathsPass(event.changedFiles, f);
    }
    case 'workflow_dispatch':
      return workflow.path.split('/').pop() === event.workflowFile;
    case 'repository_dispatch':
      return !f.types || f.types.includes(event.type);
    default:
      return false;
  }
}
