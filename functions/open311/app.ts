import { dynamoDb } from '../commons/clients/dynamodb';
import { requiredEnv } from '../commons/clients/settings';
import { Open311KeyStore } from '../store/open311-key-store';

let keys: Open311KeyStore | undefined;
/** The api_key and token store, on the cases table, built once per container. */
export const open311KeyStore = (): Open311KeyStore => (keys ??= new Open311KeyStore(dynamoDb(), requiredEnv('CASES_TABLE')));
