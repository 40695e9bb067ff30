/**
 * What one CSV answer may hold, in one place: the rows of a case export, and the bytes of any
 * CSV the API sends (the case export, statistics, the assessment report).
 *
 * A Lambda function behind API Gateway answers at most 6 MB (6,291,456 bytes of the invocation's
 * response payload: status, headers and the body as a JSON string). A bigger answer is not cut
 * short: API Gateway answers a bare 502 instead. So a handler measures its CSV as Lambda will
 * carry it and refuses, with a 400 that says how many rows matched and how to narrow them,
 * anything over the budget below (docs/scale.md#exports).
 */
import { badRequest } from '../commons/problems';
import { exportRefusal, type ExportRefusal } from '../domain/texts/export-texts';

/** Lambda's limit on a synchronous invocation's response payload. */
export const LAMBDA_RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024;
/** Kept free for the status, the headers and the payload's own JSON around the body (a few hundred bytes in practice). */
export const RESPONSE_MARGIN_BYTES = 64 * 1024;
/** The most a CSV body may take, measured as answerBytes measures it: 6,225,920 bytes. */
export const MAX_ANSWER_BYTES_DEPLOYED = LAMBDA_RESPONSE_LIMIT_BYTES - RESPONSE_MARGIN_BYTES;

/**
 * A positive whole number from the environment that may only lower `deployed`: the local stack's
 * tests set a small one to see a refusal with few cases; a deployed function sets none, and a
 * value above the real limit is ignored rather than trusted.
 */
export function loweredBy(value: string | undefined, deployed: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? Math.min(n, deployed) : deployed;
}

/** More cases than this in one export are refused with a hint to narrow the filter (MAX_EXPORT_ROWS may lower it). */
export const MAX_EXPORT_ROWS = loweredBy(process.env.MAX_EXPORT_ROWS, 100_000);
/** The byte budget of one CSV answer (MAX_ANSWER_BYTES may lower it). */
export const MAX_ANSWER_BYTES = loweredBy(process.env.MAX_ANSWER_BYTES, MAX_ANSWER_BYTES_DEPLOYED);

/**
 * The bytes a text body takes in Lambda's response payload: the body is a JSON string there, in
 * UTF-8 — a Chinese character is 3 bytes, a quote or a line break 2 (escaped), a control character 6.
 */
export const answerBytes = (body: string): number => Buffer.byteLength(JSON.stringify(body), 'utf8');

/** Whether a body fits the budget: pure, so the rule is tested without a request. */
export const fitsAnswer = (body: string, budget: number = MAX_ANSWER_BYTES): boolean => answerBytes(body) <= budget;

/**
 * Refuses (400, in the caller's language) a CSV body over the budget, naming how many rows
 * matched and its size, before anything is sent; a body that fits is returned as it is.
 */
export function withinAnswerBudget(body: string, rows: number, refusal: Extract<ExportRefusal, 'export-too-large' | 'table-too-large'>, budget: number = MAX_ANSWER_BYTES): string {
  const bytes = answerBytes(body);
  if (bytes > budget) throw badRequest(exportRefusal(refusal, { rows, bytes, limit: budget }));
  return body;
}
