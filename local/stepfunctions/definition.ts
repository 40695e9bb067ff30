/**
 * The shape of a state machine definition (JSONPath query language) and its validation. Anything the
 * local interpreter would not run faithfully is rejected here as InvalidDefinition rather than
 * misbehaving later in an execution.
 */
import { COMPARISON_OPERATORS, parseTimestamp, STRING_MATCHES, TYPE_TEST_OPERATORS } from './choice';
import { IntrinsicSyntaxError, isIntrinsicCall, parseIntrinsic } from './intrinsics';
import { isObject, parsePath, parseReferencePath, PathSyntaxError } from './jsonpath';
import { parseResource } from './integrations';

export type StateType = 'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}

export interface StatesContainer {
  Comment?: string;
  StartAt: string;
  States: Record<string, StateDefinition>;
}

export interface StateMachineDefinition extends StatesContainer {
  TimeoutSeconds?: number;
  Version?: string;
  QueryLanguage?: 'JSONPath';
}

/** One record for every state type; which fields a type may carry is checked by validateDefinition. */
export interface StateDefinition {
  Type: StateType;
  Comment?: string;
  Next?: string;
  End?: boolean;
  InputPath?: string | null;
  OutputPath?: string | null;
  Parameters?: unknown;
  ResultSelector?: unknown;
  ResultPath?: string | null;
  Result?: unknown;
  Retry?: Retrier[];
  Catch?: Catcher[];
  // Task
  Resource?: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
  HeartbeatSecondsPath?: string;
  Credentials?: unknown;
  // Choice
  Choices?: Array<Record<string, unknown>>;
  Default?: string;
  // Wait
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  // Fail
  Error?: string;
  ErrorPath?: string;
  Cause?: string;
  CausePath?: string;
  // Parallel
  Branches?: StatesContainer[];
  // Map
  ItemProcessor?: StatesContainer & { ProcessorConfig?: { Mode?: string; ExecutionType?: string } };
  Iterator?: StatesContainer;
  ItemsPath?: string;
  ItemSelector?: unknown;
  MaxConcurrency?: number;
  MaxConcurrencyPath?: string;
}

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const IO = ['InputPath', 'OutputPath'];
const FLOW = ['Next', 'End'];
const ALLOWED_FIELDS: Record<StateType, string[]> = {
  Pass: [...COMMON, ...IO, ...FLOW, 'Parameters', 'ResultPath', 'Result'],
  Task: [
    ...COMMON,
    ...IO,
    ...FLOW,
    'Parameters',
    'ResultSelector',
    'ResultPath',
    'Resource',
    'TimeoutSeconds',
    'TimeoutSecondsPath',
    'HeartbeatSeconds',
    'HeartbeatSecondsPath',
    'Retry',
    'Catch',
    'Credentials',
  ],
  Choice: [...COMMON, ...IO, 'Choices', 'Default'],
  Wait: [...COMMON, ...IO, ...FLOW, 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'],
  Succeed: [...COMMON, ...IO],
  Fail: [...COMMON, 'Error', 'ErrorPath', 'Cause', 'CausePath'],
  Parallel: [...COMMON, ...IO, ...FLOW, 'Parameters', 'ResultSelector', 'ResultPath', 'Branches', 'Retry', 'Catch'],
  Map: [
    ...COMMON,
    ...IO,
    ...FLOW,
    'Parameters',
    'ItemSelector',
    'ResultSelector',
    'ResultPath',
    'ItemsPath',
    'ItemProcessor',
    'Iterator',
    'MaxConcurrency',
    'MaxConcurrencyPath',
    'Retry',
    'Catch',
    'Label',
  ],
};
/** Fields that AWS accepts but this interpreter does not implement: rejected with a clear reason. */
const UNSUPPORTED_FIELDS: Record<string, string> = {
  Assign: 'workflow variables (Assign) are not supported locally',
  Arguments: 'JSONata fields are not supported locally',
  Output: 'JSONata fields are not supported locally',
  ItemReader: 'distributed Map (ItemReader) is not supported locally',
  ItemBatcher: 'distributed Map (ItemBatcher) is not supported locally',
  ResultWriter: 'distributed Map (ResultWriter) is not supported locally',
  ToleratedFailureCount: 'distributed Map (ToleratedFailureCount) is not supported locally',
  ToleratedFailurePercentage: 'distributed Map (ToleratedFailurePercentage) is not supported locally',
  ToleratedFailureCountPath: 'distributed Map is not supported locally',
  ToleratedFailurePercentagePath: 'distributed Map is not supported locally',
};

export interface DefinitionProblem {
  /** JSON-pointer-like location, e.g. /States/Review/Retry/0. */
  at: string;
  message: string;
}

/** Parses and validates definition text; returns the definition or the list of problems. */
export function checkDefinition(text: string): { definition?: StateMachineDefinition; problems: DefinitionProblem[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { problems: [{ at: '', message: `the definition is not valid JSON: ${(error as Error).message}` }] };
  }
  const problems = validateDefinition(parsed);
  return problems.length ? { problems } : { definition: parsed as StateMachineDefinition, problems };
}

export function validateDefinition(definition: unknown): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const report = (at: string, message: string) => problems.push({ at, message });
  if (!isObject(definition)) {
    report('', 'the definition must be a JSON object');
    return problems;
  }
  for (const key of Object.keys(definition)) {
    if (!['Comment', 'StartAt', 'States', 'TimeoutSeconds', 'Version', 'QueryLanguage'].includes(key)) report(`/${key}`, `unknown field '${key}'`);
  }
  if (definition.QueryLanguage !== undefined && definition.QueryLanguage !== 'JSONPath') {
    report('/QueryLanguage', 'only the JSONPath query language is supported locally');
  }
  if (definition.TimeoutSeconds !== undefined && !isPositiveInteger(definition.TimeoutSeconds)) {
    report('/TimeoutSeconds', 'TimeoutSeconds must be a positive integer');
  }
  validateContainer(definition, '', report);
  return problems;
}

