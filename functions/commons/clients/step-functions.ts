import { SFNClient } from '@aws-sdk/client-sfn';
import { SDK_RETRY } from './settings';

let client: SFNClient | undefined;

/** The Step Functions client, created once per container. */
export const stepFunctions = (): SFNClient => (client ??= new SFNClient({ ...SDK_RETRY }));
