import type { Context } from 'aws-lambda';
import { apiHandler, type ApiEvent } from '../commons/http';
import { caseStore, directory } from '../commons/app';
import { dynamoDb } from '../commons/clients/dynamodb';
import { requiredEnv } from '../commons/clients/settings';
import { now } from '../commons/clock';
import { ReportFormatQuerySchema, ReportMonthParamsSchema } from '../report/report-schema';
import { monthlyReport } from '../report/on-demand';
import { ReportStore } from '../report/report-store';
import { notBegunAsNotFound, REPORT_READERS, reportResponse, withCsvBody } from '../report/report-http';
import { withinAnswerBudget } from './export-cases-limits';

/**
 * The monthly assessment: the report the monthly job published, or — before it has run, or
 * for the month still running (provisional) — computed now from the month's cases.
 */
const inner = apiHandler(
  { auth: 'required', roles: REPORT_READERS, params: ReportMonthParamsSchema, query: ReportFormatQuerySchema },
  async ({ params, query, lang }) => {
    const answer = await notBegunAsNotFound(() =>
      monthlyReport(params.month, now(), { store: caseStore(), reports: new ReportStore(dynamoDb(), requiredEnv('CASES_TABLE')), directory }),
    );
    const response = reportResponse(answer, query.format, params.month, lang);
    // A row per district, tier, category and unit (about a hundred): far below Lambda's 6 MB, but measured like every CSV answer.
    if (query.format === 'csv') {
      const rows = 1 + answer.districts.length + answer.tiers.length + answer.categories.length + answer.units.length;
      withinAnswerBudget(String(response.body), rows, 'table-too-large');
    }
    return response;
  },
);

export const handler = withCsvBody(inner as unknown as (event: ApiEvent, context: Context) => ReturnType<typeof inner>);
