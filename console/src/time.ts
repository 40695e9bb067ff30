import { defaultCalendar, toShanghaiIso } from '../../functions/domain/calendar';
import type { CaseView } from '../../functions/domain/case';

/**
 * Time left, in working days, with the very calendar the workflow counts with
 * (config/calendar/*.json, bundled): weekends and holidays do not count, make-up days do.
 */
export type DeadlineKey = 'signOffDueAt' | 'resolveDueAt' | 'evaluationDueAt' | 'reRouteDueAt';
export const DEADLINE_KEYS: readonly DeadlineKey[] = ['signOffDueAt', 'resolveDueAt', 'evaluationDueAt', 'reRouteDueAt'];

const ACTIVE_DEADLINE: Record<string, DeadlineKey | undefined> = {
  'awaiting-sign-off': 'signOffDueAt',
  'in-progress': 'resolveDueAt',
  'awaiting-evaluation': 'evaluationDueAt',
  returned: 'reRouteDueAt',
  closed: undefined,
};

/** The deadline whose clock runs now (the one the light measures), if any. */
export function activeDeadline(view: Pick<CaseView, 'status' | DeadlineKey>): { key: DeadlineKey; dueMs: number } | undefined {
  const key = ACTIVE_DEADLINE[view.status];
  const due = key ? view[key] : undefined;
  return key && due ? { key, dueMs: Date.parse(due) } : undefined;
}

/** Working days from now to the deadline; negative once it has passed (working days over). */
export function workingDaysLeft(dueMs: number, nowMs: number): number {
  return nowMs <= dueMs ? defaultCalendar.workingDaysBetween(nowMs, dueMs) : -defaultCalendar.workingDaysBetween(dueMs, nowMs);
}

/** 0.75, 1, 12.5: two decimals at most. */
export const formatDays = (days: number): string => String(Math.round(Math.abs(days) * 100) / 100);

/** '2026-03-09 17:30' in Shanghai time, whatever the browser's zone. */
export function formatInstant(iso: string | number | undefined): string {
  if (iso === undefined) return '—';
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  if (!Number.isFinite(ms)) return String(iso);
  return toShanghaiIso(ms).slice(0, 16).replace('T', ' ');
}

export const shanghaiMonthOf = (ms: number): string => toShanghaiIso(ms).slice(0, 7);
