import { evaluateIntrinsic, parseIntrinsic } from '../../../local/stepfunctions/intrinsics';
import { createHarness, run, type Harness } from './harness';

const data = {
  name: 'Arnav',
  template: 'Hello, my name is {}.',
  escapedJsonString: '{"foo": "bar"}',
  unescapedJson: { foo: 'bar' },
  Id: 123456,
  inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9],
  dupes: [1, 2, 3, 3, 3, 3, 3, 3, 4, { a: 1, b: 2 }, { b: 2, a: 1 }],
  lookingFor: 5,
  index: 5,
  input: 'Data to encode',
  base64: 'RGF0YSB0byBlbmNvZGU=',
  Data: 'input data',
  Algorithm: 'SHA-1',
  json1: { a: { a1: 1, a2: 2 }, b: 2 },
  json2: { a: { a3: 1, a4: 2 }, c: 3 },
  value1: 111,
  step: -1,
  inputString: 'This.is+a,test=string',
  splitter: '.+,=',
  csv: '1,2,3,4,5',
  imageRecipe: { Arn: 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my-recipe.v1/1.0.0' },
};

const ev = (expression: string) => evaluateIntrinsic(expression, data, { Execution: { Name: 'exec-1' } });

describe('intrinsic functions (documented examples)', () => {
  test.each([
    ["States.Format('Hello, my name is {}.', $.name)", 'Hello, my name is Arnav.'],
    ['States.Format($.template, $.name)', 'Hello, my name is Arnav.'],
    ["States.Format('{} has {} items, flag {} / {}', $.name, 9, true, null)", 'Arnav has 9 items, flag true / null'],
    ["States.Format('literal \\{\\} and \\'quotes\\' and \\\\ for {}', $$.Execution.Name)", "literal {} and 'quotes' and \\ for exec-1"],
    ['States.StringToJson($.escapedJsonString)', { foo: 'bar' }],
    ['States.JsonToString($.unescapedJson)', '{"foo":"bar"}'],
    ['States.Array($.Id)', [123456]],
    ["States.Array('a', 1, true, null, $.unescapedJson)", ['a', 1, true, null, { foo: 'bar' }]],
    ['States.Array()', []],
    ['States.ArrayPartition($.inputArray, 4)', [[1, 2, 3, 4], [5, 6, 7, 8], [9]]],
    ['States.ArrayContains($.inputArray, $.lookingFor)', true],
    ['States.ArrayContains($.inputArray, 42)', false],
    ['States.ArrayRange(1, 9, 2)', [1, 3, 5, 7, 9]],
    ['States.ArrayRange(5, 1, -2)', [5, 3, 1]],
    ['States.ArrayGetItem($.inputArray, $.index)', 6],
    ['States.ArrayLength($.inputArray)', 9],
    ['States.ArrayUnique($.dupes)', [1, 2, 3, 4, { a: 1, b: 2 }]],
    ['States.Base64Encode($.input)', 'RGF0YSB0byBlbmNvZGU='],
    ['States.Base64Decode($.base64)', 'Data to encode'],
    ['States.Hash($.Data, $.Algorithm)', 'aaff4a450a104cd177d28d18d74485e8cae074b7'],
    ["States.Hash($.Data, 'MD5')", '812f45842bc6d66ee14572ce20db8e86'],
    ["States.Hash($.Data, 'SHA-256')", 'b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3'],
    ['States.JsonMerge($.json1, $.json2, false)', { a: { a3: 1, a4: 2 }, b: 2, c: 3 }],
    ['States.MathAdd($.value1, $.step)', 110],
    ['States.MathAdd(1.2, 2)', 3],
    ['States.StringSplit($.csv, \',\')', ['1', '2', '3', '4', '5']],
    ['States.StringSplit($.inputString, $.splitter)', ['This', 'is', 'a', 'test', 'string']],
    [
      "States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.imageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.imageRecipe.Arn, '/'), 2), '.'), 1), 'x')",
      '1.0.x',
    ],
  ])('%s', (expression, expected) => {
    expect(ev(expression)).toEqual(expected);
  });

  test('States.MathRandom: start inclusive, end exclusive; a seed repeats the number', () => {
    for (let i = 0; i < 200; i++) {
      const n = ev('States.MathRandom(1, 4)') as number;
      expect(Number.isInteger(n) && n >= 1 && n < 4).toBe(true);
    }
    expect(ev('States.MathRandom(1, 1000, 7)')).toBe(ev('States.MathRandom(1, 1000, 7)'));
  });

  test('States.UUID returns a v4 UUID', () => {
    const a = ev('States.UUID()') as string;
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ev('States.UUID()')).not.toBe(a);
  });

  test.each([
    ["States.Format('{} and {}', $.name)", /more {} placeholders than arguments/],
    ["States.Format('{}', $.unescapedJson)", /must be strings, numbers, booleans or null/],
    ["States.StringToJson('not json')", /not valid JSON/],
    ['States.ArrayPartition($.inputArray, 0)', /positive integer/],
    ['States.ArrayRange(1, 5, 0)', /must not be 0/],
    ['States.ArrayRange(1, 5000, 1)', /more than 1000/],
    ['States.ArrayGetItem($.inputArray, 9)', /out of bounds/],
    ['States.ArrayLength($.name)', /must be an array/],
    ["States.Hash($.Data, 'CRC32')", /algorithm must be one of/],
    ['States.JsonMerge($.json1, $.json2, true)', /shallow/],
    ['States.MathRandom(5, 5)', /less than/],
    ['States.MathAdd(2147483648, 1)', /32-bit/],
    ["States.Base64Decode('%%%')", /not Base64/],
  ])('%s fails with States.IntrinsicFailure', (expression, message) => {
    let thrown: unknown;
    try {
      ev(expression);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ error: 'States.IntrinsicFailure' });
    expect((thrown as Error).message).toMatch(message);
  });

  test('a path argument that matches nothing is States.Runtime', () => {
    expect(() => ev('States.Array($.missing)')).toThrow(expect.objectContaining({ error: 'States.Runtime' }));
  });

  test.each([
    'States.Nope(1)',
    'States.Array(',
    "States.Format('open \\n escape')",
    'States.ArrayLength()',
    'States.UUID(1)',
    "States.Format('x') trailing",
    'States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array())))))))))))',
  ])('rejects %s when parsing', (expression) => {
    expect(() => parseIntrinsic(expression)).toThrow();
  });
});

