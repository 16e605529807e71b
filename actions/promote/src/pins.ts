// Pinning a model version in an environment file: model.version changes, nothing else does
// (comments, order and layout stay as people wrote them).
import { isMap, isScalar, parseDocument } from 'yaml';
import { parseEnvironment } from '../../../core/environment/load.js';
import { UserError } from '../../../core/errors.js';

/** The file's text with model.version set to `version`; the result is checked against the schema. */
export function pinVersion(text: string, file: string, group: string, version: number): string {
  const doc = parseDocument(text);
  const model = doc.get('model', true);
  if (!isMap(model)) throw new UserError(`${file} has no model section to pin a version in`);
  const current = parseEnvironment(text, file).model;
  if (current.packageGroup !== group) {
    throw new UserError(`${file} deploys model package group ${current.packageGroup}, not ${group}: the version cannot be pinned there`);
  }
  const node = model.get('version', true);
  if (isScalar(node)) node.value = version;
  else model.set('version', version);
  const next = doc.toString();
  parseEnvironment(next, file);
  return next;
}
