/**
 * Mediation's texts for people, in Chinese and English: its timeline events and alerts (spread
 * into the catalogue, texts/catalogue.ts), its refusals and field messages (spread into
 * texts/refusals.ts) and its notifications (texts/notifications.ts). Params arrive formatted:
 * `body` is a unit and reads as its name.
 */
import type { CatalogueEntry } from '../texts/catalogue';

type Entries = Record<string, CatalogueEntry>;
const note = (text: string, n: string, sep: string) => (n ? `${text}${sep}${n}` : text);

export const ADVICE_WORDS: Readonly<Record<string, readonly [string, string]>> = {
  litigation: ['向人民法院起诉', 'go to court'],
  arbitration: ['申请仲裁', 'apply for arbitration'],
  'administrative-decision': ['申请行政机关处理', 'ask an administrative authority to decide'],
};
const advice = (key: string, lang: 0 | 1) => ADVICE_WORDS[key]?.[lang] ?? key;
const PHASE_ZH: Record<string, string> = { accept: '受理', mediate: '调解', fulfil: '登记履行情况' };
const PHASE_EN: Record<string, string> = { accept: 'accept or decline the referral', mediate: 'conclude the mediation', fulfil: 'record the fulfilment' };
const WHY_ZH: Record<string, string> = { declined: '调解组织不予受理', failed: '调解不成', fulfilled: '调解协议已履行', unfulfilled: '调解协议未履行' };
const WHY_EN: Record<string, string> = { declined: 'the body declined', failed: 'the mediation failed', fulfilled: 'the agreement was carried out', unfulfilled: 'the agreement was not carried out' };

export const MEDIATION_EVENT_TEXTS = {
  MEDIATION_REFERRED: {
    'zh-CN': (p) => note(`${p.actorUnit}将事项移交${p.body}调解，请于${p.acceptDueAt}前受理`, p.note, '：'),
    en: (p) => note(`${p.actorUnit} referred the case to ${p.body} for mediation; to be accepted by ${p.acceptDueAt}`, p.note, ': '),
  },
  MEDIATION_ACCEPTED: {
    'zh-CN': (p) => `${p.body}受理调解，须于${p.dueAt}前调结`,
    en: (p) => `${p.body} accepted the mediation; to be concluded by ${p.dueAt}`,
  },
  MEDIATION_DECLINED: { 'zh-CN': (p) => note(`${p.body}不予受理调解`, p.note, '：'), en: (p) => note(`${p.body} declined to mediate`, p.note, ': ') },
  MEDIATION_SESSION: {
    'zh-CN': (p) => `${p.body}第 ${p.number} 次调解（${p.sessionAt}，${p.participants} 人参加）`,
    en: (p) => `${p.body} held mediation session ${p.number} (${p.sessionAt}, ${p.participants} taking part)`,
  },
  MEDIATION_AGREEMENT: {
    'zh-CN': (p) => `${p.body}调解成功，双方签署调解协议（${p.signedAt}），涉及金额 ${p.totalYuan} 元，须于 ${p.performBy} 前履行${p.units ? `；协议已报送${p.units}` : ''}`,
    en: (p) => `${p.body}: agreement signed by the parties (${p.signedAt}), ${p.totalYuan} yuan, to be carried out by ${p.performBy}${p.units ? `; reported to ${p.units}` : ''}`,
  },
  MEDIATION_FAILED: {
    'zh-CN': (p) => note(`${p.body}调解不成，已告知当事人可${advice(p.advice, 0)}`, p.note, '：'),
    en: (p) => note(`${p.body}: mediation failed; the parties were advised to ${advice(p.advice, 1)}`, p.note, ': '),
  },
  MEDIATION_FULFILLED: { 'zh-CN': (p) => note(`${p.body}登记：调解协议已履行`, p.note, '：'), en: (p) => note(`${p.body}: the agreement was carried out`, p.note, ': ') },
  MEDIATION_NOT_FULFILLED: {
    'zh-CN': (p) => note(`${p.body}登记：调解协议未履行`, p.note, '：'),
    en: (p) => note(`${p.body}: the agreement was not carried out`, p.note, ': '),
  },
  MEDIATION_BACK_TO_HOLDER: {
    'zh-CN': (p) => `${WHY_ZH[p.why] ?? p.why}，事项交回${p.unit}，须于${p.dueAt}前${p.signedOff === 'true' ? '办结' : '签收'}`,
    en: (p) => `${WHY_EN[p.why] ?? p.why}: the case is back with ${p.unit}, ${p.signedOff === 'true' ? 'result' : 'sign-off'} due by ${p.dueAt}`,
  },
  MEDIATION_WINDOW_REOPENED: {
    'zh-CN': (p) => `${p.body}重新计时，须于${p.dueAt}前${PHASE_ZH[p.phase] ?? p.phase}`,
    en: (p) => `${p.body} has a new window: ${PHASE_EN[p.phase] ?? p.phase} by ${p.dueAt}`,
  },
  MEDIATION_WARNING: {
    'zh-CN': (p) => `调解预警：${p.body}已用去 ${p.percent}% 时限，须于${p.dueAt}前${PHASE_ZH[p.phase] ?? p.phase}`,
    en: (p) => `Mediation warning: ${p.body} has used ${p.percent}% of its window; must ${PHASE_EN[p.phase] ?? p.phase} by ${p.dueAt}`,
  },
  MEDIATION_OVERDUE: {
    'zh-CN': (p) => `调解超时（红灯）：${p.body}未在${p.dueAt}前${PHASE_ZH[p.phase] ?? p.phase}`,
    en: (p) => `Mediation overdue (red): ${p.body} did not ${PHASE_EN[p.phase] ?? p.phase} by ${p.dueAt}`,
  },
  MEDIATION_UNFULFILLED: {
    'zh-CN': (p) => note(`调解协议未履行：${p.body}登记协议未按期履行，事项交回${p.unit}办理`, p.note, '：'),
    en: (p) => note(`Agreement not carried out: ${p.body} recorded it; the case is back with ${p.unit}`, p.note, ': '),
  },
} satisfies Entries;