describe('intrinsics inside states', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.cleanup());

  test('Parameters and ResultSelector evaluate intrinsics; a failure can be caught', async () => {
    h.lambdas.set('fn', () => ({ items: ['b', 'a', 'b'] }));
    const out = await run(
      h,
      {
        StartAt: 'Build',
        States: {
          Build: {
            Type: 'Pass',
            Parameters: { 'id.$': "States.Format('case-{}', $.n)", 'range.$': 'States.ArrayRange(1, $.n, 1)' },
            Next: 'Call',
          },
          Call: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'fn', 'Payload.$': '$' },
            ResultSelector: { 'unique.$': 'States.ArrayUnique($.Payload.items)', 'count.$': 'States.ArrayLength($.Payload.items)' },
            ResultPath: '$.result',
            Next: 'Bad',
          },
          Bad: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'fn', 'Payload.$': 'States.StringToJson($.id)' },
            Catch: [{ ErrorEquals: ['States.IntrinsicFailure'], ResultPath: '$.failure', Next: 'Done' }],
            End: true,
          },
          Done: { Type: 'Succeed' },
        },
      },
      { n: 3 },
    );
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result).toMatchObject({ id: 'case-3', range: [1, 2, 3], result: { unique: ['b', 'a'], count: 3 } });
    expect(out.result.failure.Error).toBe('States.IntrinsicFailure');
    expect(h.lambdaCalls).toHaveLength(1);
  });

  test('Fail state: ErrorPath and CausePath may be intrinsics', async () => {
    const out = await run(
      h,
      { StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: '$.code', CausePath: "States.Format('case {} was rejected', $.id)" } } },
      { code: 'CaseRejected', id: 7 },
    );
    expect(out).toMatchObject({ status: 'FAILED', error: 'CaseRejected', cause: 'case 7 was rejected' });
  });
});
