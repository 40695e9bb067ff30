import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { units as UNITS } from '../../config/units.json';
import { startTestStack, type TestStack } from '../support/local-stack';

/*
 * What the browser tests share: Debian's Chromium, the console build, the local sign-in as a
 * person does it, and axe-core (WCAG 2.1 A and AA) run inside the page on every state a test visits.
 */
export const ROOT = join(__dirname, '..', '..');
export const ARTIFACTS = join(ROOT, 'tests', 'artifacts', 'console');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
/** Pages poll every 3 s on the local stack; a change must show within a few polls. */
export const LIVE = { timeout: 12_000 };

export function ensureConsoleBuilt(): void {
  if (!existsSync(join(ROOT, 'console', 'dist', 'index.html'))) {
    // `npm test` builds it first (pretest); a bare `npx jest tests/browser` may not have.
    execFileSync('npm', ['run', '-s', 'console:build'], { cwd: ROOT, stdio: 'inherit' });
  }
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run sh scripts/ensure-chromium.sh (npm test does).`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Script errors and console errors of a page, except refused requests (a 400 or 409 a test provokes). */
export function collectErrors(page: Page, into: string[]): void {
  page.on('pageerror', (error) => into.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) into.push(message.text());
  });
}

const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  readonly id: string;
  readonly impact?: string;
  readonly help: string;
  readonly nodes: string[];
}

/** Runs axe-core in the page as it is now; returns the WCAG 2.1 A/AA violations it finds, with the offending nodes. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // The console's CSP allows scripts from its own origin only, so axe goes in through the debugging protocol, not a <script>.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    // Runs in the page (the test's tsconfig has no DOM types): axe and document are the page's.
    const page = globalThis as unknown as {
      document: unknown;
      axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact?: string; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }> }> };
    };
    const axe = page.axe;
    const result = await axe.run(page.document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`) }));
  }, AXE_TAGS);
}

/** Every page state a test reaches is checked: none may have a WCAG 2.1 AA violation. */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  const violations = await axeViolations(page);
  expect({ state, violations }).toEqual({ state, violations: [] });
}

/** The local sign-in, as a person does it: the unit and role pickers. Signs out first if someone is signed in. */
export async function signIn(page: Page, url: string, unit: string, role: string): Promise<void> {
  await page.goto(`${url}/console/`);
  // The app renders once its config and clock are read: wait for it to say who is signed in, if anyone.
  await page.waitForSelector('.who, form.sign-in-picker');
  if (await page.$('.who')) await page.click('[data-action="sign-out"]');
  // The unit is found by typing its name, as on the phone: no list of every unit to scroll.
  const name = UNITS.find((entry) => entry.id === unit)?.name;
  if (!name) throw new Error(`no unit ${unit} in config/units.json`);
  await page.fill('input[name="unit-search"]', name);
  await page.click(`[data-unit-option="${unit}"]`);
  await page.waitForSelector(`[data-unit-picker="unit"] [data-chosen="${unit}"]`);
  await page.selectOption('select[name=role]', role);
  await page.click('form.sign-in-picker button[type=submit]');
  await page.waitForSelector(`.who[data-role="${role}"][data-unit="${unit}"]`);
}

/**
 * A test file's local stack (on a frozen clock) and Chromium: started together before its tests,
 * handed to `use`, and closed after them.
 */
export function withStackAndBrowser(name: string, use: (stack: TestStack, browser: Browser) => void): void {
  let stack: TestStack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    ensureConsoleBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    [stack, browser] = await Promise.all([startTestStack(name), launchChromium()]);
    use(stack, browser);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
}
