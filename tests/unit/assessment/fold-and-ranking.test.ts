import {
  addCase,
  compositeScore,
  emptyCounts,
  emptyPartial,
  foldPartials,
  mergeInto,
  rankUnits,
  renderReport,
  type AssessedCase,
  type Counts,
} from '../../../functions/domain/assessment';
import { reportCsv, csvHeaders, CSV_COLUMNS } from '../../../functions/domain/assessment-csv';
import { defaultCalendar } from '../../../functions/domain/calendar';
import { defaultDirectory } from '../../../functions/domain/directory';
import { at, COMMUNITY, kase, keptAndSatisfied, ms, STREET } from './cases';

const options = { calendar: defaultCalendar };
const END_OF_MAY = ms('2026-06-01T00:00');

/** A varied set of cases over March, April and May 2026. */
function casesOver(months: string[]): AssessedCase[] {
  const cases: AssessedCase[] = [];
  months.forEach((month, m) => {
    for (let day = 2; day <= 27; day += 5) {
      const created = `${month}-${String(day).padStart(2, '0')}T10:00`;
      cases.push(keptAndSatisfied({ createdAt: at(created), metrics: { firstResolvedAt: at(`${month}-${String(day).padStart(2, '0')}T15:00`) } }));
      cases.push(kase({ createdAt: at(created), category: m === 1 ? 'labour-wages' : 'routine', metrics: { warnings: 1, firstResolvedAt: at(`${month}-${String(day + 1).padStart(2, '0')}T11:00`), resolvedOnTime: true } }));
      cases.push(kase({ createdAt: at(created), light: day > 20 ? 'red' : 'green', metrics: { signOffBreaches: day % 2, handlingBreaches: 1, escalations: 1, maxTier: 1 } }));
    }
  });
  return cases;
}

const partialOf = (cases: AssessedCase[], months: string[], cutoff = END_OF_MAY) => {
  const partial = emptyPartial(months, cutoff);
  for (const c of cases) addCase(partial, c, options);
  return partial;
};

describe('folding partial results', () => {
  const months = ['2026-03', '2026-04', '2026-05'];
  const cases = casesOver(months);
  const byMonth = months.map((month) => partialOf(cases.filter((c) => c.createdAt.startsWith(month)), [month]));
  const whole = partialOf(cases, months);

  it('adds months up to exactly the partial of the whole period', () => {
    expect(foldPartials(byMonth)).toEqual(whole);
    expect(whole.city.received).toBe(cases.length);
  });

  it('does not depend on the order or grouping of the fold', () => {
    const reversed = foldPartials([...byMonth].reverse());
    const grouped = foldPartials([foldPartials(byMonth.slice(0, 2)), byMonth[2]]);
    expect(reversed).toEqual(whole);
    expect(grouped).toEqual(whole);
  });

  it('adds segments of a month up to the month, and leaves its inputs untouched', () => {
    const march = cases.filter((c) => c.createdAt.startsWith('2026-03'));
    const segments = [march.slice(0, 7), march.slice(7, 11), march.slice(11)].map((part) => partialOf(part, ['2026-03']));
    const before = JSON.stringify(segments);
    expect(foldPartials(segments)).toEqual(byMonth[0]);
    expect(JSON.stringify(segments)).toBe(before);
  });

  it('refuses to add partials measured at different cutoffs', () => {
    const april = partialOf([], ['2026-04'], ms('2026-05-01T00:00'));
    expect(() => mergeInto(partialOf([], ['2026-05']), april)).toThrow(/different cutoffs/);
  });

  it('renders the same report from folded months as from the whole period', () => {
    const render = (p: typeof whole) => renderReport(p, { directory: defaultDirectory, provisional: false });
    expect(render(foldPartials(byMonth))).toEqual(render(whole));
  });
});

const counts = (values: Partial<Counts>): Counts => ({ ...emptyCounts(), ...values });

describe('the composite score', () => {
  it('weights response 30, resolution 35, satisfaction 35 and deducts for breaches', () => {
    // 27 + 31.5 + 31.111… − 20 × (1 + 2 × 1) / 10 = 83.611… → 83.61
    const unit = counts({ received: 10, routed: 10, signedOffOnTime: 9, lateSignOffs: 1, resolved: 9, satisfied: 8, handlingBreaches: 1 });
    expect(compositeScore(unit)).toEqual({ score: 83.61, response: 27, resolution: 31.5, satisfaction: 31.11, deduction: 6 });
  });

  it('gives full response marks to a unit with no sign-off to make, and none for satisfaction without results', () => {
    expect(compositeScore(counts({ received: 4, resolved: 4, satisfied: 4 }))).toEqual({ score: 100, response: 30, resolution: 35, satisfaction: 35, deduction: 0 });
    expect(compositeScore(counts({ received: 2, routed: 2, signedOffOnTime: 2 }))?.score).toBe(30);
    // Pending sign-offs are left out of the response share: 1 settled, on time.
    expect(compositeScore(counts({ received: 3, routed: 3, signedOffOnTime: 1, signOffPending: 2 }))?.response).toBe(30);
  });

  it('caps the deduction at 20 points and never goes below zero', () => {
    expect(compositeScore(counts({ received: 10, routed: 10, signedOffOnTime: 0, lateSignOffs: 50 }))).toEqual({
      score: 0,
      response: 0,
      resolution: 0,
      satisfaction: 0,
      deduction: 20,
    });
    expect(compositeScore(counts({ received: 1, resolved: 1, satisfied: 1, handlingBreaches: 5 }))?.deduction).toBe(20);
  });

  it('scores no unit without cases', () => {
    expect(compositeScore(emptyCounts())).toBeUndefined();
  });
});

