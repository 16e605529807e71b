import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { formatIssues } from '../issues.js';
import { parseYaml } from '../yaml.js';
import { EnvironmentSchema, type Environment } from './schema.js';

export const DEFAULT_ENVIRONMENTS_DIR = 'environments';

export interface LoadedEnvironment {
  /** The file's base name: dev, staging, prod. */
  name: string;
  /** The file it came from, as errors name it. */
  file: string;
  config: Environment;
}

const NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** The environments defined in `dir`: every `<name>.yaml` but the schema. */
export function listEnvironments(dir = DEFAULT_ENVIRONMENTS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .filter((n) => NAME.test(n))
    .sort();
}

/** Parses and validates one environment file's text; errors name the file, the field path and what is allowed. */
export function parseEnvironment(text: string, file: string): Environment {
  const data: unknown = parseYaml(text, file) ?? {};
  const result = EnvironmentSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    throw new UserError([`${file} is not a valid environment file:`, ...formatIssues(result.error, '  ')].join('\n'));
  }
  return result.data;
}

/** Loads `environments/<name>.yaml`. */
export function loadEnvironment(name: string, dir = DEFAULT_ENVIRONMENTS_DIR): LoadedEnvironment {
  if (!NAME.test(name)) {
    throw new UserError(`Environment '${name}' is not a valid name (lowercase letters, digits and hyphens, starting with a letter)`);
  }
  const file = join(dir, `${name}.yaml`);
  if (!existsSync(file)) {
    const available = listEnvironments(dir);
    throw new UserError(
      `Unknown environment '${name}': ${file} does not exist (available: ${available.length ? available.join(', ') : 'none'})`,
    );
  }
  return { name, file, config: parseEnvironment(readFileSync(file, 'utf8'), file) };
}
