// CloudWatch metric math, the part alarms use: numbers, metric ids, + - * /, comparisons,
// AND / OR, parentheses, and the functions IF, MIN, MAX, ABS. Expressions are parsed once when
// an alarm is put, so a bad one is refused then, as CloudWatch does.
import { TwinError } from '../errors.js';

export type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'id'; name: string }
  | { kind: 'binary'; op: string; left: Expr; right: Expr }
  | { kind: 'call'; fn: string; args: Expr[] };

const TOKEN = /\s*(\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|>=|<=|==|!=|[-+*/(),<>])/y;
const PRECEDENCE: Record<string, number> = { 'OR': 1, 'AND': 2, '>': 3, '<': 3, '>=': 3, '<=': 3, '==': 3, '!=': 3, '+': 4, '-': 4, '*': 5, '/': 5 };
const FUNCTIONS: Record<string, number> = { IF: 3, MIN: 2, MAX: 2, ABS: 1 };

function invalid(text: string, why: string): TwinError {
  return new TwinError('ValidationError', `Invalid metrics expression "${text}": ${why}`);
}

export function parseExpression(text: string): Expr {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) {
      if (text.slice(at).trim() === '') break;
      const blanks = text.slice(at).length - text.slice(at).trimStart().length;
      throw invalid(text, `unexpected character at position ${at + blanks + 1}`);
    }
    tokens.push(m[1]);
  }
  let i = 0;
  const primary = (): Expr => {
    const t = tokens[i++];
    if (t === undefined) throw invalid(text, 'it ends too early');
    if (t === '(') {
      const e = binary(0);
      if (tokens[i++] !== ')') throw invalid(text, 'a parenthesis is not closed');
      return e;
    }
    if (t === '-') return { kind: 'binary', op: '-', left: { kind: 'number', value: 0 }, right: primary() };
    if (/^\d/.test(t)) return { kind: 'number', value: Number(t) };
    if (/^[A-Za-z_]/.test(t)) {
      if (tokens[i] !== '(') return { kind: 'id', name: t };
      const fn = t.toUpperCase();
      if (!(fn in FUNCTIONS)) throw invalid(text, `the function ${t} is not supported by the offline twin (IF, MIN, MAX, ABS are)`);
      i++;
      const args: Expr[] = [];
      while (tokens[i] !== ')') {
        args.push(binary(0));
        if (tokens[i] === ',') i++;
        else if (tokens[i] !== ')') throw invalid(text, `expected , or ) in ${t}(...)`);
      }
      i++;
      if (args.length !== FUNCTIONS[fn]) throw invalid(text, `${fn} takes ${FUNCTIONS[fn]} arguments`);
      return { kind: 'call', fn, args };
    }
    throw invalid(text, `unexpected '${t}'`);
  };
  const binary = (min: number): Expr => {
    let left = primary();
    for (;;) {
      const op = tokens[i]?.toUpperCase();
      const p = op === undefined ? undefined : PRECEDENCE[op];
      if (p === undefined || p < min) break;
      i++;
      left = { kind: 'binary', op, left, right: binary(p + 1) };
    }
    return left;
  };
  const expr = binary(0);
  if (i !== tokens.length) throw invalid(text, `unexpected '${tokens[i]}'`);
  return expr;
}

/** The ids an expression reads. */
export function expressionIds(expr: Expr): string[] {
  if (expr.kind === 'id') return [expr.name];
  if (expr.kind === 'binary') return [...expressionIds(expr.left), ...expressionIds(expr.right)];
  if (expr.kind === 'call') return expr.args.flatMap(expressionIds);
  return [];
}

/** The expression's value for one period; undefined when an id it reads has no datapoint. */
export function evaluateExpression(expr: Expr, values: Record<string, number | undefined>): number | undefined {
  const ev = (e: Expr): number | undefined => {
    switch (e.kind) {
      case 'number':
        return e.value;
      case 'id':
        return values[e.name];
      case 'call': {
        const args = e.args.map(ev);
        if (e.fn === 'IF') return args[0] === undefined ? undefined : args[0] !== 0 ? args[1] : args[2];
        if (args.some((a) => a === undefined)) return undefined;
        const [a, b] = args as number[];
        return e.fn === 'MIN' ? Math.min(a, b) : e.fn === 'MAX' ? Math.max(a, b) : Math.abs(a);
      }
      case 'binary': {
        const a = ev(e.left);
        const b = ev(e.right);
        if (a === undefined || b === undefined) return undefined;
        switch (e.op) {
          case '+': return a + b;
          case '-': return a - b;
          case '*': return a * b;
          // CloudWatch drops a datapoint that divides by zero.
          case '/': return b === 0 ? undefined : a / b;
          case '>': return Number(a > b);
          case '<': return Number(a < b);
          case '>=': return Number(a >= b);
          case '<=': return Number(a <= b);
          case '==': return Number(a === b);
          case '!=': return Number(a !== b);
          case 'AND': return Number(a !== 0 && b !== 0);
          default: return Number(a !== 0 || b !== 0);
        }
      }
    }
  };
  return ev(expr);
}
