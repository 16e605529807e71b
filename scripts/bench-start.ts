// Benchmark of npm start after first-time setup: the whole offline story, three times, with the
// wall time of each run, its chapters' times and the median. A run that reports a problem fails
// the benchmark: a fast story that does not do what it should is not a figure.
//   npx projen bench:start [--runs N]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
  console.error(`--runs must be a whole number from 1 to 20, got '${args[runsAt + 1]}'`);
  process.exit(2);
}

/** One npm start, its output kept; resolves with its wall time, exit code and chapter lines. */
function playOnce(report: string): Promise<{ seconds: number; code: number; chapters: string[]; tail: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('npx', ['tsx', 'local/start.ts', '--report', report], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const chapters = out.split('\n').filter((l) => /^\d+\. .* \(\d+\.\d s\)$/.test(l));
      resolve({ seconds: (performance.now() - started) / 1000, code: code ?? 1, chapters, tail: out.split('\n').slice(-25).join('\n') });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'bench-start-'));
const times: number[] = [];
for (let i = 1; i <= runs; i++) {
  const result = await playOnce(join(dir, `report-${i}.html`));
  if (result.code !== 0) {
    console.error(`run ${i} exited ${result.code}:\n${result.tail}`);
    process.exit(1);
  }
  times.push(result.seconds);
  console.log(`run ${i}: ${result.seconds.toFixed(1)} s`);
  for (const line of result.chapters) console.log(`  ${line}`);
}
rmSync(dir, { recursive: true, force: true });
const sorted = times.toSorted((a, b) => a - b);
console.log(`npm start, median of ${runs}: ${sorted[Math.floor((runs - 1) / 2)].toFixed(1)} s (min ${sorted[0].toFixed(1)} s, max ${sorted.at(-1)!.toFixed(1)} s; target at most 90 s)`);
