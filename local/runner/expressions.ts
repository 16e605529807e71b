// Expressions as GitHub evaluates them: @actions/expressions (GitHub's own lexer, parser and
// evaluator) with the status functions and hashFiles that only a runner can answer, over the
// contexts of the job being run.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { globSync } from 'glob';

export type Contexts = Record<string, unknown>;

/** How the job or step before this expression went: what success(), failure() and cancelled() read. */
export interface Status {
  /** Something before failed (a needed job, or an earlier step of this job). */
  failed: boolean;
  cancelled: boolean;
  /** For a job: a job it needs was skipped, so success() is false although nothing failed. */
  blocked?: boolean;
  /** The workspace hashFiles reads. */
  workspace: string;
}

const CONTEXTS = ['github', 'env', 'vars', 'secrets', 'inputs', 'needs', 'steps', 'job', 'jobs', 'runner', 'strategy', 'matrix'];

/** A plain value as the evaluator's data. */
export function toData(value: unknown): data.ExpressionData {
  if (value === undefined || value === null) return new data.Null();
  if (typeof value === 'string') return new data.StringData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (Array.isArray(value)) return new data.Array(...value.map(toData));
  return new data.Dictionary(...Object.entries(value as object).map(([key, v]) => ({ key, value: toData(v) })));
}

/** The evaluator's data as a plain value (what toJSON would print). */
export function fromData(value: data.ExpressionData): unknown {
  return JSON.parse(JSON.stringify(value, data.replacer)) as unknown;
}

/** hashFiles(): the SHA-256 of the SHA-256 of each matching file, in path order; '' when none match. */
function hashFiles(workspace: string, patterns: string[]): string {
  const files = globSync(patterns, { cwd: workspace, nodir: true, dot: false, absolute: true }).sort();
  if (files.length === 0) return '';
  const all = createHash('sha256');
  for (const f of files) all.update(createHash('sha256').update(readFileSync(f)).digest());
  return all.digest('hex');
}

function statusFunctions(status: Status) {
  type Call = (...args: data.ExpressionData[]) => data.ExpressionData;
  const fn = (name: string, call: Call, minArgs = 0, maxArgs = 0) => ({ name, minArgs, maxArgs, call });
  return [
    fn('success', () => new data.BooleanData(!status.failed && !status.cancelled && !status.blocked)),
    fn('failure', () => new data.BooleanData(status.failed && !status.cancelled)),
    fn('cancelled', () => new data.BooleanData(status.cancelled)),
    fn('always', () => new data.BooleanData(true)),
    fn('hashfiles', (...args) => new data.StringData(hashFiles(status.workspace, args.map((a) => a.coerceString()))), 1, 255),
  ];
}

/**
 * The lexer unescapes only the first `''` of a string literal ('it''s a ''test''' comes out as
 * "it's a ''test'"); the literal's own text is right, so each string is taken from it again.
 */
function lex(expression: string) {
  const { tokens } = new Lexer(expression).lex();
  for (const t of tokens) {
    if (t.type === 18 /* STRING */ && t.lexeme.length >= 2) t.value = t.lexeme.slice(1, -1).replaceAll("''", "'");
  }
  return tokens;
}

export class ExpressionError extends Error {
  constructor(readonly expression: string, cause: string) {
    super(`The expression \${{ ${expression} }} could not be evaluated: ${cause}`);
    this.name = 'ExpressionError';
  }
}

/** Evaluates one expression (the text between `${{` and `}}`) to a plain value. */
export function evaluate(expression: string, contexts: Contexts, status: Status): unknown {
  const functions = statusFunctions(status);
  try {
    const tree = new Parser(lex(expression), CONTEXTS, functions).parse();
    const context = toData(contexts) as data.Dictionary;
    const result = new Evaluator(tree, context, new Map(functions.map((f) => [f.name, f]))).evaluate();
    return fromData(result);
  } catch (error) {
    throw new ExpressionError(expression, (error as Error).message);
  }
}

/** GitHub's truthiness: false, 0, -0, '', null and NaN are false; everything else is true. */
export function truthy(value: unknown): boolean {
  return !(value === false || value === 0 || value === '' || value === null || value === undefined || Number.isNaN(value));
}

/** A value as text, as `${{ }}` puts it into a string: objects as JSON, null as ''. */
export function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value, null, 2);
  return String(value);
}
