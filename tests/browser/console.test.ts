import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROUTES } from '../../functions/api/routes';
import { startTestStack, type TestStack } from '../support/local-stack';
import { ARTIFACTS, collectErrors, ensureConsoleBuilt, expectAccessible, launchChromium, LIVE, ROOT, signIn } from './browser-support';

/*
 * The supervision console in headless Chromium (Debian's, installed by
 * scripts/ensure-chromium.sh) against the whole local stack with a frozen virtual clock: an
 * operator signs in, watches a new case go green → yellow → red as the clock moves, opens it,
 * sees the workflow graph at its current state, urges it and sees the timeline grow. axe-core
 * checks every page state for WCAG 2.1 AA. The four role journeys are in journeys.test.ts.
 * Screenshots go to tests/artifacts/console/; CONSOLE_DOCS_SCREENSHOTS=1 also refreshes
 * docs/console.png and docs/console-case.png for docs/console.md.
 */
const HOUR = 3600;

const COMMUNITY = 'community-xiling-shengli-silu';
const OTHER_COMMUNITY = 'community-wujiagang-longpanhu';
const STREET = 'street-xiling-xiling';

let t: TestStack;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const ids: Record<string, string> = {};

async function screenshot(name: string, docsName?: string): Promise<void> {
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (docsName && process.env.CONSOLE_DOCS_SCREENSHOTS === '1') copyFileSync(file, join(ROOT, 'docs', docsName));
}

async function createCase(key: string, community: string, body: Record<string, unknown>): Promise<string> {
  const response = await t.call('POST', '/v1/cases', {
    token: await t.token(community, 'community'),
    body: { reportedVia: 'patrol', ...body },
  });
  expect(response.status).toBe(201);
  ids[key] = response.body.id;
  await t.advance(0); // the workflow reaches its first wait
  return response.body.id;
}

const row = (id: string, light?: string) => `tr[data-case-id="${id}"]${light ? `[data-light="${light}"]` : ''}`;

