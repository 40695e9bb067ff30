/**
 * The monthly assessment (考核通报) as pure functions over case records.
 *
 * A report is built in two steps:
 *  1. every case adds its contribution to a *partial result* — integer counts per scope
 *     (city, district, tier, category, first-handler unit) and per-category histograms of the
 *     time to a result. Partials of disjoint sets of cases, measured at the same cutoff, add up:
 *     segments fold into a month, months into a period, in any order and any grouping;
 *  2. the partial is *rendered*: rates, percentiles, composite scores and the ranking are
 *     derived from the integers only at the end, so nothing is rounded twice.
 *
 * Nothing here reads a case's timeline: the record's own timestamps and the lifetime counts
 * the workflow keeps in `metrics` are enough. docs/assessment.md defines each score.
 */
import { CATEGORIES, type Category } from './categories';
import { type CaseRecord, type Holding } from './case';
import { type WorkingDayCalendar } from './calendar';
import { DEFAULT_YELLOW_SHARE, lightOf } from './light';
import { type UnitDirectory } from './directory';
import { toShanghaiIso } from './calendar';
import { ratingThatCounts } from './ratings';

/* ---------- what a report reads of a case ---------- */

/** The fields of a case record the assessment reads; nothing personal, no free text. */
export const ASSESSED_FIELDS = [
  'id',
  'createdAt',
  'category',
  'originUnit',
  'district',
  'assignedUnit',
  'firstHandlerUnit',
  'tier',
  'status',
  'light',
  'windowStartedAt',
  'signOffDueAt',
  'signedOffAt',
  'resolveDueAt',
  'evaluationDueAt',
  'reRouteDueAt',
  'closedAt',
  'closedReason',
  'evaluation',
  'complainantEvaluation',
  'followUp',
  'metrics',
  'holdings',
] as const satisfies readonly (keyof CaseRecord)[];

export type AssessedCase = Pick<CaseRecord, (typeof ASSESSED_FIELDS)[number]>;

/* ---------- counts ---------- */

/**
 * Every count a scope carries, in the order reports and CSV columns list them. All are
 * integers and all are additive: the count of a union of disjoint case sets is the sum.
 */
export const COUNT_FIELDS = [
  'received',
  'routed',
  'signedOffOnTime',
  'signOffPending',
  'lateSignOffs',
  'resolved',
  'resolvedInCommunity',
  'resolvedOnTime',
  'handlingBreaches',
  'warnings',
  'urges',
  'extensionsRequested',
  'extensionsApproved',
  'returns',
  'escalations',
  'reachedDistrictOffice',
  'reachedCityOffice',
  'reachedJointConference',
  'satisfied',
  'unsatisfied',
  'notImplemented',
  'notEvaluated',
  'awaitingEvaluation',
  'unsatisfiedRatings',
  /** Times a closed case was reopened (by the complainant, the originating community or the supervisor): for a unit, the reopenings it received. */
  'reopened',
  'openAtEnd',
  'redAtEnd',
  /** Co-handling parts a unit was asked for, and those it answered inside its window (unit scopes only). */
  'coHandlingParts',
  'coHandlingRepliedOnTime',
] as const;

export type CountField = (typeof COUNT_FIELDS)[number];
export type Counts = Record<CountField, number>;

export function emptyCounts(): Counts {
  const counts = {} as Counts;
  for (const field of COUNT_FIELDS) counts[field] = 0;
  return counts;
}

export function addCounts(target: Counts, source: Counts): Counts {
  // A partial stored before a count existed (`reopened`) lacks it: none, not NaN.
  for (const field of COUNT_FIELDS) target[field] = (target[field] ?? 0) + (source[field] ?? 0);
  return target;
}

/** Handling time is kept in tenths of a working day: 0.1 × 24 h = 2.4 h. */
export const HANDLING_BIN_MS = 8_640_000;
export const HANDLING_BINS_PER_DAY = 10;

export interface AssessOptions {
  readonly calendar: WorkingDayCalendar;
  /** Share of a window after which the light turns yellow (the policy's yellowShare). */
  readonly yellowShare?: number;
}

/** What one case adds to every scope it belongs to. */
export interface CaseContribution {
  readonly counts: Counts;
  /** Tenths of a working day from intake to the first result (rounded up); only when resolved by the cutoff. */
  readonly handlingBin?: number;
}

const parse = (iso: string | undefined): number => (iso === undefined ? Number.NaN : Date.parse(iso));

