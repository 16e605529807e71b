import { getInput, input, parseInputs } from '../../actions/lib/inputs.js';
import { UserError } from '../../core/errors.js';
import * as z from '../../core/zod.js';

const schema = z.object({
  'name': input.required(),
  'timeout-minutes': input.integer(1, 360, 60),
  'dry-run': input.boolean(false),
  'capabilities': input.list(['A', 'B'] as const, ['A']),
  'stack-name': input.matching(/^[a-z]+$/, 'lowercase letters'),
  'note': input.optional(),
});

const env = (vars: Record<string, string>) => Object.fromEntries(Object.entries(vars).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));

describe('parseInputs', () => {
  it('reads kebab-case inputs as the runner passes them and applies defaults', () => {
    expect(parseInputs(schema, env({ 'name': ' x ', 'stack-name': 'app' }))).toEqual({
      'name': 'x',
      'timeout-minutes': 60,
      'dry-run': false,
      'capabilities': ['A'],
      'stack-name': 'app',
      'note': undefined,
    });
  });

  it('parses numbers, booleans in the runner\'s spellings and de-duplicated lists', () => {
    const parsed = parseInputs(schema, env({ 'name': 'x', 'stack-name': 'app', 'timeout-minutes': '5', 'dry-run': 'TRUE', 'capabilities': 'B,\nA, B' }));
    expect(parsed['timeout-minutes']).toBe(5);
    expect(parsed['dry-run']).toBe(true);
    expect(parsed.capabilities).toEqual(['B', 'A']);
  });

  it('names every bad input and what it allows', () => {
    const bad = env({ 'stack-name': 'App1', 'timeout-minutes': '0', 'dry-run': 'yes', 'capabilities': 'A,C' });
    expect(() => parseInputs(schema, bad)).toThrow(UserError);
    let message = '';
    try {
      parseInputs(schema, bad);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n')).toEqual([
      "Input 'name' is required",
      "Input 'timeout-minutes' must be a whole number from 1 to 360, got '0'",
      "Input 'dry-run' must be true or false, got 'yes'",
      "Input 'capabilities' has 'C'; allowed: A, B",
      "Input 'stack-name' must be lowercase letters, got 'App1'",
    ]);
  });

  it('requires an integer input without a default', () => {
    const s = z.object({ count: input.integer(1, 3) });
    expect(() => parseInputs(s, {})).toThrow("Input 'count' is required");
    expect(() => parseInputs(s, env({ count: '1.5' }))).toThrow("must be a whole number from 1 to 3, got '1.5'");
  });

  it('treats spaces in names like the runner does', () => {
    expect(getInput('my input', { INPUT_MY_INPUT: 'v' })).toBe('v');
  });
});
