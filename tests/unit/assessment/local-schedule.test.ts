import { VirtualClock } from '../../../local/clock';
import { keepMonthlySchedule } from '../../../local/report-schedule';
import { toShanghaiIso } from '../../../functions/domain/calendar';
import { ms } from './cases';

/*
 * The monthly schedule on the local stack's virtual clock: one timer `report:<yyyy-mm>` at the
 * next 1st, 01:00 Shanghai; when it fires, the month before is reported and the next run armed.
 */
describe('the local monthly schedule', () => {
  const runs: Array<{ month: string; at: string }> = [];
  const run = async (month: string, scheduledMs: number) => {
    runs.push({ month, at: toShanghaiIso(scheduledMs) });
  };
  beforeEach(() => {
    runs.length = 0;
  });

  it('keeps one timer at the next 1st, 01:00 Shanghai, for the month before', () => {
    const clock = new VirtualClock({ startMs: ms('2026-10-15T12:00'), timeScale: 0 });
    keepMonthlySchedule(clock, run);
    expect(clock.pending()).toEqual([{ key: 'report:2026-10', at: ms('2026-11-01T01:00'), payload: { month: '2026-10' } }]);
  });

  it('runs each month once as the clock passes its run, and re-arms for the next', async () => {
    const clock = new VirtualClock({ startMs: ms('2026-10-15T12:00'), timeScale: 0 });
    keepMonthlySchedule(clock, run);
    await clock.advanceTo(ms('2026-11-01T00:59'));
    expect(runs).toEqual([]);
    await clock.advanceTo(ms('2026-11-01T01:00'));
    expect(runs).toEqual([{ month: '2026-10', at: '2026-11-01T01:00:00.000+08:00' }]);
    // Three months in one jump: each run in order, at its own time.
    await clock.advanceTo(ms('2027-02-10T00:00'));
    expect(runs.map((r) => r.month)).toEqual(['2026-10', '2026-11', '2026-12', '2027-01']);
    expect(runs[3].at).toBe('2027-02-01T01:00:00.000+08:00');
    expect(clock.pending().filter((t) => t.key.startsWith('report:'))).toEqual([{ key: 'report:2027-02', at: ms('2027-03-01T01:00'), payload: { month: '2027-02' } }]);
  });

  it('re-arms even when a run fails, and stops when asked', async () => {
    const clock = new VirtualClock({ startMs: ms('2026-10-31T12:00'), timeScale: 0, onHandlerError: () => undefined });
    const stop = keepMonthlySchedule(clock, async () => {
      throw new Error('the table is unreachable');
    });
    await clock.advanceTo(ms('2026-11-02T00:00'));
    expect(clock.pending().map((t) => t.key)).toEqual(['report:2026-11']);
    stop();
    expect(clock.pending()).toEqual([]);
  });

  it('ignores timers that are not its own', async () => {
    const clock = new VirtualClock({ startMs: ms('2026-10-31T12:00'), timeScale: 0 });
    keepMonthlySchedule(clock, run);
    clock.schedule({ key: 'sfn:other', at: ms('2026-10-31T13:00'), payload: {} });
    await clock.advanceTo(ms('2026-10-31T14:00'));
    expect(runs).toEqual([]);
  });
});
