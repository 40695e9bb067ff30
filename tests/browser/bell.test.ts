import type { BrowserContext, Page } from 'playwright-core';
import type { Browser } from 'playwright-core';
import type { TestStack } from '../support/local-stack';
import { collectErrors, expectAccessible, LIVE, signIn, withStackAndBrowser } from './browser-support';

/*
 * The console's bell, on a phone (390×844): a new case makes the bell of its street office show
 * one unread notification; opening it by keyboard lists the text (the case's title, Asia/Shanghai
 * time) linked to the case, and once opened the count is gone, after a reload too. axe-core
 * checks the closed and the open bell.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';
const TITLE = '小区门口路灯不亮';

let t: TestStack;
let browser: Browser;
withStackAndBrowser('bell', (stack, chromium) => {
  t = stack;
  browser = chromium;
});

let context: BrowserContext;
let page: Page;
const errors: string[] = [];
beforeAll(async () => {
  context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  page = await context.newPage();
  collectErrors(page, errors);
});
afterAll(() => context?.close());

it('shows the street office 1 unread for a new case, and the text when opened', async () => {
  const created = await t.call('POST', '/v1/cases', {
    token: await t.token(COMMUNITY, 'community'),
    body: { title: TITLE, description: '路灯损坏，晚上看不清路。', category: 'routine', reportedVia: 'patrol' },
  });
  expect(created.status).toBe(201);
  await t.advance(0);

  await signIn(page, t.url, STREET, 'agency');
  const bell = page.locator('[data-action="bell"]');
  await page.waitForSelector('.bell-count[data-unread="1"]', LIVE);
  expect(await bell.getAttribute('aria-label')).toBe('通知，1 条未读');
  expect(await bell.getAttribute('aria-expanded')).toBe('false');
  await expectAccessible(page, 'bell, one unread');

  await bell.focus();
  await page.keyboard.press('Enter');
  const panel = page.locator('[data-bell-panel]');
  await panel.waitFor(LIVE);
  const item = panel.locator('[data-notification="NEW_CASE"]');
  expect(await item.count()).toBe(1);
  expect(await item.locator('a').innerText()).toContain(TITLE);
  expect(await item.locator('a').getAttribute('href')).toContain(`/cases/${created.body.id}`);
  expect(await item.locator('time').innerText()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  expect(await page.$('.bell-count')).toBeNull();
  await expectAccessible(page, 'bell open');

  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached', ...LIVE });
  expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } } }).document.activeElement.getAttribute('data-action'))).toBe('bell');

  await page.reload();
  await page.waitForSelector('[data-action="bell"]', LIVE);
  expect(await page.$('.bell-count')).toBeNull();
  expect(errors).toEqual([]);
});
