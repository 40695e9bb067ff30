import type { MediationRow, MediationStatistics } from '../../../../functions/domain/mediation/statistics';
import { MEDIATION_STATISTICS_READERS, REPORT_READERS, type Role } from '../../../../functions/domain/roles';
import { getJson } from '../../api';
import { useDirectory } from '../../directory';
import { useI18n, type MessageKey } from '../../i18n';
import { usePolling } from '../../poll';
import { ProblemView } from '../../components/common';
import { formatShare, formatYuan } from '../mediation/mediation-view';

/*
 * 调解统计: GET /v1/statistics/mediation over the months chosen on the statistics page — per
 * channel and per body, received, mediated, agreements, success rate, concluded in time, amounts;
 * where agreements were reached; and the targets (config/mediation.json) with their value now,
 * met or not. Every figure is the API's: nothing is counted here.
 */

/** Who is offered the statistics page: the readers of either statistics. */
export const STATISTICS_READERS: readonly Role[] = [...new Set([...REPORT_READERS, ...MEDIATION_STATISTICS_READERS])];

type Answer = MediationStatistics & { readonly from: string; readonly to: string; readonly cases: number };

const REFRESH_SECONDS = 300;
const COLUMNS = ['received', 'mediated', 'declined', 'agreements', 'failed', 'successRate', 'concludedInTime', 'fulfilled', 'unfulfilled', 'amountYuan'] as const;

function Cells({ row, lang }: { row: MediationRow; lang: string }) {
  return (
    <>
      {COLUMNS.map((column) => (
        <td key={column} class="num" data-column={column}>
          {column === 'successRate' ? formatShare(row.successRate) : column === 'amountYuan' ? formatYuan(row.amountYuan, lang) : row[column]}
        </td>
      ))}
    </>
  );
}

function RowsTable({ id, caption, rows, total, label, head }: { id: string; caption: string; rows: readonly MediationRow[]; total?: MediationRow; label: (key: string) => string; head: string }) {
  const { t, lang } = useI18n();
  return (
    <div class="table-scroll sticky-head" tabIndex={0} role="region" aria-label={caption}>
      <table class="stat-table full" data-table={id}>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            {COLUMNS.map((column) => (
              <th scope="col" class="num" key={column}>
                {t(`mstats.${column === 'amountYuan' ? 'amount' : column}` as MessageKey)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-key={row.key}>
              <th scope="row">{label(row.key)}</th>
              <Cells row={row} lang={lang} />
            </tr>
          ))}
        </tbody>
        {total ? (
          <tfoot>
            <tr data-key="total">
              <th scope="row">{t('mstats.total')}</th>
              <Cells row={total} lang={lang} />
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}

/** The mediation statistics of the months `from`–`to` (already checked by the page). */
export function MediationSection({ from, to }: { from: string; to: string }) {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const polled = usePolling(() => getJson<Answer>(`/v1/statistics/mediation?${new URLSearchParams({ from, to })}`), REFRESH_SECONDS, `mediation-statistics:${from}/${to}`);
  const data = polled.data;
  return (
    <section class="panel stat-section mediation-statistics" id="stat-mediation" aria-labelledby="stat-mediation-heading">
      <h2 id="stat-mediation-heading">{t('mstats.title')}</h2>
      <p class="muted" data-range={`${from}/${to}`}>
        {t('mstats.scope', { from, to })}
      </p>
      <ProblemView error={polled.error} />
      {polled.loading && !data ? <p>{t('common.loading')}</p> : null}
      {data ? (
        <>
          <h3 id="stat-mediation-targets">{t('mstats.targets')}</h3>
          <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="stat-mediation-targets">
            <table class="stat-table" data-table="mediation-targets">
              <thead>
                <tr>
                  <th scope="col">{t('mstats.target')}</th>
                  <th scope="col" class="num">{t('mstats.goal')}</th>
                  <th scope="col" class="num">{t('mstats.value')}</th>
                  <th scope="col" class="num">{t('mstats.base')}</th>
                  <th scope="col">{t('mstats.state')}</th>
                </tr>
              </thead>
              <tbody>
                {data.targets.map((target) => (
                  <tr key={target.key} data-key={target.key} data-met={target.met === null ? 'none' : String(target.met)}>
                    <th scope="row">{t(`mstats.target.${target.key}` as MessageKey)}</th>
                    <td class="num nowrap">{`≥ ${formatShare(target.goal)}`}</td>
                    <td class="num" data-value={target.value ?? ''}>
                      {formatShare(target.value)}
                    </td>
                    <td class="num">{target.of}</td>
                    <td>
                      <span class={`tag target-${target.met === null ? 'none' : target.met ? 'met' : 'not-met'}`}>
                        {t(target.met === null ? 'mstats.noData' : target.met ? 'mstats.met' : 'mstats.notMet')}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3 id="stat-mediation-channels">{t('mstats.byChannel')}</h3>
          <RowsTable
            id="mediation-channels"
            caption={t('mstats.byChannel')}
            head={t('mediation.channel')}
            rows={data.byChannel}
            total={data.total}
            label={(key) => t(`mediation.channel.${key}` as MessageKey)}
          />
          <h3 id="stat-mediation-bodies">{t('mstats.byBody')}</h3>
          <RowsTable
            id="mediation-bodies"
            caption={t('mstats.byBody')}
            head={t('mediation.body')}
            rows={data.byBody}
            label={(key) => directory?.unitName(key, lang) ?? key}
          />
          <h3 id="stat-mediation-levels">{t('mstats.byLevel')}</h3>
          <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="stat-mediation-levels">
            <table class="stat-table" data-table="mediation-levels">
              <thead>
                <tr>
                  <th scope="col">{t('mstats.level')}</th>
                  <th scope="col" class="num">{t('mstats.agreements')}</th>
                  <th scope="col" class="num">{t('mstats.share')}</th>
                </tr>
              </thead>
              <tbody>
                {data.byLevel.map((row) => (
                  <tr key={row.level} data-key={row.level}>
                    <th scope="row">{t(`mediation.level.${row.level}` as MessageKey)}</th>
                    <td class="num">{row.agreements}</td>
                    <td class="num">{formatShare(row.share)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="muted">{t('mstats.note')}</p>
        </>
      ) : null}
    </section>
  );
}
