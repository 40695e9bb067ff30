import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import type { AlertTopic } from './alert-topic';
import { ApiFunction, bindAlerts, bindTable, bindWorkflow } from './api-function';
import type { CaseTable } from './case-table';
import type { CaseWorkflow } from './case-workflow';

export interface OutboxSweeperProps {
  readonly table: CaseTable;
  readonly alerts: AlertTopic;
  readonly workflow: CaseWorkflow;
  readonly removalPolicy: RemovalPolicy;
}

/** Every minute: a missed workflow start or a held alert waits at most this long. */
export const SWEEP_SCHEDULE = 'rate(1 minute)';
export const SWEEPER_ENTRY = 'functions/housekeeping/outbox-sweeper.ts';

/**
 * The outbox sweeper (functions/housekeeping/outbox-sweeper.ts), started every minute by
 * EventBridge Scheduler: it starts the workflow of any case whose start failed after intake,
 * and publishes alerts that SNS refused through every retry of the workflow.
 */
export class OutboxSweeper extends Construct {
  readonly sweeper: ApiFunction;
  readonly schedulerRole: Role;
  readonly schedule: CfnSchedule;

  constructor(scope: Construct, id: string, props: OutboxSweeperProps) {
    super(scope, id);
    this.sweeper = new ApiFunction(this, 'Function', {
      entry: SWEEPER_ENTRY,
      description: 'Outbox sweeper: start workflows that did not start, publish alerts SNS refused',
      removalPolicy: props.removalPolicy,
      timeout: Duration.seconds(50),
    });
    // Reads the awaitingWorkflow index and deletes released alerts from the outbox partition.
    bindTable(this.sweeper, props.table, 'read-write');
    bindWorkflow(this.sweeper, props.workflow, ['start']);
    bindAlerts(this.sweeper, props.alerts);

    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler: invoke the outbox sweeper',
      inlinePolicies: {
        InvokeSweeper: new PolicyDocument({
          statements: [new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.sweeper.function.functionArn] })],
        }),
      },
    });
    this.schedule = new CfnSchedule(this, 'Schedule', {
      description: 'Outbox sweeper, every minute',
      scheduleExpression: SWEEP_SCHEDULE,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.sweeper.function.functionArn,
        roleArn: this.schedulerRole.roleArn,
        input: JSON.stringify({ graceSeconds: 60, limit: 200 }),
        // A missed sweep is replaced by the next one a minute later.
        retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
      },
    });
  }
}
