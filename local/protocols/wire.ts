/** Dates in twin state are epoch milliseconds; JSON protocols send epoch seconds. */
export function epochSeconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}

/** Escapes element text (no attributes are written, so quotes stay as they are, as AWS sends them). */
export function escapeXml(value: unknown): string {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A JS value as awsQuery / restXml elements: objects become <Key>value</Key>, arrays become
 * <member> items, Date values ISO timestamps. Undefined members are left out.
 */
export function toXml(value: unknown, memberName = 'member'): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => `<${memberName}>${toXml(v, memberName)}</${memberName}>`).join('');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v, memberName)}</${k}>`)
      .join('');
  }
  return escapeXml(value);
}
