import { monthsBetween, nearestRank } from '../../../functions/domain/statistics';
import { csvText, spreadsheetCell } from '../../../functions/domain/spreadsheet-cell';
import { csvCell } from '../../../functions/domain/assessment-csv';

describe('statistics, the pure parts', () => {
  it('counts the months of a range, across years', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2020-01', '2022-12')).toHaveLength(36);
    expect(monthsBetween('2026-03', '2026-02')).toEqual([]);
  });

  it('takes nearest-rank percentiles to one decimal, null when there is nothing', () => {
    expect(nearestRank([], 50)).toBeNull();
    expect(nearestRank([1, 2, 3, 4], 50)).toBe(2);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10.04], 90)).toBe(9);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10.04], 100)).toBe(10);
  });
});

describe('spreadsheet cells', () => {
  it.each(['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])('neutralises a text starting a formula: %j', (text) => {
    expect(spreadsheetCell(text).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell(text).replace(/^"/, '').startsWith("'")).toBe(true);
  });

  it('leaves numbers and plain text alone, quotes what needs quoting', () => {
    expect(spreadsheetCell(-3)).toBe('-3');
    expect(spreadsheetCell('楼道堆放杂物')).toBe('楼道堆放杂物');
    expect(spreadsheetCell('a,"b"')).toBe('"a,""b"""');
    expect(spreadsheetCell(null)).toBe('');
    expect(csvText([['a', 1]])).toBe('\uFEFFa,1\r\n');
  });
});
