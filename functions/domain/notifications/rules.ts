/**
 * Who is told what, as data: for each timeline event type, the audiences told and the text
 * each gets. Every alert has its timeline event, so the timeline alone is the cause of every
 * notification; each notification's id is derived from its cause (case, event seq, recipient,
 * channel, address), so deriving twice gives the same ids and the sender can refuse a second
 * delivery. docs/notifications.md shows this table.
 */
import type { CaseRecord, TimelineEvent } from '../case';
import type { UnitDirectory } from '../directory';
import { renderNotification, type NotificationCode } from '../texts/notifications';
import { NOTIFICATION_RULES, type Audience } from './rule-table';
import { notBefore, type ContactBook } from './contacts';

export { NOTIFICATION_RULES, type Audience, type NotificationRule } from './rule-table';

export type Channel = 'sms' | 'email' | 'webhook';

export interface Notification {
  /** Stable: the same cause always gives the same id. */
  readonly id: string;
  readonly caseId: string;
  readonly seq: number;
  readonly cause: string;
  readonly code: NotificationCode;
  readonly channel: Channel;
  readonly to: string;
  /** The unit told; absent for the complainant. */
  readonly unit?: string;
  readonly urgent: boolean;
  /** When it may go out (quiet hours), epoch ms. */
  readonly notBeforeMs: number;
  readonly text: string;
  readonly textEn: string;
  /** The subject of an email. */
  readonly subject: string;
}

const list = (value: unknown): string[] => (typeof value === 'string' ? value.split(',').filter(Boolean) : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

function unitsFor(audience: Audience, record: CaseRecord, event: TimelineEvent, directory: UnitDirectory): string[] {
  const data = event.data ?? {};
  switch (audience) {
    case 'event-unit':
      return event.unit ? [event.unit] : [record.assignedUnit];
    case 'data-to':
      return list(data.to);
    case 'data-units':
      return list(data.units);
    case 'origin':
      return [record.originUnit];
    case 'supervision-centre':
      return [directory.supervisionCentre().id];
    case 'joint-conference':
      return [directory.jointConference().id];
    case 'complainant':
      return [];
  }
}

export interface NotificationContext {
  readonly directory: UnitDirectory;
  readonly contacts: ContactBook;
}

/** What one timeline event makes people be told. Pure: the same inputs give the same notifications and ids. */
export function notificationsFor(record: CaseRecord, event: TimelineEvent, ctx: NotificationContext): Notification[] {
  const rules = NOTIFICATION_RULES[event.type] ?? [];
  const atMs = Date.parse(event.at);
  const data = event.data ?? {};
  const params = {
    ...Object.fromEntries(Object.entries(data).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))),
    title: record.title,
    unit: event.unit ?? record.assignedUnit,
    ...(event.actor ? { actorUnit: event.actor.unit } : {}),
    ...(event.note ? { note: event.note } : {}),
    signOffDueAt: (data.signOffDueAt as string | undefined) ?? record.signOffDueAt,
    evaluationDueAt: record.evaluationDueAt,
    resolveDueAt: (data.resolveDueAt as string | undefined) ?? record.resolveDueAt,
    trackingCode: record.trackingCode,
    outcome: record.resolution?.outcome,
  } as Record<string, string | number | boolean | undefined>;
  const text = (code: NotificationCode, p: typeof params, lang: 'zh-CN' | 'en') => renderNotification(code, p, { lang, unitName: ctx.directory.nameOf, referenceMs: atMs });
  const out: Notification[] = [];
  for (const rule of rules) {
    if (rule.skipIf && data[rule.skipIf] === true) continue;
    const cause = rule.oncePerCase ? rule.code : String(event.seq);
    if (rule.audience === 'complainant') {
      const phone = record.complainant?.phone;
      if (!phone) continue;
      out.push({
        id: `${record.id}:${cause}:complainant:sms`,
        caseId: record.id,
        seq: event.seq,
        cause: event.type,
        code: rule.code,
        channel: 'sms',
        to: phone,
        urgent: rule.urgent,
        notBeforeMs: atMs,
        text: text(rule.code, params, 'zh-CN'),
        textEn: text(rule.code, params, 'en'),
        subject: record.title,
      });
      continue;
    }
    for (const unit of new Set(unitsFor(rule.audience, record, event, ctx.directory))) {
      // The text names the unit told (a co-handler, a new holder) where the rule is about it.
      const own = rule.audience === 'data-units' || rule.audience === 'data-to' ? { ...params, unit } : params;
      const contacts = ctx.contacts.of(unit);
      if (!contacts) continue;
      const when = rule.urgent ? atMs : notBefore(contacts, atMs);
      const addresses: Array<[Channel, string]> = [
        ...contacts.sms.map((to): [Channel, string] => ['sms', to]),
        ...contacts.email.map((to): [Channel, string] => ['email', to]),
        ...(contacts.webhook ? [['webhook', contacts.webhook] as [Channel, string]] : []),
      ];
      const zh = text(rule.code, own, 'zh-CN');
      const en = text(rule.code, own, 'en');
      for (const [channel, to] of addresses) {
        out.push({
          id: `${record.id}:${cause}:${rule.code}:${unit}:${channel}:${to}`,
          caseId: record.id,
          seq: event.seq,
          cause: event.type,
          code: rule.code,
          channel,
          to,
          unit,
          urgent: rule.urgent,
          notBeforeMs: when,
          text: zh,
          textEn: en,
          subject: record.title,
        });
      }
    }
  }
  return out;
}

/** The units that are party to a case: who may write on it and be written to. */
export function partiesOf(record: CaseRecord, directory: UnitDirectory): Set<string> {
  return new Set([
    record.originUnit,
    record.assignedUnit,
    ...record.involvedUnits,
    ...(record.coHandlers ?? []).map((part) => part.unit),
    directory.supervisionCentre().id,
  ]);
}
