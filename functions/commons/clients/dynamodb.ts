import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SDK_RETRY } from './settings';

let documentClient: DynamoDBDocumentClient | undefined;

/** The document client, created once per container. */
export const dynamoDb = (): DynamoDBDocumentClient =>
  (documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({ ...SDK_RETRY }), {
    marshallOptions: { removeUndefinedValues: true },
  }));
