/**
 * How a message's parameters read in each language: units by name, instants in Asia/Shanghai,
 * tiers, roles, statuses, actions and ratings by their words. Which formatter applies is
 * decided by the parameter's name, so every message in the catalogue reads its params alike.
 */
import type { Lang } from './language';

export type ParamValue = string | number | boolean | null | undefined;
export type Params = Readonly<Record<string, ParamValue>>;

/** What a text needs to know beyond its params: how to name a unit. */
export interface TextContext {
  readonly lang: Lang;
  /** The unit's name in `lang`, or undefined for an id the directory does not know. */
  readonly unitName?: (id: string, lang: Lang) => string | undefined;
  /** Instants in another year than this one's show their year. */
  readonly referenceMs?: number;
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** "3月10日 09:00" or "10 Mar 09:00", in Asia/Shanghai (UTC+8 all year: no daylight saving). */
export function formatShanghaiInstant(instant: string | number, lang: Lang, referenceMs?: number): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) return String(instant);
  const local = new Date(ms + SHANGHAI_OFFSET_MS);
  const year = local.getUTCFullYear();
  const showYear = referenceMs !== undefined && new Date(referenceMs + SHANGHAI_OFFSET_MS).getUTCFullYear() !== year;
  const month = local.getUTCMonth();
  const day = local.getUTCDate();
  const time = `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`;
  if (lang === 'zh-CN') return `${showYear ? `${year}年` : ''}${month + 1}月${day}日 ${time}`;
  return `${day} ${MONTHS_EN[month]}${showYear ? ` ${year}` : ''} ${time}`;
}

type Words = Readonly<Record<string, readonly [zh: string, en: string]>>;

export const TIER_WORDS: Words = {
  '0': ['责任单位', 'the responsible unit'],
  '1': ['区综治维稳信访', 'the district office'],
  '2': ['市综治维稳信访', 'the city office'],
  '3': ['联席会议', 'the joint conference'],
};

export const ROLE_WORDS: Words = {
  community: ['社区', 'community'],
  agency: ['责任单位', 'agency'],
  'district-office': ['区综治维稳信访', 'district office'],
  'city-office': ['市综治维稳信访', 'city office'],
  conference: ['联席会议', 'joint conference'],
  supervisor: ['监管中心', 'supervisor'],
  auditor: ['审计', 'auditor'],
  operator: ['运维', 'operator'],
  mediator: ['调解员', 'mediator'],
};

export const STATUS_WORDS: Words = {
  'awaiting-sign-off': ['待签收', 'awaiting sign-off'],
  'in-progress': ['办理中', 'in progress'],
  'awaiting-evaluation': ['待评价', 'awaiting evaluation'],
  returned: ['已退回', 'returned'],
  closed: ['已办结', 'closed'],
};

export const ACTION_WORDS: Words = {
  'sign-off': ['签收', 'sign off'],
  progress: ['添加办理进展', 'add a progress note'],
  resolve: ['办结', 'resolve'],
  escalate: ['提级', 'escalate'],
  return: ['退回', 'return'],
  'request-extension': ['申请延期', 'ask for an extension'],
  extension: ['申请延期', 'ask for an extension'],
  evaluate: ['评价', 'evaluate'],
  urge: ['督办', 'urge'],
  reassign: ['改派', 'reassign'],
  'approve-extension': ['批准延期', 'approve the extension'],
  'refuse-extension': ['不同意延期', 'refuse the extension'],
  supervise: ['督办', 'supervise'],
  'erase-complainant': ['删除投诉人信息', "erase the complainant's data"],
  'co-handle': ['请协办', 'ask units to co-handle'],
  'co-handler-sign-off': ['签收协办', 'sign off a part'],
  'co-handler-reply': ['答复协办', 'reply on a part'],
  'co-handler-return': ['退回协办', 'return a part'],
  'waive-co-handler': ['免除协办答复', 'waive a reply'],
  mediate: ['移交调解', 'refer to mediation'],
  'refer-mediation': ['移交调解', 'refer to mediation'],
  'mediation-accept': ['受理调解', 'accept the mediation'],
  'mediation-decline': ['不予受理调解', 'decline the mediation'],
  'mediation-session': ['记录调解笔录', 'record a session'],
  'mediation-sessions': ['记录调解笔录', 'record a session'],
  'mediation-outcome': ['登记调解结果', 'record the outcome'],
  'mediation-fulfilment': ['登记协议履行情况', 'record the fulfilment'],
  'complainant-evaluate': ['评价', 'rate the result'],
  evaluation: ['评价', 'rate the result'],
  'follow-up': ['回访', 'record a follow-up call'],
  reopen: ['申请重办', 'reopen the case'],
};

export const CO_HANDLER_STATUS_WORDS: Words = {
  requested: ['待签收', 'requested'],
  'signed-off': ['已签收', 'signed off'],
  replied: ['已答复', 'replied'],
  returned: ['已退回', 'returned'],
  waived: ['已免除', 'waived'],
};

export const RATING_WORDS: Words = {
  satisfied: ['满意', 'satisfied'],
  unsatisfied: ['不满意', 'unsatisfied'],
  'not-implemented': ['未落实', 'not implemented'],
};

export const UNIT_KIND_WORDS: Words = {
  community: ['社区', 'community'],
  'street-office': ['街道办事处', 'street office'],
  'district-department': ['区直部门', 'district department'],
  'city-department': ['市直部门', 'city department'],
  'district-office': ['区综治维稳信访', 'district office'],
  'city-office': ['市综治维稳信访', 'city office'],
  'joint-conference': ['联席会议', 'joint conference'],
  'supervision-centre': ['监管中心', 'supervision centre'],
  'mediation-committee': ['调解组织', 'mediation body'],
};

const UNIT_PARAMS = new Set(['unit', 'from', 'to', 'actorUnit', 'assignedUnit', 'originUnit', 'callerUnit', 'toUnit', 'supervisionCentre', 'coHandler', 'unitId', 'body']);
const WORD_PARAMS: Readonly<Record<string, Words>> = {
  tier: TIER_WORDS,
  role: ROLE_WORDS,
  status: STATUS_WORDS,
  action: ACTION_WORDS,
  earlierAction: ACTION_WORDS,
  rating: RATING_WORDS,
  kind: UNIT_KIND_WORDS,
  coStatus: CO_HANDLER_STATUS_WORDS,
};

export const wordOf = (words: Words, key: string, lang: Lang): string => {
  const entry = words[key];
  return entry ? entry[lang === 'zh-CN' ? 0 : 1] : key;
};

/** A list of unit ids, comma-separated in the params, as names. */
const UNIT_LIST_PARAMS = new Set(['units']);

/** Every param as it reads in `ctx.lang`. Missing params read as an empty string. */
export function formatParams(params: Params, ctx: TextContext): Record<string, string> {
  const out: Record<string, string> = {};
  const nameOf = (id: string) => ctx.unitName?.(id, ctx.lang) ?? id;
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const text = String(value);
    if (UNIT_PARAMS.has(name)) out[name] = nameOf(text);
    else if (UNIT_LIST_PARAMS.has(name)) out[name] = text.split(',').filter(Boolean).map(nameOf).join(ctx.lang === 'zh-CN' ? '、' : ', ');
    else if (WORD_PARAMS[name]) out[name] = wordOf(WORD_PARAMS[name], text, ctx.lang);
    else if (/At$/.test(name)) out[name] = formatShanghaiInstant(text, ctx.lang, ctx.referenceMs);
    else out[name] = text;
  }
  return new Proxy(out, { get: (target, key: string) => target[key] ?? '' });
}
