/**
 * Every text the system writes about a case for people, once, in Chinese and English, keyed by
 * a stable code (refusals are in refusals.ts). Timeline events and alerts carry `code` + `params`; the API renders them for the
 * caller's Accept-Language, alerts and notifications render them too, and the console can.
 * Params arrive formatted (see format.ts): units by name, instants in Asia/Shanghai.
 */
type P = Record<string, string>;
export interface CatalogueEntry {
  readonly 'zh-CN': (p: P) => string;
  readonly en: (p: P) => string;
}

import type { MEDIATION_EVENT_TEXTS } from '../mediation/texts';

const withNote = (text: string, note: string, sep: string) => (note ? `${text}${sep}${note}` : text);
const zhNote = (text: string, note: string) => withNote(text, note, '：');
const enNote = (text: string, note: string) => withNote(text, note, ': ');

/** Timeline events and alerts: what happened to a case. */
export const EVENT_TEXTS = {
  CASE_ACCEPTED: {
    'zh-CN': (p) => (p.keptInCommunity === 'true' ? `${p.actorUnit}受理，就地化解` : `${p.actorUnit}受理，交${p.unit}办理`),
    en: (p) => (p.keptInCommunity === 'true' ? `Accepted by ${p.actorUnit}, kept to resolve in the community` : `Accepted by ${p.actorUnit}; assigned to ${p.unit}`),
  },
  SIGNED_OFF: {
    'zh-CN': (p) => `${p.unit}签收，责任人${p.handler}，须于${p.resolveDueAt}前办结`,
    en: (p) => `Signed off by ${p.unit} (responsible: ${p.handler}); the result is due by ${p.resolveDueAt}`,
  },
  PROGRESS: { 'zh-CN': (p) => zhNote(`办理进展（${p.unit}）`, p.note), en: (p) => enNote(`Progress (${p.unit})`, p.note) },
  RESOLVED: {
    'zh-CN': (p) =>
      `${p.unit}办结${p.approverName ? `（${p.approverPost}${p.approverName}审批）` : p.approvalPending === 'true' ? '（审批待补）' : ''}：${p.note}；请于${p.evaluationDueAt}前评价`,
    en: (p) =>
      `Resolved by ${p.unit}${p.approverName ? ` (approved by ${p.approverName}, ${p.approverPost})` : p.approvalPending === 'true' ? ' (approval to follow)' : ''}: ${p.note}; to be evaluated by ${p.evaluationDueAt}`,
  },
  RESOLUTION_APPROVED: {
    'zh-CN': (p) => `办理结果已由${p.approverPost}${p.approverName}审批`,
    en: (p) => `The result was approved by ${p.approverName}, ${p.approverPost}`,
  },
  ESCALATION_REQUESTED: { 'zh-CN': (p) => zhNote(`${p.unit}申请提级`, p.note), en: (p) => enNote(`${p.unit} asked to escalate`, p.note) },
  ESCALATED_TO_TIER: {
    'zh-CN': (p) => zhNote(`由${p.from}提级至${p.to}（${p.tier}）`, p.note),
    en: (p) => enNote(`Escalated from ${p.from} to ${p.to} (${p.tier})`, p.note),
  },
  RETURNED: {
    'zh-CN': (p) => zhNote(`${p.unit}退回，由${p.to}重新派遣`, p.note),
    en: (p) => enNote(`Returned by ${p.unit} to ${p.to} for re-routing`, p.note),
  },
  EXTENSION_REQUESTED: {
    'zh-CN': (p) => zhNote(`${p.unit}申请延期 ${p.workingDays} 个工作日`, p.note),
    en: (p) => enNote(`${p.unit} asked for ${p.workingDays} more working days`, p.note),
  },
  EXTENSION_APPROVED: {
    'zh-CN': (p) => zhNote(`${p.actorUnit}批准延期 ${p.workingDays} 个工作日，办结期限由${p.previousDueAt}延至${p.resolveDueAt}`, p.note),
    en: (p) => enNote(`${p.actorUnit} approved ${p.workingDays} more working days; due ${p.resolveDueAt} instead of ${p.previousDueAt}`, p.note),
  },
  EXTENSION_REFUSED: { 'zh-CN': (p) => zhNote(`${p.actorUnit}不同意延期`, p.note), en: (p) => enNote(`${p.actorUnit} refused the extension`, p.note) },
  SUPERVISION_URGE: { 'zh-CN': (p) => zhNote(`${p.actorUnit}督办${p.unit}`, p.note), en: (p) => enNote(`${p.actorUnit} urged ${p.unit}`, p.note) },
  REASSIGNED: {
    'zh-CN': (p) => zhNote(`${p.actorUnit}改派：由${p.from}改派至${p.to}，须于${p.signOffDueAt}前签收`, p.note),
    en: (p) => enNote(`${p.actorUnit} reassigned the case from ${p.from} to ${p.to}; sign-off due by ${p.signOffDueAt}`, p.note),
  },
  EVALUATED: {
    'zh-CN': (p) => zhNote(`${p.actorUnit}评价：${p.rating}`, p.note),
    en: (p) => enNote(`${p.actorUnit} rated the result ${p.rating}`, p.note),
  },
  CLOSED: {
    'zh-CN': (p) => (p.reason === 'not-evaluated' ? '评价期限内未评价，办结归档' : zhNote('群众满意，办结归档。统一回告', p.note)),
    en: (p) => (p.reason === 'not-evaluated' ? 'Closed: not evaluated within the evaluation window' : enNote('Closed as satisfied. Unified reply', p.note)),
  },
  REOPENED: {
    'zh-CN': (p) => `${p.unit}重新办理，须于${p.resolveDueAt}前办结`,
    en: (p) => `Reopened at ${p.unit}; the result is due by ${p.resolveDueAt}`,
  },
  COMPLAINANT_RATED: {
    'zh-CN': (p) => zhNote(`投诉人评价：${p.rating}${p.withinWindow === 'false' ? '（评价期限后）' : ''}`, p.note),
    en: (p) => enNote(`The complainant rated the result ${p.rating}${p.withinWindow === 'false' ? ' (after the evaluation window)' : ''}`, p.note),
  },
  FOLLOW_UP_RECORDED: {
    'zh-CN': (p) => zhNote(`${p.actorUnit}回访投诉人，评价：${p.rating}`, p.note),
    en: (p) => enNote(`${p.actorUnit} called the complainant back: ${p.rating}`, p.note),
  },
  CASE_REOPENED: {
    'zh-CN': (p) => zhNote(`${p.by === 'complainant' ? '投诉人' : p.actorUnit}申请重办，${p.unit}须于${p.resolveDueAt}前办结`, p.note),
    en: (p) => enNote(`Reopened by ${p.by === 'complainant' ? 'the complainant' : p.actorUnit}; ${p.unit} must report a result by ${p.resolveDueAt}`, p.note),
  },
  SUPERVISION_RECORD: {
    'zh-CN': (p) => `${p.supervisionCentre}立案督办：${SUPERVISION_CAUSES[p.cause]?.['zh-CN'](p) ?? p.note}`,
    en: (p) => `${p.supervisionCentre} opened a supervision record: ${SUPERVISION_CAUSES[p.cause]?.en(p) ?? p.note}`,
  },
  SIGN_OFF_WINDOW_REOPENED: {
    'zh-CN': (p) => `重新计时：${p.unit}须于${p.signOffDueAt}前签收（红灯保留）`,
    en: (p) => `A new sign-off window: ${p.unit} must sign off by ${p.signOffDueAt} (the light stays red)`,
  },
  HANDLING_WINDOW_REOPENED: {
    'zh-CN': (p) => `${p.unit}继续办理，新的办结期限为${p.resolveDueAt}（红灯保留）`,
    en: (p) => `${p.unit} keeps the case with a new due date, ${p.resolveDueAt} (the light stays red)`,
  },
  ACTION_NOT_APPLIED: {
    'zh-CN': (p) => `${p.actorUnit}的操作（${p.action}）未生效：案件已进入下一步`,
    en: (p) => `${p.actorUnit}'s ${p.action} was not applied: the case had moved on`,
  },
  PERSONAL_DATA_ERASED: {
    'zh-CN': (p) => (p.reason === 'retention' ? '投诉人信息已按保存期限删除' : '投诉人信息已应本人要求删除'),
    en: (p) => (p.reason === 'retention' ? "The complainant's data was erased at the end of its retention period" : "The complainant's data was erased at their request"),
  },
  SIGN_OFF_WARNING: {
    'zh-CN': (p) => `签收预警（黄灯）：${p.unit}已用去 ${p.percent}% 的签收时限，须于${p.dueAt}前签收`,
    en: (p) => `Sign-off warning (yellow): ${p.unit} has used ${p.percent} % of its sign-off window; sign off by ${p.dueAt}`,
  },
  SIGN_OFF_OVERDUE: {
    'zh-CN': (p) => `签收超时（红灯）：${p.unit}未在${p.dueAt}前签收`,
    en: (p) => `Sign-off overdue (red): ${p.unit} did not sign off by ${p.dueAt}`,
  },
  HANDLING_WARNING: {
    'zh-CN': (p) => `办理预警：${p.unit}已用去 ${p.percent}% 的办理时限，须于${p.dueAt}前办结${p.toSupervision === 'true' ? '（已告知监管中心）' : ''}`,
    en: (p) => `Handling warning: ${p.unit} has used ${p.percent} % of its handling window; resolve by ${p.dueAt}${p.toSupervision === 'true' ? ' (the supervision centre is told)' : ''}`,
  },
  HANDLING_OVERDUE: {
    'zh-CN': (p) => `办理超时（红灯）：${p.unit}未在${p.dueAt}前办结`,
    en: (p) => `Handling overdue (red): ${p.unit} did not resolve the case by ${p.dueAt}`,
  },
  ESCALATED: {
    'zh-CN': (p) => zhNote(`已提级：由${p.from}提交${p.unit}（${p.tier}），须于${p.dueAt}前签收`, p.note),
    en: (p) => enNote(`Escalated from ${p.from} to ${p.unit} (${p.tier}); sign-off due by ${p.dueAt}`, p.note),
  },
  CONFERENCE_REQUIRED: {
    'zh-CN': (p) => zhNote('须召开联席会议研究此事项', p.note),
    en: (p) => enNote('The joint conference must convene on this case', p.note),
  },
  EVALUATION_UNSATISFIED: {
    'zh-CN': (p) => `评价为“${p.rating}”：${p.unit}须于${p.dueAt}前重新办理`,
    en: (p) => `Rated ${p.rating}: ${p.unit} must resolve it again by ${p.dueAt}`,
  },
  URGED: {
    'zh-CN': (p) => zhNote(`监管中心督办${p.unit}`, p.note),
    en: (p) => enNote(`The supervision centre urges ${p.unit}`, p.note),
  },
  CO_HANDLERS_REQUESTED: {
    'zh-CN': (p) => zhNote(`${p.actorUnit}请${p.units}协办，须于${p.signOffDueAt}前签收、${p.dueAt}前答复`, p.note),
    en: (p) => enNote(`${p.actorUnit} asked ${p.units} to co-handle: sign off by ${p.signOffDueAt}, reply by ${p.dueAt}`, p.note),
  },
  CO_HANDLER_SIGNED_OFF: {
    'zh-CN': (p) => `${p.unit}签收协办${p.handler ? `，责任人${p.handler}` : ''}，须于${p.dueAt}前答复`,
    en: (p) => `${p.unit} signed off its part${p.handler ? ` (responsible: ${p.handler})` : ''}; reply due by ${p.dueAt}`,
  },
  CO_HANDLER_REPLIED: { 'zh-CN': (p) => zhNote(`${p.unit}协办答复`, p.note), en: (p) => enNote(`${p.unit} replied on its part`, p.note) },
  CO_HANDLER_RETURNED: { 'zh-CN': (p) => zhNote(`${p.unit}退回协办事项`, p.note), en: (p) => enNote(`${p.unit} returned its part`, p.note) },
  CO_HANDLER_WAIVED: {
    'zh-CN': (p) => zhNote(`${p.actorUnit}免除${p.unit}的协办答复`, p.note),
    en: (p) => enNote(`${p.actorUnit} waived the reply of ${p.unit}`, p.note),
  },
  CO_HANDLER_WINDOW_REOPENED: {
    'zh-CN': (p) => `重新计时：${p.unit}须于${p.dueAt}前${p.phase === 'sign-off' ? '签收协办' : '答复'}（红灯保留）`,
    en: (p) => `A new window: ${p.unit} must ${p.phase === 'sign-off' ? 'sign off its part' : 'reply'} by ${p.dueAt} (the light stays red)`,
  },
  CO_HANDLER_WARNING: {
    'zh-CN': (p) => `协办预警：${p.unit}已用去 ${p.percent}% 的${p.phase === 'sign-off' ? '签收' : '答复'}时限，须于${p.dueAt}前${p.phase === 'sign-off' ? '签收' : '答复'}`,
    en: (p) => `Co-handling warning: ${p.unit} has used ${p.percent} % of its ${p.phase === 'sign-off' ? 'sign-off' : 'reply'} window; due by ${p.dueAt}`,
  },
  CO_HANDLER_OVERDUE: {
    'zh-CN': (p) => `协办超时（红灯）：${p.unit}未在${p.dueAt}前${p.phase === 'sign-off' ? '签收' : '答复'}`,
    en: (p) => `Co-handling overdue (red): ${p.unit} did not ${p.phase === 'sign-off' ? 'sign off its part' : 'reply'} by ${p.dueAt}`,
  },
  REROUTE_OVERDUE: {
    'zh-CN': (p) => `退回事项未在${p.dueAt}前重新派遣`,
    en: (p) => `The returned case was not re-routed by ${p.dueAt}`,
  },
  MESSAGE: { 'zh-CN': (p) => `${p.actorUnit}留言：${p.note}`, en: (p) => `${p.actorUnit} wrote: ${p.note}` },
} satisfies Record<string, CatalogueEntry>;

