import { apiHandler } from '../commons/http';
import { directory } from '../commons/app';
import { now } from '../commons/clock';
import { defaultPolicy } from '../domain/policy';
import { COMPLAINANT_ACTOR, checkAction, type Signal } from '../domain/workflow';
import { pinStore } from '../store/pin-store';
import { toShanghaiIso } from '../domain/calendar';
import { forbidden } from '../commons/problems';
import { refusal } from '../domain/texts/citizen-refusals';
import { TrackParamsSchema } from './track-params';
import { TrackReopenBodySchema } from './citizen-bodies';
import { caseOfCode, checkPin, citizenAccepted, startReopening, takePublicBudget } from './citizen-actions';

/**
 * POST /v1/track/{code}/reopen: the complainant reopens a closed case within the reopening window
 * (config/policy.json reopenCalendarDays) with the tracking code, the PIN of the last result and a
 * reason. The case goes back to the unit of that result, in its next execution. Open, or past the
 * window: 409; wrong, expired or used PIN: 403 (nothing changed); five wrong PINs: 429 for an hour.
 * The PIN is spent by the reopening: the next result brings a new one.
 */
export const handler = apiHandler({ auth: 'public', params: TrackParamsSchema, body: TrackReopenBodySchema }, async ({ params, body, sourceIp }) => {
  await takePublicBudget('reopen', sourceIp);
  const { record, code } = await caseOfCode(params.code);
  const signal: Extract<Signal, { action: 'reopen' }> = { action: 'reopen', by: COMPLAINANT_ACTOR, reason: body.reason };
  // Whether the case can be reopened at all is what its public status shows already: asked before the PIN.
  checkAction(record, signal, COMPLAINANT_ACTOR, { directory, nowMs: now(), policy: defaultPolicy });
  await checkPin(record, body.pin);
  const spentAt = toShanghaiIso(now());
  if (!(await pinStore().spend(record.id, record.resolution!.at, spentAt))) throw forbidden(refusal('pin-used'));
  try {
    await startReopening(record, signal);
  } catch (error) {
    await pinStore().unspend(record.id, record.resolution!.at, spentAt);
    throw error;
  }
  return citizenAccepted(code, 'reopen');
});
