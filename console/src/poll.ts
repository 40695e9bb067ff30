import { useEffect, useRef, useState } from 'preact/hooks';
import { syncClock } from './clock';

export interface Polled<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly loading: boolean;
  readonly updatedAt?: number;
  refresh(): void;
}

/**
 * Loads now and again every `seconds` while the page is open (and visible), re-reading the
 * virtual clock first so lights and time left agree with the server. `key` restarts it.
 */
export function usePolling<T>(load: () => Promise<T>, seconds: number, key: string): Polled<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean; updatedAt?: number }>({ loading: true });
  const loadRef = useRef(load);
  loadRef.current = load;
  const runRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    setState({ loading: true });
    const run = async () => {
      if (running) return;
      running = true;
      clearTimeout(timer);
      try {
        await syncClock();
        const data = await loadRef.current();
        if (live) setState({ data, loading: false, updatedAt: Date.now() });
      } catch (error) {
        if (live) setState((previous) => ({ ...previous, error, loading: false }));
      } finally {
        running = false;
        if (live) timer = setTimeout(tick, seconds * 1000);
      }
    };
    const tick = () => {
      if (document.visibilityState === 'hidden') timer = setTimeout(tick, seconds * 1000);
      else void run();
    };
    runRef.current = () => void run();
    void run();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, seconds]);

  return { ...state, refresh: () => runRef.current() };
}
