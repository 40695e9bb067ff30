import type { ComponentChildren } from 'preact';
import { ApiProblem } from '../api';
import { useI18n } from '../i18n';
import { formatDays, workingDaysLeft } from '../time';

/** An API error in plain words: the problem's detail, and each invalid field with its message. */
export function ProblemView({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  if (error instanceof ApiProblem) {
    if (error.status === 0) return <div class="problem" role="alert">{t('problem.network', { detail: error.detail })}</div>;
    return (
      <div class="problem" role="alert">
        <strong>{error.title || t('problem.title')}</strong> <span class="muted">{t('problem.status', { status: error.status })}</span>
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
      </div>
    );
  }
  return <div class="problem" role="alert">{error instanceof Error ? error.message : String(error)}</div>;
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

/** "0.25 left" / "0.5 over", in working days. */
export function TimeLeft({ dueMs, now }: { dueMs?: number; now: number }) {
  const { t } = useI18n();
  if (dueMs === undefined) return <span class="muted">{t('left.none')}</span>;
  const days = workingDaysLeft(dueMs, now);
  const text = days >= 0 ? t('left.remaining', { days: formatDays(days) }) : t('left.overdue', { days: formatDays(days) });
  return (
    <span class={days < 0 ? 'time-left overdue' : 'time-left'} data-days={days.toFixed(4)}>
      {text}
    </span>
  );
}

export function Section({ title, children, class: className, id }: { title: string; children: ComponentChildren; class?: string; id?: string }) {
  return (
    <section class={`panel ${className ?? ''}`} id={id}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}