type Report = (at: string, message: string) => void;

function validateContainer(container: Record<string, unknown>, at: string, report: Report): void {
  const states = container.States;
  if (typeof container.StartAt !== 'string') report(`${at}/StartAt`, 'StartAt must be a string');
  if (!isObject(states) || Object.keys(states).length === 0) {
    report(`${at}/States`, 'States must be a non-empty object');
    return;
  }
  if (typeof container.StartAt === 'string' && !(container.StartAt in states)) {
    report(`${at}/StartAt`, `StartAt '${container.StartAt}' is not a state`);
  }
  const names = new Set(Object.keys(states));
  for (const [name, state] of Object.entries(states)) {
    if (name.length === 0 || name.length > 80) report(`${at}/States/${name}`, 'a state name must have 1 to 80 characters');
    validateState(state, names, `${at}/States/${name}`, report);
  }
  reportUnreachable(container.StartAt, states, at, report);
}

function validateState(state: unknown, names: Set<string>, at: string, report: Report): void {
  if (!isObject(state)) {
    report(at, 'a state must be an object');
    return;
  }
  const type = state.Type as StateType;
  const allowed = ALLOWED_FIELDS[type];
  if (!allowed) {
    report(`${at}/Type`, `unknown state type '${String(state.Type)}'`);
    return;
  }
  for (const key of Object.keys(state)) {
    if (UNSUPPORTED_FIELDS[key]) report(`${at}/${key}`, UNSUPPORTED_FIELDS[key]);
    else if (!allowed.includes(key)) report(`${at}/${key}`, `field '${key}' is not allowed in a ${type} state`);
  }
  if (state.QueryLanguage !== undefined && state.QueryLanguage !== 'JSONPath') report(`${at}/QueryLanguage`, 'only JSONPath is supported locally');

  const checkNext = (field: string, target: unknown) => {
    if (typeof target !== 'string') report(`${at}/${field}`, `${field} must be a state name`);
    else if (!names.has(target)) report(`${at}/${field}`, `${field} '${target}' is not a state in this scope`);
  };
  if (allowed.includes('Next')) {
    if (state.End !== undefined && state.End !== true) report(`${at}/End`, 'End must be true when present');
    const hasNext = state.Next !== undefined;
    const hasEnd = state.End === true;
    if (hasNext === hasEnd) report(at, 'a state needs exactly one of Next or End');
    if (hasNext) checkNext('Next', state.Next);
  }

  for (const field of ['InputPath', 'OutputPath'] as const) {
    if (state[field] !== undefined && state[field] !== null) checkPath(state[field], `${at}/${field}`, report);
  }
  if (state.ResultPath !== undefined && state.ResultPath !== null) checkReferencePath(state.ResultPath, `${at}/ResultPath`, report);
  for (const field of ['Parameters', 'ResultSelector', 'ItemSelector'] as const) {
    if (state[field] !== undefined) checkTemplate(state[field], `${at}/${field}`, report);
  }
  if (state.ResultSelector !== undefined && !isObject(state.ResultSelector)) report(`${at}/ResultSelector`, 'ResultSelector must be an object');

  switch (type) {
    case 'Task':
      validateTask(state, at, report);
      break;
    case 'Choice':
      validateChoice(state, names, at, report);
      break;
    case 'Wait': {
      const given = ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'].filter((f) => state[f] !== undefined);
      if (given.length !== 1) report(at, 'a Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath');
      if (state.Seconds !== undefined && !(Number.isInteger(state.Seconds) && (state.Seconds as number) >= 0)) {
        report(`${at}/Seconds`, 'Seconds must be a non-negative integer');
      }
      if (state.Timestamp !== undefined && parseTimestamp(state.Timestamp) === undefined) report(`${at}/Timestamp`, 'Timestamp must be an RFC 3339 timestamp');
      for (const f of ['SecondsPath', 'TimestampPath']) if (state[f] !== undefined) checkPath(state[f], `${at}/${f}`, report);
      break;
    }
    case 'Fail':
      for (const [plain, path] of [
        ['Error', 'ErrorPath'],
        ['Cause', 'CausePath'],
      ]) {
        if (state[plain] !== undefined && state[path] !== undefined) report(at, `${plain} and ${path} are mutually exclusive`);
        if (state[plain] !== undefined && typeof state[plain] !== 'string') report(`${at}/${plain}`, `${plain} must be a string`);
        if (state[path] !== undefined) checkPathOrIntrinsic(state[path], `${at}/${path}`, report);
      }
      break;
    case 'Parallel':
      if (!Array.isArray(state.Branches) || state.Branches.length === 0) {
        report(`${at}/Branches`, 'Branches must be a non-empty array');
      } else {
        state.Branches.forEach((branch, i) => {
          if (!isObject(branch)) report(`${at}/Branches/${i}`, 'a branch must be an object');
          else {
            checkContainerFields(branch, ['Comment', 'StartAt', 'States'], `${at}/Branches/${i}`, report);
            validateContainer(branch, `${at}/Branches/${i}`, report);
          }
        });
      }
      break;
    case 'Map':
      validateMap(state, at, report);
      break;
  }
  if (type === 'Task' || type === 'Parallel' || type === 'Map') {
    validateRetry(state.Retry, `${at}/Retry`, report);
    validateCatch(state.Catch, names, `${at}/Catch`, report);
  }
}

