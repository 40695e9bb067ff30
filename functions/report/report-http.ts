/**
 * What the report routes share: who may read reports, the JSON or CSV answer, and the CSV
 * body passed through unencoded (the shared edge JSON-encodes every body).
 */
import type { Context } from 'aws-lambda';
import type { ApiEvent, ApiResponse, ApiResult } from '../commons/http';
import { reportCsv } from '../domain/assessment-csv';
import type { Role } from '../domain/identity';
import { notFound } from '../commons/problems';
import { PeriodNotBegun } from './compute';
import type { ReportAnswer } from './on-demand';
import type { Lang } from '../domain/texts/language';

export { REPORT_READERS } from '../domain/roles';

const CSV = 'text/csv; charset=utf-8';

/** The report as JSON, or as CSV whose header row and scope column are in the caller's language. */
export function reportResponse(answer: ReportAnswer, format: 'json' | 'csv' | undefined, name: string, lang: Lang): ApiResponse {
  const headers = { 'cache-control': answer.provisional ? 'no-store' : 'private, max-age=300' };
  if (format === 'csv') {
    return {
      statusCode: 200,
      body: reportCsv(answer, { lang }),
      headers: { ...headers, vary: 'Accept-Language', 'content-type': CSV, 'content-disposition': `attachment; filename="assessment-${name}.csv"` },
    };
  }
  return { statusCode: 200, body: answer, headers };
}

/** A period that has not begun has no report yet: 404. */
export async function notBegunAsNotFound<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PeriodNotBegun) throw notFound(error.message);
    throw error;
  }
}

type Handler = (event: ApiEvent, context: Context) => Promise<ApiResult>;

/** Sends a CSV answer as the text it is, not as a JSON string. */
export const withCsvBody =
  (inner: Handler): Handler =>
  async (event, context) => {
    const result = await inner(event, context);
    const type = String(result.headers?.['content-type'] ?? '');
    if (type.startsWith('text/csv') && typeof result.body === 'string') return { ...result, body: JSON.parse(result.body) as string };
    return result;
  };
