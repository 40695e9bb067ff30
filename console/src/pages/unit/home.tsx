import { getJsonIfChanged, type Conditional } from '../../api';
import { sessionStore } from '../../auth';
import type { CaseCounts } from '../../board-query';
import { nowMs } from '../../clock';
import { config } from '../../config';
import type { CaseSummary } from '../../case-types';
import { useDirectory } from '../../directory';
import { useI18n, type MessageKey } from '../../i18n';
import { useChangePolling } from '../../poll';
import { useQuery } from '../../router';
import { useStore } from '../../store';
import { Announcer } from '../../components/announcer';
import { byUrgency, CaseCards } from '../../components/case-card';
import { LightBadge, ProblemView } from '../../components/common';
import { QueueTabs } from '../../components/queue-tabs';

/** Cases a queue's list asks for at once (the API's page). */
const PAGE = 100;
/** While nothing changes, the home looks less and less often, down to once in this many seconds (as the board). */
const IDLE_POLL_SECONDS = 60;

interface CasePage {
  readonly items: CaseSummary[];
  readonly nextCursor?: string;
}

/** The open statuses a unit's queues list, each asked from the API with the status in its query (a key condition: one small read). */
const STATUS_LISTS = { 'sign-off': 'awaiting-sign-off', 'in-progress': 'in-progress', evaluation: 'awaiting-evaluation', returned: 'returned' } as const;
type StatusQueue = keyof typeof STATUS_LISTS;
type Lists = Readonly<Record<StatusQueue | 'co-handling', CasePage>>;

/**
 * A handling unit's queues (an agency, a district or city office, the joint conference), for its
 * own unit. `light`: counted by GET /v1/cases/summary (exact over every open case the unit holds,
 * as deadlines pass); the others: a status list, exact up to a page and shown as "100+" beyond.
 */
const QUEUES: ReadonlyArray<{ key: string; tone?: 'yellow' | 'red'; light?: 'yellow' | 'red' }> = [
  { key: 'sign-off' },
  { key: 'in-progress' },
  { key: 'due-soon', tone: 'yellow', light: 'yellow' },
  { key: 'overdue', tone: 'red', light: 'red' },
  { key: 'evaluation' },
  { key: 'returned' },
  // 协办事项: the cases where this unit owes a co-handling part, as the API lists them (coHandling=true).
  { key: 'co-handling' },
];

interface UnitData {
  readonly counts: CaseCounts;
  readonly lists: Lists;
}

/**
 * One look: the unit's summary and one page of each queue's list, every request conditional
 * (If-None-Match), so a home where nothing moved downloads nothing.
 */
async function lookAt(): Promise<Conditional<UnitData>> {
  const listPath = (filter: Record<string, string>) => `/v1/cases?${new URLSearchParams({ ...filter, limit: String(PAGE) })}`;
  const keys = [...(Object.keys(STATUS_LISTS) as StatusQueue[]), 'co-handling'] as const;
  const [counts, ...pages] = await Promise.all([
    getJsonIfChanged<CaseCounts>('/v1/cases/summary'),
    ...keys.map((key) => getJsonIfChanged<CasePage>(listPath(key === 'co-handling' ? { coHandling: 'true' } : { status: STATUS_LISTS[key] }))),
  ]);
  const lists = Object.fromEntries(keys.map((key, i) => [key, pages[i].data])) as unknown as Lists;
  return { data: { counts: counts.data, lists }, changed: counts.changed || pages.some((page) => page.changed) };
}

export function UnitHome() {
  const { t, lang } = useI18n();
  const session = useStore(sessionStore);
  const directory = useDirectory();
  const [query, setQuery] = useQuery();
  const polled = useChangePolling(lookAt, config().refreshSeconds, `unit-home:${session?.unit}`, IDLE_POLL_SECONDS);
  const counts = polled.data?.counts;
  const lists = polled.data?.lists;
  const now = nowMs();
  // The open cases the lists hold, each once; the light queues show those the unit holds (the summary's own cases).
  const held = [...new Map((Object.keys(STATUS_LISTS) as StatusQueue[]).flatMap((key) => lists?.[key].items ?? []).map((item) => [item.id, item])).values()];
  const itemsOf = (queue: (typeof QUEUES)[number]): CaseSummary[] =>
    queue.light ? held.filter((item) => item.light === queue.light && item.assignedUnit === session?.unit) : (lists?.[queue.key as keyof Lists]?.items ?? []);
  /** The queue's count: the summary's for a light; a status list's length, "+" when it has more than a page. */
  const countOf = (queue: (typeof QUEUES)[number]): { value: number; more: boolean } => {
    if (queue.light) return { value: counts?.byLight[queue.light] ?? 0, more: false };
    const page = lists?.[queue.key as keyof Lists];
    return { value: page?.items.length ?? 0, more: Boolean(page?.nextCursor) };
  };
  const chosen = QUEUES.find((queue) => queue.key === query.get('queue')) ?? QUEUES[0];
  const members = itemsOf(chosen).sort(byUrgency(now));
  const chosenCount = countOf(chosen);
  const unitName = session ? (directory?.unitName(session.unit, lang) ?? session.unit) : '';
  return (
    <main class="unit-home" id="main" tabIndex={-1}>
      <h1>
        {t('unit.title')} <small class="muted">{unitName}</small>
      </h1>
      <ProblemView error={polled.error} />
      {counts ? <Announcer counts={{ total: counts.open, red: counts.byLight.red, yellow: counts.byLight.yellow }} /> : null}
      {counts ? (
        <p class="unit-counts" data-counts-as-of={counts.asOf}>
          <span class="count-line" data-count-open={counts.open}>
            {t('board.open')} <strong>{counts.open}</strong>
          </span>{' '}
          {(['red', 'yellow', 'green'] as const).map((light) => (
            <span key={light} class="count-line" data-count-light={light} data-count={counts.byLight[light]}>
              <LightBadge light={light} /> <strong>{counts.byLight[light]}</strong>{' '}
            </span>
          ))}
        </p>
      ) : null}
      <QueueTabs
        queues={QUEUES.map((queue) => {
          const count = countOf(queue);
          return { key: queue.key, name: t(`queue.${queue.key}` as MessageKey), count: count.value, more: count.more, ...(queue.tone ? { tone: queue.tone } : {}) };
        })}
        chosen={chosen.key}
        label={t('queue.label')}
        onChoose={(key) => setQuery({ queue: key })}
      />
      <section class="panel" id="queue-cases" aria-labelledby="queue-heading">
        <h2 id="queue-heading">
          {t(`queue.${chosen.key}` as MessageKey)}{' '}
          {polled.data && (chosenCount.more || members.length < chosenCount.value) ? (
            <span class="muted count-line" data-shown={members.length} data-total={chosenCount.more ? '' : chosenCount.value}>
              {chosenCount.more ? t('board.countShown', { shown: members.length }) : t('board.countOf', { shown: members.length, total: chosenCount.value })}
            </span>
          ) : null}
        </h2>
        {polled.loading && !polled.data ? <p>{t('common.loading')}</p> : null}
        {polled.data && members.length === 0 ? <p class="muted">{t('queue.empty')}</p> : null}
        {members.length ? <CaseCards items={members} now={now} show="origin" /> : null}
      </section>
    </main>
  );
}
