import { caseWorkflowSubstitutions, readCaseWorkflowDefinition } from '../../statemachines/definitions';
import { ArnFormat, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { type IGrantable, type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  type CfnStateMachine,
  CustomerManagedEncryptionConfiguration,
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { AlertTopic } from './alert-topic';
import { ApiFunction, bindAlerts, bindTable } from './api-function';
import { WORKFLOW_ENTRY } from '../bundling';
import type { CaseTable } from './case-table';
import { encryptedLogGroup, StackKeys } from './encryption';

export interface CaseWorkflowProps {
  readonly table: CaseTable;
  readonly alerts: AlertTopic;
  readonly removalPolicy: RemovalPolicy;
  /** Reserved concurrency of the task function. Default WORKFLOW_RESERVED_CONCURRENCY. */
  readonly reservedConcurrency?: number;
}

/**
 * Concurrent task-function calls kept for the workflow. Each call is a short DynamoDB
 * transaction (tens of milliseconds), so 20 at once carry hundreds of steps per second, far
 * above intake's peak; the account keeps the rest (Lambda needs 100 unreserved).
 */
export const WORKFLOW_RESERVED_CONCURRENCY = 20;

/**
 * One STANDARD execution per case, named by the case id, driving the deadlines; its task
 * function reads and writes the case and publishes alerts.
 */
export class CaseWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly taskFunction: ApiFunction;
  /** Encrypts the definition and every execution's history. */
  readonly key: IKey;

  constructor(scope: Construct, id: string, props: CaseWorkflowProps) {
    super(scope, id);

    this.taskFunction = new ApiFunction(this, 'Task', {
      entry: WORKFLOW_ENTRY,
      description: 'Case workflow task: deadlines, lights, escalation and alerts',
      removalPolicy: props.removalPolicy,
      timeout: Duration.seconds(30),
      // Its own share of the account's concurrency: a burst of API traffic cannot starve the
      // deadlines, and a runaway of executions cannot starve the API. Throttled calls are retried
      // by the state machine with jitter (statemachines/case.asl.json).
      reservedConcurrentExecutions: props.reservedConcurrency ?? WORKFLOW_RESERVED_CONCURRENCY,
    });
    bindTable(this.taskFunction, props.table, 'read-write');
    bindAlerts(this.taskFunction, props.alerts);

    this.key = StackKeys.of(this).workflows;
    const logGroup = encryptedLogGroup(this, 'Logs', {
      retention: RetentionDays.SIX_MONTHS,
      removalPolicy: props.removalPolicy,
    });

    // Named, so its own ARN can be written without a reference to itself (its role starts the next
    // execution of a long case, and a role cannot depend on the machine that depends on it).
    const stateMachineName = `${Stack.of(this).stackName}-cases`;
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(readCaseWorkflowDefinition()),
      definitionSubstitutions: caseWorkflowSubstitutions({
        workflowFunctionArn: this.taskFunction.function.functionArn,
        alertTopicArn: props.alerts.topic.topicArn,
        partition: Stack.of(this).partition,
      }),
      // Every transition is logged, but not its input and output: those carry complainants' personal data.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
      // The history holds handler names, notes and reasons: encrypted with the stack's key, readable only with a grant on it.
      encryptionConfiguration: new CustomerManagedEncryptionConfiguration(this.key),
    });

    // The definition calls the unqualified function ARN, so no `:*` for versions or aliases.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.taskFunction.function.functionArn] }),
    );
    props.alerts.grantPublish(this.stateMachine);
    // ContinueAsNew: a case that outlives an execution continues in a new one of this machine (and no other).
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:StartExecution'],
        resources: [Stack.of(this).formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }),
    );

    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the statements CDK adds for logging and tracing use "*": the CloudWatch Logs delivery ' +
        'actions (logs:CreateLogDelivery and friends) and X-Ray PutTraceSegments/PutTelemetryRecords/' +
        'GetSampling* have no resource-level permissions.',
    });
  }

  /** Start executions of this machine (not of any other); the input is encrypted with the machine's key. */
  grantStart(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] }),
    );
    this.grantKey(grantee, ['kms:GenerateDataKey', 'kms:Decrypt']);
  }

  /** Answer this machine's task tokens; the answer is encrypted with the machine's key. */
  grantCallback(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
        resources: [this.stateMachine.stateMachineArn],
      }),
    );
    this.grantKey(grantee, ['kms:GenerateDataKey', 'kms:Decrypt']);
  }

  /**
   * Whether the machine exists and is active, and nothing else: DescribeStateMachine on this
   * machine, called with includedData METADATA_ONLY, needs no key (the definition stays encrypted).
   */
  grantStatus(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:DescribeStateMachine'], resources: [this.stateMachine.stateMachineArn] }),
    );
  }

  /** Read this machine's executions: their status and history (decrypted with the machine's key). */
  grantDescribe(grantee: IRole): void {
    const executions = this.executionsArn();
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
        resources: [executions],
      }),
    );
    this.grantKey(grantee, ['kms:Decrypt']);
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${this.executionsFindingResource()}]`,
      reason:
        "Executions are named by case id at run time, so the grant covers this state machine's " +
        'executions (execution:<machine>:*) and no other machine.',
    });
  }

  /** The machine's key, only in this machine's encryption context. */
  private grantKey(grantee: IGrantable, actions: string[]): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions,
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': this.stateMachine.stateMachineArn } },
      }),
    );
  }

  private executionsArn(): string {
    return Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachine.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** The executions ARN as cdk-nag spells it in the finding id. */
  private executionsFindingResource(): string {
    const logicalId = Stack.of(this).getLogicalId(this.stateMachine.node.defaultChild as CfnStateMachine);
    // cdk-nag spells a pseudo parameter as <AWS::…>, and a value known at synthesis (a stage with its region) as itself.
    const stack = Stack.of(this);
    const spelled = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
    return (
      `arn:${spelled(stack.partition, 'AWS::Partition')}:states:${spelled(stack.region, 'AWS::Region')}:` +
      `${spelled(stack.account, 'AWS::AccountId')}:execution:<${logicalId}.Name>:*`
    );
  }
}
