// What a step tells the runner: file commands (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH, GITHUB_STATE,
// GITHUB_STEP_SUMMARY) and workflow commands on stdout (::error::, ::add-mask::, groups,
// ::stop-commands::), read as GitHub's runner reads them.

export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

/**
 * `name=value` lines and `name<<DELIMITER` ... `DELIMITER` blocks, as GITHUB_OUTPUT, GITHUB_ENV and
 * GITHUB_STATE hold them. `file` names the file command in errors.
 */
export function parseKeyValueFile(text: string, file: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const heredoc = line.indexOf('<<');
    const equals = line.indexOf('=');
    if (heredoc > 0 && (equals < 0 || heredoc < equals)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (!delimiter) throw new CommandError(`${file}: '${name}<<' has no delimiter after it`);
      const body: string[] = [];
      let closed = false;
      for (i++; i < lines.length; i++) {
        if (lines[i] === delimiter) {
          closed = true;
          break;
        }
        body.push(lines[i]);
      }
      if (!closed) throw new CommandError(`${file}: the value of '${name}' has no closing line '${delimiter}'`);
      values[name] = body.join('\n');
    } else if (equals > 0) {
      values[line.slice(0, equals)] = line.slice(equals + 1);
    } else {
      throw new CommandError(`${file}: line ${i + 1} is neither name=value nor name<<DELIMITER: '${line}'`);
    }
  }
  return values;
}

/** GITHUB_PATH: one directory per line, the last added first on PATH. */
export function parsePathFile(text: string): string[] {
  return text.split(/\r?\n/).filter(Boolean).reverse();
}

export type Annotation = { level: 'error' | 'warning' | 'notice'; message: string; properties: Record<string, string> };

/** What a line of a step's stdout did. */
export type LogEvent =
  | { kind: 'line'; text: string }
  | { kind: 'annotation'; annotation: Annotation }
  | { kind: 'debug'; text: string }
  | { kind: 'group'; title: string }
  | { kind: 'endgroup' }
  | { kind: 'mask'; value: string };

const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) => unescapeData(s).replace(/%3A/g, ':').replace(/%2C/g, ',');

/** Reads a step's stdout line by line, keeping the ::stop-commands:: state between lines. */
export class WorkflowCommandReader {
  private stopToken: string | undefined;

  read(line: string): LogEvent {
    const m = line.match(/^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/s);
    if (!m) return { kind: 'line', text: line };
    const [, command, props, rawData] = m;
    if (this.stopToken !== undefined) {
      if (command === this.stopToken) this.stopToken = undefined;
      return { kind: 'line', text: line };
    }
    const text = unescapeData(rawData);
    const properties: Record<string, string> = {};
    for (const p of (props ?? '').split(',').filter(Boolean)) {
      const eq = p.indexOf('=');
      if (eq > 0) properties[p.slice(0, eq).trim()] = unescapeProperty(p.slice(eq + 1));
    }
    switch (command) {
      case 'error':
      case 'warning':
      case 'notice':
        return { kind: 'annotation', annotation: { level: command, message: text, properties } };
      case 'debug':
        return { kind: 'debug', text };
      case 'group':
        return { kind: 'group', title: text };
      case 'endgroup':
        return { kind: 'endgroup' };
      case 'add-mask':
        return { kind: 'mask', value: text };
      case 'stop-commands':
        this.stopToken = text;
        return { kind: 'line', text: line };
      default:
        // An unknown command is printed as it is, as the runner does.
        return { kind: 'line', text: line };
    }
  }
}

/** Replaces every secret and masked value in a log line with ***, longest first. */
export class Masker {
  private readonly values = new Set<string>();

  add(value: string): void {
    for (const v of [value, ...value.split(/\r?\n/)]) if (v.trim().length > 0) this.values.add(v);
  }

  mask(text: string): string {
    let out = text;
    for (const v of [...this.values].sort((a, b) => b.length - a.length)) out = out.split(v).join('***');
    return out;
  }
}
