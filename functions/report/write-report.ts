/**
 * Last task of the report state machine: folds the run's segment results (all of them, each
 * once), renders the report, writes the JSON and CSV files and the month's report item (both
 * overwrite the month's earlier ones), and returns the summary alert the machine publishes.
 */
import * as z from 'zod/mini';
import '../domain/zod-locale';
import { dynamoDb } from '../commons/clients/dynamodb';
import { requiredEnv } from '../commons/clients/settings';
import { directory } from '../commons/app';
import { now } from '../commons/clock';
import { logger } from '../commons/logger';
import { toShanghaiIso } from '../domain/calendar';
import { foldPartials, renderReport, type AssessmentReport } from '../domain/assessment';
import { reportCsv } from '../domain/assessment-csv';
import { ReportStore } from './report-store';
import { monthlyReportKeys, reportObjects, type ReportObjects } from './objects';
import { headlineOf, publishedAlert, type PublishedAlert } from './summary';

export const WriteInputSchema = z.object({
  runId: z.string().check(z.minLength(1)),
  month: z.string(),
  cutoffMs: z.number().check(z.int()),
  provisional: z.boolean(),
  segmentCount: z.number().check(z.int(), z.positive()),
});
export type WriteInput = z.infer<typeof WriteInputSchema>;

export class SegmentsIncomplete extends Error {
  override readonly name = 'SegmentsIncomplete';
}

export interface WriteOutput {
  readonly alert: PublishedAlert;
  readonly report: { readonly month: string; readonly json: string; readonly csv: string; readonly cases: number };
}

/** The JSON file: the rendered report and how it was made. */
export const reportDocument = (report: AssessmentReport, meta: { generatedAt: string; runId: string; source: string }) => ({ ...report, ...meta });

export async function writeReport(input: WriteInput, store: ReportStore, objects: ReportObjects, nowMs: number): Promise<WriteOutput> {
  const found = await store.segments(input.month, input.runId);
  const missing = Array.from({ length: input.segmentCount }, (_, i) => i).filter((i) => !found.has(i));
  if (missing.length > 0) throw new SegmentsIncomplete(`run ${input.runId} has no result for segments ${missing.join(', ')} of ${input.month}`);
  const partial = foldPartials(Array.from({ length: input.segmentCount }, (_, i) => found.get(i)!));
  if (partial.cutoff !== toShanghaiIso(input.cutoffMs)) throw new Error(`segment results were measured at ${partial.cutoff}, not at the run's cutoff`);
  const report = renderReport(partial, { directory, from: input.month, to: input.month, provisional: input.provisional });

  const generatedAt = toShanghaiIso(nowMs);
  const keys = monthlyReportKeys(input.month);
  const json = await objects.put(keys.json, JSON.stringify(reportDocument(report, { generatedAt, runId: input.runId, source: 'stored' }), null, 2), 'application/json');
  const csv = await objects.put(keys.csv, reportCsv(report), 'text/csv; charset=utf-8');
  await store.putReport({
    month: input.month,
    partial,
    provisional: input.provisional,
    generatedAt,
    runId: input.runId,
    segments: input.segmentCount,
    headline: headlineOf(report),
    objects: { json, csv },
  });
  const alert = publishedAlert(report, { month: input.month, at: generatedAt, supervisionCentre: directory.supervisionCentre().id, objects: { json, csv } });
  return { alert, report: { month: input.month, json, csv, cases: partial.cases } };
}

export const handler = async (event: unknown): Promise<WriteOutput> => {
  const input = WriteInputSchema.parse(event);
  const output = await writeReport(input, new ReportStore(dynamoDb(), requiredEnv('CASES_TABLE')), reportObjects(), now());
  logger.info({ runId: input.runId, month: input.month, cases: output.report.cases }, 'report written');
  return output;
};
