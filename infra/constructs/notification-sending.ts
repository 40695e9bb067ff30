import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { NOTIFICATION_ENVIRONMENT } from '../../functions/notify/deployment';
import type { NotificationAccess } from '../../functions/api/routes';
import type { ApiFunction } from './api-function';

/** CDK context naming the Secrets Manager secret of the Aliyun SMS adapter (docs/deployment.md). */
export const ALIYUN_SMS_SECRET_CONTEXT = 'aliyunSmsSecretArn';

/** A secret's full ARN, with the six characters Secrets Manager appends to its name: the grant then needs no wildcard. */
const SECRET_ARN = /^arn:aws-cn:secretsmanager:cn-[a-z]+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;

/** The `aliyunSmsSecretArn` context, checked: only in partition aws-cn, and a full secret ARN there. */
export function aliyunSmsSecretArn(stack: Stack): string | undefined {
  const value: unknown = stack.node.tryGetContext(ALIYUN_SMS_SECRET_CONTEXT);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !SECRET_ARN.test(value.trim())) {
    throw new Error(
      `Context "${ALIYUN_SMS_SECRET_CONTEXT}" must be the full ARN of a Secrets Manager secret in China's regions (arn:aws-cn:secretsmanager:<region>:<account>:secret:<name>-<6 characters>); got "${String(value)}".`,
    );
  }
  if (stack.partition !== 'aws-cn') {
    throw new Error(`Context "${ALIYUN_SMS_SECRET_CONTEXT}" is for a stage in China's regions (-c region=cn-north-1); this stage sends SMS through SNS.`);
  }
  return value.trim();
}

/**
 * What a function that dispatches or reads notifications needs (functions/notify/deployment.ts)
 * besides the table (granted by bindTable): the notification log's setting and, to send:
 * - in partition aws, SNS SMS to phone numbers;
 * - in China's partition, which has no SNS SMS, Alibaba Cloud SMS when the stage names its
 *   secret (`-c aliyunSmsSecretArn=…`): SMS_PROVIDER=aliyun, SMS_SECRET the secret's ARN, and
 *   secretsmanager:GetSecretValue on that one secret; without it SMS_PROVIDER says none, and SMS
 *   are parked with the reason (docs/notifications.md, "Regions without SNS SMS").
 */
export function bindNotifications(fn: ApiFunction, access: NotificationAccess): void {
  fn.addEnvironment(NOTIFICATION_ENVIRONMENT.log, 'table');
  if (access === 'read') return;
  const stack = Stack.of(fn);
  const aliyunSecret = aliyunSmsSecretArn(stack);
  const sms = stack.partition === 'aws-cn' ? (aliyunSecret ? 'aliyun' : 'none') : 'sns';
  fn.addEnvironment(NOTIFICATION_ENVIRONMENT.smsProvider, sms);
  if (sms === 'sns') {
    // Publishing straight to a phone number has no resource ARN: allowed on anything that is not a topic, so no topic can be published to.
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], notResources: [`arn:${stack.partition}:sns:*:*:*`] }));
  }
  if (sms === 'aliyun' && aliyunSecret) {
    fn.addEnvironment(NOTIFICATION_ENVIRONMENT.smsSecret, aliyunSecret);
    // Read once per cold start, this one secret only. Its key must be Secrets Manager's own (aws/secretsmanager): no kms:Decrypt is granted.
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [aliyunSecret] }));
  }
}
