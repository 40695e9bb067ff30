/**
 * The refusals only the citizens' routes write (GET /v1/track/{code}, and the PIN routes POST
 * /v1/track/{code}/evaluation and /reopen), kept out of refusals.ts so the other API functions do
 * not carry them. Each of those routes' modules registers them on import; `refusal` builds the message.
 */
import type { CatalogueEntry } from './catalogue';
import { ERROR_TEXTS } from './refusals';
import type { Params } from './format';
import type { Message } from './render';

export const CITIZEN_REFUSALS = {
  'track-not-found': {
    'zh-CN': () => '没有这个查询码。请核对查询码（格式如 7KQ2-M9XH-R）后再试。',
    en: () => 'No case has this tracking code. Check the code (it looks like 7KQ2-M9XH-R) and try again.',
  },
  'too-many-lookups': {
    'zh-CN': (p) => `查询过于频繁，请 ${p.seconds} 秒后再试。`,
    en: (p) => `Too many look-ups; try again in ${p.seconds} seconds.`,
  },
  'reopen-in-progress': { 'zh-CN': () => '重办申请已在处理中。', en: () => 'A reopening of this case is already under way.' },
  'pin-wrong': {
    'zh-CN': () => '评价码不正确。请核对办结短信中的 6 位评价码；连续输错 5 次将锁定一小时。',
    en: () => 'The PIN is not right. Check the 6-digit PIN in the result SMS; five wrong PINs in a row lock it for an hour.',
  },
  'pin-none': {
    'zh-CN': () => '此事项还没有评价码：评价码随办结短信发送。',
    en: () => 'This case has no PIN yet: the PIN comes with the result SMS.',
  },
  'pin-expired': {
    'zh-CN': () => '这个评价码已失效：它属于之前的办理结果，或已超过可评价、可申请重办的期限。',
    en: () => 'This PIN is no longer valid: it belongs to an earlier result, or the time to rate or reopen is over.',
  },
  'pin-used': {
    'zh-CN': () => '这个评价码已用于申请重办；新的办理结果会随短信发送新的评价码。',
    en: () => 'This PIN was used to reopen the case; the next result comes with a new PIN.',
  },
  'pin-locked': {
    'zh-CN': (p) => `评价码连续输错 5 次，已锁定，请 ${p.minutes} 分钟后再试。`,
    en: (p) => `Five wrong PINs in a row: locked; try again in ${p.minutes} minutes.`,
  },
} satisfies Record<string, CatalogueEntry>;

Object.assign(ERROR_TEXTS as Record<string, CatalogueEntry>, CITIZEN_REFUSALS);

export const refusal = (code: keyof typeof CITIZEN_REFUSALS, params?: Params): Message => ({ code: `error.${code}`, ...(params ? { params } : {}) });
