import { evaluateRule, parseTimestamp, wildcardToRegExp } from '../../../local/stepfunctions/choice';
import { StatesError } from '../../../local/stepfunctions/errors';
import { createHarness, history, run, type Harness } from './harness';

const input = {
  str: 'banana',
  other: 'cherry',
  same: 'banana',
  num: 42,
  num2: 42,
  bigger: 100,
  flag: true,
  yes: true,
  ts: '2025-03-01T10:00:00Z',
  tsOffset: '2025-03-01T12:00:00+02:00',
  later: '2025-03-01T10:00:00.5Z',
  nothing: null,
  path: 'logs/2025/app.log',
  star: 'a*b',
};

const check = (rule: Record<string, unknown>) => evaluateRule('C', rule, input, {});

describe('comparison operators', () => {
  test.each([
    [{ Variable: '$.str', StringEquals: 'banana' }, true],
    [{ Variable: '$.str', StringEquals: 'apple' }, false],
    [{ Variable: '$.str', StringLessThan: 'cherry' }, true],
    [{ Variable: '$.str', StringLessThan: 'banana' }, false],
    [{ Variable: '$.str', StringGreaterThan: 'apple' }, true],
    [{ Variable: '$.str', StringGreaterThan: 'banana' }, false],
    [{ Variable: '$.str', StringLessThanEquals: 'banana' }, true],
    [{ Variable: '$.str', StringLessThanEquals: 'apple' }, false],
    [{ Variable: '$.str', StringGreaterThanEquals: 'banana' }, true],
    [{ Variable: '$.str', StringGreaterThanEquals: 'cherry' }, false],
    [{ Variable: '$.num', StringEquals: '42' }, false], // type mismatch is false, not an error
    [{ Variable: '$.str', StringEqualsPath: '$.same' }, true],
    [{ Variable: '$.str', StringEqualsPath: '$.other' }, false],
    [{ Variable: '$.str', StringLessThanPath: '$.other' }, true],
    [{ Variable: '$.str', StringGreaterThanPath: '$.other' }, false],
    [{ Variable: '$.str', StringLessThanEqualsPath: '$.same' }, true],
    [{ Variable: '$.str', StringGreaterThanEqualsPath: '$.same' }, true],
    [{ Variable: '$.num', NumericEquals: 42 }, true],
    [{ Variable: '$.num', NumericEquals: 42.5 }, false],
    [{ Variable: '$.num', NumericLessThan: 43 }, true],
    [{ Variable: '$.num', NumericLessThan: 42 }, false],
    [{ Variable: '$.num', NumericGreaterThan: 41.9 }, true],
    [{ Variable: '$.num', NumericGreaterThan: 42 }, false],
    [{ Variable: '$.num', NumericLessThanEquals: 42 }, true],
    [{ Variable: '$.num', NumericGreaterThanEquals: 42 }, true],
    [{ Variable: '$.num', NumericGreaterThanEquals: 43 }, false],
    [{ Variable: '$.str', NumericEquals: 42 }, false],
    [{ Variable: '$.num', NumericEqualsPath: '$.num2' }, true],
    [{ Variable: '$.num', NumericLessThanPath: '$.bigger' }, true],
    [{ Variable: '$.num', NumericGreaterThanPath: '$.bigger' }, false],
    [{ Variable: '$.num', NumericLessThanEqualsPath: '$.num2' }, true],
    [{ Variable: '$.bigger', NumericGreaterThanEqualsPath: '$.num' }, true],
    [{ Variable: '$.flag', BooleanEquals: true }, true],
    [{ Variable: '$.flag', BooleanEquals: false }, false],
    [{ Variable: '$.str', BooleanEquals: true }, false],
    [{ Variable: '$.flag', BooleanEqualsPath: '$.yes' }, true],
    [{ Variable: '$.ts', TimestampEquals: '2025-03-01T10:00:00Z' }, true],
    [{ Variable: '$.tsOffset', TimestampEquals: '2025-03-01T10:00:00Z' }, true], // same instant, other offset
    [{ Variable: '$.ts', TimestampLessThan: '2025-03-01T10:00:00.001Z' }, true],
    [{ Variable: '$.ts', TimestampGreaterThan: '2025-03-01T09:59:59Z' }, true],
    [{ Variable: '$.ts', TimestampGreaterThan: '2025-03-01T10:00:00Z' }, false],
    [{ Variable: '$.ts', TimestampLessThanEquals: '2025-03-01T10:00:00Z' }, true],
    [{ Variable: '$.ts', TimestampGreaterThanEquals: '2025-03-02T00:00:00Z' }, false],
    [{ Variable: '$.str', TimestampEquals: '2025-03-01T10:00:00Z' }, false],
    [{ Variable: '$.ts', TimestampEqualsPath: '$.tsOffset' }, true],
    [{ Variable: '$.ts', TimestampLessThanPath: '$.later' }, true],
    [{ Variable: '$.later', TimestampGreaterThanPath: '$.ts' }, true],
    [{ Variable: '$.ts', TimestampLessThanEqualsPath: '$.tsOffset' }, true],
    [{ Variable: '$.ts', TimestampGreaterThanEqualsPath: '$.later' }, false],
    [{ Variable: '$.path', StringMatches: 'logs/*.log' }, true],
    [{ Variable: '$.path', StringMatches: 'logs/*.txt' }, false],
    [{ Variable: '$.path', StringMatches: '*2025*' }, true],
    [{ Variable: '$.star', StringMatches: 'a\\*b' }, true],
    [{ Variable: '$.str', StringMatches: 'a\\*b' }, false],
    [{ Variable: '$.num', StringMatches: '*' }, false],
  ])('%j → %s', (rule, expected) => {
    expect(check(rule)).toBe(expected);
  });
});

