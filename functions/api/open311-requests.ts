import { caseStore } from '../commons/app';
import { now } from '../commons/clock';
import type { CaseRecord } from '../domain/case';
import { List } from '../open311/document';
import { open311Handler } from '../open311/http';
import { CASE_ID, LISTING_LIMITS, matches, monthsOf, requestFilterOf, serviceRequest } from '../open311/requests';

/**
 * GET /open311/v2/requests.{json,xml}: requests by the spec's filters (service_request_id,
 * service_code, start_date, end_date, status), newest first, at most 1000. Read from the
 * month index one Shanghai month at a time, newest month first.
 */
export const handler = open311Handler(async ({ query, texts }) => {
  const filter = requestFilterOf(query, now());
  const found: CaseRecord[] = [];
  if (filter.ids) {
    for (const id of new Set(filter.ids)) {
      const item = CASE_ID.test(id) ? await caseStore().getCase(id) : undefined;
      if (item) found.push(item.record);
    }
  } else {
    for (const month of monthsOf(filter.startMs, filter.endMs)) {
      let cursor: string | undefined;
      do {
        const page = await caseStore().listCases({ source: { index: 'byMonth', month }, limit: 200, ...(cursor ? { cursor } : {}) });
        found.push(...page.items.filter((record) => matches(record, filter)));
        cursor = page.nextCursor;
      } while (cursor);
      if (found.length >= LISTING_LIMITS.results) break;
    }
  }
  const newestFirst = found.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : -1)).slice(0, LISTING_LIMITS.results);
  return { status: 200, document: { root: 'service_requests', value: new List('request', newestFirst.map((record) => serviceRequest(record, texts))) } };
});
