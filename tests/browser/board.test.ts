import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { acceptCase, currentLight, REPORT_CHANNELS } from '../../functions/domain/case';
import { CATEGORY_IDS } from '../../functions/domain/categories';
import { defaultCalendar } from '../../functions/domain/calendar';
import { defaultDirectory } from '../../functions/domain/directory';
import { defaultRoutingRules } from '../../functions/domain/routing';
import { CaseStore } from '../../functions/store/case-store';
import { MONDAY_0900, type TestStack } from '../support/local-stack';
import { fixtureId, Random } from '../support/seed-fixture';
import { ARTIFACTS, collectErrors, expectAccessible, LIVE, ROOT, signIn, withStackAndBrowser } from './browser-support';

/*
 * The city board at scale, in Chromium against the local stack: 600 open cases written through
 * the store (as intake writes them, counters included; no workflow behind them, so their lights
 * change with the clock alone) show 600 in the counts, every light exactly as a full count gives
 * it; the list pages through the API's cursor under a header that stays in view; and a view —
 * filters and keyword — is in the URL, so it survives "back" and a reload.
 */
const OPEN_CASES = 600;
const HOUR_MS = 3_600_000;

let t: TestStack;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
/** Open cases by light at the stack's clock, and by district, from the records written. */
const expected = { byLight: { green: 0, yellow: 0, red: 0 }, byDistrict: {} as Record<string, number>, redByDistrict: {} as Record<string, number>, ids: [] as string[] };

withStackAndBrowser('board', (stack, chromium) => {
  t = stack;
  browser = chromium;
});

async function screenshot(name: string, docsName?: string): Promise<void> {
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (docsName && process.env.CONSOLE_DOCS_SCREENSHOTS === '1') copyFileSync(file, join(ROOT, 'docs', docsName));
}

/** 600 cases accepted over the last three weeks by communities across the city, written as intake writes them. */
async function seedOpenCases(): Promise<void> {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  const store = new CaseStore(client, process.env.CASES_TABLE as string);
  const communities = defaultDirectory.ofKind('community').map((unit) => unit.id);
  const random = new Random(15);
  const records = Array.from({ length: OPEN_CASES }, (_, n) => {
    const origin = random.pick(communities);
    const category = random.pick(CATEGORY_IDS);
    // Most are recent (green); some are days old (yellow or red by now, with no workflow to say so).
    const createdMs = MONDAY_0900 - Math.round((random.next() < 0.8 ? random.between(0.1, 6) : random.between(20, 500)) * HOUR_MS);
    return acceptCase(
      {
        title: n === 7 ? '小区门口占道经营噪音扰民' : `第 ${n} 号事项`,
        description: '网格员上报，需相关单位处理。',
        category,
        reportedVia: random.pick(REPORT_CHANNELS),
      },
      {
        caller: { sub: `seed@${origin}`, unit: origin, role: 'community' },
        id: fixtureId(createdMs, 15, n),
        nowMs: createdMs,
        directory: defaultDirectory,
        calendar: defaultCalendar,
        routingRules: defaultRoutingRules,
      },
    );
  });
  // A few at a time: each intake adds to its bucket's counter in its own transaction.
  const queue = [...records];
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await store.createCase(next.record, next.event);
    }),
  );
  for (const { record } of records) {
    const light = currentLight(record, MONDAY_0900, defaultCalendar);
    expected.byLight[light] += 1;
    if (light === 'red') expected.redByDistrict[record.district] = (expected.redByDistrict[record.district] ?? 0) + 1;
    expected.byDistrict[record.district] = (expected.byDistrict[record.district] ?? 0) + 1;
    expected.ids.push(record.id);
  }
}

const count = async (selector: string) => Number(await page.textContent(`${selector} .count-value`));

