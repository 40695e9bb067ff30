import { useEffect, useState } from 'preact/hooks';
import { getJsonIfChanged, request, type Conditional } from '../../api';
import { sessionStore } from '../../auth';
import {
  activeFilterCount,
  BOARD_FILTERS,
  DEFAULT_SORT,
  type BoardFilter,
  type BoardFilters,
  type CaseCounts,
  effectiveFilters,
  exportPath,
  filtersOf,
  keywordProblem,
  LIGHTS,
  listPath,
  listTotal,
  mergePages,
  PAGE_SIZE,
  type PrivateFilters,
  Q_MAX,
  Q_MIN,
  SORTS,
  STATUSES,
  summaryPath,
  TIERS,
} from '../../board-query';
import type { CaseSummary } from '../../case-types';
import { nowMs } from '../../clock';
import { config } from '../../config';
import { useDirectory, type Directory } from '../../directory';
import { useI18n, type MessageKey } from '../../i18n';
import { useChangePolling, type Look } from '../../poll';
import { hrefOf, onLinkClick, useQuery } from '../../router';
import { useStore } from '../../store';
import { activeDeadline, formatInstant } from '../../time';
import { CaseCards } from '../../components/case-card';
import { LightBadge, ProblemView, TimeLeft, useNarrow } from '../../components/common';
import { Announcer } from '../../components/announcer';
import { saveDownload } from '../../download';
import { saveCsvAsWorkbook } from '../../xlsx-export';

/** While nothing changes, the board looks less and less often, down to once in this many seconds. */
export const IDLE_POLL_SECONDS = 60;

interface CasePage {
  readonly items: CaseSummary[];
  readonly nextCursor?: string;
}

interface BoardData {
  readonly counts: CaseCounts;
  readonly first: CasePage;
}

/**
 * One look. The summary is asked every time, conditionally (If-None-Match: a board where
 * nothing moved gets a 304 and downloads nothing). The list's first page is asked with it while
 * someone uses the page; while nobody does, only when the summary changed — so an idle board
 * costs one small request per look.
 */
async function lookAt(filters: BoardFilters, secret: PrivateFilters, look: Look<BoardData>): Promise<Conditional<BoardData>> {
  const listToo = look.pace === 'active' || !look.previous;
  const path = listPath(filters, undefined, PAGE_SIZE, secret);
  const [counts, maybeFirst] = await Promise.all([getJsonIfChanged<CaseCounts>(summaryPath(filters)), listToo ? getJsonIfChanged<CasePage>(path) : undefined]);
  const first = maybeFirst ?? (counts.changed ? await getJsonIfChanged<CasePage>(path) : { data: (look.previous as BoardData).first, changed: false });
  return { data: { counts: counts.data, first: first.data }, changed: counts.changed || first.changed };
}

function FilterSelect(props: {
  name: BoardFilter;
  label: string;
  value: string;
  options: ReadonlyArray<readonly [string, string]>;
  onChange: (name: BoardFilter, value: string) => void;
  allLabel?: string;
}) {
  const { t } = useI18n();
  return (
    <label class="filter">
      {props.label}
      <select name={props.name} value={props.value} onChange={(event) => props.onChange(props.name, event.currentTarget.value)}>
        {props.allLabel === '' ? null : <option value="">{props.allLabel ?? t('common.all')}</option>}
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The keyword box: sent when submitted, and only once it is 2 to 100 characters long. */
function KeywordBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const problem = keywordProblem(draft);
  return (
    <form
      class="filter keyword"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        if (!problem) onSearch(draft.trim());
      }}
    >
      <label for="board-q">{t('filter.q')}</label>
      <span class="keyword-row">
        <input
          id="board-q"
          type="search"
          name="q"
          value={draft}
          maxLength={Q_MAX + 20}
          placeholder={t('filter.qPlaceholder')}
          aria-describedby={problem ? 'board-q-problem' : undefined}
          aria-invalid={problem ? 'true' : undefined}
          onInput={(event) => {
            setDraft(event.currentTarget.value);
            // Emptied: the search is over.
            if (!event.currentTarget.value.trim() && value) onSearch('');
          }}
        />
        <button type="submit" data-action="search">
          {t('filter.search')}
        </button>
      </span>
      {problem ? (
        <span class="field-error" id="board-q-problem">
          {t(problem === 'short' ? 'filter.qShort' : 'filter.qLong', { min: Q_MIN, max: Q_MAX })}
        </span>
      ) : null}
    </form>
  );
}

