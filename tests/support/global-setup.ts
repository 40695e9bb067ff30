import { startDynamoDbLocal, LOCAL_REGION, type RunningDynamoDb } from '../../local/dynamodb';
import { freePort } from './free-port';

/**
 * One DynamoDB Local (in memory) for the whole run; each test file makes its own table.
 * The SDK finds it through AWS_ENDPOINT_URL_DYNAMODB, exactly as the local stack's handlers do.
 */
export default async function globalSetup(): Promise<void> {
  const running = await startDynamoDbLocal({ port: await freePort() });
  (globalThis as { __dynamoDb?: RunningDynamoDb }).__dynamoDb = running;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = running.endpoint;
  process.env.AWS_REGION = LOCAL_REGION;
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  process.env.LOG_LEVEL = 'silent';
}
