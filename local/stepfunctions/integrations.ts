/**
 * Task resources: which ARNs a Task may name, and how each is carried out through the integrations
 * the local stack injects (in-process Lambda handlers, the local SNS, the local DynamoDB).
 */
import { randomUUID } from 'node:crypto';
import { isObject } from './jsonpath';

export interface ServiceIntegrations {
  /** Throws an Error whose `name` is the error type for function errors (matched by Retry/Catch on that name). */
  invokeLambda(functionArn: string, payload: unknown): Promise<unknown>;
  publishSns(params: {
    TopicArn: string;
    Message: string;
    MessageAttributes?: Record<string, { DataType: string; StringValue?: string }>;
    Subject?: string;
  }): Promise<{ MessageId: string }>;
  /** Parameters and results in DynamoDB JSON, as the AWS SDK (low-level client) takes and returns them. */
  dynamodb?(action: DynamoDbAction, params: unknown): Promise<unknown>;
  /**
   * `states:startExecution` (request-response): the service supplies its own when the stack gives
   * none. Throws an Error named by the Step Functions error code (ExecutionAlreadyExists, …).
   */
  startExecution?(params: { stateMachineArn: string; name?: string; input: string }): Promise<{ executionArn: string; startDate: Date }>;
}

export type DynamoDbAction = 'getItem' | 'putItem' | 'updateItem' | 'deleteItem';

export type TaskResource =
  | { kind: 'lambda:invoke'; waitForTaskToken: boolean }
  | { kind: 'sns:publish'; waitForTaskToken: boolean }
  | { kind: 'dynamodb'; action: DynamoDbAction; waitForTaskToken: false }
  /** A Lambda function ARN in Resource: the state input (or Parameters) is the payload, the function's return is the result. */
  | { kind: 'lambda:function'; functionArn: string; waitForTaskToken: false }
  /** Starts another execution and goes on at once (request-response; `.sync` is not supported). */
  | { kind: 'states:startExecution'; waitForTaskToken: false };

const SERVICE_ARN = /^arn:aws(?:-cn|-us-gov)?:states:::([a-z0-9-]+):([A-Za-z]+)(?:\.(waitForTaskToken|sync|sync:2))?$/;
const FUNCTION_ARN = /^arn:aws(?:-cn|-us-gov)?:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9_$-]+)?$/;
const DYNAMODB_ACTIONS: DynamoDbAction[] = ['getItem', 'putItem', 'updateItem', 'deleteItem'];

/** Undefined with a reason for resources the local stack does not run. */
export function parseResource(resource: string): { resource?: TaskResource; reason?: string } {
  if (FUNCTION_ARN.test(resource)) return { resource: { kind: 'lambda:function', functionArn: resource, waitForTaskToken: false } };
  const m = SERVICE_ARN.exec(resource);
  if (!m) return { reason: `unsupported Task resource '${resource}' (activities and other services are not available locally)` };
  const [, service, action, pattern] = m;
  if (pattern && pattern !== 'waitForTaskToken') return { reason: `the .${pattern} integration pattern is not supported locally ('${resource}')` };
  const waitForTaskToken = pattern === 'waitForTaskToken';
  if (service === 'lambda' && action === 'invoke') return { resource: { kind: 'lambda:invoke', waitForTaskToken } };
  if (service === 'sns' && action === 'publish') return { resource: { kind: 'sns:publish', waitForTaskToken } };
  if (service === 'dynamodb' && (DYNAMODB_ACTIONS as string[]).includes(action)) {
    if (waitForTaskToken) return { reason: `DynamoDB supports only the request-response pattern ('${resource}')` };
    return { resource: { kind: 'dynamodb', action: action as DynamoDbAction, waitForTaskToken: false } };
  }
  if (service === 'states' && action === 'startExecution') {
    if (waitForTaskToken) return { reason: `states:startExecution is supported locally as request-response only ('${resource}')` };
    return { resource: { kind: 'states:startExecution', waitForTaskToken: false } };
  }
  return { reason: `unsupported service integration '${resource}'` };
}

