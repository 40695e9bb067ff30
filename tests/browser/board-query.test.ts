import {
  activeFilterCount,
  effectiveFilters,
  exportPath,
  filtersOf,
  keywordProblem,
  listPath,
  listTotal,
  mergePages,
  summaryPath,
  type CaseCounts,
} from '../../console/src/board-query';
import { ACTIVE_WINDOW_MS, delayFor, nextPollDelay, paceAt } from '../../console/src/backoff';
import { fileNameOf } from '../../console/src/download-name';

/** The board's view lives in the URL and goes to the API whole: these check what it reads and asks. */
const view = (search: string) => filtersOf(new URLSearchParams(search));

const COUNTS: CaseCounts = {
  open: 600,
  byLight: { green: 500, yellow: 60, red: 40 },
  byTier: { '0': 590, '1': 8, '2': 1, '3': 1 },
  byDistrict: { xiling: 400, wujiagang: 200 },
  byCategory: { routine: 600 },
  asOf: '2026-03-09T09:00:00+08:00',
};

describe('the board view in the URL', () => {
  test('reads every filter, trimmed, and nothing else', () => {
    const filters = view('q=%20噪音%20&unit=street-xiling-xiling&district=xiling&category=routine&tier=1&status=in-progress&light=red&month=2026-03&sort=light&other=x');
    expect(filters).toEqual({
      q: '噪音',
      unit: 'street-xiling-xiling',
      district: 'xiling',
      category: 'routine',
      tier: '1',
      status: 'in-progress',
      light: 'red',
      month: '2026-03',
      sort: 'light',
    });
    expect(activeFilterCount(filters)).toBe(8);
    expect(activeFilterCount(view('sort=due'))).toBe(0);
  });

  test('asks the API with every filter in its query, a page size and the cursor', () => {
    expect(listPath(view('light=red&district=xiling&q=楼道'))).toBe(`/v1/cases?q=${encodeURIComponent('楼道')}&district=xiling&light=red&sort=light&limit=50`);
    expect(listPath(view('tier=2&sort=due'), 'abc+/=', 50)).toBe('/v1/cases?tier=2&limit=50&cursor=abc%2B%2F%3D');
  });

  test("the supervisor's phone search goes to the API, never into the page's URL", () => {
    expect(listPath(view('light=red&sort=due'), undefined, 50, { phone: ' 13800138000 ' })).toBe('/v1/cases?light=red&phone=13800138000&limit=50');
    expect(exportPath(view('sort=due'), 'csv', true, { phone: '13800138000' })).toBe('/v1/cases/export?phone=13800138000&format=csv&complainant=true');
    expect(filtersOf(new URLSearchParams('phone=13800138000'))).not.toHaveProperty('phone');
  });

  test('the same view is the same path whatever order the URL had (so the same ETag answers it)', () => {
    expect(listPath(view('light=red&district=xiling'))).toBe(listPath(view('district=xiling&light=red')));
    expect(summaryPath(view('category=routine&district=xiling'))).toBe(summaryPath(view('district=xiling&category=routine')));
  });

  test('the summary is narrowed only by district, category and unit', () => {
    expect(summaryPath(view('light=red&tier=1&q=楼道&status=in-progress&month=2026-03'))).toBe('/v1/cases/summary');
    expect(summaryPath(view('district=xiling&category=routine&unit=street-xiling-xiling&light=red'))).toBe(
      '/v1/cases/summary?district=xiling&category=routine&unit=street-xiling-xiling',
    );
  });

  test("red first unless the URL asks for deadline order (the API's own, so not sent)", () => {
    expect(effectiveFilters(view(''))).toEqual({ sort: 'light' });
    expect(effectiveFilters(view('sort=due'))).toEqual({});
  });

  test('a hand-edited URL with values the API does not know sends none of them', () => {
    expect(effectiveFilters(view('light=blue&tier=7&status=lost&month=2026-13&sort=random'))).toEqual({ sort: 'light' });
  });

  test('a keyword of 1 character or over 100 is not sent, and says why', () => {
    expect(keywordProblem('')).toBeUndefined();
    expect(keywordProblem('噪')).toBe('short');
    expect(keywordProblem(' a ')).toBe('short');
    expect(keywordProblem('噪音')).toBeUndefined();
    expect(keywordProblem('字'.repeat(100))).toBeUndefined();
    expect(keywordProblem('字'.repeat(101))).toBe('long');
    // counted as the API's schema counts (string length)
    expect(keywordProblem('😀')).toBeUndefined();
    expect(effectiveFilters(view('q=噪&sort=due'))).toEqual({});
    expect(listPath(view(`q=${'x'.repeat(101)}`))).toBe('/v1/cases?sort=light&limit=50');
  });

  test('the export carries the same filters, a format, and the complainant only when asked', () => {
    expect(exportPath(view('light=red&limit=5&cursor=zzz'), 'csv', false)).toBe('/v1/cases/export?light=red&sort=light&format=csv');
    expect(exportPath(view('district=xiling&sort=due'), 'xlsx', true)).toBe('/v1/cases/export?district=xiling&format=xlsx&complainant=true');
  });
});

