/**
 * The refusals only the listing routes write (GET /v1/cases, its summary, and GET /v1/statistics),
 * kept out of refusals.ts so the other API functions do not carry them (every API bundle has a
 * size budget). The routes' modules register them on import; `listingRefusal` and
 * `listingFieldText` build the messages.
 */
import type { CatalogueEntry } from './catalogue';
import { ERROR_TEXTS, FIELD_TEXTS } from './refusals';
import type { Params } from './format';
import type { Message } from './render';

export const LISTING_REFUSALS = {
  'list-own-only': { 'zh-CN': (p) => `${p.callerUnit}只能查看本单位的事项。`, en: (p) => `Unit ${p.callerUnit} may list only its own cases.` },
} satisfies Record<string, CatalogueEntry>;

export const LISTING_FIELD_TEXTS = {
  'co-handling-needs-unit': { 'zh-CN': () => '查看协办事项须指明单位', en: () => 'name the unit whose co-handling parts to list' },
  'phone-supervisor-only': {
    'zh-CN': () => '只有监管中心可以按投诉人电话查找事项',
    en: () => 'only the supervision centre may look cases up by the complainant\'s phone',
  },
  'months-at-most': { 'zh-CN': (p) => `时间范围最多 ${p.max} 个月`, en: (p) => `at most ${p.max} months` },
  'months-in-order': { 'zh-CN': () => '起始月份不能晚于结束月份', en: () => 'the first month must not be after the last' },
  'closed-needs-month': { 'zh-CN': () => '查看已办结事项须指明月份（或单位）', en: () => 'name a month (or a unit) to list closed cases' },
} satisfies Record<string, CatalogueEntry>;

Object.assign(ERROR_TEXTS as Record<string, CatalogueEntry>, LISTING_REFUSALS);
Object.assign(FIELD_TEXTS as Record<string, CatalogueEntry>, LISTING_FIELD_TEXTS);

export const listingRefusal = (code: keyof typeof LISTING_REFUSALS, params?: Params): Message => ({ code: `error.${code}`, ...(params ? { params } : {}) });
export const listingFieldText = (code: keyof typeof LISTING_FIELD_TEXTS, params?: Params): Message => ({ code: `field.${code}`, ...(params ? { params } : {}) });
