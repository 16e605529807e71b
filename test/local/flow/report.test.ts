// npm start's options and its report: bad options are refused naming the option and what is
// allowed; users' values reach the terminal on one line each and the HTML file as text.
import { describe, expect, it } from '@jest/globals';
import { htmlReport, textReport } from '../../../local/flow/report.js';
import { chaptersFor, type StoryRecord } from '../../../local/flow/story.js';
import type { RunRecord } from '../../../local/runner/types.js';
import { parseStartArgs } from '../../../local/start.js';

const at = (s: number) => new Date(Date.UTC(2026, 11, 2, 8, 0, s));

const run: RunRecord = {
  id: 7,
  workflow: '.github/workflows/model-deploy.yml',
  name: 'model-deploy',
  event: 'push',
  result: 'failure',
  outputs: {},
  startedAt: at(0),
  finishedAt: at(21),
  jobs: [
    {
      key: 'prod / deploy',
      id: 'deploy',
      name: 'deploy prod',
      workflow: 'w',
      result: 'failure',
      outputs: {},
      steps: [],
      log: ['line one', 'Error: alarm sagemaker-gitops-prod-5xx-rate fired\n::error::injected'],
      summary: '## deploy-stack\n\n<details><summary>events</summary>\n\n| a |\n|---|\n| <script>alert(1)</script> |\n\n</details>\n<!-- marker -->',
      annotations: [],
      startedAt: at(2),
      finishedAt: at(10),
    },
    {
      key: 'smoke',
      id: 'smoke',
      name: 'smoke',
      workflow: 'w',
      result: 'failure',
      outputs: {},
      steps: [],
      log: ['a', 'b'],
      summary: '',
      annotations: [{ level: 'warning', message: 'slow', properties: {} }, { level: 'error', message: 'p95 latency 900 ms is over 500 ms', properties: {} }],
      startedAt: at(10),
      finishedAt: at(11),
    },
    { key: 'reconcile', id: 'reconcile', name: 'reconcile', workflow: 'w', result: 'skipped', outputs: {}, steps: [], log: [], summary: '', annotations: [], startedAt: at(10), finishedAt: at(10) },
  ],
};

const story: StoryRecord = {
  chapters: [{ name: 'canary', title: 'A bad candidate', startedAt: at(0), finishedAt: at(30), runs: [7], lines: ['pull request #3 opened: <b>v2</b>'], problems: [] }],
  versions: { dev: { pinned: '2', running: '2 (UPDATE_COMPLETE)' }, staging: { pinned: '2', running: '2 (UPDATE_COMPLETE)' }, prod: { pinned: '2', running: '1 (UPDATE_ROLLBACK_COMPLETE)' } },
  metrics: { auc: 0.8312, f1: 0.6 },
  traffic: { ok: 100, failed: 4, errors: { ModelError: 4 } },
  problems: [],
};

describe('npm start options', () => {
  it('plays every chapter by default, and a chapter with what it needs for --only', () => {
    expect(chaptersFor()).toEqual(['change', 'deploy', 'canary', 'rollback']);
    expect(chaptersFor('rollback')).toEqual(['deploy', 'canary', 'rollback']);
    expect(parseStartArgs(['--only', 'canary', '--keep', '--time-scale', '50'])).toMatchObject({ only: 'canary', keep: true, timeScale: 50 });
  });

  it.each([
    [['--only', 'everything'], "--only must be one of change, deploy, canary, rollback, got 'everything'"],
    [['--only'], '--only needs a value'],
    [['--time-scale', '0'], "--time-scale must be a whole number from 1 to 10000, got '0'"],
    [['--report', '--keep'], '--report needs a value'],
    [['--fast'], "unknown option '--fast'"],
  ])('refuses %j', (args, message) => {
    expect(() => parseStartArgs(args)).toThrow(message);
  });
});

describe('the report', () => {
  it('prints each chapter, run and job with times, why a job failed (its errors, else its last lines) on one line each, and where each version runs', () => {
    const text = textReport(story, [run], 31.25);
    expect(text.split('\n')).toEqual([
      'sagemaker-gitops offline: 1 chapter(s) in 31.3 s, everything did what it should',
      '',
      '1. A bad candidate (30.0 s)',
      '   pull request #3 opened: <b>v2</b>',
      '',
      'Workflow runs',
      '  #7 model-deploy (push): failure, 21.0 s',
      '      prod / deploy: failure, 8.0 s',
      '        | line one',
      '        | Error: alarm sagemaker-gitops-prod-5xx-rate fired\\n:\u200b:error:\u200b:injected',
      '      smoke: failure, 1.0 s',
      '        | p95 latency 900 ms is over 500 ms',
      '      1 job(s) skipped',
      '',
      'churn-model v1 metrics: auc 0.831, f1 0.600',
      '',
      'Where each version runs (git pin on main / endpoint stack)',
      '  dev      2      2 (UPDATE_COMPLETE)',
      '  staging  2      2 (UPDATE_COMPLETE)',
      '  prod     2      1 (UPDATE_ROLLBACK_COMPLETE)',
      '',
      'Traffic on the prod endpoint: 100 answered, 4 failed (ModelError 4)',
    ]);
  });

  it('renders summaries as GitHub would, with raw HTML other than details shown as text', () => {
    const html = htmlReport('a <report> & more', [run], [{ number: 3, title: 'Promote <v2>', state: 'merged', body: '**bold**', comments: [{ author: 'bot', body: '| x |\n|---|\n| 1 |' }] }]);
    expect(html).toContain('<pre>a &lt;report&gt; &amp; more</pre>');
    expect(html).toContain('<details><summary>events</summary>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<!-- marker -->');
    expect(html).toContain('<h3>#3 Promote &lt;v2&gt; <small>(merged)</small></h3>');
    expect(html).toContain('<p><strong>bold</strong></p>');
    expect(html).toContain('<td>1</td>');
  });
});