/** Refusals (problem details). */
export const MEDIATION_ERROR_TEXTS = {
  'mediation-refer-who': {
    'zh-CN': (p) => `只有责任单位（${p.assignedUnit}），或受理时的社区（${p.originUnit}），可以移交调解。`,
    en: (p) => `Only the unit holding the case (${p.assignedUnit}), or the accepting community (${p.originUnit}) at intake, refers it to mediation.`,
  },
  'mediation-open': { 'zh-CN': (p) => `事项正在由${p.body}调解，不能再次移交或办理。`, en: (p) => `The case is being mediated by ${p.body}; it cannot be referred or handled now.` },
  'mediation-agreed-already': { 'zh-CN': () => '此事项已达成调解协议，不能再次移交调解。', en: () => 'The case already has a mediation agreement; it is not referred again.' },
  'mediation-declined-already': { 'zh-CN': (p) => `${p.body}已不予受理此事项，请另选调解组织。`, en: (p) => `${p.body} already declined this case; choose another body.` },
  'mediation-tried-already': { 'zh-CN': (p) => `${p.body}已调解过此事项且未成，请另选调解组织。`, en: (p) => `${p.body} already mediated this case without success; choose another body.` },
  'mediation-not-referred-to-you': { 'zh-CN': (p) => `此事项未移交${p.callerUnit}调解。`, en: (p) => `This case was not referred to ${p.callerUnit}.` },
  'mediation-not-yours-now': { 'zh-CN': (p) => `${p.callerUnit}对此事项的调解已结束。`, en: (p) => `${p.callerUnit}'s mediation of this case has ended.` },
  'mediation-step': {
    'zh-CN': (p) => `调解当前为“${p.mediationStatus}”，不能${p.action}。请刷新查看最新进展。`,
    en: (p) => `The mediation is ${p.mediationStatus}; ${p.action} does not fit this step. Reload it to see where it stands.`,
  },
  'mediation-no-session': { 'zh-CN': () => '尚未记录调解笔录，不能结束调解。', en: () => 'No session has been recorded yet: a mediation ends after at least one.' },
  'document-not-found': { 'zh-CN': (p) => `此事项没有文书 ${p.document}。`, en: (p) => `This case has no document ${p.document}.` },
  'documents-parties-only': {
    'zh-CN': (p) => `调解文书只提供给事项的当事单位和监管中心，${p.callerUnit}无权下载。`,
    en: (p) => `Mediation documents are for the parties to the case and the supervision centre; ${p.callerUnit} may not download them.`,
  },
  'mediation-statistics-readers': {
    'zh-CN': () => '调解统计供监管中心、审计和调解组织查看。',
    en: () => 'Mediation statistics are for the supervision centre, auditors and mediation bodies.',
  },
} satisfies Entries;

