// SageMaker's List* conventions, shared by every listing: NameContains, creation-time bounds and
// StatusEquals filter; SortBy Name or CreationTime, newest first unless SortOrder says otherwise;
// MaxResults (at most 100, which the contract checks) and NextToken paging.
import { page } from '../protocols/paging.js';

export interface ListInput {
  NameContains?: string;
  CreationTimeAfter?: Date;
  CreationTimeBefore?: Date;
  StatusEquals?: string;
  SortBy?: string;
  SortOrder?: string;
  MaxResults?: number;
  NextToken?: string;
}

export function listing<T>(
  items: T[],
  input: ListInput,
  of: { name: (t: T) => string; created: (t: T) => number; status?: (t: T) => string },
): { items: T[]; next?: string } {
  let list = items;
  const { NameContains: contains, CreationTimeAfter: after, CreationTimeBefore: before, StatusEquals: status } = input;
  if (contains) list = list.filter((t) => of.name(t).includes(contains));
  if (after) list = list.filter((t) => of.created(t) > after.getTime());
  if (before) list = list.filter((t) => of.created(t) < before.getTime());
  if (status && of.status) list = list.filter((t) => of.status!(t) === status);
  const byName = input.SortBy === 'Name';
  list = [...list].sort((a, b) => (byName ? of.name(a).localeCompare(of.name(b)) : of.created(a) - of.created(b)));
  if (input.SortOrder !== 'Ascending') list.reverse();
  return page(list, input.NextToken, input.MaxResults ?? 100);
}
