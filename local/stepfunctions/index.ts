/** The local Step Functions: an ASL interpreter with durable executions on the virtual clock. */
export { LocalStepFunctions } from './service';
export type {
  ExecutionDescription,
  ExecutionListItem,
  ExecutionPosition,
  HistoryEvent,
  LocalStepFunctionsOptions,
  StateMachineDescription,
} from './service';
export { createStepFunctionsRequestListener } from './http';
export { StepFunctionsError, StatesError } from './errors';
export type { StepFunctionsErrorCode } from './errors';
export type { DynamoDbAction, ServiceIntegrations } from './integrations';
export { FileExecutionStore } from './store';
export type { ExecutionStore, StateMachineRecord } from './store';
export { checkDefinition } from './definition';
export type { StateMachineDefinition } from './definition';
