// Writes the model-build pipeline's definition (the JSON run-pipeline upserts) after validating it.
//   npx projen synth:pipeline [--out build/pipeline/churn.json]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { validatePipeline } from '../core/pipeline/validate.js';
import { churnPipeline } from '../pipelines/churn.js';

const args = process.argv.slice(2);
const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : 'build/pipeline/churn.json';
const definition = churnPipeline();
const problems = validatePipeline(definition);
if (problems.length > 0) {
  console.error(`The pipeline definition is not valid:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(definition, null, 2) + '\n');
console.log(`wrote ${out}: ${definition.Steps.length} top-level steps, ${definition.Parameters.length} parameters`);
