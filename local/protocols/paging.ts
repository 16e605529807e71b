import { TwinError } from '../errors.js';

/**
 * One page of a listing and the token for the next: the token is the next item's index, opaque
 * to clients as AWS's tokens are.
 */
export function page<T>(items: T[], token: string | undefined, max: number): { items: T[]; next?: string } {
  const start = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw new TwinError('ValidationException', 'Invalid pagination token');
  const end = start + max;
  return { items: items.slice(start, end), next: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined };
}