/** Field messages (400 with the field at fault). */
export const MEDIATION_FIELD_TEXTS = {
  'mediation-body-kind': {
    'zh-CN': (p) => `${p.unitId}是${p.kind}，不是调解组织；请选择人民调解委员会、行政调解或诉调、警调、检调对接调解室`,
    en: (p) => `${p.unitId} is a ${p.kind}, not a mediation body; choose a mediation committee or desk`,
  },
  'mediation-body-sector': {
    'zh-CN': (p) => `${p.unitId}是专业调解组织，只调解其所属类别的纠纷`,
    en: (p) => `${p.unitId} is a sector committee and mediates its own categories only (${p.categories})`,
  },
  'agreement-terms': { 'zh-CN': () => '调解协议须写明协议内容', en: () => 'an agreement states its terms' },
  'agreement-signed': { 'zh-CN': () => '调解协议须经双方当事人签字（signed 为 true）', en: () => 'an agreement is signed by the parties (signed: true)' },
  'agreement-signed-at': { 'zh-CN': () => '请填写双方签字的时间', en: () => 'give the time the parties signed' },
  'agreement-signed-future': { 'zh-CN': () => '签字时间不能晚于现在', en: () => 'the signing cannot be in the future' },
  'agreement-no-advice': { 'zh-CN': () => '调解成功时不填写不成原因或建议', en: () => 'an agreement has no failure reason or advice' },
  'agreement-perform-by': { 'zh-CN': () => '请填写履行期限（performBy）或各项给付的期限', en: () => 'give the day it is to be carried out by (performBy) or the payments with their days' },
  'agreement-amount': { 'zh-CN': (p) => `金额须大于零、最多两位小数，且不超过 ${p.max} 元`, en: (p) => `an amount above zero, to the fen, at most ${p.max} yuan` },
  'session-in-future': { 'zh-CN': () => '调解时间不能晚于现在：调解结束后再记录笔录', en: () => 'a session is recorded once held: its time cannot be in the future' },
  'failure-reason': { 'zh-CN': () => '调解不成须写明原因', en: () => 'a failed mediation states why' },
  'failure-advice': {
    'zh-CN': () => '调解不成须写明对当事人的建议：起诉（litigation）、仲裁（arbitration）或行政处理（administrative-decision）',
    en: () => 'a failed mediation states the advice given: litigation, arbitration or administrative-decision',
  },
  'failure-no-terms': { 'zh-CN': () => '调解不成时不填写协议内容、金额或签字', en: () => 'a failed mediation has no terms, amounts or signatures' },
} satisfies Entries;

/** Notifications (texts/notifications.ts). */
export const MEDIATION_NOTIFICATION_TEXTS = {
  MEDIATION_REFERRED: {
    'zh-CN': (p) => `「${p.title}」移交${p.unit}调解，请于${p.acceptDueAt}前受理。`,
    en: (p) => `"${p.title}" referred to ${p.unit} for mediation: accept by ${p.acceptDueAt}.`,
  },
  MEDIATION_AGREEMENT: {
    'zh-CN': (p) => `「${p.title}」经${p.body}调解达成协议，须于 ${p.performBy} 前履行，请备案。`,
    en: (p) => `"${p.title}": ${p.body} brokered an agreement, to be carried out by ${p.performBy}; for your records.`,
  },
  MEDIATION_WARNING: {
    'zh-CN': (p) => `「${p.title}」调解须于${p.dueAt}前完成，请${p.unit}抓紧。`,
    en: (p) => `"${p.title}": ${p.unit} must conclude the mediation step by ${p.dueAt}.`,
  },
  MEDIATION_OVERDUE: {
    'zh-CN': (p) => `「${p.title}」调解已超期（${p.dueAt}），${p.unit}亮红灯。`,
    en: (p) => `"${p.title}": ${p.unit} is past the mediation deadline (${p.dueAt}); red light.`,
  },
  MEDIATION_UNFULFILLED: {
    'zh-CN': (p) => `「${p.title}」调解协议未履行，事项交回${p.unit}办理。`,
    en: (p) => `"${p.title}": the agreement was not carried out; the case is back with ${p.unit}.`,
  },
} satisfies Entries;
