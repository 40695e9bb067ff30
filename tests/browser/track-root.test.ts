import type { Browser } from 'playwright-core';
import type { TestStack } from '../support/local-stack';
import { collectErrors, expectAccessible, LIVE, withStackAndBrowser } from './browser-support';

/*
 * The citizens' status page at the site's root — /track and /track/<code>, the short address a
 * receipt can carry — on a phone (390 × 844, touch), in Chinese and English, with axe on every
 * state: it loads with no sign-in and sends no token, finds a case by the code as typed, stays
 * at /track/<code>, and /console/track keeps working.
 */
let t: TestStack;
let browser: Browser;
withStackAndBrowser('track-root', (stack, chromium) => {
  t = stack;
  browser = chromium;
});

const COMMUNITY = 'community-xiling-shengli-silu';

async function newCase(): Promise<string> {
  const created = await t.call('POST', '/v1/cases', {
    token: await t.token(COMMUNITY, 'community'),
    body: { title: '路灯不亮', description: '胜利四路路灯不亮。', category: 'routine', reportedVia: 'phone', complainant: { name: '欧阳娜娜', phone: '13987654321' } },
  });
  expect(created.status).toBe(201);
  await t.advance(0);
  return created.body.trackingCode as string;
}

describe.each([
  { locale: 'zh-CN', title: '办理进度查询', unit: '西陵街道办事处', notFound: '查询码' },
  { locale: 'en-GB', title: 'Follow your case', unit: 'Xiling Street Office', notFound: 'code' },
])('/track at the root, on a phone, in $locale', ({ locale, title, unit, notFound }) => {
  test('an empty page, a code typed in, a direct link, a wrong code; /console/track still works', async () => {
    const code = await newCase();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    const errors: string[] = [];
    collectErrors(page, errors);
    const withTokens: string[] = [];
    page.on('request', (request) => {
      if (request.headers().authorization) withTokens.push(request.url());
    });
    try {
      const answer = await page.goto(`${t.url}/track`);
      expect(answer?.status()).toBe(200);
      await page.waitForSelector('form.track-form');
      expect(await page.title()).toBe(title);
      expect(await page.$('.who')).toBeNull();
      await expectAccessible(page, 'root /track, empty');
      // Nothing wider than the phone: no sideways scrolling.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

      await page.fill('input[name=code]', code.toLowerCase().replace(/-/g, ' '));
      await page.click('form.track-form button[type=submit]');
      await page.waitForSelector('.track-status', LIVE);
      expect(new URL(page.url()).pathname).toMatch(/^\/track\/.+/);
      expect(await page.textContent('[data-track-unit]')).toBe(unit);
      expect(await page.textContent('body')).not.toContain('欧阳娜娜');
      await expectAccessible(page, 'root /track, status');

      await page.goto(`${t.url}/track/${code}`);
      await page.waitForSelector('.track-status', LIVE);
      expect(await page.textContent('.track-status h2 code')).toBe(code);
      await expectAccessible(page, 'root /track/<code>, opened from a link');
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

      const wrong = `${code.slice(0, -1)}${code.endsWith('0') ? '1' : '0'}`;
      await page.goto(`${t.url}/track/${wrong}`);
      await page.waitForSelector('.track-page .problem[data-status="404"]', LIVE);
      expect(await page.textContent('.track-page .problem')).toContain(notFound);
      await expectAccessible(page, 'root /track/<code>, unknown code');

      await page.goto(`${t.url}/console/track/${code}`);
      await page.waitForSelector('.track-status', LIVE);
      expect(new URL(page.url()).pathname).toBe(`/console/track/${code}`);

      expect(withTokens).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});

test('/track answers GET only, and nothing deeper than one code', async () => {
  expect((await fetch(`${t.url}/track`, { method: 'POST' })).status).toBe(405);
  expect((await fetch(`${t.url}/track/a/b`)).status).toBe(404);
  const page = await fetch(`${t.url}/track/ABCD`);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
});
