import * as z from 'zod/mini';
import '../domain/zod-locale';
import { apiHandler } from '../commons/http';
import { caseStore } from '../commons/app';
import { now } from '../commons/clock';
import { CASE_STATUSES, UnitIdSchema } from '../domain/case';
import { LIGHTS } from '../domain/light';
import { seesAllCases, type Caller } from '../domain/identity';
import { forbidden, invalidField } from '../commons/problems';
import type { CaseListSource } from '../store/case-store';
import { caseView } from './case-view';

export const ListCasesQuerySchema = z.strictObject({
  unit: z.optional(UnitIdSchema),
  status: z.optional(z.enum(CASE_STATUSES)),
  light: z.optional(z.enum(LIGHTS)),
  tier: z.optional(z.pipe(z.enum(['0', '1', '2', '3']), z.transform(Number))),
  month: z.optional(z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as yyyy-mm'))),
  limit: z.optional(
    z.pipe(
      z.pipe(z.string().check(z.regex(/^\d+$/, 'a whole number from 1 to 100')), z.transform(Number)),
      z.number().check(z.int(), z.minimum(1), z.maximum(100)),
    ),
  ),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
type ListCasesQuery = z.infer<typeof ListCasesQuerySchema>;

/**
 * Which index answers this caller's question. Communities see the cases they accepted,
 * agencies and offices the cases assigned to them, city-wide roles any unit's, a month's,
 * or (by default) every open case ordered by its next deadline.
 */
function sourceFor(caller: Caller, query: ListCasesQuery): CaseListSource {
  if (!seesAllCases(caller)) {
    if (query.unit !== undefined && query.unit !== caller.unit) {
      throw forbidden(`Unit ${caller.unit} may list only its own cases.`);
    }
    return caller.role === 'community'
      ? { index: 'byOriginUnit', unit: caller.unit }
      : { index: 'byAssignedUnit', unit: caller.unit, ...(query.status ? { status: query.status } : {}) };
  }
  if (query.unit !== undefined) return { index: 'byAssignedUnit', unit: query.unit, ...(query.status ? { status: query.status } : {}) };
  if (query.month !== undefined) return { index: 'byMonth', month: query.month };
  if (query.status === 'closed') throw invalidField('month', 'name a month (or a unit) to list closed cases');
  return { index: 'openByDue' };
}

export const handler = apiHandler({ auth: 'required', query: ListCasesQuerySchema }, async ({ query, caller }) => {
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
    .map((record) => caseView(record, undefined, caller, nowMs))
    .filter((view) => query.light === undefined || view.light === query.light);
  return { statusCode: 200, body: { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } };
});