/** The due time of the step the case is in (sign-off, handling, evaluation, re-routing). */
function dueOfCurrentStep(c: AssessedCase): string | undefined {
  switch (c.status) {
    case 'awaiting-sign-off':
      return c.signOffDueAt;
    case 'in-progress':
      return c.resolveDueAt;
    case 'awaiting-evaluation':
      return c.evaluationDueAt;
    case 'returned':
      return c.reRouteDueAt;
    default:
      return undefined;
  }
}

/**
 * Whether an open case showed red just before the cutoff. Known when the case is still in the
 * step it was in then (its window started before the cutoff): red if the step was past due, or
 * was reopened red after a breach (the workflow turns a case red only when a window starts).
 * A case that has moved to another step since the cutoff is not counted red: the light of the
 * step it left is not on the record.
 */
export function redJustBefore(c: AssessedCase, cutoffMs: number, options: AssessOptions): boolean {
  const startMs = parse(c.windowStartedAt);
  if (!(startMs < cutoffMs)) return false;
  if (c.light === 'red') return true;
  const dueMs = parse(dueOfCurrentStep(c));
  if (Number.isNaN(dueMs)) return false;
  return lightOf({ startMs, dueMs }, cutoffMs - 1, options.calendar, options.yellowShare ?? DEFAULT_YELLOW_SHARE) === 'red';
}

/**
 * How a resolved case stands with its evaluation at the cutoff: rated (by the rating that counts,
 * domain/ratings.ts: the complainant's in time, else the community's for a routed case, else the
 * follow-up call's for a kept one), not evaluated in time, or still waiting.
 */
function countEvaluation(c: AssessedCase, before: (iso: string | undefined) => boolean, counts: Counts): void {
  const counted = ratingThatCounts(c, before);
  // Closed unrated: the community's rating of an earlier result does not rate the last one; the complainant's or a follow-up call after the close does.
  if (c.closedReason === 'not-evaluated' && before(c.closedAt) && (!counted || counted.source === 'community')) counts.notEvaluated = 1;
  else if (counted) {
    if (counted.rating === 'satisfied') counts.satisfied = 1;
    else if (counted.rating === 'unsatisfied') counts.unsatisfied = 1;
    else counts.notImplemented = 1;
  } else counts.awaitingEvaluation = 1;
}

/** One case's contribution at the cutoff: facts stamped before `cutoffMs` count, later ones do not. */
export function assessCase(c: AssessedCase, cutoffMs: number, options: AssessOptions): CaseContribution {
  const before = (iso: string | undefined) => parse(iso) < cutoffMs;
  const m = c.metrics;
  const counts = emptyCounts();
  counts.received = 1;

  // Sign-off (签收): only a case routed to another unit needs one; a community that keeps a case signs it at intake.
  if (c.firstHandlerUnit !== c.originUnit) {
    counts.routed = 1;
    if (m.signOffBreaches === 0) {
      if (before(c.signedOffAt)) counts.signedOffOnTime = 1;
      else counts.signOffPending = 1;
    }
  }
  counts.lateSignOffs = m.signOffBreaches;

  // Result (办结) and its evaluation.
  let handlingBin: number | undefined;
  if (before(m.firstResolvedAt)) {
    counts.resolved = 1;
    if (m.resolvedInCommunity) counts.resolvedInCommunity = 1;
    // On time: the first result came inside its window, and no handling window of the case was ever breached.
    if (m.resolvedOnTime && m.handlingBreaches === 0) counts.resolvedOnTime = 1;
    countEvaluation(c, before, counts);
    const workingMs = options.calendar.workingMsBetween(parse(c.createdAt), parse(m.firstResolvedAt));
    handlingBin = Math.ceil(workingMs / HANDLING_BIN_MS);
  }

  // Lifetime counts the workflow keeps on the case.
  counts.handlingBreaches = m.handlingBreaches;
  counts.warnings = m.warnings;
  counts.urges = m.urges;
  counts.extensionsRequested = m.extensionsRequested;
  counts.extensionsApproved = m.extensionsApproved;
  counts.returns = m.returns;
  counts.escalations = m.escalations;
  counts.unsatisfiedRatings = m.unsatisfied;
  counts.reopened = (c.holdings ?? []).filter((h) => h.reopened && before(h.from)).length || (c.holdings ? 0 : (m.reopened ?? 0));
  if (m.maxTier >= 1) counts.reachedDistrictOffice = 1;
  if (m.maxTier >= 2) counts.reachedCityOffice = 1;
  if (m.maxTier >= 3) counts.reachedJointConference = 1;

  // Still open when the period ended, and red then.
  if (!before(c.closedAt)) {
    counts.openAtEnd = 1;
    if (redJustBefore(c, cutoffMs, options)) counts.redAtEnd = 1;
  }
  return handlingBin === undefined ? { counts } : { counts, handlingBin };
}

