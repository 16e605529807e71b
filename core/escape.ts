// The one way a user's value reaches the runner's log. The runner reads any log line that starts
// with `::` as a workflow command (set an output, mask nothing, stop commands), so a value with a
// newline and `::error::` or `::add-mask::` in it could steer the job. Every line the actions log
// goes through defuseCommands (runner.info does it), and a value shown inside a line goes through
// userText, which also keeps it on that one line. The local workflow runner prints the jobs' logs
// through defuseCommands too, so that running it inside a GitHub job cannot steer that job.

const ZERO_WIDTH_SPACE = '\u200b';

/** Text whose lines can no longer be read as workflow commands: a leading `::` is broken up. */
export function defuseCommands(text: string): string {
  return text.replace(/^([ \t]*):(?=:)/gm, `$1:${ZERO_WIDTH_SPACE}`);
}

/**
 * A user's value for one line of a log or summary: line breaks and other control characters
 * shown as escapes (`\n`, `\u0007`), and no `::` left whole.
 */
export function userText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const visible = text.replace(/[\u0000-\u001f\u007f]/g, (c) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return visible.replace(/:(?=:)/g, `:${ZERO_WIDTH_SPACE}`);
}

/** The first control character of a single-line value, as `\u000a`, or undefined when it has none. */
export function controlCharacter(value: string): string | undefined {
  const m = value.match(/[\u0000-\u001f\u007f]/);
  return m ? `\\u${m[0].charCodeAt(0).toString(16).padStart(4, '0')}` : undefined;
}

/** A user's value inside HTML text or a quoted attribute: the five characters HTML gives meaning to, as entities. */
export function htmlText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
