// npm start: the whole GitOps flow offline, through this repository's own workflow files, against
// the AWS twin and the GitHub stand-in. Prints a progress line per step and a report at the end,
// writes the report with every job summary and pull request to one HTML file, and exits 1 when
// any chapter did not do what it should.
//   npm start [-- --only change|deploy|canary|rollback] [--keep] [--report <file.html>]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Person } from './flow/person.js';
import { htmlReport, textReport, type PullRequestRecord } from './flow/report.js';
import { CHAPTERS, chaptersFor, playStory, type ChapterName } from './flow/story.js';
import { startWorld } from './flow/world.js';

const REPOSITORY = 'octocat/sagemaker-gitops';
const USAGE = 'usage: npm start [-- --only change|deploy|canary|rollback] [--keep] [--report <file.html>] [--time-scale <n>]';

interface StartOptions {
  only?: ChapterName;
  keep: boolean;
  report: string;
  timeScale: number;
}

export function parseStartArgs(args: string[]): StartOptions {
  const options: StartOptions = { keep: false, report: resolve('build/offline/report.html'), timeScale: 200 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === '--only') {
      const v = value();
      if (!(CHAPTERS as readonly string[]).includes(v)) throw new Error(`--only must be one of ${CHAPTERS.join(', ')}, got '${v}'\n${USAGE}`);
      options.only = v as ChapterName;
    } else if (arg === '--keep') {options.keep = true;} else if (arg === '--report') {options.report = resolve(value());} else if (arg === '--time-scale') {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 1 || v > 10_000) throw new Error(`--time-scale must be a whole number from 1 to 10000, got '${args[i]}'\n${USAGE}`);
      options.timeScale = v;
    } else {throw new Error(`unknown option '${arg}'\n${USAGE}`);}
  }
  return options;
}

async function main(): Promise<number> {
  let options: StartOptions;
  try {
    options = parseStartArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const started = performance.now();
  const say = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);
  const dir = mkdtempSync(join(tmpdir(), 'sagemaker-gitops-start-'));
  say(`starting the AWS twin and the GitHub stand-in (state in ${dir})`);
  const world = await startWorld({
    dir,
    repository: REPOSITORY,
    timeScale: options.timeScale,
    progress: say,
  });
  let code = 0;
  try {
    const story = await playStory(world, chaptersFor(options.only), say);
    const runs = world.dispatcher.runs.toSorted((a, b) => a.id - b.id);
    const text = textReport(story, runs, (performance.now() - started) / 1000);
    const person = new Person(world.github.apiUrl, REPOSITORY, world.owner);
    const pulls: PullRequestRecord[] = [];
    for (const pr of (await person.pullRequests('all')).toSorted((a, b) => a.number - b.number)) {
      const comments = (await person.comments(pr.number)).map((c) => ({ author: c.user?.login ?? 'unknown', body: c.body ?? '' }));
      pulls.push({ number: pr.number, title: pr.title, state: pr.merged_at ? 'merged' : pr.state, body: pr.body ?? '', comments });
    }
    mkdirSync(dirname(options.report), { recursive: true });
    writeFileSync(options.report, htmlReport(text, runs, pulls));
    console.log(`\n${text}\n\nThe report, every job summary and every pull request with its comments: ${options.report}`);
    code = story.problems.length ? 1 : 0;
    if (options.keep) {
      console.log([
        '',
        'The servers keep running (Ctrl-C stops them). To look around:',
        `  export AWS_ENDPOINT_URL=${world.twin.url} AWS_ACCESS_KEY_ID=twin AWS_SECRET_ACCESS_KEY=twin AWS_DEFAULT_REGION=us-east-1`,
        '  aws sagemaker list-endpoints      # dev\'s account (111111111111), where callers without a role act',
        `  aws sts assume-role-with-web-identity --role-arn ${world.accounts.prod.environment.config.roleToAssume} --role-session-name look --web-identity-token local`,
        '                                    # credentials for prod\'s account (staging\'s likewise)',
        `  git clone ${world.github.url}/${REPOSITORY}.git`,
        `  curl -H "authorization: Bearer ${world.owner}" ${world.github.apiUrl}/repos/${REPOSITORY}/pulls?state=all`,
      ].join('\n'));
      await new Promise<void>((r) => process.once('SIGINT', () => r()));
    }
  } finally {
    await world.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return code;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().then((code) => process.exit(code), (error) => {
    console.error(`npm start failed: ${(error as Error).message}`);
    process.exit(1);
  });
}
