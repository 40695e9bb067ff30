import { useRef, useState } from 'preact/hooks';
import { ApiProblem, getJson } from '../api';
import type { Session } from '../auth';
import { useI18n, type Lang } from '../i18n';
import { hrefOf, onLinkClick } from '../router';
import { formatInstant } from '../time';
import { useChangePolling } from '../poll';

/**
 * The bell: the signed-in unit's notifications (GET /v1/notifications), the count of those newer
 * than the newest one the person last opened (kept in localStorage per unit), and a panel listing
 * them in the chosen language, Asia/Shanghai time, each linked to its case. One line per message:
 * the same text sent to several phones and addresses of the unit shows once.
 */
interface Item {
  readonly id: string;
  readonly caseId: string;
  readonly code: string;
  readonly text: string;
  readonly at: string;
  readonly status: string;
}

const TEXTS: Record<Lang, { title: string; unread: (n: number) => string; none: string; close: string }> = {
  'zh-CN': { title: '通知', unread: (n) => (n ? `通知，${n} 条未读` : '通知，没有未读'), none: '暂无通知', close: '关闭' },
  en: { title: 'Notifications', unread: (n) => (n ? `Notifications, ${n} unread` : 'Notifications, none unread'), none: 'No notifications yet', close: 'Close' },
};
const POLL_SECONDS = 15;
const IDLE_POLL_SECONDS = 60;
const seenKey = (unit: string) => `bell.seen.${unit}`;
/** The message a notification belongs to: its id without the channel and address. */
const messageOf = (id: string) => id.split(':').slice(0, 4).join(':');

function distinct(items: readonly Item[]): Item[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(messageOf(item.id)) && seen.add(messageOf(item.id)));
}

export function Bell({ session }: { session: Session }) {
  const { lang } = useI18n();
  const texts = TEXTS[lang];
  const [open, setOpen] = useState(false);
  const [seen, setSeen] = useState(() => localStorage.getItem(seenKey(session.unit)) ?? '');
  const button = useRef<HTMLButtonElement>(null);

  // Asked as the board asks: every 15 s while someone uses the page, backing off to a minute while
  // nobody does and nothing new comes, nothing while the tab is hidden (console/src/poll.ts).
  const polled = useChangePolling<Item[]>(
    async ({ previous }) => {
      const page = await getJson<{ items: Item[] }>('/v1/notifications?limit=50');
      const items = distinct(page.items);
      return { data: items, changed: previous === undefined || items[0]?.id !== previous[0]?.id || items.length !== previous.length };
    },
    POLL_SECONDS,
    `bell:${session.unit}:${lang}`,
    IDLE_POLL_SECONDS,
  );
  // No notification log in this deployment (503): no bell.
  const items = polled.error instanceof ApiProblem && polled.error.status === 503 ? undefined : polled.data;

  if (!items) return null;
  const unread = items.filter((item) => item.at > seen).length;
  const toggle = () => {
    if (!open && items[0]) {
      localStorage.setItem(seenKey(session.unit), items[0].at);
      setSeen(items[0].at);
    }
    setOpen(!open);
  };
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  return (
    <div class="bell" onKeyDown={(event) => event.key === 'Escape' && open && close()}>
      <button ref={button} type="button" class="bell-button" aria-expanded={open} aria-controls="bell-panel" aria-label={texts.unread(unread)} data-action="bell" onClick={toggle}>
        <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="currentColor">
          <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z" />
        </svg>
        {unread ? (
          <span class="bell-count" data-unread={unread} aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <section id="bell-panel" class="bell-panel" aria-label={texts.title} data-bell-panel>
          <h2>{texts.title}</h2>
          {items.length ? (
            <ul>
              {items.map((item) => (
                <li key={item.id} data-notification={item.code}>
                  <a href={hrefOf({ page: 'case', id: item.caseId })} onClick={(event) => (onLinkClick(event), setOpen(false))}>
                    {item.text}
                  </a>
                  <time dateTime={item.at}>{formatInstant(item.at)}</time>
                </li>
              ))}
            </ul>
          ) : (
            <p>{texts.none}</p>
          )}
          <button type="button" class="link" onClick={close}>
            {texts.close}
          </button>
        </section>
      ) : null}
    </div>
  );
}
