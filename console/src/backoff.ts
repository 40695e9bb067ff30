/**
 * Seconds to wait before the next look: `baseSeconds` after a change, then twice as long after
 * each look that found nothing new, up to `maxSeconds`. An idle board thus asks about once a
 * minute instead of every few seconds, and is back to its pace as soon as something moves.
 */
export function nextPollDelay(baseSeconds: number, maxSeconds: number, unchangedLooks: number): number {
  const grown = baseSeconds * 2 ** Math.min(Math.max(0, unchangedLooks), 16);
  return Math.max(baseSeconds, Math.min(maxSeconds, grown));
}

/** A person who has not touched the page (pointer, key, wheel, touch) for this long is away: the page may back off. */
export const ACTIVE_WINDOW_MS = 2 * 60_000;

export type Pace = 'active' | 'idle';

/** Whether the page is being used now, from the time of its last input. */
export const paceAt = (lastInputMs: number, nowMs: number, windowMs = ACTIVE_WINDOW_MS): Pace => (nowMs - lastInputMs < windowMs ? 'active' : 'idle');

/**
 * The wait before the next look: while someone uses the page, the base pace; while nobody
 * does, longer after each look that found nothing new (nextPollDelay).
 */
export const delayFor = (pace: Pace, baseSeconds: number, maxSeconds: number, unchangedLooks: number): number =>
  pace === 'active' ? baseSeconds : nextPollDelay(baseSeconds, maxSeconds, unchangedLooks);
