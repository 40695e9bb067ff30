import type { CaseRecord, TimelineEvent } from '../../../functions/domain/case';
import { defaultDirectory } from '../../../functions/domain/directory';
import { loadContacts } from '../../../functions/domain/notifications/contacts';
import contactsJson from '../../../config/contacts.json';
import { NOTIFICATION_RULES, notificationsFor, partiesOf } from '../../../functions/domain/notifications/rules';
import { NOTIFICATION_TEXTS, renderNotification, smsSegments, type NotificationCode } from '../../../functions/domain/texts/notifications';
import { EVENT_TEXTS } from '../../../functions/domain/texts/catalogue';
// Mediation's events join the catalogue where they are rendered (functions/domain/mediation/event-texts.ts), as in the workflow and the case view.
import '../../../functions/domain/mediation/event-texts';
import { dispatchCase } from '../../../functions/notify/dispatcher';
import type { Notification } from '../../../functions/domain/notifications/rules';

const contacts = loadContacts(contactsJson);
const ctx = { directory: defaultDirectory, contacts };
const STREET = 'street-xiling-xiling';
const record = {
  id: 'case-1',
  title: '楼道堆放杂物',
  originUnit: 'community-xiling-shengli-silu',
  assignedUnit: STREET,
  involvedUnits: [STREET],
  district: 'xiling',
  signOffDueAt: '2026-03-10T01:00:00.000Z',
  resolveDueAt: '2026-03-16T01:00:00.000Z',
  trackingCode: 'K7Q2-M9XD-4',
  complainant: { name: '张明', phone: '13800138000' },
  handler: { name: '李娟', phone: '13700137000' },
  resolution: { summary: '已清理', outcome: '楼道已畅通' },
} as unknown as CaseRecord;
const event = (seq: number, type: string, extra: Partial<TimelineEvent> = {}): TimelineEvent => ({ seq, at: '2026-03-09T01:00:00.000Z', type, unit: STREET, ...extra });

describe('who is told what', () => {
  it('every rule names a text, and every cause is a timeline event the catalogue knows (or MESSAGE)', () => {
    for (const [cause, rules] of Object.entries(NOTIFICATION_RULES)) {
      expect({ cause, known: cause === 'MESSAGE' || cause in EVENT_TEXTS }).toEqual({ cause, known: true });
      for (const rule of rules) expect(NOTIFICATION_TEXTS[rule.code]).toBeDefined();
    }
  });

  it('a new case: the assigned unit on every channel it has, the complainant by SMS; same ids when derived again', () => {
    const first = notificationsFor(record, event(1, 'CASE_ACCEPTED', { data: { keptInCommunity: false } }), ctx);
    expect(first.map((n) => [n.unit ?? 'citizen', n.channel, n.code])).toEqual([
      [STREET, 'sms', 'NEW_CASE'],
      [STREET, 'email', 'NEW_CASE'],
      ['citizen', 'sms', 'COMPLAINANT_ACCEPTED'],
    ]);
    expect(notificationsFor(record, event(1, 'CASE_ACCEPTED', { data: { keptInCommunity: false } }), ctx).map((n) => n.id)).toEqual(first.map((n) => n.id));
  });

  it('a case kept in the community tells only the complainant', () => {
    expect(notificationsFor(record, event(1, 'CASE_ACCEPTED', { data: { keptInCommunity: true } }), ctx).map((n) => n.unit ?? 'citizen')).toEqual(['citizen']);
  });

  it('a breach goes to the unit and the supervision centre at once, even in quiet hours', () => {
    const night = event(5, 'SIGN_OFF_OVERDUE', { at: '2026-03-09T15:00:00.000Z', data: { alert: true, dueAt: '2026-03-09T15:00:00.000Z' } });
    const told = notificationsFor(record, night, ctx).filter((n) => n.channel === 'sms');
    expect(told.map((n) => [n.unit, n.code, n.notBeforeMs])).toEqual([
      [STREET, 'SIGN_OFF_OVERDUE', Date.parse(night.at)],
      ['supervision-centre', 'SUPERVISION_BREACH', Date.parse(night.at)],
    ]);
  });

  it('a warning at night waits for the end of the unit’s quiet hours', () => {
    const night = event(4, 'SIGN_OFF_WARNING', { at: '2026-03-09T15:00:00.000Z', data: { alert: true } });
    expect(notificationsFor(record, night, ctx)[0]!.notBeforeMs).toBe(Date.parse('2026-03-10T07:30:00+08:00'));
  });

  it('the result SMS to the complainant is not derived from the timeline: it carries a PIN kept only as a hash, so the workflow writes it where it draws the PIN', () => {
    // tests/integration/citizens.test.ts reads it, with its PIN, from the local outbox; tests/integration/notifications.test.ts checks it goes once.
    expect(notificationsFor(record, event(8, 'RESOLVED'), ctx).filter((n) => n.unit === undefined)).toEqual([]);
  });

  it('the complainant’s result text names no handler and no phone, and carries the PIN', () => {
    const text = renderNotification('COMPLAINANT_RESULT', { title: '路灯不亮', outcome: '已更换灯具', pin: '042917', trackingCode: 'K7Q2-M9XD-4' }, { lang: 'zh-CN', unitName: defaultDirectory.nameOf });
    expect(text).toBe('「路灯不亮」已办结，评价码042917（凭查询码评价或申请重办）：已更换灯具');
    expect(smsSegments(text)).toBe(1);
  });

  it('co-handlers asked are each told, by their own name', () => {
    const asked = event(6, 'CO_HANDLERS_REQUESTED', { actor: { unit: STREET, role: 'agency' }, data: { units: 'city-dept-housing,district-dept-xiling-housing', signOffDueAt: '2026-03-10T01:00:00.000Z' } });
    const sms = notificationsFor(record, asked, ctx).filter((n) => n.channel === 'sms');
    expect(sms.map((n) => n.unit)).toEqual(['city-dept-housing', 'district-dept-xiling-housing']);
    expect(sms[0]!.text).toContain('宜昌市住房和城乡建设局'.slice(0, 3));
  });

  it('a unit with a webhook is told there too', () => {
    const police = { ...record, assignedUnit: 'city-dept-public-security' } as CaseRecord;
    const channels = notificationsFor(police, event(1, 'CASE_ACCEPTED', { unit: 'city-dept-public-security', data: {} }), ctx).map((n) => n.channel);
    expect(channels).toContain('webhook');
  });

  it('the parties of a case include its origin, holders, co-handlers and the supervision centre', () => {
    expect(partiesOf(record, defaultDirectory)).toEqual(new Set(['community-xiling-shengli-silu', STREET, 'supervision-centre']));
  });
});

