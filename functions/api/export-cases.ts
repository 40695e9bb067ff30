import type { Context } from 'aws-lambda';
import { apiHandler, type ApiEvent, type ApiResponse, type ApiResult } from '../commons/http';
import { listCases, calendar, directory } from '../commons/app';
import { now } from '../commons/clock';
import { badRequest } from '../commons/problems';
import { currentLight, activeWindow, type CaseRecord } from '../domain/case';
import { toShanghaiIso } from '../domain/calendar';
import { csvText, type Cell } from '../domain/spreadsheet-cell';
import type { Lang } from '../domain/texts/language';
import { CASE_EXPORT_HEADERS, exportRefusal, headerRow } from '../domain/texts/export-texts';
import { ExportCasesQuerySchema } from './export-cases-schema';
import { MAX_EXPORT_ROWS, withinAnswerBudget } from './export-cases-limits';
import { listFilters, sourceFor } from './list-cases';

/** Cases read a request while exporting. */
const PAGE = 1000;

/** The columns, each named in the catalogue (texts/export-texts.ts) in both languages. */
const COLUMNS = [
  'id', 'title', 'category', 'reportedVia', 'district', 'originUnit', 'originUnitName', 'assignedUnit', 'assignedUnitName',
  'tier', 'status', 'light', 'createdAt', 'dueAt', 'signedOffAt', 'firstResolvedAt', 'closedAt', 'address',
] as const satisfies readonly (keyof typeof CASE_EXPORT_HEADERS)[];
const COMPLAINANT_COLUMNS = ['complainantName', 'complainantPhone', 'complainantAddress'] as const satisfies readonly (keyof typeof CASE_EXPORT_HEADERS)[];

function rowOf(record: CaseRecord, nowMs: number, withComplainant: boolean, lang: Lang): Cell[] {
  const window = activeWindow(record);
  const cells: Cell[] = [
    record.id,
    record.title,
    record.category,
    record.reportedVia,
    record.district,
    record.originUnit,
    directory.nameOf(record.originUnit, lang),
    record.assignedUnit,
    directory.nameOf(record.assignedUnit, lang),
    record.tier,
    record.status,
    currentLight(record, nowMs, calendar),
    record.createdAt,
    record.status !== 'closed' && window ? toShanghaiIso(window.dueMs) : undefined,
    record.signedOffAt,
    record.metrics.firstResolvedAt,
    record.closedAt,
    record.location?.address,
  ];
  if (withComplainant) cells.push(record.complainant?.name, record.complainant?.phone, record.complainant?.address);
  return cells;
}

/**
 * GET /v1/cases/export (supervisor): every case of a filtered list as CSV, the list's own filters
 * and order; the complainant only when asked for (`complainant=true`); the header row and the
 * units' names in the caller's language. Over 100,000 cases, or a CSV over what one Lambda answer
 * carries, refused with a hint to narrow the filter (docs/scale.md#exports). Cells that would
 * start a formula are neutralised.
 */
const inner = apiHandler({ auth: 'required', roles: ['supervisor'], query: ExportCasesQuerySchema }, async ({ query, caller, lang }): Promise<ApiResponse> => {
  const source = sourceFor(caller, query);
  const filters = listFilters(caller, query, source);
  const nowMs = now();
  const withComplainant = query.complainant === 'true';
  const rows: Cell[][] = [headerRow([...COLUMNS, ...(withComplainant ? COMPLAINANT_COLUMNS : [])], CASE_EXPORT_HEADERS, lang)];
  let cursor: string | undefined;
  do {
    const page = await listCases({ ...filters, limit: PAGE, nowMs, ...(cursor ? { cursor } : {}) });
    for (const record of page.items) rows.push(rowOf(record, nowMs, withComplainant, lang));
    // Refused, not cut short: a partial list would look complete.
    if (rows.length - 1 > MAX_EXPORT_ROWS) throw badRequest(exportRefusal('export-too-many-rows', { max: MAX_EXPORT_ROWS }));
    cursor = page.nextCursor;
  } while (cursor);
  const stamp = toShanghaiIso(nowMs).slice(0, 16).replace(/[-:T]/g, '');
  return {
    statusCode: 200,
    // Measured before it is sent: an answer over Lambda's 6 MB would reach the caller as a bare 502.
    body: withinAnswerBudget(csvText(rows), rows.length - 1, 'export-too-large'),
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="cases-${stamp}.csv"`, 'cache-control': 'no-store' },
  };
});

/** The shared edge JSON-encodes every body; the CSV goes out as the text it is. */
export const handler = async (event: ApiEvent, context: Context): Promise<ApiResult> => {
  const result = await inner(event, context);
  const type = String(result.headers?.['content-type'] ?? '');
  return type.startsWith('text/csv') && typeof result.body === 'string' ? { ...result, body: JSON.parse(result.body) as string } : result;
};
