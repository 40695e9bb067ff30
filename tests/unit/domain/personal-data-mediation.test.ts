import { acceptCase, type CaseRecord } from '../../../functions/domain/case';
import { defaultCalendar } from '../../../functions/domain/calendar';
import { defaultDirectory } from '../../../functions/domain/directory';
import { defaultRoutingRules } from '../../../functions/domain/routing';
import type { Mediation } from '../../../functions/domain/mediation/model';
import { renderDocument, documentsOf } from '../../../functions/domain/mediation/documents';
import { mediationStatistics } from '../../../functions/domain/mediation/statistics';
import { ERASED_NAME, eraseMediationNames, erasePersonalData, holdsPersonalData } from '../../../functions/domain/personal-data';
import { at } from '../../support/shanghai-time';

/*
 * Erasing a complainant also erases what mediation keeps of the parties: the names by role in its
 * session records, the payers and payees of its agreement, and those names where its texts repeat
 * them. Its history — dates, counts, amounts, outcome — stays for the statistics.
 */
const NAMES = ['王强', '李四', '赵调解', '某财产保险公司'];

const mediation: Mediation = {
  body: 'mediation-city-traffic-accident',
  referredBy: 'community-xiling-shengli-silu',
  referredAt: '2026-03-09T09:00:00.000+08:00',
  note: '王强同意调解',
  status: 'fulfilled',
  windowStartedAt: '2026-03-10T09:00:00.000+08:00',
  acceptDueAt: '2026-03-12T09:00:00.000+08:00',
  dueAt: '2026-04-09T09:00:00.000+08:00',
  light: 'green',
  firedMilestones: [],
  breaches: 0,
  acceptedAt: '2026-03-09T10:00:00.000+08:00',
  sessions: [
    {
      at: '2026-03-10T09:00:00+08:00',
      record: '王强与李四陈述事故经过，某财产保险公司说明理赔标准。',
      participants: [
        { role: 'applicant', name: '王强' },
        { role: 'respondent', name: '李四' },
        { role: 'mediator', name: '赵调解' },
        { role: 'insurer', name: '某财产保险公司' },
      ],
      place: '调解中心第一调解室',
      recordedAt: '2026-03-10T10:00:00.000+08:00',
    },
  ],
  agreement: {
    terms: '李四赔偿王强车辆维修费。',
    amounts: [{ payer: '李四', payee: '王强', amountYuan: 12800.5, dueBy: '2026-04-10' }],
    performBy: '2026-04-10',
    signed: true,
    signedAt: '2026-03-10T11:00:00+08:00',
    at: '2026-03-10T11:00:00.000+08:00',
    reportedTo: ['city-dept-traffic-police'],
  },
  concludedOnTime: true,
  fulfilment: { fulfilled: true, note: '李四已付清', at: '2026-04-08T09:00:00.000+08:00', onTime: true },
  endedAt: '2026-04-08T09:00:00.000+08:00',
};

function mediatedCase(fields: Partial<CaseRecord> = {}): CaseRecord {
  const { record } = acceptCase(
    { title: '两车追尾赔偿', description: '夷陵大道两车追尾，车损协商不成。', category: 'road-traffic-accident', reportedVia: 'visit', complainant: { name: '王强', phone: '13800138000' } },
    {
      caller: { sub: 'c', unit: 'community-xiling-shengli-silu', role: 'community' },
      id: 'case-1',
      nowMs: at('2026-03-09T09:00:00'),
      directory: defaultDirectory,
      calendar: defaultCalendar,
      routingRules: defaultRoutingRules,
    },
  );
  return { ...record, mediations: [mediation], ...fields };
}

const printedFile = (record: CaseRecord) => documentsOf(record).map((d) => renderDocument(record, d.kind, defaultDirectory) ?? '').join('\n');

test('the file names the parties before the erasure, and none of them after it', () => {
  const before = mediatedCase();
  const printed = printedFile(before);
  for (const name of NAMES) expect(printed).toContain(name);

  const erased = erasePersonalData(before, 'request', '2026-05-01T09:00:00.000+08:00')!.record;
  const after = printedFile(erased);
  expect(after).toContain(ERASED_NAME);
  for (const name of NAMES) {
    expect(after).not.toContain(name);
    expect(JSON.stringify(erased)).not.toContain(name);
  }
  expect(erased.complainant).toBeUndefined();
  // The same documents are still in the file.
  expect(documentsOf(erased)).toEqual(documentsOf(before));
});

