import { useEffect, useRef, useState } from 'preact/hooks';
import type { Conditional } from './api';
import { currentPace, onBackFromIdle } from './activity';
import { delayFor, type Pace } from './backoff';
import { syncClock } from './clock';

export interface Polled<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly loading: boolean;
  readonly updatedAt?: number;
  /** Seconds until the next look (grows while nobody uses the page and nothing changes). */
  readonly delaySeconds?: number;
  refresh(): void;
}

/** What a look knows: whether someone is using the page, and what the last look found (for this key). */
export interface Look<T> {
  readonly pace: Pace;
  readonly previous?: T;
}

interface Options {
  /** While nobody uses the page, back off up to this many seconds as looks find nothing new. */
  readonly maxSeconds?: number;
}

function usePoller<T>(load: (look: Look<T>) => Promise<Conditional<T>>, seconds: number, key: string, options: Options): Polled<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean; updatedAt?: number; delaySeconds?: number }>({ loading: true });
  const loadRef = useRef(load);
  loadRef.current = load;
  const runRef = useRef<() => void>(() => undefined);
  const maxSeconds = Math.max(seconds, options.maxSeconds ?? seconds);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    /** A look is owed: the timer ran out while the tab was hidden. */
    let owed = false;
    let unchanged = 0;
    let lastLookMs = 0;
    let previous: T | undefined;
    setState({ loading: true });
    const schedule = () => {
      clearTimeout(timer);
      const delay = delayFor(currentPace(), seconds, maxSeconds, unchanged);
      timer = setTimeout(tick, delay * 1000);
      setState((state) => (state.delaySeconds === delay ? state : { ...state, delaySeconds: delay }));
    };
    const run = async (pace: Pace = currentPace()) => {
      if (running) return;
      running = true;
      owed = false;
      clearTimeout(timer);
      try {
        await syncClock();
        const { data, changed } = await loadRef.current({ pace, ...(previous !== undefined ? { previous } : {}) });
        lastLookMs = Date.now();
        previous = data;
        unchanged = changed ? 0 : unchanged + 1;
        if (live) {
          setState((state) =>
            changed || state.error || state.loading
              ? { ...state, data, error: undefined, loading: false, updatedAt: lastLookMs }
              : { ...state, updatedAt: lastLookMs },
          );
        }
      } catch (error) {
        if (live) setState((state) => ({ ...state, error, loading: false }));
      } finally {
        running = false;
        if (live) schedule();
      }
    };
    // A hidden tab asks nothing: the look it missed is made when it is shown again.
    const tick = () => {
      if (document.visibilityState === 'hidden') owed = true;
      else void run();
    };
    const lookNow = () => {
      unchanged = 0;
      void run('active');
    };
    const onVisibility = () => {
      if (document.visibilityState !== 'visible' || running) return;
      if (owed || Date.now() - lastLookMs >= seconds * 1000) lookNow();
    };
    document.addEventListener('visibilitychange', onVisibility);
    const stopIdleWatch = onBackFromIdle(lookNow);
    runRef.current = lookNow;
    void run('active');
    return () => {
      live = false;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      stopIdleWatch();
    };
  }, [key, seconds, maxSeconds]);

  return { ...state, refresh: () => runRef.current() };
}

/**
 * Loads now and again every `seconds` while the page is open and visible, re-reading the
 * virtual clock first so lights and time left agree with the server. `key` restarts it.
 */
export function usePolling<T>(load: () => Promise<T>, seconds: number, key: string): Polled<T> {
  return usePoller(async () => ({ data: await load(), changed: true }), seconds, key, {});
}

/**
 * As usePolling, for loads that say whether anything changed (conditional requests answered
 * 304) and that may ask less while nobody uses the page (`look.pace`): then each look that
 * finds nothing new waits twice as long as the last, up to `maxSeconds`, and the first touch
 * of the page brings it back to its pace with a look at once.
 */
export function useChangePolling<T>(load: (look: Look<T>) => Promise<Conditional<T>>, seconds: number, key: string, maxSeconds: number): Polled<T> {
  return usePoller(load, seconds, key, { maxSeconds });
}
