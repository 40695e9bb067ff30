import {
  cutoffFor,
  monthEndMs,
  monthSegments,
  monthStartMs,
  monthsBetween,
  nextScheduledRun,
  reportedMonthOfRun,
  scheduledRunMs,
} from '../../../functions/domain/assessment-period';
import { toShanghaiIso } from '../../../functions/domain/calendar';
import { ms } from './cases';

describe('months in Shanghai', () => {
  it('start at 00:00 +08:00 on the 1st and end when the next one starts', () => {
    expect(toShanghaiIso(monthStartMs('2026-10'))).toBe('2026-10-01T00:00:00.000+08:00');
    expect(toShanghaiIso(monthEndMs('2026-12'))).toBe('2027-01-01T00:00:00.000+08:00');
    expect(monthEndMs('2026-02') - monthStartMs('2026-02')).toBe(28 * 86_400_000);
  });

  it('list a period from its first to its last month', () => {
    expect(monthsBetween('2011-01', '2011-10')).toHaveLength(10);
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(() => monthsBetween('2026-05', '2026-04')).toThrow(RangeError);
    expect(() => monthsBetween('2026-13', '2027-01')).toThrow(RangeError);
  });

  it('measure a finished month at its end, and the running month just after now, provisionally', () => {
    expect(cutoffFor('2026-10', ms('2026-11-01T01:00'))).toEqual({ cutoffMs: ms('2026-11-01T00:00'), provisional: false });
    const now = ms('2026-10-15T12:00');
    expect(cutoffFor('2026-10', now)).toEqual({ cutoffMs: now + 1, provisional: true });
  });
});

describe('segments of a month', () => {
  it('are one per day by default, contiguous, and cover the month exactly', () => {
    const segments = monthSegments('2026-10');
    expect(segments).toHaveLength(31);
    expect(segments[0]).toEqual({ month: '2026-10', index: 0, fromIso: '2026-10-01T00:00:00.000+08:00', toIso: '2026-10-02T00:00:00.000+08:00' });
    expect(segments[30].toIso).toBe('2026-11-01T00:00:00.000+08:00');
    for (let i = 1; i < segments.length; i++) expect(segments[i].fromIso).toBe(segments[i - 1].toIso);
  });

  it('can be finer for large months', () => {
    const segments = monthSegments('2026-02', 4);
    expect(segments).toHaveLength(28 * 4);
    expect(segments[1]).toMatchObject({ index: 1, fromIso: '2026-02-01T06:00:00.000+08:00', toIso: '2026-02-01T12:00:00.000+08:00' });
    expect(() => monthSegments('2026-02', 5)).toThrow(RangeError);
  });
});

describe('the monthly schedule', () => {
  it('runs at 01:00 Shanghai on the 1st, for the month before', () => {
    expect(toShanghaiIso(scheduledRunMs('2026-10'))).toBe('2026-11-01T01:00:00.000+08:00');
    expect(reportedMonthOfRun(ms('2026-11-01T01:00'))).toBe('2026-10');
    expect(reportedMonthOfRun(ms('2027-01-01T01:00'))).toBe('2026-12');
  });

  it('finds the next run strictly after now', () => {
    expect(nextScheduledRun(ms('2026-10-15T12:00'))).toEqual({ atMs: ms('2026-11-01T01:00'), month: '2026-10' });
    expect(nextScheduledRun(ms('2026-11-01T00:30'))).toEqual({ atMs: ms('2026-11-01T01:00'), month: '2026-10' });
    expect(nextScheduledRun(ms('2026-11-01T01:00'))).toEqual({ atMs: ms('2026-12-01T01:00'), month: '2026-11' });
    expect(nextScheduledRun(ms('2026-12-31T23:00'))).toEqual({ atMs: ms('2027-01-01T01:00'), month: '2026-12' });
  });
});
