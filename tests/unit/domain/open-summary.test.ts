import { acceptCase, currentLight, type CaseRecord } from '../../../functions/domain/case';
import { defaultDirectory } from '../../../functions/domain/directory';
import { defaultCalendar } from '../../../functions/domain/calendar';
import { defaultRoutingRules } from '../../../functions/domain/routing';
import { bucketChanges, bucketKey, bucketOf, bucketOfKey, lightChangeAt, lightClock, summarize, type BucketCount } from '../../../functions/domain/open-summary';

const MONDAY = Date.parse('2026-03-09T09:00:00+08:00');
const HOUR = 3_600_000;

const accepted = (id: string, category: 'routine' | 'urban-management' = 'routine'): CaseRecord =>
  acceptCase(
    { title: 't', description: 'd', category, reportedVia: 'visit' },
    {
      caller: { sub: 's', unit: 'community-xiling-shengli-silu', role: 'community' },
      id,
      nowMs: MONDAY,
      directory: defaultDirectory,
      calendar: defaultCalendar,
      routingRules: defaultRoutingRules,
    },
  ).record;

/** What a full scan would count: every open case, its light as shown at `nowMs`. */
function scan(records: CaseRecord[], nowMs: number) {
  const byLight = { green: 0, yellow: 0, red: 0 };
  for (const r of records) if (r.status !== 'closed') byLight[currentLight(r, nowMs, defaultCalendar)] += 1;
  return byLight;
}

/** The counters as the store keeps them: one per bucket, from the recorded lights. */
function countersOf(records: CaseRecord[]): BucketCount[] {
  const counts = new Map<string, BucketCount>();
  for (const r of records) {
    for (const { bucket, delta } of bucketChanges(undefined, r)) {
      const key = bucketKey(bucket);
      const was = counts.get(key);
      counts.set(key, { ...bucket, open: (was?.open ?? 0) + delta });
    }
  }
  return [...counts.values()];
}

describe('open-case counters', () => {
  const record = accepted('01KK81QAM0N09MEBE73C2QM5XF');

  it('puts an open case in the bucket of its unit, district, category, tier and recorded light; a closed one in none', () => {
    expect(bucketOf(record)).toEqual({ unit: record.assignedUnit, district: 'xiling', category: 'routine', tier: 0, light: 'green' });
    expect(bucketOf({ ...record, status: 'closed' })).toBeUndefined();
    expect(bucketOfKey(bucketKey(bucketOf(record)!))).toEqual(bucketOf(record));
  });

  it('moves a case between buckets only when one of them changes, and drops it when it closes', () => {
    expect(bucketChanges(record, { ...record, title: 'other' })).toEqual([]);
    expect(bucketChanges(record, { ...record, light: 'yellow' }).map((c) => [c.bucket.light, c.delta])).toEqual([['green', -1], ['yellow', 1]]);
    expect(bucketChanges(record, { ...record, status: 'closed' }).map((c) => c.delta)).toEqual([-1]);
    expect(bucketChanges(undefined, record).map((c) => c.delta)).toEqual([1]);
  });

  it('knows when the shown light changes with no write: yellow at 75 % of the window, red at its end, never once red', () => {
    const due = Date.parse(record.signOffDueAt!);
    const clock = lightClock(record, defaultCalendar)!;
    expect(clock.redFromMs).toBe(due);
    expect(clock.yellowFromMs).toBeLessThan(due);
    expect(currentLight(record, clock.yellowFromMs - 1, defaultCalendar)).toBe('green');
    expect(currentLight(record, clock.yellowFromMs, defaultCalendar)).toBe('yellow');
    expect(lightChangeAt(record, defaultCalendar)).toBe(clock.yellowFromMs);
    expect(lightChangeAt({ ...record, light: 'yellow' }, defaultCalendar)).toBe(due);
    expect(lightChangeAt({ ...record, light: 'red' }, defaultCalendar)).toBeUndefined();
    expect(lightChangeAt({ ...record, status: 'closed' }, defaultCalendar)).toBeUndefined();
  });

  it('equals a full scan at every instant, the counters corrected by the cases whose change instant has passed', () => {
    const records = Array.from({ length: 40 }, (_, i) => {
      const r = accepted(`01KK81QAM0N09MEBE73C2Q${String(i).padStart(4, '0')}`, i % 3 ? 'routine' : 'urban-management');
      const shift = (i % 8) * HOUR;
      const light = i % 10 === 0 ? ('red' as const) : i % 7 === 0 ? ('yellow' as const) : ('green' as const);
      return {
        ...r,
        light,
        windowStartedAt: new Date(Date.parse(r.windowStartedAt) + shift).toISOString(),
        signOffDueAt: new Date(Date.parse(r.signOffDueAt!) + shift).toISOString(),
        ...(i % 11 === 0 ? { status: 'closed' as const } : {}),
      };
    });
    const counters = countersOf(records);
    for (let h = 0; h <= 72; h += 1) {
      const nowMs = MONDAY + h * HOUR;
      const changed = records.filter((r) => {
        const at = lightChangeAt(r, defaultCalendar);
        return at !== undefined && at <= nowMs;
      });
      const summary = summarize(counters, changed, nowMs, defaultCalendar);
      expect(summary.byLight).toEqual(scan(records, nowMs));
      expect(summary.open).toBe(records.filter((r) => r.status !== 'closed').length);
    }
  });

  it('narrows to a district, a category or a unit, and counts tiers, districts and categories of open cases only', () => {
    const records = [accepted('01KK81QAM0N09MEBE73C2QM5X1'), accepted('01KK81QAM0N09MEBE73C2QM5X2', 'urban-management'), { ...accepted('01KK81QAM0N09MEBE73C2QM5X3'), tier: 2 as const }];
    const counters = countersOf(records);
    const all = summarize(counters, [], MONDAY, defaultCalendar);
    expect(all.byTier).toEqual({ '0': 2, '1': 0, '2': 1, '3': 0 });
    expect(all.byCategory).toEqual({ routine: 2, 'urban-management': 1 });
    expect(all.byDistrict).toEqual({ xiling: 3 });
    expect(summarize(counters, [], MONDAY, defaultCalendar, { category: 'urban-management' }).open).toBe(1);
    expect(summarize(counters, [], MONDAY, defaultCalendar, { district: 'wujiagang' }).open).toBe(0);
    expect(summarize(counters, [], MONDAY, defaultCalendar, { unit: records[0].assignedUnit }).open).toBe(records.filter((r) => r.assignedUnit === records[0].assignedUnit).length);
  });
});
