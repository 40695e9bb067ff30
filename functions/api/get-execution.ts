import { DescribeExecutionCommand, ExecutionDoesNotExist, GetExecutionHistoryCommand, type DescribeExecutionCommandOutput, type HistoryEvent } from '@aws-sdk/client-sfn';
import { apiHandler } from '../commons/http';
import { requiredEnv } from '../commons/clients/settings';
import { stepFunctions } from '../commons/clients/step-functions';
import { notFound } from '../commons/problems';
import { executionName } from '../domain/continuation';
import { CaseIdParamsSchema } from './request-schemas';

/** An execution of a case is named by the case id, or `<caseId>-c<n>` when it continues the case (see domain/continuation). */
export const executionArnOf = (stateMachineArn: string, name: string) =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

const MAX_EVENTS = 1000;
/** A case continues about once every 330 days: a hundred executions is a century. */
const MAX_CHAIN = 100;

/**
 * What an error may say to a caller: its name when it looks like one (`States.Timeout`,
 * `WorkflowStoreConflict`), never its cause. A cause is free text from the failing code (a Lambda
 * error's cause holds its message and stack trace), so it stays in the execution history for
 * operators with AWS access and never reaches the API ("no error ever returns a stack trace").
 */
const ERROR_NAME = /^[A-Za-z][\w.]{0,127}$/;
const safeErrorName = (error: string | undefined): string => (error && ERROR_NAME.test(error) ? error : 'Error');

const SAFE_MESSAGES: Record<string, string> = {
  ExecutionFailed: 'The workflow failed; its cause is in the execution history.',
  ExecutionAborted: 'The workflow was stopped.',
  ExecutionTimedOut: 'The workflow ran past its time limit.',
  TaskTimedOut: 'A wait or a step ran out of time.',
  TaskFailed: 'A step failed.',
  LambdaFunctionFailed: 'A step failed.',
  LambdaFunctionTimedOut: 'A step ran out of time.',
};

/** The error of an event, if it has one: its name and a fixed message for its kind. */
function errorOf(event: HistoryEvent): { error: string; message: string } | undefined {
  for (const [key, details] of Object.entries(event)) {
    if (!key.endsWith('EventDetails') || !details || typeof details !== 'object' || !('error' in details)) continue;
    const type = String(event.type ?? '');
    return { error: safeErrorName((details as { error?: string }).error), message: SAFE_MESSAGES[type] ?? 'A step failed.' };
  }
  return undefined;
}

/** Event type, time, and the state it concerns: enough to draw the path taken. */
function summarize(event: HistoryEvent) {
  const details = event.stateEnteredEventDetails ?? event.stateExitedEventDetails;
  return {
    id: event.id,
    previousEventId: event.previousEventId,
    type: event.type,
    timestamp: event.timestamp instanceof Date ? event.timestamp.toISOString() : event.timestamp,
    ...(details?.name ? { stateName: details.name } : {}),
    ...errorOf(event),
  };
}

/** Where the execution is: the last state entered that has not been left. */
function currentStateOf(events: HistoryEvent[]): string | undefined {
  let current: string | undefined;
  for (const event of events) {
    if (event.stateEnteredEventDetails?.name) current = event.stateEnteredEventDetails.name;
    else if (event.stateExitedEventDetails?.name === current) current = undefined;
  }
  return current;
}

const linkOf = (execution: DescribeExecutionCommandOutput) => ({
  name: execution.name,
  executionArn: execution.executionArn,
  status: execution.status,
  startDate: execution.startDate?.toISOString(),
  ...(execution.stopDate ? { stopDate: execution.stopDate.toISOString() } : {}),
});

/**
 * The case's executions, first to current: the case id, then each continuation while one exists;
 * then, for each reopening of the case, its run (`<caseId>-r<k>`) and that run's continuations.
 */
async function chainOf(stateMachineArn: string, caseId: string): Promise<DescribeExecutionCommandOutput[]> {
  const chain: DescribeExecutionCommandOutput[] = [];
  for (let reopening = 0; chain.length < MAX_CHAIN; reopening++) {
    const before = chain.length;
    for (let generation = 0; chain.length < MAX_CHAIN; generation++) {
      try {
        chain.push(await stepFunctions().send(new DescribeExecutionCommand({ executionArn: executionArnOf(stateMachineArn, executionName(caseId, generation, reopening)) })));
      } catch (error) {
        if (error instanceof ExecutionDoesNotExist) break;
        throw error;
      }
    }
    if (chain.length === before) break; // no such reopening: the last run is the current one
  }
  return chain;
}

export const handler = apiHandler(
  { auth: 'required', roles: ['supervisor', 'operator'], params: CaseIdParamsSchema },
  async ({ params }) => {
    const chain = await chainOf(requiredEnv('CASE_WORKFLOW_ARN'), params.id);
    const execution = chain.at(-1);
    if (!execution) throw notFound(`No workflow execution for case ${params.id}.`);
    const executionArn = execution.executionArn as string;
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await stepFunctions().send(new GetExecutionHistoryCommand({ executionArn, maxResults: 500, nextToken }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken && events.length < MAX_EVENTS);
    const path = events.filter((e) => e.stateEnteredEventDetails?.name).map((e) => e.stateEnteredEventDetails!.name as string);
    return {
      statusCode: 200,
      body: {
        caseId: params.id,
        executionArn,
        executionName: execution.name,
        status: execution.status,
        startDate: execution.startDate?.toISOString(),
        ...(execution.stopDate ? { stopDate: execution.stopDate.toISOString() } : {}),
        ...(execution.status !== 'RUNNING' && execution.status !== 'SUCCEEDED' ? { error: safeErrorName(execution.error) } : {}),
        currentState: execution.status === 'RUNNING' ? (currentStateOf(events) ?? null) : null,
        path,
        events: events.map(summarize),
        ...(nextToken ? { truncated: true } : {}),
        /** The executions this case ran in before the current one, oldest first. */
        earlierExecutions: chain.slice(0, -1).map(linkOf),
      },
    };
  },
);
