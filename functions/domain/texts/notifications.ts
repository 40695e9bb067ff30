/**
 * The SMS and email texts notifications are written from: short and plain, one SMS segment
 * (70 Chinese characters) where the case title allows (see renderNotification: a long title is
 * shortened, never the deadline or the unit). Params arrive formatted (format.ts): units by
 * name, instants in Asia/Shanghai. Nothing about the complainant goes to units beyond what the
 * unit may read already (the title); the complainant's texts never name a handler or a phone.
 */
import type { CatalogueEntry } from './catalogue';
import { formatParams, type Params, type TextContext } from './format';
import { MEDIATION_NOTIFICATION_TEXTS } from '../mediation/texts';

export const NOTIFICATION_TEXTS = {
  NEW_CASE: {
    'zh-CN': (p) => `新案件「${p.title}」交${p.unit}办理，请于${p.signOffDueAt}前签收。`,
    en: (p) => `New case "${p.title}" for ${p.unit}: sign off by ${p.signOffDueAt}.`,
  },
  SIGN_OFF_WARNING: {
    'zh-CN': (p) => `「${p.title}」将于${p.dueAt}超过签收期限，请${p.unit}尽快签收。`,
    en: (p) => `"${p.title}": ${p.unit} must sign off by ${p.dueAt}.`,
  },
  SIGN_OFF_OVERDUE: {
    'zh-CN': (p) => `「${p.title}」已超过签收期限（${p.dueAt}），${p.unit}亮红灯并提级督办。`,
    en: (p) => `"${p.title}": ${p.unit} missed the sign-off deadline (${p.dueAt}); red light, escalated.`,
  },
  HANDLING_WARNING: {
    'zh-CN': (p) => `「${p.title}」须于${p.dueAt}前办结，请${p.unit}抓紧办理。`,
    en: (p) => `"${p.title}": ${p.unit} must report the result by ${p.dueAt}.`,
  },
  HANDLING_OVERDUE: {
    'zh-CN': (p) => `「${p.title}」已超过办结期限（${p.dueAt}），${p.unit}亮红灯并提级督办。`,
    en: (p) => `"${p.title}": ${p.unit} missed the result deadline (${p.dueAt}); red light, escalated.`,
  },
  SUPERVISION_BREACH: {
    'zh-CN': (p) => `监管提示：${p.unit}「${p.title}」已超期（${p.dueAt}），请督办。`,
    en: (p) => `Supervision: ${p.unit} is late on "${p.title}" (due ${p.dueAt}).`,
  },
  URGED: {
    'zh-CN': (p) => `监管中心督办「${p.title}」，请${p.unit}于${p.dueAt}前办理。`,
    en: (p) => `The supervision centre urges ${p.unit} on "${p.title}": due ${p.dueAt}.`,
  },
  EXTENSION_APPROVED: {
    'zh-CN': (p) => `「${p.title}」延期已批准，办结期限延至${p.resolveDueAt}。`,
    en: (p) => `"${p.title}": extension approved; the result is due by ${p.resolveDueAt}.`,
  },
  EXTENSION_REFUSED: {
    'zh-CN': (p) => `「${p.title}」延期申请未获批准，请按原期限办结。`,
    en: (p) => `"${p.title}": extension refused; the deadline stands.`,
  },
  ESCALATED: {
    'zh-CN': (p) => `「${p.title}」由${p.from}提级至${p.unit}，请于${p.dueAt}前签收。`,
    en: (p) => `"${p.title}" escalated from ${p.from} to ${p.unit}: sign off by ${p.dueAt}.`,
  },
  CONFERENCE_REQUIRED: {
    'zh-CN': (p) => `「${p.title}」已提交联席会议，请安排会商。`,
    en: (p) => `"${p.title}" goes to the joint conference: please convene.`,
  },
  REASSIGNED: {
    'zh-CN': (p) => `改派案件「${p.title}」交${p.unit}办理，请于${p.signOffDueAt}前签收。`,
    en: (p) => `Case "${p.title}" reassigned to ${p.unit}: sign off by ${p.signOffDueAt}.`,
  },
  RESULT_TO_ORIGIN: {
    'zh-CN': (p) => `「${p.title}」已由${p.unit}办结，请于${p.evaluationDueAt}前评价。`,
    en: (p) => `"${p.title}" resolved by ${p.unit}: evaluate by ${p.evaluationDueAt}.`,
  },
  UNSATISFIED_TO_ORIGIN: {
    'zh-CN': (p) => `「${p.title}」评价${p.rating}，已交${p.unit}重新办理，须于${p.dueAt}前办结。`,
    en: (p) => `"${p.title}" rated ${p.rating}: ${p.unit} works on it again, due ${p.dueAt}.`,
  },
  UNSATISFIED_TO_SUPERVISION: {
    'zh-CN': (p) => `监管提示：「${p.title}」评价${p.rating}，${p.unit}重新办理。`,
    en: (p) => `Supervision: "${p.title}" rated ${p.rating}; ${p.unit} works on it again.`,
  },
  RETURNED: {
    'zh-CN': (p) => `「${p.title}」被${p.unit}退回，请重新派遣。`,
    en: (p) => `"${p.title}" was returned by ${p.unit}: please re-route it.`,
  },
  CO_HANDLE_REQUESTED: {
    'zh-CN': (p) => `${p.actorUnit}请${p.unit}协办「${p.title}」，请于${p.signOffDueAt}前签收。`,
    en: (p) => `${p.actorUnit} asks ${p.unit} to help on "${p.title}": sign off by ${p.signOffDueAt}.`,
  },
  CO_HANDLER_WARNING: {
    'zh-CN': (p) => `「${p.title}」协办事项将于${p.dueAt}到期，请${p.unit}尽快办理。`,
    en: (p) => `"${p.title}": ${p.unit}'s part is due by ${p.dueAt}.`,
  },
  CO_HANDLER_OVERDUE: {
    'zh-CN': (p) => `「${p.title}」协办事项已超期（${p.dueAt}），请${p.unit}尽快办理。`,
    en: (p) => `"${p.title}": ${p.unit}'s part is overdue (${p.dueAt}).`,
  },
  MESSAGE: {
    'zh-CN': (p) => `${p.actorUnit}就「${p.title}」留言：${p.note}`,
    en: (p) => `${p.actorUnit} on "${p.title}": ${p.note}`,
  },
  COMPLAINANT_ACCEPTED: {
    'zh-CN': (p) => `您反映的「${p.title}」已受理，查询码${p.trackingCode}，可凭码查询办理进度。`,
    en: (p) => `Your complaint "${p.title}" was accepted. Tracking code: ${p.trackingCode}.`,
  },
  /** With the PIN (评价码) that lets the complainant rate the result, or reopen the case, with the tracking code. */
  REOPENED_TO_UNIT: {
    'zh-CN': (p) => `「${p.title}」已申请重新办理，请${p.unit}于${p.resolveDueAt}前办结。`,
    en: (p) => `"${p.title}" was reopened: ${p.unit} must report a result by ${p.resolveDueAt}.`,
  },
  COMPLAINANT_RESULT: {
    'zh-CN': (p) => (p.pin ? `「${p.title}」已办结，评价码${p.pin}（凭查询码评价或申请重办）：${p.outcome}` : `您反映的「${p.title}」已办结：${p.outcome}`),
    en: (p) => (p.pin ? `"${p.title}" resolved. PIN ${p.pin} (rate it or reopen it with your tracking code): ${p.outcome}` : `Your complaint "${p.title}" was resolved: ${p.outcome}`),
  },
  ...MEDIATION_NOTIFICATION_TEXTS,
} as const satisfies Record<string, CatalogueEntry>;

