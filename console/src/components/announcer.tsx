import { useEffect, useRef, useState } from 'preact/hooks';
import type { CaseSummary } from '../case-types';
import { useI18n } from '../i18n';

/**
 * Tells screen readers, politely, when a polled list changes (how many cases, how many red
 * and yellow; from the server's counts when the page has them); silent while nothing changes, so a poll every few seconds is not read out.
 */
export function Announcer({ items, counts }: { items?: readonly CaseSummary[]; counts?: { total: number; red: number; yellow: number }; updatedAt?: number }) {
  const { t } = useI18n();
  const total = counts?.total ?? items?.length ?? 0;
  const red = counts?.red ?? (items ?? []).filter((item) => item.light === 'red').length;
  const yellow = counts?.yellow ?? (items ?? []).filter((item) => item.light === 'yellow').length;
  const signature = `${total}/${red}/${yellow}`;
  const first = useRef<string | undefined>(undefined);
  const [message, setMessage] = useState('');
  useEffect(() => {
    if (first.current === undefined) {
      first.current = signature;
      return;
    }
    if (first.current !== signature) {
      first.current = signature;
      setMessage(t('common.announce', { total, red, yellow }));
    }
  }, [signature]);
  return (
    <p class="visually-hidden" aria-live="polite" data-announcer>
      {message}
    </p>
  );
}
