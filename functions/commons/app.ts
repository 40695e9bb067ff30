import { CaseStore } from '../store/case-store';
import { OutboxStore } from '../store/outbox-store';
import { defaultDirectory } from '../domain/directory';
import { defaultCalendar } from '../domain/calendar';
import { defaultRoutingRules } from '../domain/routing';
import { dynamoDb } from './clients/dynamodb';
import { requiredEnv } from './clients/settings';

/** What every handler works with, built once per container from configuration. */
let store: CaseStore | undefined;
export const caseStore = (): CaseStore => (store ??= new CaseStore(dynamoDb(), requiredEnv('CASES_TABLE')));
let outbox: OutboxStore | undefined;
export const outboxStore = (): OutboxStore => (outbox ??= new OutboxStore(dynamoDb(), requiredEnv('CASES_TABLE')));

export const directory = defaultDirectory;
export const calendar = defaultCalendar;
export const routingRules = defaultRoutingRules;
