import type { Context } from 'aws-lambda';
import { apiHandler, type ApiEvent, type ApiResponse, type ApiResult } from '../commons/http';
import { listCases, calendar, directory } from '../commons/app';
import { now } from '../commons/clock';
import { badRequest } from '../commons/problems';
import { currentLight, activeWindow, type CaseRecord } from '../domain/case';
import { toShanghaiIso } from '../domain/calendar';
import { csvText, type Cell } from '../domain/spreadsheet-cell';
import { ExportCasesQuerySchema } from './export-cases-schema';
import { listFilters, sourceFor } from './list-cases';

/** More rows than this are refused with a hint to narrow the filter. */
export const MAX_EXPORT_ROWS = Number(process.env.MAX_EXPORT_ROWS) > 0 ? Number(process.env.MAX_EXPORT_ROWS) : 100_000;
/** Cases read a request while exporting. */
const PAGE = 1000;

const COLUMNS = [
  'id', 'title', 'category', 'reportedVia', 'district', 'originUnit', 'originUnitName', 'assignedUnit', 'assignedUnitName',
  'tier', 'status', 'light', 'createdAt', 'dueAt', 'signedOffAt', 'firstResolvedAt', 'closedAt', 'address',
] as const;
const COMPLAINANT_COLUMNS = ['complainantName', 'complainantPhone', 'complainantAddress'] as const;

function rowOf(record: CaseRecord, nowMs: number, withComplainant: boolean): Cell[] {
  const window = activeWindow(record);
  const cells: Cell[] = [
    record.id,
    record.title,
    record.category,
    record.reportedVia,
    record.district,
    record.originUnit,
    directory.nameOf(record.originUnit, 'zh-CN'),
    record.assignedUnit,
    directory.nameOf(record.assignedUnit, 'zh-CN'),
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
 * and order; the complainant only when asked for (`complainant=true`); over 100,000 cases refused
 * with a hint to narrow the filter. Cells that would start a formula are neutralised.
 */
const inner = apiHandler({ auth: 'required', roles: ['supervisor'], query: ExportCasesQuerySchema }, async ({ query, caller }): Promise<ApiResponse> => {
  const source = sourceFor(caller, query);
  const filters = listFilters(caller, query, source);
  const nowMs = now();
  const withComplainant = query.complainant === 'true';
  const rows: Cell[][] = [[...COLUMNS, ...(withComplainant ? COMPLAINANT_COLUMNS : [])]];
  let cursor: string | undefined;
  do {
    const page = await listCases({ ...filters, limit: PAGE, nowMs, ...(cursor ? { cursor } : {}) });
    for (const record of page.items) rows.push(rowOf(record, nowMs, withComplainant));
    if (rows.length - 1 > MAX_EXPORT_ROWS) {
      // Refused, not cut short: a partial list would look complete.
      throw badRequest((ctx) =>
        ctx.lang === 'en'
          ? `More than ${MAX_EXPORT_ROWS.toLocaleString('en')} cases fit these filters. Narrow them (a month, a district, a unit, a category or a light) and export again.`
          : `符合条件的事项超过 ${MAX_EXPORT_ROWS} 件，请缩小范围（按月份、区、单位、类别或灯色筛选）后再导出。`,
      );
    }
    cursor = page.nextCursor;
  } while (cursor);
  const stamp = toShanghaiIso(nowMs).slice(0, 16).replace(/[-:T]/g, '');
  return {
    statusCode: 200,
    body: csvText(rows),
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="cases-${stamp}.csv"`, 'cache-control': 'no-store' },
  };
});

/** The shared edge JSON-encodes every body; the CSV goes out as the text it is. */
export const handler = async (event: ApiEvent, context: Context): Promise<ApiResult> => {
  const result = await inner(event, context);
  const type = String(result.headers?.['content-type'] ?? '');
  return type.startsWith('text/csv') && typeof result.body === 'string' ? { ...result, body: JSON.parse(result.body) as string } : result;
};
