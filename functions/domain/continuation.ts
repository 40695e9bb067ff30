/*
 * Cases that outlive one execution. A standard Step Functions execution ends after one year and
 * after 25,000 history events, but a case at the joint conference that nobody resolves keeps its
 * clock for ever. So before an execution nears either limit, the workflow continues the case in a
 * new execution, named `<caseId>-c1`, `<caseId>-c2`, …, carrying its plan over; the old one ends
 * Succeeded. This module is the rule (pure): when to continue, and the names of the chain.
 */

/** AWS's limits for a standard workflow execution. */
export const EXECUTION_LIMITS = { maxAgeSeconds: 365 * 86400, maxEvents: 25_000 } as const;

export interface ContinuationMargins {
  /** Continue before the execution would be this old at the end of its next wait. */
  readonly afterSeconds: number;
  /** Continue once the execution's history may hold this many events. */
  readonly afterEvents: number;
}

/** Well inside the limits: 35 days and 5,000 events to spare. */
export const DEFAULT_MARGINS: ContinuationMargins = { afterSeconds: 330 * 86400, afterEvents: 20_000 };

/**
 * History events one pass of the loop (a wait, the step that follows it, the alert map, the choice)
 * writes at most, without retries: 17 counted on the local engine for a timed-out wait and its
 * clock step, rounded up; each alert published adds a map iteration of 7 events, counted as 8.
 * Retries add a few events each; the 5,000 events of margin absorb them.
 */
export const EVENTS_PER_STEP = 24;
export const EVENTS_PER_ALERT = 8;

export const estimateStepEvents = (alerts: number): number => EVENTS_PER_STEP + EVENTS_PER_ALERT * alerts;

const CONTINUATION = /^(.*)-c([1-9]\d*)$/;

/** The name of the n-th execution of a case: the case id, then `<caseId>-c1`, `-c2`, … */
export function executionName(caseId: string, generation: number): string {
  if (!Number.isInteger(generation) || generation < 0) throw new RangeError('generation must be an integer >= 0');
  return generation === 0 ? caseId : `${caseId}-c${generation}`;
}

/** Which execution of the case this name is (0 for the case id itself); undefined for another case's name. */
export function generationOf(caseId: string, name: string): number | undefined {
  if (name === caseId) return 0;
  const match = CONTINUATION.exec(name);
  return match && match[1] === caseId ? Number(match[2]) : undefined;
}

export interface ContinuationInput {
  readonly caseId: string;
  /** This execution's name and start (`$$.Execution.Name`, `$$.Execution.StartTime`). */
  readonly executionName: string;
  readonly executionStartMs: number;
  readonly nowMs: number;
  /** History events this execution may hold so far (the sum of `estimateStepEvents`). */
  readonly events: number;
  /** The wait about to start. */
  readonly waitSeconds: number;
  readonly closed: boolean;
}

/**
 * The name of the execution to continue in, or null to wait in this one. A closed case never
 * continues. An open one continues when the wait it is about to start would end past the age
 * margin, or when its history may have reached the event margin.
 */
export function continuationFor(input: ContinuationInput, margins: ContinuationMargins = DEFAULT_MARGINS): string | null {
  if (input.closed) return null;
  const generation = generationOf(input.caseId, input.executionName);
  if (generation === undefined) return null; // not one of this case's executions (a test's): never chain from it
  const ageAtEndOfWaitMs = input.nowMs - input.executionStartMs + input.waitSeconds * 1000;
  const tooOld = ageAtEndOfWaitMs >= margins.afterSeconds * 1000;
  const tooLong = input.events >= margins.afterEvents;
  return tooOld || tooLong ? executionName(input.caseId, generation + 1) : null;
}
