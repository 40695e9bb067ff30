/**
 * The categories as GeoReport v2 services. Every category is a service whose code is the
 * category id; its definition (metadata) carries the attributes intake can use beyond the
 * spec's own fields: when it happened, and which community accepts it (needed only when the
 * city hotline's key posts, since the hotline accepts on a community's behalf).
 */
import { CATEGORIES, isCategoryId, type Category } from '../domain/categories';
import { defaultDirectory } from '../domain/directory';
import type { Lang } from '../domain/texts/language';
import { List, type Value } from './document';

/** The attribute codes a POST may carry as attribute[<code>]. */
export const ATTRIBUTE_CODES = { community: 'community', occurredAt: 'occurred_at' } as const;

const named = (category: Category, lang: Lang) => (lang === 'en' ? category.nameEn : category.name);

const describe = (category: Category, lang: Lang) =>
  lang === 'en'
    ? `${category.nameEn}: signed off within ${category.signOffWorkingDays} working day(s), resolved within ${category.handlingWorkingDays} working days.`
    : `${category.name}：${category.signOffWorkingDays} 个工作日内签收，${category.handlingWorkingDays} 个工作日内办结。`;

export function servicesList(lang: Lang): List {
  return new List(
    'service',
    CATEGORIES.map((category) => ({
      service_code: category.id,
      service_name: named(category, lang),
      description: describe(category, lang),
      metadata: true,
      type: 'realtime',
      keywords: [category.id, category.name, category.nameEn].join(','),
      group: lang === 'en' ? 'Complaints and disputes' : '矛盾纠纷与诉求',
    })),
  );
}

/** A service's definition, or undefined for a code that is no category. */
export function serviceDefinition(code: string, lang: Lang): { readonly [key: string]: Value } | undefined {
  if (!isCategoryId(code)) return undefined;
  const en = lang === 'en';
  const communities = defaultDirectory.ofKind('community');
  return {
    service_code: code,
    attributes: new List('attribute', [
      {
        variable: true,
        code: ATTRIBUTE_CODES.occurredAt,
        datatype: 'datetime',
        required: false,
        datatype_description: en ? 'ISO 8601 with its offset, e.g. 2026-03-09T08:30:00+08:00' : 'ISO 8601 时间，带时区，如 2026-03-09T08:30:00+08:00',
        order: 1,
        description: en ? 'When it happened' : '发生时间',
      },
      {
        variable: true,
        code: ATTRIBUTE_CODES.community,
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: en
          ? "Required with the city hotline's api_key: the community the hotline accepts the request for. A community's own key ignores it."
          : '使用市民热线的 api_key 时必填：热线代为受理的社区；社区自己的 api_key 无需填写。',
        order: 2,
        description: en ? 'Accepting community' : '受理社区',
        values: new List(
          'value',
          communities.map((unit) => ({ key: unit.id, name: en ? unit.nameEn : unit.name })),
        ),
      },
    ]),
  };
}
