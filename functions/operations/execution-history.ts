/**
 * What the execution view needs from a page of history read newest first: where the execution
 * is now, the states it passed through in that page, and a link to the AWS console. Pure, so the
 * rules are unit-tested without Step Functions.
 */

/** The parts of a history event the view reads. */
export interface HistoryEventLike {
  readonly id?: number;
  readonly type?: string;
  readonly stateEnteredEventDetails?: { readonly name?: string };
  readonly stateExitedEventDetails?: { readonly name?: string };
}

/**
 * Where the execution is, from its newest events first: the newest state event tells it — a
 * state entered is where it waits or works, a state exited means it is between states (or done).
 * Undefined too when the page holds no state event.
 */
export function currentStateOfNewestFirst(events: readonly HistoryEventLike[]): string | undefined {
  for (const event of events) {
    if (event.stateExitedEventDetails?.name) return undefined;
    if (event.stateEnteredEventDetails?.name) return event.stateEnteredEventDetails.name;
  }
  return undefined;
}

/** The states entered in a page read newest first, in the order they were entered. */
export const pathOfNewestFirst = (events: readonly HistoryEventLike[]): string[] =>
  events
    .filter((e) => e.stateEnteredEventDetails?.name)
    .map((e) => e.stateEnteredEventDetails!.name as string)
    .reverse();

/** The console's host in each AWS partition. */
const CONSOLE_HOSTS: Readonly<Record<string, (region: string) => string>> = {
  aws: (region) => `${region}.console.aws.amazon.com`,
  'aws-cn': () => 'console.amazonaws.cn',
  'aws-us-gov': () => 'console.amazonaws-us-gov.com',
};

/** The account id local stacks and emulators use: no console shows their executions. */
const PLACEHOLDER_ACCOUNT = '000000000000';

/**
 * The AWS Step Functions console page of an execution, for its partition and region; undefined
 * for an execution of a local stack or a partition without a known console.
 */
export function consoleUrlOf(executionArn: string): string | undefined {
  const match = /^arn:([a-z-]+):states:([a-z0-9-]+):(\d{12}):execution:[^:]+:[^:]+$/.exec(executionArn);
  if (!match) return undefined;
  const [, partition, region, account] = match;
  const host = CONSOLE_HOSTS[partition];
  if (!host || account === PLACEHOLDER_ACCOUNT) return undefined;
  return `https://${host(region)}/states/home?region=${region}#/v2/executions/details/${encodeURIComponent(executionArn)}`;
}
