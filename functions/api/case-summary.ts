import { apiHandler } from '../commons/http';
import { calendar } from '../commons/app';
import { dynamoDb } from '../commons/clients/dynamodb';
import { requiredEnv } from '../commons/clients/settings';
import { now } from '../commons/clock';
import { forbidden } from '../commons/problems';
import { listingRefusal } from '../domain/texts/listing-refusals';
import { seesAllCases } from '../domain/identity';
import { toShanghaiIso } from '../domain/calendar';
import { summarize } from '../domain/open-summary';
import { OpenSummaryStore } from '../store/open-summary-store';
import { summaryEtag, notModified } from './case-summary-etag';
import { CaseSummaryQuerySchema } from './case-summary-schema';

let store: OpenSummaryStore | undefined;
const summaryStore = () => (store ??= new OpenSummaryStore(dynamoDb(), requiredEnv('CASES_TABLE')));

/**
 * GET /v1/cases/summary: open cases by light, tier, district and category over every open case
 * (a unit's own for a unit's staff), exact as deadlines pass: the open-case counters, corrected
 * by the few cases whose light changed since their last write (docs/scale.md). Answers an ETag;
 * a request whose If-None-Match carries it gets 304 with no body.
 */
export const handler = apiHandler({ auth: 'required', query: CaseSummaryQuerySchema }, async ({ query, caller, headers }) => {
  if (!seesAllCases(caller) && query.unit !== undefined && query.unit !== caller.unit) {
    throw forbidden(listingRefusal('list-own-only', { callerUnit: caller.unit }));
  }
  const unit = seesAllCases(caller) ? query.unit : caller.unit;
  const nowMs = now();
  const [{ counters }, { records }] = await Promise.all([summaryStore().counters(unit), summaryStore().changedBy(nowMs)]);
  const filter = { ...(unit ? { unit } : {}), ...(query.district ? { district: query.district } : {}), ...(query.category ? { category: query.category } : {}) };
  const summary = summarize(counters, records, nowMs, calendar, filter);
  const etag = summaryEtag(summary);
  const cache = { etag, 'cache-control': 'private, no-cache' };
  if (notModified(headers, etag)) return { statusCode: 304, headers: cache };
  return { statusCode: 200, body: { ...summary, asOf: toShanghaiIso(nowMs) }, headers: cache };
});
