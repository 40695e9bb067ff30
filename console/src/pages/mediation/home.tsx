import type { Mediation } from '../../../../functions/domain/mediation/model';
import { sessionStore } from '../../auth';
import { nowMs } from '../../clock';
import { config } from '../../config';
import { listCases, LIST_LIMIT } from '../../case-list';
import type { CaseSummary } from '../../case-types';
import { useDirectory } from '../../directory';
import { useI18n, type MessageKey } from '../../i18n';
import { usePolling } from '../../poll';
import { hrefOf, onLinkClick, useQuery } from '../../router';
import { useStore } from '../../store';
import { formatInstant } from '../../time';
import { LightBadge, ProblemView, TimeLeft } from '../../components/common';
import { QueueTabs } from '../../components/queue-tabs';
import { mediationClock, openMediationOf } from './mediation-view';

/*
 * A mediation body's desk (调解工作台): the cases referred to it that it has not given back, as the
 * API lists them for its mediators (GET /v1/cases answers a mediator with its own body's queue),
 * in queues by where each referral stands, with the light and the clock of the referral: waiting
 * for acceptance, being mediated, agreed and to be carried out; and those due soon or overdue.
 */
type QueueKey = 'referred' | 'accepted' | 'agreed' | 'due-soon' | 'overdue';

/** The referral of this case that the signed-in body holds (the API lists only those). */
const referralOf = (item: CaseSummary, body: string | undefined): Mediation | undefined => {
  const open = openMediationOf(item.mediations);
  return open && open.body === body ? open : undefined;
};

const QUEUES: ReadonlyArray<{ key: QueueKey; tone?: 'yellow' | 'red'; has: (m: Mediation) => boolean }> = [
  { key: 'referred', has: (m) => m.status === 'referred' },
  { key: 'accepted', has: (m) => m.status === 'accepted' },
  { key: 'agreed', has: (m) => m.status === 'agreed' },
  { key: 'due-soon', tone: 'yellow', has: (m) => m.light === 'yellow' },
  { key: 'overdue', tone: 'red', has: (m) => m.light === 'red' },
];

const SEVERITY: Record<string, number> = { red: 2, yellow: 1, green: 0 };
const urgency = (a: Mediation, b: Mediation) =>
  SEVERITY[b.light] - SEVERITY[a.light] || Date.parse(mediationClock(a)?.dueAt ?? '') - Date.parse(mediationClock(b)?.dueAt ?? '');

function ReferralCard({ item, m, now }: { item: CaseSummary; m: Mediation; now: number }) {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const clock = mediationClock(m);
  const unit = (id: string) => directory?.unitName(id, lang) ?? id;
  return (
    <li class={`case-card light-edge-${m.light}`} data-case-id={item.id} data-light={m.light} data-mediation-status={m.status}>
      <div class="case-card-head">
        <LightBadge light={m.light} />
        <span class="status-tag">{t(`mediation.status.${m.status}` as MessageKey)}</span>
      </div>
      <a class="case-card-title" href={hrefOf({ page: 'case', id: item.id })} onClick={onLinkClick}>
        {item.title}
      </a>
      <p class="case-card-meta">
        {directory?.categoryName(item.category, lang) ?? item.category} · {t('mhome.referredBy', { unit: unit(m.referredBy) })} · {t('mhome.holder', { unit: unit(item.assignedUnit) })}
      </p>
      {clock ? (
        <p class="case-card-due">
          <span>
            {t(`mediation.due.${clock.step}` as MessageKey)} {formatInstant(clock.dueAt)}
          </span>{' '}
          <TimeLeft dueMs={Date.parse(clock.dueAt)} now={now} long />
        </p>
      ) : null}
    </li>
  );
}

export function MediationHome() {
  const { t, lang } = useI18n();
  const session = useStore(sessionStore);
  const directory = useDirectory();
  const [query, setQuery] = useQuery();
  const polled = usePolling(() => listCases(), config().refreshSeconds, `mediation-home:${session?.unit}`);
  const now = nowMs();
  const held = (polled.data?.items ?? []).flatMap((item) => {
    const m = referralOf(item, session?.unit);
    return m ? [{ item, m }] : [];
  });
  const chosen = QUEUES.find((queue) => queue.key === query.get('queue')) ?? QUEUES[0];
  const members = held.filter(({ m }) => chosen.has(m)).sort((a, b) => urgency(a.m, b.m));
  const bodyName = session ? (directory?.unitName(session.unit, lang) ?? session.unit) : '';
  return (
    <main class="unit-home mediation-home" id="main" tabIndex={-1}>
      <h1>
        {t('mhome.title')} <small class="muted">{bodyName}</small>
      </h1>
      <ProblemView error={polled.error} />
      <QueueTabs
        queues={QUEUES.map((queue) => ({
          key: queue.key,
          name: t(`mhome.queue.${queue.key}` as MessageKey),
          count: held.filter(({ m }) => queue.has(m)).length,
          ...(queue.tone ? { tone: queue.tone } : {}),
        }))}
        chosen={chosen.key}
        label={t('queue.label')}
        onChoose={(key) => setQuery({ queue: key })}
      />
      <section class="panel" id="queue-cases" aria-labelledby="queue-heading">
        <h2 id="queue-heading">{t(`mhome.queue.${chosen.key}` as MessageKey)}</h2>
        {polled.loading && !polled.data ? <p>{t('common.loading')}</p> : null}
        {polled.data && members.length === 0 ? <p class="muted">{t('mhome.empty')}</p> : null}
        {members.length ? (
          <ul class="case-cards">
            {members.map(({ item, m }) => (
              <ReferralCard key={item.id} item={item} m={m} now={now} />
            ))}
          </ul>
        ) : null}
        {polled.data?.more ? <p class="muted">{t('mhome.more', { n: LIST_LIMIT })}</p> : null}
      </section>
    </main>
  );
}
