// A workflow file as GitHub reads it: parsed and validated by @actions/workflow-parser (GitHub's
// schema and error texts) and converted to its jobs. The converter drops what only a runner needs
// (job timeout-minutes, permissions, continue-on-error, defaults; step with, shell,
// working-directory, timeout-minutes), so those are read from the parsed template beside it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  convertWorkflowTemplate,
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isSequence,
  isString,
  NoOperationTraceWriter,
  parseWorkflow,
  type WorkflowTemplate,
} from '@actions/workflow-parser';
import type { WorkflowJob } from '@actions/workflow-parser/model/workflow-template';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { parse as parseYamlValue } from 'yaml';
import { evaluate, type Contexts, type Status } from './expressions.js';

export type Token = TemplateToken;

export class WorkflowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkflowError';
  }
}

export interface LoadedWorkflow {
  /** The path relative to the repository, as GITHUB_WORKFLOW_REF names it. */
  path: string;
  name: string;
  template: WorkflowTemplate;
  /** The parsed file, for what the converter leaves out. */
  root: MappingToken;
}

/** Reads, validates and converts one workflow file; every problem GitHub would report is an error. */
export async function loadWorkflow(workspace: string, path: string): Promise<LoadedWorkflow> {
  let content: string;
  try {
    content = readFileSync(join(workspace, path), 'utf8');
  } catch {
    throw new WorkflowError(`${path}: no such workflow file in ${workspace}`);
  }
  const parsed = parseWorkflow({ name: path, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || !parsed.value) throw new WorkflowError(`${path} is not a valid workflow:\n${errors.join('\n')}`);
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  if (template.errors?.length) throw new WorkflowError(`${path} is not a valid workflow:\n${template.errors.map((e) => e.Message).join('\n')}`);
  const root = parsed.value as MappingToken;
  const name = field(root, 'name');
  return { path, name: name && isString(name) ? name.value : path, template, root };
}

/** A key of a mapping token, or undefined. */
export function field(mapping: Token | undefined, key: string): Token | undefined {
  if (!mapping || !isMapping(mapping)) return undefined;
  for (const pair of mapping) if (isString(pair.key) && pair.key.value === key) return pair.value;
  return undefined;
}

/** The parsed mapping of one job, by id. */
export function rawJob(workflow: LoadedWorkflow, id: string): MappingToken {
  const job = field(field(workflow.root, 'jobs'), id);
  if (!job || !isMapping(job)) throw new WorkflowError(`${workflow.path}: job '${id}' not found`);
  return job;
}

/** The parsed mapping of a job's n-th step. */
export function rawStep(job: MappingToken, index: number): MappingToken | undefined {
  const steps = field(job, 'steps');
  if (!steps || !isSequence(steps) || index >= steps.count) return undefined;
  const step = steps.get(index);
  return isMapping(step) ? step : undefined;
}

/**
 * The expression of a block scalar (`run: |` ...) holding `${{ }}`. The parser builds it from the
 * block's raw source, indentation and all, and ignores the chomping indicator; so it is built
 * again here from the block as YAML reads it, each `${{ }}` a format() argument.
 */
function blockScalarExpression(token: Token & { expression: string; blockScalarHeader?: string; source?: string }): string {
  if (!token.blockScalarHeader || token.source === undefined) return token.expression;
  const text = (parseYamlValue(`v: ${token.blockScalarHeader}\n${token.source}`) as { v: string }).v;
  const args: string[] = [];
  const literal = text.replace(/\$\{\{(.*?)\}\}|([{}'])/gs, (_m, expr: string | undefined, special: string | undefined) => {
    if (special) return special === "'" ? "''" : special + special;
    args.push(expr!.trim());
    return `{${args.length - 1}}`;
  });
  return `format('${literal}'${args.map((a) => `, ${a}`).join('')})`;
}

/** A token's value with every expression in it evaluated in `contexts`. */
export function evaluateToken(token: Token | undefined, contexts: Contexts, status: Status): unknown {
  if (token === undefined) return undefined;
  if (isString(token)) return token.value;
  if (isNumber(token) || isBoolean(token)) return token.value;
  if (isBasicExpression(token)) return evaluate(blockScalarExpression(token), contexts, status);
  if (isSequence(token)) return [...token].map((t) => evaluateToken(t, contexts, status));
  if (isMapping(token)) {
    const out: Record<string, unknown> = {};
    for (const pair of token) out[String(evaluateToken(pair.key, contexts, status))] = evaluateToken(pair.value, contexts, status);
    return out;
  }
  return null;
}

/** A mapping of strings (env, with, outputs), each value as text. */
export function evaluateStrings(token: Token | undefined, contexts: Contexts, status: Status): Record<string, string> {
  const value = evaluateToken(token, contexts, status);
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new WorkflowError(`expected a mapping, got ${JSON.stringify(value)}`);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)]));
}

export type { WorkflowJob };
