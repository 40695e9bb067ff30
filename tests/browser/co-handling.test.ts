import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestStack } from '../support/local-stack';
import { ARTIFACTS, collectErrors, expectAccessible, LIVE, ROOT, signIn, withStackAndBrowser } from './browser-support';

/*
 * Co-handling (协办), single approval (一笔审批) and the citizens' status page, end to end on
 * the local stack through the console only, at desktop size in Chinese and on a phone in
 * English; axe-core checks every state.
 *   a. a street office brings in three co-handling units; one signs off and replies from its own
 *      queue, one gives its part back, the supervisor urges and waives the third; the street
 *      office resolves naming its approver;
 *   b. the citizen follows the case on a phone with the code from intake, with no sign-in and
 *      nothing personal on the page, and a mistyped code gets the plain message.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';
const REPLIES = 'district-dept-xiling-urban-management';
const WAIVED = 'district-dept-xiling-housing';
const RETURNS = 'street-xiling-xueyuan';
const COMPLAINANT = { name: '欧阳秀兰', phone: '13912345678' };

interface Variant {
  readonly name: string;
  readonly viewport: { width: number; height: number };
  readonly locale: string;
  readonly search: { readonly replies: string; readonly waived: string; readonly returns: string };
  readonly text: { readonly queue: string; readonly replied: string; readonly waived: string; readonly notFound: string; readonly step: string; readonly trackTitle: string };
}

const VARIANTS: readonly Variant[] = [
  {
    name: 'desktop-zh',
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
    search: { replies: '城市管理执法', waived: '西陵区住房', returns: '学院' },
    text: { queue: '协办事项', replied: '已答复', waived: '已免除', notFound: '查询码', step: '办理', trackTitle: '办理进度查询' },
  },
  {
    name: 'phone-en',
    viewport: { width: 390, height: 844 },
    locale: 'en-US',
    search: { replies: 'Urban Management Law', waived: 'Xiling District Housing', returns: 'Xueyuan' },
    text: { queue: 'Co-handling', replied: 'Replied', waived: 'Waived', notFound: 'code', step: 'Being handled', trackTitle: 'Follow your case' },
  },
];

let t: TestStack;
let browser: Browser;
withStackAndBrowser('co-handling', (stack, chromium) => {
  t = stack;
  browser = chromium;
});

describe.each(VARIANTS)('co-handling, approval and tracking at $name', (variant) => {
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const phone = variant.viewport.width < 500;
  let caseId = '';
  let trackingCode = '';

  async function screenshot(name: string, docsName?: string): Promise<void> {
    const file = join(ARTIFACTS, `co-handling-${variant.name}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    if (docsName && process.env.CONSOLE_DOCS_SCREENSHOTS === '1') copyFileSync(file, join(ROOT, 'docs', docsName));
  }

  /**
   * The docs' images hold no random identifier (case id, tracking code), so with the frozen clock
   * they change only when the console does. Only when the docs' images are written, after every check.
   */
  async function steadyForDocs(on: Page): Promise<void> {
    if (process.env.CONSOLE_DOCS_SCREENSHOTS !== '1') return;
    await on.evaluate(() => {
      type Node = { textContent: string | null; value?: string };
      const doc = (globalThis as unknown as { document: { querySelectorAll(selector: string): Iterable<Node> } }).document;
      for (const node of doc.querySelectorAll('[data-tracking-code], .track-status h2 code, .receipt-code')) node.textContent = '7KQ2-M9XH-R';
      for (const node of doc.querySelectorAll('.case-id')) node.textContent = '01JQ7ZK4M9XH2R5T8VWY3BCDEF';
      for (const node of doc.querySelectorAll('input[name=code]')) node.value = '7kq2 m9xh r';
    });
  }

  async function check(state: string, on: Page = page): Promise<void> {
    await expectAccessible(on, state);
    if (phone) {
      const width = await on.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
      expect({ state, width }).toEqual({ state, width: variant.viewport.width });
    }
  }

  async function chooseAction(name: string): Promise<void> {
    await page.waitForSelector(`[data-action-choice="${name}"]`, LIVE);
    await page.click(`[data-action-choice="${name}"]`);
    await page.waitForSelector(`form[data-action-form="${name}"]`);
  }

  beforeAll(async () => {
    context = await browser.newContext({ viewport: variant.viewport, locale: variant.locale, hasTouch: phone, isMobile: phone });
    page = await context.newPage();
    collectErrors(page, errors);
  });

  afterAll(async () => {
    await context?.close();
  });

  test('a. intake: the case page has the tracking code and a printable receipt', async () => {
    await signIn(page, t.url, COMMUNITY, 'community');
    await page.click('main [data-action="new-case"]');
    await page.waitForSelector('form.intake-form');
    await page.selectOption('select[name=category]', 'routine');
    await page.fill('input[name=title]', phone ? '小区围墙倒塌（东区）' : '小区围墙倒塌');
    await page.fill('textarea[name=description]', '7 号楼旁围墙倒塌，需城管和住建共同处理。');
    await page.selectOption('select[name=reportedVia]', 'visit');
    await page.fill('input[name=name]', COMPLAINANT.name);
    await page.fill('input[name=phone]', COMPLAINANT.phone);
    await page.waitForSelector(`.preview-result[data-assigned="${STREET}"]`, LIVE);
    await page.click('[data-action="submit-case"]');
    await page.waitForURL(/\/console\/cases\/[0-9A-Z]{26}$/, LIVE);
    caseId = page.url().split('/').pop() as string;
    await page.waitForSelector('#details [data-tracking-code]');
    trackingCode = ((await page.textContent('#details [data-tracking-code]')) ?? '').trim();
    expect(trackingCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);
    // The receipt: on screen only its print button; printed, the case's title, unit, due dates and code.
    await page.waitForSelector('[data-action="print-receipt"]');
    expect(await page.isVisible('[data-receipt]')).toBe(false);
    const receipt = (await page.textContent('[data-receipt]')) ?? '';
    expect(receipt).toContain(trackingCode);
    expect(receipt).toContain(`${t.url}/track`);
    expect(receipt).not.toContain('/console/track');
    expect(receipt).not.toContain(COMPLAINANT.phone);
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('[data-receipt]')).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await check('case page with its receipt button');
  });

  test('a. the street office brings in three co-handlers; resolve waits for their parts', async () => {
    await signIn(page, t.url, STREET, 'agency');
    await page.goto(`${t.url}/console/cases/${caseId}`);
    await chooseAction('sign-off');
    await page.fill('form[data-action-form="sign-off"] input[name="handler.name"]', '李娟');
    await page.click('form[data-action-form="sign-off"] button[type=submit]');
    await chooseAction('co-handle');
    // Sent empty: refused here, nothing sent.
    await page.click('form[data-action-form="co-handle"] button[type=submit]');
    await page.waitForSelector('form[data-action-form="co-handle"] .form-invalid');
    await page.waitForSelector('[data-unit-picker="coUnits"] .field-error');
    await check('co-handle form, refused empty');
    // The holder itself is not offered.
    await page.fill('input[name="coUnits-search"]', phone ? 'Xiling Street' : '西陵街道');
    expect(await page.$(`[data-unit-option="${STREET}"]`)).toBeNull();
    for (const [unit, words] of [
      [REPLIES, variant.search.replies],
      [WAIVED, variant.search.waived],
      [RETURNS, variant.search.returns],
    ] as const) {
      await page.fill('input[name="coUnits-search"]', words);
      await page.click(`[data-unit-option="${unit}"]`);
      await page.waitForSelector(`form[data-action-form="co-handle"] [data-chosen-unit="${unit}"]`);
    }
    await page.fill('form[data-action-form="co-handle"] textarea[name="task"]', '请现场查看围墙，提出处置意见。');
    await page.fill('form[data-action-form="co-handle"] input[name="workingDays"]', '1.3');
    await page.click('form[data-action-form="co-handle"] button[type=submit]');
    expect(await page.textContent('form[data-action-form="co-handle"] [data-field="workingDays"] .field-error')).toContain('0.5');
    await page.fill('form[data-action-form="co-handle"] input[name="workingDays"]', '1.5');
    await page.check('form[data-action-form="co-handle"] input[name="sharePersonalData"]');
    await check('co-handle form, filled');
    await page.click('form[data-action-form="co-handle"] button[type=submit]');
    await page.waitForSelector(`#co-handlers [data-co-handler="${REPLIES}"][data-status="requested"]`, LIVE);
    await page.waitForSelector(`#co-handlers [data-co-handler="${WAIVED}"][data-status="requested"]`, LIVE);
    await page.waitForSelector(`#co-handlers [data-co-handler="${RETURNS}"][data-status="requested"]`, LIVE);
    // While parts are owed the API does not offer resolve, so neither does the page.
    await page.waitForSelector('[data-action-choice="progress"]', LIVE);
    expect(await page.$('[data-action-choice="resolve"]')).toBeNull();
    await check('case page, two co-handlers asked');
    await screenshot('01-co-handlers-asked');
  });

  test('a. one co-handler signs off and replies from its own queue', async () => {
    await signIn(page, t.url, REPLIES, 'agency');
    await page.waitForSelector('.unit-home [data-queue="co-handling"]');
    expect(await page.textContent('[data-queue="co-handling"] .queue-name')).toBe(variant.text.queue);
    await page.waitForSelector('[data-queue="co-handling"] .queue-count[data-count="1"]', LIVE);
    await page.click('[data-queue="co-handling"]');
    await page.waitForSelector(`#queue-cases [data-case-id="${caseId}"]`, LIVE);
    await check('unit home, co-handling queue');
    await page.click(`#queue-cases [data-case-id="${caseId}"] a`);
    await page.waitForSelector('#co-handlers');
    // It offers only this unit's part: no resolve, no co-handle.
    await chooseAction('co-handler-sign-off');
    expect(await page.$('[data-action-choice="resolve"]')).toBeNull();
    expect(await page.$('[data-action-choice="co-handle"]')).toBeNull();
    // The complainant's data was shared with the co-handlers.
    expect(await page.textContent('#complainant')).toContain(COMPLAINANT.name);
    await page.fill('form[data-action-form="co-handler-sign-off"] input[name="handler.name"]', '赵磊');
    await page.click('form[data-action-form="co-handler-sign-off"] button[type=submit]');
    await page.waitForSelector(`#co-handlers [data-co-handler="${REPLIES}"][data-status="signed-off"]`, LIVE);
    await chooseAction('co-handler-reply');
    await page.click('form[data-action-form="co-handler-reply"] button[type=submit]');
    await page.waitForSelector('form[data-action-form="co-handler-reply"] [data-field="summary"] .field-error');
    await check('co-handler reply form, refused empty');
    await page.fill('form[data-action-form="co-handler-reply"] textarea[name="summary"]', '已现场查看，建议三日内拆除危墙并设围挡。');
    await page.click('form[data-action-form="co-handler-reply"] button[type=submit]');
    await page.waitForSelector(`#co-handlers [data-co-handler="${REPLIES}"][data-status="replied"]`, LIVE);
    expect(await page.textContent(`#co-handlers [data-co-handler="${REPLIES}"] .co-status`)).toBe(variant.text.replied);
    expect(await page.textContent(`#co-handlers [data-co-handler="${REPLIES}"] .co-reply`)).toContain('拆除危墙');
    // Who acted: the person beside the unit in the timeline.
    expect(await page.textContent('#timeline')).toContain(`agency@${REPLIES}`);
    await check('case page, co-handler replied');
  });

  test('a. another gives its part back: not its remit', async () => {
    await signIn(page, t.url, RETURNS, 'agency');
    await page.click('[data-queue="co-handling"]');
    await page.waitForSelector(`#queue-cases [data-case-id="${caseId}"]`, LIVE);
    await page.click(`#queue-cases [data-case-id="${caseId}"] a`);
    await chooseAction('co-handler-return');
    await page.fill('form[data-action-form="co-handler-return"] textarea[name="reason"]', '围墙不在本街道辖区');
    await check('co-handler return form');
    await page.click('form[data-action-form="co-handler-return"] button[type=submit]');
    await page.waitForSelector(`#co-handlers [data-co-handler="${RETURNS}"][data-status="returned"]`, LIVE);
    expect(await page.textContent(`#co-handlers [data-co-handler="${RETURNS}"] .co-return`)).toContain('不在本街道辖区');
    // Its part given back, it has nothing more to do on the case.
    await page.waitForSelector('#actions p.muted', LIVE);
    expect(await page.$('[data-action-choice]')).toBeNull();
  });

  test('a. the supervisor waives the other part', async () => {
    await signIn(page, t.url, 'supervision-centre', 'supervisor');
    await page.goto(`${t.url}/console/cases/${caseId}`);
    await chooseAction('supervise');
    // First an urge, of one co-handler's part rather than of the holder.
    await page.check('form[data-action-form="supervise"] input[name=action][value=urge]');
    await page.check(`form[data-action-form="supervise"] input[name=coHandler][value="${WAIVED}"]`);
    await page.fill('form[data-action-form="supervise"] textarea[name=note]', '请住建今天内签收协办');
    await check('urge form, a co-handler chosen');
    await page.click('form[data-action-form="supervise"] button[type=submit]');
    await page.waitForSelector('#timeline li[data-code="SUPERVISION_URGE"]', LIVE);
    expect(await page.textContent('#timeline li[data-code="SUPERVISION_URGE"]')).toContain(phone ? 'Housing' : '住房');
    await page.check('form[data-action-form="supervise"] input[name=action][value=waive-co-handler]');
    await page.fill('form[data-action-form="supervise"] textarea[name=note]', '住建意见已由城管一并答复');
    await page.click('form[data-action-form="supervise"] button[type=submit]');
    // Which part: refused until one is chosen.
    await page.waitForSelector('form[data-action-form="supervise"] [data-field="coHandler"] .field-error');
    await check('waive form, no part chosen');
    // Only parts still owed are offered.
    expect(await page.$(`form[data-action-form="supervise"] input[name=coHandler][value="${REPLIES}"]`)).toBeNull();
    await page.check(`form[data-action-form="supervise"] input[name=coHandler][value="${WAIVED}"]`);
    await page.click('form[data-action-form="supervise"] button[type=submit]');
    await page.waitForSelector(`#co-handlers [data-co-handler="${WAIVED}"][data-status="waived"]`, LIVE);
    expect(await page.textContent(`#co-handlers [data-co-handler="${WAIVED}"] .co-status`)).toBe(variant.text.waived);
    expect(await page.textContent(`#co-handlers [data-co-handler="${WAIVED}"] .co-waiver`)).toContain('一并答复');
    await check('case page, part waived');
  });

  test('a. the street office resolves naming its approver; the page shows the parts and the approval', async () => {
    await signIn(page, t.url, STREET, 'agency');
    await page.goto(`${t.url}/console/cases/${caseId}`);
    await chooseAction('resolve');
    await page.fill('form[data-action-form="resolve"] textarea[name="summary"]', '会同城管拆除危墙，设置围挡。');
    await page.fill('form[data-action-form="resolve"] textarea[name="outcome"]', '危墙已拆除，通道恢复。');
    await page.fill('form[data-action-form="resolve"] input[name="approvedBy.name"]', '孙伟');
    await page.fill('form[data-action-form="resolve"] input[name="approvedBy.post"]', '街道办主任');
    await check('resolve form with its approver');
    await page.click('form[data-action-form="resolve"] button[type=submit]');
    await page.waitForSelector('[data-stage="evaluation"][data-state="current"]', LIVE);
    await page.waitForSelector('#details [data-approval="approved"]', LIVE);
    expect(await page.textContent('#details [data-approval="approved"]')).toContain('孙伟');
    expect(await page.textContent('#details [data-approval="approved"]')).toContain('街道办主任');
    expect(await page.$$('#co-handlers [data-co-handler]')).toHaveLength(3);
    expect(await page.getAttribute(`#co-handlers [data-co-handler="${RETURNS}"]`, 'data-status')).toBe('returned');
    expect(await page.getAttribute(`#co-handlers [data-co-handler="${REPLIES}"]`, 'data-status')).toBe('replied');
    expect(await page.getAttribute(`#co-handlers [data-co-handler="${WAIVED}"]`, 'data-status')).toBe('waived');
    // The person who resolved, beside the unit in the progress view.
    expect(await page.textContent('[data-stage="handling"] .stage-who')).toContain(`agency@${STREET}`);
    await check('case page, resolved with its approval');
    await steadyForDocs(page);
    await screenshot('02-case-co-handled-resolved', phone ? undefined : 'console-co-handling.png');
  });

  test('b. the citizen follows the case on a phone with no sign-in; a mistyped code gets the plain message', async () => {
    const citizen = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: variant.locale, hasTouch: true, isMobile: true });
    const mobile = await citizen.newPage();
    collectErrors(mobile, errors);
    const sentTokens: string[] = [];
    mobile.on('request', (request) => {
      if (request.url().includes('/v1/') && request.headers().authorization) sentTokens.push(request.url());
    });
    try {
      await mobile.goto(`${t.url}/console/track`);
      await mobile.waitForSelector('form.track-form');
      expect(await mobile.$('.who')).toBeNull();
      expect(await mobile.title()).toBe(variant.text.trackTitle);
      await expectAccessible(mobile, 'track page, empty');
      // Forgiving: lower case and spaces.
      await mobile.fill('input[name=code]', ` ${trackingCode.toLowerCase().replace(/-/g, ' ')} `);
      await mobile.click('form.track-form button[type=submit]');
      await mobile.waitForSelector('.track-status', LIVE);
      expect(mobile.url()).toContain('/console/track/');
      await mobile.waitForSelector('[data-step="in-progress"][data-state="done"]');
      expect(await mobile.getAttribute('.track-status', 'data-stage')).toBe('resolved');
      expect(await mobile.textContent('[data-track-unit]')).toBeTruthy();
      expect(await mobile.textContent('.track-steps')).toContain(variant.text.step);
      expect(Number(await mobile.getAttribute('.track-milestones', 'data-count'))).toBeGreaterThan(0);
      const text = (await mobile.textContent('body')) ?? '';
      for (const personal of [COMPLAINANT.name, COMPLAINANT.phone, '李娟', '赵磊', '孙伟']) expect(text).not.toContain(personal);
      const width = await mobile.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
      expect(width).toBe(390);
      await expectAccessible(mobile, 'track page, status');
      if (!phone) {
        await steadyForDocs(mobile);
        const file = join(ARTIFACTS, 'co-handling-track-status.png');
        await mobile.screenshot({ path: file, fullPage: true });
        if (process.env.CONSOLE_DOCS_SCREENSHOTS === '1') copyFileSync(file, join(ROOT, 'docs', 'console-track.png'));
      }

      // One character wrong: the check character catches it; the API's plain words, nothing else.
      const last = trackingCode.slice(-1);
      const wrong = `${trackingCode.slice(0, -1)}${last === '0' ? '1' : '0'}`;
      await mobile.fill('input[name=code]', wrong);
      await mobile.click('form.track-form button[type=submit]');
      await mobile.waitForSelector('.track-page .problem[data-status="404"]', LIVE);
      expect(await mobile.textContent('.track-page .problem')).toContain(variant.text.notFound);
      expect(await mobile.$('.track-status')).toBeNull();
      await expectAccessible(mobile, 'track page, unknown code');
      // Nothing typed: said here, nothing asked.
      await mobile.fill('input[name=code]', '   ');
      await mobile.click('form.track-form button[type=submit]');
      await mobile.waitForSelector('#track-code-error');
      await expectAccessible(mobile, 'track page, nothing typed');

      // Over this address's budget of look-ups: the page says when to try again (Retry-After).
      let status = 0;
      for (let i = 0; i < 40 && status !== 429; i += 1) status = (await t.call('GET', `/v1/track/${trackingCode}`)).status;
      expect(status).toBe(429);
      await mobile.fill('input[name=code]', trackingCode);
      await mobile.click('form.track-form button[type=submit]');
      await mobile.waitForSelector('.track-page .problem[data-status="429"]', LIVE);
      expect(await mobile.textContent('.track-page .problem')).toMatch(/\d+/);
      await expectAccessible(mobile, 'track page, too many look-ups');
      // Once the minute has passed, the same code is answered again.
      await t.advance(60);
      await mobile.click('form.track-form button[type=submit]');
      await mobile.waitForSelector('.track-status', LIVE);
      expect(sentTokens).toEqual([]);
    } finally {
      await citizen.close();
    }
  });

  test('raised no script error on the way', () => {
    expect(errors).toEqual([]);
  });
});
