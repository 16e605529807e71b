// Writes environments/schema.json from the zod schema, so editors validate and complete the
// environment files. `--check` fails when the committed file is out of date (CI runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import { EnvironmentSchema } from '../core/environment/schema.js';
import * as z from '../core/zod.js';

const FILE = 'environments/schema.json';
const schema = {
  ...z.toJSONSchema(EnvironmentSchema, { io: 'input', unrepresentable: 'any' }),
  title: 'sagemaker-gitops environment',
  description: 'One deployment target (environments/<name>.yaml). Generated from core/environment/schema.ts by `npx projen schema`.',
};
const text = JSON.stringify(schema, null, 2) + '\n';

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(FILE, 'utf8');
  } catch {
    // missing counts as out of date
  }
  if (current !== text) {
    console.error(`${FILE} is out of date with core/environment/schema.ts: run npx projen schema and commit it`);
    process.exit(1);
  }
  console.log(`${FILE} is up to date`);
} else {
  writeFileSync(FILE, text);
  console.log(`wrote ${FILE}`);
}
