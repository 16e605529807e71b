import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Patterns of a .dockerignore: a name, a path prefix (`tests/`) or a `*.ext` glob. */
function ignoreRules(folder: string): ((path: string) => boolean)[] {
  const file = join(folder, '.dockerignore');
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  return lines
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((pattern) => {
      const clean = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
      if (clean.startsWith('*.')) return (p: string) => p.endsWith(clean.slice(1));
      return (p: string) => p === clean || p.startsWith(`${clean}/`) || p.split('/').includes(clean);
    });
}

/** The files of a build context that reach the image, as sorted relative paths. */
export function contextFiles(folder: string): string[] {
  const ignored = ignoreRules(folder);
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      const rel = relative(folder, full).split(sep).join('/');
      if (ignored.some((rule) => rule(rel))) continue;
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.push(rel);
    }
  };
  walk(folder);
  return files.sort();
}

/**
 * A hash of a container folder's content (paths, executable bits, bytes), so an unchanged
 * container maps to the image already built from it and is never rebuilt.
 */
export function contentHash(folder: string): string {
  const hash = createHash('sha256');
  for (const rel of contextFiles(folder)) {
    const full = join(folder, rel);
    // eslint-disable-next-line no-bitwise -- the executable bits of a file mode
    const executable = (statSync(full).mode & 0o111) !== 0;
    hash.update(`${rel}\0${executable ? 'x' : '-'}\0`);
    hash.update(createHash('sha256').update(readFileSync(full)).digest('hex'));
    hash.update('\n');
  }
  return hash.digest('hex');
}
