// The sample payloads a smoke test sends: CSV and JSON, one row and many, built from a CSV file
// with a header (the repository's sample data by default), the label column left out.
import { existsSync, readFileSync } from 'node:fs';
import { UserError } from '../../../core/errors.js';

export interface Payload {
  /** How the summary and errors name it: "CSV, 1 row". */
  name: string;
  contentType: 'text/csv' | 'application/json';
  body: string;
  rows: number;
}

/** Splits one CSV line; the sample files have no quoted commas, and a quote is refused rather than misread. */
function cells(line: string, file: string, at: number): string[] {
  if (line.includes('"')) throw new UserError(`Input 'sample-file': ${file} line ${at} has a quoted value; the smoke test reads plain CSV only`);
  return line.split(',').map((c) => c.trim());
}

/** The feature rows of the sample file: every column but the label, as text. */
export function sampleRows(file: string, labelColumn: string | undefined, count: number): { header: string[]; rows: string[][] } {
  if (!existsSync(file)) throw new UserError(`Input 'sample-file': ${file} does not exist`);
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new UserError(`Input 'sample-file': ${file} needs a header line and at least one row`);
  const header = cells(lines[0], file, 1);
  const label = labelColumn === undefined ? -1 : header.indexOf(labelColumn);
  if (labelColumn !== undefined && label < 0) {
    throw new UserError(`Input 'label-column': ${file} has no column '${labelColumn}' (its columns: ${header.join(', ')})`);
  }
  const keep = (row: string[]) => row.filter((_, i) => i !== label);
  const rows = lines.slice(1, count + 1).map((l, i) => {
    const row = cells(l, file, i + 2);
    if (row.length !== header.length) throw new UserError(`Input 'sample-file': ${file} line ${i + 2} has ${row.length} values, the header ${header.length}`);
    return keep(row);
  });
  return { header: keep(header), rows };
}

/** A value as JSON carries it: numbers as numbers, the rest as text. */
const jsonValue = (cell: string): string | number => (cell !== '' && Number.isFinite(Number(cell)) ? Number(cell) : cell);

export function buildPayloads(sample: { header: string[]; rows: string[][] }): Payload[] {
  const { header, rows } = sample;
  const csv = (rs: string[][]) => rs.map((r) => r.join(',')).join('\n');
  const object = (r: string[]) => Object.fromEntries(header.map((h, i) => [h, jsonValue(r[i])]));
  const payloads: Payload[] = [
    { name: 'CSV, 1 row', contentType: 'text/csv', body: csv(rows.slice(0, 1)), rows: 1 },
    { name: 'JSON, 1 row', contentType: 'application/json', body: JSON.stringify(object(rows[0])), rows: 1 },
  ];
  if (rows.length > 1) {
    payloads.push(
      { name: `CSV, ${rows.length} rows`, contentType: 'text/csv', body: csv(rows), rows: rows.length },
      { name: `JSON, ${rows.length} rows`, contentType: 'application/json', body: JSON.stringify({ instances: rows.map(object) }), rows: rows.length },
    );
  }
  return payloads;
}
