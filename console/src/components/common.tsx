import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiProblem } from '../api';
import { useI18n, type MessageKey } from '../i18n';
import { formatDays, workingDaysLeft } from '../time';

const NEXT_STEP: Record<number, MessageKey> = { 0: 'problem.next.0', 400: 'problem.next.400', 403: 'problem.next.403', 404: 'problem.next.404' };

/**
 * An API error in plain words, in the user's language (the API answers in the console's
 * Accept-Language): its title and detail, each invalid field with its message, and what to do next.
 */
export function ProblemView({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  if (error instanceof ApiProblem) {
    const next = NEXT_STEP[error.status] ?? (error.status === 422 ? 'problem.next.400' : 'problem.next.other');
    if (error.status === 0) {
      return (
        <div class="problem" role="alert" data-status="0">
          <p class="problem-detail">{t('problem.network', { detail: error.detail })}</p>
          <p class="problem-next">{t(next)}</p>
        </div>
      );
    }
    return (
      <div class="problem" role="alert" data-status={error.status}>
        <strong>{error.title || t('problem.title')}</strong> <span class="problem-status">{t('problem.status', { status: error.status })}</span>
        {error.detail ? <p class="problem-detail">{error.detail}</p> : null}
        {error.errors.length ? (
          <ul class="problem-errors">
            {error.errors.map((field) => (
              <li key={`${field.path}:${field.message}`}>
                <code>{field.path || '(body)'}</code>: {field.message}
              </li>
            ))}
          </ul>
        ) : null}
        <p class="problem-next">{t(next)}</p>
      </div>
    );
  }
  return (
    <div class="problem" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </div>
  );
}

export function LightBadge({ light }: { light: string }) {
  const { t } = useI18n();
  const key = light === 'red' || light === 'yellow' ? light : 'green';
  return (
    <span class={`light light-${key}`} data-light={key}>
      <span class="dot" aria-hidden="true" />
      {t(`light.${key}`)}
    </span>
  );
}

/** "0.25 left" / "0.5 over" in working days; under one working day, in hours ("6 h left"). */
export function TimeLeft({ dueMs, now, long = false }: { dueMs?: number; now: number; long?: boolean }) {
  const { t } = useI18n();
  if (dueMs === undefined) return <span class="muted">{t('left.none')}</span>;
  const days = workingDaysLeft(dueMs, now);
  let text: string;
  if (Math.abs(days) < 1) {
    // A working day counts 24 hours of a working date (the calendar's unit).
    const hours = Math.max(Math.round(Math.abs(days) * 24), days === 0 ? 0 : 1);
    text = days >= 0 ? t('left.hoursRemaining', { hours }) : t('left.hoursOverdue', { hours });
  } else if (long) {
    const whole = formatDays(days) === '1';
    text =
      days >= 0
        ? t(whole ? 'left.dayRemaining' : 'left.daysRemaining', { days: formatDays(days) })
        : t(whole ? 'left.dayOverdue' : 'left.daysOverdue', { days: formatDays(days) });
  } else {
    text = days >= 0 ? t('left.remaining', { days: formatDays(days) }) : t('left.overdue', { days: formatDays(days) });
  }
  return (
    <span class={days < 0 ? 'time-left overdue' : 'time-left'} data-days={days.toFixed(4)}>
      {text}
    </span>
  );
}

export function Section({ title, children, class: className, id }: { title: string; children: ComponentChildren; class?: string; id?: string }) {
  const headingId = id ? `${id}-heading` : undefined;
  return (
    <section class={`panel ${className ?? ''}`} id={id} aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}

/** Whether the screen is phone-sized (cards instead of tables). */
export function useNarrow(): boolean {
  const query = '(max-width: 760px)';
  const [narrow, setNarrow] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const list = matchMedia(query);
    const follow = () => setNarrow(list.matches);
    list.addEventListener('change', follow);
    follow();
    return () => list.removeEventListener('change', follow);
  }, []);
  return narrow;
}

/** A phone number as a tap-to-call link. */
export function Phone({ number }: { number: string }) {
  const { t } = useI18n();
  return (
    <a class="tel" href={`tel:${number.replace(/[^\d+]/g, '')}`} aria-label={t('common.call', { phone: number })}>
      {number}
    </a>
  );
}
