import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestStack } from '../support/local-stack';
import { ARTIFACTS, collectErrors, expectAccessible, LIVE, signIn, withStackAndBrowser } from './browser-support';

/*
 * Mediation (调解) through the console only, on the local stack: a traffic accident accepted by a
 * community is referred at intake to the city's traffic-accident mediation centre (chosen among the
 * committees the directory lists for the category); the centre finds it on its desk, accepts it,
 * records a session and an agreement (refused first without the parties' signatures, in the API's
 * words), the file of documents is listed and one is opened, printable, with the caller's token;
 * the fulfilment is recorded and the case goes back to the traffic police. Then the statistics'
 * mediation section with its targets, for the supervisor and for the centre. At desktop size in
 * Chinese and on a 390-wide phone in English; axe-core checks every state.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const TRAFFIC_POLICE = 'city-dept-traffic-police';
const CENTRE = 'mediation-city-traffic-accident';
const MEDICAL = 'mediation-city-medical-dispute';
const STREET_COMMITTEE = 'mediation-xiling-xiling-street';

interface Variant {
  readonly name: string;
  readonly viewport: { width: number; height: number };
  readonly locale: string;
  readonly text: { readonly referred: string; readonly agreed: string; readonly police: string; readonly targets: string; readonly notMet: string };
}

const VARIANTS: readonly Variant[] = [
  {
    name: 'desktop-zh',
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
    text: { referred: '待受理', agreed: '已达成协议，待履行', police: '交通警察', targets: '调解目标', notMet: '未达标' },
  },
  {
    name: 'phone-en',
    viewport: { width: 390, height: 844 },
    locale: 'en-US',
    text: { referred: 'Awaiting acceptance', agreed: 'Agreed, to be carried out', police: 'Traffic Police', targets: 'Targets', notMet: 'Not met' },
  },
];

let t: TestStack;
let browser: Browser;
withStackAndBrowser('mediation-console', (stack, chromium) => {
  t = stack;
  browser = chromium;
});

describe.each(VARIANTS)('mediation in the console at $name', (variant) => {
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const phone = variant.viewport.width < 500;
  let caseId = '';

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

  const mediation = (status: string) => `#mediation [data-mediation-body="${CENTRE}"][data-status="${status}"]`;

  beforeAll(async () => {
    context = await browser.newContext({ viewport: variant.viewport, locale: variant.locale, hasTouch: phone, isMobile: phone, acceptDownloads: true });
    page = await context.newPage();
    collectErrors(page, errors);
  });

  afterAll(async () => {
    await context?.close();
  });

  test('the community accepts a traffic accident and refers it at intake to a body the directory lists for it', async () => {
    await signIn(page, t.url, COMMUNITY, 'community');
    await page.click('main [data-action="new-case"]');
    await page.waitForSelector('form.intake-form');
    await page.selectOption('select[name=category]', 'road-traffic-accident');
    await page.fill('input[name=title]', '两车追尾赔偿');
    await page.fill('textarea[name=description]', '夷陵大道两车追尾，交警已出具事故认定书，车损及误工费协商不成。');
    await page.selectOption('select[name=reportedVia]', 'visit');
    await page.fill('input[name=name]', '王强');
    await page.fill('input[name=phone]', '13800138000');
    await page.waitForSelector(`.preview-result[data-assigned="${TRAFFIC_POLICE}"]`, LIVE);
    await page.click('[data-action="submit-case"]');
    await page.waitForURL(/\/console\/cases\/[0-9A-Z]{26}$/, LIVE);
    caseId = page.url().split('/').pop() as string;

    await chooseAction('mediate');
    // Sent with nothing chosen: refused here, nothing sent.
    await page.click('form[data-action-form="mediate"] button[type=submit]');
    await page.waitForSelector('form[data-action-form="mediate"] [data-field="body"] .field-error');
    await page.waitForSelector('form[data-action-form="mediate"] [data-field="note"] .field-error');
    await check('referral form, refused empty');
    // The bodies come from the directory: its committees, a sector committee only for its own category.
    const offered = await page.$$eval('form[data-action-form="mediate"] select[name=body] option', (options) => options.map((o) => (o as unknown as { value: string }).value));
    expect(offered).toContain(CENTRE);
    expect(offered).toContain(STREET_COMMITTEE);
    expect(offered).not.toContain(MEDICAL);
    expect(offered).not.toContain(TRAFFIC_POLICE);
    await page.selectOption('form[data-action-form="mediate"] select[name=body]', CENTRE);
    await page.fill('form[data-action-form="mediate"] textarea[name=note]', '双方均同意人民调解');
    await check('referral form, filled');
    await page.click('form[data-action-form="mediate"] button[type=submit]');
    await page.waitForSelector(mediation('referred'), LIVE);
    expect(await page.textContent(`${mediation('referred')} .mediation-status`)).toBe(variant.text.referred);
    // The body's clock: its window to accept, with the time left.
    await page.waitForSelector(`${mediation('referred')} [data-clock="referred"] .time-left`);
    // The body's clock runs in the case's deadlines; the holder's waits.
    await page.waitForSelector('#deadlines tr.active[data-deadline="mediation"]');
    expect(await page.$('#deadlines tr.active[data-deadline="signOffDueAt"]')).toBeNull();
    // The application is the first document of the file.
    await page.waitForSelector('#case-file [data-document="application"]', LIVE);
    // Referred: the community may do nothing more about it.
    await page.waitForSelector('#actions p.muted', LIVE);
    await check('case page, referred');
  });

  test("the centre finds it on its desk, waiting for acceptance, and accepts it", async () => {
    await signIn(page, t.url, CENTRE, 'mediator');
    await page.waitForSelector('.mediation-home [data-queue="referred"]');
    // Its menu: its desk and the statistics (the mediation part of them), nothing else.
    expect(await page.$$eval('header nav a', (links) => links.map((link) => (link as unknown as { getAttribute(n: string): string }).getAttribute('data-nav')))).toEqual(['home', 'statistics']);
    await page.waitForSelector('[data-queue="referred"] .queue-count[data-count="1"]', LIVE);
    await page.waitForSelector(`#queue-cases [data-case-id="${caseId}"][data-mediation-status="referred"] .light`, LIVE);
    expect(await page.textContent(`#queue-cases [data-case-id="${caseId}"] .case-card-meta`)).toContain(variant.text.police);
    await check('mediator desk, waiting for acceptance');
    await page.screenshot({ path: join(ARTIFACTS, `mediation-${variant.name}-01-desk.png`), fullPage: true });
    await page.click(`#queue-cases [data-case-id="${caseId}"] a`);
    await page.waitForSelector('#mediation');
    // It is offered exactly what the API lists: accept or decline.
    await page.waitForSelector('[data-action-choice="mediation-accept"]', LIVE);
    expect(await page.$$eval('[data-action-choice]', (buttons) => buttons.map((b) => (b as unknown as { getAttribute(n: string): string }).getAttribute('data-action-choice')))).toEqual([
      'mediation-accept',
      'mediation-decline',
    ]);
    await chooseAction('mediation-accept');
    await check('accept form');
    await page.click('form[data-action-form="mediation-accept"] button[type=submit]');
    await page.waitForSelector(mediation('accepted'), LIVE);
    await page.waitForSelector('#case-file [data-document="rights-notice"]', LIVE);
  });

  test('the centre records a session with its participants by role', async () => {
    await chooseAction('mediation-sessions');
    // It starts at now, in Beijing time (the virtual clock's).
    expect(await page.inputValue('form[data-action-form="mediation-sessions"] input[name=at]')).toBe('2026-03-09T09:00');
    // By keyboard: the add button, and the new row's first field takes the focus.
    await page.focus('[data-action="add-participant"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { name?: string } | null } }).document.activeElement?.name === 'participants.0.role');
    await page.click('[data-action="add-participant"]');
    await page.click('[data-action="add-participant"]');
    await page.click('[data-action="add-participant"]');
    // A row removed gives the focus back to the add button.
    await page.click('[data-participant="4"] .row-remove');
    await page.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-action') === 'add-participant');
    expect(await page.$('[data-participant="4"]')).toBeNull();
    await page.fill('[data-participant="1"] input[name="participants.0.name"]', '王强');
    await page.selectOption('[data-participant="2"] select[name="participants.1.role"]', 'respondent');
    await page.fill('[data-participant="2"] input[name="participants.1.name"]', '李四');
    await page.selectOption('[data-participant="3"] select[name="participants.2.role"]', 'insurer');
    // Left without a name: refused here.
    await page.fill('form[data-action-form="mediation-sessions"] textarea[name=record]', '双方陈述事故经过，保险公司说明理赔标准，双方同意按责任比例赔偿。');
    await page.click('form[data-action-form="mediation-sessions"] button[type=submit]');
    await page.waitForSelector('[data-participant="3"] .field-error');
    await page.fill('[data-participant="3"] input[name="participants.2.name"]', '某财产保险公司');
    await page.fill('form[data-action-form="mediation-sessions"] input[name=place]', '调解中心第一调解室');
    await check('session form, filled');
    await page.click('form[data-action-form="mediation-sessions"] button[type=submit]');
    await page.waitForSelector('#mediation .mediation-session[data-session="1"]', LIVE);
    const session = (await page.textContent('#mediation .mediation-session[data-session="1"]')) ?? '';
    expect(session).toContain('李四');
    expect(session).toContain('调解中心第一调解室');
    await page.waitForSelector('#case-file [data-document="session-record-1"]', LIVE);
  });

  test("an agreement without the parties' signatures is refused in the API's words; signed, it is recorded and reported to the traffic police", async () => {
    await chooseAction('mediation-outcome');
    await page.fill('form[data-action-form="mediation-outcome"] textarea[name=terms]', '李四赔偿王强车辆维修费、误工费，由保险公司在交强险限额内直接赔付。');
    await page.click('form[data-action-form="mediation-outcome"] [data-action="add-amount"]');
    await page.fill('[data-payment="1"] input[name="amounts.0.payer"]', '李四');
    await page.fill('[data-payment="1"] input[name="amounts.0.payee"]', '王强');
    await page.fill('[data-payment="1"] input[name="amounts.0.amountYuan"]', '12800.5');
    await page.fill('[data-payment="1"] input[name="amounts.0.dueBy"]', '2026-04-10');
    await page.click('form[data-action-form="mediation-outcome"] button[type=submit]');
    await page.waitForSelector('form[data-action-form="mediation-outcome"] .problem[data-status="400"]', LIVE);
    expect(await page.textContent('form[data-action-form="mediation-outcome"] .problem-errors')).toContain('signed');
    await check('outcome form, refused without signatures');
    expect(await page.$(mediation('agreed'))).toBeNull();
    await page.check('form[data-action-form="mediation-outcome"] input[name=signed]');
    expect(await page.inputValue('form[data-action-form="mediation-outcome"] input[name=signedAt]')).toBe('2026-03-09T09:00');
    await check('outcome form, signed');
    await page.click('form[data-action-form="mediation-outcome"] button[type=submit]');
    await page.waitForSelector(mediation('agreed'), LIVE);
    expect(await page.textContent(`${mediation('agreed')} .mediation-status`)).toBe(variant.text.agreed);
    expect(await page.textContent('#mediation [data-agreement] .mediation-amounts')).toContain('12,800.50');
    expect(await page.textContent('#mediation [data-agreement] .mediation-reported')).toContain(variant.text.police);
    // Now the clock is the day the agreement is to be carried out by.
    expect(await page.getAttribute(`${mediation('agreed')} [data-clock]`, 'data-clock')).toBe('agreed');
    await check('case page, agreed');
    await page.screenshot({ path: join(ARTIFACTS, `mediation-${variant.name}-02-agreed.png`), fullPage: true });
  });

  test('the file lists its documents; one opens printable in a window of its own, and downloads', async () => {
    await page.waitForSelector('#case-file [data-document="delivery-receipt"]', LIVE);
    const kinds = await page.$$eval('#case-file [data-document]', (items) => items.map((i) => (i as unknown as { getAttribute(n: string): string }).getAttribute('data-document')));
    expect(kinds).toEqual(['application', 'registration', 'rights-notice', 'session-record-1', 'agreement', 'delivery-receipt']);
    await check('case page with its file');
    const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#case-file [data-document="agreement"] [data-action="open-document"]')]);
    await popup.waitForSelector('h1', LIVE);
    expect(await popup.textContent('h1')).toBe('人民调解协议书');
    const printed = (await popup.textContent('body')) ?? '';
    expect(printed).toContain('12,800.50');
    expect(printed).toContain(caseId);
    expect(await popup.title()).toBe('人民调解协议书');
    // The document's own stylesheet applies (the console's policy allows no inline style), with its print rules.
    const align = await popup.evaluate(() => {
      // Runs in the page (the test's tsconfig has no DOM types).
      const win = globalThis as unknown as { getComputedStyle(e: unknown): { textAlign: string }; document: { querySelector(s: string): unknown } };
      return win.getComputedStyle(win.document.querySelector('h1')).textAlign;
    });
    expect(align).toBe('center');
    expect(await popup.isVisible('.screen-only')).toBe(true);
    await popup.emulateMedia({ media: 'print' });
    expect(await popup.isVisible('.screen-only')).toBe(false);
    await popup.close();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#case-file [data-document="session-record-1"] [data-action="download-document"]')]);
    expect(download.suggestedFilename()).toBe(`${caseId}-session-record-1.html`);
  });

  test('the fulfilment is recorded: the follow-up record joins the file, the case goes back to the traffic police, the desk is empty', async () => {
    await chooseAction('mediation-fulfilment');
    await page.click('form[data-action-form="mediation-fulfilment"] button[type=submit]');
    await page.waitForSelector('form[data-action-form="mediation-fulfilment"] [data-field="fulfilled"] .field-error');
    await page.check('form[data-action-form="mediation-fulfilment"] input[name=fulfilled][value=yes]');
    await page.fill('form[data-action-form="mediation-fulfilment"] textarea[name=note]', '保险公司已全额赔付，双方无异议。');
    await check('fulfilment form');
    await page.click('form[data-action-form="mediation-fulfilment"] button[type=submit]');
    await page.waitForSelector(mediation('fulfilled'), LIVE);
    await page.waitForSelector('#mediation [data-fulfilled="true"]');
    await page.waitForSelector('#case-file [data-document="follow-up"]', LIVE);
    await page.waitForSelector('#actions p.muted', LIVE);
    await check('case page, fulfilled');
    await page.click('[data-nav="home"]');
    await page.waitForSelector('.mediation-home [data-queue="referred"] .queue-count[data-count="0"]', LIVE);
    await page.waitForSelector('[data-queue="accepted"] .queue-count[data-count="0"]');
    await page.waitForSelector('[data-queue="agreed"] .queue-count[data-count="0"]');
    await check('mediator desk, empty');
  });

  test('a street committee declines a referral with its reason; referred to it again, the API refuses and the form says why', async () => {
    const created = await t.call('POST', '/v1/cases', {
      token: await t.token(COMMUNITY, 'community'),
      body: { title: '邻里漏水纠纷', description: '楼上漏水致楼下天花板受损，双方就维修费用争执。', category: 'neighbour-family', reportedVia: 'visit', complainant: { name: '张明', phone: '13900139000' } },
    });
    expect(created.status).toBe(201);
    await t.advance(0);
    const id = created.body.id as string;
    expect((await t.call('POST', `/v1/cases/${id}/mediation`, { token: await t.token(COMMUNITY, 'community'), body: { body: STREET_COMMITTEE, note: '请街道调委会调解' } })).status).toBe(202);
    await t.advance(0);

    await signIn(page, t.url, STREET_COMMITTEE, 'mediator');
    await page.waitForSelector(`#queue-cases [data-case-id="${id}"]`, LIVE);
    await page.click(`#queue-cases [data-case-id="${id}"] a`);
    await chooseAction('mediation-decline');
    await page.click('form[data-action-form="mediation-decline"] button[type=submit]');
    await page.waitForSelector('form[data-action-form="mediation-decline"] [data-field="reason"] .field-error');
    await check('decline form, refused empty');
    await page.fill('form[data-action-form="mediation-decline"] textarea[name=reason]', '双方已起诉至法院，不属人民调解受理范围。');
    await page.click('form[data-action-form="mediation-decline"] button[type=submit]');
    await page.waitForSelector(`#mediation [data-mediation-body="${STREET_COMMITTEE}"][data-status="declined"] .mediation-declined`, LIVE);
    expect(await page.textContent('#mediation .mediation-declined')).toContain('已起诉至法院');
    await page.waitForSelector('#actions p.muted', LIVE);

    // Back with the community at intake: the same committee again is the API's 409, in its words, and nothing changes.
    await signIn(page, t.url, COMMUNITY, 'community');
    await page.goto(`${t.url}/console/cases/${id}`);
    await chooseAction('mediate');
    await page.selectOption('form[data-action-form="mediate"] select[name=body]', STREET_COMMITTEE);
    await page.fill('form[data-action-form="mediate"] textarea[name=note]', '再次申请调解');
    await page.click('form[data-action-form="mediate"] button[type=submit]');
    await page.waitForSelector('form[data-action-form="mediate"] .problem[data-status="409"] .problem-detail', LIVE);
    expect(await page.$$('#mediation [data-mediation-body]')).toHaveLength(1);
    await check('referral refused: the body declined before');
  });

  test('the holder refers a medical dispute after signing it off; the committee records a failure with the advice to sue, and the case goes back', async () => {
    const health = await t.token('city-dept-health', 'agency');
    const created = await t.call('POST', '/v1/cases', {
      token: await t.token(COMMUNITY, 'community'),
      body: { title: '术后感染赔偿', description: '患者术后感染，家属认为医院存在过错，要求赔偿。', category: 'medical-dispute', reportedVia: 'visit', complainant: { name: '刘芳', phone: '13700137000' } },
    });
    expect(created.status).toBe(201);
    await t.advance(0);
    const id = created.body.id as string;
    expect(created.body.assignedUnit).toBe('city-dept-health');
    expect((await t.call('POST', `/v1/cases/${id}/sign-off`, { token: health, body: { handler: { name: '孙医生' } } })).status).toBe(202);
    await t.advance(0);

    await signIn(page, t.url, 'city-dept-health', 'agency');
    await page.goto(`${t.url}/console/cases/${id}`);
    await chooseAction('mediate');
    const offered = await page.$$eval('form[data-action-form="mediate"] select[name=body] option', (options) => options.map((o) => (o as unknown as { value: string }).value));
    expect(offered).toContain(MEDICAL);
    expect(offered).not.toContain(CENTRE);
    await page.selectOption('form[data-action-form="mediate"] select[name=body]', MEDICAL);
    await page.fill('form[data-action-form="mediate"] textarea[name=note]', '医患双方同意第三方调解');
    await page.click('form[data-action-form="mediate"] button[type=submit]');
    await page.waitForSelector(`#mediation [data-mediation-body="${MEDICAL}"][data-status="referred"]`, LIVE);

    // Each answer is 202 and the workflow applies it after: the stack runs it (advance 0) before the next step, which needs it done.
    const committee = await t.token(MEDICAL, 'mediator');
    expect((await t.call('POST', `/v1/cases/${id}/mediation/accept`, { token: committee, body: {} })).status).toBe(202);
    await t.advance(0);
    expect((await t.call('POST', `/v1/cases/${id}/mediation/sessions`, { token: committee, body: { at: '2026-03-09T09:00:00+08:00', record: '双方对医疗过错认定分歧较大。' } })).status).toBe(202);
    await t.advance(0);

    await signIn(page, t.url, MEDICAL, 'mediator');
    await page.goto(`${t.url}/console/cases/${id}`);
    await chooseAction('mediation-outcome');
    await page.check('form[data-action-form="mediation-outcome"] input[name=result][value=failed]');
    await page.fill('form[data-action-form="mediation-outcome"] textarea[name=reason]', '双方对医疗过错认定分歧较大');
    // Without the advice given: the API's 400, nothing changes.
    await page.click('form[data-action-form="mediation-outcome"] button[type=submit]');
    await page.waitForSelector('form[data-action-form="mediation-outcome"] .problem[data-status="400"]', LIVE);
    expect(await page.textContent('form[data-action-form="mediation-outcome"] .problem-errors')).toContain('advice');
    await page.check('form[data-action-form="mediation-outcome"] input[name=advice][value=litigation]');
    await check('outcome form, a failure with its advice');
    await page.click('form[data-action-form="mediation-outcome"] button[type=submit]');
    await page.waitForSelector(`#mediation [data-mediation-body="${MEDICAL}"][data-status="failed"] [data-failure="litigation"]`, LIVE);
    await page.waitForSelector('#case-file [data-document="follow-up"]', LIVE);
    await page.waitForSelector('#actions p.muted', LIVE);
    await check('case page, mediation failed');

    // Back with the holder, whose own actions return (resolve among them) and whose clock runs again.
    await signIn(page, t.url, 'city-dept-health', 'agency');
    await page.goto(`${t.url}/console/cases/${id}`);
    await page.waitForSelector('[data-action-choice="resolve"]', LIVE);
    await page.waitForSelector('#deadlines tr.active[data-deadline="resolveDueAt"]');
  });

  test('the statistics page has the mediation section with its targets: the supervisor beside the other figures, the centre alone', async () => {
    await signIn(page, t.url, CENTRE, 'mediator');
    await page.click('[data-nav="statistics"]');
    await page.waitForSelector('#stat-mediation [data-table="mediation-targets"]', LIVE);
    // A mediator reads the mediation statistics only.
    expect(await page.$('#stat-trend')).toBeNull();
    expect(await page.$('select[name=by]')).toBeNull();
    await check('statistics, the mediation body');

    await signIn(page, t.url, 'supervision-centre', 'supervisor');
    await page.click('[data-nav="statistics"]');
    await page.waitForSelector('#stat-trend', LIVE);
    await page.waitForSelector('#stat-mediation [data-table="mediation-targets"]', LIVE);
    expect(await page.textContent('#stat-mediation')).toContain(variant.text.targets);
    const targets = await page.$$eval('[data-table="mediation-targets"] tbody tr', (rows) => rows.map((r) => (r as unknown as { getAttribute(n: string): string }).getAttribute('data-key')));
    expect(targets).toEqual(['mediationRate', 'successRate', 'administrativeMediationRate', 'settledAtStreetOrBelow']);
    // The page shows the API's figures as they are: the month's March 2026, fetched beside it.
    const stats = (await t.call('GET', '/v1/statistics/mediation?from=2026-03&to=2026-03', { token: await t.token('supervision-centre', 'supervisor') })).body;
    const success = stats.targets.find((target: { key: string }) => target.key === 'successRate');
    expect(success.value).toBeLessThan(0.95);
    expect(await page.getAttribute('[data-table="mediation-targets"] tr[data-key="successRate"]', 'data-met')).toBe('false');
    expect(await page.textContent('[data-table="mediation-targets"] tr[data-key="successRate"] .tag')).toBe(variant.text.notMet);
    expect(await page.textContent('[data-table="mediation-targets"] tr[data-key="successRate"] [data-value]')).toBe(`${Math.round(success.value * 1000) / 10}%`);
    const people = '[data-table="mediation-channels"] tbody tr[data-key="people"]';
    expect(Number(await page.textContent(`${people} [data-column="agreements"]`))).toBeGreaterThanOrEqual(1);
    expect(await page.textContent(`${people} [data-column="successRate"]`)).toBe('100%');
    const thirdParty = '[data-table="mediation-channels"] tbody tr[data-key="third-party"]';
    expect(Number(await page.textContent(`${thirdParty} [data-column="failed"]`))).toBeGreaterThanOrEqual(1);
    expect(await page.textContent(`${thirdParty} [data-column="successRate"]`)).toBe('0%');
    expect(await page.$$('[data-table="mediation-channels"] tbody tr')).toHaveLength(6);
    const centre = `[data-table="mediation-bodies"] tr[data-key="${CENTRE}"]`;
    expect(await page.textContent(`${centre} th`)).toContain(phone ? 'Traffic Accident' : '交通事故');
    // Each run's agreement is 12,800.50 yuan (the two variants share the stack).
    const agreements = Number(await page.textContent(`${centre} [data-column="agreements"]`));
    expect(agreements).toBeGreaterThanOrEqual(1);
    expect(await page.textContent(`${centre} [data-column="amountYuan"]`)).toBe((agreements * 12800.5).toLocaleString('en-US', { minimumFractionDigits: 2 }));
    await check('statistics with the mediation section');
    await page.screenshot({ path: join(ARTIFACTS, `mediation-${variant.name}-03-statistics.png`), fullPage: true });
  });

  test('raised no script error on the way', () => {
    expect(errors).toEqual([]);
  });
});