describe('how many cases the list holds, from the server counts', () => {
  test('every open case, or one light or one tier of them', () => {
    expect(listTotal(view(''), COUNTS)).toBe(600);
    expect(listTotal(view('light=red'), COUNTS)).toBe(40);
    expect(listTotal(view('tier=3'), COUNTS)).toBe(1);
    expect(listTotal(view('district=xiling'), COUNTS)).toBe(600); // the summary was asked for the district already
  });

  test('unknown when the summary does not break down that way', () => {
    expect(listTotal(view('light=red&tier=1'), COUNTS)).toBeUndefined();
    expect(listTotal(view('q=楼道'), COUNTS)).toBeUndefined();
    expect(listTotal(view('status=in-progress'), COUNTS)).toBeUndefined();
    expect(listTotal(view('month=2026-03'), COUNTS)).toBeUndefined();
    expect(listTotal(view(''), undefined)).toBeUndefined();
  });
});

describe('pages merged', () => {
  test('a case is shown once, where the first (freshest) page has it', () => {
    const first = [{ id: 'a', v: 2 }, { id: 'b', v: 2 }];
    const later = [{ id: 'b', v: 1 }, { id: 'c', v: 1 }];
    expect(mergePages([first, later])).toEqual([{ id: 'a', v: 2 }, { id: 'b', v: 2 }, { id: 'c', v: 1 }]);
  });
});

describe('polling backs off while nothing changes', () => {
  test('twice as long after each look that found nothing new, up to the cap; back to the pace after a change', () => {
    expect([0, 1, 2, 3, 4, 5, 30].map((n) => nextPollDelay(5, 60, n))).toEqual([5, 10, 20, 40, 60, 60, 60]);
    expect(nextPollDelay(5, 60, 0)).toBe(5);
    // a cap below the base is the base
    expect(nextPollDelay(5, 1, 3)).toBe(5);
  });

  test('the base pace while someone uses the page; backing off only once nobody has touched it for two minutes', () => {
    expect(paceAt(0, ACTIVE_WINDOW_MS - 1)).toBe('active');
    expect(paceAt(0, ACTIVE_WINDOW_MS)).toBe('idle');
    expect(delayFor('active', 5, 60, 10)).toBe(5);
    expect(delayFor('idle', 5, 60, 10)).toBe(60);
    expect(delayFor('idle', 5, 60, 0)).toBe(5);
  });

  test('a tab left open on a quiet city looks 82 times in its first hour, then 60 an hour (720 an hour at a fixed 5 s)', () => {
    const looksIn = (fromS: number, toS: number) => {
      let looks = 0;
      let unchanged = 0;
      for (let at = 0; at < toS; unchanged++) {
        at += delayFor(paceAt(0, at * 1000), 5, 60, unchanged);
        if (at > fromS) looks++;
      }
      return looks;
    };
    expect(looksIn(0, 3600)).toBe(82);
    expect(looksIn(3600, 7200)).toBe(60);
  });
});

describe('download names', () => {
  test("the API's name, its UTF-8 form first, never a path", () => {
    expect(fileNameOf(null, 'cases.csv')).toBe('cases.csv');
    expect(fileNameOf('attachment; filename="cases-2026-03.csv"', 'x')).toBe('cases-2026-03.csv');
    expect(fileNameOf(`attachment; filename="cases.csv"; filename*=UTF-8''${encodeURIComponent('案件.csv')}`, 'x')).toBe('案件.csv');
    expect(fileNameOf('attachment; filename="../../etc/passwd"', 'x')).toBe('passwd');
    expect(fileNameOf('attachment', 'fallback.xlsx')).toBe('fallback.xlsx');
  });
});