/** The supervisor's search by the complainant's phone, exactly: kept in the page, never in its URL. */
function PhoneBox({ value, onSearch }: { value: string; onSearch: (phone: string) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <form
      class="filter keyword"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(draft.trim());
      }}
    >
      <label for="board-phone">{t('filter.phone')}</label>
      <span class="keyword-row">
        <input
          id="board-phone"
          type="tel"
          name="phone"
          value={draft}
          autocomplete="off"
          maxLength={20}
          onInput={(event) => {
            setDraft(event.currentTarget.value);
            if (!event.currentTarget.value.trim() && value) onSearch('');
          }}
        />
        <button type="submit" data-action="search-phone">
          {t('filter.search')}
        </button>
      </span>
    </form>
  );
}

function CountCard(props: { value: number; label: string; selected: boolean; onClick: () => void; class: string; data: Record<string, string> }) {
  return (
    <button type="button" class={`count-card ${props.class}${props.selected ? ' selected' : ''}`} aria-pressed={props.selected} onClick={props.onClick} {...props.data}>
      <span class="count-value">{props.value}</span>
      <span class="count-label">{props.label}</span>
    </button>
  );
}

/** Open cases counted by the server over every open case (never from what the page loaded). */
function Counts({ counts, filters, setFilter, narrow }: { counts?: CaseCounts; filters: BoardFilters; setFilter: (name: BoardFilter, value: string) => void; narrow: boolean }) {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const toggle = (name: BoardFilter, value: string) => setFilter(name, filters[name] === value ? '' : value);
  const ranked = (record: Readonly<Record<string, number>> | undefined) =>
    Object.entries(record ?? {})
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const breakdowns = (
    <>
      <div class="count-group" role="group" aria-label={t('board.byTier')}>
        <h2>{t('board.byTier')}</h2>
        <div class="count-cards">
          {TIERS.map((tier) => (
            <CountCard
              key={tier}
              value={counts?.byTier[tier] ?? 0}
              label={t(`tier.${tier}` as MessageKey)}
              class="tier"
              selected={filters.tier === tier}
              onClick={() => toggle('tier', tier)}
              data={{ 'data-count-tier': tier }}
            />
          ))}
        </div>
      </div>
      <div class="count-group breakdown" role="group" aria-label={t('board.byDistrict')}>
        <h2>{t('board.byDistrict')}</h2>
        <ul class="count-list">
          {ranked(counts?.byDistrict).map(([id, n]) => (
            <li key={id}>
              <button type="button" class="link" aria-pressed={filters.district === id} data-count-district={id} onClick={() => toggle('district', id)}>
                {directory?.districtName(id, lang) ?? id}
              </button>
              <span class="num">{n}</span>
            </li>
          ))}
        </ul>
      </div>
      <div class="count-group breakdown" role="group" aria-label={t('board.byCategory')}>
        <h2>{t('board.byCategory')}</h2>
        <ul class="count-list">
          {ranked(counts?.byCategory).map(([id, n]) => (
            <li key={id}>
              <button type="button" class="link" aria-pressed={filters.category === id} data-count-category={id} onClick={() => toggle('category', id)}>
                {directory?.categoryName(id, lang) ?? id}
              </button>
              <span class="num">{n}</span>
            </li>
          ))}
        </ul>
      </div>
    </>
  );
  return (
    <div class="counts" data-counts-as-of={counts?.asOf ?? ''}>
      {narrow ? null : (
        <div class="count-group open-total">
          <h2>{t('board.open')}</h2>
          <p class="count-value big" data-count-open={counts?.open ?? ''}>
            {counts ? counts.open : '—'}
          </p>
          {counts ? <p class="muted">{t('board.asOf', { time: formatInstant(counts.asOf) })}</p> : null}
        </div>
      )}
      <div class="count-group" role="group" aria-label={t('board.byLight')}>
        <h2>
          {t('board.byLight')}
          {narrow && counts ? (
            <span class="muted count-line" data-count-open={counts.open}>
              {t('board.open')} {counts.open}
            </span>
          ) : null}
        </h2>
        <div class="count-cards">
          {LIGHTS.map((light) => (
            <CountCard
              key={light}
              value={counts?.byLight[light] ?? 0}
              label={t(`light.${light}`)}
              class={`light-${light}`}
              selected={filters.light === light}
              onClick={() => toggle('light', light)}
              data={{ 'data-count-light': light }}
            />
          ))}
        </div>
      </div>
      {narrow ? (
        <details class="count-group breakdowns">
          <summary>
            {t('board.byTier')} · {t('board.byDistrict')} · {t('board.byCategory')}
          </summary>
          {breakdowns}
        </details>
      ) : (
        breakdowns
      )}
    </div>
  );
}

