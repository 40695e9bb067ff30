import { nowMs } from '../../clock';
import { config } from '../../config';
import { listCases } from '../../case-list';
import type { CaseSummary } from '../../case-types';
import { useI18n, type MessageKey } from '../../i18n';
import { usePolling } from '../../poll';
import { hrefOf, onLinkClick } from '../../router';
import { Announcer } from '../../components/announcer';
import { byUrgency, CaseCards } from '../../components/case-card';
import { ProblemView } from '../../components/common';

/** A community's groups: what waits for its rating first, then what is being handled, then what is done. */
const GROUPS: ReadonlyArray<{ key: string; title: MessageKey; has: (item: CaseSummary) => boolean }> = [
  { key: 'awaiting-me', title: 'community.awaitingMe', has: (item) => item.status === 'awaiting-evaluation' },
  { key: 'open', title: 'community.open', has: (item) => item.status !== 'awaiting-evaluation' && item.status !== 'closed' },
  { key: 'closed', title: 'community.closed', has: (item) => item.status === 'closed' },
];

/** The community's own cases, and those where it owes a co-handling part (coHandling=true). */
async function loadCommunity() {
  const [own, coHandling] = await Promise.all([listCases(), listCases({ coHandling: 'true' })]);
  return { items: own.items, coHandling: coHandling.items };
}

/** The grid officer's home: take in a new case first, then the community's cases by what they wait for, red on top. */
export function CommunityHome() {
  const { t } = useI18n();
  const polled = usePolling(loadCommunity, config().refreshSeconds, 'community-home');
  const coHandling = [...(polled.data?.coHandling ?? [])].sort(byUrgency(nowMs()));
  const items = polled.data?.items ?? [];
  const now = nowMs();
  const sorted = [...items].sort(byUrgency(now));
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
      {polled.data ? <Announcer items={items} /> : null}
      {polled.loading && !polled.data ? <p>{t('common.loading')}</p> : null}
      {polled.data
        ? GROUPS.map((group) => {
            const members = sorted.filter(group.has);
            return (
              <section key={group.key} class="panel case-group" data-group={group.key} aria-labelledby={`group-${group.key}`}>
                <h2 id={`group-${group.key}`}>
                  {t(group.title)} <span class="count-badge" data-count={members.length}>{members.length}</span>
                </h2>
                {members.length ? <CaseCards items={members} now={now} /> : <p class="muted">{t('community.emptyGroup')}</p>}
              </section>
            );
          })
        : null}
      {polled.data ? (
        <section class="panel case-group" data-group="co-handling" aria-labelledby="group-co-handling">
          <h2 id="group-co-handling">
            {t('community.coHandling')} <span class="count-badge" data-count={coHandling.length}>{coHandling.length}</span>
          </h2>
          {coHandling.length ? <CaseCards items={coHandling} now={now} /> : <p class="muted">{t('community.emptyGroup')}</p>}
        </section>
      ) : null}
    </main>
  );
}
