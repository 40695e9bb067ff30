/**
 * The notification sender and log of a deployed function, from its environment (set by
 * infra/stack.ts): NOTIFICATION_LOG=table keeps the log in the cases table, SMS_PROVIDER=sns sends
 * SMS through SNS (partition aws); any other provider value means none is configured (China's
 * regions, until an adapter is added: docs/notifications.md), and SMS are parked with the reason.
 */
import { dynamoDb } from '../commons/clients/dynamodb';
import { requiredEnv } from '../commons/clients/settings';
import { now } from '../commons/clock';
import { NotificationLogStore } from '../store/notification-log-store';
import { LoggedSender } from './logged-sender';
import { noSmsProvider, snsSms } from './sms';

export const NOTIFICATION_ENVIRONMENT = { log: 'NOTIFICATION_LOG', smsProvider: 'SMS_PROVIDER' } as const;

let built: { sender: LoggedSender; log: NotificationLogStore } | undefined;

export function deployedNotifications(env: NodeJS.ProcessEnv = process.env): { sender: LoggedSender; log: NotificationLogStore } | undefined {
  if (env[NOTIFICATION_ENVIRONMENT.log] !== 'table') return undefined;
  if (!built) {
    const log = new NotificationLogStore(dynamoDb(), requiredEnv('CASES_TABLE'));
    const sms = env[NOTIFICATION_ENVIRONMENT.smsProvider] === 'sns' ? snsSms() : noSmsProvider(env.AWS_REGION ?? 'this region');
    built = { sender: new LoggedSender({ log, sms, now }), log };
  }
  return built;
}
