import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';

/*
 * SDK clients, created once per container. Endpoints come from the SDK's own settings
 * (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SFN, AWS_ENDPOINT_URL_SNS), which is all
 * the local stack changes: no handler knows where it runs.
 */

/**
 * Retries for every SDK call: the SDK's standard mode, which backs off exponentially with full
 * jitter (a random delay up to 2^attempt × 100 ms, × 500 ms for throttling, capped at 20 s) and
 * stops retrying when its retry budget runs dry. Five attempts ride out a throttled second and
 * stay well inside API Gateway's 30-second limit.
 */
export const SDK_RETRY = { retryMode: 'standard', maxAttempts: 5 } as const;

let documentClient: DynamoDBDocumentClient | undefined;
let sfnClient: SFNClient | undefined;
let snsClient: SNSClient | undefined;

export const dynamoDb = (): DynamoDBDocumentClient =>
  (documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({ ...SDK_RETRY }), {
    marshallOptions: { removeUndefinedValues: true },
  }));

export const stepFunctions = (): SFNClient => (sfnClient ??= new SFNClient({ ...SDK_RETRY }));

export const sns = (): SNSClient => (snsClient ??= new SNSClient({ ...SDK_RETRY }));

/** Required configuration, read when first used so a missing value fails loudly and early. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set.`);
  return value;
}