/** resourceType / resource as history events report them. */
export function describeResource(resource: TaskResource): { resourceType: string; resource: string } {
  const suffix = resource.waitForTaskToken ? '.waitForTaskToken' : '';
  switch (resource.kind) {
    case 'lambda:invoke':
      return { resourceType: 'lambda', resource: `invoke${suffix}` };
    case 'sns:publish':
      return { resourceType: 'sns', resource: `publish${suffix}` };
    case 'dynamodb':
      return { resourceType: 'dynamodb', resource: resource.action };
    case 'lambda:function':
      return { resourceType: 'lambda', resource: resource.functionArn };
    case 'states:startExecution':
      return { resourceType: 'states', resource: 'startExecution' };
  }
}

export interface AwsLocation {
  region: string;
  accountId: string;
  partition: string;
}

/** A failed task: `error` is what Retry / Catch match on. */
export class TaskFailure extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
    this.name = 'TaskFailure';
  }
}

/**
 * Carries out one task and returns its result as the Task state sees it (before ResultSelector).
 * Rejects with TaskFailure.
 */
export async function runTask(
  integrations: ServiceIntegrations,
  resource: TaskResource,
  request: unknown,
  where: AwsLocation,
): Promise<unknown> {
  switch (resource.kind) {
    case 'lambda:function':
      return toJson(await invokeFunction(integrations, resource.functionArn, request));
    case 'lambda:invoke':
      return invokeOptimized(integrations, request, where);
    case 'sns:publish':
      return publish(integrations, request);
    case 'states:startExecution':
      return startExecution(integrations, request);
    case 'dynamodb': {
      if (!integrations.dynamodb) throw new TaskFailure('States.Runtime', 'No DynamoDB integration is configured in the local stack');
      try {
        const result = await integrations.dynamodb(resource.action, request);
        return withSdkMetadata(toJson(result ?? {}) as Record<string, unknown>);
      } catch (error) {
        throw serviceFailure('DynamoDB', error);
      }
    }
  }
}

async function invokeOptimized(integrations: ServiceIntegrations, request: unknown, where: AwsLocation): Promise<unknown> {
  if (!isObject(request) || typeof request.FunctionName !== 'string') {
    throw new TaskFailure('States.Runtime', 'lambda:invoke needs Parameters with a FunctionName string');
  }
  const functionArn = functionArnOf(request.FunctionName, typeof request.Qualifier === 'string' ? request.Qualifier : undefined, where);
  // Without Payload the function is invoked with an empty event.
  const payload = 'Payload' in request ? request.Payload : {};
  if (request.InvocationType === 'Event') {
    // Asynchronous invocation: the task does not wait for the function.
    invokeFunction(integrations, functionArn, payload).catch(() => undefined);
    return withSdkMetadata({ Payload: '', StatusCode: 202 });
  }
  const result = toJson(await invokeFunction(integrations, functionArn, payload));
  return withSdkMetadata({ ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 }, { 'X-Amz-Executed-Version': '$LATEST' });
}

async function invokeFunction(integrations: ServiceIntegrations, functionArn: string, payload: unknown): Promise<unknown> {
  try {
    return await integrations.invokeLambda(functionArn, payload);
  } catch (error) {
    throw functionFailure(error);
  }
}

