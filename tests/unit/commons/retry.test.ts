import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RetryStrategyV2, RetryToken } from '@smithy/types';
import { SDK_RETRY } from '../../../functions/commons/clients/settings';

/*
 * The waits between retries under the handlers' retry setting, read from the SDK's own retry
 * strategy on a fake clock: exponential backoff with full jitter, and a bounded number of attempts.
 */
afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

/** The wait before each retry of one call that keeps being throttled, with the random draw fixed. */
async function throttledWaits(draw: number): Promise<{ waits: number[]; refusedAfter: number }> {
  jest.useFakeTimers();
  jest.spyOn(Math, 'random').mockReturnValue(draw);
  const timeouts = jest.spyOn(global, 'setTimeout');
  const client = new DynamoDBClient({ ...SDK_RETRY, region: 'cn-north-1' });
  // Standard mode's strategy is the token-based (V2) one.
  const strategy = (await client.config.retryStrategy()) as RetryStrategyV2;
  let token = await strategy.acquireInitialRetryToken('dynamodb');
  const waits: number[] = [];
  for (let attempt = 1; ; attempt++) {
    const next = strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' }).then(
      (renewed): RetryToken | undefined => renewed,
      () => undefined, // no more retries
    );
    await jest.advanceTimersByTimeAsync(60_000);
    const renewed = await next;
    if (!renewed) {
      client.destroy();
      return { waits, refusedAfter: attempt };
    }
    token = renewed;
    waits.push(Number(timeouts.mock.calls.at(-1)?.[1]));
  }
}

test('a throttled call is tried five times in all, waiting longer each time', async () => {
  const { waits, refusedAfter } = await throttledWaits(1);
  expect(refusedAfter).toBe(SDK_RETRY.maxAttempts);
  expect(waits).toHaveLength(SDK_RETRY.maxAttempts - 1);
  for (let i = 1; i < waits.length; i++) expect(waits[i]).toBe(2 * waits[i - 1]);
  // Five attempts fit inside API Gateway's 30-second limit even at the longest draw.
  expect(waits.reduce((sum, wait) => sum + wait, 0)).toBeLessThan(30_000);
});

test('each wait is a random share of its ceiling (full jitter), so throttled callers spread out', async () => {
  const ceiling = (await throttledWaits(1)).waits;
  const quarter = (await throttledWaits(0.25)).waits;
  const none = (await throttledWaits(0)).waits;
  expect(quarter).toEqual(ceiling.map((wait) => Math.floor(wait / 4)));
  expect(none).toEqual(ceiling.map(() => 0));
});
