/**
 * Mediation's part of a workflow step: the clock points of the open referral and what firing each
 * does, and how each mediation signal changes the case. domain/workflow.ts calls these with its
 * step (the record being built, its events and alerts), so the case has one writer and one clock.
 */
import { categoryById } from '../categories';
import { toShanghaiIso, type WorkingDayCalendar } from '../calendar';
import type { CaseRecord } from '../case';
import type { UnitDirectory } from '../directory';
import type { Policy } from '../policy';
import { shareReachedAt } from '../light';
import type { Mediation } from './model';
import { endOfShanghaiDayMs, lastMediation, openMediation, performByOf, totalYuan, type MediationSignal } from './rules';
import { agreementRecipients } from '../notifications/mediation-recipients';

/** The alerts mediation adds to the workflow's: a body's window at its warning or run out, an agreement not carried out. */
export const MEDIATION_ALERT_TYPES = ['MEDIATION_WARNING', 'MEDIATION_OVERDUE', 'MEDIATION_UNFULFILLED'] as const;

/** What this module needs of the workflow's step. */
export interface MediationStep {
  record: CaseRecord;
  readonly ctx: { readonly nowMs: number; readonly calendar: WorkingDayCalendar; readonly policy: Policy; readonly directory: UnitDirectory };
  event(type: string, fields?: { unit?: string; note?: string; actor?: CaseRecord extends never ? never : { unit: string; role: string; sub?: string; name?: string }; data?: Record<string, unknown> }): void;
  alert(type: (typeof MEDIATION_ALERT_TYPES)[number] | 'URGED', extra?: Record<string, string | number | boolean | undefined>, dueAt?: string, unit?: string): void;
  supervisionRecord(cause: 'mediation-overdue', extra?: Record<string, string | number | boolean>): void;
}

export interface MediationMilestone {
  readonly id: string;
  readonly at: number;
  readonly kind: 'warning' | 'deadline';
  readonly share?: number;
  readonly mediation: true;
}

const iso = toShanghaiIso;
const ms = Date.parse;

/** The clock points of the open referral: acceptance (sign-off share, deadline), mediation (the handling shares, deadline), fulfilment (its day). */
export function mediationMilestones(record: CaseRecord, ctx: { calendar: WorkingDayCalendar; policy: Policy }): MediationMilestone[] {
  const open = openMediation(record);
  if (!open) return [];
  const startMs = ms(open.windowStartedAt);
  const share = (dueMs: number, s: number) => shareReachedAt({ startMs, dueMs }, s, ctx.calendar);
  switch (open.status) {
    case 'referred': {
      const due = ms(open.acceptDueAt);
      const s = ctx.policy.signOffWarningShare;
      return [
        { id: 'accept-warning', at: share(due, s), kind: 'warning', share: s, mediation: true },
        { id: 'accept-deadline', at: due, kind: 'deadline', mediation: true },
      ];
    }
    case 'accepted': {
      const due = ms(open.dueAt);
      return [
        ...ctx.policy.handlingWarningShares.map((s) => ({ id: `mediation-warning-${Math.round(s * 100)}`, at: share(due, s), kind: 'warning' as const, share: s, mediation: true as const })),
        { id: 'mediation-deadline', at: due, kind: 'deadline', mediation: true },
      ];
    }
    default:
      // Agreed: the body records the fulfilment by the agreed day; past it, it is told each day it is late.
      return [{ id: 'fulfilment-deadline', at: ms(open.dueAt), kind: 'deadline', mediation: true }];
  }
}

export const isMediationMilestoneFired = (record: CaseRecord, id: string): boolean => openMediation(record)?.firedMilestones.includes(id) ?? true;

/** The open referral's current due instant (for urges and alerts). */
export const mediationDue = (record: CaseRecord): string | undefined => {
  const open = openMediation(record);
  return open ? (open.status === 'referred' ? open.acceptDueAt : open.dueAt) : undefined;
};

function setOpen(step: MediationStep, change: (m: Mediation) => Mediation): Mediation {
  const list = step.record.mediations ?? [];
  const updated = change(list[list.length - 1]);
  step.record = { ...step.record, mediations: [...list.slice(0, -1), updated] };
  return updated;
}

const phaseWord = (status: Mediation['status']) => (status === 'referred' ? 'accept' : status === 'accepted' ? 'mediate' : 'fulfil');

