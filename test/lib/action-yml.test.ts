// Every action.yml and the zod schema its inputs.ts owns say the same thing: the same input
// names, the same required inputs, the same defaults, and a description for each. An input
// documented one way and parsed another is a bug users find in production.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import type * as z from '../../core/zod.js';

const ACTIONS = readdirSync('actions').filter((a) => existsSync(`actions/${a}/action.yml`)).sort();

interface ActionYml {
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description?: string }>;
}

/** The value the schema gives an input the runner passes empty, or why it refuses it. */
function parsedDefault(schema: z.ZodMiniType): { ok: true; value: unknown } | { ok: false } {
  const result = schema.safeParse(undefined);
  return result.success ? { ok: true, value: result.data } : { ok: false };
}

const asInputText = (value: unknown) => (Array.isArray(value) ? value.join(',') : String(value));

describe.each(ACTIONS)('%s: action.yml agrees with inputs.ts', (action) => {
  const yml = parse(readFileSync(`actions/${action}/action.yml`, 'utf8')) as ActionYml;

  it('declares the same inputs, each described, with the same required flags and defaults', async () => {
    const { inputSchema } = (await import(`../../actions/${action}/src/inputs.js`)) as { inputSchema: z.ZodMiniObject };
    const shape = inputSchema.shape as Record<string, z.ZodMiniType>;
    expect(Object.keys(yml.inputs ?? {}).sort()).toEqual(Object.keys(shape).sort());
    for (const [name, declared] of Object.entries(yml.inputs ?? {})) {
      expect([name, typeof declared.description === 'string' && declared.description.trim().length > 0]).toEqual([name, true]);
      const parsed = parsedDefault(shape[name]);
      // Required in action.yml exactly when the schema refuses an empty value.
      expect([name, declared.required === true]).toEqual([name, !parsed.ok]);
      if (!parsed.ok) continue;
      const documented = declared.default;
      if (documented !== undefined && documented.includes('${{')) {
        // An expression the runner fills in (github.token): the schema must accept it missing.
        expect([name, parsed.value]).toEqual([name, undefined]);
      } else {
        expect([name, documented]).toEqual([name, parsed.value === undefined ? undefined : asInputText(parsed.value)]);
      }
    }
  });

  it('describes every output', () => {
    for (const [name, output] of Object.entries(yml.outputs ?? {})) {
      expect([name, typeof output.description === 'string' && output.description.trim().length > 0]).toEqual([name, true]);
    }
  });
});
