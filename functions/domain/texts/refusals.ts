/**
 * Refusals and field messages in Chinese and English: the problem details the API answers with.
 * Kept apart from the event texts (catalogue.ts) so that functions which only tell what happened
 * to a case (the workflow) do not carry them.
 */
import type { CatalogueEntry } from './catalogue';
import type { MEDIATION_ERROR_TEXTS, MEDIATION_FIELD_TEXTS } from '../mediation/texts';
import { MEDIATION_SCHEMA_MESSAGES_ZH } from '../mediation/model';

/** Refusals: problem details the API answers with. */
/** Refusals of a feature's own routes are registered by those routes (mediation/refusal-texts.ts, citizen-refusals.ts). */
export const ERROR_TEXTS = {
  'case-not-found': { 'zh-CN': (p) => `没有编号为 ${p.caseId} 的事项。`, en: (p) => `No case ${p.caseId}.` },
  'not-your-case': {
    'zh-CN': (p) => `事项 ${p.caseId} 不属于${p.callerUnit}，无权查看或办理。`,
    en: (p) => `Case ${p.caseId} is not one of ${p.callerUnit}'s cases.`,
  },
  'only-supervisor': { 'zh-CN': (p) => `只有监管中心可以${p.action}。`, en: (p) => `Only the supervision centre may ${p.action}.` },
  'role-does-not-handle': {
    'zh-CN': (p) => `${p.role}角色不办理事项；只有责任单位可以${p.action}。`,
    en: (p) => `The role ${p.role} does not handle cases; only the assigned unit may ${p.action}.`,
  },
  'only-origin-evaluates': {
    'zh-CN': (p) => `只有受理社区（${p.originUnit}）可以评价办理结果。`,
    en: (p) => `Only the originating community (${p.originUnit}) evaluates the result.`,
  },
  'case-moved-on': {
    'zh-CN': (p) => `此事项已转由${p.assignedUnit}办理，${p.callerUnit}的“${p.action}”已不适用。请刷新查看最新进展。`,
    en: (p) => `The case is now with ${p.assignedUnit}; ${p.action} from ${p.callerUnit} no longer fits it. Reload it to see where it stands.`,
  },
  'only-assigned-unit': {
    'zh-CN': (p) => `只有责任单位（${p.assignedUnit}）可以${p.action}。`,
    en: (p) => `Only the assigned unit (${p.assignedUnit}) may ${p.action} this case.`,
  },
  'action-does-not-fit': {
    'zh-CN': (p) => `事项当前为“${p.status}”，不能${p.action}。请刷新查看最新进展。`,
    en: (p) => `The case is ${p.status}; ${p.action} does not fit this step. Reload it to see where it stands.`,
  },
  'top-tier': { 'zh-CN': () => '联席会议是最高层级，无法再提级。', en: () => 'The joint conference is the last tier; nothing is above it.' },
  'return-at-tier-0-only': {
    'zh-CN': () => '只有责任单位可以退回事项；综治维稳信访部门请提级。',
    en: () => 'Only a tier-0 unit returns a case; an office escalates instead.',
  },
  'extension-already-asked': { 'zh-CN': () => '本层级已申请过延期。', en: () => 'An extension was already asked for at this tier.' },
  'no-extension-pending': { 'zh-CN': () => '没有待审批的延期申请。', en: () => 'No extension request is waiting for a decision.' },
  'community-self-only': { 'zh-CN': () => '社区只能为本社区受理事项。', en: () => 'A community accepts cases for itself only.' },
  'not-a-community': { 'zh-CN': (p) => `${p.callerUnit}不是社区。`, en: (p) => `Unit ${p.callerUnit} is not a community.` },
  'intake-roles': { 'zh-CN': () => '只有社区和监管中心可以受理事项。', en: () => 'Only communities and the supervision centre accept cases.' },
  'changed-retry': { 'zh-CN': () => '事项在保存时发生了变化，请重试。', en: () => 'The case changed while this was being written; try again.' },
  'moving-to-next-step': {
    'zh-CN': () => '事项正在进入下一步，请刷新后重试。',
    en: () => 'The case is moving to its next step; reload it and try again.',
  },
  'idempotency-key-reused': {
    'zh-CN': () => '此 Idempotency-Key 已用于另一个请求；新的事项请使用新的键。',
    en: () => 'This Idempotency-Key was used for a different request; use a new key for a new case.',
  },
  'idempotency-key-other-action': {
    'zh-CN': (p) => `此 Idempotency-Key 已用于“${p.earlierAction}”；新的操作请使用新的键。`,
    en: (p) => `This Idempotency-Key was used for ${p.earlierAction}; use a new key for a new action.`,
  },
  'idempotency-key-malformed': { 'zh-CN': () => 'Idempotency-Key 请求头格式不正确。', en: () => 'The Idempotency-Key header is malformed.' },
  'invalid-request': { 'zh-CN': (p) => `请求有误：${p.summary}`, en: (p) => `The request is invalid: ${p.summary}` },
  'invalid-field': { 'zh-CN': (p) => `字段 ${p.path} 有误：${p.message}`, en: (p) => `Invalid field ${p.path}: ${p.message}` },
  'unsupported-media-type': { 'zh-CN': () => '请以 application/json 格式发送请求体。', en: () => 'Send the body as application/json.' },
  'malformed-json': { 'zh-CN': () => '请求体不是有效的 JSON。', en: () => 'The body is not valid JSON.' },
  'payload-too-large': { 'zh-CN': (p) => `请求体超过 ${p.limit} 字节。`, en: (p) => `The request body exceeds ${p.limit} bytes.` },
  'token-required': { 'zh-CN': () => '需要有效的登录令牌（Bearer）。', en: () => 'A valid bearer token is required.' },
  'token-claims': { 'zh-CN': () => '令牌缺少有效的 sub、unit 和 role 声明。', en: () => 'The token lacks valid sub, unit and role claims.' },
  'token-unknown-unit': {
    'zh-CN': (p) => `令牌中的单位 ${p.unitId} 不在单位目录中。`,
    en: (p) => `The token names unit ${p.unitId}, which is not in the unit directory.`,
  },
  'token-role-unit': {
    'zh-CN': (p) => `角色“${p.role}”与单位 ${p.callerUnit}（${p.kind}）不符。`,
    en: (p) => `The role ${p.role} does not fit unit ${p.callerUnit} (a ${p.kind}).`,
  },
  'role-may-not-call': { 'zh-CN': (p) => `${p.role}角色无权调用 ${p.route}。`, en: (p) => `The role ${p.role} may not call ${p.route}.` },
  'not-a-co-handler-of': { 'zh-CN': (p) => `${p.callerUnit}不是此事项的协办单位。`, en: (p) => `${p.callerUnit} does not co-handle this case.` },
  'co-handler-done': {
    'zh-CN': (p) => `${p.unit}的协办已是“${p.coStatus}”，不能再办理。请刷新查看最新进展。`,
    en: (p) => `The part of ${p.unit} is already ${p.coStatus}. Reload the case to see where it stands.`,
  },
  'co-handlers-outstanding': {
    'zh-CN': (p) => `还有协办单位未答复：${p.units}。请等待答复，或请监管中心免除。`,
    en: (p) => `Co-handling units have not replied yet: ${p.units}. Wait for their replies, or ask the supervision centre to waive them.`,
  },
  'no-co-handler-outstanding': { 'zh-CN': () => '没有待答复的协办单位。', en: () => 'No co-handling unit owes a reply.' },
  'co-handler-part-not-found': { 'zh-CN': (p) => `此事项没有${p.unit}的协办。`, en: (p) => `This case has no part for ${p.unit}.` },
  'co-handler-unit-mismatch': {
    'zh-CN': (p) => `只能以本单位（${p.callerUnit}）的名义办理协办。`,
    en: (p) => `A unit acts on its own part only (${p.callerUnit}).`,
  },
  'approval-not-pending': { 'zh-CN': () => '没有待补的审批。', en: () => 'No approval is waiting to be recorded.' },
  'approval-window-over': {
    'zh-CN': (p) => `审批须在办理期限（${p.resolveDueAt}）内补录，现已逾期。`,
    en: (p) => `An approval is recorded within the handling window (until ${p.resolveDueAt}); that window is over.`,
  },
  'approval-by-resolver-only': {
    'zh-CN': (p) => `只有作出办理结果的单位（${p.unit}）可以补录审批。`,
    en: (p) => `Only the unit that reported the result (${p.unit}) records its approval.`,
  },
  'community-rates-own-result': {
    'zh-CN': () => '本社区自办的事项不能由本社区评价，由群众凭评价码评价，或由监管中心回访。',
    en: () => 'A community does not rate a result it reported itself: the complainant rates it with the PIN, or the supervision centre follows up.',
  },
  'only-complainant-rates': { 'zh-CN': () => '只有投诉人可以凭评价码评价。', en: () => 'Only the complainant rates with the PIN.' },
  'complainant-rated-already': { 'zh-CN': () => '投诉人已评价过这一办理结果。', en: () => 'The complainant has already rated this result.' },
  'follow-up-kept-only': {
    'zh-CN': () => '回访只用于社区自办事项的办理结果。',
    en: () => 'A follow-up call is recorded on a result the originating community reported itself.',
  },
  'follow-up-recorded-already': { 'zh-CN': () => '这一办理结果已回访过。', en: () => 'A follow-up call on this result is already recorded.' },
  'reopen-who': {
    'zh-CN': (p) => `只有投诉人、受理社区（${p.originUnit}）或监管中心可以申请重办。`,
    en: (p) => `Only the complainant, the originating community (${p.originUnit}) or the supervision centre may reopen the case.`,
  },
  'reopen-while-open': { 'zh-CN': () => '事项尚未办结，不能申请重办。', en: () => 'The case is still open; only a closed case is reopened.' },
  'reopen-window-over': {
    'zh-CN': (p) => `办结 ${p.days} 天内可以申请重办（截至${p.until}），已超过期限。`,
    en: (p) => `A case is reopened within ${p.days} days of closing (until ${p.until}); that time is over.`,
  },
  internal: { 'zh-CN': () => '请求未能完成，已记录在案。', en: () => 'The request could not be completed; it has been logged.' },
} satisfies Record<string, CatalogueEntry>;

