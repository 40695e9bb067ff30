import { acceptCase, type CaseRecord, type CreateCaseBody } from '../../../functions/domain/case';
import { CATEGORY_IDS } from '../../../functions/domain/categories';
import { defaultCalendar } from '../../../functions/domain/calendar';
import { defaultDirectory } from '../../../functions/domain/directory';
import { DomainError } from '../../../functions/domain/errors';
import type { Caller } from '../../../functions/domain/identity';
import { ROLE_OF_UNIT_KIND } from '../../../functions/domain/roles';
import { defaultRoutingRules, routeCase } from '../../../functions/domain/routing';
import type { Mediation } from '../../../functions/domain/mediation/model';
import { MediationOutcomeBodySchema } from '../../../functions/api/mediation-schemas';
import { checkMediatorAction, checkOutcome, checkReferralBody, checkReferralCaller, performByOf } from '../../../functions/domain/mediation/rules';
import { documentsOf, renderDocument } from '../../../functions/domain/mediation/documents';
import { mediationConfig, mediationStatistics } from '../../../functions/domain/mediation/statistics';
import { agreementRecipients } from '../../../functions/domain/notifications/mediation-recipients';
import { at } from '../../support/shanghai-time';

const COMMUNITY = 'community-xiling-shengli-silu';
const TRAFFIC = 'mediation-city-traffic-accident';
const MEDICAL = 'mediation-city-medical-dispute';
const STREET_COMMITTEE = 'mediation-xiling-xiling-street';
const callerOf = (unit: string): Caller => ({ sub: `officer-of-${unit}`, unit, role: ROLE_OF_UNIT_KIND[defaultDirectory.require(unit).kind] });

function accept(fields: Partial<CreateCaseBody> = {}): CaseRecord {
  const body: CreateCaseBody = {
    title: '两车追尾赔偿',
    description: '夷陵大道两车追尾，车损及误工费协商不成。',
    category: 'road-traffic-accident',
    reportedVia: 'visit',
    complainant: { name: '王强', phone: '13800138000' },
    ...fields,
  };
  return acceptCase(body, { caller: callerOf(COMMUNITY), id: '01JMEDIATION0000000000000', nowMs: at('2026-03-02 09:00'), directory: defaultDirectory, calendar: defaultCalendar, routingRules: defaultRoutingRules }).record;
}

const referral = (body: string, fields: Partial<Mediation> = {}): Mediation => ({
  body,
  referredBy: COMMUNITY,
  referredAt: '2026-03-02T10:00:00+08:00',
  note: '当事人同意调解',
  status: 'referred',
  windowStartedAt: '2026-03-02T10:00:00+08:00',
  acceptDueAt: '2026-03-03T10:00:00+08:00',
  dueAt: '2026-04-01T10:00:00+08:00',
  light: 'green',
  firedMilestones: [],
  breaches: 0,
  sessions: [],
  ...fields,
});

const refusal = (fn: () => unknown): { kind: string; code: string; path?: string } => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return { kind: error.kind, code: error.text.code, ...(error.path ? { path: error.path } : {}) };
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('referring a case to mediation', () => {
  test('nothing routes a case to a mediation body by itself: every category from every community goes to a unit that handles cases', () => {
    for (const community of defaultDirectory.ofKind('community')) {
      for (const category of CATEGORY_IDS) {
        const unit = routeCase(defaultDirectory, defaultRoutingRules, { category, originUnit: community.id });
        expect(defaultDirectory.require(unit).kind).not.toBe('mediation-committee');
      }
    }
  });

  test('intake does not assign a case to a mediation body either: it is referred, not routed', () => {
    expect(refusal(() => accept({ assignedUnit: TRAFFIC }))).toEqual({ kind: 'invalid', code: 'field.assigned-kind', path: 'assignedUnit' });
  });

  test('the body must be a mediation committee (400), one that takes the case\'s category (400), and not one that declined or failed it (409)', () => {
    const record = accept();
    expect(refusal(() => checkReferralBody(record, 'street-xiling-xiling', defaultDirectory))).toEqual({ kind: 'invalid', code: 'field.mediation-body-kind', path: 'body' });
    expect(refusal(() => checkReferralBody(record, 'no-such-unit', defaultDirectory))).toEqual({ kind: 'invalid', code: 'field.unknown-unit', path: 'body' });
    expect(refusal(() => checkReferralBody(record, MEDICAL, defaultDirectory))).toEqual({ kind: 'invalid', code: 'field.mediation-body-sector', path: 'body' });
    expect(() => checkReferralBody(record, TRAFFIC, defaultDirectory)).not.toThrow();
    expect(() => checkReferralBody(record, STREET_COMMITTEE, defaultDirectory)).not.toThrow();
    const declined = { ...record, mediations: [referral(TRAFFIC, { status: 'declined', declined: { reason: '不属受理范围', at: '2026-03-02T11:00:00+08:00' } })] };
    expect(refusal(() => checkReferralBody(declined, TRAFFIC, defaultDirectory))).toEqual({ kind: 'conflict', code: 'error.mediation-declined-already' });
    expect(() => checkReferralBody(declined, STREET_COMMITTEE, defaultDirectory)).not.toThrow();
  });

  test('the unit holding the case refers it, or the accepting community at intake; nobody else (403), and not while a body holds it (409)', () => {
    const record = accept();
    expect(() => checkReferralCaller(record, callerOf(COMMUNITY), 'sign-off')).not.toThrow();
    expect(() => checkReferralCaller(record, callerOf(record.assignedUnit), 'sign-off')).not.toThrow();
    expect(refusal(() => checkReferralCaller(record, callerOf('community-xiling-luluo-lu'), 'sign-off'))).toEqual({ kind: 'forbidden', code: 'error.mediation-refer-who' });
    expect(refusal(() => checkReferralCaller(record, callerOf(TRAFFIC), 'sign-off'))).toEqual({ kind: 'forbidden', code: 'error.mediation-refer-who' });
    // Once the holder signed it off, intake is over: the community no longer refers it.
    const handled = { ...record, status: 'in-progress' as const, signedOffAt: '2026-03-02T12:00:00+08:00' };
    expect(refusal(() => checkReferralCaller(handled, callerOf(COMMUNITY), 'handling'))).toEqual({ kind: 'forbidden', code: 'error.mediation-refer-who' });
    const referred = { ...handled, mediations: [referral(TRAFFIC)] };
    expect(refusal(() => checkReferralCaller(referred, callerOf(record.assignedUnit), 'mediation'))).toEqual({ kind: 'conflict', code: 'error.mediation-open' });
  });
});

