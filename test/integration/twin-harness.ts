// What the integration tests against the twin share: driving fake timers while real processes
// (the containers the twin runs) take real time, and a model trained on the sample data.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { jest } from '@jest/globals';

export const realSetTimeout = setTimeout;

/** Points the SDK clients a test makes at the twin, as AWS_ENDPOINT_URL does for the actions. */
export function useTwin(url: string, region: string): void {
  Object.assign(process.env, { AWS_ENDPOINT_URL: url, AWS_ACCESS_KEY_ID: 'twin', AWS_SECRET_ACCESS_KEY: 'twin', AWS_REGION: region });
}

/** Advances fake time (the actions' polling, the twin's simulated waits) while real work goes on. */
export async function drive<T>(promise: Promise<T>, fakeMsPerTick = 250): Promise<T> {
  let settled = false;
  promise.finally(() => (settled = true)).catch(() => undefined);
  for (let i = 0; i < 12_000 && !settled; i++) {
    await new Promise((r) => realSetTimeout(r, 20));
    await jest.advanceTimersByTimeAsync(fakeMsPerTick);
  }
  return promise;
}

/** Trains the model on the sample through the containers' own code; returns model.tar.gz. */
export function trainSampleModel(): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'sample-model-'));
  const python = resolve('.venv/bin/python');
  mkdirSync(join(dir, 'raw'));
  cpSync('containers/data/sample.csv', join(dir, 'raw', 'sample.csv'));
  execFileSync(python, ['-c', 'import sys; from processing import preprocess; sys.exit(preprocess.main(sys.argv[1:]))', '--input', join(dir, 'raw'), '--output', join(dir, 'processed')], {
    env: { ...process.env, PYTHONPATH: resolve('containers/processing') },
    stdio: 'pipe',
  });
  const optMl = join(dir, 'opt_ml');
  for (const channel of ['train', 'validation', 'encoding']) cpSync(join(dir, 'processed', channel), join(optMl, 'input', 'data', channel), { recursive: true });
  mkdirSync(join(optMl, 'input', 'config'), { recursive: true });
  writeFileSync(join(optMl, 'input', 'config', 'hyperparameters.json'), JSON.stringify({ max_iter: '60' }));
  writeFileSync(join(optMl, 'input', 'config', 'resourceconfig.json'), JSON.stringify({ current_host: 'algo-1', hosts: ['algo-1'] }));
  execFileSync(python, [resolve('containers/training/train')], { cwd: resolve('containers/training'), env: { ...process.env, OPT_ML: optMl }, stdio: 'pipe' });
  execFileSync('tar', ['-czf', join(dir, 'model.tar.gz'), '-C', join(optMl, 'model'), '.']);
  return readFileSync(join(dir, 'model.tar.gz'));
}

/** Feature rows of the sample (without the label), as CSV lines the inference container takes. */
export function sampleRows(n: number): string[] {
  return readFileSync('containers/data/sample.csv', 'utf8').trim().split('\n').slice(1, n + 1).map((line) => line.split(',').slice(1).join(','));
}
