// Bundles the actions named into actions/<name>/dist/: ncc, then dead code dropped.
//   tsx scripts/bundle-actions.ts <action>...   (npx projen bundle: every action, a process each)
// ncc's API rather than its CLI, for one option the CLI lacks: main fields. ncc resolves a package
// by its CommonJS `main`, so an AWS SDK package arrives whole and cannot be tree-shaken: every
// operation of the client, the HTTP/2 handler (which loads node:http2 at start), protocols the
// client does not speak. The SDK's packages also name their ES build in `module`; resolved by
// that, webpack keeps only what a bundle uses. Packages with an `exports` map resolve through it
// as before.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compressBundle } from './compress-bundles.js';

interface NccAsset { source: string | Buffer; permissions?: number }
type Ncc = (entry: string, options: Record<string, unknown>) => Promise<{ code: string; assets: Record<string, NccAsset> }>;
const ncc = createRequire(import.meta.url)('@vercel/ncc') as Ncc;

/** Bundles one entry into `dist` (emptied first, so that a chunk no longer made does not linger). */
export async function bundleEntry(entry: string, dist: string): Promise<{ before: number; after: number }> {
  const { code, assets } = await ncc(resolve(entry), {
    minify: true,
    quiet: true,
    target: 'es2022',
    license: 'licenses.txt',
    mainFields: ['module', 'main'],
  });
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  writeFileSync(join(dist, 'index.js'), code);
  for (const [name, asset] of Object.entries(assets)) {
    mkdirSync(dirname(join(dist, name)), { recursive: true });
    writeFileSync(join(dist, name), asset.source, { mode: asset.permissions });
  }
  return compressBundle(dist);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((a) => !existsSync(join('actions', a, 'action.yml')));
  if (wanted.length === 0 || unknown.length) {
    console.error(unknown.length ? `Not an action (no actions/<name>/action.yml): ${unknown.join(', ')}` : 'Name the actions to bundle');
    process.exit(2);
  }
  for (const action of wanted) {
    const dist = join('actions', action, 'dist');
    try {
      const { before, after } = await bundleEntry(join('actions', action, 'src', 'main.ts'), dist);
      console.log(`${dist}: ${before} bytes from ncc, ${after} without dead code`);
    } catch (error) {
      // ncc's errors carry its own minified source line; the message says what is wrong.
      console.error(`Could not bundle ${action}: ${(error as Error).message.split('\n').slice(0, 5).join('\n')}`);
      process.exit(1);
    }
  }
}
