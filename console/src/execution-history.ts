/** GET /v1/cases/{id}/execution as the case page reads it: a page of the history, newest first. */
export interface ExecutionView {
  readonly caseId: string;
  readonly executionArn: string;
  readonly status: string;
  readonly startDate?: string;
  readonly stopDate?: string;
  /** Where the execution is now (read from its newest events); only the first page says. */
  readonly currentState?: string | null;
  /** The states entered in this page's events, in the order they were entered. */
  readonly path: readonly string[];
  /** Newest first: a page of the history. */
  readonly events: readonly ExecutionEvent[];
  /** Ask with `?before=` for the page of older events. */
  readonly olderCursor?: string;
  /** The execution in the AWS Step Functions console (deployed stacks only). */
  readonly consoleUrl?: string;
}

export interface ExecutionEvent {
  readonly id: number;
  readonly previousEventId?: number;
  readonly type: string;
  readonly timestamp?: string;
  readonly stateName?: string;
  readonly error?: string;
  readonly cause?: string;
}

/**
 * The history shown: the first page (polled with the case) then the older pages asked for, newest
 * first, each event once; and the path taken over all of them, oldest state first.
 */
export function historyOf(first: ExecutionView, older: readonly ExecutionView[]): { events: ExecutionEvent[]; path: string[]; olderCursor?: string } {
  const seen = new Set<number>();
  const events: ExecutionEvent[] = [];
  for (const page of [first, ...older]) {
    for (const event of page.events) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      events.push(event);
    }
  }
  const path = [...older].reverse().flatMap((page) => page.path).concat(first.path);
  const last = older.length ? older[older.length - 1] : first;
  return { events, path, ...(last.olderCursor ? { olderCursor: last.olderCursor } : {}) };
}
