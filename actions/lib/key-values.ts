import { existsSync, readFileSync } from 'node:fs';
import { outsideWorkspace, workspaceRule } from './workspace.js';
import { UserError } from '../../core/errors.js';
import { parseYaml } from '../../core/yaml.js';

/**
 * Reads `Key=Value` pairs for parameter overrides and tags, in any of the forms users of
 * CloudFormation deploy actions already write:
 * - lines or commas: `A=1,B=two` (a value with a comma is quoted: `C="x,y"`);
 * - JSON or YAML: a mapping `{A: 1}` or a list `[{ParameterKey, ParameterValue}]` / `[{Key, Value}]`;
 * - a file holding either, named `file://path` or by a path ending in .json, .yaml or .yml.
 * `what` names the input in errors.
 */
export function parseKeyValues(text: string, what: string, cwd = process.cwd()): Record<string, string> {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  const filePath = trimmed.startsWith('file://') ? trimmed.slice('file://'.length) : /\.(json|ya?ml)$/i.test(trimmed) ? trimmed : undefined;
  if (filePath !== undefined) {
    const full = filePath.startsWith('/') ? filePath : `${cwd}/${filePath}`;
    const outside = outsideWorkspace(full);
    if (outside) throw new UserError(`${what}: file ${workspaceRule(filePath, outside)}`);
    if (!existsSync(full)) throw new UserError(`${what}: file '${filePath}' does not exist`);
    return fromStructured(readFileSync(full, 'utf8'), `${what} (file '${filePath}')`);
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return fromStructured(trimmed, what);
  return fromPairs(trimmed, what);
}

function fromPairs(text: string, what: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of splitOutsideQuotes(text)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UserError(`${what}: '${item}' is not Key=Value (write pairs as Key=Value, separated by commas or new lines)`);
    const key = item.slice(0, eq).trim();
    let value = item.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    addPair(result, key, value, what);
  }
  return result;
}

function splitOutsideQuotes(text: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && (ch === ',' || ch === '\n')) {
      items.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  items.push(current);
  return items.map((s) => s.trim()).filter(Boolean);
}

function fromStructured(text: string, what: string): Record<string, string> {
  const data: unknown = parseYaml(text, what);
  const result: Record<string, string> = {};
  if (Array.isArray(data)) {
    data.forEach((entry, i) => {
      const e = (entry ?? {}) as Record<string, unknown>;
      const key = e.ParameterKey ?? e.Key;
      const value = e.ParameterValue ?? e.Value;
      if (typeof key !== 'string' || value === undefined || value === null || typeof value === 'object') {
        throw new UserError(`${what}: entry ${i + 1} must have ParameterKey and ParameterValue (or Key and Value) with a plain value`);
      }
      addPair(result, key, String(value), what);
    });
    return result;
  }
  if (typeof data !== 'object' || data === null) {
    throw new UserError(`${what}: expected a mapping of Key: Value or a list of {ParameterKey, ParameterValue}`);
  }
  for (const [key, value] of Object.entries(data)) {
    if (value === null || typeof value === 'object') throw new UserError(`${what}: '${key}' must have a plain value (text, number or boolean)`);
    addPair(result, key, String(value), what);
  }
  return result;
}

function addPair(result: Record<string, string>, key: string, value: string, what: string): void {
  if (!/^[A-Za-z0-9_.:/=+\-@ ]+$/.test(key)) throw new UserError(`${what}: '${key}' is not a valid key`);
  if (key in result) throw new UserError(`${what}: '${key}' is given more than once`);
  result[key] = value;
}
