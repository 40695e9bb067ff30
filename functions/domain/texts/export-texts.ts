/**
 * What the CSV answers say to people: their column names in Chinese and English (the header row
 * follows Accept-Language; the columns themselves and the JSON keys do not change), and the
 * refusals of an export too large to send. Kept out of refusals.ts so that only the routes that
 * write CSV carry them (every API bundle has a size budget); importing this module registers
 * the refusals.
 */
import type { CatalogueEntry } from './catalogue';
import { ERROR_TEXTS } from './refusals';
import { wordOf, type Params } from './format';
import type { Lang } from './language';
import type { Message } from './render';
import type { StatisticsBreakdown } from '../statistics';

type Words = readonly [zh: string, en: string];

/** A size in bytes as people read it: MB with one decimal (1 MB = 1,048,576 bytes, as Lambda counts), KB under 1 MB (one decimal under 10 KB). */
const megabytes = (text: string) => {
  const bytes = Number(text);
  if (bytes >= 1_048_576) return `${(bytes / 1_048_576).toFixed(1)} MB`;
  return bytes >= 10_240 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1024).toFixed(1)} KB`;
};
const count = (n: string, lang: Lang) => (lang === 'en' ? Number(n).toLocaleString('en') : n);

export const EXPORT_REFUSALS = {
  'export-too-many-rows': {
    'zh-CN': (p) => `符合条件的事项超过 ${p.max} 件，请缩小范围（按月份、区、单位、类别或灯色筛选）后再导出。`,
    en: (p) => `More than ${count(p.max, 'en')} cases fit these filters. Narrow them (a month, a district, a unit, a category or a light) and export again.`,
  },
  'export-too-large': {
    'zh-CN': (p) =>
      `符合条件的事项共 ${p.rows} 件，导出文件约 ${megabytes(p.bytes)}，超过单次导出上限 ${megabytes(p.limit)}。请缩小范围（按月份、区、单位、类别或灯色筛选）后分批导出。`,
    en: (p) =>
      `${count(p.rows, 'en')} cases fit these filters, about ${megabytes(p.bytes)} of CSV: more than the ${megabytes(p.limit)} one export can carry. Narrow them (a month, a district, a unit, a category or a light) and export in parts.`,
  },
  'table-too-large': {
    'zh-CN': (p) => `结果共 ${p.rows} 行，约 ${megabytes(p.bytes)}，超过单次导出上限 ${megabytes(p.limit)}。请缩短月份范围或改用较粗的分组后再导出。`,
    en: (p) =>
      `The answer has ${count(p.rows, 'en')} rows, about ${megabytes(p.bytes)}: more than the ${megabytes(p.limit)} one export can carry. Ask for fewer months or a coarser breakdown.`,
  },
} satisfies Record<string, CatalogueEntry>;

Object.assign(ERROR_TEXTS as Record<string, CatalogueEntry>, EXPORT_REFUSALS);

export type ExportRefusal = keyof typeof EXPORT_REFUSALS;
export const exportRefusal = (code: ExportRefusal, params?: Params): Message => ({ code: `error.${code}`, ...(params ? { params } : {}) });

/** The case export's columns (GET /v1/cases/export), in their order, with the complainant's last. */
export const CASE_EXPORT_HEADERS = {
  id: ['事项编号', 'Case ID'],
  title: ['标题', 'Title'],
  category: ['类别', 'Category'],
  reportedVia: ['受理渠道', 'Channel'],
  district: ['区', 'District'],
  originUnit: ['受理单位编号', 'Accepting unit ID'],
  originUnitName: ['受理单位', 'Accepting unit'],
  assignedUnit: ['承办单位编号', 'Assigned unit ID'],
  assignedUnitName: ['承办单位', 'Assigned unit'],
  tier: ['层级', 'Tier'],
  status: ['状态', 'Status'],
  light: ['灯色', 'Light'],
  createdAt: ['受理时间', 'Accepted at'],
  dueAt: ['当前期限', 'Due at'],
  signedOffAt: ['签收时间', 'Signed off at'],
  firstResolvedAt: ['首次办结时间', 'First resolved at'],
  closedAt: ['结案时间', 'Closed at'],
  address: ['地址', 'Address'],
  complainantName: ['投诉人', 'Complainant'],
  complainantPhone: ['投诉人电话', 'Complainant phone'],
  complainantAddress: ['投诉人地址', 'Complainant address'],
} as const satisfies Record<string, Words>;

/** The statistics' columns (GET /v1/statistics?format=csv); the first names what the rows are by. */
export const STATISTICS_HEADERS = {
  received: ['受理数', 'Received'],
  resolved: ['办结数', 'Resolved'],
  resolutionRate: ['办结率（%）', 'Resolution rate (%)'],
  resolvedInCommunity: ['社区就地化解数', 'Resolved in the community'],
  satisfied: ['满意数', 'Satisfied'],
  satisfactionRate: ['满意率（%）', 'Satisfaction rate (%)'],
  signOffHoursP50: ['签收用时中位数（小时）', 'Sign-off hours, median'],
  signOffHoursP90: ['签收用时 90 分位（小时）', 'Sign-off hours, 90th percentile'],
  resolveDaysP50: ['办结用时中位数（天）', 'Days to resolve, median'],
  resolveDaysP90: ['办结用时 90 分位（天）', 'Days to resolve, 90th percentile'],
  resolvedSameMonth: ['当月办结数', 'Resolved in the month of arrival'],
} as const satisfies Record<string, Words>;

/** The statistics' first column, named by the breakdown (`by`). */
export const STATISTICS_KEY_HEADERS = {
  month: ['月份', 'Month'],
  district: ['区', 'District'],
  street: ['街道', 'Street'],
  category: ['类别', 'Category'],
  channel: ['受理渠道', 'Channel'],
  unit: ['首办单位', 'First unit'],
} as const satisfies Record<StatisticsBreakdown, Words>;

/** Column names in `lang`: a column with no entry keeps its own name (a unit test keeps every column named). */
export function headerRow(columns: readonly string[], names: Readonly<Record<string, Words>>, lang: Lang): string[] {
  return columns.map((column) => wordOf(names, column, lang));
}
