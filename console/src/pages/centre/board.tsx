import { getJson } from '../../api';
import type { CaseSummary } from '../../case-types';
import { nowMs } from '../../clock';
import { config } from '../../config';
import { useDirectory, type Directory } from '../../directory';
import { useI18n, type MessageKey } from '../../i18n';
import { usePolling } from '../../poll';
import { hrefOf, onLinkClick, useQuery } from '../../router';
import { activeDeadline, formatInstant, workingDaysLeft } from '../../time';
import { CaseCards } from '../../components/case-card';
import { LightBadge, ProblemView, TimeLeft, useNarrow } from '../../components/common';
import { Announcer } from '../../components/announcer';

const LIGHTS = ['red', 'yellow', 'green'] as const;
const SEVERITY: Record<string, number> = { red: 2, yellow: 1, green: 0 };
const TIERS = [0, 1, 2, 3] as const;
const STATUSES = ['awaiting-sign-off', 'in-progress', 'awaiting-evaluation', 'returned', 'closed'] as const;
/** The board reads at most this many cases per refresh (pages of 100). */
export const BOARD_LIMIT = 500;

interface Filters {
  unit: string;
  district: string;
  tier: string;
  category: string;
  status: string;
  light: string;
}
const FILTER_NAMES = ['unit', 'district', 'tier', 'category', 'status', 'light'] as const satisfies ReadonlyArray<keyof Filters>;

