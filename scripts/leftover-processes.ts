// npm test's first and last step: `--mark` records when the suite started; `--check` fails when a
// process started since then is still alive in this repository (a twin, a model server, a job),
// naming each with its command line. Processes started before the mark (a twin you run yourself)
// and the checker's own ancestors and their children (its launcher's helpers) are left alone.
// Reads /proc, so it checks on Linux only.
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const MARK = join(ROOT, 'test-reports', '.suite-started');

interface Proc { pid: number; ppid: number; started: number; cwd: string; args: string }

/** Every process we may read, with its start time in ms since the epoch. */
function processes(): Proc[] {
  const boot = Number(readFileSync('/proc/stat', 'utf8').match(/^btime (\d+)$/m)![1]) * 1000;
  const ticks = 100; // USER_HZ on Linux
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [{
        pid: Number(d),
        ppid: Number(fields[1]),
        started: boot + (Number(fields[19]) / ticks) * 1000,
        cwd: readlinkSync(`/proc/${d}/cwd`),
        args: readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ').trim(),
      }];
    } catch {
      return []; // gone meanwhile, or not ours to read
    }
  });
}

function ancestors(all: Proc[]): Set<number> {
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const seen = new Set<number>();
  for (let p = byPid.get(process.pid); p && !seen.has(p.pid); p = byPid.get(p.ppid)) seen.add(p.pid);
  return seen;
}

function main(): number {
  if (!existsSync('/proc/stat')) {
    console.log('leftover-processes: no /proc here; not checked');
    return 0;
  }
  if (process.argv.includes('--mark')) {
    mkdirSync(dirname(MARK), { recursive: true }); // a fresh clone has no test-reports/ yet
    writeFileSync(MARK, String(Date.now() - 1000));
    return 0;
  }
  const since = existsSync(MARK) ? Number(readFileSync(MARK, 'utf8')) : Date.now();
  const all = processes();
  const mine = ancestors(all);
  // The checker's own helpers (tsx's esbuild service under Node 24) are children of its ancestors.
  const left = all.filter((p) =>
    !mine.has(p.pid) && !mine.has(p.ppid)
    && p.started >= since && p.args && (p.cwd.startsWith(ROOT) || p.args.includes(ROOT)));
  if (left.length === 0) {
    console.log('leftover-processes: every process the suite started has ended');
    return 0;
  }
  console.error(`leftover-processes: ${left.length} process(es) the suite started are still running; stop every server a test starts, with everything under it:`);
  for (const p of left) console.error(`  pid ${p.pid} (parent ${p.ppid}), in ${p.cwd}: ${p.args.slice(0, 200)}`);
  return 1;
}

process.exit(main());
