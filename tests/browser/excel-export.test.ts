import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import Papa from 'papaparse';
import type { Browser, Download, Page } from 'playwright-core';
import readXlsxFile from 'read-excel-file/node';
import { acceptCase } from '../../functions/domain/case';
import { CATEGORY_IDS } from '../../functions/domain/categories';
import { defaultCalendar, toShanghaiIso } from '../../functions/domain/calendar';
import { defaultDirectory } from '../../functions/domain/directory';
import { defaultRoutingRules } from '../../functions/domain/routing';
import { CaseStore } from '../../functions/store/case-store';
import { MONDAY_0900, type TestStack } from '../support/local-stack';
import { fixtureId } from '../support/seed-fixture';
import { collectErrors, LIVE, signIn, withStackAndBrowser } from './browser-support';

/*
 * The Excel downloads (issue 15), in Chromium against the local stack: the API answers CSV only,
 * and the console makes the workbook in the page from that CSV. Each Excel button's workbook,
 * opened with a reader, has the CSV's rows for the same view, cell for cell: the header, a
 * citizen's title that starts with `=` (neutralised by the API) as text and never a formula, a
 * quoted address with a comma and a line break as one cell, counts as numbers; one sheet named in
 * the reader's language; the CSV's file name with .xlsx.
 */
const HOUR_MS = 3_600_000;
const MONTH = toShanghaiIso(MONDAY_0900).slice(0, 7);
const FORMULA_TITLE = '=HYPERLINK("https://example.org","点这里")';
const ADDRESS = '西陵区夷陵大道 1 号, 2 栋\n3 单元';
const [SHOWN, HIDDEN] = CATEGORY_IDS;

let t: TestStack;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

withStackAndBrowser('excel-export', (stack, chromium) => {
  t = stack;
  browser = chromium;
});

/** Five cases: four of the category the board is filtered on (one titled like a formula, one with an awkward address), one of another. */
async function seedCases(): Promise<void> {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  const store = new CaseStore(client, process.env.CASES_TABLE as string);
  const communities = defaultDirectory.ofKind('community').map((unit) => unit.id);
  for (let n = 0; n < 5; n++) {
    const origin = communities[n % communities.length];
    const createdMs = MONDAY_0900 - (n + 1) * HOUR_MS;
    const { record, event } = acceptCase(
      {
        title: n === 0 ? FORMULA_TITLE : `第 ${n} 号事项`,
        description: '网格员上报，需相关单位处理。',
        category: n === 4 ? HIDDEN : SHOWN,
        reportedVia: 'patrol',
        ...(n === 1 ? { location: { address: ADDRESS } } : {}),
      },
      {
        caller: { sub: `seed@${origin}`, unit: origin, role: 'community' },
        id: fixtureId(createdMs, 16, n),
        nowMs: createdMs,
        directory: defaultDirectory,
        calendar: defaultCalendar,
        routingRules: defaultRoutingRules,
      },
    );
    await store.createCase(record, event);
  }
}

