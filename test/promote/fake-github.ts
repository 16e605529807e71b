// An in-memory GitHub repository behind the REST calls promotion makes: branches, file contents
// with blob shas, and pull requests, with GitHub's status codes. Every request is recorded.

interface PullRequest {
  number: number;
  html_url: string;
  title: string;
  body: string;
  head: { ref: string };
  base: { ref: string };
  state: string;
}

export class FakeGitHub {
  readonly calls: string[] = [];
  readonly branches = new Map<string, Map<string, string>>();
  readonly pulls: PullRequest[] = [];
  private blobs = 0;

  readonly fetch = (async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const { pathname, searchParams } = new URL(url);
    const path = decodeURIComponent(pathname.replace(/^\/repos\/org\/repo/, ''));
    this.calls.push(`${method} ${path}`);
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    const json = (status: number, value: unknown) => new Response(JSON.stringify(value), { status });
    let m: RegExpMatchArray | null;
    if (method === 'GET' && (m = path.match(/^\/git\/ref\/heads\/(.+)$/))) {
      return this.branches.has(m[1]) ? json(200, { ref: `refs/heads/${m[1]}`, object: { sha: this.sha(m[1]) } }) : json(404, { message: 'Not Found' });
    }
    if (method === 'POST' && path === '/git/refs') {
      const name = String(body.ref).replace('refs/heads/', '');
      if (this.branches.has(name)) return json(422, { message: 'Reference already exists' });
      this.branches.set(name, new Map(this.branches.get('main')));
      return json(201, { ref: body.ref, object: { sha: body.sha } });
    }
    if ((m = path.match(/^\/contents\/(.+)$/))) {
      const branch = this.branches.get(method === 'GET' ? searchParams.get('ref')! : body.branch)!;
      const file = m[1];
      if (method === 'GET') return json(200, { type: 'file', path: file, sha: `blob-${branch.get(file)!.length}`, content: Buffer.from(branch.get(file)!).toString('base64'), encoding: 'base64' });
      if (body.sha !== `blob-${branch.get(file)!.length}`) return json(409, { message: `${file} does not match ${body.sha}` });
      branch.set(file, Buffer.from(body.content, 'base64').toString('utf8'));
      return json(200, { content: { path: file, sha: `blob-${++this.blobs}` } });
    }
    if (method === 'GET' && path === '/pulls') {
      const head = searchParams.get('head')!.split(':')[1];
      return json(200, this.pulls.filter((p) => p.head.ref === head && p.state === searchParams.get('state')));
    }
    if (method === 'POST' && path === '/pulls') {
      const pr = { number: this.pulls.length + 1, html_url: `https://github.local/org/repo/pull/${this.pulls.length + 1}`, title: body.title, body: body.body, head: { ref: body.head }, base: { ref: body.base }, state: 'open' };
      this.pulls.push(pr);
      return json(201, pr);
    }
    if (method === 'PATCH' && (m = path.match(/^\/pulls\/(\d+)$/))) {
      const pr = this.pulls.find((p) => p.number === Number(m![1]))!;
      Object.assign(pr, { title: body.title, body: body.body });
      return json(200, pr);
    }
    return json(501, { message: `fake GitHub does not serve ${method} ${path}` });
  }) as typeof fetch;

  constructor(files: Record<string, string>) {
    this.branches.set('main', new Map(Object.entries(files)));
  }

  private sha(branch: string): string {
    return `${branch.replace(/\W/g, '')}${'0'.repeat(40)}`.slice(0, 40);
  }
}
