import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AlertTopic } from './constructs/alert-topic';
import { CaseTable } from './constructs/case-table';
import { CaseWorkflow } from './constructs/case-workflow';
import { HttpApi } from './constructs/http-api';
import { MonthlyReport } from './constructs/monthly-report';
import { NOTIFICATION_SWEEP_SCHEDULE, OUTBOX_SWEEP_SCHEDULE, RETENTION_SCHEDULE, ScheduledFunction } from './constructs/scheduled-function';
import { bindAlerts, bindTable, bindWorkflow } from './constructs/api-function';
import { HOUSEKEEPING_ENTRIES } from './bundling';
import { ConsoleSite, consoleSettingsFrom } from './constructs/console-site';
import type { DeploymentSettings } from './settings';
import { StackKeys } from './constructs/encryption';
import { Operations } from './constructs/operations';
import { UnitNotifications } from './constructs/unit-notifications';
import { bindNotifications } from './constructs/notification-sending';

export interface LinkedResolutionStackProps extends StackProps, DeploymentSettings {}

/** The whole system for one stage: table, alerts, case workflow and HTTP API. */
export class LinkedResolutionStack extends Stack {
  readonly keys: StackKeys;
  readonly table: CaseTable;
  readonly alerts: AlertTopic;
  /** Each unit's email subscriptions on the alert topic (nested stack). */
  readonly unitNotifications: UnitNotifications;
  readonly workflow: CaseWorkflow;
  readonly httpApi: HttpApi;
  readonly monthlyReport: MonthlyReport;
  readonly outboxSweeper: ScheduledFunction;
  readonly personalDataRetention: ScheduledFunction;
  /** Sends held SMS, calls webhooks with retries, takes up unsettled sends (docs/notifications.md). */
  readonly notificationSweep: ScheduledFunction;
  /** Absent in China's regions (see below). */
  readonly consoleSite?: ConsoleSite;
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props: LinkedResolutionStackProps) {
    super(scope, id, props);

    // Production keeps its cases, keys and logs when the stack is deleted; other stages clean up.
    const removalPolicy = props.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // The keys of the logs and the state machines, first: every construct below finds them.
    this.keys = new StackKeys(this, { removalPolicy });
    this.table = new CaseTable(this, 'Cases', { removalPolicy });
    this.alerts = new AlertTopic(this, 'Alerts', { removalPolicy, supervisionEmail: props.alertEmail });
    // Each unit's email subscriptions, filtered on the alerts' `audience` (a nested stack: docs/notifications.md).
    this.unitNotifications = new UnitNotifications(this, 'UnitNotifications', { topic: this.alerts.topic, queueKey: this.alerts.queueKey, removalPolicy });
    this.workflow = new CaseWorkflow(this, 'CaseWorkflow', { table: this.table, alerts: this.alerts, removalPolicy });
    this.httpApi = new HttpApi(this, 'Http', {
      apiName: `linked-resolution-${props.stage}`,
      table: this.table,
      workflow: this.workflow,
      jwtIssuer: props.jwtIssuer,
      jwtAudience: props.jwtAudience,
      consoleOrigin: props.consoleOrigin,
      removalPolicy,
    });
    // The monthly assessment: scheduled report state machine, reports bucket, scheduled scaling.
    this.monthlyReport = new MonthlyReport(this, 'MonthlyReport', { table: this.table, alerts: this.alerts, removalPolicy });
    // What intake or the workflow wrote but could not hand on (a workflow start, an alert) is sent on every minute.
    this.outboxSweeper = new ScheduledFunction(this, 'OutboxSweeper', {
      entry: HOUSEKEEPING_ENTRIES.outboxSweeper,
      description: 'Outbox sweeper: start workflows that did not start, publish alerts SNS refused',
      scheduleExpression: OUTBOX_SWEEP_SCHEDULE,
      input: { graceSeconds: 60, limit: 200 },
      timeout: Duration.seconds(50),
      removalPolicy,
    });
    bindTable(this.outboxSweeper.function, this.table, 'read-write');
    bindWorkflow(this.outboxSweeper.function, this.workflow, ['start']);
    bindAlerts(this.outboxSweeper.function, this.alerts);
    // Closed cases lose their complainant's personal data once the retention period has passed.
    this.personalDataRetention = new ScheduledFunction(this, 'PersonalDataRetention', {
      entry: HOUSEKEEPING_ENTRIES.personalDataRetention,
      description: 'Retention: erase complainants from cases closed longer ago than the retention period',
      scheduleExpression: RETENTION_SCHEDULE.expression,
      timeZone: RETENTION_SCHEDULE.timeZone,
      input: { limit: 1000 },
      timeout: Duration.minutes(5),
      removalPolicy,
    });
    bindTable(this.personalDataRetention.function, this.table, 'read-write');
    // Notifications (docs/notifications.md): the workflow's steps and posted messages dispatch them into the
    // table's log and send SMS; the sweep sends what quiet hours held and calls webhooks; the API reads the log.
    // (The routes that do are granted it by their `needs` in functions/api/routes.ts.)
    bindNotifications(this.workflow.taskFunction, 'send');
    this.notificationSweep = new ScheduledFunction(this, 'NotificationSweep', {
      entry: HOUSEKEEPING_ENTRIES.notificationSweep,
      description: 'Notifications: send SMS held through quiet hours, call webhooks with back-off, take up unsettled sends',
      scheduleExpression: NOTIFICATION_SWEEP_SCHEDULE,
      input: {},
      timeout: Duration.seconds(50),
      removalPolicy,
    });
    bindTable(this.notificationSweep.function, this.table, 'read-write');
    bindNotifications(this.notificationSweep.function, 'send');

    // Alarms, the dashboard and the stopped-execution recorder: last, so they cover every function and queue above.
    this.operations = new Operations(this, 'Operations', {
      removalPolicy,
      table: this.table,
      alerts: this.alerts,
      workflow: this.workflow,
      httpApi: this.httpApi,
      monthlyReport: this.monthlyReport,
      outboxSweeper: this.outboxSweeper,
      operationsEmail: props.operationsEmail,
    });

    Tags.of(this).add('project', 'linked-resolution');
    Tags.of(this).add('stage', props.stage);

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'CasesTableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alerts.topic.topicArn });
    new CfnOutput(this, 'CaseWorkflowArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'OperationsTopicArn', { value: this.operations.topic.topicArn, description: 'Every alarm; subscribe the operators here' });

    // The supervision console, a static site calling the API (nested stack; its ConsoleUrl output is the consoleOrigin for CORS).
    // Not in China's regions (partition aws-cn): CloudFront there has no CloudFront Functions (the
    // console's routing) and no origin access control (the private bucket), and serving a site needs
    // an ICP-filed domain of the operator's own. There the console is served by the city's own web
    // server from `npm run console:build` (docs/operations.md, "China's regions").
    if (this.partition === 'aws-cn') {
      Annotations.of(this).addInfo('No console site in aws-cn: CloudFront Functions and origin access control are not available there (docs/operations.md).');
    } else {
      this.consoleSite = new ConsoleSite(this, 'Console', { apiUrl: this.httpApi.url, removalPolicy, ...consoleSettingsFrom(this.node) });
    }
  }
}
