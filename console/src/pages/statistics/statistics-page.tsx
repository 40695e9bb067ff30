import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { REPORT_READERS, type Role } from '../../../../functions/domain/roles';
import { getJson, request } from '../../api';
import { sessionStore } from '../../auth';
import { nowMs } from '../../clock';
import { useDirectory, type Directory } from '../../directory';
import { saveDownload } from '../../download';
import { saveCsvAsWorkbook } from '../../xlsx-export';
import { useI18n, type Lang, type MessageKey, type Translate } from '../../i18n';
import { usePolling } from '../../poll';
import { useQuery } from '../../router';
import { useStore } from '../../store';
import {
  channelGroupsOf,
  MAX_MONTHS,
  orderedRows,
  sharesOf,
  STAT_BREAKDOWNS,
  statisticsPath,
  statViewOf,
  totalsOf,
  type Share,
  type StatBreakdown,
  type Statistics,
  type StatRow,
  type StatView,
} from '../../statistics-view';
import { shanghaiMonthOf } from '../../time';
import { BarChart } from '../../components/bar-chart';
import { ProblemView } from '../../components/common';
import { MEDIATION_STATISTICS_READERS } from '../../../../functions/domain/roles';
import { MediationSection } from './mediation-section';

/** Statistics change slowly: a look every five minutes while the page is open and visible. */
const REFRESH_SECONDS = 300;

