import { CaseStore } from '../store/case-store';
import { OutboxStore } from '../store/outbox-store';
import { listCasePage, type CaseListQuery, type CasePage } from '../store/case-list';
import { defaultDirectory } from '../domain/directory';
import { defaultCalendar } from '../domain/calendar';
import { defaultRoutingRules } from '../domain/routing';
import { dynamoDb } from './clients/dynamodb';
import { requiredEnv } from './clients/settings';

/** What every handler works with, built once per container from configuration. */
let store: CaseStore | undefined;
export const caseStore = (): CaseStore => (store ??= new CaseStore(dynamoDb(), requiredEnv('CASES_TABLE')));
/**
 * A page of cases (store/case-list.ts), outside the CaseStore class so that only the handlers
 * that list carry the listing code in their bundles.
 */
export const listCases = (query: CaseListQuery): Promise<CasePage> => listCasePage(dynamoDb(), requiredEnv('CASES_TABLE'), query);
let outbox: OutboxStore | undefined;
export const outboxStore = (): OutboxStore => (outbox ??= new OutboxStore(dynamoDb(), requiredEnv('CASES_TABLE')));

export const directory = defaultDirectory;
export const calendar = defaultCalendar;
export const routingRules = defaultRoutingRules;