/**
 * What one case adds to each unit that took part in it, from the parts the workflow recorded
 * (首办负责 credits the unit that acted): a unit counts the case as received unless it only
 * returned it and the supervisor agreed (reassigned it elsewhere); its own sign-offs, breaches,
 * escalations and returns; the result if it reported it, and the evaluation if its result was
 * the last; a co-handler its parts. Case-wide counts (warnings, urges, extensions) go to the unit
 * holding the case last, how high it climbed to the first handler, and an open case to its holder.
 * A case recorded before parts were kept counts whole for its first handler.
 */
export function unitContributions(c: AssessedCase, cutoffMs: number, options: AssessOptions, whole?: Counts): Record<string, Counts> {
  const holdings = (c.holdings ?? []).filter((h) => parse(h.from) < cutoffMs);
  if (holdings.length === 0) return { [c.firstHandlerUnit]: whole ?? assessCase(c, cutoffMs, options).counts };
  const before = (iso: string | undefined) => parse(iso) < cutoffMs;
  const ended = (h: Holding) => (h.ended && before(h.ended.at) ? h.ended : undefined);
  const out: Record<string, Counts> = {};
  const countsOf = (unit: string) => (out[unit] ??= emptyCounts());

  for (const h of holdings.filter((h) => h.role === 'co-handler')) {
    const counts = countsOf(h.unit);
    counts.coHandlingParts += 1;
    counts.lateSignOffs += h.signOffBreaches;
    if (ended(h)?.how === 'replied' && ended(h)?.onTime) counts.coHandlingRepliedOnTime += 1;
  }

  const holders = holdings.filter((h) => h.role === 'holder');
  const lastResolved = holders.findLast((h) => ended(h)?.how === 'resolved');
  const m = c.metrics;
  for (const unit of new Set(holders.map((h) => h.unit))) {
    const parts = holders.filter((h) => h.unit === unit);
    const counts = countsOf(unit);
    const rightlyReturned = parts.every((h) => ended(h)?.how === 'returned' && !ended(h)?.wrong);
    if (!rightlyReturned) counts.received = 1;
    // A part answers the sign-off by signing off or by returning the case; a part the supervisor took away before either is not the unit's to answer.
    const answered = (h: Holding) => before(h.signedOffAt) || ended(h)?.how === 'returned';
    const needingSignOff = parts.filter((h) => h.needsSignOff && (answered(h) || h.signOffBreaches > 0 || ended(h)?.how !== 'reassigned'));
    if (needingSignOff.length > 0) {
      counts.routed = 1;
      const late = needingSignOff.reduce((sum, h) => sum + h.signOffBreaches, 0);
      counts.lateSignOffs += late;
      if (late === 0) {
        if (needingSignOff.every(answered)) counts.signedOffOnTime = 1;
        else counts.signOffPending = 1;
      }
    }
    counts.handlingBreaches = parts.reduce((sum, h) => sum + h.handlingBreaches, 0);
    counts.escalations = parts.filter((h) => ended(h)?.how === 'escalated').length;
    counts.returns = parts.filter((h) => ended(h)?.how === 'returned').length;
    // A reopening sends the case back to the unit that reported the last result: it counts against that unit.
    counts.reopened = parts.filter((h) => h.reopened).length;
    const results = parts.filter((h) => ended(h)?.how === 'resolved');
    if (results.length > 0) {
      counts.resolved = 1;
      if (unit === c.originUnit) counts.resolvedInCommunity = 1;
      if (results[0].ended?.onTime && results[0].handlingBreaches === 0) counts.resolvedOnTime = 1;
    }
    if (lastResolved?.unit === unit) {
      countEvaluation(c, before, counts);
      counts.unsatisfiedRatings = m.unsatisfied;
    }
  }

  const lastHolder = holders[holders.length - 1];
  if (lastHolder) {
    const counts = countsOf(lastHolder.unit);
    counts.warnings = m.warnings;
    counts.urges = m.urges;
    counts.extensionsRequested = m.extensionsRequested;
    counts.extensionsApproved = m.extensionsApproved;
  }
  const first = countsOf(holders[0]?.unit ?? c.firstHandlerUnit);
  if (m.maxTier >= 1) first.reachedDistrictOffice = 1;
  if (m.maxTier >= 2) first.reachedCityOffice = 1;
  if (m.maxTier >= 3) first.reachedJointConference = 1;
  if (!before(c.closedAt)) {
    const holder = countsOf(c.assignedUnit);
    holder.openAtEnd = 1;
    if (redJustBefore(c, cutoffMs, options)) holder.redAtEnd = 1;
  }
  return out;
}

