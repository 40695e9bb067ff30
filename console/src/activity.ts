import { paceAt, type Pace } from './backoff';

/**
 * When the person last used the page (a pointer, a key, the wheel, a touch): a board nobody
 * touches backs off, and is back to its pace at the first touch.
 */
let lastInputMs = Date.now();
const listeners = new Set<() => void>();

function noteInput(): void {
  const wasIdle = paceAt(lastInputMs, Date.now()) === 'idle';
  lastInputMs = Date.now();
  if (wasIdle) for (const listener of [...listeners]) listener();
}

for (const type of ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const) {
  addEventListener(type, noteInput, { passive: true, capture: true });
}

export const currentPace = (): Pace => paceAt(lastInputMs, Date.now());

/** Called when someone comes back to a page nobody had used for a while. */
export function onBackFromIdle(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