async function publish(integrations: ServiceIntegrations, request: unknown): Promise<unknown> {
  if (!isObject(request) || typeof request.TopicArn !== 'string' || request.Message === undefined) {
    throw new TaskFailure('States.Runtime', 'sns:publish needs Parameters with TopicArn and Message');
  }
  const { TopicArn, Message, MessageAttributes, Subject } = request;
  try {
    const result = await integrations.publishSns({
      TopicArn,
      // A JSON Message is sent as its text, as Step Functions does.
      Message: typeof Message === 'string' ? Message : JSON.stringify(Message),
      ...(MessageAttributes !== undefined ? { MessageAttributes: MessageAttributes as Record<string, { DataType: string; StringValue?: string }> } : {}),
      ...(typeof Subject === 'string' ? { Subject } : {}),
    });
    return withSdkMetadata({ MessageId: result.MessageId });
  } catch (error) {
    throw serviceFailure('SNS', error);
  }
}

async function startExecution(integrations: ServiceIntegrations, request: unknown): Promise<unknown> {
  if (!integrations.startExecution) throw new TaskFailure('States.Runtime', 'No Step Functions integration is configured');
  if (!isObject(request) || typeof request.StateMachineArn !== 'string') {
    throw new TaskFailure('States.Runtime', 'states:startExecution needs Parameters with a StateMachineArn string');
  }
  const { StateMachineArn, Name, Input } = request;
  if (Name !== undefined && typeof Name !== 'string') throw new TaskFailure('States.Runtime', 'states:startExecution: Name must be a string');
  try {
    const started = await integrations.startExecution({
      stateMachineArn: StateMachineArn,
      ...(Name !== undefined ? { name: Name } : {}),
      // A JSON Input is sent as its text, as Step Functions does.
      input: Input === undefined ? '{}' : typeof Input === 'string' ? Input : JSON.stringify(Input),
    });
    return withSdkMetadata({ ExecutionArn: started.executionArn, StartDate: started.startDate.toISOString() });
  } catch (error) {
    // Service exceptions are named as the SDK names them: StepFunctions.ExecutionAlreadyExistsException.
    const { name, message } = errorParts(error);
    throw new TaskFailure(`StepFunctions.${name.endsWith('Exception') ? name : `${name}Exception`}`, message);
  }
}

/** Accepts a function name, `name:alias`, a partial ARN (`123456789012:function:name`) or a full ARN. */
export function functionArnOf(functionName: string, qualifier: string | undefined, where: AwsLocation): string {
  let arn: string;
  if (functionName.startsWith('arn:')) arn = functionName;
  else if (/^\d{12}:function:/.test(functionName)) arn = `arn:${where.partition}:lambda:${where.region}:${functionName}`;
  else arn = `arn:${where.partition}:lambda:${where.region}:${where.accountId}:function:${functionName}`;
  return qualifier && arn.split(':').length === 7 ? `${arn}:${qualifier}` : arn;
}

function functionFailure(error: unknown): TaskFailure {
  if (error instanceof TaskFailure) return error;
  const { name, message, stack } = errorParts(error);
  const cause = JSON.stringify({ errorMessage: message, errorType: name, ...(stack ? { trace: stack.split('\n') } : {}) });
  return new TaskFailure(name, cause);
}

function serviceFailure(service: string, error: unknown): TaskFailure {
  if (error instanceof TaskFailure) return error;
  const { name, message } = errorParts(error);
  return new TaskFailure(name.startsWith(`${service}.`) ? name : `${service}.${name}`, message);
}

function errorParts(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error) return { name: error.name || 'Error', message: error.message, stack: error.stack };
  if (isObject(error)) {
    return { name: typeof error.name === 'string' ? error.name : 'Error', message: typeof error.message === 'string' ? error.message : JSON.stringify(error) };
  }
  return { name: 'Error', message: String(error) };
}

function withSdkMetadata(result: Record<string, unknown>, headers: Record<string, string> = {}): Record<string, unknown> {
  const requestId = randomUUID();
  return {
    ...result,
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries({ 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId, ...headers }).map(([k, v]) => [k, [v]])),
      HttpHeaders: { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId, ...headers },
      HttpStatusCode: typeof result.StatusCode === 'number' ? result.StatusCode : 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

/** What a function returns travels as JSON text: undefined becomes null, Dates become strings. */
function toJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
