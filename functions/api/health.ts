import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import { apiHandler } from '../commons/http';
import { dynamoDb } from '../commons/clients/dynamodb';
import { requiredEnv } from '../commons/clients/settings';
import { stepFunctions } from '../commons/clients/step-functions';
import { logger } from '../commons/logger';

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

/** 200 when the store and the workflow engine both answer, 503 otherwise. */
export const handler = apiHandler({ auth: 'public' }, async () => {
  const [store, workflow] = await Promise.all([
    check('store', () => dynamoDb().send(new DescribeTableCommand({ TableName: requiredEnv('CASES_TABLE') }))),
    check('workflow', () => stepFunctions().send(new DescribeStateMachineCommand({ stateMachineArn: requiredEnv('CASE_WORKFLOW_ARN') }))),
  ]);
  const healthy = store === 'ok' && workflow === 'ok';
  return { statusCode: healthy ? 200 : 503, body: { status: healthy ? 'ok' : 'degraded', checks: { store, workflow } } };
});
