import { apiHandler } from '../commons/http';
import { caseStore } from '../commons/app';
import { now } from '../commons/clock';
import { refusal } from '../domain/texts/citizen-refusals';
import { readTrackingCode } from '../domain/tracking';
import { publicStatus } from '../domain/public-status';
import { notFound, ProblemError } from '../commons/problems';
import { TRACK_BUDGET, TrackParamsSchema } from './track-params';

export { TRACK_BUDGET } from './track-params';


/**
 * GET /v1/track/{code}: the public status of a case for whoever holds its tracking code. Anyone
 * may ask, so every client (by source address) has a budget of look-ups per minute, answered
 * 429 with Retry-After beyond it; a code that is mistyped or unknown is the same plain 404.
 */
export const handler = apiHandler({ auth: 'public', params: TrackParamsSchema }, async ({ params, texts, sourceIp }) => {
  const nowSeconds = Math.floor(now() / 1000);
  const windowStart = nowSeconds - (nowSeconds % TRACK_BUDGET.windowSeconds);
  if (!(await caseStore().takeFromBudget(`track#${sourceIp}`, windowStart, TRACK_BUDGET.windowSeconds, TRACK_BUDGET.perWindow))) {
    const seconds = windowStart + TRACK_BUDGET.windowSeconds - nowSeconds;
    throw new ProblemError(429, refusal('too-many-lookups', { seconds }), undefined, { 'retry-after': String(seconds) });
  }
  const code = readTrackingCode(params.code);
  const caseId = code ? await caseStore().caseIdOfTrackingCode(code) : undefined;
  const found = caseId ? await caseStore().getCase(caseId) : undefined;
  if (!found) throw notFound(refusal('track-not-found'));
  return { statusCode: 200, body: publicStatus(found.record, found.timeline, texts), headers: { 'cache-control': 'no-store' } };
});