/** Milestones as the public status page tells them: what happened and where, never who or why. */
export const PUBLIC_TEXTS = {
  ACCEPTED: { 'zh-CN': (p) => `已受理，交${p.unit}办理`, en: (p) => `Accepted; ${p.unit} is responsible` },
  SIGNED_OFF: { 'zh-CN': (p) => `${p.unit}已签收，正在办理`, en: (p) => `${p.unit} has taken it on` },
  ESCALATED: { 'zh-CN': (p) => `已提交${p.unit}协调办理`, en: (p) => `Passed to ${p.unit} to coordinate` },
  REASSIGNED: { 'zh-CN': (p) => `改由${p.unit}办理`, en: (p) => `Now with ${p.unit}` },
  RESOLVED: { 'zh-CN': (p) => `${p.unit}已办结，等待评价`, en: (p) => `${p.unit} reported the result; awaiting evaluation` },
  REOPENED: { 'zh-CN': (p) => `重新办理，由${p.unit}负责`, en: (p) => `Reopened; ${p.unit} is working on it again` },
  RATED: { 'zh-CN': () => '投诉人已评价', en: () => 'The complainant rated the result' },
  CLOSED: { 'zh-CN': () => '已办结', en: () => 'Closed' },
} satisfies Record<string, CatalogueEntry>;