function validateTask(state: Record<string, unknown>, at: string, report: Report): void {
  if (typeof state.Resource !== 'string') {
    report(`${at}/Resource`, 'Resource must be a string');
  } else {
    const { resource, reason } = parseResource(state.Resource);
    if (reason) report(`${at}/Resource`, reason);
    const required =
      resource?.kind === 'lambda:invoke'
        ? ['FunctionName']
        : resource?.kind === 'sns:publish'
          ? ['TopicArn', 'Message']
          : resource?.kind === 'states:startExecution'
            ? ['StateMachineArn']
            : [];
    for (const field of required) {
      const parameters = state.Parameters;
      if (!isObject(parameters) || !(field in parameters || `${field}.$` in parameters)) {
        report(`${at}/Parameters`, `the ${state.Resource} integration needs Parameters.${field}`);
      }
    }
  }
  for (const [plain, path] of [
    ['TimeoutSeconds', 'TimeoutSecondsPath'],
    ['HeartbeatSeconds', 'HeartbeatSecondsPath'],
  ]) {
    if (state[plain] !== undefined && state[path] !== undefined) report(at, `${plain} and ${path} are mutually exclusive`);
    if (state[plain] !== undefined && !isPositiveInteger(state[plain])) report(`${at}/${plain}`, `${plain} must be a positive integer`);
    if (state[path] !== undefined) checkPath(state[path], `${at}/${path}`, report);
  }
  if (isPositiveInteger(state.TimeoutSeconds) && isPositiveInteger(state.HeartbeatSeconds) && state.HeartbeatSeconds >= state.TimeoutSeconds) {
    report(`${at}/HeartbeatSeconds`, 'HeartbeatSeconds must be smaller than TimeoutSeconds');
  }
}

