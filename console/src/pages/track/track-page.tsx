import { useEffect, useState } from 'preact/hooks';
import type { PublicStatus } from '../../../../functions/domain/public-status';
import { TrackParamsSchema } from '../../../../functions/api/track-params';
import { ApiProblem, getJson } from '../../api';
import { setLang, useI18n, type MessageKey } from '../../i18n';
import { hrefOf, navigate } from '../../router';
import { formatInstant } from '../../time';
import { CitizenForms } from './citizen-forms';

/**
 * The citizens' status page (/console/track, /console/track/<code>): no sign-in, phone first.
 * The code goes to GET /v1/track/{code} as typed (spaces dropped): the API reads it, forgiving
 * case and the usual slips, and answers a mistyped or unknown code with one plain 404. The page
 * shows only what that public answer holds: it never asks for a token and sends none.
 */
const STEPS = ['accepted', 'in-progress', 'resolved'] as const;
const dateOf = (iso?: string) => (iso ? formatInstant(iso).slice(0, 10) : undefined);

function StepBar({ stage }: { stage: PublicStatus['stage'] }) {
  const { t } = useI18n();
  const reached = stage === 'closed' ? STEPS.length : STEPS.indexOf(stage) + 1;
  return (
    <ol class="track-steps" aria-label={t('track.stageLabel')}>
      {STEPS.map((step, index) => {
        const state = index < reached - 1 || stage === 'closed' || (stage === 'resolved' && step === 'resolved') ? 'done' : index === reached - 1 ? 'current' : 'pending';
        return (
          <li key={step} class={`track-step ${state}`} data-step={step} data-state={state} aria-current={state === 'current' ? 'step' : undefined}>
            <span class="track-dot" aria-hidden="true" />
            {t(`track.stage.${step}` as MessageKey)}
          </li>
        );
      })}
    </ol>
  );
}

function Status({ status }: { status: PublicStatus }) {
  const { t } = useI18n();
  return (
    <section class="panel track-status" aria-labelledby="track-status-heading" data-stage={status.stage}>
      <h2 id="track-status-heading">
        {t('track.code')} <code>{status.trackingCode}</code>
      </h2>
      <StepBar stage={status.stage} />
      {status.stage === 'closed' ? <p class="tag">{t('track.closed')}</p> : null}
      <dl class="fields">
        <dt>{t('track.category')}</dt>
        <dd>{status.categoryName}</dd>
        <dt>{t('track.unit')}</dt>
        <dd data-track-unit>{status.unitName}</dd>
        <dt>{t('track.acceptedAt')}</dt>
        <dd>{dateOf(status.acceptedAt)}</dd>
        {status.dueAt ? (
          <>
            <dt>{t('track.dueAt')}</dt>
            <dd>{dateOf(status.dueAt)}</dd>
          </>
        ) : null}
        {status.resolvedAt ? (
          <>
            <dt>{t('track.resolvedAt')}</dt>
            <dd>{dateOf(status.resolvedAt)}</dd>
          </>
        ) : null}
        {status.result ? (
          <>
            <dt>{t('track.result')}</dt>
            <dd data-track-result>{status.result}</dd>
          </>
        ) : null}
      </dl>
      <h3>{t('track.milestones')}</h3>
      <ol class="track-milestones" data-count={status.milestones.length}>
        {status.milestones.map((milestone) => (
          <li key={`${milestone.at}:${milestone.code}`} data-code={milestone.code}>
            <time dateTime={milestone.at}>{formatInstant(milestone.at)}</time> {milestone.text}
          </li>
        ))}
      </ol>
      <p class="muted">{t('track.privacy')}</p>
    </section>
  );
}

type Answer = { kind: 'status'; status: PublicStatus } | { kind: 'problem'; message: string; status: number };

export function TrackPage({ code }: { code?: string }) {
  const { t, lang } = useI18n();
  const [typed, setTyped] = useState(code ?? '');
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<Answer>();
  // Asking again for the code already in the address (after a 429, say) looks it up again.
  const [asked, setAsked] = useState(0);
  // What the complainant's last rating or reopening was told; cleared when another code is looked up.
  const [notice, setNotice] = useState<string>();
  useEffect(() => setNotice(undefined), [code]);

  // The code in the address is looked up on arrival and again when the language changes (the API writes the texts).
  useEffect(() => {
    if (!code) {
      setAnswer(undefined);
      return;
    }
    let current = true;
    setBusy(true);
    getJson<PublicStatus>(`/v1/track/${encodeURIComponent(code)}`, { anonymous: true }).then(
      (status) => current && setAnswer({ kind: 'status', status }),
      (error: unknown) => {
        if (!current) return;
        if (error instanceof ApiProblem && error.status === 429) setAnswer({ kind: 'problem', status: 429, message: t('track.tooMany', { seconds: error.retryAfter ?? 60 }) });
        else if (error instanceof ApiProblem && error.status === 404) setAnswer({ kind: 'problem', status: 404, message: error.detail || t('track.notFound') });
        else setAnswer({ kind: 'problem', status: error instanceof ApiProblem ? error.status : 0, message: t('track.failed') });
      },
    ).finally(() => current && setBusy(false));
    return () => {
      current = false;
    };
  }, [code, lang, asked]);

  const submit = (event: Event) => {
    event.preventDefault();
    const cleaned = typed.replace(/\s+/g, '');
    if (!TrackParamsSchema.safeParse({ code: cleaned }).success) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    if (cleaned === code) setAsked(asked + 1);
    else navigate(hrefOf({ page: 'track', code: cleaned }));
  };

  return (
    <>
      <header class="top track-top">
        <span class="brand">
          <span class="brand-mark" aria-hidden="true" />
          <strong>{t('app.subtitle')}</strong>
        </span>
        <div class="top-right">
          <button type="button" class="link" data-action="language" lang={lang === 'en' ? 'zh-CN' : 'en'} onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>
            {t('nav.language')}
          </button>
        </div>
      </header>
      <main class="track-page" id="main" tabIndex={-1}>
        <h1>{t('track.title')}</h1>
        <form class="track-form" onSubmit={submit} noValidate aria-busy={busy}>
          <label for="track-code" class="field-label">
            {t('track.code')}
          </label>
          <p class="muted" id="track-code-hint">
            {t('track.intro')}
          </p>
          <div class="track-row">
            <input
              id="track-code"
              name="code"
              type="text"
              value={typed}
              autocomplete="off"
              autocapitalize="characters"
              spellcheck={false}
              maxLength={40}
              aria-describedby={invalid ? 'track-code-hint track-code-error' : 'track-code-hint'}
              aria-invalid={invalid ? 'true' : undefined}
              onInput={(event) => setTyped(event.currentTarget.value)}
            />
            <button type="submit" class="primary" disabled={busy}>
              {t('track.submit')}
            </button>
          </div>
          {invalid ? (
            <p class="field-error" id="track-code-error">
              {t('track.format')}
            </p>
          ) : null}
        </form>
        <div aria-live="polite">
          {notice ? (
            <p class="notice" role="status" data-citizen-done>
              {notice}
            </p>
          ) : null}
          {answer?.kind === 'problem' ? (
            <p class="problem" role="alert" data-status={answer.status}>
              {answer.message}
            </p>
          ) : null}
          {answer?.kind === 'status' ? <Status status={answer.status} /> : null}
        </div>
        {answer?.kind === 'status' ? <CitizenForms key={answer.status.trackingCode} status={answer.status} onDone={(told) => {
          setNotice(told);
          setAsked((n) => n + 1);
        }} /> : null}
      </main>
    </>
  );
}
