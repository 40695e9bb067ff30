import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { acceptCase, type CaseRecord, type CaseStatus } from '../../functions/domain/case';
import { defaultCalendar, toShanghaiIso } from '../../functions/domain/calendar';
import { defaultDirectory } from '../../functions/domain/directory';
import { defaultRoutingRules } from '../../functions/domain/routing';
import { CaseStore } from '../../functions/store/case-store';
import { MONDAY_0900, type TestStack } from '../support/local-stack';
import { fixtureId } from '../support/seed-fixture';
import { collectErrors, expectAccessible, LIVE, signIn, withStackAndBrowser } from './browser-support';

/*
 * A community's home with a long history, in Chromium against the local stack (issue 15): a
 * community that accepted 540 cases over two years, all closed but its 12 newest, shows every one
 * of its open cases and each awaiting its rating — asked from the API by status, not found among
 * the first 500 of its history, where they are not — and its closed group as the most recently
 * closed page, saying there are more.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const CLOSED = 528;
const OPEN: ReadonlyArray<[CaseStatus, number]> = [
  ['awaiting-sign-off', 4],
  ['in-progress', 3],
  ['returned', 1],
  ['awaiting-evaluation', 4],
];
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

let t: TestStack;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const records: CaseRecord[] = [];

withStackAndBrowser('community-home', (stack, chromium) => {
  t = stack;
  browser = chromium;
});

async function seed(): Promise<void> {
  const store = new CaseStore(DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }), process.env.CASES_TABLE as string);
  const accepted = (n: number, createdMs: number) =>
    acceptCase(
      { title: `第 ${n} 号事项`, description: '网格员上报。', category: 'routine', reportedVia: 'patrol' },
      {
        caller: { sub: `seed@${COMMUNITY}`, unit: COMMUNITY, role: 'community' },
        id: fixtureId(createdMs, 15, n),
        nowMs: createdMs,
        directory: defaultDirectory,
        calendar: defaultCalendar,
        routingRules: defaultRoutingRules,
      },
    );
  const writes: { record: CaseRecord; event: ReturnType<typeof accepted>['event'] }[] = [];
  let n = 0;
  // Two years of closed cases, each closed a few days after intake; then the open ones of the last days.
  for (let k = 0; k < CLOSED; k++) {
    const createdMs = MONDAY_0900 - 730 * DAY_MS + Math.round(k * 1.3 * DAY_MS);
    const { record, event } = accepted(n++, createdMs);
    writes.push({ record: { ...record, version: 2, status: 'closed', closedAt: toShanghaiIso(createdMs + (1 + (k % 6)) * DAY_MS), closedReason: 'satisfied' }, event });
  }
  for (const [status, count] of OPEN) {
    for (let k = 0; k < count; k++) {
      const { record, event } = accepted(n++, MONDAY_0900 - (n % 7) * 5 * HOUR_MS - HOUR_MS);
      writes.push({ record: { ...record, version: 2, status }, event });
    }
  }
  records.push(...writes.map((w) => w.record));
  const queue = [...writes];
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await store.createCase(next.record, next.event);
    }),
  );
}

const idsIn = (group: string) => page.$$eval(`[data-group="${group}"] [data-case-id]`, (cards) => cards.map((card) => card.getAttribute('data-case-id') as string));
const ofStatus = (...statuses: CaseStatus[]) => records.filter((r) => statuses.includes(r.status)).map((r) => r.id);

describe("a community's home with more than 500 cases in its history", () => {
  beforeAll(async () => {
    await seed();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    collectErrors(page, pageErrors);
    await signIn(page, t.url, COMMUNITY, 'community');
  }, 120_000);

  afterAll(() => expect(pageErrors).toEqual([]));

  test('its open cases and those awaiting its rating are all there, newest included; the closed ones are the latest page', async () => {
    // The oldest 500 of its history hold none of its open cases: a home reading those would show none.
    expect(records.slice(0, 500).every((r) => r.status === 'closed')).toBe(true);
    await page.goto(`${t.url}/console/`);
    await page.waitForSelector('.community-home [data-group="open"] [data-case-id]', LIVE);
    expect((await idsIn('open')).sort()).toEqual(ofStatus('awaiting-sign-off', 'in-progress', 'returned').sort());
    expect(await page.getAttribute('[data-group="open"] .count-badge', 'data-count')).toBe('8');
    expect(await page.getAttribute('[data-group="open"] .count-badge', 'data-more')).toBeNull();
    expect((await idsIn('awaiting-me')).sort()).toEqual(ofStatus('awaiting-evaluation').sort());
    expect(await page.getAttribute('[data-group="awaiting-me"] .count-badge', 'data-count')).toBe('4');

    // Closed: the 20 most recently closed, newest first, and a badge that says there are more.
    const latest = records
      .filter((r) => r.status === 'closed')
      .sort((a, b) => (b.closedAt as string).localeCompare(a.closedAt as string) || a.id.localeCompare(b.id))
      .slice(0, 20)
      .map((r) => r.id);
    expect(await idsIn('closed')).toEqual(latest);
    expect(await page.getAttribute('[data-group="closed"] .count-badge', 'data-more')).toBe('true');
    expect(await page.textContent('[data-group="closed"] .count-badge')).toBe('20+');
    expect(await page.textContent('[data-group="closed"] .count-line')).toBe('最近办结的 20 件');
    await expectAccessible(page, 'community home, 540 cases in its history');
  });
});
