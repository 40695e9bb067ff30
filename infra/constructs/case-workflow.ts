import { caseWorkflowSubstitutions, readCaseWorkflowDefinition } from '../../statemachines/definitions';
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type IGrantable, type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  type CfnStateMachine,
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

export interface CaseWorkflowProps {
  readonly table: CaseTable;
  readonly alerts: AlertTopic;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * One STANDARD execution per case, named by the case id, driving the deadlines; its task
 * function reads and writes the case and publishes alerts.
 */
export class CaseWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly taskFunction: ApiFunction;

  constructor(scope: Construct, id: string, props: CaseWorkflowProps) {
    super(scope, id);

    this.taskFunction = new ApiFunction(this, 'Task', {
      entry: WORKFLOW_ENTRY,
      description: 'Case workflow task: deadlines, lights, escalation and alerts',
      removalPolicy: props.removalPolicy,
      timeout: Duration.seconds(30),
    });
    bindTable(this.taskFunction, props.table, 'read-write');
    bindAlerts(this.taskFunction, props.alerts);

    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.SIX_MONTHS,
      removalPolicy: props.removalPolicy,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
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
    });

    // The definition calls the unqualified function ARN, so no `:*` for versions or aliases.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.taskFunction.function.functionArn] }),
    );
    props.alerts.grantPublish(this.stateMachine);

    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the statements CDK adds for logging and tracing use "*": the CloudWatch Logs delivery ' +
        'actions (logs:CreateLogDelivery and friends) and X-Ray PutTraceSegments/PutTelemetryRecords/' +
        'GetSampling* have no resource-level permissions.',
    });
  }

  /** Start executions of this machine (not of any other). */
  grantStart(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] }),
    );
  }

  /** Answer this machine's task tokens. */
  grantCallback(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
        resources: [this.stateMachine.stateMachineArn],
      }),
    );
  }

  /** Read this machine and its executions' status and history. */
  grantDescribe(grantee: IRole): void {
    const executions = this.executionsArn();
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:DescribeStateMachine', 'states:ListExecutions'],
        resources: [this.stateMachine.stateMachineArn],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
        resources: [executions],
      }),
    );
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${this.executionsFindingResource()}]`,
      reason:
        "Executions are named by case id at run time, so the grant covers this state machine's " +
        'executions (execution:<machine>:*) and no other machine.',
    });
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
    return `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${logicalId}.Name>:*`;
  }
}