/** Field messages the domain writes (zod's own come from its locales). */
export const FIELD_TEXTS = {
  'unknown-unit': { 'zh-CN': (p) => `未知单位 ${p.unitId}`, en: (p) => `unknown unit ${p.unitId}` },
  'reassign-kind': {
    'zh-CN': () => '只能改派给社区、街道办事处、区直部门或市直部门',
    en: () => 'must be a community, street office, or district or city department',
  },
  'already-assigned': { 'zh-CN': () => '事项已由该单位办理', en: () => 'the case is already assigned to this unit' },
  'origin-required': {
    'zh-CN': () => '监管中心受理时须指明事项所属社区',
    en: () => 'the supervision centre must name the community the case belongs to',
  },
  'origin-community': { 'zh-CN': () => '必须是单位目录中的社区', en: () => 'must be a community from GET /v1/units' },
  'assigned-kind': {
    'zh-CN': () => '必须是受理社区本身、街道办事处、区直部门或市直部门',
    en: () => 'must be the accepting community itself, a street office, or a district or city department',
  },
  'co-handlers-none': { 'zh-CN': () => '请至少选择一个协办单位', en: () => 'name at least one unit' },
  'co-handlers-repeated': { 'zh-CN': () => '同一单位只能列一次', en: () => 'each unit only once' },
  'co-handlers-too-many': { 'zh-CN': (p) => `同时最多 ${p.max} 个协办单位`, en: (p) => `at most ${p.max} co-handling units at a time` },
  'co-handler-holder': { 'zh-CN': () => '承办单位不能请自己协办', en: () => 'the unit holding the case cannot co-handle it' },
  'co-handler-kind': {
    'zh-CN': () => '协办单位须是社区、街道办事处、区直部门或市直部门',
    en: () => 'must be a community, street office, or district or city department',
  },
  'co-handler-already': { 'zh-CN': (p) => `${p.unitId}已在协办此事项`, en: (p) => `${p.unitId} already co-handles this case` },
  'not-a-co-handler': { 'zh-CN': (p) => `${p.unitId}不是此事项的协办单位`, en: (p) => `${p.unitId} does not co-handle this case` },
  cursor: {
    'zh-CN': () => '不是本列表在相同筛选条件下返回的游标',
    en: () => 'not a cursor returned by this listing with the same filters',
  },
} satisfies Record<string, CatalogueEntry>;

