// Markdown for job summaries and pull request comments. Pure strings, so the same table can be
// written to $GITHUB_STEP_SUMMARY, logged, or posted as a comment, and tested as text.

/** Escapes what would break a table cell: pipes and line breaks. */
export function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return ' ';
  return String(value).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

export function table(headers: string[], rows: unknown[][]): string {
  const head = `| ${headers.map(cell).join(' | ')} |`;
  const rule = `| ${headers.map(() => '---').join(' | ')} |`;
  const body = rows.map((r) => `| ${r.map(cell).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

/** A two-column table of names and values. */
export function keyValueTable(entries: Record<string, unknown>, headers = ['', '']): string {
  return table(headers, Object.entries(entries).map(([k, v]) => [`**${k}**`, v]));
}

export function heading(text: string, level = 2): string {
  return `${'#'.repeat(level)} ${text}`;
}

export function mermaid(source: string): string {
  return ['```mermaid', source.trim(), '```'].join('\n');
}

export function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/** Joins blocks with blank lines, leaving out empty ones. */
export function blocks(...parts: (string | undefined | false)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join('\n\n') + '\n';
}
