import { DescribeExecutionCommand, ExecutionDoesNotExist, GetExecutionHistoryCommand, InvalidToken, type DescribeExecutionCommandOutput, type HistoryEvent } from '@aws-sdk/client-sfn';
import { apiHandler } from '../commons/http';
import { requiredEnv } from '../commons/clients/settings';
import { stepFunctions } from '../commons/clients/step-functions';
import { invalidField, notFound } from '../commons/problems';
import { fieldText } from '../domain/errors';
import { executionName } from '../domain/continuation';
import { CaseIdParamsSchema, ExecutionQuerySchema } from './request-schemas';
import { consoleUrlOf, currentStateOfNewestFirst, pathOfNewestFirst } from '../operations/execution-history';

/** An execution of a case is named by the case id, or `<caseId>-c<n>` when it continues the case (see domain/continuation). */
export const executionArnOf = (stateMachineArn: string, name: string) =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/** Events a page holds unless the caller asks for another number (1–1000). */
const PAGE_EVENTS = 200;
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

const linkOf = (execution: DescribeExecutionCommandOutput) => ({
  name: execution.name,
  executionArn: execution.executionArn,
  status: execution.status,
  startDate: execution.startDate?.toISOString(),
  ...(execution.stopDate ? { stopDate: execution.stopDate.toISOString() } : {}),
  ...(execution.executionArn && consoleUrlOf(execution.executionArn) ? { consoleUrl: consoleUrlOf(execution.executionArn) } : {}),
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

/**
 * GET /v1/cases/{id}/execution: the case's current execution and its history newest first, a page
 * at a time (`before`: the `olderCursor` of the page before, for older events), so a case whose
 * execution has run for months shows where it is now; the states of the page in the order
 * entered; a link to the AWS console when deployed.
 */
export const handler = apiHandler(
  { auth: 'required', roles: ['supervisor', 'operator'], params: CaseIdParamsSchema, query: ExecutionQuerySchema },
  async ({ params, query }) => {
    const chain = await chainOf(requiredEnv('CASE_WORKFLOW_ARN'), params.id);
    const execution = chain.at(-1);
    if (!execution) throw notFound(`No workflow execution for case ${params.id}.`);
    const executionArn = execution.executionArn as string;
    let page;
    try {
      page = await stepFunctions().send(
        new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: query.limit ?? PAGE_EVENTS, ...(query.before ? { nextToken: query.before } : {}) }),
      );
    } catch (error) {
      // A token from another execution, or one that has expired (AWS keeps them 24 hours).
      if (error instanceof InvalidToken) throw invalidField('before', fieldText('cursor'));
      throw error;
    }
    const events: HistoryEvent[] = page.events ?? [];
    const consoleUrl = consoleUrlOf(executionArn);
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
        // Read from the newest events, so it is true however long the history (only the first page knows it).
        ...(query.before ? {} : { currentState: execution.status === 'RUNNING' ? (currentStateOfNewestFirst(events) ?? null) : null }),
        path: pathOfNewestFirst(events),
        /** Newest first. */
        events: events.map(summarize),
        ...(page.nextToken ? { olderCursor: page.nextToken } : {}),
        ...(consoleUrl ? { consoleUrl } : {}),
        /** The executions this case ran in before the current one, oldest first. */
        earlierExecutions: chain.slice(0, -1).map(linkOf),
      },
    };
  },
);
