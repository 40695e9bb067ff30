import { caseItem, indexAttributes } from '../../../functions/store/case-store';
import { INDEXES } from '../../../functions/store/table-design';
import { acceptCase, type CaseRecord } from '../../../functions/domain/case';
import { defaultDirectory } from '../../../functions/domain/directory';
import { defaultCalendar } from '../../../functions/domain/calendar';
import { defaultRoutingRules } from '../../../functions/domain/routing';

/** byOriginUnit's sort key (issue 15): the case's status first, so a community's list of one status is a key condition. */
const ID = '01KK81QAM0N09MEBE73C2QM5XF';
const accepted = (): CaseRecord =>
  acceptCase(
    { title: 't', description: 'd', category: 'routine', reportedVia: 'visit' },
    {
      caller: { sub: 's', unit: 'community-xiling-shengli-silu', role: 'community' },
      id: ID,
      nowMs: Date.parse('2026-03-09T09:00:00+08:00'),
      directory: defaultDirectory,
      calendar: defaultCalendar,
      routingRules: defaultRoutingRules,
    },
  ).record;
const originSk = (record: CaseRecord) => (caseItem(record) as Record<string, unknown>)[INDEXES.byOriginUnit.sortKey] as string;

it('sorts an open case under its status, then its creation time', () => {
  expect(originSk(accepted())).toBe(`awaiting-sign-off#2026-03-09T09:00:00.000+08:00#${ID}`);
  expect(originSk({ ...accepted(), status: 'awaiting-evaluation' })).toBe(`awaiting-evaluation#2026-03-09T09:00:00.000+08:00#${ID}`);
  expect(originSk({ ...accepted(), status: 'returned' })).toBe(`returned#2026-03-09T09:00:00.000+08:00#${ID}`);
});

it('sorts closed cases most recently closed first: a later closing gives a smaller key of the same length', () => {
  const closedAt = (iso: string) => originSk({ ...accepted(), status: 'closed', closedAt: iso });
  const early = closedAt('2026-03-10T10:00:00.000+08:00');
  const late = closedAt('2026-03-11T10:00:00.000+08:00');
  expect(early).toBe(`closed#${String(9_999_999_999_999 - Date.parse('2026-03-10T10:00:00+08:00')).padStart(13, '0')}#${ID}`);
  expect(late < early).toBe(true);
  expect(late).toHaveLength(early.length);
  // A later closing by a millisecond still sorts first (the key is exact to the millisecond).
  expect(closedAt('2026-03-10T10:00:00.001+08:00') < early).toBe(true);
});

it('is what the recount compares items with: indexAttributes and caseItem agree', () => {
  const record = { ...accepted(), status: 'closed' as const, closedAt: '2026-03-10T10:00:00.000+08:00' };
  const item = caseItem(record) as Record<string, unknown>;
  for (const [name, value] of Object.entries(indexAttributes(record))) expect(item[name]).toBe(value);
});
