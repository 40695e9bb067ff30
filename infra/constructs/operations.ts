import { Duration, NestedStack, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUSINESS_METRICS } from '../../functions/commons/metrics';
import { STOPPED_STATUSES } from '../../functions/operations/execution-attention';
import { OPERATIONS_ENTRIES } from '../bundling';
import type { AlertTopic } from './alert-topic';
import { ApiFunction, bindAlerts, bindTable, METRICS_NAMESPACE } from './api-function';
import type { CaseTable } from './case-table';
import type { CaseWorkflow } from './case-workflow';
import { deadLetterQueue } from './dead-letters';
import type { HttpApi } from './http-api';
import type { MonthlyReport } from './monthly-report';
import { ScheduledFunction } from './scheduled-function';
import { acknowledgeKeyPolicy } from './encryption';

/** What the outbox sweeper logs (functions/housekeeping/outbox-sweeper.ts) for a case still not begun long after intake. */
export const STUCK_CASE_LOG_MESSAGE = 'outbox: the case is still waiting for its workflow to begin it';
/** The metric the stuck-case log lines become. */
export const STUCK_CASES_METRIC = 'StuckCases';
/** Daily at 09:00 Shanghai time, when the office that maintains the calendars is at work. */
export const CALENDAR_CHECK_SCHEDULE = { expression: 'cron(0 9 * * ? *)', timeZone: 'Asia/Shanghai' } as const;
/** API latency (p99 over 5 minutes, 3 periods running) above which the API is slow for officers. */
export const API_P99_LATENCY_MS = 3000;

/**
 * The alarms by name, each with what it means; docs/operations.md says what to do about each.
 * Lambda and queue alarms are named per function and per queue (see the `…For` helpers).
 */
export const ALARMS = {
  caseExecutionsFailed: 'CaseExecutionsFailed',
  caseExecutionsTimedOut: 'CaseExecutionsTimedOut',
  caseExecutionsAborted: 'CaseExecutionsAborted',
  reportRunFailed: 'MonthlyReportFailed',
  reportStartMissed: 'MonthlyReportStartMissed',
  reportRanCold: 'MonthlyReportScalingFailed',
  api5xx: 'Api5xx',
  apiLatencyP99: 'ApiLatencyP99',
  stuckCases: 'StuckCases',
  calendarMissing: 'CalendarMissing',
} as const;

export interface OperationsProps {
  readonly removalPolicy: RemovalPolicy;
  readonly table: CaseTable;
  readonly alerts: AlertTopic;
  readonly workflow: CaseWorkflow;
  readonly httpApi: HttpApi;
  readonly monthlyReport: MonthlyReport;
  readonly outboxSweeper: ScheduledFunction;
  /** The operators' mailbox; every alarm is also mailed there when set. */
  readonly operationsEmail?: string;
}

/**
 * Who is told when things go wrong: every alarm of the stack goes to one operations topic
 * (encrypted, TLS only), apart from the supervision centre's alert topic, which carries case
 * alerts. A case execution that stops without closing its case is also recorded on the case and
 * alerted to the supervision centre (functions/operations/execution-status.ts). One dashboard
 * shows the lot. Built last in the stack: the per-function and per-queue alarms cover every
 * function and queue made before it.
 */
export class Operations extends Construct {
  readonly key: Key;
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly statusFunction: ApiFunction;
  readonly statusRule: Rule;
  readonly statusDeadLetters: Queue;
  readonly calendarCheck: ScheduledFunction;
  /** Every alarm, by its name (the `AlarmName` in CloudWatch is prefixed with the stack's name). */
  readonly alarms = new Map<string, Alarm>();
  /**
   * The alarms and the dashboard, in a nested stack of their own: two alarms per function and one
   * per dead-letter queue took the main stack past CloudFormation's 500 resources. They only
   * read names and ARNs of the main stack (passed in as the nested stack's parameters).
   */
  readonly alarmsStack: NestedStack;

  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.prefix = stack.stackName;
    this.alarmsStack = new NestedStack(this, 'Alarms', { description: `${stack.stackName}: alarms and the operations dashboard` });

