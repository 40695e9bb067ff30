import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem, getJson } from '../../api';
import { sessionStore } from '../../auth';
import { codeOf, type ApiCase, type ApiTimelineEvent } from '../../case-types';
import { nowMs } from '../../clock';
import { config } from '../../config';
import { useDirectory, type Directory } from '../../directory';
import { eventName, useI18n, type MessageKey } from '../../i18n';
import { usePolling } from '../../poll';
import { hrefOf, onLinkClick, useQuery } from '../../router';
import { useStore } from '../../store';
import { activeDeadline, DEADLINE_KEYS, formatInstant } from '../../time';
import { ActionForm, EraseComplainant, offeredActions, type ActionOutcome } from '../../components/actions';
import { LightBadge, Phone, ProblemView, Section, TimeLeft, useNarrow } from '../../components/common';
import { ProgressView } from '../../components/progress-view';
import { CoHandlers } from './co-handlers';
import { Receipt } from './receipt';
import { Execution, type ExecutionView } from './execution';
import { CaseFile, MediationPart } from './mediation';
import { MediationForm } from './mediation-forms';
import { isMediationAction, mediationClock, offeredMediationActions, openMediationOf } from '../mediation/mediation-view';

/** Who may read a case's workflow execution (GET /v1/cases/{id}/execution answers them only). */
const EXECUTION_READERS = new Set(['supervisor', 'operator']);
const SUPERVISION_CODES = new Set(['SUPERVISION_URGE', 'SUPERVISION_RECORD', 'EXTENSION_REQUESTED', 'EXTENSION_APPROVED', 'EXTENSION_REFUSED', 'REASSIGNED']);

const isAlert = (event: ApiTimelineEvent) => event.data?.alert === true || SUPERVISION_CODES.has(codeOf(event));

interface CaseData {
  readonly view: ApiCase;
  readonly execution?: ExecutionView;
  readonly executionError?: unknown;
}

async function loadCase(id: string, role: string | undefined): Promise<CaseData> {
  const path = `/v1/cases/${encodeURIComponent(id)}`;
  const [view, execution] = await Promise.all([
    getJson<ApiCase>(path),
    role && EXECUTION_READERS.has(role)
      ? getJson<ExecutionView>(`${path}/execution`).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        )
      : Promise.resolve(undefined),
  ]);
  return {
    view,
    ...(execution && 'value' in execution ? { execution: execution.value } : {}),
    ...(execution && 'error' in execution ? { executionError: execution.error } : {}),
  };
}

function Item({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children ?? '—'}</dd>
    </>
  );
}

function Details({ view, directory }: { view: ApiCase; directory?: Directory }) {
  const { t, lang } = useI18n();
  const unit = (id?: string | null) => directory?.unitName(id, lang) ?? id ?? '—';
  const extension = view.extension;
  return (
    <Section title={t('case.details')} class="details" id="details">
      <p class="description">{view.description}</p>
      <dl class="fields">
        {view.trackingCode ? (
          <Item label={t('case.trackingCode')}>
            <code class="tracking-code" data-tracking-code>
              {view.trackingCode}
            </code>{' '}
            <span class="muted">{t('case.trackingHint')}</span>
          </Item>
        ) : null}
        <Item label={t('case.category')}>{directory?.categoryName(view.category, lang) ?? view.category}</Item>
        <Item label={t('case.reportedVia')}>{t(`via.${view.reportedVia}` as MessageKey)}</Item>
        <Item label={t('case.origin')}>{unit(view.originUnit)}</Item>
        <Item label={t('case.assigned')}>{unit(view.assignedUnit)}</Item>
        <Item label={t('case.firstHandler')}>{unit(view.firstHandlerUnit)}</Item>
        <Item label={t('case.involved')}>{view.involvedUnits.map((id) => unit(id)).join(lang === 'en' ? ', ' : '、')}</Item>
        <Item label={t('case.district')}>{directory?.districtName(view.district, lang) ?? view.district}</Item>
        <Item label={t('case.tier')}>{t(`tier.${view.tier}` as MessageKey)}</Item>
        <Item label={t('case.status')}>{t(`status.${view.status}` as MessageKey)}</Item>
        {view.handler ? (
          <Item label={t('case.handler')}>
            {view.handler.name}
            {view.handler.phone ? (
              <>
                {' · '}
                <Phone number={view.handler.phone} />
              </>
            ) : null}
          </Item>
        ) : null}
        {view.location ? <Item label={t('case.location')}>{[view.location.address, view.location.grid].filter(Boolean).join(' · ')}</Item> : null}
        {view.resolution ? (
          <Item label={t('case.resolution')}>
            {view.resolution.summary} — {view.resolution.outcome}
          </Item>
        ) : null}
        {view.resolution?.approval ? (
          <Item label={t('approval.title')}>
            <span data-approval={view.resolution.approval.state}>
              {view.resolution.approval.state === 'approved' && view.resolution.approval.by
                ? t('approval.approved', { name: view.resolution.approval.by.name, post: view.resolution.approval.by.post })
                : t('approval.pending')}
            </span>
            {view.resolution.approval.at ? <span class="muted"> · {formatInstant(view.resolution.approval.at)}</span> : null}
          </Item>
        ) : null}
        {view.evaluation ? (
          <Item label={t('case.evaluation')}>
            {t(`rating.${view.evaluation.rating}` as MessageKey)}
            {view.evaluation.comment ? `: ${view.evaluation.comment}` : ''}
          </Item>
        ) : null}
        <Item label={t('case.extension')}>{t(`extension.${extension.state}` as MessageKey, { days: extension.workingDays ?? '' })}</Item>
      </dl>
    </Section>
  );
}

