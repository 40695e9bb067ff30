import { units } from '../../config/units.json';
import type { Unit } from '../../functions/domain/directory';
import type { Mediation } from '../../functions/domain/mediation/model';
import { renderDocument } from '../../functions/domain/mediation/documents';
import {
  beijingInputToIso,
  bodiesFor,
  formatShare,
  formatYuan,
  isDocumentHref,
  isoToBeijingInput,
  mediationClock,
  offeredMediationActions,
  openMediationOf,
  splitDocument,
} from '../../console/src/pages/mediation/mediation-view';

/*
 * What the console reads from a case's mediation (console/src/pages/mediation/mediation-view.ts),
 * without a browser: the actions it offers, the bodies it lists, the referral's clock, times typed
 * in Beijing time, and a document of the file taken apart for a window under the console's policy.
 */
const directory = units as unknown as Unit[];

const referral = (over: Partial<Mediation>): Mediation => ({
  body: 'mediation-city-traffic-accident',
  referredBy: 'community-xiling-shengli-silu',
  referredAt: '2026-03-09T09:00:00+08:00',
  note: '双方同意调解',
  status: 'referred',
  windowStartedAt: '2026-03-09T09:00:00+08:00',
  acceptDueAt: '2026-03-10T09:00:00+08:00',
  dueAt: '2026-04-08T09:00:00+08:00',
  light: 'green',
  firedMilestones: [],
  breaches: 0,
  sessions: [],
  ...over,
});

test('offers exactly the mediation actions the API lists, the body’s own first', () => {
  expect(offeredMediationActions(['progress', 'mediate'])).toEqual(['mediate']);
  expect(offeredMediationActions(['mediation-decline', 'mediation-accept'])).toEqual(['mediation-accept', 'mediation-decline']);
  expect(offeredMediationActions(undefined)).toEqual([]);
});

test('lists the directory’s mediation committees for the category, a sector committee only for its own, by channel', () => {
  const traffic = bodiesFor(directory, 'road-traffic-accident');
  const ids = traffic.flatMap((group) => group.bodies.map((unit) => unit.id));
  expect(ids).toContain('mediation-city-traffic-accident');
  expect(ids).toContain('mediation-xiling-xiling-street');
  expect(ids).not.toContain('mediation-city-medical-dispute');
  expect(ids).not.toContain('city-dept-traffic-police');
  // Every committee of the directory that takes any category is offered for one it names.
  const medical = bodiesFor(directory, 'medical-dispute').flatMap((group) => group.bodies.map((unit) => unit.id));
  expect(medical).toContain('mediation-city-medical-dispute');
  expect(medical).not.toContain('mediation-city-traffic-accident');
  for (const group of traffic) expect(group.bodies.every((unit) => unit.channel === group.channel)).toBe(true);
  expect(traffic.map((group) => group.channel)[0]).toBe('people');
});

test('the referral’s clock: acceptance, then the mediation, then the fulfilment date; none once it ended', () => {
  expect(mediationClock(referral({}))).toEqual({ step: 'referred', dueAt: '2026-03-10T09:00:00+08:00' });
  expect(mediationClock(referral({ status: 'accepted' }))).toEqual({ step: 'accepted', dueAt: '2026-04-08T09:00:00+08:00' });
  expect(mediationClock(referral({ status: 'agreed', dueAt: '2026-04-10T23:59:59+08:00' }))).toEqual({ step: 'agreed', dueAt: '2026-04-10T23:59:59+08:00' });
  expect(mediationClock(referral({ status: 'declined' }))).toBeUndefined();
  expect(openMediationOf([referral({ status: 'declined' }), referral({ status: 'accepted', body: 'mediation-xiling-xiling-street' })])?.body).toBe('mediation-xiling-xiling-street');
  expect(openMediationOf([referral({ status: 'fulfilled' })])).toBeUndefined();
  expect(openMediationOf(undefined)).toBeUndefined();
});

test('times typed in Beijing time whatever the browser’s zone', () => {
  expect(beijingInputToIso('2026-03-09T09:00')).toBe('2026-03-09T09:00:00+08:00');
  expect(beijingInputToIso('2026-03-09T09:00:30')).toBe('2026-03-09T09:00:30+08:00');
  expect(beijingInputToIso('')).toBeUndefined();
  expect(beijingInputToIso('2026-02-30T25:00')).toBeUndefined();
  expect(isoToBeijingInput(Date.parse('2026-03-09T01:00:00Z'))).toBe('2026-03-09T09:00');
});

test('amounts to the fen and shares to a tenth of a percent', () => {
  expect(formatYuan(12800.5, 'zh-CN')).toBe('12,800.50');
  expect(formatYuan(12800.5, 'en')).toBe('12,800.50');
  expect(formatShare(0.9583)).toBe('95.8%');
  expect(formatShare(1)).toBe('100%');
  expect(formatShare(null)).toBe('—');
});

test('only the API’s own document routes of this case are fetched', () => {
  expect(isDocumentHref('/v1/cases/01JQ7ZK4M9XH2R5T8VWY3BCDEF/documents/agreement', '01JQ7ZK4M9XH2R5T8VWY3BCDEF')).toBe(true);
  expect(isDocumentHref('/v1/cases/01JQ7ZK4M9XH2R5T8VWY3BCDEF/documents/agreement', '01JQ7ZK4M9XH2R5T8VWY3BCDEG')).toBe(false);
  expect(isDocumentHref('https://elsewhere.example/v1/cases/X/documents/a', 'X')).toBe(false);
  expect(isDocumentHref('/v1/cases/X/documents/../../units', 'X')).toBe(false);
});

test('a document of the file comes apart into its stylesheet and markup with no inline style or handler', () => {
  const record = {
    id: '01JQ7ZK4M9XH2R5T8VWY3BCDEF',
    title: '两车追尾赔偿',
    description: '夷陵大道两车追尾。',
    category: 'road-traffic-accident',
    createdAt: '2026-03-09T09:00:00+08:00',
    complainant: { name: '王强', phone: '13800138000' },
    mediations: [referral({})],
  };
  const html = renderDocument(record as never, 'application', { nameOf: (id: string) => directory.find((unit) => unit.id === id)?.name });
  expect(html).toBeDefined();
  const { css, markup } = splitDocument(html as string);
  expect(css).toContain('@media print');
  expect(css).toContain('@page');
  expect(markup).not.toMatch(/<style|onclick/i);
  expect(markup).toContain('data-print');
  expect(markup).toContain('人民调解申请书');
  // Quoted text in the document is left as it is.
  expect(splitDocument('<p title="onclick=x">a one = 2</p><button onclick=\'window.print();\'>打印</button><a onmouseover="x()">b</a>').markup).toBe(
    '<p title="onclick=x">a one = 2</p><button data-print>打印</button><a>b</a>',
  );
});
