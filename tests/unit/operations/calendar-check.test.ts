import { stdoutJsonLines } from '../../support/stdout-lines';
import { checkCalendars } from '../../../functions/operations/calendar-check';

/** The EMF lines the daily check writes (the CalendarMissing alarm's metric). */
function metricLines(run: () => unknown): Array<Record<string, unknown>> {
  return stdoutJsonLines(run).filter((entry) => '_aws' in entry);
}

const at = (shanghai: string) => Date.parse(`${shanghai}+08:00`);

describe('the daily calendar check', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.POWERTOOLS_METRICS_NAMESPACE = 'LinkedResolution';
    process.env.POWERTOOLS_SERVICE_NAME = 'LinkedResolution-test';
    delete process.env.POWERTOOLS_DEV;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  test('writes 0 while the needed calendars are there, so the alarm sees a value every day', () => {
    let coverage: unknown;
    const lines = metricLines(() => (coverage = checkCalendars(at('2026-12-06T09:00:00'))));
    expect(coverage).toEqual({ missing: [], projected: [2027] });
    expect(lines).toEqual([expect.objectContaining({ CalendarYearsMissing: 0, service: 'LinkedResolution-test' })]);
  });

  test('from 1 October 2027 counts the missing 2028', () => {
    let coverage: unknown;
    const lines = metricLines(() => (coverage = checkCalendars(at('2027-10-01T09:00:00'))));
    expect(coverage).toEqual({ missing: [2028], projected: [2027] });
    expect(lines).toEqual([expect.objectContaining({ CalendarYearsMissing: 1 })]);
  });
});