const number = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined ? '—' : String(Math.round(value * 10 ** digits) / 10 ** digits);
const rate = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${number(value)}%`);

/** A row's key in words: a unit's or district's name, a category, a channel, or the month itself. */
function keyLabel(by: StatBreakdown, key: string, directory: Directory | undefined, lang: Lang, t: Translate): string {
  switch (by) {
    case 'unit':
    case 'street':
      return directory?.unitName(key, lang) ?? key;
    case 'district':
      return directory?.districtName(key, lang) ?? key;
    case 'category':
      return directory?.categoryName(key, lang) ?? key;
    case 'channel':
      return t(`via.${key}` as MessageKey) === `via.${key}` ? key : t(`via.${key}` as MessageKey);
    default:
      return key;
  }
}

interface Loaded {
  readonly trend: Statistics;
  readonly channels: Statistics;
  readonly categories: Statistics;
  readonly chosen: Statistics;
}

/** The breakdowns the charts need (by month, channel, category) and the one chosen for the table, each asked once. */
async function loadStatistics(view: StatView): Promise<Loaded> {
  const wanted: StatBreakdown[] = [...new Set<StatBreakdown>(['month', 'channel', 'category', view.by])];
  const answers = await Promise.all(wanted.map((by) => getJson<Statistics>(statisticsPath(view, by))));
  const of = (by: StatBreakdown) => answers[wanted.indexOf(by)];
  return { trend: of('month'), channels: of('channel'), categories: of('category'), chosen: of(view.by) };
}

/** A chart with its figures beside it as a table: the same numbers for those who cannot see the chart. */
function ChartWithTable({ id, title, chart, table, note }: { id: string; title: string; chart: ComponentChildren; table: ComponentChildren; note?: ComponentChildren }) {
  return (
    <section class="panel stat-section" id={id} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {note}
      <div class="chart-with-table">
        <div class="chart-side">{chart}</div>
        <div class="table-side">{table}</div>
      </div>
    </section>
  );
}

function ShareTable({ caption, shares, label, id }: { caption: string; shares: readonly Share[]; label: (key: string) => string; id: string }) {
  const { t } = useI18n();
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table class="stat-table" data-table={id}>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('stats.key')}</th>
            <th scope="col" class="num">
              {t('stats.received')}
            </th>
            <th scope="col" class="num">
              {t('stats.share')}
            </th>
          </tr>
        </thead>
        <tbody>
          {shares.map((share) => (
            <tr key={share.key} data-key={share.key}>
              <th scope="row">{label(share.key)}</th>
              <td class="num">{share.received}</td>
              <td class="num" data-share={share.share ?? ''}>
                {rate(share.share)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Every figure of every row of the chosen breakdown. */
function FullTable({ rows, by, label }: { rows: readonly StatRow[]; by: StatBreakdown; label: (key: string) => string }) {
  const { t } = useI18n();
  const caption = t('stats.tableTitle', { by: t(`stats.by.${by}` as MessageKey) });
  return (
    <div class="table-scroll sticky-head" tabIndex={0} role="region" aria-label={caption}>
      <table class="stat-table full" data-table="full" data-by={by}>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t(`stats.by.${by}` as MessageKey)}</th>
            <th scope="col" class="num">{t('stats.received')}</th>
            <th scope="col" class="num">{t('stats.resolved')}</th>
            <th scope="col" class="num">{t('stats.resolutionRate')}</th>
            <th scope="col" class="num">{t('stats.resolvedInCommunity')}</th>
            <th scope="col" class="num">{t('stats.satisfied')}</th>
            <th scope="col" class="num">{t('stats.satisfactionRate')}</th>
            <th scope="col" class="num">{t('stats.signOffP50')}</th>
            <th scope="col" class="num">{t('stats.signOffP90')}</th>
            <th scope="col" class="num">{t('stats.resolveP50')}</th>
            <th scope="col" class="num">{t('stats.resolveP90')}</th>
            <th scope="col" class="num">{t('stats.sameMonth')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-key={row.key}>
              <th scope="row">{label(row.key)}</th>
              <td class="num">{row.received}</td>
              <td class="num">{row.resolved}</td>
              <td class="num">{rate(row.resolutionRate)}</td>
              <td class="num">{row.resolvedInCommunity}</td>
              <td class="num">{row.satisfied}</td>
              <td class="num">{rate(row.satisfactionRate)}</td>
              <td class="num">{number(row.signOffHoursP50)}</td>
              <td class="num">{number(row.signOffHoursP90)}</td>
              <td class="num">{number(row.resolveDaysP50)}</td>
              <td class="num">{number(row.resolveDaysP90)}</td>
              <td class="num">{row.resolvedSameMonth}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Headline({ loaded }: { loaded: Loaded }) {
  const { t } = useI18n();
  const totals = totalsOf(loaded.trend.rows);
  const groups = channelGroupsOf(loaded.channels.rows);
  const cards: Array<[string, string, string]> = [
    ['received', t('stats.received'), String(totals.received)],
    ['resolved', t('stats.resolved'), String(totals.resolved)],
    ['resolution-share', t('stats.resolutionShare'), rate(totals.resolutionShare)],
    ['community-share', t('stats.communityShare'), rate(totals.communityShare)],
    ['same-month-share', t('stats.sameMonthShare'), rate(totals.sameMonthShare)],
    ...groups.map(({ group, share }) => [`channel-${group}`, t(`stats.group.${group}` as MessageKey), rate(share)] as [string, string, string]),
  ];
  return (
    <div class="count-cards totals stat-headline">
      {cards.map(([key, label, value]) => (
        <div class="count-card" key={key} data-figure={key}>
          <span class="count-value">{value}</span>
          <span class="count-label">{label}</span>
        </div>
      ))}
    </div>
  );
}

/** The breakdown shown, as the API's CSV or as a workbook made in the page from that CSV (console/src/xlsx-export.ts). */
async function download(view: StatView, format: 'csv' | 'xlsx', sheetName: string): Promise<void> {
  const response = await request('GET', statisticsPath(view, view.by, 'csv'));
  const fallbackName = `statistics-${view.by}-${view.from}-${view.to}.csv`;
  await (format === 'csv' ? saveDownload(response, fallbackName) : saveCsvAsWorkbook(response, fallbackName, sheetName));
}

/**
 * Comprehensive statistics (综合统计) for the supervision centre and auditors: any range of months, by any breakdown;
 * and the mediation statistics with their targets, which the mediation bodies read too (they see only that part).
 */
export function StatisticsPage() {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const [query, setQuery] = useQuery();
  const role = useStore(sessionStore)?.role as Role | undefined;
  const general = role !== undefined && REPORT_READERS.includes(role);
  const mediation = role !== undefined && MEDIATION_STATISTICS_READERS.includes(role);
  const view = statViewOf(query, shanghaiMonthOf(nowMs()));
  const [downloadError, setDownloadError] = useState<unknown>();
  const key = `${view.from}/${view.to}/${view.by}`;
  const polled = usePolling(() => (view.problem || !general ? Promise.resolve(undefined) : loadStatistics(view)), REFRESH_SECONDS, `statistics:${key}:${view.problem ?? ''}:${general}`);
  const loaded = polled.data;
  const label = (by: StatBreakdown) => (key: string) => keyLabel(by, key, directory, lang, t);

  const trend = orderedRows(loaded?.trend.rows ?? [], 'month');
  const channelShares = sharesOf(loaded?.channels.rows ?? []);
  const categoryShares = sharesOf(loaded?.categories.rows ?? []);
  const chosen = orderedRows(loaded?.chosen.rows ?? [], view.by);
  const chosenLabels = chosen.map((row) => label(view.by)(row.key));
  const byName = t(`stats.by.${view.by}` as MessageKey);

  return (
    <main class="statistics" id="main" tabIndex={-1}>
      <div class="page-head">
        <h1>{t('stats.title')}</h1>
        <form class="page-tools stat-tools" onSubmit={(event) => event.preventDefault()}>
          <label class="filter">
            {t('stats.from')}
            <input type="month" name="from" value={view.from} onChange={(event) => setQuery({ from: event.currentTarget.value || undefined })} />
          </label>
          <label class="filter">
            {t('stats.to')}
            <input type="month" name="to" value={view.to} onChange={(event) => setQuery({ to: event.currentTarget.value || undefined })} />
          </label>
          {general ? (
            <label class="filter">
              {t('stats.byLabel')}
              <select name="by" value={view.by} onChange={(event) => setQuery({ by: event.currentTarget.value })}>
                {STAT_BREAKDOWNS.map((by) => (
                  <option key={by} value={by}>
                    {t(`stats.by.${by}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {(general ? (['csv', 'xlsx'] as const) : []).map((format) => (
            <button
              key={format}
              type="button"
              data-action={`download-${format}`}
              disabled={Boolean(view.problem)}
              onClick={() => {
                setDownloadError(undefined);
                download(view, format, t('nav.statistics')).catch(setDownloadError);
              }}
            >
              {t(format === 'csv' ? 'stats.csv' : 'stats.xlsx')}
            </button>
          ))}
        </form>
      </div>
      {general ? (
        <p class="muted stat-scope" data-range={`${view.from}/${view.to}`}>
          {t('stats.scope', { from: view.from, to: view.to })}
        </p>
      ) : null}
      {view.problem ? (
        <p class="problem" role="alert" data-range-problem={view.problem}>
          {t(`stats.problem.${view.problem}` as MessageKey, { max: MAX_MONTHS })}
        </p>
      ) : null}
      <ProblemView error={downloadError} />
      <ProblemView error={polled.error} />
      {general && polled.loading && !loaded && !view.problem ? <p>{t('common.loading')}</p> : null}
      {loaded ? (
        <>
          <section class="panel" aria-labelledby="stat-headline-heading">
            <h2 id="stat-headline-heading">{t('stats.headline')}</h2>
            <Headline loaded={loaded} />
            <p class="muted">{t('stats.headlineNote')}</p>
          </section>
          <ChartWithTable
            id="stat-trend"
            title={t('stats.trend')}
            chart={
              <BarChart
                ariaLabel={t('stats.trend')}
                labels={trend.map((row) => row.key)}
                series={[
                  { label: t('stats.received'), values: trend.map((row) => row.received), color: '#94a3b8' },
                  { label: t('stats.resolved'), values: trend.map((row) => row.resolved), color: '#0f766e' },
                  { label: t('stats.sameMonth'), values: trend.map((row) => row.resolvedSameMonth), color: '#2563eb' },
                ]}
              />
            }
            table={
              <div class="table-scroll" tabIndex={0} role="region" aria-label={t('stats.trend')}>
                <table class="stat-table" data-table="trend">
                  <caption class="visually-hidden">{t('stats.trend')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('stats.by.month')}</th>
                      <th scope="col" class="num">{t('stats.received')}</th>
                      <th scope="col" class="num">{t('stats.resolved')}</th>
                      <th scope="col" class="num">{t('stats.sameMonth')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {trend.map((row) => (
                      <tr key={row.key} data-key={row.key}>
                        <th scope="row">{row.key}</th>
                        <td class="num">{row.received}</td>
                        <td class="num">{row.resolved}</td>
                        <td class="num">{row.resolvedSameMonth}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            }
          />
          <div class="chart-grid">
            <ChartWithTable
              id="stat-channels"
              title={t('stats.channelMix')}
              chart={
                <BarChart
                  ariaLabel={t('stats.channelMix')}
                  labels={channelShares.map((share) => label('channel')(share.key))}
                  horizontal
                  unit="%"
                  series={[{ label: t('stats.share'), values: channelShares.map((share) => share.share), color: '#2563eb' }]}
                />
              }
              table={<ShareTable id="channels" caption={t('stats.channelMix')} shares={channelShares} label={label('channel')} />}
            />
            <ChartWithTable
              id="stat-categories"
              title={t('stats.categoryMix')}
              chart={
                <BarChart
                  ariaLabel={t('stats.categoryMix')}
                  labels={categoryShares.map((share) => label('category')(share.key))}
                  horizontal
                  unit="%"
                  series={[{ label: t('stats.share'), values: categoryShares.map((share) => share.share), color: '#0f766e' }]}
                />
              }
              table={<ShareTable id="categories" caption={t('stats.categoryMix')} shares={categoryShares} label={label('category')} />}
            />
          </div>
          <ChartWithTable
            id="stat-times"
            title={t('stats.times', { by: byName })}
            note={<p class="muted">{t('stats.timesNote')}</p>}
            chart={
              <div class="chart-pair">
                <BarChart
                  ariaLabel={t('stats.signOffTimes')}
                  labels={chosenLabels}
                  horizontal={view.by !== 'month'}
                  unit={t('stats.hoursUnit')}
                  series={[
                    { label: t('stats.signOffP50'), values: chosen.map((row) => row.signOffHoursP50), color: '#94a3b8' },
                    { label: t('stats.signOffP90'), values: chosen.map((row) => row.signOffHoursP90), color: '#b45309' },
                  ]}
                />
                <BarChart
                  ariaLabel={t('stats.resolveTimes')}
                  labels={chosenLabels}
                  horizontal={view.by !== 'month'}
                  unit={t('stats.daysUnit')}
                  series={[
                    { label: t('stats.resolveP50'), values: chosen.map((row) => row.resolveDaysP50), color: '#94a3b8' },
                    { label: t('stats.resolveP90'), values: chosen.map((row) => row.resolveDaysP90), color: '#0f766e' },
                  ]}
                />
              </div>
            }
            table={<FullTable rows={chosen} by={view.by} label={label(view.by)} />}
          />
        </>
      ) : null}
      {mediation && !view.problem ? <MediationSection from={view.from} to={view.to} /> : null}
    </main>
  );
}