describe('the ranking', () => {
  it('orders by score, then resolution rate, then cases received, then unit id', () => {
    const ranking = rankUnits({
      'unit-b': counts({ received: 10, routed: 10, signedOffOnTime: 9, lateSignOffs: 1, resolved: 9, satisfied: 8, handlingBreaches: 1 }), // 83.61
      'unit-a': counts({ received: 4, resolved: 4, satisfied: 4 }), // 100
      'unit-e': counts({ received: 1, resolved: 1, satisfied: 1 }), // 100, fewer cases
      'unit-c': counts({ received: 2, routed: 2, signedOffOnTime: 2 }), // 30
      'unit-d': counts({ received: 2, routed: 2, signedOffOnTime: 2 }), // 30, tie broken by id
      'unit-z': emptyCounts(), // not ranked
    });
    expect(ranking.map((r) => [r.rank, r.unit, r.composite.score])).toEqual([
      [1, 'unit-a', 100],
      [2, 'unit-e', 100],
      [3, 'unit-b', 83.61],
      [4, 'unit-c', 30],
      [5, 'unit-d', 30],
    ]);
  });

  it('breaks an equal score by the exact resolution rate', () => {
    // Both score 65 exactly: 30 + 35 × r + 35 × s − d with different shares.
    const high = counts({ received: 2, resolved: 2, satisfied: 0, lateSignOffs: 0 }); // 30 + 35 + 0 = 65
    const low = counts({ received: 2, resolved: 1, satisfied: 1, handlingBreaches: 0 }); // 30 + 17.5 + 35 = 82.5
    const lowTied = counts({ received: 4, resolved: 2, satisfied: 1, lateSignOffs: 0 }); // 30 + 17.5 + 17.5 = 65
    const ranking = rankUnits({ 'unit-low': lowTied, 'unit-high': high, 'unit-other': low });
    expect(ranking.map((r) => [r.unit, r.composite.score])).toEqual([
      ['unit-other', 82.5],
      ['unit-high', 65],
      ['unit-low', 65],
    ]);
  });
});

describe('the rendered report and its CSV', () => {
  const months = ['2026-03', '2026-04', '2026-05'];
  const partial = partialOf(casesOver(months), months);
  const report = renderReport(partial, { directory: defaultDirectory, provisional: false });

  it('lists every district, tier and category, and every first-handler unit by rank', () => {
    expect(report.period).toEqual({ from: '2026-03', to: '2026-05', months });
    expect(report.cutoff).toBe('2026-06-01T00:00:00.000+08:00');
    expect(report.districts.map((d) => d.district)).toEqual(defaultDirectory.districts().map((d) => d.id));
    expect(report.tiers.map((t) => t.tier)).toEqual([0, 1, 2, 3]);
    expect(report.categories).toHaveLength(13);
    expect(report.units.map((u) => u.unit).sort()).toEqual([COMMUNITY, STREET].sort());
    expect(report.units.map((u) => u.rank)).toEqual([1, 2]);
    const community = report.units.find((u) => u.unit === COMMUNITY)!;
    expect(community).toMatchObject({ kind: 'community', district: 'xiling', name: '胜利四路社区', rankInKind: 1 });
    expect(report.city.rates.resolution).toBe(66.67);
  });

  it('writes one CSV row per scope with the same columns', () => {
    const csv = reportCsv(report);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0].split(',')).toEqual(csvHeaders('zh-CN'));
    expect(lines[0]).toMatch(/^范围,编号,名称,排名,/);
    expect(lines).toHaveLength(1 + 1 + report.districts.length + 4 + 13 + report.units.length);
    for (const line of lines) expect(line.split(',')).toHaveLength(CSV_COLUMNS.length);
    const city = lines[1].split(',');
    expect(city.slice(0, 3)).toEqual(['全市', '2026-03..2026-05', '全市']);
    expect(city[CSV_COLUMNS.indexOf('received')]).toBe(String(report.city.received));
    expect(city[CSV_COLUMNS.indexOf('resolutionRate')]).toBe('66.67');
    const firstUnit = lines.find((line) => line.startsWith('单位,'))!.split(',');
    expect(firstUnit[CSV_COLUMNS.indexOf('rank')]).toBe('1');
  });

  it('writes the header row and the scope column in English when asked, the cells unchanged', () => {
    const zh = reportCsv(report).slice(1).trimEnd().split('\r\n');
    const en = reportCsv(report, { lang: 'en' }).slice(1).trimEnd().split('\r\n');
    expect(en[0].split(',')).toEqual(csvHeaders('en'));
    expect(en[0]).toMatch(/^Scope,ID,Name,Rank,/);
    expect(new Set(csvHeaders('en')).size).toBe(CSV_COLUMNS.length);
    expect(new Set(csvHeaders('zh-CN')).size).toBe(CSV_COLUMNS.length);
    expect(en[1].split(',').slice(0, 3)).toEqual(['city', '2026-03..2026-05', 'City']);
    expect(en).toHaveLength(zh.length);
    // Past the scope column and the city's name, every cell is the same in both languages.
    for (let i = 1; i < zh.length; i++) {
      const [zhCells, enCells] = [zh[i].split(','), en[i].split(',')];
      expect(enCells.slice(i === 1 ? 3 : 1)).toEqual(zhCells.slice(i === 1 ? 3 : 1));
    }
  });

  it('quotes cells that hold a comma, a quote or a line break', () => {
    const odd = { ...report, units: [{ ...report.units[0], name: 'A "quoted", name' }] };
    expect(reportCsv(odd, { bom: false })).toContain('"A ""quoted"", name"');
  });
});
