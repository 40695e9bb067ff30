import type { Browser } from 'playwright-core';
import type { TestStack } from '../support/local-stack';
import { collectErrors, expectAccessible, LIVE, withStackAndBrowser } from './browser-support';

/*
 * The complainant rates the result on the public status page, on a phone, with no sign-in: the
 * code from intake and the PIN from the result SMS (read from the local outbox, as from a phone).
 * A wrong PIN gets the API's plain words; the right one rates the result, the page follows the
 * case to closed and offers the reopening form. axe-core checks each state; nothing personal shows
 * and no token is sent.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';
const COMPLAINANT = { name: '陈静', phone: '13912340099' };

let t: TestStack;
let browser: Browser;
withStackAndBrowser('citizen-rating', (stack, chromium) => {
  t = stack;
  browser = chromium;
});

async function resolvedCase(): Promise<{ id: string; code: string; pin: string }> {
  const [community, street] = await Promise.all([t.token(COMMUNITY, 'community'), t.token(STREET, 'agency')]);
  const created = await t.call('POST', '/v1/cases', {
    token: community,
    body: { title: '路灯不亮', description: '小区门口路灯坏了一周。', category: 'routine', reportedVia: 'phone', complainant: COMPLAINANT },
  });
  await t.advance(0);
  await t.call('POST', `/v1/cases/${created.body.id}/sign-off`, { token: street, body: { handler: { name: '李娟', phone: '13700002222' } } });
  await t.advance(0);
  await t.call('POST', `/v1/cases/${created.body.id}/resolve`, { token: street, body: { summary: '路灯已更换', outcome: '已恢复照明' } });
  await t.advance(0);
  const sms = (await t.call('GET', `/_local/notifications?caseId=${created.body.id}`)).body.items.find((n: { code: string }) => n.code === 'COMPLAINANT_RESULT');
  return { id: created.body.id, code: created.body.trackingCode, pin: /评价码(\d{6})/.exec(sms.text)![1] };
}

test('on a phone: a wrong PIN is refused in plain words, the right one rates the result; the closed case then offers reopening', async () => {
  const { id, code, pin } = await resolvedCase();
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const errors: string[] = [];
  collectErrors(page, errors);
  const tokensSent: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/v1/') && request.headers().authorization) tokensSent.push(request.url());
  });
  try {
    await page.goto(`${t.url}/console/track/${code}`);
    await page.waitForSelector('form[data-citizen-form="evaluation"]', LIVE);
    expect(await page.$('form[data-citizen-form="reopen"]')).toBeNull();
    await expectAccessible(page, 'track page, rating form');

    // Not six digits: the form says so and sends nothing.
    await page.fill('#rate-pin', '12');
    await page.click('form[data-citizen-form="evaluation"] button[type=submit]');
    await page.waitForSelector('#rate-pin-error');
    await expectAccessible(page, 'track page, PIN format');

    // Six digits, but not the PIN: the API's refusal, as it words it.
    await page.fill('#rate-pin', String((Number(pin) + 1) % 1_000_000).padStart(6, '0'));
    await page.click('form[data-citizen-form="evaluation"] button[type=submit]');
    await page.waitForSelector('form[data-citizen-form="evaluation"] .problem', LIVE);
    expect(await page.textContent('form[data-citizen-form="evaluation"] .problem')).toContain('评价码不正确');

    await page.fill('#rate-pin', pin);
    await page.check('input[name=rating][value=satisfied]');
    await page.fill('#rate-comment', '很快就修好了');
    await page.click('form[data-citizen-form="evaluation"] button[type=submit]');
    await page.waitForSelector('[data-citizen-done]', LIVE);
    expect(await page.textContent('[data-citizen-done]')).toContain('已收到您的评价');
    await t.advance(0);
    // The page looks the case up again: closed, and the reopening form is offered.
    await page.click('form.track-form button[type=submit]');
    await page.waitForSelector('.track-status[data-stage="closed"]', LIVE);
    await page.waitForSelector('form[data-citizen-form="reopen"]', LIVE);
    await expectAccessible(page, 'track page, closed, reopening form');
    const width = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    expect(width).toBe(390);

    const text = (await page.textContent('body')) ?? '';
    for (const personal of [COMPLAINANT.name, COMPLAINANT.phone, '李娟', '13700002222', pin]) expect(text).not.toContain(personal);
    expect(tokensSent).toEqual([]);
    expect(errors.filter((e) => !/40[39]/.test(e))).toEqual([]);

    const supervisor = await t.token('supervision-centre', 'supervisor');
    const stored = (await t.call('GET', `/v1/cases/${id}`, { token: supervisor })).body;
    expect(stored).toMatchObject({ status: 'closed', complainantEvaluation: { rating: 'satisfied', comment: '很快就修好了', withinWindow: true } });
  } finally {
    await context.close();
  }
});