/* ---------- partial results ---------- */

/** Sparse histogram: bin (tenths of a working day, as a string key) → number of cases. */
export type Histogram = Record<string, number>;

export interface AssessmentPartial {
  readonly format: 'assessment-partial/1';
  /** The months whose cases were folded in (sorted, without repeats). */
  months: string[];
  /** The cutoff, ISO 8601 with +08:00: facts stamped before it count. */
  readonly cutoff: string;
  /** Cases folded in. */
  cases: number;
  city: Counts;
  /** By unit, for the part each unit took in each case (unitContributions). */
  units: Record<string, Counts>;
  /** By the originating community's district. */
  districts: Record<string, Counts>;
  /** By the highest tier the case reached (0–3). */
  tiers: Record<string, Counts>;
  categories: Record<string, Counts>;
  /** Time from intake to the first result, by category. */
  handlingTime: Record<string, Histogram>;
}

export function emptyPartial(months: readonly string[], cutoffMs: number): AssessmentPartial {
  return {
    format: 'assessment-partial/1',
    months: [...new Set(months)].sort(),
    cutoff: toShanghaiIso(cutoffMs),
    cases: 0,
    city: emptyCounts(),
    units: {},
    districts: {},
    tiers: {},
    categories: {},
    handlingTime: {},
  };
}

export const cutoffMsOf = (partial: Pick<AssessmentPartial, 'cutoff'>): number => Date.parse(partial.cutoff);

const scope = (map: Record<string, Counts>, key: string): Counts => (map[key] ??= emptyCounts());

/** Adds one case to the partial (in place) and returns the partial. */
export function addCase(partial: AssessmentPartial, c: AssessedCase, options: AssessOptions): AssessmentPartial {
  const { counts, handlingBin } = assessCase(c, cutoffMsOf(partial), options);
  partial.cases += 1;
  addCounts(partial.city, counts);
  for (const [unit, unitCounts] of Object.entries(unitContributions(c, cutoffMsOf(partial), options, counts))) addCounts(scope(partial.units, unit), unitCounts);
  addCounts(scope(partial.districts, c.district), counts);
  addCounts(scope(partial.tiers, String(c.metrics.maxTier)), counts);
  addCounts(scope(partial.categories, c.category), counts);
  if (handlingBin !== undefined) {
    const histogram = (partial.handlingTime[c.category] ??= {});
    histogram[handlingBin] = (histogram[handlingBin] ?? 0) + 1;
  }
  return partial;
}

function mergeScopes(target: Record<string, Counts>, source: Record<string, Counts>): void {
  for (const [key, counts] of Object.entries(source)) addCounts(scope(target, key), counts);
}

/** Adds `source` into `target` (in place). Both must be measured at the same cutoff. */
export function mergeInto(target: AssessmentPartial, source: AssessmentPartial): AssessmentPartial {
  if (target.cutoff !== source.cutoff) {
    throw new RangeError(`partials measured at different cutoffs cannot be added: ${target.cutoff} and ${source.cutoff}`);
  }
  target.months = [...new Set([...target.months, ...source.months])].sort();
  target.cases += source.cases;
  addCounts(target.city, source.city);
  mergeScopes(target.units, source.units);
  mergeScopes(target.districts, source.districts);
  mergeScopes(target.tiers, source.tiers);
  mergeScopes(target.categories, source.categories);
  for (const [category, histogram] of Object.entries(source.handlingTime)) {
    const into = (target.handlingTime[category] ??= {});
    for (const [bin, count] of Object.entries(histogram)) into[bin] = (into[bin] ?? 0) + count;
  }
  return target;
}

