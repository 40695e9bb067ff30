import * as path from 'node:path';
import { guardRule } from './guard';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { TableAccess, WorkflowAccess } from '../../functions/api/routes';
import { LAMBDA_BUNDLING, RUNTIME_NODE_OPTIONS } from '../bundling';
import { calendarEnvironment, loadedCalendarYears } from '../calendar-data';
import { CALENDAR_YEARS_ENV } from '../../functions/domain/calendar';
import type { AlertTopic } from './alert-topic';
import type { CaseTable } from './case-table';
import type { CaseWorkflow } from './case-workflow';
import { encryptedLogGroup } from './encryption';

/** The repository root: handler entries and the lock file are found from here. */
export const REPO_ROOT = path.join(__dirname, '..', '..');

/** Namespace of the business metrics (functions/commons/metrics.ts); the dimension `service` is the stack's name. */
export const METRICS_NAMESPACE = 'LinkedResolution';

/** Environment variables the handlers read; set only by the bind helpers below. */
export const ENVIRONMENT = {
  casesTable: 'CASES_TABLE',
  caseWorkflowArn: 'CASE_WORKFLOW_ARN',
  alertTopicArn: 'ALERT_TOPIC_ARN',
} as const;

export interface ApiFunctionProps {
  /** Handler module relative to the repository root (one of infra/bundling.ts's LAMBDA_ENTRIES); it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly removalPolicy: RemovalPolicy;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  readonly logRetention?: RetentionDays;
  /** Concurrent executions kept for this function alone, and its ceiling. Default: none (the account's pool). */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * One Lambda function of the system with every default decided once: Node.js 24 on
 * Graviton, a minified bundle with source maps, X-Ray, and its own log group. The role is
 * created here rather than by Lambda so that it carries no AWS managed policy: it may
 * write to its own log group and to nothing else until a bind helper grants more.
 */
export class ApiFunction extends Construct {
  /** The handler module, relative to the repository root. */
  readonly entry: string;
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    this.entry = props.entry;

    this.logGroup = encryptedLogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: props.removalPolicy,
    });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(REPO_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      ...(props.reservedConcurrentExecutions === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      environment: {
        NODE_OPTIONS: RUNTIME_NODE_OPTIONS,
        // Business metrics in embedded metric format: written only where these are set.
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_SERVICE_NAME: Stack.of(this).stackName,
        // Holiday calendars loaded as data (infra/calendar-data.ts), when config/calendar/ has years no bundle imports.
        ...calendarVariable(),
      },
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      // Minified CommonJS with source maps, AWS SDK v3 left to the runtime: see infra/bundling.ts.
      bundling: LAMBDA_BUNDLING,
    });

    Validations.of(this.function).acknowledge({
      id: guardRule('lambda_inside_vpc_check'),
      reason:
        'No function reaches anything inside a VPC: DynamoDB, Step Functions, SNS and S3 are called over TLS with IAM ' +
        'authorization. A VPC would add NAT or endpoint costs and cold-start time and protect nothing here.',
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the X-Ray statement added by active tracing uses "*": xray:PutTraceSegments and ' +
        'xray:PutTelemetryRecords have no resource-level permissions. tests/infra checks that no ' +
        'other action is granted on "*".',
    });
  }

  addEnvironment(name: string, value: string): void {
    this.function.addEnvironment(name, value);
  }
}

let calendarValue: { value: string | undefined } | undefined;
/** Read once per synthesis: every function gets the same calendars. */
function calendarVariable(): Record<string, string> {
  calendarValue ??= { value: calendarEnvironment(loadedCalendarYears()) };
  return calendarValue.value === undefined ? {} : { [CALENDAR_YEARS_ENV]: calendarValue.value };
}

/** The table's name in CASES_TABLE, and the data actions that `access` needs. */
export function bindTable(fn: ApiFunction, table: CaseTable, access: TableAccess): void {
  fn.addEnvironment(ENVIRONMENT.casesTable, table.table.tableName);
  table.grantData(fn.role, access);
}

/** The state machine's ARN in CASE_WORKFLOW_ARN, and exactly the listed kinds of access. */
export function bindWorkflow(fn: ApiFunction, workflow: CaseWorkflow, access: readonly WorkflowAccess[]): void {
  fn.addEnvironment(ENVIRONMENT.caseWorkflowArn, workflow.stateMachine.stateMachineArn);
  for (const kind of new Set(access)) {
    if (kind === 'start') workflow.grantStart(fn.role);
    else if (kind === 'callback') workflow.grantCallback(fn.role);
    else if (kind === 'status') workflow.grantStatus(fn.role);
    else workflow.grantDescribe(fn.role);
  }
}

/** The topic's ARN in ALERT_TOPIC_ARN, and permission to publish to it. */
export function bindAlerts(fn: ApiFunction, alerts: AlertTopic): void {
  fn.addEnvironment(ENVIRONMENT.alertTopicArn, alerts.topic.topicArn);
  alerts.grantPublish(fn.role);
}
