import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { acceptCase, currentLight } from '../../functions/domain/case';
import { defaultCalendar } from '../../functions/domain/calendar';
import { defaultDirectory } from '../../functions/domain/directory';
import { defaultRoutingRules } from '../../functions/domain/routing';
import { CaseStore } from '../../functions/store/case-store';
import { MONDAY_0900, type TestStack } from '../support/local-stack';
import { fixtureId, Random } from '../support/seed-fixture';
import { collectErrors, expectAccessible, LIVE, signIn, withStackAndBrowser } from './browser-support';

/*
 * A unit's home at scale, in Chromium against the local stack: a street office holding 600 open
 * cases (written through the store as intake writes them, counters included; no workflow behind
 * them, so their lights change with the clock alone) shows 600 open and each light as a full
 * count gives it — counts from GET /v1/cases/summary, not from the cases the page loaded — and
 * its queues say when they hold more than a page.
 */
const OPEN_CASES = 600;
const UNIT = 'street-xiling-xiling';
const HOUR_MS = 3_600_000;

let t: TestStack;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const expected = { green: 0, yellow: 0, red: 0 };

withStackAndBrowser('unit-home', (stack, chromium) => {
  t = stack;
  browser = chromium;
});

/** 600 routine cases from the street's two communities (routed to the street office), over the last weeks; and a few for another street. */
async function seed(): Promise<void> {
  const store = new CaseStore(DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }), process.env.CASES_TABLE as string);
  const random = new Random(21);
  const records = Array.from({ length: OPEN_CASES + 5 }, (_, n) => {
    const origin = n >= OPEN_CASES ? 'community-xiling-wuguibei' : random.pick(['community-xiling-shengli-silu', 'community-xiling-luluo-lu']);
    // Over half recent (green or yellow by now), the rest days old (red, with no workflow to say so).
    const createdMs = MONDAY_0900 - Math.round((random.next() < 0.55 ? random.between(0.1, 30) : random.between(40, 500)) * HOUR_MS);
    return acceptCase(
      { title: `第 ${n} 号事项`, description: '网格员上报，需街道处理。', category: 'routine', reportedVia: 'patrol' },
      {
        caller: { sub: `seed@${origin}`, unit: origin, role: 'community' },
        id: fixtureId(createdMs, 21, n),
        nowMs: createdMs,
        directory: defaultDirectory,
        calendar: defaultCalendar,
        routingRules: defaultRoutingRules,
      },
    );
  });
  const queue = [...records];
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await store.createCase(next.record, next.event);
    }),
  );
  for (const { record } of records) if (record.assignedUnit === UNIT) expected[currentLight(record, MONDAY_0900, defaultCalendar)] += 1;
  expect(records.filter(({ record }) => record.assignedUnit === UNIT)).toHaveLength(OPEN_CASES);
}

describe("a unit's home with more open cases than a page", () => {
  beforeAll(async () => {
    await seed();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    collectErrors(page, pageErrors);
    await signIn(page, t.url, UNIT, 'agency');
  }, 120_000);

  afterAll(() => expect(pageErrors).toEqual([]));

  test('600 open cases show 600, each light as a full count gives it, on the counts and on the queues', async () => {
    expect(expected.red).toBeGreaterThan(100);
    expect(expected.green + expected.yellow + expected.red).toBe(OPEN_CASES);
    await page.goto(`${t.url}/console/`);
    await page.waitForSelector(`.unit-home [data-count-open="${OPEN_CASES}"]`, LIVE);
    for (const light of ['green', 'yellow', 'red'] as const) {
      expect(await page.getAttribute(`.unit-counts [data-count-light="${light}"]`, 'data-count')).toBe(String(expected[light]));
    }
    expect(await page.getAttribute('[data-queue="overdue"] .queue-count', 'data-count')).toBe(String(expected.red));
    expect(await page.getAttribute('[data-queue="due-soon"] .queue-count', 'data-count')).toBe(String(expected.yellow));
    // All 600 wait for sign-off: more than one page of the list, which the tab says rather than pretending to count.
    expect(await page.getAttribute('[data-queue="sign-off"] .queue-count', 'data-more')).toBe('true');
    expect(await page.textContent('[data-queue="sign-off"] .queue-count')).toBe('100+');
    expect(await page.getAttribute('[data-queue="in-progress"] .queue-count', 'data-count')).toBe('0');
    await expectAccessible(page, 'unit home, 600 open cases');
  });

  test('the overdue queue says how many of its cases it shows, out of the exact count', async () => {
    await page.click('[data-queue="overdue"]');
    await page.waitForSelector('[data-queue="overdue"][aria-pressed="true"]');
    const line = page.locator('#queue-cases .count-line');
    expect(await line.getAttribute('data-total')).toBe(String(expected.red));
    const shown = Number(await line.getAttribute('data-shown'));
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(expected.red);
    expect(await page.locator('#queue-cases [data-case-id]').count()).toBe(shown);
  });
});