describe("the mediation body's actions", () => {
  const record = { ...accept(), mediations: [referral(TRAFFIC)] };

  test('only the mediators of the body the case was referred to act on it (403 for another body or role)', () => {
    expect(checkMediatorAction(record, 'mediation-accept', callerOf(TRAFFIC)).body).toBe(TRAFFIC);
    expect(refusal(() => checkMediatorAction(record, 'mediation-accept', callerOf(MEDICAL)))).toEqual({ kind: 'forbidden', code: 'error.mediation-not-referred-to-you' });
    expect(refusal(() => checkMediatorAction(record, 'mediation-accept', callerOf(record.assignedUnit)))).toEqual({ kind: 'forbidden', code: 'error.mediation-not-referred-to-you' });
  });

  test('each action in its step (409 otherwise): sessions after acceptance, the outcome after a session, the fulfilment after an agreement', () => {
    expect(refusal(() => checkMediatorAction(record, 'mediation-session', callerOf(TRAFFIC)))).toEqual({ kind: 'conflict', code: 'error.mediation-step' });
    const accepted = { ...record, mediations: [referral(TRAFFIC, { status: 'accepted', acceptedAt: '2026-03-02T11:00:00+08:00' })] };
    expect(() => checkMediatorAction(accepted, 'mediation-session', callerOf(TRAFFIC))).not.toThrow();
    expect(refusal(() => checkMediatorAction(accepted, 'mediation-outcome', callerOf(TRAFFIC)))).toEqual({ kind: 'conflict', code: 'error.mediation-no-session' });
    expect(refusal(() => checkMediatorAction(accepted, 'mediation-fulfilment', callerOf(TRAFFIC)))).toEqual({ kind: 'conflict', code: 'error.mediation-step' });
  });
});

