// The story npm start plays, as a test: this repository's own workflow files run by the local
// runner, the GitHub stand-in holding the fork, the twin holding the three accounts. A model change
// reviewed and merged, its promotion deployed through dev, staging and prod, a bad candidate
// stopped by prod's canary, and a rollback by revert; at the end git and the endpoints agree.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { playStory, type StoryRecord } from '../../local/flow/story.js';
import { startWorld, type World } from '../../local/flow/world.js';

let temp: string;
let world: World;
let story: StoryRecord;
const reviews: string[] = [];
const progress: string[] = [];

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'e2e-story-'));
  world = await startWorld({
    dir: temp,
    repository: 'octo/sagemaker-gitops',
    timeScale: 200,
    review: async (environment, job) => {
      reviews.push(`${environment}/${job}`);
      return { state: 'approved', comment: 'e2e' };
    },
    progress: (line) => progress.push(line),
  });
  story = await playStory(world, ['change', 'deploy', 'canary', 'rollback'], (line) => progress.push(line));
}, 600_000);

afterAll(async () => {
  await world?.stop();
  rmSync(temp, { recursive: true, force: true });
});

it('plays every chapter with no problem, and ends with git and every endpoint on v1', () => {
  expect(story.problems).toEqual([]);
  expect(story.chapters.map((c) => c.name)).toEqual(['change', 'deploy', 'canary', 'rollback']);
  expect(story.versions).toEqual({
    dev: { pinned: '1', running: '1 (UPDATE_COMPLETE)' },
    staging: { pinned: '1', running: '1 (UPDATE_COMPLETE)' },
    prod: { pinned: '1', running: '1 (UPDATE_ROLLBACK_COMPLETE)' },
  });
});

it('ran each workflow as GitHub would, in order', () => {
  const ran = world.dispatcher.runs.toSorted((a, b) => a.id - b.id).map((r) => `${r.name} (${r.event}): ${r.result}`);
  expect(ran).toEqual([
    'ci (pull_request): success', 'ci (push): success', 'model-build (push): success', 'ci (pull_request): success',
    'ci (push): success', 'model-deploy (push): success',
    'ci (pull_request): success', 'ci (push): success', 'model-deploy (push): failure',
    'rollback (workflow_dispatch): success', 'ci (push): success', 'model-deploy (push): success',
  ]);
  // staging and prod waited for their reviewers on every deploy; model-build's dev has none.
  expect(reviews).toEqual(['staging/deploy', 'prod/deploy', 'staging/deploy', 'prod/deploy', 'staging/deploy', 'prod/deploy']);
});

it('stopped the bad candidate at prod\'s canary under traffic, naming the alarm, and proposed putting prod\'s pin back', () => {
  const canary = story.chapters.find((c) => c.name === 'canary')!;
  expect(canary.lines).toContain("prod's canary was rolled back: alarm sagemaker-gitops-prod-5xx-rate fired");
  expect(canary.lines.some((l) => /^reconcile pull request #\d+: Put prod back to what runs/.test(l))).toBe(true);
  expect(story.traffic!.failed).toBeGreaterThan(0);
  expect(story.traffic!.ok).toBeGreaterThan(story.traffic!.failed);
});

it('started no workflow on what jobs did with their GITHUB_TOKEN, and ran CI on the promotion token\'s pull request', () => {
  const byToken = world.dispatcher.events.filter((e) => e.actor === 'github-actions[bot]');
  expect(byToken.length).toBeGreaterThan(0);
  expect(byToken.every((e) => e.runs.length === 0 && e.note === 'done with a GITHUB_TOKEN, so GitHub starts no workflow on it')).toBe(true);
  const promotion = world.dispatcher.events.find((e) => e.actor === 'sagemaker-gitops-promoter[bot]' && e.event === 'pull_request');
  expect(promotion?.runs.length).toBe(1);
});

it('made only calls the stand-in accepts: none refused for permissions, none outside the OpenAPI subset', () => {
  expect(world.github.requests.filter((r) => r.status === 403 || r.status >= 500).map((r) => `${r.method} ${r.path} ${r.status} ${r.problem ?? ''}`)).toEqual([]);
});
