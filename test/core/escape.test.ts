// The escaping helper and the strict parsers, for any string: either a clear error or a value that
// round-trips, and nothing a runner would read as a workflow command comes out.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { input, parseDecimal, parseInputs } from '../../actions/lib/inputs.js';
import { UserError } from '../../core/errors.js';
import { controlCharacter, defuseCommands, userText } from '../../core/escape.js';
import * as z from '../../core/zod.js';

/** What the runner treats as a workflow command: a line that starts with `::` after optional blanks. */
const readsAsCommand = (text: string) => text.split(/\r?\n|\r/).some((line) => /^[ \t]*::/.test(line));

describe('escaping user values', () => {
  it('never lets a log line read as a workflow command, and changes nothing else', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(':', 'a', ' ', '\n', '\t', 'e', 'r', 'o', '\u200b') }), (text) => {
        const out = defuseCommands(text);
        expect(readsAsCommand(out)).toBe(false);
        expect(out.replace(/\u200b/g, '')).toBe(text.replace(/\u200b/g, ''));
      }),
    );
  });

  it('keeps any value on one line with no command in it, and shows its control characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const out = userText(text);
        expect(out).not.toMatch(/[\u0000-\u001f\u007f]/);
        expect(out).not.toContain('::');
        expect(readsAsCommand(`prefix ${out}`)).toBe(false);
        if (!/[\u0000-\u001f\u007f]/.test(text) && !text.includes('::')) expect(out).toBe(text);
      }),
    );
    expect(userText('a\n::add-mask::x')).toBe('a\\n:\u200b:add-mask:\u200b:x');
    expect(userText(':::')).toBe(':\u200b:\u200b:');
    expect(controlCharacter('ok')).toBeUndefined();
    expect(controlCharacter('tag\u001b[31m')).toBe('\\u001b');
  });
});

describe('strict value parsers', () => {
  it('reads a decimal number exactly as written, and nothing that is not one', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
      expect(parseDecimal(String(x))).toBe(x === 0 ? 0 : x);
    }));
    fc.assert(fc.property(fc.string(), (text) => {
      const n = parseDecimal(text);
      if (n !== undefined) expect(Number(text.trim())).toBe(n);
    }));
    for (const bad of ['', ' ', '0x1', '1,5', 'Infinity', '1e', '--1', '.', '1.2.3']) expect([bad, parseDecimal(bad)]).toEqual([bad, undefined]);
  });

  it('refuses a line break or an escape code in a one-line input, naming the input', () => {
    const schema = z.object({ 'stack-name': input.optional(), 'tags': input.multiline() });
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), (text) => {
        const env = { 'INPUT_STACK-NAME': text, 'INPUT_TAGS': text };
        const bad = /[\u0000-\u001f\u007f]/.test(text.trim());
        if (bad) {
          expect(() => parseInputs(schema, env)).toThrow(UserError);
          expect(() => parseInputs(schema, env)).toThrow(/^Input 'stack-name' must be one line without control characters, got \\u00[0-9a-f]{2}/);
        } else {
          const parsed = parseInputs(schema, env);
          expect(parsed['stack-name']).toBe(text.trim() === '' ? undefined : text.trim());
        }
      }),
    );
    expect(parseInputs(schema, { INPUT_TAGS: 'a=1\nb=2' }).tags).toBe('a=1\nb=2');
  });

  it('refuses an empty or hexadecimal number where a number is asked', () => {
    const schema = z.object({ 'max-regression': input.number(0, 1) });
    expect(() => parseInputs(schema, { 'INPUT_MAX-REGRESSION': '0x1' })).toThrow("Input 'max-regression' must be a number from 0 to 1, got '0x1'");
    expect(() => parseInputs(schema, {})).toThrow("Input 'max-regression' is required");
    expect(parseInputs(schema, { 'INPUT_MAX-REGRESSION': '.05' })['max-regression']).toBe(0.05);
  });
});
