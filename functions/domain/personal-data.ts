import type { CaseRecord, TimelineEvent } from './case';
import type { Policy } from './policy';

/*
 * Erasing a complainant's personal data (name, phone and address) from a case: when the retention
 * period after closing has passed, or at once when the supervision centre is asked to. The
 * case itself stays, with everything the assessment needs; its timeline records the erasure.
 */
export type ErasureReason = 'retention' | 'request';

const DAY_MS = 24 * 3600 * 1000;

/** Cases closed at or before this instant have kept personal data long enough. */
export const retentionCutoffMs = (nowMs: number, policy: Pick<Policy, 'personalDataRetentionDays'>): number =>
  nowMs - policy.personalDataRetentionDays * DAY_MS;

export function isPastRetention(record: CaseRecord, nowMs: number, policy: Pick<Policy, 'personalDataRetentionDays'>): boolean {
  return record.status === 'closed' && record.closedAt !== undefined && Date.parse(record.closedAt) <= retentionCutoffMs(nowMs, policy);
}

/**
 * The case without its complainant, and the timeline event saying so; undefined when there is
 * nothing to erase (erasing twice changes nothing).
 */
export function erasePersonalData(
  record: CaseRecord,
  reason: ErasureReason,
  at: string,
  actor?: TimelineEvent['actor'],
): { record: CaseRecord; event: Omit<TimelineEvent, 'seq'> } | undefined {
  if (!record.complainant) return undefined;
  const { complainant: _erased, ...rest } = record;
  return {
    record: rest,
    event: { at, type: 'PERSONAL_DATA_ERASED', ...(actor ? { actor } : {}), data: { reason } },
  };
}