describe('an outcome', () => {
  const now = at('2026-03-20 10:00');
  const agreement = {
    result: 'agreement' as const,
    terms: '乙方赔偿甲方车辆维修费及误工费。',
    amounts: [{ payer: '李四', payee: '王强', amountYuan: 12800.5, dueBy: '2026-04-10' }],
    signed: true,
    signedAt: '2026-03-20T09:30:00+08:00',
  };

  test('an agreement has terms and the parties\' signatures, flag and date (400 otherwise)', () => {
    expect(() => checkOutcome(agreement, now)).not.toThrow();
    expect(refusal(() => checkOutcome({ ...agreement, terms: undefined }, now))).toMatchObject({ kind: 'invalid', path: 'terms' });
    expect(refusal(() => checkOutcome({ ...agreement, signed: false }, now))).toMatchObject({ kind: 'invalid', path: 'signed' });
    expect(refusal(() => checkOutcome({ ...agreement, signedAt: undefined }, now))).toMatchObject({ kind: 'invalid', path: 'signedAt' });
    expect(refusal(() => checkOutcome({ ...agreement, signedAt: '2026-03-21T09:30:00+08:00' }, now))).toMatchObject({ kind: 'invalid', path: 'signedAt' });
    expect(performByOf(agreement)).toBe('2026-04-10');
  });

  test('amounts negative, zero, absurd or finer than a fen are refused by the schema and by the rules alike', () => {
    for (const amountYuan of [-100, 0, 50_000_000.01, 1e12, 10.001]) {
      const body = { ...agreement, amounts: [{ ...agreement.amounts[0], amountYuan }] };
      expect(MediationOutcomeBodySchema.safeParse(body).success).toBe(false);
      expect(refusal(() => checkOutcome(body, now))).toMatchObject({ kind: 'invalid', path: 'amounts.0.amountYuan' });
    }
    expect(MediationOutcomeBodySchema.safeParse(agreement).success).toBe(true);
  });

  test('a failure has its reason and the advice given, and no terms', () => {
    const failure = { result: 'failed' as const, reason: '双方对责任比例分歧较大', advice: 'litigation' as const };
    expect(() => checkOutcome(failure, now)).not.toThrow();
    expect(refusal(() => checkOutcome({ ...failure, advice: undefined }, now))).toMatchObject({ kind: 'invalid', path: 'advice' });
    expect(refusal(() => checkOutcome({ ...failure, reason: undefined }, now))).toMatchObject({ kind: 'invalid', path: 'reason' });
    expect(refusal(() => checkOutcome({ ...failure, terms: '无' }, now))).toMatchObject({ kind: 'invalid', path: 'terms' });
  });

  test('a traffic accident\'s agreement is reported to the traffic police and the holder, never to the body itself', () => {
    // Routing gives a traffic accident to the traffic police: then they hold it and are told once.
    expect(agreementRecipients(accept(), TRAFFIC, defaultDirectory)).toEqual(['city-dept-traffic-police']);
    const record = accept({ assignedUnit: 'street-xiling-xiling' });
    expect(agreementRecipients(record, TRAFFIC, defaultDirectory)).toEqual(['street-xiling-xiling', 'city-dept-traffic-police']);
    expect(agreementRecipients({ ...record, category: 'neighbour-family' }, STREET_COMMITTEE, defaultDirectory)).toEqual([record.assignedUnit]);
  });
});

describe('one file per case (一案一档)', () => {
  const sessions = [1, 2].map((n) => ({
    at: `2026-03-1${n}T14:00:00+08:00`,
    record: n === 1 ? '双方陈述事故经过<script>alert(1)</script>' : '双方同意按责任比例赔偿',
    participants: [
      { role: 'applicant' as const, name: '王强' },
      { role: 'respondent' as const, name: '李四' },
      { role: 'insurer' as const, name: '某保险公司' },
    ],
    recordedAt: `2026-03-1${n}T16:00:00+08:00`,
  }));
  const agreed: Mediation = referral(TRAFFIC, {
    status: 'fulfilled',
    acceptedAt: '2026-03-02T11:00:00+08:00',
    sessions,
    agreement: {
      terms: '李四赔偿王强车辆维修费、误工费共计 12800.50 元。',
      amounts: [{ payer: '李四', payee: '王强', amountYuan: 12800.5, dueBy: '2026-04-10' }],
      performBy: '2026-04-10',
      signed: true,
      signedAt: '2026-03-12T15:30:00+08:00',
      at: '2026-03-12T16:30:00+08:00',
      reportedTo: ['street-xiling-xiling', 'city-dept-traffic-police'],
    },
    fulfilment: { fulfilled: true, note: '已全额支付', at: '2026-04-08T10:00:00+08:00', onTime: true },
  });
  const record = { ...accept(), mediations: [agreed] };

  test('the file lists the application, registration, notice of rights and duties, each session record, the agreement, the delivery receipt and the follow-up', () => {
    expect(documentsOf(record).map((d) => d.kind)).toEqual([
      'application',
      'registration',
      'rights-notice',
      'session-record-1',
      'session-record-2',
      'agreement',
      'delivery-receipt',
      'follow-up',
    ]);
    expect(documentsOf(record)[0]).toEqual({ kind: 'application', at: agreed.referredAt, href: `/v1/cases/${record.id}/documents/application`, title: '人民调解申请书' });
    // Before acceptance only the application exists.
    expect(documentsOf({ ...record, mediations: [referral(TRAFFIC)] }).map((d) => d.kind)).toEqual(['application']);
  });

  test('each document is printable HTML in Chinese with a print stylesheet, written from the case, with people\'s text escaped', () => {
    for (const { kind } of documentsOf(record)) {
      const html = renderDocument(record, kind, defaultDirectory)!;
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).toContain('lang="zh-CN"');
      expect(html).toContain('@media print');
      expect(html).toContain('宜昌市道路交通事故损害赔偿调解中心');
      expect(html).not.toContain('<script>');
    }
    const agreement = renderDocument(record, 'agreement', defaultDirectory)!;
    expect(agreement).toContain('12,800.50');
    expect(agreement).toContain('宜昌市公安局交通警察支队');
    expect(renderDocument(record, 'session-record-1', defaultDirectory)).toContain('&lt;script&gt;');
    expect(renderDocument(record, 'application', defaultDirectory)).toContain('道路交通事故损害赔偿类');
    expect(renderDocument(record, 'session-record-3', defaultDirectory)).toBeUndefined();
    expect(renderDocument(record, 'minutes', defaultDirectory)).toBeUndefined();
  });

  test('a failed mediation\'s follow-up record tells the advice given', () => {
    const failed = referral(MEDICAL, { status: 'failed', acceptedAt: '2026-03-02T11:00:00+08:00', sessions, failure: { reason: '对医疗过错认定分歧', advice: 'litigation', at: '2026-03-20T10:00:00+08:00' } });
    const medical = { ...accept({ category: 'medical-dispute' }), mediations: [failed] };
    expect(documentsOf(medical).map((d) => d.kind)).toEqual(['application', 'registration', 'rights-notice', 'session-record-1', 'session-record-2', 'follow-up']);
    expect(renderDocument(medical, 'follow-up', defaultDirectory)).toContain('向人民法院起诉');
  });
});