/** The cases, in the API's order; the column headings stay on screen while the list scrolls. */
function CaseTable({ items, directory, now }: { items: readonly CaseSummary[]; directory?: Directory; now: number }) {
  const { t, lang } = useI18n();
  if (items.length === 0) return <p class="empty">{t('board.empty')}</p>;
  return (
    <div class="table-scroll sticky-head" tabIndex={0} role="region" aria-label={t('board.cases')}>
      <table class="cases">
        <thead>
          <tr>
            <th scope="col">{t('col.light')}</th>
            <th scope="col">{t('col.title')}</th>
            <th scope="col">{t('col.category')}</th>
            <th scope="col">{t('col.unit')}</th>
            <th scope="col">{t('col.district')}</th>
            <th scope="col">{t('col.tier')}</th>
            <th scope="col">{t('col.status')}</th>
            <th scope="col">{t('col.due')}</th>
            <th scope="col" class="num">
              {t('col.left')}
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => {
            const dueMs = activeDeadline(item)?.dueMs;
            return (
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
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The supervisor's export of the list as it is filtered now: CSV or Excel, the complainant only when ticked. */
function ExportTools({ filters, secret }: { filters: BoardFilters; secret: PrivateFilters }) {
  const { t } = useI18n();
  const [withComplainant, setWithComplainant] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const download = (format: 'csv' | 'xlsx') => {
    setError(undefined);
    setBusy(true);
    // Excel is made in the page from the API's CSV (console/src/xlsx-export.ts).
    request('GET', exportPath(filters, 'csv', withComplainant, secret))
      .then((response) => (format === 'csv' ? saveDownload(response, 'cases.csv') : saveCsvAsWorkbook(response, 'cases.csv', t('board.title'))))
      .catch(setError)
      .finally(() => setBusy(false));
  };
  return (
    <div class="export-tools" role="group" aria-label={t('export.title')}>
      <span class="export-label">{t('export.title')}</span>
      <label class="check">
        <input type="checkbox" name="complainant" checked={withComplainant} onChange={(event) => setWithComplainant(event.currentTarget.checked)} />
        {t('export.complainant')}
      </label>
      <button type="button" data-action="export-csv" disabled={busy} onClick={() => download('csv')}>
        {t('export.csv')}
      </button>
      <button type="button" data-action="export-xlsx" disabled={busy} onClick={() => download('xlsx')}>
        {t('export.xlsx')}
      </button>
      {busy ? <span class="muted">{t('export.busy')}</span> : null}
      <ProblemView error={error} />
    </div>
  );
}

/** Pages after the first, read on request; dropped when the view changes. */
interface LaterPages {
  readonly view: string;
  readonly pages: ReadonlyArray<readonly CaseSummary[]>;
  readonly cursor?: string;
  readonly done: boolean;
}

/** The city board (全市总览) of the supervision centre, auditors and operators; its view is in the URL. */
export function BoardPage() {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const narrow = useNarrow();
  const session = useStore(sessionStore);
  const [query, setQuery] = useQuery();
  const filters = filtersOf(query);
  const [phone, setPhone] = useState('');
  const isSupervisor = session?.role === 'supervisor';
  const secret: PrivateFilters = isSupervisor && phone ? { phone } : {};
  const view = listPath(filters, undefined, PAGE_SIZE, secret);
  const polled = useChangePolling<BoardData>((look) => lookAt(filters, secret, look), config().refreshSeconds, `board:${view}`, IDLE_POLL_SECONDS);
  const [later, setLater] = useState<LaterPages>({ view, pages: [], done: false });
  const [moreError, setMoreError] = useState<unknown>();
  const [loadingMore, setLoadingMore] = useState(false);
  const laterPages = later.view === view ? later : { view, pages: [], done: false };
  useEffect(() => setMoreError(undefined), [view]);

  const setFilter = (name: BoardFilter, value: string) => setQuery({ [name]: value || undefined });
  const first = polled.data?.first;
  const counts = polled.data?.counts;
  const items = mergePages<CaseSummary>([first?.items ?? [], ...laterPages.pages]);
  const nextCursor = laterPages.pages.length ? laterPages.cursor : first?.nextCursor;
  const hasMore = Boolean(nextCursor) && !laterPages.done;
  const total = listTotal(filters, counts);
  const now = nowMs();

  const loadMore = () => {
    if (!nextCursor || loadingMore) return;
    setLoadingMore(true);
    setMoreError(undefined);
    request('GET', listPath(filters, nextCursor, PAGE_SIZE, secret))
      .then((response) => response.json() as Promise<CasePage>)
      .then((page) =>
        setLater((previous) => {
          const base = previous.view === view ? previous : { view, pages: [], done: false };
          return { view, pages: [...base.pages, page.items], cursor: page.nextCursor, done: !page.nextCursor };
        }),
      )
      .catch(setMoreError)
      .finally(() => setLoadingMore(false));
  };

  const units = [...(directory?.units ?? [])]
    .filter((unit) => unit.kind !== 'supervision-centre')
    .map((unit) => [unit.id, lang === 'en' ? unit.nameEn : unit.name] as const)
    .sort((a, b) => a[1].localeCompare(b[1], lang));
  const active = activeFilterCount(filters);
  const effective = effectiveFilters(filters);

  const filterControls = (
    <div class="filters">
      <KeywordBox value={filters.q} onSearch={(q) => setFilter('q', q)} />
      {isSupervisor ? <PhoneBox value={phone} onSearch={setPhone} /> : null}
      <FilterSelect name="unit" label={t('filter.unit')} value={filters.unit} options={units} onChange={setFilter} />
      <FilterSelect
        name="district"
        label={t('filter.district')}
        value={filters.district}
        options={(directory?.districts ?? []).map((d) => [d.id, lang === 'en' ? d.nameEn : d.name] as const)}
        onChange={setFilter}
      />
      <FilterSelect
        name="category"
        label={t('filter.category')}
        value={filters.category}
        options={(directory?.categories ?? []).map((c) => [c.id, lang === 'en' ? c.nameEn : c.name] as const)}
        onChange={setFilter}
      />
      <FilterSelect name="tier" label={t('filter.tier')} value={filters.tier} options={TIERS.map((tier) => [tier, t(`tier.${tier}` as MessageKey)] as const)} onChange={setFilter} />
      <FilterSelect name="status" label={t('filter.status')} value={filters.status} options={STATUSES.map((s) => [s, t(`status.${s}` as MessageKey)] as const)} onChange={setFilter} />
      <FilterSelect name="light" label={t('filter.light')} value={filters.light} options={LIGHTS.map((l) => [l, t(`light.${l}`)] as const)} onChange={setFilter} />
      <label class="filter">
        {t('filter.month')}
        <input type="month" name="month" value={filters.month} onChange={(event) => setFilter('month', event.currentTarget.value)} />
      </label>
      <FilterSelect
        name="sort"
        label={t('filter.sort')}
        value={(SORTS as readonly string[]).includes(filters.sort) ? filters.sort : DEFAULT_SORT}
        allLabel=""
        options={SORTS.map((s) => [s, t(`sort.${s}` as MessageKey)] as const)}
        onChange={(name, value) => setFilter(name, value === DEFAULT_SORT ? '' : value)}
      />
      <button
        type="button"
        class="link"
        data-action="clear-filters"
        onClick={() => {
          setPhone('');
          setQuery(Object.fromEntries(BOARD_FILTERS.map((name) => [name, undefined])));
        }}
      >
        {t('filter.clear')}
      </button>
    </div>
  );

  return (
    <main class="board" id="main" tabIndex={-1}>
      <div class="page-head">
        <h1>{t('board.title')}</h1>
        <div class="page-tools">
          <button type="button" onClick={() => polled.refresh()} data-action="refresh">
            {t('common.refresh')}
          </button>
          {polled.updatedAt && !narrow ? (
            <span class="muted updated" data-poll-seconds={polled.delaySeconds}>
              {t('common.updated', { time: new Date(polled.updatedAt).toLocaleTimeString() })}
            </span>
          ) : null}
        </div>
      </div>
      <ProblemView error={polled.error} />
      {counts ? <Announcer counts={{ total: counts.open, red: counts.byLight.red, yellow: counts.byLight.yellow }} /> : null}
      <p class="scope muted">
        {t('board.scope')}: {effective.month ? t('board.scopeMonth', { month: effective.month }) : t('board.scopeOpen')}
        {effective.district || effective.category || effective.unit ? ` · ${t('board.scopeNarrowed')}` : ''}
      </p>
      {polled.loading && !polled.data ? <p>{t('common.loading')}</p> : null}
      <Counts counts={counts} filters={filters} setFilter={setFilter} narrow={narrow} />
      <section class="panel" aria-labelledby="board-cases-heading">
        {narrow ? (
          <details class="filters-toggle" open={active > 0}>
            <summary>
              {t('filter.title')}
              {active ? ` (${active})` : ''}
            </summary>
            {filterControls}
            {isSupervisor ? <ExportTools filters={filters} secret={secret} /> : null}
          </details>
        ) : (
          <>
            {filterControls}
            {isSupervisor ? <ExportTools filters={filters} secret={secret} /> : null}
          </>
        )}
        <h2 id="board-cases-heading">
          {t(filters.sort === 'due' ? 'board.cases' : 'board.casesByLight')}{' '}
          <span class="muted count-line" data-shown={items.length} data-total={total ?? ''}>
            {total !== undefined ? t('board.countOf', { shown: items.length, total }) : t('board.countShown', { shown: items.length })}
          </span>
        </h2>
        {polled.data ? (
          narrow ? (
            items.length ? (
              <CaseCards items={items} now={now} label={t('board.cases')} />
            ) : (
              <p class="empty">{t('board.empty')}</p>
            )
          ) : (
            <CaseTable items={items} directory={directory} now={now} />
          )
        ) : null}
        <ProblemView error={moreError} />
        {hasMore ? (
          <p class="more">
            <button type="button" data-action="more" disabled={loadingMore} onClick={loadMore}>
              {loadingMore ? t('common.loading') : t('board.more')}
            </button>
          </p>
        ) : polled.data && items.length ? (
          <p class="muted end-of-list">{t('board.end')}</p>
        ) : null}
      </section>
    </main>
  );
}
