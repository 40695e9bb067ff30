import { caseItem } from '../../../functions/store/case-store';
import { INDEXES } from '../../../functions/store/table-design';
import { acceptCase, type CaseRecord } from '../../../functions/domain/case';
import { defaultDirectory } from '../../../functions/domain/directory';
import { defaultCalendar } from '../../../functions/domain/calendar';
import { defaultRoutingRules } from '../../../functions/domain/routing';

/** The index keys are derived from the record, so listings can never disagree with it. */
const accepted = (): CaseRecord =>
  acceptCase(
    { title: 't', description: 'd', category: 'routine', reportedVia: 'visit' },
    {
      caller: { sub: 's', unit: 'community-xiling-shengli-silu', role: 'community' },
      id: '01KK81QAM0N09MEBE73C2QM5XF',
      nowMs: Date.parse('2026-03-09T09:00:00+08:00'),
      directory: defaultDirectory,
      calendar: defaultCalendar,
      routingRules: defaultRoutingRules,
    },
  ).record;

it('keys a new case by assigned unit and status, origin, Shanghai month and its sign-off deadline', () => {
  const item: Record<string, unknown> = caseItem(accepted());
  expect(item[INDEXES.byAssignedUnit.partitionKey]).toBe('UNIT#street-xiling-xiling');
  expect(item[INDEXES.byAssignedUnit.sortKey]).toBe('awaiting-sign-off#2026-03-09T09:00:00.000+08:00#01KK81QAM0N09MEBE73C2QM5XF');
  expect(item[INDEXES.byOriginUnit.partitionKey]).toBe('ORIGIN#community-xiling-shengli-silu');
  expect(item[INDEXES.byMonth.partitionKey]).toBe('MONTH#2026-03');
  expect(item[INDEXES.openByDue.sortKey]).toBe('2026-03-10T09:00:00.000+08:00#01KK81QAM0N09MEBE73C2QM5XF');
});

it('orders a returned case on the board by its re-routing deadline, and takes closed cases off it', () => {
  const returned: CaseRecord = {
    ...accepted(),
    status: 'returned',
    assignedUnit: 'supervision-centre',
    windowStartedAt: '2026-03-09T10:00:00.000+08:00',
    reRouteDueAt: '2026-03-10T10:00:00.000+08:00',
  };
  const item: Record<string, unknown> = caseItem(returned);
  expect(item[INDEXES.openByDue.sortKey]).toBe('2026-03-10T10:00:00.000+08:00#01KK81QAM0N09MEBE73C2QM5XF');
  const closed: Record<string, unknown> = caseItem({ ...returned, status: 'closed', closedAt: '2026-03-11T10:00:00.000+08:00' });
  expect(closed[INDEXES.openByDue.partitionKey]).toBeUndefined();
  expect(closed[INDEXES.openByDue.sortKey]).toBeUndefined();
});