/** Why the supervision centre opened a record. */
const SUPERVISION_CAUSES: Readonly<Record<string, CatalogueEntry>> = {
  'sign-off-overdue': { 'zh-CN': (p) => `${p.unit}签收超时`, en: (p) => `sign-off overdue at ${p.unit}` },
  'handling-overdue': { 'zh-CN': (p) => `${p.unit}办理超时（${p.tier}）`, en: (p) => `handling overdue at ${p.unit} (${p.tier})` },
  unsatisfied: { 'zh-CN': (p) => `${p.unit}的办理结果被评为“${p.rating}”`, en: (p) => `the result of ${p.unit} was rated ${p.rating}` },
  'co-handler-overdue': {
    'zh-CN': (p) => `${p.coHandler}协办${p.phase === 'sign-off' ? '签收' : '答复'}超时`,
    en: (p) => `${p.coHandler} is late ${p.phase === 'sign-off' ? 'signing off' : 'replying on'} its part`,
  },
  'mediation-overdue': {
    'zh-CN': (p) => `${p.body}${p.phase === 'accept' ? '受理' : '调解'}超时`,
    en: (p) => `${p.body} is late ${p.phase === 'accept' ? 'accepting the referral' : 'concluding the mediation'}`,
  },
};

/** Mediation's events are registered by the modules that render them (mediation/event-texts.ts). */
export type EventCode = keyof typeof EVENT_TEXTS | keyof typeof MEDIATION_EVENT_TEXTS;
