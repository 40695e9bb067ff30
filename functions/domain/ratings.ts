/**
 * Whose rating of a result counts, and when a closed case may be reopened (docs/assessment.md,
 * "Ratings", and docs/workflow.md, "Reopening"). Pure.
 *
 * - A result the originating community reported itself (a case it kept) is never rated by that
 *   community: the complainant rates it (with the PIN sent with the result), or the supervision
 *   centre records a follow-up call (回访) with the complainant's answer.
 * - For a result another unit reported, the complainant's rating counts when it came inside the
 *   evaluation window; otherwise the community's.
 * - The satisfaction rate is thus the complainants' wherever they answered, and the community's
 *   only for routed cases the complainant left unrated in time.
 */
import type { CaseRecord, Evaluation, RatingSource } from './case';
import type { Policy } from './policy';

const DAY_MS = 86_400_000;

/** The unit that reported the current result: the one that will be rated. */
export const resultUnit = (record: Pick<CaseRecord, 'resolution' | 'assignedUnit'>): string => record.resolution?.unit ?? record.assignedUnit;

/** Whether the result (or the work, before one) is the originating community's own: the community kept the case. */
export const isOwnResult = (record: Pick<CaseRecord, 'resolution' | 'assignedUnit' | 'originUnit'>): boolean => resultUnit(record) === record.originUnit;

export interface CountedRating {
  readonly rating: Evaluation['rating'];
  readonly source: RatingSource;
  readonly at: string;
}

type Rated = Pick<CaseRecord, 'evaluation' | 'complainantEvaluation' | 'followUp'>;

/**
 * The rating that counts for the case's current result among those given before the cutoff
 * (`before`): the complainant's inside the window, else the community's (which only a routed
 * case can have), else the follow-up call's (which only a kept case can have). None: not rated.
 */
export function ratingThatCounts(c: Rated, before: (iso: string | undefined) => boolean = () => true): CountedRating | undefined {
  const complainant = c.complainantEvaluation;
  if (complainant?.withinWindow && before(complainant.at)) return { rating: complainant.rating, source: 'complainant', at: complainant.at };
  const evaluation = c.evaluation;
  if (evaluation && (evaluation.source ?? 'community') === 'community' && before(evaluation.at)) return { rating: evaluation.rating, source: 'community', at: evaluation.at };
  if (c.followUp && before(c.followUp.at)) return { rating: c.followUp.rating, source: 'follow-up', at: c.followUp.at };
  // The workflow acted on a complainant's or a follow-up's rating that a later result cleared: it still happened.
  if (evaluation && before(evaluation.at)) return { rating: evaluation.rating, source: evaluation.source ?? 'community', at: evaluation.at };
  return undefined;
}

/** The last instant a closed case may be reopened (config/policy.json reopenCalendarDays after it closed). */
export const reopenWindowEndMs = (record: Pick<CaseRecord, 'closedAt'>, policy: Pick<Policy, 'reopenCalendarDays'>): number =>
  Date.parse(record.closedAt ?? '') + policy.reopenCalendarDays * DAY_MS;

/** Whether a closed case is still inside its reopening window at `nowMs`. */
export const withinReopenWindow = (record: Pick<CaseRecord, 'status' | 'closedAt'>, nowMs: number, policy: Pick<Policy, 'reopenCalendarDays'>): boolean =>
  record.status === 'closed' && record.closedAt !== undefined && nowMs <= reopenWindowEndMs(record, policy);