describe('the city board at scale', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await seedOpenCases();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    collectErrors(page, pageErrors);
    await signIn(page, t.url, 'supervision-centre', 'supervisor');
  }, 120_000);

  afterAll(() => expect(pageErrors).toEqual([]));

  test('600 open cases show 600 in the counts, each light as a full count gives it', async () => {
    await page.waitForSelector(`[data-count-open="${OPEN_CASES}"]`, LIVE);
    expect(await count('[data-count-light="green"]')).toBe(expected.byLight.green);
    expect(await count('[data-count-light="yellow"]')).toBe(expected.byLight.yellow);
    expect(await count('[data-count-light="red"]')).toBe(expected.byLight.red);
    expect(expected.byLight.red).toBeGreaterThan(0);
    expect(expected.byLight.green + expected.byLight.yellow + expected.byLight.red).toBe(OPEN_CASES);
    const tiers = await Promise.all(['0', '1', '2', '3'].map((tier) => count(`[data-count-tier="${tier}"]`)));
    expect(tiers).toEqual([OPEN_CASES, 0, 0, 0]);
    const districts = await page.$$eval('[data-count-district]', (buttons) =>
      Object.fromEntries(buttons.map((button) => [button.getAttribute('data-count-district'), Number(button.nextElementSibling?.textContent)])),
    );
    expect(districts).toEqual(expected.byDistrict);
    await expectAccessible(page, 'board, 600 open cases');
    await screenshot('board-600', 'console-board.png');
  });

  test('the list pages through the API’s cursor, 50 at a time, its header staying in view', async () => {
    await page.waitForSelector('.count-line[data-shown="50"]');
    expect(await page.getAttribute('.count-line', 'data-total')).toBe(String(OPEN_CASES));
    await page.click('[data-action="more"]');
    await page.waitForSelector('.count-line[data-shown="100"]');
    expect(await page.$$eval('tr[data-case-id]', (rows) => new Set(rows.map((row) => row.getAttribute('data-case-id'))).size)).toBe(100);

    // Scrolled down inside the list, the column headings are still at its top.
    const region = page.locator('.table-scroll.sticky-head');
    await region.evaluate((element) => element.scrollTo(0, 2000));
    const [regionBox, headBox] = await Promise.all([region.boundingBox(), page.locator('.sticky-head thead th').first().boundingBox()]);
    expect(regionBox && headBox && Math.abs(headBox.y - regionBox.y)).toBeLessThan(2);
    const firstRowBox = await page.locator('tr[data-case-id]').first().boundingBox();
    expect(firstRowBox!.y).toBeLessThan(regionBox!.y);
  });

  test('a view in the URL survives "back" and a reload', async () => {
    const district = Object.entries(expected.byDistrict).sort((a, b) => b[1] - a[1])[0][0];
    const asked = page.waitForRequest((request) => request.url().includes('/v1/cases?') && request.url().includes(`district=${district}`) && request.url().includes('light=red'));
    await page.selectOption('select[name=district]', district);
    await page.click('[data-count-light="red"]');
    await asked;
    await page.waitForSelector('[data-count-light="red"][aria-pressed="true"]');
    // The filtered page has come (the list is empty while a new view loads): red rows, and only red ones.
    await page.waitForFunction(() => {
      const { document } = globalThis as unknown as { document: { querySelector(selector: string): unknown } };
      return Boolean(document.querySelector('tr[data-case-id]')) && !document.querySelector('tr[data-case-id]:not([data-light="red"])');
    });
    expect(new URL(page.url()).searchParams.get('district')).toBe(district);
    expect(new URL(page.url()).searchParams.get('light')).toBe('red');

    // A keyword of one character is not sent: the box says why.
    await page.fill('input[name=q]', '噪');
    await page.click('[data-action="search"]');
    await page.waitForSelector('#board-q-problem');
    expect(new URL(page.url()).searchParams.get('q')).toBeNull();

    const viewUrl = page.url();
    const shownIds = await page.$$eval('tr[data-case-id]', (rows) => rows.map((row) => row.getAttribute('data-case-id')));
    expect(shownIds.length).toBeGreaterThan(0);
    await page.click(`tr[data-case-id="${shownIds[0]}"] a`);
    await page.waitForSelector('main.case-page', LIVE);
    await page.goBack();
    await page.waitForSelector('[data-count-light="red"][aria-pressed="true"]');
    expect(page.url()).toBe(viewUrl);
    expect(await page.inputValue('select[name=district]')).toBe(district);
    await page.waitForSelector(`tr[data-case-id="${shownIds[0]}"]`);

    await page.reload();
    await page.waitForSelector('[data-count-light="red"][aria-pressed="true"]', LIVE);
    expect(page.url()).toBe(viewUrl);
    expect(await page.inputValue('select[name=district]')).toBe(district);
    await page.waitForSelector(`tr[data-case-id="${shownIds[0]}"]`);
    await expectAccessible(page, 'board, filtered');
  });

  test('the supervisor exports the list as filtered, the complainant only when ticked', async () => {
    const district = new URL(page.url()).searchParams.get('district') as string;
    const exported = async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="export-csv"]')]);
      expect(download.suggestedFilename()).toMatch(/^cases-\d{12}\.csv$/);
      const lines = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
      return { header: lines[0].split(','), rows: lines.slice(1).map((line) => line.split(',')) };
    };
    // The header row in the console's language (Chinese here): the API names the columns by Accept-Language.
    const plain = await exported();
    expect(plain.header.slice(0, 3)).toEqual(['事项编号', '标题', '类别']);
    expect(plain.header).not.toContain('投诉人电话');
    // Every red case of the district, not a page of them.
    expect(plain.rows).toHaveLength(expected.redByDistrict[district]);
    const [lightAt, districtAt] = [plain.header.indexOf('灯色'), plain.header.indexOf('区')];
    expect(new Set(plain.rows.map((row) => `${row[lightAt]} ${row[districtAt]}`))).toEqual(new Set([`red ${district}`]));

    await page.check('input[name=complainant]');
    const personal = await exported();
    expect(personal.header).toEqual(expect.arrayContaining(['投诉人', '投诉人电话']));
    expect(personal.rows).toHaveLength(expected.redByDistrict[district]);
    await page.uncheck('input[name=complainant]');
  });

  test('the keyword searches in the API: a page of matches, in the URL too', async () => {
    await page.click('[data-action="clear-filters"]');
    await page.waitForFunction(() => (globalThis as unknown as { location: { search: string } }).location.search === '');
    await page.fill('input[name=q]', '占道经营');
    await page.click('[data-action="search"]');
    await page.waitForFunction(() => new URLSearchParams((globalThis as unknown as { location: { search: string } }).location.search).get('q') === '占道经营');
    await page.waitForSelector(`tr[data-case-id="${expected.ids[7]}"]`, LIVE);
    expect(await page.$$eval('tr[data-case-id]', (rows) => rows.length)).toBe(1);
    await page.reload();
    await page.waitForSelector(`tr[data-case-id="${expected.ids[7]}"]`, LIVE);
    expect(await page.inputValue('input[name=q]')).toBe('占道经营');
  });
});
