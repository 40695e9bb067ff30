import * as z from 'zod/mini';
import { errorText, fieldText } from '../domain/errors';
import '../domain/zod-locale';
import { apiHandler } from '../commons/http';
import { caseStore } from '../commons/app';
import { now } from '../commons/clock';
import { ListCasesQuerySchema } from './request-schemas';
import { seesAllCases, type Caller } from '../domain/identity';
import { forbidden, invalidField } from '../commons/problems';
import type { CaseListSource } from '../store/case-store';
import { caseView } from './case-view';

type ListCasesQuery = z.infer<typeof ListCasesQuerySchema>;

/**
 * Which index answers this caller's question. Communities see the cases they accepted,
 * agencies and offices the cases assigned to them, city-wide roles any unit's, a month's,
 * or (by default) every open case ordered by its next deadline; with `coHandling`, the cases
 * in which the unit owes a co-handling part.
 */
function sourceFor(caller: Caller, query: ListCasesQuery): CaseListSource {
  if (!seesAllCases(caller)) {
    if (query.unit !== undefined && query.unit !== caller.unit) {
      throw forbidden(errorText('list-own-only', { callerUnit: caller.unit }));
    }
    if (query.coHandling) return { index: 'byAssignedUnit', unit: caller.unit, coHandling: true };
    return caller.role === 'community'
      ? { index: 'byOriginUnit', unit: caller.unit }
      : { index: 'byAssignedUnit', unit: caller.unit, ...(query.status ? { status: query.status } : {}) };
  }
  if (query.unit !== undefined && query.coHandling) return { index: 'byAssignedUnit', unit: query.unit, coHandling: true };
  if (query.unit !== undefined) return { index: 'byAssignedUnit', unit: query.unit, ...(query.status ? { status: query.status } : {}) };
  if (query.coHandling) throw invalidField('unit', fieldText('co-handling-needs-unit'));
  if (query.month !== undefined) return { index: 'byMonth', month: query.month };
  if (query.status === 'closed') throw invalidField('month', fieldText('closed-needs-month'));
  return { index: 'openByDue' };
}

export const handler = apiHandler({ auth: 'required', query: ListCasesQuerySchema }, async ({ query, caller, texts }) => {
  const source = sourceFor(caller, query);
  const page = await caseStore().listCases({
    source,
    ...(query.status && !('status' in source) ? { status: query.status } : {}),
    ...(query.tier !== undefined ? { tier: query.tier } : {}),
    ...(query.month && source.index !== 'byMonth' ? { month: query.month } : {}),
    limit: query.limit ?? 20,
    ...(query.cursor ? { cursor: query.cursor } : {}),
  });
  const nowMs = now();
  // The light depends on the clock, not only on stored data, so it is filtered after reading.
  const items = page.items
    .map((record) => caseView(record, undefined, caller, nowMs, texts))
    .filter((view) => query.light === undefined || view.light === query.light);
  return { statusCode: 200, body: { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } };
});
