import {
  channelGroupsOf,
  monthsIn,
  orderedRows,
  percent,
  sharesOf,
  shiftMonth,
  statisticsPath,
  statViewOf,
  totalsOf,
  type StatRow,
} from '../../console/src/statistics-view';

/** The statistics page's range in the URL and the figures it works out from the API's rows. */
const row = (key: string, received: number, resolved: number, extra: Partial<StatRow> = {}): StatRow => ({
  key,
  received,
  resolved,
  resolutionRate: null,
  resolvedInCommunity: 0,
  satisfied: 0,
  satisfactionRate: null,
  signOffHoursP50: null,
  signOffHoursP90: null,
  resolveDaysP50: null,
  resolveDaysP90: null,
  resolvedSameMonth: 0,
  ...extra,
});
const view = (search: string) => statViewOf(new URLSearchParams(search), '2026-03');

describe('the range and breakdown in the URL', () => {
  test('defaults to the twelve months up to this one, by month', () => {
    expect(view('')).toEqual({ from: '2025-04', to: '2026-03', by: 'month' });
    expect(view('to=2011-10')).toEqual({ from: '2010-11', to: '2011-10', by: 'month' });
  });

  test('keeps what the URL says', () => {
    expect(view('from=2011-01&to=2011-10&by=channel')).toEqual({ from: '2011-01', to: '2011-10', by: 'channel' });
  });

  test('an unknown breakdown is by month; a bad range says why and is not asked for', () => {
    expect(view('by=weather').by).toBe('month');
    expect(view('from=2011-1&to=2011-10').problem).toBe('from');
    expect(view('from=2011-01&to=soon').problem).toBe('to');
    expect(view('from=2011-10&to=2011-01').problem).toBe('order');
    expect(view('from=2011-01&to=2013-12').problem).toBeUndefined(); // 36 months
    expect(view('from=2011-01&to=2014-01').problem).toBe('long'); // 37
  });

  test('months counted and moved across years', () => {
    expect(monthsIn('2011-01', '2011-10')).toBe(10);
    expect(monthsIn('2011-11', '2012-02')).toBe(4);
    expect(monthsIn('2012-02', '2011-11')).toBe(0);
    expect(shiftMonth('2026-03', -11)).toBe('2025-04');
    expect(shiftMonth('2011-12', 1)).toBe('2012-01');
  });

  test('the API path, with a download format when asked', () => {
    expect(statisticsPath({ from: '2011-01', to: '2011-10' }, 'street')).toBe('/v1/statistics?from=2011-01&to=2011-10&by=street');
    expect(statisticsPath({ from: '2011-01', to: '2011-10' }, 'month', 'xlsx')).toBe('/v1/statistics?from=2011-01&to=2011-10&by=month&format=xlsx');
  });
});

describe('figures from the rows', () => {
  test("the seed's channel shares: 52 % found by patrols, 40 % by phone, SMS or internet, 8 % walk-ins", () => {
    const rows = [
      row('patrol', 520, 0),
      row('phone', 180, 0),
      row('sms', 80, 0),
      row('web', 100, 0),
      row('hotline', 30, 0),
      row('media', 10, 0),
      row('visit', 80, 0),
    ];
    expect(channelGroupsOf(rows)).toEqual([
      { group: 'patrol', received: 520, share: 52 },
      { group: 'remote', received: 400, share: 40 },
      { group: 'visit', received: 80, share: 8 },
    ]);
    expect(sharesOf(rows).map((s) => [s.key, s.share])).toEqual([
      ['patrol', 52],
      ['phone', 18],
      ['web', 10],
      ['sms', 8],
      ['visit', 8],
      ['hotline', 3],
      ['media', 1],
    ]);
  });

  test('totals, with the share resolved in the month of arrival', () => {
    const totals = totalsOf([
      row('2011-01', 1000, 950, { resolvedSameMonth: 940, resolvedInCommunity: 870 }),
      row('2011-02', 500, 470, { resolvedSameMonth: 470, resolvedInCommunity: 430 }),
    ]);
    expect(totals).toEqual({
      received: 1500,
      resolved: 1420,
      resolvedInCommunity: 1300,
      satisfied: 0,
      resolvedSameMonth: 1410,
      resolutionShare: 94.7,
      communityShare: 91.5,
      sameMonthShare: 94,
    });
    expect(totalsOf([]).sameMonthShare).toBeNull();
    expect(percent(1, 3)).toBe(33.3);
  });

  test('months in time order, other breakdowns largest first', () => {
    const rows = [row('2011-02', 5, 0), row('2011-01', 1, 0), row('2011-03', 9, 0)];
    expect(orderedRows(rows, 'month').map((r) => r.key)).toEqual(['2011-01', '2011-02', '2011-03']);
    expect(orderedRows(rows, 'district').map((r) => r.key)).toEqual(['2011-03', '2011-02', '2011-01']);
  });
});