/** A warning or a deadline of the open referral: the body is told; at a deadline, red, a supervision record and a new window of the same length. */
export function fireMediationMilestone(step: MediationStep, milestone: MediationMilestone): void {
  const open = openMediation(step.record)!;
  const phase = phaseWord(open.status);
  const dueAt = mediationDue(step.record);
  const fired = [...open.firedMilestones, milestone.id];
  if (milestone.kind === 'warning') {
    const light = open.light === 'red' ? 'red' : (milestone.share ?? 0) >= step.ctx.policy.yellowShare ? 'yellow' : open.light;
    setOpen(step, (m) => ({ ...m, firedMilestones: fired, light }));
    step.record = { ...step.record, light: step.record.light === 'red' ? 'red' : light };
    step.alert('MEDIATION_WARNING', { percent: Math.round((milestone.share ?? 0) * 100), phase, body: open.body }, dueAt, open.body);
    return;
  }
  const now = step.ctx.nowMs;
  step.alert('MEDIATION_OVERDUE', { phase, body: open.body }, dueAt, open.body);
  if (phase !== 'fulfil') step.supervisionRecord('mediation-overdue', { body: open.body, phase });
  const category = categoryById(step.record.category);
  // The clock never stops: acceptance gets the sign-off window again, mediation the category's window, fulfilment a sign-off window to record it.
  const length = phase === 'mediate' ? category.handlingWorkingDays : category.signOffWorkingDays;
  const due = iso(step.ctx.calendar.addWorkingDays(now, length));
  const updated = setOpen(step, (m) => ({
    ...m,
    ...(phase === 'accept' ? { acceptDueAt: due } : { dueAt: due }),
    windowStartedAt: iso(now),
    firedMilestones: [],
    light: 'red',
    breaches: m.breaches + (phase === 'fulfil' ? 0 : 1),
  }));
  step.record = { ...step.record, light: 'red' };
  step.event('MEDIATION_WINDOW_REOPENED', { unit: updated.body, data: { phase, dueAt: due, body: updated.body } });
}

/** The holder gets the case back: a new handling window, or a sign-off window if it never signed it off (referred at intake). */
function backToHolder(step: MediationStep, why: string): void {
  const { calendar, policy, nowMs } = step.ctx;
  const record = step.record;
  const windows =
    record.tier === 0
      ? { signOff: categoryById(record.category).signOffWorkingDays, handling: categoryById(record.category).handlingWorkingDays }
      : { signOff: policy.tiers[String(record.tier) as '1' | '2' | '3'].signOffWorkingDays, handling: policy.tiers[String(record.tier) as '1' | '2' | '3'].handlingWorkingDays };
  const signedOff = record.signedOffAt !== undefined;
  if (signedOff) {
    step.record = { ...record, status: 'in-progress', light: 'green', windowStartedAt: iso(nowMs), resolveDueAt: iso(calendar.addWorkingDays(nowMs, windows.handling)), firedMilestones: [] };
  } else {
    const signOffDue = calendar.addWorkingDays(nowMs, windows.signOff);
    step.record = {
      ...record,
      status: 'awaiting-sign-off',
      light: 'green',
      windowStartedAt: iso(nowMs),
      signOffDueAt: iso(signOffDue),
      resolveDueAt: iso(calendar.addWorkingDays(signOffDue, windows.handling)),
      firedMilestones: [],
    };
  }
  setOpen(step, (m) => ({ ...m, endedAt: iso(nowMs), firedMilestones: [] }));
  step.event('MEDIATION_BACK_TO_HOLDER', { data: { why, dueAt: signedOff ? step.record.resolveDueAt : step.record.signOffDueAt, signedOff } });
}

type Actor = { unit: string; role: string; sub?: string; name?: string };

