// A repository of the stand-in is a real bare git repository: refs, files at a ref, commits and
// merges are git's own (plumbing commands, no working tree), and clones and pushes go through
// `git http-backend`.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class GitError extends Error {}

export interface Author {
  name: string;
  email: string;
}

export class BareRepository {
  static init(dir: string, defaultBranch = 'main'): BareRepository {
    if (!existsSync(join(dir, 'HEAD'))) {
      mkdirSync(dir, { recursive: true });
      execFileSync('git', ['init', '--quiet', '--bare', `--initial-branch=${defaultBranch}`, dir]);
      execFileSync('git', ['--git-dir', dir, 'config', 'http.receivepack', 'true']);
    }
    return new BareRepository(dir);
  }

  constructor(readonly dir: string) {}

  git(args: string[], options: { input?: string | Buffer; env?: Record<string, string> } = {}): string {
    try {
      return execFileSync('git', ['--git-dir', this.dir, ...args], { input: options.input, env: { ...process.env, ...options.env }, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new GitError((e.stderr || e.message).trim());
    }
  }

  /** The commit a ref points at, or undefined. */
  resolve(ref: string): string | undefined {
    try {
      return this.git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  refs(prefix = 'refs/'): { ref: string; sha: string }[] {
    const out = this.git(['for-each-ref', '--format=%(refname) %(objectname)', prefix]).trim();
    return out ? out.split('\n').map((l) => ({ ref: l.split(' ')[0], sha: l.split(' ')[1] })) : [];
  }

  updateRef(ref: string, sha: string, expectOld?: string): void {
    this.git(['update-ref', ref, sha, ...(expectOld ? [expectOld] : [])]);
  }

  deleteRef(ref: string): void {
    this.git(['update-ref', '-d', ref]);
  }

  objectExists(sha: string): boolean {
    try {
      this.git(['cat-file', '-e', `${sha}^{commit}`]);
      return true;
    } catch {
      return false;
    }
  }

  /** A file's blob sha and content at a commit, or undefined. */
  file(commit: string, path: string): { sha: string; content: Buffer } | undefined {
    try {
      const sha = this.git(['rev-parse', `${commit}:${path}`]).trim();
      if (this.git(['cat-file', '-t', sha]).trim() !== 'blob') return undefined;
      const content = execFileSync('git', ['--git-dir', this.dir, 'cat-file', 'blob', sha], { maxBuffer: 64 * 1024 * 1024 });
      return { sha, content };
    } catch {
      return undefined;
    }
  }

  /** A commit on top of `parent` that writes one file; returns the new commit. */
  commitFile(parent: string, path: string, content: Buffer, message: string, author: Author): string {
    const index = join(mkdtempSync(join(tmpdir(), 'gh-index-')), 'index');
    try {
      const env = { GIT_INDEX_FILE: index };
      this.git(['read-tree', parent], { env });
      const blob = this.git(['hash-object', '-w', '--stdin'], { input: content }).trim();
      this.git(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], { env });
      const tree = this.git(['write-tree'], { env }).trim();
      return this.commitTree(tree, [parent], message, author);
    } finally {
      rmSync(join(index, '..'), { recursive: true, force: true });
    }
  }

  commitTree(tree: string, parents: string[], message: string, author: Author): string {
    const env = { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email, GIT_COMMITTER_NAME: author.name, GIT_COMMITTER_EMAIL: author.email };
    return this.git(['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', message], { env }).trim();
  }

  /** A merge commit of head into base, as the merge button makes it; throws on a conflict. */
  merge(base: string, head: string, message: string, author: Author): string {
    let tree: string;
    try {
      tree = this.git(['merge-tree', '--write-tree', base, head]).trim().split('\n')[0];
    } catch (error) {
      throw new GitError(`Merge conflict: ${(error as Error).message.split('\n')[0]}`);
    }
    return this.commitTree(tree, [base, head], message, author);
  }

  /** Whether `ancestor` is reachable from `commit`. */
  isAncestor(ancestor: string, commit: string): boolean {
    try {
      this.git(['merge-base', '--is-ancestor', ancestor, commit]);
      return true;
    } catch {
      return false;
    }
  }

  /** Paths that differ between two commits. */
  changedFiles(from: string, to: string): string[] {
    return this.git(['diff', '--name-only', from, to]).trim().split('\n').filter(Boolean);
  }

  commitsBetween(base: string, head: string): number {
    return Number(this.git(['rev-list', '--count', `${base}..${head}`]).trim());
  }
}

/**
 * Serves clones and pushes through `git http-backend` (CGI). `path` is what follows the
 * repository's mount, e.g. `/info/refs`; calls onPush after a push has been received.
 */
export function serveGit(repo: BareRepository, path: string, req: IncomingMessage, res: ServerResponse, onPush: () => void): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const child = spawn('git', ['http-backend'], {
    env: {
      ...process.env,
      GIT_PROJECT_ROOT: join(repo.dir, '..'),
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: `/${repo.dir.split('/').pop()}${path}`,
      REQUEST_METHOD: req.method ?? 'GET',
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: 'stand-in',
      REMOTE_ADDR: '127.0.0.1',
      HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
      GIT_HTTP_MAX_REQUEST_BUFFER: '100M',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    const headers = head.subarray(0, end).toString().split('\r\n');
    let status = 200;
    for (const line of headers) {
      const [name, ...rest] = line.split(':');
      const value = rest.join(':').trim();
      if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    headersSent = true;
    res.write(head.subarray(end + 4));
  });
  child.on('close', (code) => {
    if (!headersSent) res.writeHead(500).end(`git http-backend failed (${code})`);
    else res.end();
    if (req.method === 'POST' && path.endsWith('git-receive-pack') && code === 0) onPush();
  });
}
