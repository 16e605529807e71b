import { loadEnvironment, type LoadedEnvironment } from '../../../core/environment/load.js';
import * as z from '../../../core/zod.js';
import { input, parseInputs } from '../../lib/inputs.js';

export const inputSchema = z.object({
  'name': input.matching(/^[a-z][a-z0-9-]{0,31}$/, 'an environment name (lowercase letters, digits and hyphens, starting with a letter)'),
  'environments-dir': input.path('environments'),
});

/** The environment file, loaded and validated: a bad file fails here with the file, the field and what is allowed. */
export function readEnvironment(env: NodeJS.ProcessEnv): LoadedEnvironment {
  const i = parseInputs(inputSchema, env);
  return loadEnvironment(i.name, i['environments-dir']);
}
