import { ProblemError } from '../../../functions/commons/problems';
import { csvText } from '../../../functions/domain/spreadsheet-cell';
import {
  answerBytes,
  fitsAnswer,
  LAMBDA_RESPONSE_LIMIT_BYTES,
  loweredBy,
  MAX_ANSWER_BYTES,
  MAX_ANSWER_BYTES_DEPLOYED,
  MAX_EXPORT_ROWS,
  withinAnswerBudget,
} from '../../../functions/api/export-cases-limits';
import { CASE_EXPORT_HEADERS, STATISTICS_HEADERS, STATISTICS_KEY_HEADERS, headerRow } from '../../../functions/domain/texts/export-texts';
import { STATISTICS_BREAKDOWNS, STATISTICS_COLUMNS } from '../../../functions/domain/statistics';

/*
 * How big one CSV answer may be (functions/api/export-cases-limits.ts): measured as Lambda
 * carries it, refused over the budget in the caller's language with the rows that matched.
 */

describe('the budget', () => {
  it('is Lambda\'s 6 MB response payload less a margin for the status and headers, unless this process lowered it', () => {
    expect(LAMBDA_RESPONSE_LIMIT_BYTES).toBe(6_291_456);
    expect(MAX_ANSWER_BYTES_DEPLOYED).toBe(6_291_456 - 65_536);
    // A process that sets neither variable (a deployed function) runs with the real limits.
    const saved = { bytes: process.env.MAX_ANSWER_BYTES, rows: process.env.MAX_EXPORT_ROWS };
    delete process.env.MAX_ANSWER_BYTES;
    delete process.env.MAX_EXPORT_ROWS;
    try {
      jest.isolateModules(() => {
        const fresh = jest.requireActual<typeof import('../../../functions/api/export-cases-limits')>('../../../functions/api/export-cases-limits');
        expect(fresh.MAX_ANSWER_BYTES).toBe(MAX_ANSWER_BYTES_DEPLOYED);
        expect(fresh.MAX_EXPORT_ROWS).toBe(100_000);
      });
      // One that sets them larger than the real limits gets the real limits.
      process.env.MAX_ANSWER_BYTES = String(100 * 1024 * 1024);
      process.env.MAX_EXPORT_ROWS = '5000000';
      jest.isolateModules(() => {
        const fresh = jest.requireActual<typeof import('../../../functions/api/export-cases-limits')>('../../../functions/api/export-cases-limits');
        expect(fresh.MAX_ANSWER_BYTES).toBe(MAX_ANSWER_BYTES_DEPLOYED);
        expect(fresh.MAX_EXPORT_ROWS).toBe(100_000);
      });
    } finally {
      for (const [name, value] of [['MAX_ANSWER_BYTES', saved.bytes], ['MAX_EXPORT_ROWS', saved.rows]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    expect(MAX_ANSWER_BYTES).toBeLessThanOrEqual(MAX_ANSWER_BYTES_DEPLOYED);
    expect(MAX_EXPORT_ROWS).toBeLessThanOrEqual(100_000);
  });

  it('may only be lowered from the environment, by a positive whole number', () => {
    expect(loweredBy('4000', 6_000_000)).toBe(4000);
    expect(loweredBy('99999999', 6_000_000)).toBe(6_000_000);
    for (const value of [undefined, '', '0', '-5', '1.5', 'lots', 'Infinity']) expect(loweredBy(value, 6_000_000)).toBe(6_000_000);
  });

  it('is needed: 100,000 rows of a plain case export are several times what one answer carries', () => {
    const header = headerRow(Object.keys(CASE_EXPORT_HEADERS).slice(0, 18), CASE_EXPORT_HEADERS, 'zh-CN');
    const row = [
      '01KK81QAM0N09MEBE73C000001', '楼道堆放杂物，影响消防通道', 'routine', 'patrol', 'xiling', 'community-xiling-shengli-silu', '胜利四路社区',
      'street-xiling-xiling', '西陵街道办事处', 0, 'in-progress', 'green', '2026-03-09T09:00:00.000+08:00', '2026-03-16T09:00:00.000+08:00',
      '2026-03-09T10:00:00.000+08:00', undefined, undefined, '西陵区胜利四路 3 号楼',
    ];
    const perRow = answerBytes(csvText([header, row])) - answerBytes(csvText([header]));
    expect(perRow * 100_000).toBeGreaterThan(3 * MAX_ANSWER_BYTES_DEPLOYED);
  });
});

describe('measuring an answer', () => {
  it('counts the body as a JSON string in UTF-8: quotes, Chinese, escaped quotes and line breaks', () => {
    expect(answerBytes('')).toBe(2);
    expect(answerBytes('a,b')).toBe(5);
    expect(answerBytes('中')).toBe(5);
    expect(answerBytes('\r\n')).toBe(6);
    expect(answerBytes('"')).toBe(4);
    expect(answerBytes('\uFEFF')).toBe(5);
    expect(answerBytes('\u0001')).toBe(8);
  });

  it('lets through a body of exactly the budget and refuses one byte more', () => {
    const body = 'x'.repeat(98);
    expect(answerBytes(body)).toBe(100);
    expect(fitsAnswer(body, 100)).toBe(true);
    expect(fitsAnswer(body, 99)).toBe(false);
    expect(withinAnswerBudget(body, 7, 'export-too-large', 100)).toBe(body);
    expect(() => withinAnswerBudget(body, 7, 'export-too-large', 99)).toThrow(ProblemError);
  });

  it('refuses with 400, how many rows matched, the size and how to narrow it, in Chinese and English', () => {
    let refusal: ProblemError | undefined;
    try {
      withinAnswerBudget('楼'.repeat(3_000_000), 123_456, 'export-too-large', MAX_ANSWER_BYTES_DEPLOYED);
    } catch (error) {
      refusal = error as ProblemError;
    }
    expect(refusal?.status).toBe(400);
    const zh = refusal!.render({ lang: 'zh-CN' });
    expect(zh).toMatchObject({ status: 400, code: 'error.export-too-large', title: '请求有误' });
    expect(zh.detail).toBe('符合条件的事项共 123456 件，导出文件约 8.6 MB，超过单次导出上限 5.9 MB。请缩小范围（按月份、区、单位、类别或灯色筛选）后分批导出。');
    expect(refusal!.render({ lang: 'en' }).detail).toBe(
      '123,456 cases fit these filters, about 8.6 MB of CSV: more than the 5.9 MB one export can carry. Narrow them (a month, a district, a unit, a category or a light) and export in parts.',
    );
    try {
      withinAnswerBudget('x'.repeat(5000), 40, 'table-too-large', 4096);
    } catch (error) {
      expect((error as ProblemError).render({ lang: 'zh-CN' }).detail).toBe('结果共 40 行，约 4.9 KB，超过单次导出上限 4.0 KB。请缩短月份范围或改用较粗的分组后再导出。');
      expect((error as ProblemError).render({ lang: 'en' }).detail).toMatch(/^The answer has 40 rows, about 4.9 KB: more than the 4.0 KB one export can carry\. Ask for fewer months/);
    }
    expect.assertions(6);
  });
});

describe('header rows', () => {
  it('name every column in Chinese and in English, each name once', () => {
    for (const [names, columns] of [
      [CASE_EXPORT_HEADERS, Object.keys(CASE_EXPORT_HEADERS)],
      [{ ...STATISTICS_HEADERS, key: STATISTICS_KEY_HEADERS.month }, STATISTICS_COLUMNS],
    ] as const) {
      for (const lang of ['zh-CN', 'en'] as const) {
        const row = headerRow(columns, names, lang);
        expect(row.every((name, i) => name !== columns[i] && name.length > 0)).toBe(true);
        expect(new Set(row).size).toBe(row.length);
      }
    }
    expect(headerRow(['key', 'received'], { ...STATISTICS_HEADERS, key: STATISTICS_KEY_HEADERS.channel }, 'zh-CN')).toEqual(['受理渠道', '受理数']);
    expect(headerRow(['key', 'received'], { ...STATISTICS_HEADERS, key: STATISTICS_KEY_HEADERS.channel }, 'en')).toEqual(['Channel', 'Received']);
    expect(Object.keys(STATISTICS_KEY_HEADERS).sort()).toEqual([...STATISTICS_BREAKDOWNS].sort());
  });
});
