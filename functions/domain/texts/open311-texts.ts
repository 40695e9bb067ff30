/**
 * Texts only the Open311 GeoReport v2 routes write (refusals as the spec's error descriptions,
 * service notices, status notes), kept out of refusals.ts so the other API functions do not
 * carry them. The Open311 modules register the refusals on import.
 */
import type { CatalogueEntry } from './catalogue';
import { ERROR_TEXTS } from './refusals';
import type { Params } from './format';
import type { Message } from './render';

export const OPEN311_REFUSALS = {
  'open311-format': {
    'zh-CN': () => '不支持此格式：请在资源名后加 .json 或 .xml。',
    en: () => 'Unsupported format: end the resource with .json or .xml.',
  },
  'open311-api-key-missing': {
    'zh-CN': () => '提交诉求需要 api_key。',
    en: () => 'api_key is required to post a service request.',
  },
  'open311-api-key-invalid': {
    'zh-CN': () => 'api_key 无效或已停用，无法提交诉求。',
    en: () => 'Invalid api_key received; cannot create the service request.',
  },
  'open311-service-code-missing': { 'zh-CN': () => '缺少 service_code。', en: () => 'service_code is required.' },
  'open311-service-code-unknown': {
    'zh-CN': (p) => `没有编号为 ${p.serviceCode} 的服务类别，请查看 services.json。`,
    en: (p) => `No service ${p.serviceCode}: see services.json for the service codes.`,
  },
  'open311-location-missing': {
    'zh-CN': () => '请提供位置：lat 与 long，或 address_string。',
    en: () => 'A location is required: lat and long, or address_string.',
  },
  'open311-address-id-unsupported': {
    'zh-CN': () => '本系统不使用 address_id，请改用 lat 与 long 或 address_string。',
    en: () => 'address_id is not supported here; send lat and long, or address_string.',
  },
  'open311-lat-long-pair': {
    'zh-CN': () => 'lat 与 long 须同时提供。',
    en: () => 'lat and long go together: send both or neither.',
  },
  'open311-lat-range': {
    'zh-CN': () => 'lat 须为 -90 到 90 之间的数（WGS84）。',
    en: () => 'lat must be a number from -90 to 90 (WGS84).',
  },
  'open311-long-range': {
    'zh-CN': () => 'long 须为 -180 到 180 之间的数（WGS84）。',
    en: () => 'long must be a number from -180 to 180 (WGS84).',
  },
  'open311-description-missing': {
    'zh-CN': () => '请在 description 中说明诉求内容。',
    en: () => 'description is required: say what the request is about.',
  },
  'open311-name-needed': {
    'zh-CN': () => '提供 phone 或 email 时，请同时提供 first_name 或 last_name。',
    en: () => 'With phone or email, send first_name or last_name too.',
  },
  'open311-email': { 'zh-CN': () => 'email 格式不正确。', en: () => 'email is not an email address.' },
  'open311-media-url': {
    'zh-CN': () => 'media_url 须为 http 或 https 地址（不超过 1000 个字符）。',
    en: () => 'media_url must be an http or https URL of at most 1000 characters.',
  },
  'open311-community-needed': {
    'zh-CN': () => '市民热线的 api_key 提交诉求时须以 attribute[community] 指明受理社区。',
    en: () => "With the city hotline's api_key, name the accepting community in attribute[community].",
  },
  'open311-field': {
    'zh-CN': (p) => `${p.field}：${p.message}`,
    en: (p) => `${p.field}: ${p.message}`,
  },
  'open311-body': {
    'zh-CN': () => '请求体须为 application/x-www-form-urlencoded 或 JSON 对象。',
    en: () => 'Send the body as application/x-www-form-urlencoded or as a JSON object.',
  },
  'open311-date': {
    'zh-CN': (p) => `${p.field} 须为带时区的 ISO 8601 时间，如 2026-03-09T09:00:00+08:00。`,
    en: (p) => `${p.field} must be an ISO 8601 time with its offset, such as 2026-03-09T09:00:00+08:00.`,
  },
  'open311-date-range': {
    'zh-CN': (p) => `start_date 须早于 end_date，且相隔不超过 ${p.days} 天。`,
    en: (p) => `start_date must come before end_date, at most ${p.days} days apart.`,
  },
  'open311-status': { 'zh-CN': () => 'status 只能是 open 或 closed。', en: () => 'status is open or closed.' },
  'open311-ids': {
    'zh-CN': (p) => `service_request_id 最多 ${p.max} 个，以逗号分隔。`,
    en: (p) => `service_request_id takes at most ${p.max} ids, comma separated.`,
  },
  'open311-request-not-found': {
    'zh-CN': (p) => `没有编号为 ${p.id} 的诉求。`,
    en: (p) => `No service request ${p.id}.`,
  },
  'open311-token-not-found': {
    'zh-CN': (p) => `没有令牌 ${p.token}。`,
    en: (p) => `No token ${p.token}.`,
  },
  'open311-too-large': {
    'zh-CN': (p) => `请求体超过 ${p.bytes} 字节。`,
    en: (p) => `The body is larger than ${p.bytes} bytes.`,
  },
  'open311-internal': {
    'zh-CN': () => '服务暂时出错，请稍后重试。',
    en: () => 'Something went wrong on our side; try again later.',
  },
} satisfies Record<string, CatalogueEntry>;

Object.assign(ERROR_TEXTS as Record<string, CatalogueEntry>, OPEN311_REFUSALS);

export type Open311RefusalCode = keyof typeof OPEN311_REFUSALS;
export const open311Refusal = (code: Open311RefusalCode, params?: Params): Message => ({ code: `error.${code}`, ...(params ? { params } : {}) });

/** Texts Open311 answers carry for people: the service notice and the status notes. */
export const OPEN311_TEXTS = {
  notice: {
    'zh-CN': (p: Record<string, string>) => `由${p.unit}负责办理，办理期限：${p.dueAt}（北京时间）`,
    en: (p: Record<string, string>) => `${p.unit} is responsible; due by ${p.dueAt} (Beijing time)`,
  },
  'notice-closed': {
    'zh-CN': (p: Record<string, string>) => `由${p.unit}负责办理，已办结`,
    en: (p: Record<string, string>) => `${p.unit} was responsible; closed`,
  },
  accepted: { 'zh-CN': () => '已受理，等待责任单位签收', en: () => 'Accepted; waiting for the responsible unit to take it on' },
  'in-progress': { 'zh-CN': () => '正在办理', en: () => 'Being handled' },
  resolved: { 'zh-CN': (p: Record<string, string>) => `已办结，等待评价：${p.result}`, en: (p: Record<string, string>) => `Result reported, awaiting evaluation: ${p.result}` },
  closed: { 'zh-CN': (p: Record<string, string>) => (p.result ? `已办结：${p.result}` : '已办结'), en: (p: Record<string, string>) => (p.result ? `Closed: ${p.result}` : 'Closed') },
} satisfies Record<string, CatalogueEntry>;
