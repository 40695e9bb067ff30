/**
 * Where handlers read the time. In AWS it is the system clock; the local stack points it at
 * its virtual clock so due dates, lights and report months follow `POST /_local/clock/advance`.
 */
let source: () => number = () => Date.now();

export const now = (): number => source();

export function useClockSource(next: () => number): void {
  source = next;
}
