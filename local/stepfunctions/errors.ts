/** Errors of the Step Functions API (what an SDK call rejects with); `name` is the AWS error code. */
export type StepFunctionsErrorCode =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'StateMachineDoesNotExist'
  | 'StateMachineAlreadyExists'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'InvalidToken'
  | 'InvalidArn'
  | 'InvalidDefinition'
  | 'InvalidName'
  | 'InvalidOutput'
  | 'InvalidExecutionInput'
  | 'ValidationException'
  | 'UnknownOperationException'
  | 'SerializationException';

export class StepFunctionsError extends Error {
  readonly $fault = 'client';
  constructor(
    readonly code: StepFunctionsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/**
 * An error raised inside an execution, named as the States Language names errors
 * (States.Runtime, States.Timeout, a Lambda function's error type, ...). Retry and Catch match on `error`.
 */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
    this.name = 'StatesError';
  }
}

export const STATES_RUNTIME = 'States.Runtime';
