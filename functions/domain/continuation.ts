/*
 * Cases that outlive one execution. A standard Step Functions execution ends after one year and
 * after 25,000 history events, but a case at the joint conference that nobody resolves keeps its
 * clock for ever. So before an execution nears either limit, the workflow continues the case in a
 * new execution, named `<caseId>-c1`, `<caseId>-c2`, …, carrying its plan over; the old one ends
 * Succeeded. This module is the rule (pure): when to continue, and the names of the chain.
 *
 * A closed case that is reopened (domain/ratings, domain/workflow) runs again in a new execution, since its
 * last one has ended: `<caseId>-r1` for the first reopening, `-r2` for the second, … Each run
 * continues on its own chain: `<caseId>-r1-c1`, `<caseId>-r1-c2`, … So every execution of a case
 * is named `<caseId>[-r<k>][-c<n>]`, and one name never belongs to two runs.
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

const SUFFIX = /^(?:-r([1-9]\d*))?(?:-c([1-9]\d*))?$/;

/** Where an execution stands among a case's executions: which run (0 the first, k after the k-th reopening) and which continuation of that run. */
export interface ExecutionPosition {
  readonly reopening: number;
  readonly generation: number;
}

/**
 * The name of the n-th execution of a case's run: the case id, then `<caseId>-c1`, `-c2`, …; after
 * the k-th reopening `<caseId>-r<k>`, then `<caseId>-r<k>-c1`, …
 */
export function executionName(caseId: string, generation: number, reopening = 0): string {
  if (!Number.isInteger(generation) || generation < 0) throw new RangeError('generation must be an integer >= 0');
  if (!Number.isInteger(reopening) || reopening < 0) throw new RangeError('reopening must be an integer >= 0');
  return `${caseId}${reopening === 0 ? '' : `-r${reopening}`}${generation === 0 ? '' : `-c${generation}`}`;
}

/** The position of an execution name among the case's executions; undefined for another case's name (or none of this scheme). */
export function positionOf(caseId: string, name: string): ExecutionPosition | undefined {
  if (!name.startsWith(caseId)) return undefined;
  const match = SUFFIX.exec(name.slice(caseId.length));
  return match ? { reopening: match[1] ? Number(match[1]) : 0, generation: match[2] ? Number(match[2]) : 0 } : undefined;
}

/** Which execution of its run this name is (0 for the run's first); undefined for another case's name. */
export function generationOf(caseId: string, name: string): number | undefined {
  return positionOf(caseId, name)?.generation;
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
  const position = positionOf(input.caseId, input.executionName);
  if (position === undefined) return null; // not one of this case's executions (a test's): never chain from it
  const ageAtEndOfWaitMs = input.nowMs - input.executionStartMs + input.waitSeconds * 1000;
  const tooOld = ageAtEndOfWaitMs >= margins.afterSeconds * 1000;
  const tooLong = input.events >= margins.afterEvents;
  return tooOld || tooLong ? executionName(input.caseId, position.generation + 1, position.reopening) : null;
}