describe('statistics and targets', () => {
  const agreementAt = '2026-03-12T16:30:00+08:00';
  const agreed = (body: string, amountYuan: number): Mediation =>
    referral(body, {
      status: 'agreed',
      acceptedAt: '2026-03-02T11:00:00+08:00',
      concludedOnTime: true,
      agreement: { terms: '赔偿', amounts: [{ payer: '甲', payee: '乙', amountYuan, dueBy: '2026-04-10' }], performBy: '2026-04-10', signed: true, signedAt: agreementAt, at: agreementAt, reportedTo: [] },
    });
  const failed = (body: string): Mediation =>
    referral(body, { status: 'failed', acceptedAt: '2026-03-02T11:00:00+08:00', concludedOnTime: false, failure: { reason: '分歧', advice: 'litigation', at: agreementAt } });

  test('per channel and per body: received, mediated, agreements, success rate, concluded in time, amounts', () => {
    const cases = [
      { category: 'road-traffic-accident' as const, mediations: [agreed(TRAFFIC, 1000)] },
      { category: 'road-traffic-accident' as const, mediations: [agreed(TRAFFIC, 2500.5)] },
      { category: 'road-traffic-accident' as const, mediations: [failed(TRAFFIC)] },
      { category: 'medical-dispute' as const, mediations: [referral(MEDICAL, { status: 'declined' }), failed(STREET_COMMITTEE)] },
      { category: 'neighbour-family' as const, mediations: [agreed('mediation-xiling-shengli-silu-grid-3', 0.5)] },
      { category: 'routine' as const },
    ];
    const stats = mediationStatistics(cases, defaultDirectory);
    expect(stats.byBody.find((r) => r.key === TRAFFIC)).toMatchObject({ received: 3, mediated: 3, agreements: 2, failed: 1, successRate: 0.6667, concludedInTime: 2, amountYuan: 3500.5 });
    expect(stats.byChannel.find((r) => r.key === 'people')).toMatchObject({ received: 5, agreements: 3, failed: 2, successRate: 0.6 });
    expect(stats.byChannel.find((r) => r.key === 'third-party')).toMatchObject({ received: 1, mediated: 0, declined: 1, successRate: null });
    expect(stats.byChannel.map((r) => r.key)).toEqual(['people', 'administrative', 'judicial', 'police', 'procuratorate', 'third-party']);
    expect(stats.total).toMatchObject({ received: 6, agreements: 3, failed: 2, amountYuan: 3501 });
    expect(stats.byLevel).toEqual([
      { level: 'group', agreements: 1, share: 0.3333 },
      { level: 'community', agreements: 0, share: 0 },
      { level: 'street', agreements: 0, share: 0 },
      { level: 'above', agreements: 2, share: 0.6667 },
    ]);
    const target = (key: string) => stats.targets.find((t) => t.key === key);
    // Five dispute cases, all mediated; the routine case is not a dispute.
    expect(target('mediationRate')).toEqual({ key: 'mediationRate', goal: 1, value: 1, met: true, of: 5 });
    expect(target('successRate')).toEqual({ key: 'successRate', goal: 0.95, value: 0.6, met: false, of: 5 });
    expect(target('administrativeMediationRate')).toMatchObject({ goal: 0.8, value: null, met: null, of: 0 });
  });

  test('the targets are the seed\'s, from config/mediation.json', () => {
    expect(mediationConfig.targets.mediationRate.goal).toBe(1);
    expect(mediationConfig.targets.successRate.goal).toBe(0.95);
    expect(mediationConfig.targets.administrativeMediationRate.goal).toBe(0.8);
  });
});
