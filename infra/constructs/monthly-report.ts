import { Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { guardRule } from './guard';
import { Schedule as ScalingSchedule, type IScalableTarget } from 'aws-cdk-lib/aws-applicationautoscaling';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Alias, type IScalableFunctionAttribute } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { CustomerManagedEncryptionConfiguration, DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { readReportWorkflowDefinition, reportWorkflowSubstitutions } from '../../statemachines/definitions';
import type { AlertTopic } from './alert-topic';
import { ApiFunction, bindTable } from './api-function';
import { REPORT_ENTRIES } from '../bundling';
import type { CaseTable } from './case-table';
import { deadLetterQueue } from './dead-letters';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { encryptedLogGroup, StackKeys } from './encryption';

export interface MonthlyReportProps {
  readonly table: CaseTable;
  readonly alerts: AlertTopic;
  readonly removalPolicy: RemovalPolicy;
  /** Warm segment readers during the run: the Map reads this many segments at a time. Default 16. */
  readonly provisionedConcurrency?: number;
}

/** The job: 01:00 on the 1st of every month, Shanghai time, reporting the month before. */
export const REPORT_SCHEDULE = { expression: 'cron(0 1 1 * ? *)', timeZone: 'Asia/Shanghai' } as const;
/** Capacity goes up ten minutes before the run and down an hour after it. */
export const SCALE_UP = { minute: '50', hour: '0', day: '1' } as const;
export const SCALE_DOWN = { minute: '0', hour: '2', day: '1' } as const;
/** Alias of the segment reader that the state machine invokes and provisioned concurrency is set on. */
export const SEGMENT_ALIAS = 'live';
/** Prefix of the report files in the bucket (monthly/<yyyy>/<yyyy-mm>.json|csv). */
export const REPORT_PREFIX = 'monthly/';

/**
 * The monthly assessment (考核通报): an EventBridge Scheduler schedule starts the report state
 * machine (statemachines/report.asl.json) on the 1st at 01:00 Asia/Shanghai; it reads the
 * month's cases from the byMonth index in parallel segments, writes the report item, the JSON
 * and CSV files in the reports bucket, and publishes REPORT_PUBLISHED. Application Auto Scaling
 * gives the segment reader's alias provisioned concurrency from 00:50 to 02:00 on that day.
 */
export class MonthlyReport extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  readonly planFunction: ApiFunction;
  readonly segmentFunction: ApiFunction;
  readonly segmentAlias: Alias;
  readonly writerFunction: ApiFunction;
  readonly stateMachine: StateMachine;
  readonly schedulerRole: Role;
  readonly schedule: CfnSchedule;
  /** A start the scheduler could not deliver after its retries: the missed run, which alarms. */
  readonly scheduleDeadLetters: Queue;
  readonly segmentScaling: IScalableFunctionAttribute;
  readonly provisionedConcurrency: number;

  constructor(scope: Construct, id: string, props: MonthlyReportProps) {
    super(scope, id);
    this.provisionedConcurrency = props.provisionedConcurrency ?? 16;

    // Published reports are records of the assessment: both buckets are kept when the stack goes, in every stage.
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Reports are aggregates with no personal data: S3-managed encryption (SSE-S3) protects them at rest without a key to grant readers.
    this.bucket = new Bucket(this, 'Reports', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'reports/',
      lifecycleRules: [
        // A re-run overwrites a month's files; the versions it replaced are kept for a year.
        { id: 'expire-replaced-versions', noncurrentVersionExpiration: Duration.days(365) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    Validations.of(this.accessLogs).acknowledge({
      id: guardRule('s3_bucket_versioning_enabled_check'),
      reason: 'Server access logs are written once by S3 and never replaced; versions would only keep copies of nothing.',
    });
    Validations.of(this.accessLogs).acknowledge({
      id: guardRule('s3_bucket_logging_enabled_check'),
      reason: 'This is the access log bucket of the reports bucket; logging it into itself would loop.',
    });
    for (const bucket of [this.accessLogs, this.bucket]) {
      Validations.of(bucket).acknowledge({
        id: guardRule('s3_bucket_default_encryption_kms_check'),
        reason: 'Reports and their access logs are aggregates and request records with no personal data: SSE-S3 encrypts them at rest without a key every reader must be granted.',
      });
      Validations.of(bucket).acknowledge({
        id: guardRule('s3_event_notifications_enabled_check'),
        reason: 'Nothing reacts to these objects: the report state machine publishes REPORT_PUBLISHED itself when the files are written.',
      });
      Validations.of(bucket).acknowledge({
        id: guardRule('s3_bucket_object_lock_enabled_check'),
        reason: 'A re-run must be able to replace a month\'s files; replaced versions of reports are kept a year by the lifecycle rule instead.',
      });
    }

    this.planFunction = new ApiFunction(this, 'Plan', {
      entry: REPORT_ENTRIES.plan,
      description: 'Monthly report: the month, its cutoff and its segments',
      removalPolicy: props.removalPolicy,
      memorySize: 256,
    });

    this.segmentFunction = new ApiFunction(this, 'Segment', {
      entry: REPORT_ENTRIES.segment,
      description: 'Monthly report: read one segment of the month from the byMonth index and fold it',
      removalPolicy: props.removalPolicy,
      memorySize: 1024,
      timeout: Duration.minutes(5),
    });
    bindTable(this.segmentFunction, props.table, 'read-write');
    this.segmentAlias = new Alias(this, 'SegmentAlias', {
      aliasName: SEGMENT_ALIAS,
      version: this.segmentFunction.function.currentVersion,
      description: 'The segment reader the report state machine invokes; provisioned concurrency is scheduled on it',
    });

    this.writerFunction = new ApiFunction(this, 'Writer', {
      entry: REPORT_ENTRIES.writer,
      description: 'Monthly report: fold the segments, write the report item and files',
      removalPolicy: props.removalPolicy,
      memorySize: 1024,
      timeout: Duration.minutes(2),
    });
    bindTable(this.writerFunction, props.table, 'read-write');
    this.writerFunction.addEnvironment('REPORT_BUCKET', this.bucket.bucketName);
    this.writerFunction.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects(`${REPORT_PREFIX}*`)] }),
    );
    Validations.of(this.writerFunction.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/${REPORT_PREFIX}*]`,
      reason: 'The writer puts one JSON and one CSV file per month under monthly/<yyyy>/; the key is the month it reports, known only at run time.',
    });

    const logGroup = encryptedLogGroup(this, 'Logs', { retention: RetentionDays.SIX_MONTHS, removalPolicy: props.removalPolicy });
    const key = StackKeys.of(this).workflows;
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(readReportWorkflowDefinition()),
      definitionSubstitutions: reportWorkflowSubstitutions({
        planFunctionArn: this.planFunction.function.functionArn,
        segmentFunctionArn: this.segmentAlias.functionArn,
        writerFunctionArn: this.writerFunction.function.functionArn,
        alertTopicArn: props.alerts.topic.topicArn,
        partition: Stack.of(this).partition,
      }),
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
      encryptionConfiguration: new CustomerManagedEncryptionConfiguration(key),
    });
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.planFunction.function.functionArn, this.segmentAlias.functionArn, this.writerFunction.function.functionArn],
      }),
    );
    props.alerts.grantPublish(this.stateMachine);
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the statements CDK adds for logging and tracing use "*": the CloudWatch Logs delivery actions and X-Ray ' +
        'PutTraceSegments/PutTelemetryRecords/GetSampling* have no resource-level permissions.',
    });

    // The scheduler's role may start this state machine and nothing else.
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler: start the monthly report state machine',
      inlinePolicies: {
        StartReport: new PolicyDocument({
          statements: [
            new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] }),
            // The execution's input is encrypted with the state machine's key.
            new PolicyStatement({
              actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
              resources: [key.keyArn],
              conditions: { StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': this.stateMachine.stateMachineArn } },
            }),
          ],
        }),
      },
    });
    this.scheduleDeadLetters = deadLetterQueue(this, 'ScheduleDeadLetters', {
      removalPolicy: props.removalPolicy,
      of: 'the monthly report schedule',
    });
    this.scheduleDeadLetters.grantSendMessages(this.schedulerRole);
    this.schedule = new CfnSchedule(this, 'Schedule', {
      description: 'Monthly assessment report: 01:00 on the 1st, Asia/Shanghai, for the month before',
      scheduleExpression: REPORT_SCHEDULE.expression,
      scheduleExpressionTimezone: REPORT_SCHEDULE.timeZone,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.stateMachine.stateMachineArn,
        roleArn: this.schedulerRole.roleArn,
        // The scheduled time, not the time of delivery: a delayed or retried start still reports the right month.
        input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
        retryPolicy: { maximumRetryAttempts: 5, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: this.scheduleDeadLetters.queueArn },
      },
    });

    // Scheduled scaling: warm segment readers for the run, none the rest of the month.
    this.segmentScaling = this.segmentAlias.addAutoScaling({ minCapacity: 0, maxCapacity: this.provisionedConcurrency });
    this.segmentScaling.scaleOnSchedule('ScaleUpBeforeRun', {
      schedule: ScalingSchedule.cron(SCALE_UP),
      minCapacity: this.provisionedConcurrency,
      maxCapacity: this.provisionedConcurrency,
      timeZone: TimeZone.ASIA_SHANGHAI,
    });
    this.segmentScaling.scaleOnSchedule('ScaleDownAfterRun', {
      schedule: ScalingSchedule.cron(SCALE_DOWN),
      minCapacity: 0,
      maxCapacity: 0,
      timeZone: TimeZone.ASIA_SHANGHAI,
    });
  }

  /** The scalable target behind the alias's scaling (for tests and readers of the template). */
  get scalableTarget(): IScalableTarget | undefined {
    return this.segmentScaling.node.tryFindChild('ScalableTarget') as IScalableTarget | undefined;
  }
}
