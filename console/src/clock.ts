import { config } from './config';
import { createStore } from './store';

/**
 * "Now" as the system sees it. In AWS that is the browser's clock; on the local stack it is
 * the virtual clock (`GET /_local/clock`), which tests and demos move forward at will.
 */
interface ClockReading {
  readonly serverMs: number;
  readonly readAtMs: number;
  readonly scale: number;
}

let reading: ClockReading = { serverMs: Date.now(), readAtMs: Date.now(), scale: 1 };
let virtual = false;
/** Bumped on every reading, so what shows the time can follow it at once. */
export const clockReadings = createStore(0);

export async function syncClock(): Promise<void> {
  const clockUrl = config().local?.clock;
  if (!clockUrl) return;
  try {
    const response = await fetch(clockUrl, { cache: 'no-store' });
    if (!response.ok) return;
    const body = (await response.json()) as { nowMs: number; timeScale: number };
    reading = { serverMs: body.nowMs, readAtMs: Date.now(), scale: body.timeScale };
    virtual = true;
    clockReadings.set(clockReadings.get() + 1);
  } catch {
    // keep the last reading
  }
}

export const nowMs = (): number => reading.serverMs + (Date.now() - reading.readAtMs) * reading.scale;
export const isVirtualClock = (): boolean => virtual;
