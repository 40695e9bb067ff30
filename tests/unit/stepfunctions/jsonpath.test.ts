import { isValidPath, parseReferencePath, queryPath, setAtReferencePath } from '../../../local/stepfunctions/jsonpath';
import { createHarness, run, single, type Harness } from './harness';

const store = {
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99 },
      { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', isbn: '0-553-21311-3', price: 8.99 },
      { category: 'fiction', author: 'J. R. R. Tolkien', title: 'The Lord of the Rings', isbn: '0-395-19395-8', price: 22.99 },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  'odd key': { 'x.y': 1 },
};

describe('JSONPath evaluation', () => {
  test.each([
    ['$', store],
    ['$.store.bicycle.color', 'red'],
    ["$['store']['bicycle']['price']", 19.95],
    ['$.store.book[0].author', 'Nigel Rees'],
    ['$.store.book[-1].title', 'The Lord of the Rings'],
    ['$.store.book[(@.length-2)].title', 'Moby Dick'],
    ["$['odd key']['x.y']", 1],
    ["$.['odd key']", { 'x.y': 1 }],
    ['$.store.book.length()', 4],
  ])('definite path %s', (path, expected) => {
    expect(queryPath(path, store)).toEqual({ found: true, value: expected });
  });

  test.each([
    ['$.store.book[*].author', ['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']],
    ['$..author', ['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']],
    ['$.store.*.color', ['red']],
    ['$.store.book[0,2].price', [8.95, 8.99]],
    ['$.store.book[1:3].price', [12.99, 8.99]],
    ['$.store.book[-2:].price', [8.99, 22.99]],
    ['$.store.book[:1].price', [8.95]],
    ['$.store.book[::-2].price', [22.99, 12.99]],
    ['$.store.book[?(@.isbn)].title', ['Moby Dick', 'The Lord of the Rings']],
    ['$.store.book[?(@.price < 10)].title', ['Sayings of the Century', 'Moby Dick']],
    ["$.store.book[?(@.category == 'fiction' && @.price > 20)].author", ['J. R. R. Tolkien']],
    ["$.store.book[?(@.category != 'fiction' || @.price >= 22.99)].price", [8.95, 22.99]],
    ['$.store.book[?(!(@.price > 9))].price', [8.95, 8.99]],
    ['$.store.book[?(@.author =~ /.*Melville/)].price', [8.99]],
    ['$.store.book[?(@.price > $.store.bicycle.price)].price', [22.99]],
    ["$..book[?(@.price == 12.99)]['title','price']", ['Sword of Honour', 12.99]],
    ['$.store.nothing[*]', []],
  ])('indefinite path %s yields every match', (path, expected) => {
    expect(queryPath(path, store)).toEqual({ found: true, value: expected });
  });

  test('a definite path that matches nothing is not found', () => {
    expect(queryPath('$.store.car', store).found).toBe(false);
    expect(queryPath('$.store.book[9]', store).found).toBe(false);
    expect(queryPath('$.store.bicycle.color.shade', store).found).toBe(false);
  });

  test('syntax is checked', () => {
    for (const bad of ['store', '$.', '$[', '$.a[?(@.b ==)]', '$.a[x]', '$.a[(@.foo)]', "$['a"]) expect(isValidPath(bad)).toBe(false);
    for (const good of ['$', '$.a.b', '$.error-info', '$.a[0]', "$['a b']", '$..x', '$.a[*]', '$.a[1:2]', '$.a[?(@.x)]']) expect(isValidPath(good)).toBe(true);
  });

  test('reference paths', () => {
    expect(parseReferencePath('$.a.b[2]')).toEqual(['a', 'b', 2]);
    expect(parseReferencePath('$')).toEqual([]);
    expect(() => parseReferencePath('$.a[*]')).toThrow();
    expect(() => parseReferencePath('$..a')).toThrow();
    const input = { a: { keep: 1 } };
    expect(setAtReferencePath(input, '$.a.b.c', 5)).toEqual({ a: { keep: 1, b: { c: 5 } } });
    expect(input).toEqual({ a: { keep: 1 } }); // the input is not modified
    expect(setAtReferencePath({ list: [1, 2] }, '$.list[1]', 'x')).toEqual({ list: [1, 'x'] });
    expect(() => setAtReferencePath({ a: 'text' }, '$.a.b', 1)).toThrow(/cannot set field 'b'/);
  });
});