export type NotificationCode = keyof typeof NOTIFICATION_TEXTS;

/** One SMS segment: 70 characters when any is Chinese (UCS-2), 160 otherwise (GSM 7-bit). */
export const segmentLimit = (text: string): number => (/[^\x00-\x7f]/.test(text) ? 70 : 160);
/** Segments a text takes: long UCS-2 texts go in parts of 67, long GSM ones in parts of 153. */
export function smsSegments(text: string): number {
  const length = [...text].length;
  const limit = segmentLimit(text);
  if (length <= limit) return 1;
  return Math.ceil(length / (limit === 70 ? 67 : 153));
}

const MIN_TITLE = 6;

/**
 * A notification's text in `ctx.lang`. When it would take more than one SMS segment, the case
 * title is shortened (never below a few characters) with an ellipsis; what the unit must do and
 * by when stays whole. A free text (a message, the unit's result) may still run longer.
 */
export function renderNotification(code: NotificationCode, params: Params, ctx: TextContext): string {
  const entry: CatalogueEntry = NOTIFICATION_TEXTS[code];
  const formatted = formatParams(params, ctx);
  const text = entry[ctx.lang](formatted);
  const title = formatted.title;
  if (smsSegments(text) === 1 || [...title].length <= MIN_TITLE) return text;
  const over = [...text].length - segmentLimit(text);
  const keep = Math.max(MIN_TITLE, [...title].length - over - 1);
  const shortened = formatParams({ ...params, title: `${[...title].slice(0, keep).join('')}…` }, ctx);
  return entry[ctx.lang](shortened);
}