beforeAll(async () => {
  ensureConsoleBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  [t, browser] = await Promise.all([startTestStack('console'), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1440, height: 960 }, locale: 'zh-CN' });
  collectErrors(page, pageErrors);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('the console on the local stack', () => {
  test('is served at /console with its config, the app routes falling back to index.html', async () => {
    const redirect = await fetch(`${t.url}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/console/');

    const index = await fetch(`${t.url}/console/cases/some-case`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await index.text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${t.url}${script}`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    // Everything it loads is on this origin: no CDN, no external font.
    expect(html).not.toMatch(/https?:\/\//);

    expect((await fetch(`${t.url}/console/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${t.url}/console/..%2f..%2fpackage.json`)).status).toBe(404);

    const config = await (await fetch(`${t.url}/console/config.json`)).json();
    expect(config).toMatchObject({ apiBaseUrl: '', auth: { mode: 'local' }, local: { clock: '/_local/clock', token: '/_local/token' } });
  });

  test('signs local tokens only for a known unit and role, sent as JSON', async () => {
    const post = (body: string, type = 'application/json') =>
      fetch(`${t.url}/_local/token`, { method: 'POST', headers: { 'content-type': type }, body });
    const ok = await post(JSON.stringify({ unit: 'street-xiling-xiling', role: 'agency' }));
    expect(ok.status).toBe(200);
    const { token } = (await ok.json()) as { token: string };
    expect((await t.call('GET', '/v1/cases', { token })).status).toBe(200);

    const refused = await post(JSON.stringify({ unit: 'no-such-unit', role: 'mayor' }));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path).sort()).toEqual(['role', 'unit']);
    expect((await post('unit=supervision-centre&role=supervisor', 'application/x-www-form-urlencoded')).status).toBe(415);
  });

  test('signs in with the unit and role picker', async () => {
    await page.goto(`${t.url}/console/`);
    await page.waitForSelector('input[name="unit-search"]');
    await screenshot('01-sign-in');
    await expectAccessible(page, 'sign-in');
    // The unit is found by part of its name, not picked from a list of all 67.
    await page.fill('input[name="unit-search"]', '监管中心');
    expect(await page.$$eval('[data-unit-option]', (options) => options.map((option) => option.getAttribute('data-unit-option')))).toEqual(['supervision-centre']);
    await page.click('[data-unit-option="supervision-centre"]');
    await page.waitForSelector('[data-unit-picker="unit"] [data-chosen="supervision-centre"]');
    await page.selectOption('select[name=role]', 'supervisor');
    await page.click('form.sign-in-picker button[type=submit]');
    await page.waitForSelector('.who[data-role="supervisor"][data-unit="supervision-centre"]');
    await page.waitForSelector('.board');
    // The supervisor's menu: the board, intake on the hotline's behalf, the report, the statistics.
    expect(await page.$$eval('header nav a', (links) => links.map((link) => link.getAttribute('data-nav')))).toEqual(['home', 'new-case', 'report', 'statistics']);
    await expectAccessible(page, 'board, empty');
  });

  test('shows a new case green on the board without a reload', async () => {
    // Monday 09:00: a routine case for the street office, due for sign-off in one working day.
    await createCase('stairwell', COMMUNITY, {
      title: '楼道堆放杂物，影响消防通道',
      description: '3 号楼楼道长期堆放杂物，居民反映影响消防通道。',
      category: 'routine',
      complainant: { name: '张明', phone: '13800138000' },
    });
    await page.waitForSelector(row(ids.stairwell, 'green'), LIVE);
    expect(await page.textContent('[data-count-light="green"] .count-value')).toBe('1');
    await expectAccessible(page, 'board, one green case');
  });

  test('turns it yellow, then red, as the virtual clock moves', async () => {
    // Monday 15:00: another routine case; it will be yellow when the first one is red.
    await t.advance(6 * HOUR);
    await createCase('lights', OTHER_COMMUNITY, {
      title: '小区路灯损坏，夜间出行不便',
      description: '龙盘湖小区东门三盏路灯损坏已两周。',
      category: 'routine',
    });
    // Tuesday 04:00: 19 of the first case's 24 working hours are gone (over 75 %).
    await t.advance(13 * HOUR);
    await page.waitForSelector(row(ids.stairwell, 'yellow'), LIVE);
    await screenshot('02-board-yellow');
    await expectAccessible(page, 'board, yellow');

    await createCase('wages', COMMUNITY, {
      title: '建筑工地拖欠农民工工资',
      description: '十余名工人反映工地拖欠三个月工资。',
      category: 'labour-wages',
      reportedVia: 'hotline',
    });
    await createCase('noise', COMMUNITY, {
      title: '邻里装修噪音纠纷',
      description: '楼上住户夜间装修，邻里发生争执。',
      category: 'neighbour-family',
      assignedUnit: COMMUNITY, // small matters stay in the community
    });
    // One case a street office signs off and hands up to the district office (tier 1).
    const escalated = await createCase('water', COMMUNITY, {
      title: '拆迁后七户居民断水',
      description: '江边七户居民在拆迁后被断水，至今未恢复。',
      category: 'demolition-compensation',
    });
    const housing = await t.token('district-dept-xiling-housing', 'agency');
    expect((await t.call('POST', `/v1/cases/${escalated}/sign-off`, { token: housing, body: { handler: { name: '王强' } } })).status).toBe(202);
    await t.advance(0);
    expect((await t.call('POST', `/v1/cases/${escalated}/escalate`, { token: housing, body: { reason: '需区里协调供水公司和街道' } })).status).toBe(202);
    await t.advance(0);

    // Tuesday 10:00: the first case's sign-off deadline (Tuesday 09:00) has passed.
    await t.advance(6 * HOUR);
    await page.waitForSelector(row(ids.stairwell, 'red'), LIVE);
    await page.waitForSelector(row(ids.lights, 'yellow'), LIVE);
    await page.waitForSelector(row(ids.water), LIVE);
    expect(await page.textContent('[data-count-light="red"] .count-value')).toBe('1');
    expect(await page.textContent('[data-count-tier="1"] .count-value')).toBe('1');
    // The change is announced politely to screen readers (aria-live), without a reload.
    await page.waitForSelector('[aria-live="polite"][data-announcer]:has-text("红灯 1 件")', LIVE);
    // Red first, then least time left: the breached case heads the list, the yellow one follows.
    expect(await page.$$eval('table.cases tbody tr', (rows) => rows.slice(0, 2).map((r) => r.getAttribute('data-case-id')))).toEqual([
      ids.stairwell,
      ids.lights,
    ]);
    await screenshot('03-board-red', 'console.png');
    await expectAccessible(page, 'board, red');
  });

  test('filters the board by light and district', async () => {
    await page.click('[data-count-light="red"]');
    await page.waitForSelector(`table.cases tbody ${row(ids.stairwell)}:only-child`);
    // The filter is in the URL: a reload keeps it.
    expect(new URL(page.url()).searchParams.get('light')).toBe('red');
    await page.reload();
    await page.waitForSelector(`table.cases tbody ${row(ids.stairwell)}:only-child`, LIVE);
    await expectAccessible(page, 'board, filtered');
    await page.click('[data-count-light="red"]');
    await page.selectOption('select[name=district]', 'wujiagang');
    await page.waitForSelector(`table.cases tbody ${row(ids.lights)}:only-child`);
    await page.click('text=清除筛选');
    await page.waitForSelector(row(ids.water));
  });

  test('opens the case: details, personal data, deadlines, and the graph at its current state', async () => {
    await page.click(`${row(ids.stairwell)} .title-cell a`);
    await page.waitForSelector('.workflow-graph svg');
    expect(page.url()).toBe(`${t.url}/console/cases/${ids.stairwell}`);
    expect(await page.textContent('#complainant')).toContain('张明');
    // Its sign-off deadline passed: a second window runs, and the case stays red until the unit acts.
    expect(await page.textContent('.case-head .light')).toBe('红灯');
    expect(await page.getAttribute('[data-deadline="signOffDueAt"]', 'class')).toBe('active');

    // The breach put the case into its second sign-off window: the machine waits in AwaitSignOff again.
    await page.waitForSelector('.node.current[data-state="AwaitSignOff"]');
    expect(await page.textContent('[data-current-state]')).toBe('AwaitSignOff');
    // Intake started the execution with its first plan: from Resume straight to the first wait, never through Begin.
    for (const state of ['Resume', 'AnnounceAlerts', 'NextStep', 'AwaitSignOff', 'SignOffClock']) {
      expect(await page.getAttribute(`.node[data-state="${state}"]`, 'class')).toContain('visited');
    }
    expect(await page.getAttribute('.node[data-state="Begin"]', 'class')).not.toContain('visited');
    expect(await page.getAttribute('.node[data-state="AwaitResult"]', 'class')).not.toContain('visited');
    expect(await page.$$eval('.edge.taken', (edges) => edges.map((e) => `${e.getAttribute('data-from')}→${e.getAttribute('data-to')}`))).toEqual(
      expect.arrayContaining(['Resume→NextStep', 'NextStep→AwaitSignOff', 'AwaitSignOff→SignOffClock', 'SignOffClock→AnnounceAlerts']),
    );
    expect(Number(await page.getAttribute('ol.history', 'data-count'))).toBeGreaterThan(10);
    // The warning and the breach are on the timeline and among the alerts.
    await page.waitForSelector('#alerts li[data-type="SIGN_OFF_WARNING"]');
    await page.waitForSelector('#alerts li[data-type="SIGN_OFF_OVERDUE"]');
    await screenshot('04-case', 'console-case.png');
    await expectAccessible(page, 'case page, supervisor');
  });

  test('urges the case, and the timeline grows', async () => {
    const before = Number(await page.getAttribute('#timeline ol.events', 'data-count'));
    await page.check('input[name=action][value=urge]');
    await page.fill('textarea[name=note]', '请今天内签收并联系当事人');
    await page.click('.supervise-form button[type=submit]');
    await page.waitForSelector('[data-notice="sent"][data-action="supervise"]');
    await page.waitForSelector('#timeline li[data-type="SUPERVISION_URGE"]', LIVE);
    await page.waitForSelector('#alerts li[data-type="URGED"]', LIVE);
    const after = Number(await page.getAttribute('#timeline ol.events', 'data-count'));
    expect(after).toBeGreaterThan(before);
    expect(await page.textContent('#timeline')).toContain('请今天内签收并联系当事人');
    await screenshot('05-case-urged');
    await expectAccessible(page, 'case page, urged');
  });

  test('refuses a reassignment without a unit before sending it, saying why', async () => {
    const sent: string[] = [];
    const track = (request: { method(): string; url(): string }) => {
      if (request.method() === 'POST') sent.push(request.url());
    };
    page.on('request', track);
    await page.check('input[name=action][value=reassign]');
    await page.fill('textarea[name=note]', '改派给学院街道');
    await page.click('.supervise-form button[type=submit]');
    // The same rule the API holds (SuperviseBodySchema: toUnit required when reassigning), checked here first, in the user's words.
    await page.waitForSelector('.supervise-form .form-invalid');
    expect(await page.textContent('[data-unit-picker="toUnit"] .field-error')).toBe('请选择一项');
    expect(await page.getAttribute('input[name="toUnit-search"]', 'aria-invalid')).toBe('true');
    page.off('request', track);
    expect(sent).toEqual([]);
    await screenshot('06-case-problem');
    await expectAccessible(page, 'case page, reassignment refused');
  });

  test('erases a complainant on request, after a second click', async () => {
    const id = await createCase('erasure', COMMUNITY, {
      title: '小区门禁损坏',
      description: '2 号楼门禁损坏，外来人员随意出入。',
      category: 'routine',
      complainant: { name: '王芳', phone: '13900139000' },
    });
    await page.goto(`${t.url}/console/cases/${id}`);
    await page.waitForSelector('#complainant button[name=erase]');
    expect(await page.textContent('#complainant')).toContain('王芳');
    await page.click('#complainant button[name=erase]');
    await page.click('#complainant button[name=erase-confirm]');
    await page.waitForSelector('#timeline li[data-type="PERSONAL_DATA_ERASED"]', LIVE);
    const complainant = await page.textContent('#complainant');
    expect(complainant).not.toContain('王芳');
    expect(complainant).toContain('未登记当事人');
    expect(await page.$('#complainant button[name=erase]')).toBeNull();
    await screenshot('06b-case-erased');
    await expectAccessible(page, 'case page, complainant erased');
  });

  test('switches to English', async () => {
    await page.click('[data-action="language"]');
    await page.waitForSelector('text=Supervision console');
    expect(await page.textContent('#timeline h2')).toBe('Timeline');
    // The API's texts follow: the timeline is rendered by the API in English now.
    await page.waitForSelector('#timeline li[data-code="PERSONAL_DATA_ERASED"] .event-text');
    await page.waitForFunction(() => /[A-Za-z]/.test((globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('#timeline li[data-code="CASE_ACCEPTED"] .event-text')?.textContent ?? ''), undefined, LIVE);
    await expectAccessible(page, 'case page, English');
    await page.click('[data-action="language"]');
    await page.waitForSelector('text=联动化解监管台');
  });

  test('offers approving or refusing an extension only while one is requested (supervisionActions), and approves it', async () => {
    const id = await createCase('extension', COMMUNITY, {
      title: '小区消防通道被占',
      description: '消防通道长期停放车辆。',
      category: 'routine',
    });
    const street = await t.token(STREET, 'agency');
    expect((await t.call('POST', `/v1/cases/${id}/sign-off`, { token: street, body: { handler: { name: '李娟' } } })).status).toBe(202);
    await t.advance(0);
    await page.goto(`${t.url}/console/cases/${id}`);
    await page.waitForSelector('form[data-action-form="supervise"] input[name=action][value=urge]', LIVE);
    expect(await page.$('input[name=action][value=approve-extension]')).toBeNull();

    expect((await t.call('POST', `/v1/cases/${id}/extension`, { token: street, body: { workingDays: 2, reason: '需协调交警和物业' } })).status).toBe(202);
    await t.advance(0);
    await page.waitForSelector('input[name=action][value=approve-extension]', LIVE);
    expect(await page.$('input[name=action][value=refuse-extension]')).not.toBeNull();
    await expectAccessible(page, 'case page, extension requested');
    await page.check('input[name=action][value=approve-extension]');
    await page.fill('form[data-action-form="supervise"] textarea[name=note]', '同意延期两个工作日');
    await page.click('form[data-action-form="supervise"] button[type=submit]');
    await page.waitForSelector('#timeline li[data-code="EXTENSION_APPROVED"]', LIVE);
    // Decided: the choices go again.
    await page.waitForSelector('input[name=action][value=approve-extension]', { state: 'detached', ...LIVE });
  });

  test('a street office returns a case that is not its remit', async () => {
    const id = await createCase('returned', COMMUNITY, {
      title: '楼上漏水纠纷',
      description: '楼上住户卫生间漏水，邻里协商未果。',
      category: 'routine',
    });
    await signIn(page, t.url, STREET, 'agency');
    await page.goto(`${t.url}/console/cases/${id}`);
    await page.waitForSelector('[data-action-choice="return"]', LIVE);
    await page.click('[data-action-choice="return"]');
    await page.fill('form[data-action-form="return"] textarea[name=reason]', '属邻里纠纷，应由社区调解');
    await page.click('form[data-action-form="return"] button[type=submit]');
    await page.waitForSelector('[data-stage="signedOff"] .stage-note', LIVE);
    await page.waitForSelector('#timeline li[data-code="RETURNED"]', LIVE);
    await expectAccessible(page, 'case page, returned');
    // Returned, it waits for the supervision centre: nothing left for this unit to do on it.
    await page.waitForSelector('#actions .muted', LIVE);
    expect(await page.$('[data-action-choice]')).toBeNull();
  });

  test('an auditor signing in with a pasted token sees no personal data and no execution', async () => {
    await page.click('[data-action="sign-out"]');
    await page.waitForSelector('form.sign-in-token');
    await page.fill('textarea[name=token]', await t.token('supervision-centre', 'auditor'));
    await page.click('form.sign-in-token button[type=submit]');
    await page.waitForSelector('.who[data-role="auditor"]');
    await page.goto(`${t.url}/console/cases/${ids.stairwell}`);
    await page.waitForSelector('#complainant');
    const complainant = await page.textContent('#complainant');
    expect(complainant).not.toContain('张明');
    expect(complainant).toContain('无权查看');
    expect(await page.textContent('#workflow')).toContain('只对监管中心和运维开放');
    // Auditors act on nothing: no action form, no action bar.
    expect(await page.$('[data-action-form]')).toBeNull();
    expect(await page.$('[data-action-choice]')).toBeNull();
    // Reports are theirs to read; intake is not.
    expect(await page.$('[data-nav="report"]')).not.toBeNull();
    expect(await page.$('[data-nav="new-case"]')).toBeNull();
    await expectAccessible(page, 'case page, auditor');
  });

  test('shows the monthly report', async () => {
    await page.goto(`${t.url}/console/reports/2026-03`);
    const reportsExist = ROUTES.some((route) => route.path.startsWith('/v1/reports'));
    if (reportsExist) {
      await page.waitForSelector('table.ranking tbody tr', LIVE);
      await page.waitForSelector('.chart canvas');
      expect(await page.textContent('table.ranking')).toContain('西陵');
      // The CSV comes through the API with the bearer token, as a file download.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="download-csv"]')]);
      expect(download.suggestedFilename()).toBe('assessment-2026-03.csv');
      const csv = readFileSync((await download.path()) as string, 'utf8');
      expect(csv.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toMatch(/^范围,编号,名称,排名,/);
    } else {
      await page.waitForSelector('text=月度考核接口', LIVE);
    }
    await screenshot('07-report');
    await expectAccessible(page, 'report');
  });

  test('shows a refusal from the API in its own words and the user’s language, with what to do next', async () => {
    await signIn(page, t.url, OTHER_COMMUNITY, 'community');
    // Another community's case: the API refuses (403), in Chinese, and the page says what to do.
    await page.goto(`${t.url}/console/cases/${ids.stairwell}`);
    const problem = await page.waitForSelector('.problem[data-status="403"]', LIVE);
    const text = (await problem.textContent()) ?? '';
    expect(text).toMatch(/[\u4e00-\u9fff]/);
    expect(text).toContain('您的单位或角色不能做这件事');
    expect(text).not.toContain('Forbidden');
    await expectAccessible(page, 'case page, refused');
    // A community has no report in its menu, and the report page is not offered to it.
    expect(await page.$('[data-nav="report"]')).toBeNull();
  });

  test.each([
    ['joint-conference', 'conference', '.unit-home', ['home']],
    ['city-office', 'city-office', '.unit-home', ['home']],
    ['supervision-centre', 'auditor', '.board', ['home', 'report', 'statistics']],
    ['supervision-centre', 'operator', '.board', ['home']],
  ])('%s as %s lands on its home, its menu offering only what the role may use', async (unit, role, home, menu) => {
    await signIn(page, t.url, unit, role);
    await page.goto(`${t.url}/console/`);
    await page.waitForSelector(home);
    expect(await page.$$eval('header nav a', (links) => links.map((link) => link.getAttribute('data-nav')))).toEqual(menu);
    if (home === '.unit-home') {
      // Queues with their counts, for its own unit.
      expect(await page.$$eval('[data-queue]', (tabs) => tabs.map((tab) => tab.getAttribute('data-queue')))).toEqual(['sign-off', 'in-progress', 'due-soon', 'overdue', 'evaluation', 'returned', 'co-handling']);
    }
    await expectAccessible(page, `${role} home`);
    await screenshot(`08-home-${role}`);
  });

  test('raised no script error on the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
