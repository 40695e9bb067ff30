import { useState } from 'preact/hooks';
import type { Mediation } from '../../../../functions/domain/mediation/model';
import type { ApiCase } from '../../case-types';
import { useDirectory } from '../../directory';
import { useI18n, type MessageKey } from '../../i18n';
import { formatInstant } from '../../time';
import { LightBadge, ProblemView, Section, TimeLeft } from '../../components/common';
import { downloadDocument, openDocument, WindowBlocked } from '../mediation/document';
import { formatYuan, isDocumentHref, mediationClock } from '../mediation/mediation-view';

/*
 * 调解: the case's referrals to mediation bodies as the API keeps them — the body, its state and
 * clock, the sessions, the agreement or the failure, the fulfilment — and the case's file of
 * documents (一案一档). Shown to everyone who reads the case; the parties' names come only to
 * those the API sends them to. What each may do about it comes from `allowedActions` (the forms
 * are in mediation-forms.tsx).
 */

function Referral({ m, now, current }: { m: Mediation; now: number; current: boolean }) {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const unit = (id: string) => directory?.unitName(id, lang) ?? id;
  const body = directory?.unit(m.body);
  const clock = mediationClock(m);
  const list = (items: string[]) => items.join(lang === 'en' ? ', ' : '、');
  const total = m.agreement ? m.agreement.amounts.reduce((sum, a) => sum + Math.round(a.amountYuan * 100), 0) / 100 : 0;
  return (
    <article class={`mediation-referral status-${m.status}${current ? ' current' : ''}`} data-mediation-body={m.body} data-status={m.status}>
      <p class="co-head">
        <strong class="mediation-body-name">{unit(m.body)}</strong> <span class="tag mediation-status">{t(`mediation.status.${m.status}` as MessageKey)}</span>{' '}
        {clock ? <LightBadge light={m.light} /> : null}
      </p>
      <dl class="fields">
        {body?.channel ? (
          <>
            <dt>{t('mediation.channel')}</dt>
            <dd>
              {t(`mediation.channel.${body.channel}` as MessageKey)}
              {body.level ? <span class="muted"> · {t(`mediation.level.${body.level}` as MessageKey)}</span> : null}
            </dd>
          </>
        ) : null}
        <dt>{t('mediation.referred')}</dt>
        <dd>{t('mediation.referredLine', { unit: unit(m.referredBy), time: formatInstant(m.referredAt) })}</dd>
        <dt>{t('mediation.note')}</dt>
        <dd class="mediation-note">{m.note}</dd>
        {clock ? (
          <>
            <dt>{t(`mediation.due.${clock.step}` as MessageKey)}</dt>
            <dd class="mediation-clock" data-clock={clock.step} data-due-at={clock.dueAt}>
              {formatInstant(clock.dueAt)} · <TimeLeft dueMs={Date.parse(clock.dueAt)} now={now} long />
              {m.breaches > 0 ? <span class="muted"> · {t('mediation.breaches', { n: m.breaches })}</span> : null}
            </dd>
          </>
        ) : null}
        {m.acceptedAt ? (
          <>
            <dt>{t('mediation.acceptedAt')}</dt>
            <dd>{formatInstant(m.acceptedAt)}</dd>
          </>
        ) : null}
        {m.declined ? (
          <>
            <dt>{t('mediation.declineReason')}</dt>
            <dd class="mediation-declined">
              {m.declined.reason} <span class="muted">· {formatInstant(m.declined.at)}</span>
            </dd>
          </>
        ) : null}
      </dl>
      {m.acceptedAt ? (
        <section class="mediation-sessions" aria-label={t('mediation.sessions')}>
          <h3>{t('mediation.sessions')}</h3>
          {m.sessions.length === 0 ? (
            <p class="muted">{t('mediation.sessionsNone')}</p>
          ) : (
            <ol class="mediation-session-list" data-count={m.sessions.length}>
              {m.sessions.map((s, i) => (
                <li key={s.recordedAt} class="mediation-session" data-session={i + 1}>
                  <p class="co-head">
                    <strong>{t('mediation.session', { n: i + 1 })}</strong> <time dateTime={s.at}>{formatInstant(s.at)}</time>
                    {s.place ? <span class="muted"> · {s.place}</span> : null}
                  </p>
                  {s.participants.length ? (
                    <p class="mediation-participants">
                      <span class="muted">{t('mediation.participants')}：</span>
                      {list(s.participants.map((p) => `${t(`mediation.role.${p.role}` as MessageKey)} ${p.name}`))}
                    </p>
                  ) : null}
                  <p class="note mediation-record">{s.record}</p>
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : null}
      {m.agreement ? (
        <section class="mediation-agreement" aria-label={t('mediation.agreement')} data-agreement>
          <h3>{t('mediation.agreement')}</h3>
          <dl class="fields">
            <dt>{t('mediation.terms')}</dt>
            <dd class="mediation-terms">{m.agreement.terms}</dd>
            {m.agreement.amounts.length ? (
              <>
                <dt>{t('mediation.amounts')}</dt>
                <dd>
                  <ul class="mediation-amounts">
                    {m.agreement.amounts.map((a, i) => (
                      <li key={i} data-amount={a.amountYuan}>
                        {t('mediation.amountLine', { payer: a.payer, payee: a.payee, amount: formatYuan(a.amountYuan, lang), due: a.dueBy })}
                      </li>
                    ))}
                  </ul>
                  {m.agreement.amounts.length > 1 ? <span class="muted">{t('mediation.amountTotal', { amount: formatYuan(total, lang) })}</span> : null}
                </dd>
              </>
            ) : null}
            <dt>{t('mediation.performBy')}</dt>
            <dd>{m.agreement.performBy}</dd>
            <dt>{t('mediation.signed')}</dt>
            <dd>{t('mediation.signedAt', { time: formatInstant(m.agreement.signedAt) })}</dd>
            {m.agreement.reportedTo.length ? (
              <>
                <dt>{t('mediation.reportedTo')}</dt>
                <dd class="mediation-reported">{list(m.agreement.reportedTo.map(unit))}</dd>
              </>
            ) : null}
            <dt>{t('mediation.concluded')}</dt>
            <dd>
              {formatInstant(m.agreement.at)}
              {m.concludedOnTime !== undefined ? ` · ${t(m.concludedOnTime ? 'mediation.onTime' : 'mediation.late')}` : ''}
            </dd>
          </dl>
        </section>
      ) : null}
      {m.failure ? (
        <section class="mediation-failure" aria-label={t('mediation.failure')} data-failure={m.failure.advice}>
          <h3>{t('mediation.failure')}</h3>
          <dl class="fields">
            <dt>{t('mediation.failReason')}</dt>
            <dd>{m.failure.reason}</dd>
            <dt>{t('mediation.advice')}</dt>
            <dd class="mediation-advice">{t(`mediation.advice.${m.failure.advice}` as MessageKey)}</dd>
            <dt>{t('mediation.concluded')}</dt>
            <dd>
              {formatInstant(m.failure.at)}
              {m.concludedOnTime !== undefined ? ` · ${t(m.concludedOnTime ? 'mediation.onTime' : 'mediation.late')}` : ''}
            </dd>
          </dl>
        </section>
      ) : null}
      {m.fulfilment ? (
        <section class="mediation-fulfilment" aria-label={t('mediation.fulfilment')} data-fulfilled={String(m.fulfilment.fulfilled)}>
          <h3>{t('mediation.fulfilment')}</h3>
          <p>
            <strong>{t(m.fulfilment.fulfilled ? 'mediation.fulfilled' : 'mediation.unfulfilled')}</strong> · {formatInstant(m.fulfilment.at)} ·{' '}
            {t(m.fulfilment.onTime ? 'mediation.onTime' : 'mediation.late')}
          </p>
          <p class="note">{m.fulfilment.note}</p>
        </section>
      ) : null}
    </article>
  );
}

/** The case's referrals: the last one in full, earlier ones (declined, failed) below it. */
export function MediationPart({ view, now }: { view: ApiCase; now: number }) {
  const { t } = useI18n();
  const all = view.mediations ?? [];
  if (!all.length) return null;
  const last = all[all.length - 1];
  const earlier = all.slice(0, -1).reverse();
  return (
    <Section title={t('mediation.title')} class="mediation" id="mediation">
      <Referral m={last} now={now} current />
      {earlier.length ? (
        <>
          <h3 class="mediation-earlier">{t('mediation.earlier')}</h3>
          {earlier.map((m) => (
            <Referral key={m.referredAt} m={m} now={now} current={false} />
          ))}
        </>
      ) : null}
    </Section>
  );
}

/** 一案一档: the documents so far, each opened (printable, in a window of its own) or saved, with the caller's token. */
export function CaseFile({ view }: { view: ApiCase }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<string>();
  const documents = (view.documents ?? []).filter((d) => isDocumentHref(d.href, view.id));
  if (!documents.length) return null;
  const run = async (kind: string, job: () => Promise<void>) => {
    setError(undefined);
    setBusy(kind);
    try {
      await job();
    } catch (caught) {
      setError(caught instanceof WindowBlocked ? new Error(t('mediation.documentBlocked')) : caught);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <Section title={t('mediation.documents')} class="case-file" id="case-file">
      <ol class="document-list" data-count={documents.length}>
        {documents.map((d) => (
          <li key={d.kind} class="document" data-document={d.kind}>
            <span class="document-title">{d.title}</span> <time class="muted" dateTime={d.at}>{formatInstant(d.at)}</time>
            <span class="document-tools">
              <button
                type="button"
                class="link"
                data-action="open-document"
                aria-label={t('mediation.documentOpenLabel', { title: d.title })}
                disabled={busy === d.kind}
                onClick={() => run(d.kind, () => openDocument(d.href, t('mediation.documentLoading')))}
              >
                {t('mediation.documentOpen')}
              </button>
              <button
                type="button"
                class="link"
                data-action="download-document"
                aria-label={t('mediation.documentDownloadLabel', { title: d.title })}
                disabled={busy === d.kind}
                onClick={() => run(d.kind, () => downloadDocument(d.href, `${view.id}-${d.kind}.html`))}
              >
                {t('mediation.documentDownload')}
              </button>
            </span>
          </li>
        ))}
      </ol>
      <ProblemView error={error} />
    </Section>
  );
}
