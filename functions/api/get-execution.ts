import { DescribeExecutionCommand, ExecutionDoesNotExist, GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { apiHandler } from '../commons/http';
import { requiredEnv } from '../commons/clients/settings';
import { stepFunctions } from '../commons/clients/step-functions';
import { notFound } from '../commons/problems';
import { CaseIdParamsSchema } from './request-schemas';

/** The execution of a case is named by the case id (see startCaseWorkflow). */
export const executionArnOf = (stateMachineArn: string, caseId: string) =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;

const MAX_EVENTS = 1000;

/** Event type, time, and the state it concerns: enough to draw the path taken. */
function summarize(event: HistoryEvent) {
  const details = event.stateEnteredEventDetails ?? event.stateExitedEventDetails;
  return {
    id: event.id,
    previousEventId: event.previousEventId,
    type: event.type,
    timestamp: event.timestamp instanceof Date ? event.timestamp.toISOString() : event.timestamp,
    ...(details?.name ? { stateName: details.name } : {}),
    ...(event.taskTimedOutEventDetails ? { error: event.taskTimedOutEventDetails.error } : {}),
    ...(event.executionFailedEventDetails ? { error: event.executionFailedEventDetails.error, cause: event.executionFailedEventDetails.cause } : {}),
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

export const handler = apiHandler(
  { auth: 'required', roles: ['supervisor', 'operator'], params: CaseIdParamsSchema },
  async ({ params }) => {
    const executionArn = executionArnOf(requiredEnv('CASE_WORKFLOW_ARN'), params.id);
    try {
      const execution = await stepFunctions().send(new DescribeExecutionCommand({ executionArn }));
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
          status: execution.status,
          startDate: execution.startDate?.toISOString(),
          ...(execution.stopDate ? { stopDate: execution.stopDate.toISOString() } : {}),
          currentState: execution.status === 'RUNNING' ? (currentStateOf(events) ?? null) : null,
          path,
          events: events.map(summarize),
          ...(nextToken ? { truncated: true } : {}),
        },
      };
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) throw notFound(`No workflow execution for case ${params.id}.`);
      throw error;
    }
  },
);
