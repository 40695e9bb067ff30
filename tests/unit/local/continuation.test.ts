import { DEFAULT_MARGINS, EXECUTION_LIMITS, continuationFor, estimateStepEvents, executionName, generationOf, positionOf } from '../../../functions/domain/continuation';

/** The rule that hands a long case on to its next execution (functions/domain/continuation.ts). */
const DAY = 86_400_000;
const base = { caseId: '01JCASE', executionName: '01JCASE', executionStartMs: 0, nowMs: 10 * DAY, events: 1000, waitSeconds: 3600, closed: false };

test('the margins stay inside AWS\'s limits', () => {
  expect(DEFAULT_MARGINS.afterSeconds).toBeLessThan(EXECUTION_LIMITS.maxAgeSeconds);
  expect(DEFAULT_MARGINS.afterEvents).toBeLessThan(EXECUTION_LIMITS.maxEvents);
  expect(estimateStepEvents(0)).toBeGreaterThanOrEqual(17);
  expect(estimateStepEvents(2)).toBe(estimateStepEvents(0) + 16);
});

test('names: the case id, then -c1, -c2; a name of another case is no generation of this one', () => {
  expect([0, 1, 12].map((n) => executionName('01JCASE', n))).toEqual(['01JCASE', '01JCASE-c1', '01JCASE-c12']);
  expect(generationOf('01JCASE', '01JCASE')).toBe(0);
  expect(generationOf('01JCASE', '01JCASE-c7')).toBe(7);
  expect(generationOf('01JCASE', '01JOTHER-c1')).toBeUndefined();
  expect(generationOf('01JCASE', '01JCASE-c0')).toBeUndefined();
  expect(() => executionName('01JCASE', -1)).toThrow(RangeError);
});

test('a reopened case runs as -r1, -r2, …, each continuing on its own chain (-r1-c1); no name is two positions', () => {
  expect(executionName('01JCASE', 0, 1)).toBe('01JCASE-r1');
  expect(executionName('01JCASE', 2, 3)).toBe('01JCASE-r3-c2');
  expect(positionOf('01JCASE', '01JCASE')).toEqual({ reopening: 0, generation: 0 });
  expect(positionOf('01JCASE', '01JCASE-c4')).toEqual({ reopening: 0, generation: 4 });
  expect(positionOf('01JCASE', '01JCASE-r2')).toEqual({ reopening: 2, generation: 0 });
  expect(positionOf('01JCASE', '01JCASE-r2-c1')).toEqual({ reopening: 2, generation: 1 });
  for (const other of ['01JCASE-c1-r1', '01JCASE-r0', '01JCASE-r1-c0', '01JCASE2-r1', '01JOTHER-r1']) expect(positionOf('01JCASE', other)).toBeUndefined();
  expect(continuationFor({ ...base, executionName: '01JCASE-r1', events: 20_000 })).toBe('01JCASE-r1-c1');
  expect(continuationFor({ ...base, executionName: '01JCASE-r2-c5', events: 20_000 })).toBe('01JCASE-r2-c6');
  expect(() => executionName('01JCASE', 0, -1)).toThrow(RangeError);
});

test('waits in this execution while both margins are far', () => {
  expect(continuationFor(base)).toBeNull();
});

test('continues when the coming wait would end past the age margin, into the next generation', () => {
  const nearlyOld = { ...base, nowMs: 329 * DAY, waitSeconds: 2 * 86400 };
  expect(continuationFor(nearlyOld)).toBe('01JCASE-c1');
  expect(continuationFor({ ...nearlyOld, executionName: '01JCASE-c3' })).toBe('01JCASE-c4');
  expect(continuationFor({ ...base, nowMs: 329 * DAY, waitSeconds: 3600 })).toBeNull();
});

test('continues once the history may have reached the event margin', () => {
  expect(continuationFor({ ...base, events: 19_999 })).toBeNull();
  expect(continuationFor({ ...base, events: 20_000 })).toBe('01JCASE-c1');
  expect(continuationFor({ ...base, events: 50 }, { afterSeconds: 1e9, afterEvents: 50 })).toBe('01JCASE-c1');
});

test('a closed case, or an execution not named for the case, never continues', () => {
  expect(continuationFor({ ...base, events: 30_000, closed: true })).toBeNull();
  expect(continuationFor({ ...base, events: 30_000, executionName: 'someone-else' })).toBeNull();
});
