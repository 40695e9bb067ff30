/**
 * What a closed case takes without its workflow: a late rating by the complainant and the
 * supervision centre's follow-up call. No execution waits on a closed case, so their handlers
 * apply them here and write the step themselves; the workflow applies the same functions when
 * one arrives while the case waits in `closed` (domain/workflow.ts), so the rule is written once.
 * Kept apart from workflow.ts so the PIN and follow-up routes carry these rules, not the state machine.
 */
import { toShanghaiIso } from './calendar';
import type { CaseRecord } from './case';
import type { Actor, Signal, StepResult } from './workflow';

/** How many keyed actions a case remembers, for answering their retries. */
export const REMEMBERED_REQUESTS = 20;

/** Who acted, as the timeline writes it. */
export const actorOnTimeline = (by: Actor) => ({ unit: by.unit, role: by.role, sub: by.sub, ...(by.name ? { name: by.name } : {}) });

/** An applied action sent with an Idempotency-Key is remembered on the case, written with the step itself. */
export function rememberRequest(record: CaseRecord, signal: Signal, result: StepResult, nowMs: number): StepResult {
  const key = signal.by.requestKey;
  if (!key || result.outcome === 'not-applied') return result;
  const applied = { unit: signal.by.unit, key, action: signal.action, at: toShanghaiIso(nowMs) };
  return { ...result, record: { ...result.record, appliedRequests: [...(record.appliedRequests ?? []), applied].slice(-REMEMBERED_REQUESTS) } };
}

export type ClosedCaseSignal = Extract<Signal, { action: 'complainant-evaluate' | 'follow-up' }>;

/**
 * A rating of a closed case's result (the community rated it, or the window ran out): recorded,
 * and the complainant's counts if it came within the evaluation window. The case stays closed.
 * `signal` has passed checkAction.
 */
export function rateClosedCase(record: CaseRecord, signal: ClosedCaseSignal, nowMs: number): StepResult {
  const at = toShanghaiIso(nowMs);
  const actor = actorOnTimeline(signal.by);
  const note = signal.comment ? { note: signal.comment } : {};
  if (signal.action === 'complainant-evaluate') {
    const withinWindow = nowMs <= (record.evaluationDueAt ? Date.parse(record.evaluationDueAt) : NaN);
    return {
      record: { ...record, complainantEvaluation: { rating: signal.rating, ...(signal.comment ? { comment: signal.comment } : {}), at, source: 'complainant', withinWindow } },
      events: [{ at, type: 'COMPLAINANT_RATED', unit: record.assignedUnit, actor, ...note, data: { rating: signal.rating, withinWindow } }],
      alerts: [],
      outcome: 'complainant-rated',
    };
  }
  return {
    record: { ...record, followUp: { rating: signal.rating, ...(signal.comment ? { comment: signal.comment } : {}), at, source: 'follow-up' } },
    events: [{ at, type: 'FOLLOW_UP_RECORDED', unit: record.assignedUnit, actor, ...note, data: { rating: signal.rating } }],
    alerts: [],
    outcome: 'follow-up-recorded',
  };
}
