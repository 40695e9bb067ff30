/**
 * The case's file (一案一档) as the case lists it: which documents it has so far, and the
 * referrals as a reader may see them. Small on purpose: every case read loads it; the documents
 * themselves are written by documents.ts, which only the documents' route loads.
 */
import type { CaseRecord } from '../case';
import type { Mediation } from './model';

export const DOCUMENT_KINDS = ['application', 'registration', 'rights-notice', 'session-record', 'agreement', 'delivery-receipt', 'follow-up'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_TITLES: Readonly<Record<DocumentKind, string>> = {
  application: '人民调解申请书',
  registration: '人民调解受理登记表',
  'rights-notice': '人民调解当事人权利义务告知书',
  'session-record': '人民调解笔录',
  agreement: '人民调解协议书',
  'delivery-receipt': '调解协议书送达回执',
  'follow-up': '人民调解回访记录',
};

export interface DocumentEntry {
  /** The document's name in the file and its route: `session-record-2` for the second session. */
  readonly kind: string;
  readonly at: string;
  readonly href: string;
  readonly title: string;
}

/** The documents of the case's file so far, in the order of the file. Only the last referral's: it is the one that mediated. */
export function documentsOf(record: Pick<CaseRecord, 'id' | 'mediations'>): DocumentEntry[] {
  const m = mediationForFile(record);
  if (!m) return [];
  const entry = (kind: string, at: string, base: DocumentKind = kind as DocumentKind): DocumentEntry => ({
    kind,
    at,
    href: `/v1/cases/${record.id}/documents/${kind}`,
    title: m.sessions.length > 1 && base === 'session-record' ? `${DOCUMENT_TITLES[base]}（第 ${kind.split('-').at(-1)} 次）` : DOCUMENT_TITLES[base],
  });
  const out: DocumentEntry[] = [entry('application', m.referredAt)];
  if (m.acceptedAt) out.push(entry('registration', m.acceptedAt), entry('rights-notice', m.acceptedAt));
  m.sessions.forEach((s, i) => out.push(entry(`session-record-${i + 1}`, s.recordedAt, 'session-record')));
  if (m.agreement) out.push(entry('agreement', m.agreement.at), entry('delivery-receipt', m.agreement.at));
  const followUpAt = m.fulfilment?.at ?? m.failure?.at;
  if (followUpAt) out.push(entry('follow-up', followUpAt));
  return out;
}

/** The referral whose file the case shows: the last one a body accepted, else the last one. */
export function mediationForFile(record: Pick<CaseRecord, 'mediations'>): Mediation | undefined {
  const all = record.mediations ?? [];
  return all.findLast((m) => m.acceptedAt !== undefined) ?? all.at(-1);
}

/** How a name shows to a reader who may not see personal data (an auditor, an operator, a unit not involved). */
export const WITHHELD_NAME = '（已隐去）';

/** The referrals as a reader sees them: the parties' names (session participants, payers and payees) only for those who may see personal data. */
export function mediationsForView(mediations: readonly Mediation[], seesPersonalData: boolean): Mediation[] {
  if (seesPersonalData) return [...mediations];
  return mediations.map((m) => ({
    ...m,
    sessions: m.sessions.map((s) => ({ ...s, participants: s.participants.map((p) => ({ ...p, name: WITHHELD_NAME })) })),
    ...(m.agreement ? { agreement: { ...m.agreement, amounts: m.agreement.amounts.map((a) => ({ ...a, payer: WITHHELD_NAME, payee: WITHHELD_NAME })) } } : {}),
  }));
}
