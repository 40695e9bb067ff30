import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { ApiFunction } from './api-function';
import { deadLetterQueue } from './dead-letters';

export interface ScheduledFunctionProps {
  /** Handler module relative to the repository root (one of infra/bundling.ts's LAMBDA_ENTRIES). */
  readonly entry: string;
  readonly description: string;
  /** An EventBridge Scheduler expression: `rate(...)` or `cron(...)`. */
  readonly scheduleExpression: string;
  readonly timeZone?: string;
  /** The event each run receives. */
  readonly input: Record<string, unknown>;
  readonly timeout: Duration;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A housekeeping function started by EventBridge Scheduler. Its role gets nothing here: the
 * caller binds exactly what the function touches. A missed run is not retried (the next run
 * does the same work) but lands in the dead-letter queue, whose depth alarms.
 */
export class ScheduledFunction extends Construct {
  readonly function: ApiFunction;
  readonly schedulerRole: Role;
  readonly schedule: CfnSchedule;
  /** Runs the scheduler could not deliver: a missed run waits here and alarms (infra/constructs/operations.ts). */
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: ScheduledFunctionProps) {
    super(scope, id);
    this.function = new ApiFunction(this, 'Function', {
      entry: props.entry,
      description: props.description,
      removalPolicy: props.removalPolicy,
      timeout: props.timeout,
    });
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `EventBridge Scheduler: invoke ${props.entry}`,
      inlinePolicies: {
        Invoke: new PolicyDocument({
          statements: [new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.function.functionArn] })],
        }),
      },
    });
    this.deadLetters = deadLetterQueue(this, 'DeadLetters', { removalPolicy: props.removalPolicy, of: `the schedule of ${props.entry}` });
    this.deadLetters.grantSendMessages(this.schedulerRole);
    this.schedule = new CfnSchedule(this, 'Schedule', {
      description: props.description,
      scheduleExpression: props.scheduleExpression,
      ...(props.timeZone ? { scheduleExpressionTimezone: props.timeZone } : {}),
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.function.function.functionArn,
        roleArn: this.schedulerRole.roleArn,
        input: JSON.stringify(props.input),
        retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
        deadLetterConfig: { arn: this.deadLetters.queueArn },
      },
    });
  }
}

/** Every minute: a missed workflow start or a held alert waits at most this long. */
export const OUTBOX_SWEEP_SCHEDULE = 'rate(1 minute)';
/** Every night at 03:30 in Shanghai, away from the working day and the 01:00 monthly report. */
export const RETENTION_SCHEDULE = { expression: 'cron(30 3 * * ? *)', timeZone: 'Asia/Shanghai' } as const;

/** Every minute: an SMS held through quiet hours goes out at most a minute late; a webhook's first call waits at most this long. */
export const NOTIFICATION_SWEEP_SCHEDULE = 'rate(1 minute)';
