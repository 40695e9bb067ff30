import { caseItem } from '../../../functions/store/case-store';
import { lightAttributes } from '../../../functions/store/open-summary-store';
import { INDEXES, LIGHT_ATTRIBUTES } from '../../../functions/store/table-design';
import { acceptCase, type CaseRecord } from '../../../functions/domain/case';
import { defaultDirectory } from '../../../functions/domain/directory';
import { defaultCalendar, toShanghaiIso } from '../../../functions/domain/calendar';
import { defaultRoutingRules } from '../../../functions/domain/routing';
import { lightChangeAt, lightClock } from '../../../functions/domain/open-summary';
import { LIGHTS } from '../../../functions/domain/light';

/*
 * The light attributes of a case item (functions/store/open-summary-store.ts), which the write
 * path and the recount both take: the domain's lightClock written as instants, and the
 * lightChanges entry at exactly lightChangeAt's instant, in every state a case can be in.
 */
const HOUR_MS = 3_600_000;
const records: CaseRecord[] = [];
for (const [n, category] of (['routine', 'urban-management', 'neighbour-family', 'laws-and-regulations'] as const).entries()) {
  for (let hours = 0; hours < 24 * 14; hours += 37) {
    const { record } = acceptCase(
      { title: 't', description: 'd', category, reportedVia: 'visit' },
      {
        caller: { sub: 's', unit: 'community-xiling-shengli-silu', role: 'community' },
        id: `01KK81QAM0N09MEBE73C${String(n * 1000 + hours).padStart(6, '0')}`,
        nowMs: Date.parse('2026-03-09T09:00:00+08:00') + hours * HOUR_MS,
        directory: defaultDirectory,
        calendar: defaultCalendar,
        routingRules: defaultRoutingRules,
      },
    );
    for (const light of LIGHTS) records.push({ ...record, light });
    records.push({ ...record, status: 'closed', closedAt: record.createdAt });
  }
}

it('puts the lightChanges entry at lightChangeAt, and the light times at lightClock, in every state', () => {
  const instant = (ms: number) => (ms === -Infinity ? '' : ms === Infinity ? '~' : toShanghaiIso(ms));
  for (const record of records) {
    const attributes = lightAttributes(record);
    const clock = lightClock(record, defaultCalendar);
    if (!clock) {
      expect(attributes).toEqual({});
      continue;
    }
    expect(attributes[LIGHT_ATTRIBUTES.yellowFrom]).toBe(instant(clock.yellowFromMs));
    expect(attributes[LIGHT_ATTRIBUTES.redFrom]).toBe(instant(clock.redFromMs));
    const changeAt = lightChangeAt(record, defaultCalendar);
    if (changeAt === undefined) {
      expect(attributes[INDEXES.lightChanges.sortKey]).toBeUndefined();
      expect(attributes[INDEXES.lightChanges.partitionKey]).toBeUndefined();
    } else {
      expect(attributes[INDEXES.lightChanges.partitionKey]).toBe('LIGHT');
      expect(attributes[INDEXES.lightChanges.sortKey]).toBe(`${toShanghaiIso(changeAt)}#${record.id}`);
    }
  }
  // Every state is here: a change to come, none (red), and closed.
  expect(records.some((r) => lightChangeAt(r, defaultCalendar) !== undefined)).toBe(true);
  expect(records.some((r) => r.status !== 'closed' && lightChangeAt(r, defaultCalendar) === undefined)).toBe(true);
});

it('is what the case item carries', () => {
  for (const record of records) {
    const item: Record<string, unknown> = caseItem(record);
    for (const name of [LIGHT_ATTRIBUTES.yellowFrom, LIGHT_ATTRIBUTES.redFrom, INDEXES.lightChanges.partitionKey, INDEXES.lightChanges.sortKey]) {
      expect(item[name]).toBe(lightAttributes(record)[name]);
    }
  }
});
