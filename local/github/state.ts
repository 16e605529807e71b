// What the stand-in keeps per repository beside its git: pull requests, issues and comments,
// environments, variables and the deployments waiting for review. Persisted as one JSON file per
// repository after every change, like the twin's state, so a restart carries on.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BareRepository } from './git.js';

export interface PullRecord {
  number: number;
  title: string;
  body: string | null;
  head: string;
  base: string;
  state: 'open' | 'closed';
  draft: boolean;
  user: string;
  merged: boolean;
  mergeCommitSha: string | null;
  mergedBy: string | null;
  headSha: string;
  baseSha: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
}

export interface IssueRecord {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  labels: string[];
  user: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface CommentRecord {
  id: number;
  issue: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface EnvironmentRecord {
  id: number;
  name: string;
  waitTimer: number;
  preventSelfReview: boolean;
  reviewers: { type: 'User' | 'Team'; id: number }[];
  variables: Record<string, { value: string; createdAt: string; updatedAt: string }>;
  secrets: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface PendingDeployment {
  environment: string;
  job: string;
  since: string;
  /** Set once reviewed. */
  review?: { state: 'approved' | 'rejected'; by: string; comment: string };
}

export interface RepositoryState {
  owner: string;
  name: string;
  nextNumber: number;
  nextCommentId: number;
  nextEnvironmentId: number;
  pulls: PullRecord[];
  issues: IssueRecord[];
  comments: CommentRecord[];
  environments: Record<string, EnvironmentRecord>;
  variables: Record<string, { value: string; createdAt: string; updatedAt: string }>;
  secrets: Record<string, string>;
  runs: Record<string, { pending: PendingDeployment[] }>;
}

export class Repository {
  readonly git: BareRepository;
  readonly state: RepositoryState;
  private readonly file: string;

  constructor(root: string, readonly fullName: string) {
    const [owner, name] = fullName.split('/');
    this.git = BareRepository.init(join(root, owner, `${name}.git`));
    this.file = join(root, owner, `${name}.json`);
    const empty: RepositoryState = {
      owner,
      name,
      nextNumber: 1,
      nextCommentId: 1,
      nextEnvironmentId: 1,
      pulls: [],
      issues: [],
      comments: [],
      environments: {},
      variables: {},
      secrets: {},
      runs: {},
    };
    this.state = existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as RepositoryState) : empty;
  }

  save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.state, null, 1));
    renameSync(`${this.file}.tmp`, this.file);
  }
}