function validateMap(state: Record<string, unknown>, at: string, report: Report): void {
  const processor = state.ItemProcessor ?? state.Iterator;
  const field = state.ItemProcessor !== undefined ? 'ItemProcessor' : 'Iterator';
  if (state.ItemProcessor !== undefined && state.Iterator !== undefined) report(at, 'ItemProcessor and Iterator are mutually exclusive');
  if (state.ItemSelector !== undefined && state.Parameters !== undefined) report(at, 'ItemSelector and Parameters are mutually exclusive');
  if (!isObject(processor)) {
    report(`${at}/${field}`, 'a Map state needs an ItemProcessor (or Iterator) object');
  } else {
    const config = processor.ProcessorConfig;
    if (config !== undefined) {
      if (!isObject(config)) report(`${at}/${field}/ProcessorConfig`, 'ProcessorConfig must be an object');
      else if (config.Mode !== undefined && config.Mode !== 'INLINE') report(`${at}/${field}/ProcessorConfig/Mode`, 'only INLINE Map processing is supported locally');
    }
    checkContainerFields(processor, ['Comment', 'StartAt', 'States', 'ProcessorConfig'], `${at}/${field}`, report);
    validateContainer(processor, `${at}/${field}`, report);
  }
  if (state.ItemsPath !== undefined) checkPath(state.ItemsPath, `${at}/ItemsPath`, report);
  if (state.MaxConcurrency !== undefined && !(Number.isInteger(state.MaxConcurrency) && (state.MaxConcurrency as number) >= 0)) {
    report(`${at}/MaxConcurrency`, 'MaxConcurrency must be a non-negative integer');
  }
  if (state.MaxConcurrency !== undefined && state.MaxConcurrencyPath !== undefined) report(at, 'MaxConcurrency and MaxConcurrencyPath are mutually exclusive');
  if (state.MaxConcurrencyPath !== undefined) checkPath(state.MaxConcurrencyPath, `${at}/MaxConcurrencyPath`, report);
}

function checkContainerFields(container: Record<string, unknown>, allowed: string[], at: string, report: Report): void {
  for (const key of Object.keys(container)) if (!allowed.includes(key)) report(`${at}/${key}`, `unknown field '${key}'`);
}

function validateChoice(state: Record<string, unknown>, names: Set<string>, at: string, report: Report): void {
  if (!Array.isArray(state.Choices) || state.Choices.length === 0) {
    report(`${at}/Choices`, 'Choices must be a non-empty array');
  } else {
    state.Choices.forEach((rule, i) => validateRule(rule, true, names, `${at}/Choices/${i}`, report));
  }
  if (state.Default !== undefined) {
    if (typeof state.Default !== 'string' || !names.has(state.Default)) report(`${at}/Default`, `Default '${String(state.Default)}' is not a state in this scope`);
  }
}