describe('texts', () => {
  const longest = [...defaultDirectory.all()].sort((a, b) => b.name.length - a.name.length)[0]!.id;
  const params = {
    title: '小区门口路灯损坏',
    unit: longest,
    from: longest,
    actorUnit: longest,
    dueAt: '2026-12-31T15:59:00.000Z',
    signOffDueAt: '2026-12-31T15:59:00.000Z',
    resolveDueAt: '2026-12-31T15:59:00.000Z',
    evaluationDueAt: '2026-12-31T15:59:00.000Z',
    rating: 'not-implemented',
    trackingCode: 'K7Q2-M9XD-4',
  };
  const FREE_TEXT: NotificationCode[] = ['MESSAGE', 'COMPLAINANT_RESULT'];
  it.each(Object.keys(NOTIFICATION_TEXTS).filter((code) => !FREE_TEXT.includes(code as NotificationCode)))('%s fits one SMS segment in Chinese with the longest unit name', (code) => {
    const text = renderNotification(code as NotificationCode, params, { lang: 'zh-CN', unitName: defaultDirectory.nameOf });
    expect({ text, segments: smsSegments(text) }).toEqual({ text, segments: 1 });
    expect(text).not.toContain('undefined');
  });

  it('a long title is shortened so the deadline and unit stay whole', () => {
    const text = renderNotification('NEW_CASE', { ...params, unit: STREET, title: '某小区三号楼二单元楼道长期堆放大量杂物和废旧家具严重影响消防通道和居民通行安全' }, { lang: 'zh-CN', unitName: defaultDirectory.nameOf });
    expect(smsSegments(text)).toBe(1);
    expect(text).toContain('…');
    expect(text).toContain('西陵街道办事处');
    expect(text).toContain('12月31日 23:59');
  });

  it('counts segments as providers do: 70 Chinese characters, then parts of 67', () => {
    expect(smsSegments('字'.repeat(70))).toBe(1);
    expect(smsSegments('字'.repeat(71))).toBe(2);
    expect(smsSegments('a'.repeat(160))).toBe(1);
  });
});

describe('the dispatcher', () => {
  it('hands each notification id to the sender once per dispatch and goes on after a refusal', async () => {
    const delivered: Notification[] = [];
    const sender = {
      deliver: async (n: Notification) => {
        delivered.push(n);
        return n.unit === undefined ? ({ status: 'refused', reason: 'bad number' } as const) : ({ status: 'sent' } as const);
      },
    };
    const timeline = [event(1, 'CASE_ACCEPTED', { data: { keptInCommunity: false } }), event(2, 'SIGN_OFF_WARNING', { data: { alert: true } })];
    const { results } = await dispatchCase(record, timeline, ctx, sender);
    expect(results.map((r) => r.result.status)).toEqual(['sent', 'sent', 'refused', 'sent', 'sent']);
    expect(new Set(delivered.map((n) => n.id)).size).toBe(delivered.length);
  });
});
