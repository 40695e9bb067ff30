/**
 * The notification sender and log of a deployed function, from its environment (set by
 * infra/stack.ts): NOTIFICATION_LOG=table keeps the log in the cases table, SMS_PROVIDER=sns sends
 * SMS through SNS (partition aws), SMS_PROVIDER=aliyun through Alibaba Cloud SMS with the
 * credentials, signature and template in the Secrets Manager secret SMS_SECRET (China's regions,
 * read once per cold start); any other provider value means none is configured, and SMS are
 * parked with the reason (docs/notifications.md, "Regions without SNS SMS").
 */
import { dynamoDb } from '../commons/clients/dynamodb';
import { requiredEnv } from '../commons/clients/settings';
import { now } from '../commons/clock';
import { NotificationLogStore } from '../store/notification-log-store';
import { LoggedSender } from './logged-sender';
import { aliyunSms, parseAliyunSmsSecret } from './aliyun-sms';
import { readSecretString } from './secrets-manager';
import { noSmsProvider, snsSms, type SmsProvider } from './sms';

export const NOTIFICATION_ENVIRONMENT = { log: 'NOTIFICATION_LOG', smsProvider: 'SMS_PROVIDER', smsSecret: 'SMS_SECRET' } as const;

/**
 * The SMS provider SMS_PROVIDER names; `aliyun` without SMS_SECRET parks every SMS with that
 * reason. `aliyunEndpoint` is for tests (a local server); deployments use Aliyun's.
 */
export function smsProviderOf(env: NodeJS.ProcessEnv, options: { aliyunEndpoint?: string } = {}): SmsProvider {
  const region = env.AWS_REGION ?? 'this region';
  switch (env[NOTIFICATION_ENVIRONMENT.smsProvider]) {
    case 'sns':
      return snsSms();
    case 'aliyun': {
      const secret = env[NOTIFICATION_ENVIRONMENT.smsSecret];
      if (!secret) {
        const reason = `SMS_PROVIDER is aliyun but ${NOTIFICATION_ENVIRONMENT.smsSecret} names no secret (docs/deployment.md)`;
        return { send: async () => ({ status: 'unavailable', reason }) };
      }
      return aliyunSms({ config: async () => parseAliyunSmsSecret(await readSecretString(secret, { env })), endpoint: options.aliyunEndpoint });
    }
    default:
      return noSmsProvider(region);
  }
}

let built: { sender: LoggedSender; log: NotificationLogStore } | undefined;

export function deployedNotifications(env: NodeJS.ProcessEnv = process.env): { sender: LoggedSender; log: NotificationLogStore } | undefined {
  if (env[NOTIFICATION_ENVIRONMENT.log] !== 'table') return undefined;
  if (!built) {
    const log = new NotificationLogStore(dynamoDb(), requiredEnv('CASES_TABLE'));
    built = { sender: new LoggedSender({ log, sms: smsProviderOf(env), now }), log };
  }
  return built;
}