/** Personal data: shown only when the API sent it (it omits it for roles that may not see it). */
function Complainant({ view, role, onOutcome }: { view: ApiCase; role?: string; onOutcome: (outcome: ActionOutcome) => void }) {
  const { t } = useI18n();
  const complainant = view.complainant;
  return (
    <Section title={t('case.complainant')} class="complainant" id="complainant">
      {complainant ? (
        <dl class="fields">
          <Item label={t('case.name')}>{complainant.name}</Item>
          {complainant.phone ? (
            <Item label={t('case.phone')}>
              <Phone number={complainant.phone} />
            </Item>
          ) : null}
          {complainant.address ? <Item label={t('case.address')}>{complainant.address}</Item> : null}
        </dl>
      ) : (
        <p class="muted">{role === 'auditor' || role === 'operator' ? t('case.complainantHidden') : t('case.complainantNone')}</p>
      )}
      {complainant && view.allowedActions?.includes('erase-complainant') ? <EraseComplainant view={view} onOutcome={onOutcome} /> : null}
    </Section>
  );
}

function Deadlines({ view, now }: { view: ApiCase; now: number }) {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  // While a mediation body holds the case its clock runs, not the holder's (which starts anew when the case comes back).
  const mediation = openMediationOf(view.mediations);
  const clock = mediation ? mediationClock(mediation) : undefined;
  const active = clock ? undefined : activeDeadline(view);
  return (
    <Section title={t('case.deadlines')} class="deadlines" id="deadlines">
      <table class="deadline-table">
        <tbody>
          {mediation && clock ? (
            <tr class="active" data-deadline="mediation">
              <th scope="row">
                {t(`mediation.due.${clock.step}` as MessageKey)} <span class="muted">· {directory?.unitName(mediation.body, lang) ?? mediation.body}</span>
              </th>
              <td class="nowrap">{formatInstant(clock.dueAt)}</td>
              <td class="num">
                <TimeLeft dueMs={Date.parse(clock.dueAt)} now={now} />
              </td>
              <td>
                <span class="tag">{t('case.active')}</span>
              </td>
            </tr>
          ) : null}
          {DEADLINE_KEYS.filter((key) => view[key]).map((key) => (
            <tr key={key} class={active?.key === key ? 'active' : ''} data-deadline={key}>
              <th scope="row">{t(`deadline.${key}` as MessageKey)}</th>
              <td class="nowrap">{formatInstant(view[key])}</td>
              <td class="num">{view.status !== 'closed' && !clock ? <TimeLeft dueMs={Date.parse(view[key] as string)} now={now} /> : null}</td>
              <td>{active?.key === key ? <span class="tag">{t('case.active')}</span> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {clock ? <p class="muted">{t('mediation.holderPaused')}</p> : null}
    </Section>
  );
}

/** One timeline event: the API's own text in the user's language, who acted, and a note as it was written. */
function EventItem({ event, directory }: { event: ApiTimelineEvent; directory?: Directory }) {
  const { lang } = useI18n();
  const code = codeOf(event);
  const alert = event.data?.alert === true;
  const text = event.text ?? eventName(lang, code);
  const actorUnit = event.actor?.unit;
  // The person who acted: the name they gave, else their sign-in id.
  const person = event.by ? (event.by.name ?? event.by.sub) : undefined;
  const who = [actorUnit ? (directory?.unitName(actorUnit, lang) ?? actorUnit) : undefined, person].filter(Boolean).join(' · ');
  return (
    <li class={`event${alert ? ' alert' : ''}`} data-type={event.type} data-code={code}>
      <time dateTime={event.at}>{formatInstant(event.at)}</time>
      <div>
        <strong class="event-text">{text}</strong>
        {who ? <span class="event-who"> · {who}</span> : null}
        {event.note && !text.includes(event.note) ? <p class="note">{event.note}</p> : null}
      </div>
    </li>
  );
}

function Timeline({ events, directory }: { events: readonly ApiTimelineEvent[]; directory?: Directory }) {
  const { t } = useI18n();
  return (
    <Section title={t('case.timeline')} class="timeline" id="timeline">
      <ol class="events" data-count={events.length}>
        {events.map((event) => (
          <EventItem key={event.seq} event={event} directory={directory} />
        ))}
      </ol>
    </Section>
  );
}

function Alerts({ events, directory }: { events: readonly ApiTimelineEvent[]; directory?: Directory }) {
  const { t } = useI18n();
  const alerts = events.filter(isAlert);
  return (
    <Section title={t('case.alerts')} class="alerts" id="alerts">
      {alerts.length === 0 ? (
        <p class="muted">{t('case.noAlerts')}</p>
      ) : (
        // Scrollable: reachable and scrollable by keyboard.
        <ol class="events scroll" data-count={alerts.length} tabIndex={0} aria-label={t('case.alerts')}>
          {[...alerts].reverse().map((event) => (
            <EventItem key={event.seq} event={event} directory={directory} />
          ))}
        </ol>
      )}
    </Section>
  );
}

/** Chooses which allowed action's form is open (kept in the URL, ?action=). */
function useChosenAction(view: ApiCase): [string[], string | undefined, (name: string) => void] {
  const [query, setQuery] = useQuery();
  // The mediation actions the API names have their own forms (mediation-forms.tsx): a mediator is offered only those.
  const offered = [...offeredMediationActions(view.allowedActions).filter((name) => name !== 'mediate'), ...offeredActions(view), ...offeredMediationActions(view.allowedActions).filter((name) => name === 'mediate')].filter(
    (name) => name !== 'erase-complainant',
  );
  const asked = query.get('action') ?? '';
  const chosen = offered.includes(asked) ? asked : offered[0];
  return [offered, chosen, (name) => setQuery({ action: name })];
}

/** The allowed actions as a bar of buttons; on a phone it sticks to the bottom of the screen. */
function ActionBar({ view, sticky }: { view: ApiCase; sticky?: boolean }) {
  const { t } = useI18n();
  const [offered, chosen, choose] = useChosenAction(view);
  if (!offered.length) return null;
  return (
    <nav class={`action-bar${sticky ? ' sticky' : ''}`} aria-label={t('actions.bar')}>
      {offered.map((name) => (
        <button
          type="button"
          key={name}
          data-action-choice={name}
          aria-pressed={name === chosen}
          aria-controls="action-form-area"
          onClick={() => {
            choose(name);
            requestAnimationFrame(() => {
              const area = document.getElementById('action-form-area');
              area?.scrollIntoView({ block: 'start' });
              area?.querySelector<HTMLElement>('input, textarea, select')?.focus({ preventScroll: true });
            });
          }}
        >
          {t(`action.${name}` as MessageKey)}
        </button>
      ))}
    </nav>
  );
}

/** What this caller may do now: the form of the chosen allowed action, and the outcome, announced. */
function Actions({ view, onOutcome, notice, narrow }: { view: ApiCase; onOutcome: (outcome: ActionOutcome) => void; notice?: ActionOutcome; narrow: boolean }) {
  const { t } = useI18n();
  const [offered, chosen] = useChosenAction(view);
  return (
    <section class="panel actions-panel" id="actions" aria-labelledby="actions-heading">
      <h2 id="actions-heading">{t('actions.title')}</h2>
      <div class="notices" aria-live="polite">
        {notice?.kind === 'sent' ? (
          <p class="success" data-notice="sent" data-action={notice.action}>
            {t('action.sent')}
          </p>
        ) : null}
        {notice?.kind === 'moved-on' ? (
          <div class="problem moved-on" data-notice="moved-on" role="alert">
            <strong>{t('problem.movedOn')}</strong>
            <p class="problem-next">{t('problem.movedOnNext')}</p>
            {notice.problem.detail ? <p>{notice.problem.detail}</p> : null}
          </div>
        ) : null}
      </div>
      {offered.length === 0 || !chosen ? (
        <p class="muted">{t('actions.none')}</p>
      ) : (
        <>
          {narrow ? null : <ActionBar view={view} />}
          <div id="action-form-area" class="action-form-area">
            <h3>{t(`action.${chosen}` as MessageKey)}</h3>
            {isMediationAction(chosen) ? (
              <MediationForm key={chosen} action={chosen} view={view} onOutcome={onOutcome} />
            ) : (
              <ActionForm key={chosen} action={chosen} view={view} onOutcome={onOutcome} />
            )}
          </div>
        </>
      )}
    </section>
  );
}

export function CasePage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const session = useStore(sessionStore);
  const directory = useDirectory();
  const narrow = useNarrow();
  const polled = usePolling(() => loadCase(id, session?.role), config().refreshSeconds, `case:${id}:${session?.role}`);
  const [notice, setNotice] = useState<ActionOutcome>();
  // The API renders texts in the request's language: read the case again when it changes (keeping what is typed).
  const firstLang = useRef(lang);
  useEffect(() => {
    if (lang !== firstLang.current) polled.refresh();
  }, [lang]);
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);
  useEffect(() => () => timers.current.forEach(clearTimeout), []);
  const now = nowMs();
  const onOutcome = (outcome: ActionOutcome) => {
    setNotice(outcome);
    polled.refresh();
    // The workflow applies an action asynchronously: look again shortly.
    if (outcome.kind === 'sent') timers.current.push(setTimeout(() => polled.refresh(), 600));
  };

  const data = polled.data;
  const notFound = polled.error instanceof ApiProblem && polled.error.status === 404;
  return (
    <main class="case-page" id="main" tabIndex={-1}>
      <p class="back">
        <a href={hrefOf({ page: 'home' })} onClick={onLinkClick}>
          ← {t('common.backHome')}
        </a>
      </p>
      {notFound ? <p class="problem">{t('case.notFound')}</p> : <ProblemView error={polled.error} />}
      {polled.loading && !data ? <p>{t('common.loading')}</p> : null}
      {data ? (
        <>
          <div class="page-head case-head">
            <h1>
              {data.view.title} <LightBadge light={data.view.light} />
            </h1>
            <span class="case-id">{data.view.id}</span>
          </div>
          <ProgressView view={data.view} />
          {data.view.trackingCode ? <Receipt view={data.view} /> : null}
          <div class="case-grid">
            <div class="column">
              <Actions view={data.view} onOutcome={onOutcome} notice={notice} narrow={narrow} />
              <MediationPart view={data.view} now={now} />
              <CaseFile view={data.view} />
              <Deadlines view={data.view} now={now} />
              <CoHandlers view={data.view} now={now} />
              <Details view={data.view} directory={directory} />
              <Complainant view={data.view} role={session?.role} onOutcome={onOutcome} />
            </div>
            <div class="column">
              <Alerts events={data.view.timeline ?? []} directory={directory} />
              <Timeline events={data.view.timeline ?? []} directory={directory} />
            </div>
          </div>
          {session && EXECUTION_READERS.has(session.role) ? <Execution data={data} /> : null}
          {/* The other city-wide role is told why the graph is missing; units and communities are not shown it at all. */}
          {session?.role === 'auditor' ? <ExecutionClosed /> : null}
          {narrow ? <ActionBar view={data.view} sticky /> : null}
        </>
      ) : null}
    </main>
  );
}

function ExecutionClosed() {
  const { t } = useI18n();
  return (
    <Section title={t('case.workflow')} class="workflow" id="workflow">
      <p class="muted">{t('case.workflowForbidden')}</p>
    </Section>
  );
}