/** The sum of partials of disjoint case sets measured at one cutoff; the inputs are not changed. */
export function foldPartials(partials: readonly AssessmentPartial[]): AssessmentPartial {
  if (partials.length === 0) throw new RangeError('nothing to fold');
  const total = emptyPartial([], cutoffMsOf(partials[0]));
  for (const partial of partials) mergeInto(total, partial);
  return total;
}

/* ---------- rates and rounding ---------- */

/**
 * n / d as a percentage, rounded half-up to two decimals, computed from the integers (no
 * floating-point step before the rounding); null when d is 0.
 */
export function percent(n: number, d: number): number | null {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || n < 0 || d < 0) {
    throw new RangeError(`percent needs non-negative integers, got ${n} / ${d}`);
  }
  if (d === 0) return null;
  const big = (BigInt(n) * 20_000n + BigInt(d)) / (2n * BigInt(d));
  return Number(big) / 100;
}

export interface Rates {
  /** 及时签收率: routed cases signed off with no breach / routed cases whose sign-off is settled. */
  readonly signOffOnTime: number | null;
  /** 办结率: resolved / received. */
  readonly resolution: number | null;
  /** Resolved in the community / resolved. */
  readonly resolvedInCommunity: number | null;
  /** 按时办结率: first result inside its window, with no handling breach / resolved. */
  readonly onTimeResolution: number | null;
  /** 满意率: satisfied / resolved. */
  readonly satisfaction: number | null;
}

export function ratesOf(c: Counts): Rates {
  return {
    signOffOnTime: percent(c.signedOffOnTime, c.routed - c.signOffPending),
    resolution: percent(c.resolved, c.received),
    resolvedInCommunity: percent(c.resolvedInCommunity, c.resolved),
    onTimeResolution: percent(c.resolvedOnTime, c.resolved),
    satisfaction: percent(c.satisfied, c.resolved),
  };
}

/* ---------- handling time ---------- */

/** Nearest-rank percentile of a histogram, in working days (a bin's upper edge); null when empty. */
export function histogramPercentile(histogram: Histogram, percentile: number): number | null {
  if (!Number.isInteger(percentile) || percentile < 1 || percentile > 100) throw new RangeError(`percentile must be 1–100, got ${percentile}`);
  const bins = Object.entries(histogram)
    .map(([bin, count]) => [Number(bin), count] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => a[0] - b[0]);
  const n = bins.reduce((sum, [, count]) => sum + count, 0);
  if (n === 0) return null;
  // The rank of the nearest-rank percentile: ceil(p × n / 100), in integers.
  const rank = Math.floor((percentile * n + 99) / 100);
  let seen = 0;
  for (const [bin, count] of bins) {
    seen += count;
    if (seen >= rank) return bin / HANDLING_BINS_PER_DAY;
  }
  return bins[bins.length - 1][0] / HANDLING_BINS_PER_DAY;
}

export const histogramCount = (histogram: Histogram): number => Object.values(histogram).reduce((sum, count) => sum + count, 0);

/** Cases whose time to a result was at most `workingDays`. */
export function histogramAtMost(histogram: Histogram, workingDays: number): number {
  const limit = Math.round(workingDays * HANDLING_BINS_PER_DAY);
  let within = 0;
  for (const [bin, count] of Object.entries(histogram)) if (Number(bin) <= limit) within += count;
  return within;
}

export function mergeHistograms(histograms: readonly Histogram[]): Histogram {
  const merged: Histogram = {};
  for (const histogram of histograms) for (const [bin, count] of Object.entries(histogram)) merged[bin] = (merged[bin] ?? 0) + count;
  return merged;
}

export interface HandlingTime {
  /** Resolved cases measured. */
  readonly resolved: number;
  /** The category's tier-0 window end to end: sign-off plus handling, in working days. */
  readonly windowWorkingDays: number | null;
  readonly medianWorkingDays: number | null;
  readonly p90WorkingDays: number | null;
  /** Resolved within the window. */
  readonly withinWindow: number | null;
}

export function handlingTimeOf(histogram: Histogram, category: Category | undefined): HandlingTime {
  const window = category ? Math.round((category.signOffWorkingDays + category.handlingWorkingDays) * HANDLING_BINS_PER_DAY) / HANDLING_BINS_PER_DAY : null;
  return {
    resolved: histogramCount(histogram),
    windowWorkingDays: window,
    medianWorkingDays: histogramPercentile(histogram, 50),
    p90WorkingDays: histogramPercentile(histogram, 90),
    withinWindow: window === null ? null : histogramAtMost(histogram, window),
  };
}