/** Applies a mediation signal the workflow has checked; answers the step's outcome word. */
export function applyMediationSignal(step: MediationStep, signal: MediationSignal, actor: Actor): string {
  const { calendar, nowMs } = step.ctx;
  const now = iso(nowMs);
  const category = categoryById(step.record.category);
  switch (signal.action) {
    case 'refer-mediation': {
      const acceptDue = calendar.addWorkingDays(nowMs, category.signOffWorkingDays);
      const referral: Mediation = {
        body: signal.body,
        referredBy: signal.by.unit,
        referredAt: now,
        note: signal.note,
        status: 'referred',
        windowStartedAt: now,
        acceptDueAt: iso(acceptDue),
        dueAt: iso(calendar.addWorkingDays(acceptDue, category.handlingWorkingDays)),
        light: 'green',
        firedMilestones: [],
        breaches: 0,
        sessions: [],
      };
      step.record = {
        ...step.record,
        light: 'green',
        mediations: [...(step.record.mediations ?? []), referral],
        involvedUnits: [...new Set([...step.record.involvedUnits, signal.body])],
      };
      step.event('MEDIATION_REFERRED', { actor, unit: signal.body, note: signal.note, data: { body: signal.body, acceptDueAt: referral.acceptDueAt, referredBy: signal.by.unit } });
      return 'mediation-referred';
    }
    case 'mediation-accept': {
      const due = iso(calendar.addWorkingDays(nowMs, category.handlingWorkingDays));
      const m = setOpen(step, (m) => ({ ...m, status: 'accepted', acceptedAt: now, windowStartedAt: now, dueAt: due, firedMilestones: [], light: m.light === 'red' ? 'red' : 'green' }));
      step.event('MEDIATION_ACCEPTED', { actor, unit: m.body, ...(signal.note ? { note: signal.note } : {}), data: { body: m.body, dueAt: due } });
      return 'mediation-accepted';
    }
    case 'mediation-decline': {
      const m = setOpen(step, (m) => ({ ...m, status: 'declined', declined: { reason: signal.reason, at: now } }));
      step.event('MEDIATION_DECLINED', { actor, unit: m.body, note: signal.reason, data: { body: m.body } });
      backToHolder(step, 'declined');
      return 'mediation-declined';
    }
    case 'mediation-session': {
      const session = { at: signal.at, record: signal.record, participants: signal.participants, ...(signal.place ? { place: signal.place } : {}), recordedAt: now };
      const m = setOpen(step, (m) => ({ ...m, sessions: [...m.sessions, session] }));
      step.event('MEDIATION_SESSION', { actor, unit: m.body, data: { body: m.body, sessionAt: signal.at, number: m.sessions.length, participants: signal.participants.length } });
      return 'mediation-session';
    }
    case 'mediation-outcome': {
      const open = lastMediation(step.record)!;
      const onTime = nowMs <= ms(open.dueAt) && open.breaches === 0;
      if (signal.result === 'agreement') {
        const performBy = performByOf(signal);
        const reportedTo = agreementRecipients(step.record, open.body, step.ctx.directory);
        const m = setOpen(step, (m) => ({
          ...m,
          status: 'agreed',
          concludedOnTime: onTime,
          agreement: { terms: signal.terms!, amounts: signal.amounts ?? [], performBy, signed: true, signedAt: signal.signedAt!, at: now, reportedTo },
          // Now the clock is the fulfilment's: the agreed day.
          windowStartedAt: now,
          dueAt: iso(endOfShanghaiDayMs(performBy)),
          firedMilestones: [],
          light: 'green',
        }));
        step.record = { ...step.record, light: 'green' };
        step.event('MEDIATION_AGREEMENT', {
          actor,
          unit: m.body,
          note: signal.terms,
          data: { body: m.body, onTime, totalYuan: totalYuan(m.agreement), performBy, units: reportedTo.join(','), signedAt: signal.signedAt! },
        });
        return 'mediation-agreement';
      }
      const m = setOpen(step, (m) => ({ ...m, status: 'failed', concludedOnTime: onTime, failure: { reason: signal.reason!, advice: signal.advice!, at: now } }));
      step.event('MEDIATION_FAILED', { actor, unit: m.body, note: signal.reason, data: { body: m.body, advice: signal.advice!, onTime } });
      backToHolder(step, 'failed');
      return 'mediation-failed';
    }
    case 'mediation-fulfilment': {
      const open = lastMediation(step.record)!;
      const onTime = nowMs <= ms(open.dueAt);
      const m = setOpen(step, (m) => ({ ...m, status: signal.fulfilled ? 'fulfilled' : 'unfulfilled', fulfilment: { fulfilled: signal.fulfilled, note: signal.note, at: now, onTime } }));
      step.event(signal.fulfilled ? 'MEDIATION_FULFILLED' : 'MEDIATION_NOT_FULFILLED', { actor, unit: m.body, note: signal.note, data: { body: m.body, onTime } });
      if (!signal.fulfilled) step.alert('MEDIATION_UNFULFILLED', { body: m.body, note: signal.note }, undefined, step.record.assignedUnit);
      backToHolder(step, signal.fulfilled ? 'fulfilled' : 'unfulfilled');
      return signal.fulfilled ? 'mediation-fulfilled' : 'mediation-unfulfilled';
    }
  }
}