describe('type tests', () => {
  test.each([
    [{ Variable: '$.str', IsPresent: true }, true],
    [{ Variable: '$.missing', IsPresent: true }, false],
    [{ Variable: '$.missing', IsPresent: false }, true],
    [{ Variable: '$.nothing', IsNull: true }, true],
    [{ Variable: '$.str', IsNull: true }, false],
    [{ Variable: '$.str', IsNull: false }, true],
    [{ Variable: '$.num', IsNumeric: true }, true],
    [{ Variable: '$.str', IsNumeric: true }, false],
    [{ Variable: '$.str', IsString: true }, true],
    [{ Variable: '$.num', IsString: false }, true],
    [{ Variable: '$.flag', IsBoolean: true }, true],
    [{ Variable: '$.str', IsBoolean: true }, false],
    [{ Variable: '$.ts', IsTimestamp: true }, true],
    [{ Variable: '$.str', IsTimestamp: true }, false],
    [{ Variable: '$.num', IsTimestamp: false }, true],
  ])('%j → %s', (rule, expected) => {
    expect(check(rule)).toBe(expected);
  });

  test('RFC 3339 timestamps need a date, a T, a time and an offset', () => {
    expect(parseTimestamp('2016-03-14T01:59:00Z')).toBeDefined();
    expect(parseTimestamp('2016-03-14T01:59:00.123456789-05:30')).toBeDefined();
    for (const bad of ['2016-03-14', '2016-03-14T01:59:00', '2016-02-30T00:00:00Z', '2016-03-14 01:59:00Z', 12]) {
      expect(parseTimestamp(bad)).toBeUndefined();
    }
    expect(parseTimestamp('2016-03-14T01:59:00.000000002Z')! - parseTimestamp('2016-03-14T01:59:00.000000001Z')!).toBe(1n);
  });

  test('StringMatches escapes', () => {
    expect(wildcardToRegExp('a\\\\b').test('a\\b')).toBe(true);
    expect(wildcardToRegExp('x.y').test('xzy')).toBe(false);
    expect(wildcardToRegExp('*').test('line1\nline2')).toBe(true);
  });
});

describe('compound rules and failures', () => {
  test('And, Or, Not nest', () => {
    expect(check({ And: [{ Variable: '$.num', NumericGreaterThan: 10 }, { Variable: '$.str', StringEquals: 'banana' }] })).toBe(true);
    expect(check({ And: [{ Variable: '$.num', NumericGreaterThan: 10 }, { Variable: '$.str', StringEquals: 'apple' }] })).toBe(false);
    expect(check({ Or: [{ Variable: '$.num', NumericLessThan: 10 }, { Variable: '$.str', StringEquals: 'banana' }] })).toBe(true);
    expect(check({ Or: [{ Variable: '$.num', NumericLessThan: 10 }, { Variable: '$.flag', BooleanEquals: false }] })).toBe(false);
    expect(check({ Not: { Variable: '$.str', StringEquals: 'apple' } })).toBe(true);
    expect(
      check({
        And: [{ Not: { Variable: '$.missing', IsPresent: true } }, { Or: [{ Variable: '$.flag', BooleanEquals: true }, { Variable: '$.num', NumericEquals: 0 }] }],
      }),
    ).toBe(true);
  });

  test('a Variable that does not exist is a States.Runtime error (except for IsPresent)', () => {
    expect(() => check({ Variable: '$.missing', StringEquals: 'x' })).toThrow(StatesError);
    expect(() => check({ Variable: '$.missing', IsNull: true })).toThrow(/references an invalid value/);
    expect(() => check({ Variable: '$.str', StringEqualsPath: '$.missing' })).toThrow(StatesError);
  });
});

describe('Choice state', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.cleanup());

  const machine = (withDefault: boolean) => ({
    StartAt: 'Route',
    States: {
      Route: {
        Type: 'Choice',
        InputPath: '$.case',
        OutputPath: '$.priority',
        Choices: [
          { Variable: '$.priority', NumericGreaterThanEquals: 8, Next: 'Urgent' },
          { And: [{ Variable: '$.category', StringEquals: 'road' }, { Variable: '$.priority', NumericGreaterThan: 3 }], Next: 'Roads' },
        ],
        ...(withDefault ? { Default: 'Normal' } : {}),
      },
      Urgent: { Type: 'Pass', Result: 'urgent', End: true },
      Roads: { Type: 'Pass', Result: 'roads', End: true },
      ...(withDefault ? { Normal: { Type: 'Pass', Result: 'normal', End: true } } : {}),
    },
  });

  test('takes the first matching rule, else Default; InputPath / OutputPath apply', async () => {
    expect((await run(h, machine(true), { case: { priority: 9, category: 'road' } })).result).toBe('urgent');
    expect((await run(h, machine(true), { case: { priority: 5, category: 'road' } })).result).toBe('roads');
    expect((await run(h, machine(true), { case: { priority: 5, category: 'water' } })).result).toBe('normal');
    const out = await run(h, machine(true), { case: { priority: 5, category: 'road' } });
    const events = await history(h, out.executionArn);
    const exited = events.find((e) => e.type === 'ChoiceStateExited');
    expect(exited?.stateExitedEventDetails).toEqual({ name: 'Route', output: '5', outputDetails: { truncated: false } });
  });

  test('no match and no Default fails with States.NoChoiceMatched', async () => {
    const out = await run(h, machine(false), { case: { priority: 1, category: 'water' } });
    expect(out).toMatchObject({ status: 'FAILED', error: 'States.NoChoiceMatched' });
  });

  test('a missing Variable fails the execution with States.Runtime', async () => {
    const out = await run(h, machine(true), { case: { category: 'road' } });
    expect(out).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });
});