function validateRule(rule: unknown, topLevel: boolean, names: Set<string>, at: string, report: Report): void {
  if (!isObject(rule)) {
    report(at, 'a choice rule must be an object');
    return;
  }
  if (topLevel) {
    if (typeof rule.Next !== 'string' || !names.has(rule.Next)) report(`${at}/Next`, `a top-level choice rule needs a Next that names a state`);
  } else if (rule.Next !== undefined) {
    report(`${at}/Next`, 'only top-level choice rules may have Next');
  }
  const combinators = ['And', 'Or', 'Not'].filter((k) => k in rule);
  const operators = Object.keys(rule).filter(
    (k) => k in COMPARISON_OPERATORS || (TYPE_TEST_OPERATORS as readonly string[]).includes(k) || k === STRING_MATCHES,
  );
  for (const key of Object.keys(rule)) {
    if (!['Next', 'Comment', 'Variable', 'And', 'Or', 'Not', ...operators].includes(key)) report(`${at}/${key}`, `unknown field '${key}' in a choice rule`);
  }
  if (combinators.length + operators.length !== 1) {
    report(at, 'a choice rule needs exactly one of And, Or, Not or a comparison operator');
    return;
  }
  if (combinators.length) {
    const key = combinators[0];
    if (rule.Variable !== undefined) report(`${at}/Variable`, `a ${key} rule has no Variable`);
    if (key === 'Not') validateRule(rule.Not, false, names, `${at}/Not`, report);
    else if (!Array.isArray(rule[key]) || (rule[key] as unknown[]).length === 0) report(`${at}/${key}`, `${key} must be a non-empty array of rules`);
    else (rule[key] as unknown[]).forEach((r, i) => validateRule(r, false, names, `${at}/${key}/${i}`, report));
    return;
  }
  const operator = operators[0];
  if (typeof rule.Variable !== 'string') report(`${at}/Variable`, 'a comparison needs a Variable path');
  else checkPath(rule.Variable, `${at}/Variable`, report);
  const value = rule[operator];
  const spec = COMPARISON_OPERATORS[operator];
  if ((TYPE_TEST_OPERATORS as readonly string[]).includes(operator)) {
    if (typeof value !== 'boolean') report(`${at}/${operator}`, `${operator} takes true or false`);
  } else if (operator === STRING_MATCHES) {
    if (typeof value !== 'string') report(`${at}/${operator}`, 'StringMatches takes a string pattern');
  } else if (spec.path) {
    checkPath(value, `${at}/${operator}`, report);
  } else if (spec.type === 'timestamp') {
    if (parseTimestamp(value) === undefined) report(`${at}/${operator}`, `${operator} takes an RFC 3339 timestamp`);
  } else if (typeof value !== spec.type) {
    report(`${at}/${operator}`, `${operator} takes a ${spec.type}`);
  }
}

function validateRetry(retry: unknown, at: string, report: Report): void {
  if (retry === undefined) return;
  if (!Array.isArray(retry)) {
    report(at, 'Retry must be an array');
    return;
  }
  retry.forEach((retrier, i) => {
    const here = `${at}/${i}`;
    if (!isObject(retrier)) {
      report(here, 'a retrier must be an object');
      return;
    }
    for (const key of Object.keys(retrier)) {
      if (!['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment'].includes(key)) {
        report(`${here}/${key}`, `unknown field '${key}' in a retrier`);
      }
    }
    checkErrorEquals(retrier.ErrorEquals, i === retry.length - 1, `${here}/ErrorEquals`, report);
    if (retrier.IntervalSeconds !== undefined && !isPositiveInteger(retrier.IntervalSeconds)) report(`${here}/IntervalSeconds`, 'IntervalSeconds must be a positive integer');
    if (retrier.MaxAttempts !== undefined && !(Number.isInteger(retrier.MaxAttempts) && (retrier.MaxAttempts as number) >= 0)) {
      report(`${here}/MaxAttempts`, 'MaxAttempts must be a non-negative integer');
    }
    if (retrier.BackoffRate !== undefined && !(typeof retrier.BackoffRate === 'number' && retrier.BackoffRate >= 1)) {
      report(`${here}/BackoffRate`, 'BackoffRate must be a number >= 1.0');
    }
    if (retrier.MaxDelaySeconds !== undefined && !isPositiveInteger(retrier.MaxDelaySeconds)) report(`${here}/MaxDelaySeconds`, 'MaxDelaySeconds must be a positive integer');
    if (retrier.JitterStrategy !== undefined && retrier.JitterStrategy !== 'FULL' && retrier.JitterStrategy !== 'NONE') {
      report(`${here}/JitterStrategy`, 'JitterStrategy must be FULL or NONE');
    }
  });
}

function validateCatch(catchers: unknown, names: Set<string>, at: string, report: Report): void {
  if (catchers === undefined) return;
  if (!Array.isArray(catchers)) {
    report(at, 'Catch must be an array');
    return;
  }
  catchers.forEach((catcher, i) => {
    const here = `${at}/${i}`;
    if (!isObject(catcher)) {
      report(here, 'a catcher must be an object');
      return;
    }
    for (const key of Object.keys(catcher)) {
      if (!['ErrorEquals', 'Next', 'ResultPath', 'Comment'].includes(key)) report(`${here}/${key}`, `unknown field '${key}' in a catcher`);
    }
    checkErrorEquals(catcher.ErrorEquals, i === catchers.length - 1, `${here}/ErrorEquals`, report);
    if (typeof catcher.Next !== 'string' || !names.has(catcher.Next)) report(`${here}/Next`, `Next '${String(catcher.Next)}' is not a state in this scope`);
    if (catcher.ResultPath !== undefined && catcher.ResultPath !== null) checkReferencePath(catcher.ResultPath, `${here}/ResultPath`, report);
  });
}