    this.key = new Key(this, 'Key', {
      description: 'Encrypts the linked-resolution operations topic (alarms)',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    acknowledgeKeyPolicy(this.key);
    // CloudWatch publishes alarm notifications to the encrypted topic, for alarms of this account.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Linked resolution operations',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    if (props.operationsEmail) this.topic.addSubscription(new EmailSubscription(props.operationsEmail));

    // --- Holiday calendars: the daily check (its alarm is below; made first so the per-function and per-queue alarms cover it)
    this.calendarCheck = new ScheduledFunction(this, 'CalendarCheck', {
      entry: OPERATIONS_ENTRIES.calendarCheck,
      description: 'Operations: count the holiday calendars the deadlines need and do not have',
      scheduleExpression: CALENDAR_CHECK_SCHEDULE.expression,
      timeZone: CALENDAR_CHECK_SCHEDULE.timeZone,
      input: {},
      timeout: Duration.seconds(10),
      removalPolicy: props.removalPolicy,
    });

    // --- Case executions that stop without closing the case ---
    this.statusDeadLetters = deadLetterQueue(this, 'StatusDeadLetters', {
      removalPolicy: props.removalPolicy,
      of: 'the stopped-execution rule and function',
    });
    this.statusFunction = new ApiFunction(this, 'ExecutionStatus', {
      entry: OPERATIONS_ENTRIES.executionStatus,
      description: 'Operations: record a stopped case execution on the case and alert the supervision centre',
      removalPolicy: props.removalPolicy,
      timeout: Duration.seconds(30),
      // One at a time: its check-then-write on the case timeline is then once per execution.
      reservedConcurrentExecutions: 1,
    });
    bindTable(this.statusFunction, props.table, 'read-write');
    bindAlerts(this.statusFunction, props.alerts);
    // Events the function failed on after Lambda's own two retries go to the same queue.
    this.statusFunction.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.statusDeadLetters),
    });
    this.statusRule = new Rule(this, 'CaseExecutionStopped', {
      description: 'A case execution failed, timed out or was aborted: record it on the case and alert',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: [...STOPPED_STATUSES], stateMachineArn: [props.workflow.stateMachine.stateMachineArn] },
      },
      targets: [
        new LambdaFunction(this.statusFunction.function, {
          deadLetterQueue: this.statusDeadLetters,
          retryAttempts: 10,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });

    const machine = props.workflow.stateMachine;
    this.alarm(ALARMS.caseExecutionsFailed, machine.metricFailed({ period: Duration.minutes(5) }), {
      description: 'Case executions failed: their cases have no clock running (each is also recorded on the case and alerted).',
    });
    this.alarm(ALARMS.caseExecutionsTimedOut, machine.metricTimedOut({ period: Duration.minutes(5) }), {
      description: 'Case executions timed out: their cases have no clock running.',
    });
    this.alarm(ALARMS.caseExecutionsAborted, machine.metricAborted({ period: Duration.minutes(5) }), {
      description: 'Case executions were aborted (stopped by hand or by a redeploy): their cases have no clock running.',
    });

    // --- The monthly report ----------------------------------------------------------------
    const report = props.monthlyReport;
    const reportPeriod = { period: Duration.hours(1) };
    this.alarm(
      ALARMS.reportRunFailed,
      new MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: report.stateMachine.metricFailed(reportPeriod),
          timedOut: report.stateMachine.metricTimedOut(reportPeriod),
          aborted: report.stateMachine.metricAborted(reportPeriod),
        },
        period: Duration.hours(1),
        label: 'Report runs failed, timed out or aborted',
      }),
      { description: 'The monthly report run failed, timed out or was aborted: no report for the month.' },
    );
    // Provisioned concurrency of the segment reader, scheduled by Application Auto Scaling. That
    // service sends no event for a failed scheduled action (only "scaled to max"), so the signal is
    // the run itself: segment reads that ran while none ran on provisioned concurrency.
    const segment = { FunctionName: report.segmentFunction.function.functionName, Resource: `${report.segmentFunction.function.functionName}:${report.segmentAlias.aliasName}` };
    this.alarm(
      ALARMS.reportRanCold,
      new MathExpression({
        expression: 'IF(FILL(provisioned, 0) == 0, FILL(invocations, 0), 0)',
        usingMetrics: {
          invocations: new Metric({ namespace: 'AWS/Lambda', metricName: 'Invocations', dimensionsMap: segment, statistic: 'Sum', period: Duration.hours(1) }),
          provisioned: new Metric({ namespace: 'AWS/Lambda', metricName: 'ProvisionedConcurrencyInvocations', dimensionsMap: segment, statistic: 'Sum', period: Duration.hours(1) }),
        },
        period: Duration.hours(1),
        label: 'Segment reads without provisioned concurrency',
      }),
      { description: 'The report read its segments with no provisioned concurrency: the scheduled scale-up did not happen.' },
    );

    // --- Every dead-letter queue, the report's missed start among them ---------------------
    for (const queue of this.deadLetterQueuesOf(stack)) {
      const isReportStart = queue === report.scheduleDeadLetters;
      this.alarm(
        isReportStart ? ALARMS.reportStartMissed : `DeadLetters-${this.shortPath(queue)}`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        {
          description: isReportStart
            ? 'EventBridge Scheduler could not start the monthly report run: the month has no report until it is started by hand.'
            : `Messages wait in the dead-letter queue ${queue.node.path}: something was not delivered.`,
        },
      );
    }

    // --- Every function: errors and throttles -----------------------------------------------
    for (const fn of this.functionsOf(stack)) {
      const name = this.shortPath(fn);
      this.alarm(`Errors-${name}`, fn.function.metricErrors({ period: Duration.minutes(5) }), {
        description: `${fn.entry} raised errors.`,
      });
      this.alarm(`Throttles-${name}`, fn.function.metricThrottles({ period: Duration.minutes(5) }), {
        description: `${fn.entry} was throttled: calls were refused for want of concurrency.`,
      });
    }

    // --- The API ----------------------------------------------------------------------------
    const api = props.httpApi.api;
    this.alarm(ALARMS.api5xx, api.metricServerError({ period: Duration.minutes(5) }), {
      description: 'The API answered 5xx: a function failed or timed out behind a route.',
      threshold: 5,
    });
    this.alarm(ALARMS.apiLatencyP99, api.metricLatency({ period: Duration.minutes(5), statistic: 'p99' }), {
      description: `The API's p99 latency stayed above ${API_P99_LATENCY_MS} ms for 15 minutes.`,
      threshold: API_P99_LATENCY_MS,
      evaluationPeriods: 3,
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    // --- Cases stuck before their workflow ----------------------------------------------------
    // The sweeper logs each such case; a metric filter on its log group counts the lines (a metric
    // filter cannot set a dimension that is not in the line, so the stack's name is in the namespace).
    new MetricFilter(this, 'StuckCaseFilter', {
      logGroup: props.outboxSweeper.function.logGroup,
      filterPattern: FilterPattern.stringValue('$.msg', '=', STUCK_CASE_LOG_MESSAGE),
      metricNamespace: this.logMetricsNamespace,
      metricName: STUCK_CASES_METRIC,
      metricValue: '1',
    });
    this.alarm(ALARMS.stuckCases, this.stuckCasesMetric(), {
      description: 'The outbox sweeper found cases whose workflow has still not begun 15 minutes after intake.',
    });

    this.alarm(ALARMS.calendarMissing, this.businessMetric(BUSINESS_METRICS.calendarYearsMissing, 'Maximum', Duration.days(1)), {
      description: 'A holiday calendar the deadlines need is missing (this year, or from 1 October next year): working days count Monday to Friday.',
    });

    this.dashboard = this.buildDashboard(props);
  }

  /** One alarm to the operations topic: at or above `threshold` (default 1) for `evaluationPeriods` (default 1). */
  private alarm(
    name: string,
    metric: IMetric,
    options: { description: string; threshold?: number; evaluationPeriods?: number; comparison?: ComparisonOperator },
  ): Alarm {
    if (this.alarms.has(name)) throw new Error(`Two alarms named ${name}.`);
    const alarm = new Alarm(this.alarmsStack, `Alarm${name}`, {
      alarmName: `${this.prefix}-${name}`,
      alarmDescription: `${options.description} Runbook: docs/operations.md#${name.replace(/-.*/, '').toLowerCase()}`,
      metric,
      threshold: options.threshold ?? 1,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      comparisonOperator: options.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.set(name, alarm);
    return alarm;
  }

  /** Metrics counted from log lines: `LinkedResolution/<stack name>`. */
  get logMetricsNamespace(): string {
    return `${METRICS_NAMESPACE}/${this.prefix}`;
  }

  private stuckCasesMetric(): Metric {
    return new Metric({ namespace: this.logMetricsNamespace, metricName: STUCK_CASES_METRIC, statistic: 'Sum', period: Duration.minutes(5) });
  }

  private businessMetric(name: string, statistic: string, period: Duration): Metric {
    return new Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { service: Stack.of(this).stackName }, statistic, period });
  }

  /** Every function of the stack, this construct's included. */
  private functionsOf(stack: Stack): ApiFunction[] {
    return stack.node.findAll().filter((c): c is ApiFunction => c instanceof ApiFunction);
  }

  /** Every queue of the stack that no other queue sends its failures to: dead-letter queues, which must stay empty. */
  private deadLetterQueuesOf(stack: Stack): Queue[] {
    return stack.node
      .findAll()
      .filter((c): c is Queue => c instanceof Queue)
      .filter((queue) => queue.deadLetterQueue === undefined);
  }

  /** `Http/GetV1CasesId` → `HttpGetV1CasesId`: a short, stable alarm name part. */
  private shortPath(construct: Construct): string {
    return construct.node.path.split('/').slice(1).join('').replace(/[^A-Za-z0-9]/g, '').replace(/Function$/, '');
  }

  private buildDashboard(props: OperationsProps): Dashboard {
    const stack = Stack.of(this);
    const dashboard = new Dashboard(this.alarmsStack, 'Dashboard', {
      dashboardName: `${stack.stackName}-operations`,
      defaultInterval: Duration.days(7),
    });
    const day = Duration.days(1);
    const machine = props.workflow.stateMachine;
    const report = props.monthlyReport.stateMachine;
    const functions = this.functionsOf(stack);
    const queues = this.deadLetterQueuesOf(stack);
    const period5 = { period: Duration.minutes(5) };

    dashboard.addWidgets(
      new TextWidget({
        markdown:
          `# ${stack.stackName}: operations\nEvery alarm below goes to the operations topic; what each means and what to do is in ` +
          '`docs/operations.md`. Business counts are per day, Shanghai time not applied (UTC days).',
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: [...this.alarms.values()], width: 24, height: 6 }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Cases accepted, deadline breaches and escalations per day',
        left: [
          this.businessMetric(BUSINESS_METRICS.casesAccepted, 'Sum', day),
          this.businessMetric(BUSINESS_METRICS.breaches, 'Sum', day),
          this.businessMetric(BUSINESS_METRICS.escalations, 'Sum', day),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Case executions: started, failed, timed out, aborted',
        left: [machine.metricStarted(period5), machine.metricFailed(period5), machine.metricTimedOut(period5), machine.metricAborted(period5)],
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'API: requests, 4xx, 5xx',
        left: [props.httpApi.api.metricCount(period5), props.httpApi.api.metricClientError(period5), props.httpApi.api.metricServerError(period5)],
        width: 12,
      }),
      new GraphWidget({
        title: 'API latency: p50 and p99 (ms)',
        left: [
          props.httpApi.api.metricLatency({ ...period5, statistic: 'p50' }),
          props.httpApi.api.metricLatency({ ...period5, statistic: 'p99' }),
        ],
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Lambda errors by function',
        left: functions.map((fn) => fn.function.metricErrors({ ...period5, label: this.shortPath(fn) })),
        width: 12,
        height: 8,
      }),
      new GraphWidget({
        title: 'Lambda throttles by function',
        left: functions.map((fn) => fn.function.metricThrottles({ ...period5, label: this.shortPath(fn) })),
        width: 12,
        height: 8,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Dead-letter queues: messages waiting',
        left: queues.map((queue) => queue.metricApproximateNumberOfMessagesVisible({ ...period5, statistic: 'Maximum', label: this.shortPath(queue) })),
        width: 12,
      }),
      new GraphWidget({
        title: 'Stuck cases (sweeper) and holiday calendars missing',
        left: [this.stuckCasesMetric()],
        right: [this.businessMetric(BUSINESS_METRICS.calendarYearsMissing, 'Maximum', day)],
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Monthly report runs: succeeded, failed, timed out, aborted',
        left: [
          report.metricSucceeded({ period: Duration.hours(1) }),
          report.metricFailed({ period: Duration.hours(1) }),
          report.metricTimedOut({ period: Duration.hours(1) }),
          report.metricAborted({ period: Duration.hours(1) }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Workflow function: concurrent executions (reserved) and throttles',
        left: [props.workflow.taskFunction.function.metric('ConcurrentExecutions', { ...period5, statistic: 'Maximum' })],
        right: [props.workflow.taskFunction.function.metricThrottles(period5)],
        width: 12,
      }),
    );
    return dashboard;
  }
}
