import { outsideWorkspace, workspaceRule } from './workspace.js';
import { REGION_PATTERN } from '../../core/aws-names.js';
import { UserError } from '../../core/errors.js';
import { controlCharacter, userText } from '../../core/escape.js';
import { describeIssue } from '../../core/issues.js';
import * as z from '../../core/zod.js';

/** The value the runner passes for a kebab-case input (`INPUT_TIMEOUT-MINUTES`), trimmed; '' when unset. */
export function getInput(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

// Inputs whose value may span lines (key=value lists, JSON); every other input is one line.
const MULTILINE = new WeakSet<z.ZodMiniType>();
const multiline = <T extends z.ZodMiniType>(schema: T): T => (MULTILINE.add(schema), schema);
// Inputs that name a file or folder of the workspace: checked to stay inside it, through symlinks.
const PATHS = new WeakSet<z.ZodMiniType>();
const workspacePath = <T extends z.ZodMiniType>(schema: T): T => (PATHS.add(schema), schema);

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A number written in decimal (`0.75`, `-2`, `1e-3`); undefined for anything else ('', `0x1`, `Infinity`, `1,5`). */
export function parseDecimal(text: string): number | undefined {
  const t = text.trim();
  if (!DECIMAL.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

const TRUE = /^(true|True|TRUE)$/;
const FALSE = /^(false|False|FALSE)$/;

/** An optional text input read by `read`, which returns the value or, when the text is not allowed, what is allowed. */
function readWith<T>(read: (value: string | undefined) => { value: T } | { problem: string }) {
  return z.pipe(
    z.optional(z.string()),
    z.transform((value: string | undefined, ctx) => {
      const result = read(value);
      if ('value' in result) return result.value;
      ctx.issues.push({ code: 'custom', message: result.problem, input: value });
      return z.NEVER;
    }),
  );
}

/** An optional text input that must pass `test`; `problem` says what is allowed. */
function optionalWhere(test: (value: string) => boolean, problem: (value: string) => string) {
  return z.optional(z.string()).check(z.refine((v) => v === undefined || test(v), { error: (iss) => problem(String(iss.input)) }));
}

/** Builders for action inputs. Each takes the raw string (undefined when empty) and says what is allowed. */
/** A number input between bounds, read by `parse` (undefined when the text is not one). */
function bounded(parse: (text: string) => number | undefined, kind: string, min: number, max: number, fallback?: number) {
  return readWith<number>((value) => {
    if (value === undefined) return fallback !== undefined ? { value: fallback } : { problem: 'is required' };
    const n = parse(value);
    if (n === undefined || n < min || n > max) return { problem: `must be a ${kind} from ${min} to ${max}, got '${value}'` };
    return { value: n };
  });
}

export const input = {
  required: () => z.string({ error: () => 'is required' }),
  optional: () => z.optional(z.string()),
  /** Text that may span lines: key=value lists, JSON. */
  multiline: () => multiline(z.optional(z.string())),
  /** A decimal number from min to max; `fallback` when empty (required when there is none). */
  number: (min: number, max: number, fallback?: number) => bounded(parseDecimal, 'number', min, max, fallback),
  /** A decimal number from min to max, or undefined when empty. */
  optionalNumber: (min: number, max: number) => z.optional(bounded(parseDecimal, 'number', min, max)),
  boolean: (fallback: boolean) =>
    readWith<boolean>((value) => {
      if (value === undefined) return { value: fallback };
      if (TRUE.test(value)) return { value: true };
      if (FALSE.test(value)) return { value: false };
      return { problem: `must be true or false, got '${value}'` };
    }),
  /** A whole number from min to max; `fallback` when empty (required when there is none). */
  integer: (min: number, max: number, fallback?: number) =>
    bounded((v) => (/^-?\d+$/.test(v) ? Number(v) : undefined), 'whole number', min, max, fallback),
  /** A whole number from min to max, or undefined when empty. */
  optionalInteger: (min: number, max: number) => z.optional(input.integer(min, max)),
  /** Comma- or newline-separated values, each from `allowed`. */
  list: <T extends string>(allowed: readonly T[], fallback: T[]) =>
    multiline(readWith<T[]>((value) => {
      if (value === undefined) return { value: fallback };
      const items = value.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
      const bad = items.filter((i) => !allowed.includes(i as T));
      if (bad.length > 0) return { problem: `has ${bad.map((b) => `'${b}'`).join(', ')}; allowed: ${allowed.join(', ')}` };
      return { value: [...new Set(items)] as T[] };
    })),
  /** One of `allowed`; `fallback` when empty (required when there is none). */
  oneOf: <T extends string>(allowed: readonly T[], fallback?: T) =>
    readWith<T>((value) => {
      if (value === undefined && fallback !== undefined) return { value: fallback };
      if (value !== undefined && allowed.includes(value as T)) return { value: value as T };
      return { problem: value === undefined ? `is required (one of ${allowed.join(', ')})` : `must be one of ${allowed.join(', ')}, got '${value}'` };
    }),
  /** A file or folder in the workspace, relative to it; `fallback` when empty (required when there is none). */
  path: (fallback?: string) => workspacePath(fallback === undefined ? z.string({ error: () => 'is required' }) : z._default(z.optional(z.string()), fallback)),
  /** An optional file or folder in the workspace. */
  optionalPath: () => workspacePath(z.optional(z.string())),
  /** Optional text of at most `max` characters: `limit` names whose limit it is (AWS's field). */
  limited: (max: number, limit: string) =>
    optionalWhere((v) => v.length <= max, (v) => `must be at most ${max} characters (${limit}), got ${v.length}`),
  /** Text with a default: the schema, not the calling code, owns what an empty input means. */
  text: (fallback: string) => z._default(z.optional(z.string()), fallback),
  /** Text with a default that must pass `test`; `problem` says what is allowed. */
  textWhere: (fallback: string, test: (value: string) => boolean, problem: (value: string) => string) =>
    z._default(z.optional(z.string()), fallback).check(z.refine(test, { error: (iss) => problem(String(iss.input)) })),
  /** Optional text that must pass `test`; `problem` says what is allowed. */
  optionalWhere,
  /** An AWS region; empty falls back to the ARN, the environment file or AWS_REGION (see ActionContext.region). */
  region: () => optionalWhere((v) => REGION_PATTERN.test(v), (v) => `must be an AWS region like us-east-1, got '${v}'`),
  matching: (pattern: RegExp, rule: string) =>
    z.string({ error: () => 'is required' }).check(z.refine((v) => pattern.test(v), { error: (iss) => `must be ${rule}, got '${String(iss.input)}'` })),
  /** Optional text matching `pattern`, `fallback` when empty. */
  matchingOr: (pattern: RegExp, rule: string, fallback: string) =>
    input.textWhere(fallback, (v) => pattern.test(v), (v) => `must be ${rule}, got '${v}'`),
};

/**
 * Parses the action's inputs, named by the schema's kebab-case keys, before anything else runs.
 * A bad input throws a UserError naming every bad input and what it allows.
 */
export function parseInputs<S extends z.ZodMiniObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const raw: Record<string, string | undefined> = {};
  const oneLine: string[] = [];
  for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodMiniType>)) {
    const value = getInput(name, env);
    raw[name] = value === '' ? undefined : value;
    // A name, a tag or a reason with a line break or an escape code in it is a mistake or an attack.
    const bad = MULTILINE.has(field) ? undefined : controlCharacter(value);
    if (bad) oneLine.push(`Input '${name}' must be one line without control characters, got ${bad} in '${userText(value)}'`);
  }
  if (oneLine.length) throw new UserError(oneLine.join('\n'));
  const result = schema.safeParse(raw, { reportInput: true });
  if (result.success) {
    const outside = Object.entries(schema.shape as Record<string, z.ZodMiniType>).flatMap(([name, field]) => {
      const value = (result.data as Record<string, unknown>)[name];
      const target = PATHS.has(field) && typeof value === 'string' ? outsideWorkspace(value, env) : undefined;
      return target ? [`Input '${name}' ${workspaceRule(String(value), target, env)}`] : [];
    });
    if (outside.length) throw new UserError(outside.join('\n'));
    return result.data;
  }
  const lines = result.error.issues.map((issue) => `Input '${String(issue.path[0])}' ${describeIssue(issue)}`);
  throw new UserError(lines.join('\n'));
}
