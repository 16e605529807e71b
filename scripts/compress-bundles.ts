// Dead-code elimination for ncc's output. ncc minifies with terser's `compress: false` (names are
// mangled, nothing is removed), so code a bundle never reaches stays in it: the schema of every
// operation of a service (SageMaker's is 230 KB), protocols the client does not speak. Node parses
// all of it at start. This runs terser's compressor over each file of a dist/ folder, as webpack's
// production mode does; class and function names are kept, as ncc keeps them, for error names and
// stack traces.
// scripts/bundle-actions.ts runs it after ncc.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

/** Compresses every .js file in dir in place; returns bytes before and after. */
export async function compressBundle(dir: string): Promise<{ before: number; after: number }> {
  let before = 0;
  let after = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) {
    const path = join(dir, file);
    const code = readFileSync(path, 'utf8');
    // Each file is an ES module (index.js imports Node's createRequire; chunks export their modules).
    const out = await minify(code, {
      module: true,
      compress: { passes: 2 },
      mangle: { keep_classnames: true, keep_fnames: true },
      format: { comments: false },
    });
    if (out.code === undefined) throw new Error(`terser returned no code for ${path}`);
    writeFileSync(path, out.code);
    before += code.length;
    after += out.code.length;
  }
  return { before, after };
}