function checkErrorEquals(errors: unknown, isLast: boolean, at: string, report: Report): void {
  if (!Array.isArray(errors) || errors.length === 0 || !errors.every((e) => typeof e === 'string')) {
    report(at, 'ErrorEquals must be a non-empty array of strings');
    return;
  }
  if (errors.includes('States.ALL') && (errors.length !== 1 || !isLast)) {
    report(at, 'States.ALL must appear alone, in the last retrier or catcher');
  }
}

function checkTemplate(template: unknown, at: string, report: Report): void {
  if (Array.isArray(template)) {
    template.forEach((item, i) => checkTemplate(item, `${at}/${i}`, report));
    return;
  }
  if (!isObject(template)) return;
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) {
      if (typeof value !== 'string') report(`${at}/${key}`, `the value of '${key}' must be a path or an intrinsic function`);
      else checkPathOrIntrinsic(value, `${at}/${key}`, report);
    } else {
      checkTemplate(value, `${at}/${key}`, report);
    }
  }
}

function checkPathOrIntrinsic(value: unknown, at: string, report: Report): void {
  if (typeof value === 'string' && isIntrinsicCall(value)) {
    try {
      parseIntrinsic(value);
    } catch (error) {
      report(at, error instanceof IntrinsicSyntaxError ? error.message : String(error));
    }
    return;
  }
  checkPath(value, at, report);
}

function checkPath(value: unknown, at: string, report: Report): void {
  if (typeof value !== 'string') {
    report(at, 'expected a JSONPath string');
    return;
  }
  try {
    parsePath(value.startsWith('$$') ? value.slice(1) : value);
  } catch (error) {
    report(at, error instanceof PathSyntaxError ? error.message : String(error));
  }
}

function checkReferencePath(value: unknown, at: string, report: Report): void {
  if (typeof value !== 'string') {
    report(at, 'expected a reference path');
    return;
  }
  try {
    parseReferencePath(value);
  } catch (error) {
    report(at, error instanceof PathSyntaxError ? error.message : String(error));
  }
}

function reportUnreachable(startAt: unknown, states: Record<string, unknown>, at: string, report: Report): void {
  if (typeof startAt !== 'string' || !(startAt in states)) return;
  const reached = new Set<string>([startAt]);
  const queue = [startAt];
  while (queue.length) {
    const state = states[queue.shift() as string];
    if (!isObject(state)) continue;
    const targets: unknown[] = [state.Next, state.Default];
    if (Array.isArray(state.Choices)) for (const rule of state.Choices) if (isObject(rule)) targets.push(rule.Next);
    if (Array.isArray(state.Catch)) for (const catcher of state.Catch) if (isObject(catcher)) targets.push(catcher.Next);
    for (const target of targets) {
      if (typeof target === 'string' && target in states && !reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  for (const name of Object.keys(states)) if (!reached.has(name)) report(`${at}/States/${name}`, `state '${name}' is not reachable from StartAt`);
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/** The States container a thread runs in: the top level, a Parallel branch or a Map's item processor. */
export function resolveContainer(definition: StateMachineDefinition, scope: ReadonlyArray<ScopeStep>): StatesContainer {
  let container: StatesContainer = definition;
  for (const step of scope) {
    const state = container.States[step.state];
    if (!state) throw new Error(`definition has no state '${step.state}' for a running thread`);
    if (state.Type === 'Parallel' && step.branch !== undefined && state.Branches?.[step.branch]) container = state.Branches[step.branch];
    else if (state.Type === 'Map' && (state.ItemProcessor ?? state.Iterator)) container = (state.ItemProcessor ?? state.Iterator) as StatesContainer;
    else throw new Error(`state '${step.state}' does not contain the scope of a running thread`);
  }
  return container;
}

/** One step into a nested States container: a Parallel branch (with its index) or a Map processor. */
export interface ScopeStep {
  state: string;
  branch?: number;
}
