/**
 * The board's view as it lives in the URL (`/console/?district=xiling&light=red&q=噪音`): what
 * it reads from the query string, what it asks the API for, and what it refuses to send. The
 * API applies every filter in its query (a page is short only at the end), so the console
 * never filters or counts what it loaded.
 */
export const BOARD_FILTERS = ['q', 'unit', 'district', 'category', 'tier', 'status', 'light', 'month', 'sort'] as const;
export type BoardFilter = (typeof BOARD_FILTERS)[number];
export type BoardFilters = Readonly<Record<BoardFilter, string>>;

export const LIGHTS = ['red', 'yellow', 'green'] as const;
export const TIERS = ['0', '1', '2', '3'] as const;
export const STATUSES = ['awaiting-sign-off', 'in-progress', 'awaiting-evaluation', 'returned', 'closed'] as const;
/**
 * `light` (the board's default): red, then yellow, then green, each by next deadline; `due`: by
 * next deadline alone (the API's default, so it is not sent).
 */
export const SORTS = ['light', 'due'] as const;
export const DEFAULT_SORT = 'light';

/** The keyword the API accepts: 2 to 100 characters (after trimming). */
export const Q_MIN = 2;
export const Q_MAX = 100;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Cases per page of the board's list. */
export const PAGE_SIZE = 50;

export function filtersOf(params: URLSearchParams): BoardFilters {
  return Object.fromEntries(BOARD_FILTERS.map((name) => [name, (params.get(name) ?? '').trim()])) as BoardFilters;
}

/** Why the keyword cannot be sent yet (too short or too long), or undefined when it can; counted as the API counts (UTF-16 units). */
export function keywordProblem(q: string): 'short' | 'long' | undefined {
  const length = q.trim().length;
  if (length === 0) return undefined;
  if (length < Q_MIN) return 'short';
  if (length > Q_MAX) return 'long';
  return undefined;
}

/**
 * The filters the API is asked with: only known values (a hand-edited URL with `light=blue`
 * is ignored rather than sent), and the keyword only when it is long enough.
 */
export function effectiveFilters(filters: BoardFilters): Partial<Record<BoardFilter, string>> {
  const out: Partial<Record<BoardFilter, string>> = {};
  const known = <T extends string>(values: readonly T[], value: string) => (values as readonly string[]).includes(value);
  if (filters.q && !keywordProblem(filters.q)) out.q = filters.q.trim();
  if (filters.unit) out.unit = filters.unit;
  if (filters.district) out.district = filters.district;
  if (filters.category) out.category = filters.category;
  if (known(TIERS, filters.tier)) out.tier = filters.tier;
  if (known(STATUSES, filters.status)) out.status = filters.status;
  if (known(LIGHTS, filters.light)) out.light = filters.light;
  if (MONTH.test(filters.month)) out.month = filters.month;
  const sort = known(SORTS, filters.sort) ? filters.sort : DEFAULT_SORT;
  if (sort !== 'due') out.sort = sort;
  return out;
}

/** A query string in a stable order (so the same view is the same URL, and the same ETag). */
function queryOf(entries: ReadonlyArray<readonly [string, string | undefined]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of entries) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The complainant's phone, for the supervisor's search: personal data, so it is never put in
 * the page's URL (bookmarks, history), only in the request.
 */
export interface PrivateFilters {
  readonly phone?: string;
}

/** GET /v1/cases for this view: every filter, a page, and the cursor of the page before. */
export function listPath(filters: BoardFilters, cursor?: string, limit = PAGE_SIZE, secret: PrivateFilters = {}): string {
  const effective = effectiveFilters(filters);
  return `/v1/cases${queryOf([
    ...BOARD_FILTERS.map((name) => [name, effective[name]] as const),
    ['phone', secret.phone?.trim()],
    ['limit', String(limit)],
    ['cursor', cursor],
  ])}`;
}

/**
 * GET /v1/cases/summary for this view: the summary counts open cases and narrows by district,
 * category and unit only (the other filters are what its counts break down by, or, for a month,
 * not about open cases).
 */
export function summaryPath(filters: BoardFilters): string {
  const effective = effectiveFilters(filters);
  return `/v1/cases/summary${queryOf([
    ['district', effective.district],
    ['category', effective.category],
    ['unit', effective.unit],
  ])}`;
}

/** The list export (CSV or Excel) of this view: the same filters, no page; the complainant only when asked. */
export function exportPath(filters: BoardFilters, format: 'csv' | 'xlsx', withComplainant: boolean, secret: PrivateFilters = {}): string {
  const effective = effectiveFilters(filters);
  return `/v1/cases/export${queryOf([
    ...BOARD_FILTERS.map((name) => [name, effective[name]] as const),
    ['phone', secret.phone?.trim()],
    ['format', format],
    ['complainant', withComplainant ? 'true' : undefined],
  ])}`;
}

/** How many filters narrow the view (the sort is not one). */
export const activeFilterCount = (filters: BoardFilters): number =>
  BOARD_FILTERS.filter((name) => name !== 'sort' && Boolean(filters[name])).length;

/** Pages read so far, merged: a case is shown once, where the freshest page has it. */
export function mergePages<T extends { id: string }>(pages: ReadonlyArray<ReadonlyArray<T>>): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const page of pages) {
    for (const item of page) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      out.push(item);
    }
  }
  return out;
}

/** GET /v1/cases/summary: open cases by light, tier, district and category. */
export interface CaseCounts {
  readonly open: number;
  readonly byLight: Readonly<Record<(typeof LIGHTS)[number], number>>;
  readonly byTier: Readonly<Record<(typeof TIERS)[number], number>>;
  readonly byDistrict: Readonly<Record<string, number>>;
  readonly byCategory: Readonly<Record<string, number>>;
  readonly asOf: string;
}

/**
 * How many cases the list holds in all, when the summary says it: open cases narrowed at most
 * by one light or one tier (the summary's own breakdowns). A keyword, a status, a month or a
 * light and a tier together are not in the summary: undefined.
 */
export function listTotal(filters: BoardFilters, counts: CaseCounts | undefined): number | undefined {
  if (!counts) return undefined;
  const effective = effectiveFilters(filters);
  if (effective.q || effective.status || effective.month) return undefined;
  if (effective.light && effective.tier) return undefined;
  if (effective.light) return counts.byLight[effective.light as (typeof LIGHTS)[number]];
  if (effective.tier) return counts.byTier[effective.tier as (typeof TIERS)[number]];
  return counts.open;
}