/** Every open case by next deadline (or a month's cases), following cursors up to the limit. */
async function loadCases(month: string): Promise<{ items: CaseSummary[]; more: boolean }> {
  const items: CaseSummary[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ limit: '100' });
    if (month) query.set('month', month);
    if (cursor) query.set('cursor', cursor);
    const page = await getJson<{ items: CaseSummary[]; nextCursor?: string }>(`/v1/cases?${query}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < BOARD_LIMIT);
  return { items, more: Boolean(cursor) };
}

interface Row {
  readonly item: CaseSummary;
  readonly dueMs?: number;
  readonly left: number;
}

function rowsOf(items: CaseSummary[], now: number): Row[] {
  return items
    .map((item) => {
      const due = activeDeadline(item);
      return { item, dueMs: due?.dueMs, left: due ? workingDaysLeft(due.dueMs, now) : Number.POSITIVE_INFINITY };
    })
    // Red first (a breached case keeps its red light in its second window), then least time left.
    .sort(
      (a, b) =>
        SEVERITY[b.item.light] - SEVERITY[a.item.light] ||
        a.left - b.left ||
        (a.dueMs ?? 0) - (b.dueMs ?? 0) ||
        a.item.id.localeCompare(b.item.id),
    );
}

function matches(item: CaseSummary, filters: Filters): boolean {
  return (
    (!filters.unit || item.assignedUnit === filters.unit) &&
    (!filters.district || item.district === filters.district) &&
    (!filters.tier || String(item.tier) === filters.tier) &&
    (!filters.category || item.category === filters.category) &&
    (!filters.status || item.status === filters.status) &&
    (!filters.light || item.light === filters.light)
  );
}

function FilterSelect(props: {
  name: keyof Filters;
  label: string;
  value: string;
  options: ReadonlyArray<readonly [string, string]>;
  onChange: (name: keyof Filters, value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <label class="filter">
      {props.label}
      <select name={props.name} value={props.value} onChange={(event) => props.onChange(props.name, event.currentTarget.value)}>
        <option value="">{t('common.all')}</option>
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

function Counts({ items, filters, setFilter }: { items: CaseSummary[]; filters: Filters; setFilter: (name: keyof Filters, value: string) => void }) {
  const { t } = useI18n();
  const byLight = (light: string) => items.filter((item) => item.light === light).length;
  const byTier = (tier: number) => items.filter((item) => item.tier === tier).length;
  return (
    <div class="counts">
      <div class="count-group" aria-label={t('board.byLight')}>
        <h2>{t('board.byLight')}</h2>
        <div class="count-cards">
          {LIGHTS.map((light) => (
            <button
              type="button"
              key={light}
              class={`count-card light-${light}${filters.light === light ? ' selected' : ''}`}
              data-count-light={light}
              aria-pressed={filters.light === light}
              onClick={() => setFilter('light', filters.light === light ? '' : light)}
            >
              <span class="count-value">{byLight(light)}</span>
              <span class="count-label">
                <span class="dot" aria-hidden="true" />
                {t(`light.${light}`)}
              </span>
            </button>
          ))}
        </div>
      </div>
      <div class="count-group" aria-label={t('board.byTier')}>
        <h2>{t('board.byTier')}</h2>
        <div class="count-cards">
          {TIERS.map((tier) => (
            <button
              type="button"
              key={tier}
              class={`count-card tier${filters.tier === String(tier) ? ' selected' : ''}`}
              data-count-tier={tier}
              aria-pressed={filters.tier === String(tier)}
              onClick={() => setFilter('tier', filters.tier === String(tier) ? '' : String(tier))}
            >
              <span class="count-value">{byTier(tier)}</span>
              <span class="count-label">{t(`tier.${tier}` as MessageKey)}</span>
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}

function CaseTable({ rows, directory, now }: { rows: Row[]; directory?: Directory; now: number }) {
  const { t, lang } = useI18n();
  if (rows.length === 0) return <p class="empty">{t('board.empty')}</p>;
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={t('board.cases')}>
      <table class="cases">
        <thead>
          <tr>
            <th>{t('col.light')}</th>
            <th>{t('col.title')}</th>
            <th>{t('col.category')}</th>
            <th>{t('col.unit')}</th>
            <th>{t('col.district')}</th>
            <th>{t('col.tier')}</th>
            <th>{t('col.status')}</th>
            <th>{t('col.due')}</th>
            <th class="num">{t('col.left')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ item, dueMs }) => (
            <tr key={item.id} data-case-id={item.id} data-light={item.light}>
              <td>
                <LightBadge light={item.light} />
              </td>
              <td class="title-cell">
                <a href={hrefOf({ page: 'case', id: item.id })} onClick={onLinkClick}>
                  {item.title}
                </a>
                <span class="case-id">{item.id}</span>
              </td>
              <td>{directory?.categoryName(item.category, lang) ?? item.category}</td>
              <td>{directory?.unitName(item.assignedUnit, lang) ?? item.assignedUnit}</td>
              <td>{directory?.districtName(item.district, lang) ?? item.district}</td>
              <td>{t(`tier.${item.tier}` as MessageKey)}</td>
              <td>{t(`status.${item.status}` as MessageKey)}</td>
              <td class="nowrap">{dueMs !== undefined ? formatInstant(dueMs) : '—'}</td>
              <td class="num">
                <TimeLeft dueMs={dueMs} now={now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The city board (全市总览) of the supervision centre, auditors and operators; its month and filters are in the URL. */
export function BoardPage() {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const narrow = useNarrow();
  const [query, setQuery] = useQuery();
  const month = query.get('month') ?? '';
  const filters = Object.fromEntries(FILTER_NAMES.map((name) => [name, query.get(name) ?? ''])) as unknown as Filters;
  const polled = usePolling(() => loadCases(month), config().refreshSeconds, `board:${month}`);
  const setFilter = (name: keyof Filters, value: string) => setQuery({ [name]: value });
  const setMonth = (value: string) => setQuery({ month: value });

  const items = polled.data?.items ?? [];
  const now = nowMs();
  const rows = rowsOf(items.filter((item) => matches(item, filters)), now);
  const unitsSeen = [...new Set(items.map((item) => item.assignedUnit))]
    .map((id) => [id, directory?.unitName(id, lang) ?? id] as const)
    .sort((a, b) => a[1].localeCompare(b[1], lang));

  const activeFilters = FILTER_NAMES.filter((name) => filters[name]).length + (month ? 1 : 0);
  const monthTool = (
    <label class="filter">
      {t('filter.month')}
      <input type="month" name="month" value={month} onChange={(event) => setMonth(event.currentTarget.value)} />
    </label>
  );
  const filterControls = (
      <div class="filters">
        <FilterSelect name="unit" label={t('filter.unit')} value={filters.unit} options={unitsSeen} onChange={setFilter} />
        <FilterSelect
          name="district"
          label={t('filter.district')}
          value={filters.district}
          options={(directory?.districts ?? []).map((d) => [d.id, lang === 'en' ? d.nameEn : d.name] as const)}
          onChange={setFilter}
        />
        <FilterSelect name="tier" label={t('filter.tier')} value={filters.tier} options={TIERS.map((tier) => [String(tier), t(`tier.${tier}` as MessageKey)] as const)} onChange={setFilter} />
        <FilterSelect
          name="category"
          label={t('filter.category')}
          value={filters.category}
          options={(directory?.categories ?? []).map((c) => [c.id, lang === 'en' ? c.nameEn : c.name] as const)}
          onChange={setFilter}
        />
        <FilterSelect name="status" label={t('filter.status')} value={filters.status} options={STATUSES.map((s) => [s, t(`status.${s}` as MessageKey)] as const)} onChange={setFilter} />
        <FilterSelect name="light" label={t('filter.light')} value={filters.light} options={LIGHTS.map((l) => [l, t(`light.${l}`)] as const)} onChange={setFilter} />
        <button type="button" class="link" onClick={() => setQuery(Object.fromEntries(FILTER_NAMES.map((name) => [name, undefined])))}>
          {t('filter.clear')}
        </button>
      </div>
  );

  return (
    <main class="board" id="main" tabIndex={-1}>
      <div class="page-head">
        <h1>{t('board.title')}</h1>
        <div class="page-tools">
          {narrow ? null : monthTool}
          <button type="button" onClick={() => polled.refresh()} data-action="refresh">
            {t('common.refresh')}
          </button>
          {polled.updatedAt && !narrow ? <span class="muted updated">{t('common.updated', { time: new Date(polled.updatedAt).toLocaleTimeString() })}</span> : null}
        </div>
      </div>
      <ProblemView error={polled.error} />
      {polled.data ? <Announcer items={items} updatedAt={polled.updatedAt} /> : null}
      <p class="scope muted">
        {t('board.scope')}: {month ? t('board.scopeMonth', { month }) : t('board.scopeOpen')}
      </p>
      {polled.loading && !polled.data ? <p>{t('common.loading')}</p> : null}
      <Counts items={items} filters={filters} setFilter={setFilter} />
      <section class="panel">
        {narrow ? (
          <details class="filters-toggle" open={activeFilters > 0}>
            <summary>
              {t('filter.title')}
              {activeFilters ? ` (${activeFilters})` : ''}
            </summary>
            {monthTool}
            {filterControls}
          </details>
        ) : (
          filterControls
        )}
        <h2>
          {t('board.cases')} <span class="muted count-line">{t('board.count', { shown: rows.length, total: items.length })}</span>
        </h2>
        {polled.data?.more ? <p class="muted">{t('board.more', { limit: BOARD_LIMIT })}</p> : null}
        {narrow ? (
          rows.length ? (
            <CaseCards items={rows.map((row) => row.item)} now={now} label={t('board.cases')} />
          ) : (
            <p class="empty">{t('board.empty')}</p>
          )
        ) : (
          <CaseTable rows={rows} directory={directory} now={now} />
        )}
      </section>
    </main>
  );
}