test('names become the erased mark by role; the history, counts and amounts stay', () => {
  const [m] = eraseMediationNames([mediation], '王强');
  expect(m!.sessions[0]!.participants).toEqual([
    { role: 'applicant', name: ERASED_NAME },
    { role: 'respondent', name: ERASED_NAME },
    { role: 'mediator', name: ERASED_NAME },
    { role: 'insurer', name: ERASED_NAME },
  ]);
  expect(m!.agreement!.amounts).toEqual([{ payer: ERASED_NAME, payee: ERASED_NAME, amountYuan: 12800.5, dueBy: '2026-04-10' }]);
  expect(m!.agreement!.terms).toBe(`${ERASED_NAME}赔偿${ERASED_NAME}车辆维修费。`);
  expect(m!.sessions[0]!.record).toBe(`${ERASED_NAME}与${ERASED_NAME}陈述事故经过，${ERASED_NAME}说明理赔标准。`);
  expect(m!.note).toBe(`${ERASED_NAME}同意调解`);
  expect(m!.fulfilment!.note).toBe(`${ERASED_NAME}已付清`);
  // Everything but the names is as it was.
  const { note: _n, sessions: _s, agreement: _a, fulfilment: _f, ...rest } = m!;
  const { note: _n0, sessions: _s0, agreement: _a0, fulfilment: _f0, ...restBefore } = mediation;
  expect(rest).toEqual(restBefore);
  expect({ ...m!.agreement!, terms: '', amounts: [] }).toEqual({ ...mediation.agreement!, terms: '', amounts: [] });
  expect({ ...m!.fulfilment!, note: '' }).toEqual({ ...mediation.fulfilment!, note: '' });
  expect(m!.sessions.map(({ at, recordedAt, place }) => ({ at, recordedAt, place }))).toEqual(mediation.sessions.map(({ at, recordedAt, place }) => ({ at, recordedAt, place })));

  // The statistics read the same.
  expect(mediationStatistics([erasePersonalData(mediatedCase(), 'retention', '2029-05-01T00:00:00.000+08:00')!.record], defaultDirectory)).toEqual(
    mediationStatistics([mediatedCase()], defaultDirectory),
  );
});

test('a one-character name is erased where it is a name, but not looked for in free text', () => {
  const single = { ...mediation, sessions: [{ ...mediation.sessions[0]!, record: '双方到场。', participants: [{ role: 'witness' as const, name: '方' }] }], agreement: undefined };
  const [m] = eraseMediationNames([single]);
  expect(m!.sessions[0]!.participants[0]!.name).toBe(ERASED_NAME);
  expect(m!.sessions[0]!.record).toBe('双方到场。');
});

test('a case whose complainant is gone still has its mediation names to erase; once they are gone there is nothing left', () => {
  const { complainant: _gone, ...withoutComplainant } = mediatedCase();
  expect(holdsPersonalData(withoutComplainant)).toBe(true);
  const erased = erasePersonalData(withoutComplainant, 'request', '2026-05-01T09:00:00.000+08:00');
  expect(erased?.record.mediations![0]!.agreement!.amounts[0]!.payer).toBe(ERASED_NAME);
  expect(holdsPersonalData(erased!.record)).toBe(false);
  expect(erasePersonalData(erased!.record, 'request', '2026-05-02T09:00:00.000+08:00')).toBeUndefined();
});

test('the timeline notes that repeat a name are rewritten without it; the others are left alone', () => {
  const timeline = [
    { seq: 1, note: '王强来访反映' },
    { seq: 2 },
    { seq: 3, note: '双方均同意人民调解' },
    { seq: 4, note: '李四赔偿王强车辆维修费。' },
  ];
  const erased = erasePersonalData(mediatedCase(), 'request', '2026-05-01T09:00:00.000+08:00', undefined, timeline);
  expect(erased?.notes).toEqual([
    { seq: 1, note: `${ERASED_NAME}来访反映` },
    { seq: 4, note: `${ERASED_NAME}赔偿${ERASED_NAME}车辆维修费。` },
  ]);
});
