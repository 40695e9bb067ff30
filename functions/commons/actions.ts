import { SendTaskHeartbeatCommand, SendTaskSuccessCommand, TaskDoesNotExist, TaskTimedOut, InvalidToken } from '@aws-sdk/client-sfn';
import { appliedRequest, checkAction, isComplainant, phaseOf, type Actor, type Signal } from '../domain/workflow';
import { canReadCase, type Caller } from '../domain/identity';
import type { CaseRecord } from '../domain/case';
import { caseStore, directory } from './app';
import { stepFunctions } from './clients/step-functions';
import { conflict, forbidden, notFound } from './problems';
import { DomainError, errorText } from '../domain/errors';
import type { ApiResponse } from './http';

/** How long an action waits for the workflow to reach its next wait before giving up with 409. */
const SETTLE_ATTEMPTS = 20;
const SETTLE_DELAY_MS = 150;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const isStaleToken = (error: unknown) =>
  error instanceof TaskTimedOut || error instanceof TaskDoesNotExist || error instanceof InvalidToken;

/** Whether the workflow has already taken this token (it is between two steps). A heartbeat changes nothing. */
async function isConsumed(token: string): Promise<boolean> {
  try {
    await stepFunctions().send(new SendTaskHeartbeatCommand({ taskToken: token }));
    return false;
  } catch (error) {
    if (isStaleToken(error)) return true;
    throw error;
  }
}

const accepted = (caseId: string, signal: Signal): ApiResponse => ({
  statusCode: 202,
  body: { caseId, action: signal.action, status: 'accepted' },
  headers: { location: `/v1/cases/${caseId}` },
});

/**
 * Delivers an agency's or the supervisor's action to the waiting workflow (the callback
 * with the task token kept on the case) after checking, on the current case, that it fits
 * the step and the caller. The workflow applies it; this answers 202. A token that went
 * stale under us (a timer fired, another action won) is re-read; if the case moved on,
 * the action no longer fits and gets 409, so nothing is ever applied twice. An action sent with
 * an Idempotency-Key that the case has applied (remembered on the case with its step) is answered
 * 202 again, so a client retrying after a lost answer is not told 409.
 */
export async function deliverAction(
  caseId: string,
  /** A signed-in caller, or the complainant who proved the PIN on a public route (it reads no case). */
  caller: Caller | Actor,
  toSignal: (record: CaseRecord) => Signal,
): Promise<ApiResponse> {
  const store = caseStore();
  let lastToken: string | undefined;
  for (let attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
    const loaded = await store.getCaseForWorkflow(caseId);
    if (!loaded) throw notFound(errorText('case-not-found', { caseId }));
    const { record, pendingTask } = loaded;
    if (!isComplainant(caller) && !canReadCase(caller as Caller, record)) throw forbidden(errorText('not-your-case', { caseId, callerUnit: caller.unit }));
    const signal = toSignal(record);
    const key = signal.by.requestKey;
    const earlier = key ? appliedRequest(record, caller.unit, key) : undefined;
    if (earlier) {
      // A retry of an action this case applied: the same answer, nothing sent again.
      if (earlier.action !== signal.action) throw conflict(errorText('idempotency-key-other-action', { earlierAction: earlier.action }));
      const replay = accepted(caseId, signal);
      return { ...replay, headers: { ...replay.headers, 'idempotent-replayed': 'true' } };
    }
    try {
      checkAction(record, signal, caller, { directory });
    } catch (error) {
      // An action that does not fit may only be early: the previous one can be consumed but not yet written.
      if (error instanceof DomainError && error.kind === 'conflict' && pendingTask && (await isConsumed(pendingTask.token))) {
        await pause(SETTLE_DELAY_MS);
        continue;
      }
      throw error;
    }
    // Between two waits the workflow is still writing the step: give it a moment.
    if (!pendingTask || pendingTask.phase !== phaseOf(record) || pendingTask.token === lastToken) {
      await pause(SETTLE_DELAY_MS);
      continue;
    }
    try {
      await stepFunctions().send(new SendTaskSuccessCommand({ taskToken: pendingTask.token, output: JSON.stringify(signal) }));
      return accepted(caseId, signal);
    } catch (error) {
      if (!isStaleToken(error)) throw error;
      lastToken = pendingTask.token;
    }
  }
  throw conflict(errorText('moving-to-next-step'));
}