/**
 * Custom messages written in the schemas (in English, where the OpenAPI document shows them),
 * with their Chinese: looked up by the English text, as gettext does.
 */
export const SCHEMA_MESSAGES_ZH: Readonly<Record<string, string>> = {
  ...MEDIATION_SCHEMA_MESSAGES_ZH,
  'a mainland mobile number or a landline with area code': '请填写大陆手机号码，或带区号的固定电话',
  'a unit id from GET /v1/units': '请填写单位目录中的单位编号',
  'whole or half working days': '请填写整数或半个工作日',
  'a case id (26 characters)': '事项编号为 26 位字符',
  'a month as yyyy-mm': '月份格式为 yyyy-mm',
  'a whole number from 1 to 100': '请填写 1 到 100 的整数',
  '1–128 letters, digits or _ . : -': '1 到 128 个字母、数字或 _ . : -',
  'required when action is reassign': '改派时必须填写',
  'only allowed when action is reassign': '只有改派时才可填写',
  'required when action is waive-co-handler': '免除协办答复时必须填写',
  'only allowed to urge or waive a co-handler': '只有督办或免除协办单位时才可填写',
  'malformed JSON': 'JSON 格式不正确',
  'a cursor from nextCursor': '请使用上一页返回的 nextCursor',
  'a keyword of 2 to 100 characters': '关键词须为 2 到 100 个字符',
  'a whole number from 1 to 1000': '请填写 1 到 1000 的整数',
  'not a mainland mobile number': '不是大陆手机号码',
  'not an email address': '不是电子邮件地址',
};

/** Problem titles by status. */
export const PROBLEM_TITLES: Readonly<Record<number, readonly [zh: string, en: string]>> = {
  400: ['请求有误', 'Bad Request'],
  401: ['未登录', 'Unauthorized'],
  403: ['无权操作', 'Forbidden'],
  404: ['未找到', 'Not Found'],
  409: ['事项已有新进展', 'Conflict'],
  413: ['请求过大', 'Payload Too Large'],
  415: ['不支持的格式', 'Unsupported Media Type'],
  429: ['请求过于频繁', 'Too Many Requests'],
  500: ['服务器内部错误', 'Internal Server Error'],
  503: ['服务暂不可用', 'Service Unavailable'],
};

export type ErrorCode = keyof typeof ERROR_TEXTS | keyof typeof MEDIATION_ERROR_TEXTS;
export type FieldCode = keyof typeof FIELD_TEXTS | keyof typeof MEDIATION_FIELD_TEXTS;
