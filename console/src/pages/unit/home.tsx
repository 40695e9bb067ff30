import { sessionStore } from '../../auth';
import { nowMs } from '../../clock';
import { config } from '../../config';
import { listCases } from '../../case-list';
import type { CaseSummary } from '../../case-types';
import { useDirectory } from '../../directory';
import { useI18n, type MessageKey } from '../../i18n';
import { usePolling } from '../../poll';
import { useQuery } from '../../router';
import { useStore } from '../../store';
import { Announcer } from '../../components/announcer';
import { byUrgency, CaseCards } from '../../components/case-card';
import { ProblemView } from '../../components/common';

/** A handling unit's queues (an agency, a district or city office, the joint conference), for its own unit. */
const QUEUES: ReadonlyArray<{ key: string; tone?: 'yellow' | 'red'; has: (item: CaseSummary) => boolean }> = [
  { key: 'sign-off', has: (item) => item.status === 'awaiting-sign-off' },
  { key: 'in-progress', has: (item) => item.status === 'in-progress' },
  { key: 'due-soon', tone: 'yellow', has: (item) => item.status !== 'closed' && item.light === 'yellow' },
  { key: 'overdue', tone: 'red', has: (item) => item.status !== 'closed' && item.light === 'red' },
  { key: 'evaluation', has: (item) => item.status === 'awaiting-evaluation' },
  { key: 'returned', has: (item) => item.status === 'returned' },
  // 协办事项: the cases where this unit owes a co-handling part, as the API lists them (coHandling=true).
  { key: 'co-handling', has: () => true },
];

/** The unit's own cases, and the cases where it owes a co-handling part (a list of its own: the unit does not hold them). */
async function loadQueues() {
  const [own, coHandling] = await Promise.all([listCases(), listCases({ coHandling: 'true' })]);
  return { items: own.items, coHandling: coHandling.items };
}

export function UnitHome() {
  const { t, lang } = useI18n();
  const session = useStore(sessionStore);
  const directory = useDirectory();
  const [query, setQuery] = useQuery();
  const polled = usePolling(loadQueues, config().refreshSeconds, `unit-home:${session?.unit}`);
  const items = polled.data?.items ?? [];
  const itemsOf = (key: string) => (key === 'co-handling' ? (polled.data?.coHandling ?? []) : items);
  const now = nowMs();
  const chosen = QUEUES.find((queue) => queue.key === query.get('queue')) ?? QUEUES[0];
  const members = itemsOf(chosen.key).filter(chosen.has).sort(byUrgency(now));
  const unitName = session ? (directory?.unitName(session.unit, lang) ?? session.unit) : '';
  return (
    <main class="unit-home" id="main" tabIndex={-1}>
      <h1>
        {t('unit.title')} <small class="muted">{unitName}</small>
      </h1>
      <ProblemView error={polled.error} />
      {polled.data ? <Announcer items={items} /> : null}
      <nav class="queues" aria-label={t('queue.label')}>
        {QUEUES.map((queue) => {
          const count = itemsOf(queue.key).filter(queue.has).length;
          return (
            <button
              type="button"
              key={queue.key}
              class={`queue-tab${queue.tone ? ` tone-${queue.tone}` : ''}`}
              data-queue={queue.key}
              aria-pressed={queue.key === chosen.key}
              aria-controls="queue-cases"
              onClick={() => setQuery({ queue: queue.key })}
            >
              <span class="queue-name">{t(`queue.${queue.key}` as MessageKey)}</span>
              <span class="queue-count" data-count={count}>
                {count}
              </span>
            </button>
          );
        })}
      </nav>
      <section class="panel" id="queue-cases" aria-labelledby="queue-heading">
        <h2 id="queue-heading">{t(`queue.${chosen.key}` as MessageKey)}</h2>
        {polled.loading && !polled.data ? <p>{t('common.loading')}</p> : null}
        {polled.data && members.length === 0 ? <p class="muted">{t('queue.empty')}</p> : null}
        {members.length ? <CaseCards items={members} now={now} show="origin" /> : null}
      </section>
    </main>
  );
}
