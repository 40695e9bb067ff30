import type { CaseRecord, TimelineEvent } from './case';
import type { Mediation } from './mediation/model';
import type { Policy } from './policy';

/*
 * Erasing a complainant's personal data from a case: when the retention period after closing has
 * passed, or at once when the supervision centre is asked to. What goes: the complainant (name,
 * phone and address), and what mediation keeps of the parties — the names of the people in its
 * session records (every role) and of the payers and payees of its agreement, which become
 * ERASED_NAME, and those names wherever the mediation's own texts (records, terms, notes,
 * reasons) repeat them. What stays: the case, with everything the assessment needs, and the
 * mediation's history (dates, counts, amounts, outcome) for the statistics. The timeline records
 * the erasure.
 */
export type ErasureReason = 'retention' | 'request';

/** What an erased name reads as, in the case, its documents and its exports. */
export const ERASED_NAME = '（已删除）';

/** Shorter names are not looked for in free text: one character would blot out ordinary words. */
const MIN_NAME_IN_TEXT = 2;

const DAY_MS = 24 * 3600 * 1000;

/** Cases closed at or before this instant have kept personal data long enough. */
export const retentionCutoffMs = (nowMs: number, policy: Pick<Policy, 'personalDataRetentionDays'>): number =>
  nowMs - policy.personalDataRetentionDays * DAY_MS;

export function isPastRetention(record: CaseRecord, nowMs: number, policy: Pick<Policy, 'personalDataRetentionDays'>): boolean {
  return record.status === 'closed' && record.closedAt !== undefined && Date.parse(record.closedAt) <= retentionCutoffMs(nowMs, policy);
}

/** The people's names mediation keeps, not yet erased. */
function mediationNames(mediations: readonly Mediation[]): string[] {
  return mediations
    .flatMap((m) => [...m.sessions.flatMap((s) => s.participants.map((p) => p.name)), ...(m.agreement?.amounts.flatMap((a) => [a.payer, a.payee]) ?? [])])
    .filter((name) => name !== ERASED_NAME);
}

/** Whether the case still holds personal data an erasure would take: its complainant, or a name mediation keeps. */
export function holdsPersonalData(record: Pick<CaseRecord, 'complainant' | 'mediations'>): boolean {
  return record.complainant !== undefined || mediationNames(record.mediations ?? []).length > 0;
}

/** The names to look for in free text, longest first (王强强 before 王强). */
function namesToScrub(mediations: readonly Mediation[], complainantName?: string): string[] {
  return [...new Set([...(complainantName ? [complainantName] : []), ...mediationNames(mediations)].map((name) => name.trim()))]
    .filter((name) => name.length >= MIN_NAME_IN_TEXT && name !== ERASED_NAME)
    .sort((a, b) => b.length - a.length);
}

const scrubber = (names: readonly string[]) => (text: string): string => names.reduce((out, name) => out.split(name).join(ERASED_NAME), text);

/**
 * The referrals without the parties' names: each name by role and each payer and payee becomes
 * ERASED_NAME, and every known name (these, and the complainant's) is replaced in the referrals'
 * free texts. Dates, counts, amounts, statuses and outcomes are untouched.
 */
export function eraseMediationNames(mediations: readonly Mediation[], complainantName?: string): Mediation[] {
  const scrub = scrubber(namesToScrub(mediations, complainantName));
  return mediations.map((m) => ({
    ...m,
    note: scrub(m.note),
    ...(m.declined ? { declined: { ...m.declined, reason: scrub(m.declined.reason) } } : {}),
    sessions: m.sessions.map((s) => ({
      ...s,
      record: scrub(s.record),
      ...(s.place !== undefined ? { place: scrub(s.place) } : {}),
      participants: s.participants.map((p) => ({ ...p, name: ERASED_NAME })),
    })),
    ...(m.agreement
      ? { agreement: { ...m.agreement, terms: scrub(m.agreement.terms), amounts: m.agreement.amounts.map((a) => ({ ...a, payer: ERASED_NAME, payee: ERASED_NAME })) } }
      : {}),
    ...(m.failure ? { failure: { ...m.failure, reason: scrub(m.failure.reason) } } : {}),
    ...(m.fulfilment ? { fulfilment: { ...m.fulfilment, note: scrub(m.fulfilment.note) } } : {}),
  }));
}

/** A timeline event's note as the erasure rewrites it. */
export interface ErasedNote {
  readonly seq: number;
  readonly note: string;
}

export interface Erasure {
  readonly record: CaseRecord;
  readonly event: Omit<TimelineEvent, 'seq'>;
  /** The timeline's notes that repeated a name (a referral's note, an agreement's terms…), without it. */
  readonly notes: readonly ErasedNote[];
}

/**
 * The case without its complainant and without the parties' names in its mediations, the
 * timeline's notes that named them rewritten, and the timeline event saying so; undefined when
 * there is nothing to erase (erasing twice changes nothing).
 */
export function erasePersonalData(
  record: CaseRecord,
  reason: ErasureReason,
  at: string,
  actor?: TimelineEvent['actor'],
  timeline: readonly Pick<TimelineEvent, 'seq' | 'note'>[] = [],
): Erasure | undefined {
  if (!holdsPersonalData(record)) return undefined;
  const { complainant, ...rest } = record;
  const scrub = scrubber(namesToScrub(record.mediations ?? [], complainant?.name));
  const notes = timeline.flatMap((e) => (e.note !== undefined && scrub(e.note) !== e.note ? [{ seq: e.seq, note: scrub(e.note) }] : []));
  return {
    record: record.mediations ? { ...rest, mediations: eraseMediationNames(record.mediations, complainant?.name) } : rest,
    event: { at, type: 'PERSONAL_DATA_ERASED', ...(actor ? { actor } : {}), data: { reason } },
    notes,
  };
}
