import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpStub, queryError, queryXml } from '../helpers/http-stub.js';

// The committed bundle, run as the runner runs it: INPUT_* variables, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files, the exit code. CI checks separately that dist matches the sources.
const BUNDLE = 'actions/deploy-stack/dist/index.js';
const STACK_XML = '<Stacks><member><StackName>found</StackName><StackId>arn:aws:cloudformation:us-east-1:111111111111:stack/found/1</StackId><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime></member></Stacks>';

function runBundle(inputs: Record<string, string>, extra: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'dist-'));
  const files = { output: join(dir, 'output'), summary: join(dir, 'summary') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary, ...extra };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise<{ code: number | null; stdout: string; output: string; summary: string }>((resolve) => {
    const child = spawn(process.execPath, [BUNDLE], { env });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, output: readFileSync(files.output, 'utf8'), summary: readFileSync(files.summary, 'utf8') }));
  });
}

describe('deploy-stack bundle', () => {
  it('fails a bad input with its message and exit code 1', async () => {
    const run = await runBundle({ 'template': 'cloudformation/missing.yaml', 'stack-name': 'x' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("::error::Input 'template': file 'cloudformation/missing.yaml' does not exist\n");
    expect(run.output).toBe('');
  });

  it('deploys an unchanged stack against an endpoint from AWS_ENDPOINT_URL and writes outputs and the summary', async () => {
    const stub = await new HttpStub().start();
    stub.respond(
      queryXml('DescribeStacks', STACK_XML),
      queryXml('CreateChangeSet', '<Id>cs</Id><StackId>arn:aws:cloudformation:us-east-1:111111111111:stack/found/1</StackId>'),
      queryXml('DescribeChangeSet', "<Status>FAILED</Status><StatusReason>The submitted information didn't contain changes. Submit different information to create a change set.</StatusReason>"),
      queryXml('DeleteChangeSet', ''),
      queryError(404, 'ChangeSetNotFound', 'ChangeSet [cs] does not exist'),
      queryXml('DescribeStacks', STACK_XML),
    );
    try {
      const run = await runBundle(
        { 'template': 'cloudformation/foundation.yaml', 'stack-name': 'found', 'region': 'us-east-1' },
        { AWS_ENDPOINT_URL: stub.url, AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret', GITHUB_RUN_ID: '7' },
      );
      expect(run.code).toBe(0);
      expect(stub.requests.map((r) => new URLSearchParams(r.body).get('Action'))).toEqual([
        'DescribeStacks', 'CreateChangeSet', 'DescribeChangeSet', 'DeleteChangeSet', 'DescribeChangeSet', 'DescribeStacks',
      ]);
      expect(run.stdout).toContain('No changes to deploy: The submitted information');
      const outputs = Object.fromEntries([...run.output.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1], m[3]]));
      expect(outputs).toEqual({ 'stack-id': 'arn:aws:cloudformation:us-east-1:111111111111:stack/found/1', 'status': 'CREATE_COMPLETE', 'changed': 'false', 'endpoint-name': '' });
      expect(run.summary).toContain('| **Result** | ✅ No changes |');
    } finally {
      await stub.stop();
    }
  });
});
