import { Aws, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { guardRule } from './guard';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type LogGroupProps } from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';

export interface StackKeysProps {
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The customer managed keys for what the system writes besides the case table: one for every
 * log group (function logs, state machine logs, API access logs: they carry case ids, units and
 * error text), one for both state machines (their definitions and execution histories hold
 * handler names and notes). One instance per stack, made first; constructs find it with `of`.
 */
export class StackKeys extends Construct {
  static readonly ID = 'Keys';

  /**
   * The stack's keys. The stack makes them first with its removal policy; a stack that did not
   * (a test's bare stack) gets them here, kept when the stack goes, the safe default for keys.
   */
  static of(scope: IConstruct): StackKeys {
    const stack = Stack.of(scope);
    const found = stack.node.tryFindChild(StackKeys.ID);
    if (found instanceof StackKeys) return found;
    if (found) throw new Error(`${stack.node.path}/${StackKeys.ID} is not the stack's keys.`);
    return new StackKeys(stack, { removalPolicy: RemovalPolicy.RETAIN });
  }

  readonly logs: Key;
  readonly workflows: Key;

  constructor(scope: Stack, props: StackKeysProps) {
    super(scope, StackKeys.ID);

    this.logs = new Key(this, 'Logs', {
      description: 'Encrypts the linked-resolution log groups (functions, state machines, API access logs)',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    // CloudWatch Logs encrypts and decrypts on the log groups' behalf, for this account's log groups only.
    // The service principal is regional and its domain is the partition's (amazonaws.com.cn in China).
    this.logs.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${Aws.REGION}.${Aws.URL_SUFFIX}`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` },
        },
      }),
    );

    this.workflows = new Key(this, 'Workflows', {
      description: 'Encrypts the linked-resolution state machines: definitions and execution histories',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    acknowledgeKeyPolicy(this.logs);
    acknowledgeKeyPolicy(this.workflows);
  }
}

/** A log group encrypted with the stack's log key. */
export function encryptedLogGroup(scope: Construct, id: string, props: Omit<LogGroupProps, 'encryptionKey'>): LogGroup {
  const group = new LogGroup(scope, id, { ...props, encryptionKey: StackKeys.of(scope).logs });
  Validations.of(group).acknowledge({
    id: guardRule('cloudwatch_log_group_retention_period_check'),
    reason:
      'Logs are kept three to six months on purpose: they carry case ids, units and error text about complainants, ' +
      "so they are kept no longer than an incident takes to investigate. The record that lasts is the case's own " +
      'timeline in the table (point-in-time recovery on), not the logs.',
  });
  return group;
}

/**
 * The Control Tower rule that a key policy granting kms:CreateGrant limit it to AWS resources.
 * The only statement granting it is CDK's default one for the account root (`kms:*`, key
 * administration), which delegates use to IAM policies; no IAM policy of this stack grants
 * kms:CreateGrant or any wildcard action (tests/infra/workflow-and-permissions.test.ts).
 */
export function acknowledgeKeyPolicy(key: Key): void {
  Validations.of(key).acknowledge({
    id: guardRule('kms_create_grant_aws_service_check'),
    reason:
      "The only statement granting kms:CreateGrant is CDK's default for the account root (key administration, " +
      'delegating use to IAM); no IAM policy in this stack grants kms:CreateGrant.',
  });
}
