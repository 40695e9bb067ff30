import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Browser, Page } from 'playwright-core';
import type { CaseRecord } from '../../functions/domain/case';
import { toShanghaiIso } from '../../functions/domain/calendar';
import type { TestStack } from '../support/local-stack';
import { scaledMix, simulateCases, writeCases } from '../support/seed-fixture';
import { channelGroupsOf, percent, type StatRow } from '../../console/src/statistics-view';
import { ARTIFACTS, collectErrors, expectAccessible, ROOT, signIn, withStackAndBrowser } from './browser-support';

/*
 * The statistics page (综合统计) in Chromium against the local stack, on a month of cases made
 * as the workflow makes them (tests/support/seed-fixture.ts, written through the store): it shows
 * the seed's other figures — the share of intake by channel (grid patrols, phone/SMS/internet,
 * walk-ins) and the share resolved in the month of arrival — as the records give them, with a
 * table beside every chart, in Chinese and in English, and downloads the CSV.
 */
const MONTH = '2011-03';
const CASES = 400;
/** A statistics answer reads every case of its range, once per breakdown the page shows (three or four): seconds on a shared machine. */
const LOAD = { timeout: 30_000 };

let t: TestStack;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const records: CaseRecord[] = [];

withStackAndBrowser('statistics', (stack, chromium) => {
  t = stack;
  browser = chromium;
});

async function screenshot(name: string, docsName?: string): Promise<void> {
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (docsName && process.env.CONSOLE_DOCS_SCREENSHOTS === '1') copyFileSync(file, join(ROOT, 'docs', docsName));
}

const monthOf = (iso: string) => toShanghaiIso(Date.parse(iso)).slice(0, 7);
const figure = async (name: string) => (await page.textContent(`[data-figure="${name}"] .count-value`))?.trim();

describe('the statistics page', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    records.push(...simulateCases({ months: [MONTH], mix: scaledMix(CASES), seed: 15 }));
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
    await writeCases(client, process.env.CASES_TABLE as string, records, { concurrency: 8 });
    page = await browser.newPage({ viewport: { width: 1440, height: 960 }, locale: 'zh-CN' });
    collectErrors(page, pageErrors);
    await signIn(page, t.url, 'supervision-centre', 'supervisor');
  }, 120_000);

  afterAll(() => expect(pageErrors).toEqual([]));

  test("shows the seeded month's channel shares and its share resolved in the month of arrival", async () => {
    expect(await page.getAttribute('[data-nav="statistics"]', 'href')).toBe('/console/statistics');
    // The range and breakdown are the URL: a bookmark of it opens the same view.
    await page.goto(`${t.url}/console/statistics?from=${MONTH}&to=${MONTH}`);
    await page.waitForSelector(`[data-figure="received"] .count-value:text("${CASES}")`, LOAD);
    expect(await page.inputValue('input[name=from]')).toBe(MONTH);
    expect(await page.inputValue('input[name=to]')).toBe(MONTH);

    // What the records say: intake by channel, and cases resolved in the month they arrived.
    const byChannel = new Map<string, number>();
    for (const record of records) byChannel.set(record.reportedVia, (byChannel.get(record.reportedVia) ?? 0) + 1);
    const rows = [...byChannel].map(([key, received]) => ({ key, received }) as StatRow);
    for (const { group, share } of channelGroupsOf(rows)) expect(await figure(`channel-${group}`)).toBe(`${share}%`);
    const sameMonth = records.filter((record) => record.metrics.firstResolvedAt && monthOf(record.metrics.firstResolvedAt) === monthOf(record.createdAt)).length;
    expect(await figure('same-month-share')).toBe(`${percent(sameMonth, CASES)}%`);

    // Every channel's share in the table beside the chart.
    for (const [channel, received] of byChannel) {
      expect(await page.textContent(`[data-table="channels"] tr[data-key="${channel}"] td[data-share]`)).toBe(`${percent(received, CASES)}%`);
    }
    expect(await page.$$eval('#stat-trend canvas, #stat-channels canvas, #stat-categories canvas, #stat-times canvas', (canvases) => canvases.length)).toBe(5);
    await expectAccessible(page, 'statistics, one month');
    await screenshot('statistics-month', 'console-statistics.png');
  });

  test('a breakdown in the URL survives a reload; a range over 36 months says why and asks nothing', async () => {
    await page.selectOption('select[name=by]', 'district');
    await page.waitForSelector('[data-table="full"][data-by="district"] tbody tr', LOAD);
    const url = page.url();
    expect(new URL(url).searchParams.get('by')).toBe('district');
    await page.reload();
    await page.waitForSelector('[data-table="full"][data-by="district"] tbody tr', LOAD);
    expect(page.url()).toBe(url);

    let asked = 0;
    const count = (request: { url(): string }) => {
      if (request.url().includes('/v1/statistics')) asked++;
    };
    page.on('request', count);
    await page.fill('input[name=from]', '2008-01');
    await page.waitForSelector('[data-range-problem="long"]');
    page.off('request', count);
    expect(asked).toBe(0);
    await page.fill('input[name=from]', MONTH);
    await page.waitForSelector('[data-table="full"][data-by="district"] tbody tr', LOAD);
  });

  test('downloads the CSV of the breakdown shown, named as the API names it', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="download-csv"]')]);
    expect(download.suggestedFilename()).toBe(`statistics-${MONTH}-${MONTH}-district.csv`);
  });

  test('in English too, every state accessible', async () => {
    await page.click('[data-action="language"]');
    await page.waitForSelector('html[lang="en"]');
    await page.waitForSelector('h1:text("Comprehensive statistics")');
    await expectAccessible(page, 'statistics, English');
    await page.click('[data-action="language"]');
  });
});
