import type { CaseSummary } from '../case-types';
import { useDirectory } from '../directory';
import { useI18n, type MessageKey } from '../i18n';
import { hrefOf, onLinkClick } from '../router';
import { activeDeadline, formatInstant, workingDaysLeft } from '../time';
import { LightBadge, TimeLeft } from './common';

const SEVERITY: Record<string, number> = { red: 2, yellow: 1, green: 0 };

/** Red first (a breached case keeps its red light in its second window), then least time left. */
export function byUrgency(now: number) {
  const left = (item: CaseSummary) => {
    const due = activeDeadline(item);
    return due ? workingDaysLeft(due.dueMs, now) : Number.POSITIVE_INFINITY;
  };
  return (a: CaseSummary, b: CaseSummary) =>
    SEVERITY[b.light] - SEVERITY[a.light] || left(a) - left(b) || (activeDeadline(a)?.dueMs ?? 0) - (activeDeadline(b)?.dueMs ?? 0) || a.id.localeCompare(b.id);
}

/** One case, as a card: its light, title, where it is and how long is left. */
export function CaseCard({ item, now, show = 'assigned' }: { item: CaseSummary; now: number; show?: 'assigned' | 'origin' }) {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const due = activeDeadline(item);
  const unit = show === 'origin' ? item.originUnit : item.assignedUnit;
  return (
    <li class={`case-card light-edge-${item.light}`} data-case-id={item.id} data-light={item.light} data-status={item.status}>
      <div class="case-card-head">
        <LightBadge light={item.light} />
        <span class="status-tag">{t(`status.${item.status}` as MessageKey)}</span>
        <span class="tier-tag">{t(`tier.${item.tier}` as MessageKey)}</span>
      </div>
      <a class="case-card-title" href={hrefOf({ page: 'case', id: item.id })} onClick={onLinkClick}>
        {item.title}
      </a>
      <p class="case-card-meta">
        {directory?.categoryName(item.category, lang) ?? item.category} ·{' '}
        {t(show === 'origin' ? 'card.origin' : 'card.assigned', { unit: directory?.unitName(unit, lang) ?? unit })}
      </p>
      {due ? (
        <p class="case-card-due">
          <span>
            {t(`deadline.${due.key}` as MessageKey)} {formatInstant(due.dueMs)}
          </span>{' '}
          <TimeLeft dueMs={due.dueMs} now={now} long />
        </p>
      ) : null}
    </li>
  );
}

export function CaseCards({ items, now, show, label }: { items: readonly CaseSummary[]; now: number; show?: 'assigned' | 'origin'; label?: string }) {
  return (
    <ul class="case-cards" aria-label={label}>
      {items.map((item) => (
        <CaseCard key={item.id} item={item} now={now} show={show} />
      ))}
    </ul>
  );
}
