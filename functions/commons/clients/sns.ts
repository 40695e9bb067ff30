import { SNSClient } from '@aws-sdk/client-sns';
import { SDK_RETRY } from './settings';

let client: SNSClient | undefined;

/** The SNS client, created once per container. */
export const sns = (): SNSClient => (client ??= new SNSClient({ ...SDK_RETRY }));
