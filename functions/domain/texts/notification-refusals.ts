/**
 * The refusals only the notification routes write, kept out of refusals.ts so the other API
 * functions do not carry them (every API bundle has a size budget). Each of those routes'
 * modules registers them on import; `refusal` builds the message.
 */
import type { CatalogueEntry } from './catalogue';
import { ERROR_TEXTS } from './refusals';
import type { Params } from './format';
import type { Message } from './render';

export const NOTIFICATION_REFUSALS = {
  'not-a-party': { 'zh-CN': (p) => `${p.units}不是此事项的办理方。`, en: (p) => `Not a party to this case: ${p.units}.` },
  'unit-not-found': { 'zh-CN': (p) => `没有编号为 ${p.unitId} 的单位。`, en: (p) => `No unit ${p.unitId}.` },
  'own-unit-only': {
    'zh-CN': (p) => `${p.callerUnit}只能查看本单位的通知和联系方式；其他单位的只向监管中心和运维人员提供。`,
    en: (p) => `${p.callerUnit} may read its own unit's notifications and contacts only; others' are for the supervisor and operators.`,
  },
  'no-notification-log': {
    'zh-CN': () => '此部署未配置通知记录，暂无法查询通知。',
    en: () => 'This deployment keeps no notification log to read notifications from.',
  },
} satisfies Record<string, CatalogueEntry>;

Object.assign(ERROR_TEXTS as Record<string, CatalogueEntry>, NOTIFICATION_REFUSALS);

export const refusal = (code: keyof typeof NOTIFICATION_REFUSALS, params?: Params): Message => ({ code: `error.${code}`, ...(params ? { params } : {}) });
