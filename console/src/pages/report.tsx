import { useState } from 'preact/hooks';
import type { AssessmentReport, UnitScores } from '../../../functions/domain/assessment';
import { ApiProblem, getJson, request } from '../api';
import { nowMs } from '../clock';
import { useDirectory } from '../directory';
import { useI18n, type Lang } from '../i18n';
import { usePolling } from '../poll';
import { hrefOf, navigate } from '../router';
import { formatInstant, shanghaiMonthOf } from '../time';
import { saveDownload } from '../download';
import { BarChart } from '../components/bar-chart';
import { ProblemView, Section } from '../components/common';

/** The monthly assessment (GET /v1/reports/{yyyy-mm}): ranking, charts and the CSV. */
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** Units shown in the charts (the ranking table lists them all). */
const CHART_UNITS = 15;

const rate = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${value}%`);

async function downloadCsv(month: string): Promise<void> {
  const response = await request('GET', `/v1/reports/${month}?format=csv`);
  // The name the console always gave it: the browser tests look for it.
  await saveDownload(response, `assessment-${month}.csv`, true);
}

function unitLabel(unit: UnitScores, lang: Lang, nameOf: (id: string, lang: Lang) => string): string {
  return lang === 'en' ? nameOf(unit.unit, lang) : unit.name;
}

function Ranking({ report }: { report: AssessmentReport }) {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const nameOf = (id: string, l: Lang) => directory?.unitName(id, l) ?? id;
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={t('report.ranking')}>
      <table class="ranking">
        <thead>
          <tr>
            <th class="num">{t('report.rank')}</th>
            <th>{t('report.unit')}</th>
            <th class="num">{t('report.received')}</th>
            <th class="num">{t('report.resolved')}</th>
            <th class="num">{t('report.resolutionRate')}</th>
            <th class="num">{t('report.onTimeRate')}</th>
            <th class="num">{t('report.satisfactionRate')}</th>
            <th class="num">{t('report.overdue')}</th>
            <th class="num">{t('report.urges')}</th>
            <th class="num">{t('report.escalations')}</th>
            <th class="num">{t('report.score')}</th>
          </tr>
        </thead>
        <tbody>
          {report.units.map((unit) => (
            <tr key={unit.unit} data-unit={unit.unit}>
              <td class="num">{unit.rank ?? '—'}</td>
              <td>{unitLabel(unit, lang, nameOf)}</td>
              <td class="num">{unit.received}</td>
              <td class="num">{unit.resolved}</td>
              <td class="num">{rate(unit.rates.resolution)}</td>
              <td class="num">{rate(unit.rates.onTimeResolution)}</td>
              <td class="num">{rate(unit.rates.satisfaction)}</td>
              <td class="num">{unit.lateSignOffs + unit.handlingBreaches}</td>
              <td class="num">{unit.urges}</td>
              <td class="num">{unit.escalations}</td>
              <td class="num">
                <strong>{unit.composite?.score ?? '—'}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Totals({ report }: { report: AssessmentReport }) {
  const { t } = useI18n();
  const city = report.city;
  const cards: Array<[string, string | number]> = [
    [t('report.received'), city.received],
    [t('report.resolved'), city.resolved],
    [t('report.resolutionRate'), rate(city.rates.resolution)],
    [t('report.onTimeRate'), rate(city.rates.onTimeResolution)],
    [t('report.satisfactionRate'), rate(city.rates.satisfaction)],
    [t('report.resolvedInCommunity'), rate(city.rates.resolvedInCommunity)],
  ];
  return (
    <div class="count-cards totals">
      {cards.map(([label, value]) => (
        <div class="count-card" key={label}>
          <span class="count-value">{value}</span>
          <span class="count-label">{label}</span>
        </div>
      ))}
    </div>
  );
}

export function ReportPage({ month: routeMonth }: { month?: string }) {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const month = routeMonth && MONTH.test(routeMonth) ? routeMonth : shanghaiMonthOf(nowMs());
  const [downloadError, setDownloadError] = useState<unknown>();
  // A report changes as the month runs: look again now and then, not every few seconds.
  const polled = usePolling(() => getJson<AssessmentReport>(`/v1/reports/${month}`), 60, `report:${month}`);
  const report = polled.data;
  const problem = polled.error instanceof ApiProblem ? polled.error : undefined;
  // No such route (an API without reports yet) differs from a month that has not begun.
  const missing = problem && problem.status === 404 && !report && (problem.detail.startsWith('No route') || problem.detail === 'Not Found');
  const forbidden = problem && problem.status === 403;

  const top = (report?.units ?? []).slice(0, CHART_UNITS);
  const labels = top.map((unit) => (lang === 'en' ? (directory?.unitName(unit.unit, 'en') ?? unit.unit) : unit.name));

  return (
    <main class="report" id="main" tabIndex={-1}>
      <div class="page-head">
        <h1>{t('report.title')}</h1>
        <div class="page-tools">
          <label class="filter">
            {t('report.month')}
            <input
              type="month"
              name="month"
              value={month}
              onChange={(event) => {
                const next = event.currentTarget.value;
                if (MONTH.test(next)) navigate(hrefOf({ page: 'report', month: next }), true);
              }}
            />
          </label>
          <button
            type="button"
            data-action="download-csv"
            disabled={!report}
            onClick={() => {
              setDownloadError(undefined);
              downloadCsv(month).catch(setDownloadError);
            }}
          >
            {t('report.download')}
          </button>
        </div>
      </div>
      <ProblemView error={downloadError} />
      {missing ? <p class="problem">{t('report.missing', { month })}</p> : null}
      {forbidden ? <p class="problem">{t('report.forbidden')}</p> : null}
      {problem && !missing && !forbidden ? <ProblemView error={problem} /> : null}
      {!problem && polled.error ? <ProblemView error={polled.error} /> : null}
      {polled.loading && !report ? <p>{t('common.loading')}</p> : null}
      {report ? (
        <>
          <p class="muted report-meta" data-provisional={String(report.provisional)}>
            {t(report.provisional ? 'report.provisional' : 'report.final', { cutoff: formatInstant(report.cutoff), cases: report.cases })}
          </p>
          <Section title={t('report.totals')}>
            <Totals report={report} />
          </Section>
          {report.units.length === 0 ? (
            <p class="empty">{t('report.empty')}</p>
          ) : (
            <>
              <div class="chart-grid">
                <Section title={t('report.chartRate')}>
                  <BarChart
                    ariaLabel={t('report.chartRate')}
                    labels={labels}
                    horizontal
                    max={100}
                    unit="%"
                    series={[
                      { label: t('report.onTimeRate'), values: top.map((u) => u.rates.onTimeResolution), color: '#2563eb' },
                      { label: t('report.satisfactionRate'), values: top.map((u) => u.rates.satisfaction), color: '#16a34a' },
                    ]}
                  />
                </Section>
                <Section title={t('report.chartCases')}>
                  <BarChart
                    ariaLabel={t('report.chartCases')}
                    labels={labels}
                    horizontal
                    series={[
                      { label: t('report.received'), values: top.map((u) => u.received), color: '#94a3b8' },
                      { label: t('report.resolved'), values: top.map((u) => u.resolved), color: '#0f766e' },
                    ]}
                  />
                </Section>
              </div>
              <Section title={t('report.ranking')}>
                <Ranking report={report} />
              </Section>
            </>
          )}
        </>
      ) : null}
    </main>
  );
}
