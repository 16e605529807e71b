import { parseDocument, type Document } from 'yaml';
import { UserError } from './errors.js';

/** Parses YAML (or JSON); a syntax error names the source, line and column. Duplicate keys are errors. */
export function parseYaml(text: string, source: string): Document.Parsed {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e.linePos ? `:${e.linePos[0].line}:${e.linePos[0].col}` : '';
    throw new UserError(`${source}${where}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  return doc;
}
