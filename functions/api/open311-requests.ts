import { caseStore } from '../commons/app';
import { now } from '../commons/clock';
import { dynamoDb } from '../commons/clients/dynamodb';
import { requiredEnv } from '../commons/clients/settings';
import type { CaseRecord } from '../domain/case';
import { casesAcceptedBetween } from '../store/open311-request-store';
import { List } from '../open311/document';
import { open311Handler } from '../open311/http';
import { CASE_ID, LISTING_LIMITS, matches, requestFilterOf, serviceRequest } from '../open311/requests';

/**
 * GET /open311/v2/requests.{json,xml}: requests by the spec's filters (service_request_id,
 * service_code, start_date, end_date, status), newest first, at most 1000: the month index read
 * backwards over the range only, stopping once there are enough.
 */
export const handler = open311Handler(async ({ query, texts }) => {
  const filter = requestFilterOf(query, now());
  const found: CaseRecord[] = [];
  if (filter.ids) {
    for (const id of new Set(filter.ids)) {
      const item = CASE_ID.test(id) ? await caseStore().getCase(id) : undefined;
      if (item) found.push(item.record);
    }
    found.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
  } else {
    for await (const record of casesAcceptedBetween(dynamoDb(), requiredEnv('CASES_TABLE'), filter.startMs, filter.endMs)) {
      if (matches(record, filter)) found.push(record);
      if (found.length >= LISTING_LIMITS.results) break;
    }
  }
  return { status: 200, document: { root: 'service_requests', value: new List('request', found.map((record) => serviceRequest(record, texts))) } };
});
