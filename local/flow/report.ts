// What npm start tells a person at the end: a short text report (chapters, each run with its jobs
// and times, the model's metrics, which version runs where), and one HTML file with the report,
// every job summary and every pull request with its comments, as GitHub would show them.
import { Marked, type Tokens } from 'marked';
import type { StoryRecord } from './story.js';
import { ENVIRONMENTS } from './world.js';
import { htmlText, userText } from '../../core/escape.js';
import type { RunRecord } from '../runner/types.js';

/** How long from a to b, as the report and the chapters say it: "7.0 s". */
export const seconds = (a: Date, b: Date) => `${((b.getTime() - a.getTime()) / 1000).toFixed(1)} s`;

export function textReport(story: StoryRecord, runs: RunRecord[], total: number): string {
  const out: string[] = [];
  const verdict = story.problems.length ? `${story.problems.length} problem(s)` : 'everything did what it should';
  out.push(`sagemaker-gitops offline: ${story.chapters.length} chapter(s) in ${total.toFixed(1)} s, ${verdict}`, '');
  story.chapters.forEach((c, i) => {
    out.push(`${i + 1}. ${c.title} (${seconds(c.startedAt, c.finishedAt)})`);
    for (const line of c.lines) out.push(`   ${userText(line)}`);
    for (const p of c.problems) out.push(`   PROBLEM: ${userText(p)}`);
  });
  out.push('', 'Workflow runs');
  for (const run of runs) {
    out.push(`  #${run.id} ${run.name} (${run.event}): ${run.result}, ${seconds(run.startedAt, run.finishedAt)}`);
    const ran = run.jobs.filter((j) => j.result !== 'skipped');
    for (const j of ran) {
      out.push(`      ${j.key}: ${j.result}, ${seconds(j.startedAt, j.finishedAt)}${j.reason ? ` (${userText(j.reason)})` : ''}`);
      // Why it failed: its error annotations, as GitHub lists them on the run, else its last lines.
      const errors = j.annotations.filter((a) => a.level === 'error').map((a) => a.message);
      if (j.result === 'failure') out.push(...(errors.length ? errors : j.log.slice(-6)).map((l) => `        | ${userText(l)}`));
    }
    const skipped = run.jobs.length - ran.length;
    if (skipped) out.push(`      ${skipped} job(s) skipped`);
  }
  const metrics = Object.entries(story.metrics).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ');
  if (metrics) out.push('', `churn-model v1 metrics: ${metrics}`);
  out.push('', 'Where each version runs (git pin on main / endpoint stack)');
  for (const env of ENVIRONMENTS) out.push(`  ${env.padEnd(8)} ${story.versions[env].pinned.padEnd(6)} ${story.versions[env].running}`);
  if (story.traffic) {
    const errors = Object.entries(story.traffic.errors).map(([k, v]) => `${k} ${v}`).join(', ');
    out.push('', `Traffic on the prod endpoint: ${story.traffic.ok} answered, ${story.traffic.failed} failed${errors ? ` (${errors})` : ''}`);
  }
  if (story.problems.length) out.push('', 'Problems', ...story.problems.map((p) => `  - ${userText(p)}`));
  return out.join('\n');
}

/** Markdown as GitHub renders it, except that raw HTML other than the summaries' own few tags is shown as text. */
function markdown(): Marked {
  const allowed = /^<\/?(details|summary|br)\s*\/?>$/i;
  const safe = (html: string) => html.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>|[^<]+|</g, (part) => (allowed.test(part) ? part : htmlText(part)));
  return new Marked({ gfm: true, async: false }, { renderer: { html: (token: Tokens.HTML | Tokens.Tag) => safe(token.text) } });
}

export interface PullRequestRecord {
  number: number;
  title: string;
  state: string;
  body: string;
  comments: { author: string; body: string }[];
}

export function htmlReport(text: string, runs: RunRecord[], pulls: PullRequestRecord[]): string {
  const md = markdown();
  const render = (source: string) => md.parse(source) as string;
  const parts: string[] = [
    '<!doctype html><html><head><meta charset="utf-8"><title>sagemaker-gitops: npm start</title>',
    '<style>body{font:14px/1.5 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem}pre{background:#f6f8fa;padding:.8rem;overflow:auto}'
      + 'table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.2rem .5rem}section{border-top:1px solid #d0d7de;margin-top:1.5rem}'
      + '.success{color:#1a7f37}.failure{color:#cf222e}.skipped,.cancelled{color:#6e7781}</style></head><body>',
    '<h1>sagemaker-gitops: the offline GitOps flow</h1>',
    `<pre>${htmlText(text)}</pre>`,
    '<h2>Workflow runs</h2>',
  ];
  for (const run of runs) {
    parts.push(`<section><h3>#${run.id} ${htmlText(run.name)} <small>(${htmlText(run.event)})</small>: <span class="${run.result}">${run.result}</span></h3>`);
    parts.push('<table><tr><th>job</th><th>result</th><th>time</th><th>why</th></tr>');
    for (const j of run.jobs) {
      parts.push(`<tr><td>${htmlText(j.key)}</td><td class="${j.result}">${j.result}</td><td>${seconds(j.startedAt, j.finishedAt)}</td><td>${htmlText(j.reason ?? '')}</td></tr>`);
    }
    parts.push('</table>');
    for (const j of run.jobs.filter((x) => x.summary.trim())) parts.push(`<h4>${htmlText(j.key)}: job summary</h4>`, render(j.summary));
    for (const j of run.jobs.filter((x) => x.log.length)) {
      const steps = j.steps.map((st) => `<tr><td>${htmlText(st.name)}</td><td class="${st.conclusion}">${st.conclusion}</td><td>${st.seconds.toFixed(1)} s</td></tr>`);
      parts.push(`<details><summary>${htmlText(j.key)}: ${j.steps.length} steps, log of ${j.log.length} lines</summary>`
        + `<table><tr><th>step</th><th>result</th><th>time</th></tr>${steps.join('')}</table><pre>${htmlText(j.log.join('\n'))}</pre></details>`);
    }
    parts.push('</section>');
  }
  parts.push('<h2>Pull requests</h2>');
  for (const pr of pulls) {
    parts.push(`<section><h3>#${pr.number} ${htmlText(pr.title)} <small>(${htmlText(pr.state)})</small></h3>`, render(pr.body));
    for (const c of pr.comments) parts.push(`<h4>comment by ${htmlText(c.author)}</h4>`, render(c.body));
    parts.push('</section>');
  }
  parts.push('</body></html>');
  return parts.join('\n');
}