/* ---------- composite score and ranking ---------- */

/** The weights of the composite score (points out of 100) and the breach deduction. */
export const COMPOSITE = {
  response: 30,
  resolution: 35,
  satisfaction: 35,
  /** At most this many points are deducted for breaches. */
  deductionCap: 20,
  /** Breach points per case: a late sign-off counts 1, a handling breach 2. */
  lateSignOffWeight: 1,
  handlingBreachWeight: 2,
} as const;

/** An exact non-negative fraction. */
type Fraction = readonly [bigint, bigint];
const frac = (n: number, d: number): Fraction => [BigInt(n), BigInt(d)];
const times = ([n, d]: Fraction, k: number): Fraction => [n * BigInt(k), d];
const plus = ([a, b]: Fraction, [c, d]: Fraction): Fraction => [a * d + c * b, b * d];
const minus = ([a, b]: Fraction, [c, d]: Fraction): Fraction => [a * d - c * b, b * d];
const compare = ([a, b]: Fraction, [c, d]: Fraction): number => {
  const left = a * d;
  const right = c * b;
  return left < right ? -1 : left > right ? 1 : 0;
};
/** Rounded half-up to two decimals (negative values are clamped to 0 first). */
function hundredths([n, d]: Fraction): number {
  if (n <= 0n) return 0;
  return Number((n * 200n + d) / (2n * d)) / 100;
}

export interface CompositeScore {
  /** Points out of 100, two decimals, half-up, from the exact value. */
  readonly score: number;
  readonly response: number;
  readonly resolution: number;
  readonly satisfaction: number;
  readonly deduction: number;
}

interface ExactScore {
  readonly score: Fraction;
  readonly resolutionShare: Fraction;
  readonly shown: CompositeScore;
}

function exactScore(c: Counts): ExactScore | undefined {
  if (c.received === 0) return undefined;
  const settledSignOffs = c.routed - c.signOffPending;
  // A unit with no sign-off to make (a community keeping its cases) signs off at intake: full marks.
  const responseShare = settledSignOffs === 0 ? frac(1, 1) : frac(c.signedOffOnTime, settledSignOffs);
  const resolutionShare = frac(c.resolved, c.received);
  const satisfactionShare = c.resolved === 0 ? frac(0, 1) : frac(c.satisfied, c.resolved);
  const breachPoints = COMPOSITE.lateSignOffWeight * c.lateSignOffs + COMPOSITE.handlingBreachWeight * c.handlingBreaches;
  const uncapped = frac(COMPOSITE.deductionCap * breachPoints, c.received);
  const cap = frac(COMPOSITE.deductionCap, 1);
  const deduction = compare(uncapped, cap) > 0 ? cap : uncapped;
  const response = times(responseShare, COMPOSITE.response);
  const resolution = times(resolutionShare, COMPOSITE.resolution);
  const satisfaction = times(satisfactionShare, COMPOSITE.satisfaction);
  let score = minus(plus(plus(response, resolution), satisfaction), deduction);
  if (score[0] < 0n) score = frac(0, 1);
  return {
    score,
    resolutionShare,
    shown: {
      score: hundredths(score),
      response: hundredths(response),
      resolution: hundredths(resolution),
      satisfaction: hundredths(satisfaction),
      deduction: hundredths(deduction),
    },
  };
}

export function compositeScore(c: Counts): CompositeScore | undefined {
  return exactScore(c)?.shown;
}

export interface RankedUnit {
  readonly unit: string;
  readonly rank: number;
  readonly composite: CompositeScore;
}

/**
 * Units with at least one case received, best first: by the exact composite score, then the
 * exact resolution rate, then more cases received, then unit id. Ranks are positions 1, 2, 3…
 */
export function rankUnits(units: Record<string, Counts>): RankedUnit[] {
  const scored = Object.entries(units)
    .map(([unit, counts]) => ({ unit, counts, exact: exactScore(counts) }))
    .filter((entry): entry is { unit: string; counts: Counts; exact: ExactScore } => entry.exact !== undefined);
  scored.sort(
    (a, b) =>
      compare(b.exact.score, a.exact.score) ||
      compare(b.exact.resolutionShare, a.exact.resolutionShare) ||
      b.counts.received - a.counts.received ||
      (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0),
  );
  return scored.map((entry, index) => ({ unit: entry.unit, rank: index + 1, composite: entry.exact.shown }));
}

