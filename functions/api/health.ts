import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import { apiHandler } from '../commons/http';
import { dynamoDb } from '../commons/clients/dynamodb';
import { requiredEnv } from '../commons/clients/settings';
import { stepFunctions } from '../commons/clients/step-functions';
import { now } from '../commons/clock';
import { logger } from '../commons/logger';
import { calendarYears } from '../domain/calendar';
import { calendarCoverage } from '../operations/calendar-coverage';

type Check = 'ok' | 'unavailable';

async function check(name: string, probe: () => Promise<unknown>): Promise<Check> {
  try {
    await probe();
    return 'ok';
  } catch (error) {
    logger.warn({ check: name, err: error }, 'health check failed');
    return 'unavailable';
  }
}

/**
 * 503 when the store or the workflow engine does not answer. 200 otherwise, with status
 * `degraded` when a holiday calendar the deadlines need is missing (the current year, or from
 * 1 October the next): the system works, but counts working days Monday–Friday for that year,
 * so a monitor should page someone without taking the API out of service.
 *
 * The role behind it may call DescribeTable and DescribeStateMachine and nothing else; the state
 * machine is described without its definition (METADATA_ONLY), which stays encrypted.
 */
export const handler = apiHandler({ auth: 'public' }, async () => {
  const [store, workflow] = await Promise.all([
    check('store', () => dynamoDb().send(new DescribeTableCommand({ TableName: requiredEnv('CASES_TABLE') }))),
    check('workflow', () =>
      stepFunctions().send(new DescribeStateMachineCommand({ stateMachineArn: requiredEnv('CASE_WORKFLOW_ARN'), includedData: 'METADATA_ONLY' })),
    ),
  ]);
  const coverage = calendarCoverage(calendarYears, now());
  const calendar = coverage.missing.length === 0 ? 'ok' : 'missing';
  if (calendar === 'missing') logger.warn({ check: 'calendar', missingYears: coverage.missing }, 'holiday calendar missing');
  const available = store === 'ok' && workflow === 'ok';
  return {
    statusCode: available ? 200 : 503,
    body: {
      status: available && calendar === 'ok' ? 'ok' : 'degraded',
      checks: { store, workflow, calendar },
      ...(calendar === 'missing' ? { calendarYearsMissing: coverage.missing } : {}),
    },
  };
});
