import { defaultCalendar, toShanghaiIso } from '../../../functions/domain/calendar';
import { DEFAULT_YELLOW_SHARE, lightOf, shareReachedAt, worstLight } from '../../../functions/domain/light';
import { at } from '../../support/shanghai-time';

describe('lightOf', () => {
  // A routine 9-day window from Mon 2026-03-02 09:00: 0.625 on 03-02, 4 days 03-03..06,
  // 4 days 03-09..12 and 0.375 on 03-13 → due Fri 03-13 09:00.
  const window = { startMs: at('2026-03-02T09:00:00'), dueMs: at('2026-03-13T09:00:00') };

  it('uses a window that really is 9 working days', () => {
    expect(defaultCalendar.addWorkingDays(window.startMs, 9)).toBe(window.dueMs);
  });

  it('turns yellow exactly when 75 % of the working time has passed', () => {
    // 6.75 days: 0.625 + 4 (03-03..06) + 2 (03-09, 03-10) + 0.125 → Wed 03-11 03:00.
    const threshold = shareReachedAt(window, DEFAULT_YELLOW_SHARE, defaultCalendar);
    expect(toShanghaiIso(threshold)).toBe('2026-03-11T03:00:00.000+08:00');
    expect(lightOf(window, threshold - 1, defaultCalendar)).toBe('green');
    expect(lightOf(window, threshold, defaultCalendar)).toBe('yellow');
  });

  it('turns red exactly at the due instant', () => {
    expect(lightOf(window, window.dueMs - 1, defaultCalendar)).toBe('yellow');
    expect(lightOf(window, window.dueMs, defaultCalendar)).toBe('red');
    expect(lightOf(window, window.dueMs + 86_400_000, defaultCalendar)).toBe('red');
  });

  it('is green at and before the start, and stays green over a weekend (time off does not count)', () => {
    expect(lightOf(window, window.startMs, defaultCalendar)).toBe('green');
    expect(lightOf(window, window.startMs - 3_600_000, defaultCalendar)).toBe('green');
    expect(lightOf(window, at('2026-03-08T23:59:59'), defaultCalendar)).toBe('green'); // 4.625 of 9 used
  });

  it('honours a custom yellow share', () => {
    // Half of 9 days = 4.5: 0.625 + 3 (03-03..05) + 0.875 → Fri 03-06 21:00.
    expect(toShanghaiIso(shareReachedAt(window, 0.5, defaultCalendar))).toBe('2026-03-06T21:00:00.000+08:00');
    expect(lightOf(window, at('2026-03-06T21:00:00'), defaultCalendar, 0.5)).toBe('yellow');
    expect(lightOf(window, at('2026-03-06T20:59:59'), defaultCalendar, 0.5)).toBe('green');
  });

  it('measures shares in working time across a holiday', () => {
    // Sign-off window of 1 day opened on the National Day holiday: 10-08 00:00 → 10-09 00:00.
    const signOff = { startMs: at('2026-10-03T10:00:00'), dueMs: at('2026-10-09T00:00:00') };
    expect(toShanghaiIso(shareReachedAt(signOff, 0.75, defaultCalendar))).toBe('2026-10-08T18:00:00.000+08:00');
    expect(lightOf(signOff, at('2026-10-07T23:00:00'), defaultCalendar)).toBe('green');
    expect(lightOf(signOff, at('2026-10-08T18:00:00'), defaultCalendar)).toBe('yellow');
  });

  it('treats a window with no working time as already in warning until it is due', () => {
    const inHoliday = { startMs: at('2026-10-02T09:00:00'), dueMs: at('2026-10-05T09:00:00') };
    expect(shareReachedAt(inHoliday, 0.75, defaultCalendar)).toBe(inHoliday.startMs);
    expect(lightOf(inHoliday, at('2026-10-03T09:00:00'), defaultCalendar)).toBe('yellow');
    expect(lightOf(inHoliday, inHoliday.dueMs, defaultCalendar)).toBe('red');
  });

  it('rejects a share outside 0..1', () => {
    expect(() => shareReachedAt(window, 1.5, defaultCalendar)).toThrow(RangeError);
    expect(() => shareReachedAt(window, Number.NaN, defaultCalendar)).toThrow(RangeError);
  });

  it('reaches share 0 at the start and share 1 at due', () => {
    expect(shareReachedAt(window, 0, defaultCalendar)).toBe(window.startMs);
    expect(shareReachedAt(window, 1, defaultCalendar)).toBe(window.dueMs);
  });
});

describe('worstLight', () => {
  it('picks the most severe light', () => {
    expect(worstLight('green', 'yellow')).toBe('yellow');
    expect(worstLight('yellow', 'red', 'green')).toBe('red');
    expect(worstLight('green', 'green')).toBe('green');
  });

  it('is green with nothing to compare', () => {
    expect(worstLight()).toBe('green');
  });
});