/* ---------- the rendered report ---------- */

export const TIER_NAMES: Record<string, { name: string; nameEn: string }> = {
  '0': { name: '首办单位', nameEn: 'first-handler units (tier 0)' },
  '1': { name: '区综治维稳信访', nameEn: 'district office (tier 1)' },
  '2': { name: '市综治维稳信访', nameEn: 'city office (tier 2)' },
  '3': { name: '联席会议', nameEn: 'joint conference (tier 3)' },
};

export interface Scores extends Counts {
  readonly rates: Rates;
}

export interface UnitScores extends Scores {
  readonly unit: string;
  readonly name: string;
  readonly kind: string;
  readonly district: string | null;
  /** Position in the ranking; absent for a unit with no case in the period. */
  readonly rank?: number;
  /** Position among units of the same kind. */
  readonly rankInKind?: number;
  readonly composite?: CompositeScore;
}

export interface AssessmentReport {
  readonly format: 'assessment-report/1';
  readonly period: { readonly from: string; readonly to: string; readonly months: readonly string[] };
  readonly cutoff: string;
  readonly provisional: boolean;
  readonly cases: number;
  readonly city: Scores & { readonly handlingTime: HandlingTime };
  readonly districts: ReadonlyArray<Scores & { readonly district: string; readonly name: string }>;
  readonly tiers: ReadonlyArray<Scores & { readonly tier: number; readonly name: string }>;
  readonly categories: ReadonlyArray<Scores & { readonly category: string; readonly name: string; readonly handlingTime: HandlingTime }>;
  /** Every unit that first handled a case in the period, best first (units without a case have no score). */
  readonly units: readonly UnitScores[];
}

const scoresOf = (counts: Counts): Scores => ({ ...counts, rates: ratesOf(counts) });

export interface RenderOptions {
  readonly directory: UnitDirectory;
  /** The period the report is about (defaults to the partial's first and last month). */
  readonly from?: string;
  readonly to?: string;
  readonly provisional: boolean;
}

export function renderReport(partial: AssessmentPartial, options: RenderOptions): AssessmentReport {
  const { directory } = options;
  const months = partial.months;
  const from = options.from ?? months[0] ?? '';
  const to = options.to ?? months[months.length - 1] ?? '';

  const ranking = rankUnits(partial.units);
  const kindRank = new Map<string, number>();
  const perKind = new Map<string, number>();
  for (const entry of ranking) {
    const kind = directory.get(entry.unit)?.kind ?? 'unknown';
    const next = (perKind.get(kind) ?? 0) + 1;
    perKind.set(kind, next);
    kindRank.set(entry.unit, next);
  }
  const units: UnitScores[] = ranking.map((entry) => {
    const unit = directory.get(entry.unit);
    return {
      unit: entry.unit,
      name: unit?.name ?? entry.unit,
      kind: unit?.kind ?? 'unknown',
      district: unit?.district ?? null,
      rank: entry.rank,
      rankInKind: kindRank.get(entry.unit),
      composite: entry.composite,
      ...scoresOf(partial.units[entry.unit]),
    };
  });

  const districtNames = new Map(directory.districts().map((d) => [d.id, d.name]));
  const districtIds = [...new Set([...directory.districts().map((d) => d.id), ...Object.keys(partial.districts)])];
  const allHandling = mergeHistograms(Object.values(partial.handlingTime));

  return {
    format: 'assessment-report/1',
    period: { from, to, months },
    cutoff: partial.cutoff,
    provisional: options.provisional,
    cases: partial.cases,
    city: { ...scoresOf(partial.city), handlingTime: handlingTimeOf(allHandling, undefined) },
    districts: districtIds.map((district) => ({
      district,
      name: districtNames.get(district) ?? district,
      ...scoresOf(partial.districts[district] ?? emptyCounts()),
    })),
    tiers: ['0', '1', '2', '3'].map((tier) => ({
      tier: Number(tier),
      name: TIER_NAMES[tier].name,
      ...scoresOf(partial.tiers[tier] ?? emptyCounts()),
    })),
    categories: CATEGORIES.map((category) => ({
      category: category.id,
      name: category.name,
      ...scoresOf(partial.categories[category.id] ?? emptyCounts()),
      handlingTime: handlingTimeOf(partial.handlingTime[category.id] ?? {}, category),
    })),
    units,
  };
}
