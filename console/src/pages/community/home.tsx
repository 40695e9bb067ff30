import { getJsonIfChanged, type Conditional } from '../../api';
import { sessionStore } from '../../auth';
import { nowMs } from '../../clock';
import { config } from '../../config';
import type { CaseSummary } from '../../case-types';
import { useI18n, type MessageKey } from '../../i18n';
import { useChangePolling } from '../../poll';
import { hrefOf, onLinkClick } from '../../router';
import { useStore } from '../../store';
import { Announcer } from '../../components/announcer';
import { byUrgency, CaseCards } from '../../components/case-card';
import { ProblemView } from '../../components/common';

/** Cases an open list asks for at once (the API's page). */
const PAGE = 100;
/** The closed group shows the community's most recently closed cases, one page (the API lists them newest closed first). */
const CLOSED_PAGE = 20;
/** While nothing changes, the home looks less and less often, down to once in this many seconds (as the unit home). */
const IDLE_POLL_SECONDS = 60;

interface CasePage {
  readonly items: CaseSummary[];
  readonly nextCursor?: string;
}

/**
 * The lists the home asks for, each with the status in its query: a key condition over the
 * community's cases (byOriginUnit sorts them under their status), so each is exact however long
 * the community's history — closed cases are never read for an open group.
 */
const LISTS = {
  'awaiting-evaluation': { status: 'awaiting-evaluation', limit: String(PAGE) },
  'awaiting-sign-off': { status: 'awaiting-sign-off', limit: String(PAGE) },
  'in-progress': { status: 'in-progress', limit: String(PAGE) },
  returned: { status: 'returned', limit: String(PAGE) },
  closed: { status: 'closed', limit: String(CLOSED_PAGE) },
  // 协办事项: the cases where this community owes a co-handling part.
  'co-handling': { coHandling: 'true', limit: String(PAGE) },
} as const;
type ListKey = keyof typeof LISTS;
type Lists = Readonly<Record<ListKey, CasePage>>;

/** A community's groups: what waits for its rating first, then what is being handled, then what is done, then its co-handling parts. */
const GROUPS: ReadonlyArray<{ key: string; title: MessageKey; lists: readonly ListKey[] }> = [
  { key: 'awaiting-me', title: 'community.awaitingMe', lists: ['awaiting-evaluation'] },
  { key: 'open', title: 'community.open', lists: ['awaiting-sign-off', 'in-progress', 'returned'] },
  { key: 'closed', title: 'community.closed', lists: ['closed'] },
  { key: 'co-handling', title: 'community.coHandling', lists: ['co-handling'] },
];

/** One look: a page of each list, every request conditional (If-None-Match), so a home where nothing moved downloads nothing. */
async function lookAt(): Promise<Conditional<Lists>> {
  const keys = Object.keys(LISTS) as ListKey[];
  const pages = await Promise.all(keys.map((key) => getJsonIfChanged<CasePage>(`/v1/cases?${new URLSearchParams(LISTS[key])}`)));
  const lists = Object.fromEntries(keys.map((key, i) => [key, pages[i].data])) as unknown as Lists;
  return { data: lists, changed: pages.some((page) => page.changed) };
}

/** The grid officer's home: take in a new case first, then the community's cases by what they wait for, red on top. */
export function CommunityHome() {
  const { t } = useI18n();
  const session = useStore(sessionStore);
  const polled = useChangePolling(lookAt, config().refreshSeconds, `community-home:${session?.unit}`, IDLE_POLL_SECONDS);
  const lists = polled.data;
  const now = nowMs();
  // Red on top in each group; the closed ones as the API lists them, most recently closed first.
  const itemsOf = (group: (typeof GROUPS)[number]) => {
    const items = group.lists.flatMap((key) => lists?.[key].items ?? []);
    return group.key === 'closed' ? items : items.sort(byUrgency(now));
  };
  /** More than the group shows: a list with a next page (a status past a page, or the closed ones before the latest). */
  const moreIn = (group: (typeof GROUPS)[number]) => group.lists.some((key) => Boolean(lists?.[key].nextCursor));
  // The open cases it follows (for the screen reader's announcement of changes).
  const open = lists ? (['awaiting-evaluation', 'awaiting-sign-off', 'in-progress', 'returned'] as const).flatMap((key) => lists[key].items) : [];
  return (
    <main class="community-home" id="main" tabIndex={-1}>
      <div class="intake-call">
        <a class="button primary big" href={hrefOf({ page: 'new-case' })} onClick={onLinkClick} data-action="new-case">
          {t('community.new')}
        </a>
        <p class="muted">{t('community.newHint')}</p>
      </div>
      <h1>{t('community.title')}</h1>
      <ProblemView error={polled.error} />
      {lists ? <Announcer items={open} /> : null}
      {polled.loading && !lists ? <p>{t('common.loading')}</p> : null}
      {lists
        ? GROUPS.map((group) => {
            const members = itemsOf(group);
            const more = moreIn(group);
            return (
              <section key={group.key} class="panel case-group" data-group={group.key} aria-labelledby={`group-${group.key}`}>
                <h2 id={`group-${group.key}`}>
                  {t(group.title)}{' '}
                  <span class="count-badge" data-count={members.length} data-more={more ? 'true' : undefined}>
                    {members.length}
                    {more ? '+' : ''}
                  </span>
                </h2>
                {group.key === 'closed' && more ? <p class="muted count-line">{t('community.closedRecent', { shown: members.length })}</p> : null}
                {members.length ? <CaseCards items={members} now={now} /> : <p class="muted">{t('community.emptyGroup')}</p>}
              </section>
            );
          })
        : null}
    </main>
  );
}
