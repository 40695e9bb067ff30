import { createHash } from 'node:crypto';
import { errorText } from '../domain/errors';
import { ulid } from 'ulid';
import { acceptCase, CreateCaseBodySchema } from '../domain/case';
import { newTrackingCode } from '../domain/tracking';
import { TrackingCodeTaken } from '../store/case-store';
import { apiHandler, type ApiResponse } from '../commons/http';
import { calendar, caseStore, directory, routingRules } from '../commons/app';
import { now } from '../commons/clock';
import { firstPlan, startCaseWorkflow } from '../commons/workflow';
import { defaultPolicy } from '../domain/policy';
import { conflict } from '../commons/problems';
import { logger } from '../commons/logger';
import { caseView } from './case-view';
import { idempotencyKeyOf } from './request-schemas';
import { canSeePersonalData } from '../domain/identity';
import { INTAKE_ROLES } from '../domain/roles';

/** How long a retry with the same Idempotency-Key gets the first answer back. */
const IDEMPOTENCY_HOURS = 24;

/** A stable fingerprint of the request: the same body in any key order hashes the same. */
const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]))
      : value;
const requestHash = (body: unknown) => createHash('sha256').update(JSON.stringify(canonical(body))).digest('hex');

/**
 * Starts the case's workflow now. If the engine does not answer, the case is still stored with
 * its outbox entry (awaitingWorkflow), and the outbox sweeper starts the workflow within minutes,
 * from the deadlines set at intake: the caller's answer does not change.
 */
async function startOrLeaveToSweeper(caseId: string, plan?: ReturnType<typeof firstPlan>): Promise<void> {
  try {
    await startCaseWorkflow(caseId, plan);
  } catch (error) {
    logger.warn({ caseId, err: error }, 'workflow not started now; left to the outbox sweeper');
  }
}

export const handler = apiHandler(
  { auth: 'required', roles: INTAKE_ROLES, body: CreateCaseBodySchema },
  async ({ body, caller, headers, texts }): Promise<ApiResponse> => {
    const key = idempotencyKeyOf(headers);
    const nowMs = now();
    const hash = requestHash(body);
    /** One attempt with a freshly drawn tracking code; a code already taken (about never) draws another. */
    const attempt = async () => {
      const { record, event } = acceptCase(body, { caller, id: ulid(nowMs), nowMs, directory, calendar, routingRules, trackingCode: newTrackingCode() });
      const view = caseView(record, [event], caller, nowMs, texts);
      // The first answer is kept for retries without the complainant: personal data lives on the case only.
      const { complainant: _onTheCase, ...firstAnswer } = view as typeof view & { complainant?: unknown };
      const outcome = await caseStore().createCase(
        record,
        event,
        key === undefined
          ? undefined
          : {
              scope: caller.unit,
              key,
              record: { requestHash: hash, statusCode: 201, body: firstAnswer, caseId: record.id },
              expiresAtSeconds: Math.floor(nowMs / 1000) + IDEMPOTENCY_HOURS * 3600,
            },
      );
      return { record, view, outcome };
    };
    let drawn: Awaited<ReturnType<typeof attempt>> | undefined;
    for (let tries = 0; !drawn; tries++) {
      try {
        drawn = await attempt();
      } catch (error) {
        if (!(error instanceof TrackingCodeTaken) || tries >= 2) throw error;
      }
    }
    const { record, view, outcome } = drawn;
    if (!outcome.created) {
      if (outcome.earlier.requestHash !== hash) {
        throw conflict(errorText('idempotency-key-reused'));
      }
      // The first attempt may have stopped before starting the workflow; starting it again is harmless.
      await startOrLeaveToSweeper(outcome.earlier.caseId);
      // The complainant as the case holds it now (erased on request → absent).
      const current = await caseStore().getCase(outcome.earlier.caseId);
      const complainant = current?.record.complainant && canSeePersonalData(caller, current.record) ? { complainant: current.record.complainant } : {};
      return {
        statusCode: outcome.earlier.statusCode,
        body: { ...(outcome.earlier.body as object), ...complainant },
        headers: { location: `/v1/cases/${outcome.earlier.caseId}`, 'idempotent-replayed': 'true' },
      };
    }
    await startOrLeaveToSweeper(record.id, firstPlan(record, { nowMs, directory, calendar, policy: defaultPolicy }));
    return { statusCode: 201, body: view, headers: { location: `/v1/cases/${record.id}` } };
  },
);
