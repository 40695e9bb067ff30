import { REPORT_READERS } from '../domain/roles';
import type { Context } from 'aws-lambda';
import { apiHandler, type ApiEvent, type ApiResponse, type ApiResult } from '../commons/http';
import { caseStore, calendar, directory } from '../commons/app';
import { now } from '../commons/clock';
import { invalidField } from '../commons/problems';
import { listingFieldText } from '../domain/texts/listing-refusals';
import { defaultPolicy } from '../domain/policy';
import { csvText } from '../domain/spreadsheet-cell';
import { MAX_STATISTICS_MONTHS, STATISTICS_COLUMNS, STATISTICS_FIELDS, monthsBetween, statisticsRows, type StatisticsCase } from '../domain/statistics';
import { STATISTICS_HEADERS, STATISTICS_KEY_HEADERS, headerRow } from '../domain/texts/export-texts';
import { StatisticsQuerySchema } from './statistics-schema';
import { withinAnswerBudget } from './export-cases-limits';

/** Months read at once: each is its own partition of byMonth. */
const MONTHS_IN_PARALLEL = 6;

/** Every case received in `month`, only the fields statistics read. */
async function casesOf(month: string): Promise<StatisticsCase[]> {
  const found: StatisticsCase[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await caseStore().monthRangePage({ month, fromIso: month, toIso: `${month}~`, attributes: STATISTICS_FIELDS, ...(startKey ? { startKey } : {}) });
    found.push(...(page.items as StatisticsCase[]));
    startKey = page.nextKey;
  } while (startKey);
  return found;
}

/**
 * GET /v1/statistics (supervisor, auditor): cases received from `from` to `to` (at most 36
 * months), by month, district, street, category, channel or unit, read from the case records of
 * those months (docs/scale.md#statistics); `format=csv` for a spreadsheet.
 */
const inner = apiHandler({ auth: 'required', roles: REPORT_READERS, query: StatisticsQuerySchema }, async ({ query, lang }): Promise<ApiResponse> => {
  if (query.from > query.to) throw invalidField('to', listingFieldText('months-in-order'));
  const months = monthsBetween(query.from, query.to);
  if (months.length > MAX_STATISTICS_MONTHS) throw invalidField('to', listingFieldText('months-at-most', { max: MAX_STATISTICS_MONTHS }));
  const cases: StatisticsCase[] = [];
  for (let i = 0; i < months.length; i += MONTHS_IN_PARALLEL) {
    for (const found of await Promise.all(months.slice(i, i + MONTHS_IN_PARALLEL).map(casesOf))) cases.push(...found);
  }
  const by = query.by ?? 'month';
  const rows = statisticsRows(cases, by, now(), { calendar, yellowShare: defaultPolicy.yellowShare, directory });
  if (query.format === 'csv') {
    // The header row in the caller's language, the first column named by the breakdown; the JSON keys stay as they are.
    const header = headerRow(STATISTICS_COLUMNS, { ...STATISTICS_HEADERS, key: STATISTICS_KEY_HEADERS[by] }, lang);
    const text = csvText([header, ...rows.map((row) => STATISTICS_COLUMNS.map((column) => row[column]))]);
    return {
      statusCode: 200,
      // A row per key of the breakdown (at most the directory's units): far below Lambda's 6 MB, but measured like every CSV answer.
      body: withinAnswerBudget(text, rows.length, 'table-too-large'),
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="statistics-${query.from}-${query.to}-${by}.csv"`, 'cache-control': 'no-store' },
    };
  }
  return { statusCode: 200, body: { rows }, headers: { 'cache-control': 'no-store' } };
});

/** The shared edge JSON-encodes every body; a CSV answer goes out as the text it is. */
export const handler = async (event: ApiEvent, context: Context): Promise<ApiResult> => {
  const result = await inner(event, context);
  const type = String(result.headers?.['content-type'] ?? '');
  return type.startsWith('text/csv') && typeof result.body === 'string' ? { ...result, body: JSON.parse(result.body) as string } : result;
};
