import { getJson } from './api';
import type { CaseSummary } from './case-types';

/** Cases read per refresh at most (pages of 100). */
export const LIST_LIMIT = 500;

/** GET /v1/cases, following cursors up to the limit: what this caller may see, filtered as asked. */
export async function listCases(filters: Record<string, string> = {}): Promise<{ items: CaseSummary[]; more: boolean }> {
  const items: CaseSummary[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ ...filters, limit: '100' });
    if (cursor) query.set('cursor', cursor);
    const page = await getJson<{ items: CaseSummary[]; nextCursor?: string }>(`/v1/cases?${query}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < LIST_LIMIT);
  return { items, more: Boolean(cursor) };
}
