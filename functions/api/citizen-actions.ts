/**
 * What the complainant's routes, the reopen route and the follow-up route share: finding a case by
 * its tracking code within the public budget, checking the PIN against its lock, writing an action
 * on a closed case (no execution waits on it), and starting a reopened case's new execution.
 */
import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ulid } from 'ulid';
import { caseStore, directory } from '../commons/app';
import { now } from '../commons/clock';
import { requiredEnv } from '../commons/clients/settings';
import { stepFunctions } from '../commons/clients/step-functions';
import { conflict, forbidden, notFound, ProblemError } from '../commons/problems';
import type { ApiResponse } from '../commons/http';
import { calendar } from '../commons/app';
import type { CaseRecord } from '../domain/case';
import { executionName } from '../domain/continuation';
import { verifyPin } from '../domain/complainant-pin';
import { errorText } from '../domain/errors';
import { defaultPolicy } from '../domain/policy';
import { reopenWindowEndMs } from '../domain/ratings';
import { readTrackingCode } from '../domain/tracking';
import { checkAction, type Actor, type Signal } from '../domain/workflow';
import { rateClosedCase, rememberRequest, type ClosedCaseSignal } from '../domain/closed-case';
import { refusal } from '../domain/texts/citizen-refusals';
import { StoreConflict } from '../store/case-store';
import { pinStore } from '../store/pin-store';
import { TRACK_BUDGET } from './track-params';

/**
 * One request from the budget of `sourceIp` on one of the PIN routes (each as large as that of
 * GET /v1/track/{code}, and apart from it, so looking a case up never uses up the rating): 429 with
 * Retry-After beyond it. With the PIN's own lock it keeps both the codes and the PINs from being walked.
 */
export async function takePublicBudget(route: 'evaluation' | 'reopen', sourceIp: string): Promise<void> {
  const nowSeconds = Math.floor(now() / 1000);
  const windowStart = nowSeconds - (nowSeconds % TRACK_BUDGET.windowSeconds);
  if (!(await caseStore().takeFromBudget(`${route}#${sourceIp}`, windowStart, TRACK_BUDGET.windowSeconds, TRACK_BUDGET.perWindow))) {
    const seconds = windowStart + TRACK_BUDGET.windowSeconds - nowSeconds;
    throw new ProblemError(429, refusal('too-many-lookups', { seconds }), undefined, { 'retry-after': String(seconds) });
  }
}

/** The case a typed tracking code names, or the plain 404 of GET /v1/track/{code}. */
export async function caseOfCode(typed: string): Promise<{ record: CaseRecord; code: string }> {
  const code = readTrackingCode(typed);
  const caseId = code ? await caseStore().caseIdOfTrackingCode(code) : undefined;
  const loaded = caseId ? await caseStore().getCaseForWorkflow(caseId) : undefined;
  if (!loaded || !code) throw notFound(refusal('track-not-found'));
  return { record: loaded.record, code };
}

/**
 * Checks the PIN typed for the case's current result: 429 with Retry-After while five wrong PINs
 * lock it; 403 for a wrong one (counted towards the lock), one of an earlier result, one a
 * reopening spent, or one past the reopening window of a closed case. Nothing else is changed.
 */
export async function checkPin(record: CaseRecord, typed: string): Promise<void> {
  const store = pinStore();
  const nowMs = now();
  const pin = await store.get(record.id);
  if (!pin) throw forbidden(refusal('pin-none'));
  const attempt = await store.takeAttempt(record.id, nowMs);
  if (!attempt.taken) {
    const seconds = Math.max(1, Math.ceil((attempt.untilMs - nowMs) / 1000));
    throw new ProblemError(429, refusal('pin-locked', { minutes: Math.ceil(seconds / 60) }), undefined, { 'retry-after': String(seconds) });
  }
  const expiresAtMs = record.status === 'closed' ? reopenWindowEndMs(record, defaultPolicy) : undefined;
  const verdict = await verifyPin(pin, typed, record.resolution?.at, nowMs, expiresAtMs);
  if (!verdict.ok) {
    if (verdict.reason !== 'wrong') await store.clearAttempts(record.id); // the right digits: not a guess
    throw forbidden(refusal(verdict.reason === 'wrong' ? 'pin-wrong' : verdict.reason === 'used' ? 'pin-used' : verdict.reason === 'expired' ? 'pin-expired' : 'pin-none'));
  }
  await store.clearAttempts(record.id);
}

/**
 * An action on a closed case (a late rating by the complainant, a follow-up call): no execution
 * waits on it, so it is checked and applied by the same rules the workflow uses and written as a
 * step of its own, only if nobody wrote the case since it was read.
 */
export async function applyToClosedCase(caseId: string, by: Actor, toSignal: (record: CaseRecord) => ClosedCaseSignal): Promise<'applied' | 'open'> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const loaded = await caseStore().getCaseForWorkflow(caseId);
    if (!loaded) throw notFound(errorText('case-not-found', { caseId }));
    if (loaded.record.status !== 'closed') return 'open';
    const signal = toSignal(loaded.record);
    const ctx = { nowMs: now(), directory, calendar, policy: defaultPolicy };
    checkAction(loaded.record, signal, by, ctx);
    // The closed case's own rules (domain/closed-case.ts), as the workflow applies them in `closed`: not the state machine.
    const result = rememberRequest(loaded.record, signal, rateClosedCase(loaded.record, signal, ctx.nowMs), ctx.nowMs);
    try {
      await caseStore().saveStep(loaded.record, result.record, result.events, { key: `${signal.action}:${ulid(ctx.nowMs)}`, outcome: result.outcome, alerts: [] });
      return 'applied';
    } catch (error) {
      if (!(error instanceof StoreConflict)) throw error;
    }
  }
  throw conflict(errorText('changed-retry'));
}

/**
 * Reopens a closed case: the case's next execution (`<caseId>-r<n>`, n one more than the
 * reopenings so far) starts with the reopening, and its first step applies it. Step Functions keeps
 * one execution per name, so two reopenings racing for the same case start one: the other is 409.
 * Nothing is written before the start, so a failed start changes nothing.
 */
export async function startReopening(record: CaseRecord, signal: Extract<Signal, { action: 'reopen' }>): Promise<void> {
  const name = executionName(record.id, 0, (record.reopenings ?? 0) + 1);
  try {
    await stepFunctions().send(
      new StartExecutionCommand({ stateMachineArn: requiredEnv('CASE_WORKFLOW_ARN'), name, input: JSON.stringify({ caseId: record.id, reopen: signal }) }),
    );
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) throw conflict(refusal('reopen-in-progress'));
    throw error;
  }
}

export const citizenAccepted = (trackingCode: string, action: 'evaluation' | 'reopen'): ApiResponse => ({
  statusCode: 202,
  body: { trackingCode, action, status: 'accepted' },
  headers: { 'cache-control': 'no-store' },
});
