import type * as z from './zod.js';

/** A dotted path as a user writes it: `deployment.canaryPercent`, `alarms[0].name`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');
}

function describeReceived(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return `${typeof input} ${JSON.stringify(input)}`;
}

/** One issue in words that say what is allowed. Custom messages (ours) are used as they are. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${issue.expected}, got ${describeReceived(issue.input)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters long' : ''}, got ${describeReceived(issue.input)}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}${issue.origin === 'string' ? ' characters long' : ''}, got ${describeReceived(issue.input)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeReceived(issue.input)}`;
    case 'unrecognized_keys':
      return `has unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'invalid_union': {
      // A discriminated union names its options; another union has only its message.
      const options = 'options' in issue ? issue.options : undefined;
      if (!options?.length) return issue.message;
      const given = issue.discriminator && typeof issue.input === 'object' && issue.input !== null
        ? (issue.input as Record<string, unknown>)[issue.discriminator]
        : issue.input;
      return `must be one of ${options.map((o) => `'${String(o)}'`).join(', ')}, got ${describeReceived(given)}`;
    }
    default:
      return issue.message;
  }
}

/** Every issue as `path: what is wrong and what is allowed`, one per line. */
export function formatIssues(error: z.core.$ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const where = formatPath(issue.path);
    return `${prefix}${where || '(top level)'}: ${describeIssue(issue)}`;
  });
}
