import type { Context } from 'aws-lambda';
import { apiHandler, type ApiEvent } from '../commons/http';
import { caseStore, directory } from '../commons/app';
import { dynamoDb } from '../commons/clients/dynamodb';
import { requiredEnv } from '../commons/clients/settings';
import { now } from '../commons/clock';
import { invalidField } from '../commons/problems';
import { ReportPeriodQuerySchema } from '../report/report-schema';
import { PeriodInvalid, periodReport } from '../report/on-demand';
import { ReportStore } from '../report/report-store';
import { notBegunAsNotFound, REPORT_READERS, reportResponse, withCsvBody } from '../report/report-http';

/**
 * A period report (e.g. January to October): the months' partial results, all measured at the
 * end of the period, added up — the same definitions as a monthly report.
 */
const inner = apiHandler({ auth: 'required', roles: REPORT_READERS, query: ReportPeriodQuerySchema }, async ({ query, lang }) => {
  const answer = await notBegunAsNotFound(async () => {
    try {
      return await periodReport(query.from, query.to, now(), {
        store: caseStore(),
        reports: new ReportStore(dynamoDb(), requiredEnv('CASES_TABLE')),
        directory,
      });
    } catch (error) {
      if (error instanceof PeriodInvalid) throw invalidField(error.field, error.message);
      throw error;
    }
  });
  return reportResponse(answer, query.format, query.from === query.to ? query.from : `${query.from}_${query.to}`, lang);
});

export const handler = withCsvBody(inner as unknown as (event: ApiEvent, context: Context) => ReturnType<typeof inner>);
