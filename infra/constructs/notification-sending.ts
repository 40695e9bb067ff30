import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { NOTIFICATION_ENVIRONMENT } from '../../functions/notify/deployment';
import type { NotificationAccess } from '../../functions/api/routes';
import type { ApiFunction } from './api-function';

/**
 * What a function that dispatches or reads notifications needs (functions/notify/deployment.ts)
 * besides the table (granted by bindTable): the notification log's setting and, to send, in
 * partition aws, SNS SMS to phone numbers. China's partition has
 * no SNS SMS: there SMS_PROVIDER says none, and SMS are parked with the reason until a provider
 * adapter is configured (docs/notifications.md, "Regions without SNS SMS").
 */
export function bindNotifications(fn: ApiFunction, access: NotificationAccess): void {
  fn.addEnvironment(NOTIFICATION_ENVIRONMENT.log, 'table');
  if (access === 'read') return;
  const sms = Stack.of(fn).partition === 'aws-cn' ? 'none' : 'sns';
  fn.addEnvironment(NOTIFICATION_ENVIRONMENT.smsProvider, sms);
  if (sms === 'sns') {
    // Publishing straight to a phone number has no resource ARN: allowed on anything that is not a topic, so no topic can be published to.
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], notResources: [`arn:${Stack.of(fn).partition}:sns:*:*:*`] }));
  }
}