describe('input and output processing (spec examples)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.cleanup());

  const lambdaTask = (extra: object) =>
    single({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:fn', ...extra });

  test('InputPath selects the effective input, ResultPath inserts into the raw input, OutputPath filters', async () => {
    h.lambdas.set('fn', (p: { val1: number; val2: number }) => p.val1 + p.val2);
    const input = { title: 'Numbers to add', numbers: { val1: 3, val2: 4 } };
    const out = await run(h, lambdaTask({ InputPath: '$.numbers', ResultPath: '$.sum' }), input);
    expect(out.result).toEqual({ title: 'Numbers to add', numbers: { val1: 3, val2: 4 }, sum: 7 });
    const filtered = await run(h, lambdaTask({ InputPath: '$.numbers', ResultPath: '$.sum', OutputPath: '$.sum' }), input);
    expect(filtered.result).toBe(7);
  });

  test('Parameters: static values, .$ paths (slices too), the context object and intrinsics, nested', async () => {
    const out = await run(
      h,
      single({
        Type: 'Pass',
        Parameters: {
          flagged: true,
          parts: { 'first.$': '$.vals[0]', 'last3.$': '$.vals[-3:]' },
          list: [{ 'v.$': '$.vals[1]' }, 'plain'],
          'name.$': '$$.Execution.Name',
          'formatted.$': "States.Format('first is {}', $.vals[0])",
        },
      }),
      { flagged: 7, vals: [0, 10, 20, 30, 40, 50] },
    );
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result).toEqual({
      flagged: true,
      parts: { first: 0, last3: [30, 40, 50] },
      list: [{ v: 10 }, 'plain'],
      name: out.name,
      formatted: 'first is 0',
    });
  });

  test('ResultSelector shapes the task result before ResultPath', async () => {
    h.lambdas.set('fn', () => ({
      resourceType: 'elasticmapreduce',
      resource: 'createCluster.sync',
      output: { SdkHttpMetadata: { HttpStatusCode: 200 }, ClusterId: 'AKIAIOSFODNN7EXAMPLE' },
    }));
    const out = await run(
      h,
      lambdaTask({ ResultSelector: { 'ClusterId.$': '$.output.ClusterId', 'ResourceType.$': '$.resourceType', static: 1 }, ResultPath: '$.EMROutput' }),
      { original: 'input' },
    );
    expect(out.result).toEqual({ original: 'input', EMROutput: { ClusterId: 'AKIAIOSFODNN7EXAMPLE', ResourceType: 'elasticmapreduce', static: 1 } });
  });

  describe('ResultPath', () => {
    const input = { comment: 'This is a test of the input and output of a Task state.', details: 'Default example', who: 'AWS Step Functions' };
    beforeEach(() => h.lambdas.set('fn', (p: { who: string }) => `Hello, ${p.who}!`));

    test.each([
      ['$', undefined, 'Hello, AWS Step Functions!'],
      ['$.taskresult', '$.taskresult', { ...input, taskresult: 'Hello, AWS Step Functions!' }],
      ['null', null, input],
      ['$.strings.lambdaresult', '$.strings.lambdaresult', { ...input, strings: { lambdaresult: 'Hello, AWS Step Functions!' } }],
      ['$.comment (overwrite)', '$.comment', { ...input, comment: 'Hello, AWS Step Functions!' }],
    ])('%s', async (_label, resultPath, expected) => {
      const out = await run(h, lambdaTask(resultPath === undefined ? {} : { ResultPath: resultPath }), input);
      expect(out.result).toEqual(expected);
    });

    test('a ResultPath through a non-object is a States.Runtime failure', async () => {
      const out = await run(h, lambdaTask({ ResultPath: '$.who.name' }), input);
      expect(out.status).toBe('FAILED');
      expect(out.error).toBe('States.Runtime');
      expect(out.cause).toMatch(/Unable to apply ResultPath/);
    });
  });

  test('InputPath null gives {}, OutputPath null gives {}', async () => {
    h.lambdas.set('fn', (p: unknown) => ({ received: p }));
    expect((await run(h, lambdaTask({ InputPath: null }), { a: 1 })).result).toEqual({ received: {} });
    expect((await run(h, lambdaTask({ OutputPath: null }), { a: 1 })).result).toEqual({});
  });

  test('Pass: Result with ResultPath, and Parameters as the result', async () => {
    expect((await run(h, single({ Type: 'Pass', Result: { x: 1 }, ResultPath: '$.r' }), { a: 1 })).result).toEqual({ a: 1, r: { x: 1 } });
    expect((await run(h, single({ Type: 'Pass', Parameters: { 'b.$': '$.a' } }), { a: 1 })).result).toEqual({ b: 1 });
    expect((await run(h, single({ Type: 'Pass', InputPath: '$.a', ResultPath: '$.copy' }), { a: { z: 2 } })).result).toEqual({ a: { z: 2 }, copy: { z: 2 } });
  });

  test.each([
    ['Parameters', { Type: 'Pass', Parameters: { 'x.$': '$.missing' } }, /The JSONPath '\$.missing' specified for the field 'x.\$' could not be found/],
    ['InputPath', { Type: 'Pass', InputPath: '$.missing' }, /Invalid path '\$.missing' for InputPath/],
    ['OutputPath', { Type: 'Pass', OutputPath: '$.missing' }, /Invalid path '\$.missing' for OutputPath/],
  ])('a %s path that matches nothing fails the execution with States.Runtime', async (_field, state, cause) => {
    const out = await run(h, single(state), { a: 1 });
    expect(out).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(out.cause).toMatch(cause);
  });

  test('States.Runtime is not caught, not even by States.ALL', async () => {
    const out = await run(
      h,
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'fn', 'Payload.$': '$.missing' },
            Retry: [{ ErrorEquals: ['States.ALL'] }],
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
            End: true,
          },
          Caught: { Type: 'Pass', End: true },
        },
      },
      {},
    );
    expect(out).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(h.lambdaCalls).toHaveLength(0);
  });
});
