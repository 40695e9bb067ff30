import * as z from 'zod/mini';
import { listingFieldText, listingRefusal } from '../domain/texts/listing-refusals';
import '../domain/zod-locale';
import { apiHandler } from '../commons/http';
import { listCases } from '../commons/app';
import { now } from '../commons/clock';
import { ListCasesQuerySchema } from './request-schemas';
import { seesAllCases, type Caller } from '../domain/identity';
import { forbidden, invalidField } from '../commons/problems';
import type { CaseListSource } from '../store/case-store';
import { caseFields } from './case-fields';
import { notModified, summaryEtag } from './case-summary-etag';

type ListCasesQuery = z.infer<typeof ListCasesQuerySchema>;

/**
 * Which index answers this caller's question. Communities see the cases they accepted,
 * agencies and offices the cases assigned to them, city-wide roles any unit's, a month's,
 * or (by default) every open case ordered by its next deadline; with `coHandling`, the cases
 * in which the unit owes a co-handling part.
 */
export function sourceFor(caller: Caller, query: ListCasesQuery): CaseListSource {
  if (!seesAllCases(caller)) {
    if (query.unit !== undefined && query.unit !== caller.unit) {
      throw forbidden(listingRefusal('list-own-only', { callerUnit: caller.unit }));
    }
    if (query.coHandling) return { index: 'byAssignedUnit', unit: caller.unit, coHandling: true };
    return caller.role === 'community'
      ? { index: 'byOriginUnit', unit: caller.unit }
      : { index: 'byAssignedUnit', unit: caller.unit, ...(query.status ? { status: query.status } : {}) };
  }
  if (query.unit !== undefined && query.coHandling) return { index: 'byAssignedUnit', unit: query.unit, coHandling: true };
  if (query.unit !== undefined) return { index: 'byAssignedUnit', unit: query.unit, ...(query.status ? { status: query.status } : {}) };
  if (query.coHandling) throw invalidField('unit', listingFieldText('co-handling-needs-unit'));
  if (query.month !== undefined) return { index: 'byMonth', month: query.month };
  if (query.status === 'closed') throw invalidField('month', listingFieldText('closed-needs-month'));
  return { index: 'openByDue' };
}

/**
 * The listing's filters as the store takes them, after the caller's rights: the complainant's
 * phone is a filter for the supervisor only (anyone else could learn whose complaint a case is).
 */
export function listFilters(caller: Caller, query: ListCasesQuery, source: CaseListSource) {
  if (query.phone !== undefined && caller.role !== 'supervisor') throw invalidField('phone', listingFieldText('phone-supervisor-only'));
  return {
    source,
    ...(query.status && !('status' in source) ? { status: query.status } : {}),
    ...(query.tier !== undefined ? { tier: query.tier } : {}),
    ...(query.month && source.index !== 'byMonth' ? { month: query.month } : {}),
    ...(query.district ? { district: query.district } : {}),
    ...(query.category ? { category: query.category } : {}),
    ...(query.light ? { light: query.light } : {}),
    ...(query.q ? { q: query.q } : {}),
    ...(query.phone ? { phone: query.phone } : {}),
    ...(query.sort ? { sort: query.sort } : {}),
  };
}

export const handler = apiHandler({ auth: 'required', query: ListCasesQuerySchema }, async ({ query, caller, headers }) => {
  const source = sourceFor(caller, query);
  const nowMs = now();
  // Every filter, the light included, runs in the query: a page is short only at the end (docs/scale.md#lists).
  const page = await listCases({ ...listFilters(caller, query, source), limit: query.limit ?? 20, nowMs, ...(query.cursor ? { cursor: query.cursor } : {}) });
  const items = page.items.map((record) => caseFields(record, caller, nowMs));
  const body = { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  // A board that asks again with the tag it holds gets 304 and no body while its page is the same.
  const etag = summaryEtag(body);
  const cache = { etag, 'cache-control': 'private, no-cache' };
  if (notModified(headers, etag)) return { statusCode: 304, headers: cache };
  return { statusCode: 200, body, headers: cache };
});
