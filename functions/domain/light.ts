/**
 * The red-light warning (红灯预警): every step of a case has a window, and its light says how
 * much of that window's working time is used up. Time that is not working time (nights are
 * counted, weekends and holidays are not) does not move the light.
 */
import type { WorkingDayCalendar } from './calendar';

export type Light = 'green' | 'yellow' | 'red';

export const LIGHTS = ['green', 'yellow', 'red'] as const satisfies readonly Light[];

/** The warning fires once three quarters of the window's working time has passed. */
export const DEFAULT_YELLOW_SHARE = 0.75;

export interface Window {
  startMs: number;
  dueMs: number;
}

const SEVERITY: Record<Light, number> = { green: 0, yellow: 1, red: 2 };

/**
 * The instant at which `share` of the window's working time has passed (used for warning
 * timers). Rounded up to the next whole millisecond, so at that instant at least `share` has
 * passed. A window with no working time reaches every share at its start.
 */
export function shareReachedAt(window: Window, share: number, calendar: WorkingDayCalendar): number {
  if (!(share >= 0 && share <= 1)) throw new RangeError(`share must be between 0 and 1, got ${share}`);
  const totalWorkingMs = calendar.workingMsBetween(window.startMs, window.dueMs);
  return calendar.addWorkingMs(window.startMs, Math.ceil(totalWorkingMs * share));
}

/** Green before `yellowShare` of the window's working time has passed, yellow from then, red at or past due. */
export function lightOf(
  window: Window,
  nowMs: number,
  calendar: WorkingDayCalendar,
  yellowShare: number = DEFAULT_YELLOW_SHARE,
): Light {
  if (nowMs >= window.dueMs) return 'red';
  // Comparing instants (not ratios) keeps the light and the warning timer in exact agreement.
  return nowMs >= shareReachedAt(window, yellowShare, calendar) ? 'yellow' : 'green';
}

/** The most severe of the given lights; green when none are given. */
export function worstLight(...lights: Light[]): Light {
  let worst: Light = 'green';
  for (const light of lights) if (SEVERITY[light] > SEVERITY[worst]) worst = light;
  return worst;
}