const downloadOf = async (action: string): Promise<Download> => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-action="${action}"]`)]);
  return download;
};

/** The CSV's rows, read by a CSV parser (quoted commas and line breaks are inside a cell). */
async function csvRowsOf(download: Download): Promise<string[][]> {
  const text = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text, { delimiter: ',', skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

/** The workbook's sheets, as the reader gives them. */
async function sheetsOf(download: Download) {
  return readXlsxFile(readFileSync(await download.path()));
}

/** A workbook's cell as the CSV wrote it: numbers back to their text, empty cells empty. */
const asCsvText = (cell: unknown): string => (cell === null || cell === undefined ? '' : String(cell));

/** The workbook's raw sheet XML: no cell in it is a formula. */
async function formulaCount(download: Download): Promise<number> {
  const { unzipSync, strFromU8 } = await import('fflate');
  const files = unzipSync(new Uint8Array(readFileSync(await download.path())));
  return Object.entries(files)
    .filter(([name]) => name.startsWith('xl/worksheets/'))
    .reduce((sum, [, bytes]) => sum + (strFromU8(bytes).match(/<f[ >]/g)?.length ?? 0), 0);
}

describe('the Excel downloads', () => {
  beforeAll(async () => {
    await seedCases();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    collectErrors(page, pageErrors);
    await signIn(page, t.url, 'supervision-centre', 'supervisor');
  }, 60_000);

  afterAll(() => expect(pageErrors).toEqual([]));

  test("the board's Excel export is the CSV's rows for the same filter, the formula-like title as text", async () => {
    await page.goto(`${t.url}/console/?category=${SHOWN}`);
    await page.waitForSelector('[data-action="export-xlsx"]', LIVE);
    const csv = await csvRowsOf(await downloadOf('export-csv'));
    const workbook = await downloadOf('export-xlsx');
    expect(workbook.suggestedFilename()).toMatch(/^cases-\d{12}\.xlsx$/);

    const sheets = await sheetsOf(workbook);
    expect(sheets.map((sheet) => sheet.sheet)).toEqual(['全市总览']);
    const rows = sheets[0].data;
    expect(rows.map((row) => row.map(asCsvText))).toEqual(csv);
    // The filter held: four cases of the category, under the header, whose columns are named in the reader's language.
    expect(rows).toHaveLength(5);
    const header = csv[0];
    expect(header.slice(0, 3)).toEqual(['事项编号', '标题', '类别']);
    expect(new Set(rows.slice(1).map((row) => row[header.indexOf('类别')]))).toEqual(new Set([SHOWN]));
    // The citizen's title stays text, as the API neutralised it; the address is one cell.
    const titles = rows.slice(1).map((row) => row[header.indexOf('标题')]);
    expect(titles).toContain(`'${FORMULA_TITLE}`);
    expect(rows.slice(1).map((row) => row[header.indexOf('地址')])).toContain(ADDRESS);
    // The tier is a number; an ID stays text.
    expect(typeof rows[1][header.indexOf('层级')]).toBe('number');
    expect(typeof rows[1][header.indexOf('事项编号')]).toBe('string');
    expect(await formulaCount(workbook)).toBe(0);
  });

  test("the statistics page's Excel download is the CSV's rows, counts as numbers, the sheet named in the reader's language", async () => {
    await page.goto(`${t.url}/console/statistics?from=${MONTH}&to=${MONTH}&by=category`);
    await page.waitForSelector('[data-table="full"][data-by="category"] tbody tr', LIVE);
    const csv = await csvRowsOf(await downloadOf('download-csv'));
    const workbook = await downloadOf('download-xlsx');
    expect(workbook.suggestedFilename()).toBe(`statistics-${MONTH}-${MONTH}-category.xlsx`);

    const sheets = await sheetsOf(workbook);
    expect(sheets.map((sheet) => sheet.sheet)).toEqual(['综合统计']);
    const rows = sheets[0].data;
    expect(rows.map((row) => row.map(asCsvText))).toEqual(csv);
    // The header in the reader's language: the first column named by the breakdown.
    const [keyAt, receivedAt] = [csv[0].indexOf('类别'), csv[0].indexOf('受理数')];
    expect([keyAt, receivedAt]).toEqual([0, 1]);
    const received = Object.fromEntries(rows.slice(1).map((row) => [row[keyAt], row[receivedAt]]));
    expect(received).toEqual({ [SHOWN]: 4, [HIDDEN]: 1 });
    expect(await formulaCount(workbook)).toBe(0);

    await page.click('[data-action="language"]');
    await page.waitForSelector('html[lang="en"]');
    // In English the API's CSV names its columns in English, and the workbook has them; the rows are the same.
    const englishCsv = await csvRowsOf(await downloadOf('download-csv'));
    expect(englishCsv[0].slice(0, 2)).toEqual(['Category', 'Received']);
    expect(englishCsv.slice(1)).toEqual(csv.slice(1));
    const english = await sheetsOf(await downloadOf('download-xlsx'));
    expect(english.map((sheet) => sheet.sheet)).toEqual(['Statistics']);
    expect(english[0].data.map((row) => row.map(asCsvText))).toEqual(englishCsv);
  });
});
