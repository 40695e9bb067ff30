import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { CaseView, TimelineEvent } from '../../../functions/domain/case';
import { ApiProblem, deleteResource, getJson, postJson } from '../api';
import { sessionStore } from '../auth';
import { nowMs } from '../clock';
import { config } from '../config';
import { useDirectory, type Directory } from '../directory';
import { eventName, useI18n, type MessageKey } from '../i18n';
import { usePolling } from '../poll';
import { hrefOf, onLinkClick } from '../router';
import { useStore } from '../store';
import { activeDeadline, DEADLINE_KEYS, formatInstant } from '../time';
import { LightBadge, ProblemView, Section, TimeLeft } from '../components/common';
import { WorkflowGraph } from '../components/workflow-graph';

export interface ExecutionView {
  readonly caseId: string;
  readonly executionArn: string;
  readonly status: string;
  readonly startDate?: string;
  readonly stopDate?: string;
  readonly currentState: string | null;
  readonly path: readonly string[];
  readonly events: ReadonlyArray<{
    id: number;
    previousEventId?: number;
    type: string;
    timestamp?: string;
    stateName?: string;
    error?: string;
    cause?: string;
  }>;
  readonly truncated?: boolean;
}

const EXECUTION_READERS = new Set(['supervisor', 'operator']);
const SUPERVISE_ACTIONS = ['urge', 'reassign', 'approve-extension', 'refuse-extension'] as const;
/** Units a supervisor may reassign to: as at intake, the responsible units. */
const REASSIGNABLE_KINDS = new Set(['street-office', 'district-department', 'city-department']);
const SUPERVISION_TYPES = new Set(['SUPERVISION_URGE', 'SUPERVISION_RECORD', 'EXTENSION_REQUESTED', 'EXTENSION_APPROVED', 'EXTENSION_REFUSED', 'REASSIGNED']);

const isAlert = (event: TimelineEvent) => event.data?.alert === true || SUPERVISION_TYPES.has(event.type);

interface CaseData {
  readonly view: CaseView;
  readonly execution?: ExecutionView;
  readonly executionError?: unknown;
}

async function loadCase(id: string, role: string | undefined): Promise<CaseData> {
  const path = `/v1/cases/${encodeURIComponent(id)}`;
  const [view, execution] = await Promise.all([
    getJson<CaseView>(path),
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

function Field({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children ?? '—'}</dd>
    </>
  );
}

function Details({ view, directory }: { view: CaseView; directory?: Directory }) {
  const { t, lang } = useI18n();
  const unit = (id?: string | null) => directory?.unitName(id, lang) ?? id ?? '—';
  const extension = view.extension;
  return (
    <Section title={t('case.details')} class="details">
      <p class="description">{view.description}</p>
      <dl class="fields">
        <Field label={t('case.category')}>{directory?.categoryName(view.category, lang) ?? view.category}</Field>
        <Field label={t('case.reportedVia')}>{t(`via.${view.reportedVia}` as MessageKey)}</Field>
        <Field label={t('case.origin')}>{unit(view.originUnit)}</Field>
        <Field label={t('case.assigned')}>{unit(view.assignedUnit)}</Field>
        <Field label={t('case.firstHandler')}>{unit(view.firstHandlerUnit)}</Field>
        <Field label={t('case.involved')}>{view.involvedUnits.map((id) => unit(id)).join('、')}</Field>
        <Field label={t('case.district')}>{directory?.districtName(view.district, lang) ?? view.district}</Field>
        <Field label={t('case.tier')}>{t(`tier.${view.tier}` as MessageKey)}</Field>
        <Field label={t('case.status')}>{t(`status.${view.status}` as MessageKey)}</Field>
        <Field label={t('case.created')}>{formatInstant(view.createdAt)}</Field>
        {view.signedOffAt ? <Field label={t('case.signedOff')}>{formatInstant(view.signedOffAt)}</Field> : null}
        {view.handler ? <Field label={t('case.handler')}>{view.handler.name}</Field> : null}
        {view.location ? <Field label={t('case.location')}>{[view.location.address, view.location.grid].filter(Boolean).join(' · ')}</Field> : null}
        {view.resolution ? (
          <Field label={t('case.resolution')}>
            {view.resolution.summary} — {view.resolution.outcome}
          </Field>
        ) : null}
        {view.evaluation ? (
          <Field label={t('case.evaluation')}>
            {t(`rating.${view.evaluation.rating}` as MessageKey)}
            {view.evaluation.comment ? `: ${view.evaluation.comment}` : ''}
          </Field>
        ) : null}
        <Field label={t('case.extension')}>
          {t(`extension.${extension.state}` as MessageKey, { days: extension.workingDays ?? '' })}
        </Field>
        {view.closedAt ? <Field label={t('case.closed')}>{formatInstant(view.closedAt)}</Field> : null}
      </dl>
    </Section>
  );
}

/** Personal data: shown only when the API sent it (it omits it for roles that may not see it). */
function Complainant({ view, role, onErased }: { view: CaseView; role?: string; onErased: () => void }) {
  const { t } = useI18n();
  const complainant = view.complainant;
  return (
    <Section title={t('case.complainant')} class="complainant" id="complainant">
      {complainant ? (
        <dl class="fields">
          <Field label={t('case.name')}>{complainant.name}</Field>
          {complainant.phone ? <Field label={t('case.phone')}>{complainant.phone}</Field> : null}
          {complainant.address ? <Field label={t('case.address')}>{complainant.address}</Field> : null}
        </dl>
      ) : (
        <p class="muted">{role === 'auditor' || role === 'operator' ? t('case.complainantHidden') : t('case.complainantNone')}</p>
      )}
      {complainant && role === 'supervisor' ? <EraseComplainant view={view} onErased={onErased} /> : null}
    </Section>
  );
}

/** The supervisor erases a complainant on request: two clicks, as nothing brings the data back. */
function EraseComplainant({ view, onErased }: { view: CaseView; onErased: () => void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const erase = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await deleteResource(`/v1/cases/${encodeURIComponent(view.id)}/complainant`);
      setConfirming(false);
      onErased();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="erase-complainant">
      <p class="muted">{t('case.eraseExplain')}</p>
      {confirming ? (
        <>
          <button type="button" class="danger" name="erase-confirm" disabled={busy} onClick={erase}>
            {t('case.eraseConfirm')}
          </button>{' '}
          <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
            {t('case.eraseCancel')}
          </button>
        </>
      ) : (
        <button type="button" name="erase" onClick={() => setConfirming(true)}>
          {t('case.erase')}
        </button>
      )}
      {error ? <ProblemView error={error} /> : null}
    </div>
  );
}

function Deadlines({ view, now }: { view: CaseView; now: number }) {
  const { t } = useI18n();
  const active = activeDeadline(view);
  return (
    <Section title={t('case.deadlines')} class="deadlines">
      <table class="deadline-table">
        <tbody>
          {DEADLINE_KEYS.filter((key) => view[key]).map((key) => (
            <tr key={key} class={active?.key === key ? 'active' : ''} data-deadline={key}>
              <th>{t(`deadline.${key}` as MessageKey)}</th>
              <td class="nowrap">{formatInstant(view[key])}</td>
              <td class="num">
                {active?.key === key || view.status !== 'closed' ? <TimeLeft dueMs={Date.parse(view[key] as string)} now={now} /> : null}
              </td>
              <td>{active?.key === key ? <span class="tag">{t('case.active')}</span> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

function EventItem({ event, directory }: { event: TimelineEvent; directory?: Directory }) {
  const { lang } = useI18n();
  const alert = event.data?.alert === true;
  return (
    <li class={`event${alert ? ' alert' : ''}`} data-type={event.type}>
      <time>{formatInstant(event.at)}</time>
      <div>
        <strong>{eventName(lang, event.type)}</strong>
        {event.unit ? <span class="muted"> · {directory?.unitName(event.unit, lang) ?? event.unit}</span> : null}
        {event.actor && event.actor.unit !== event.unit ? (
          <span class="muted"> · {directory?.unitName(event.actor.unit, lang) ?? event.actor.unit}</span>
        ) : null}
        {event.note ? <p class="note">{event.note}</p> : null}
      </div>
    </li>
  );
}

function Timeline({ events, directory }: { events: readonly TimelineEvent[]; directory?: Directory }) {
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

function Alerts({ events, directory }: { events: readonly TimelineEvent[]; directory?: Directory }) {
  const { t } = useI18n();
  const alerts = events.filter(isAlert);
  return (
    <Section title={t('case.alerts')} class="alerts" id="alerts">
      {alerts.length === 0 ? (
        <p class="muted">{t('case.noAlerts')}</p>
      ) : (
        <ol class="events" data-count={alerts.length}>
          {[...alerts].reverse().map((event) => (
            <EventItem key={event.seq} event={event} directory={directory} />
          ))}
        </ol>
      )}
    </Section>
  );
}

function Supervise({ view, directory, onSent }: { view: CaseView; directory?: Directory; onSent: () => void }) {
  const { t, lang } = useI18n();
  const [action, setAction] = useState<(typeof SUPERVISE_ACTIONS)[number]>('urge');
  const [toUnit, setToUnit] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: true } | { error: unknown }>();
  const targets = (directory?.units ?? []).filter((unit) => REASSIGNABLE_KINDS.has(unit.kind) && unit.id !== view.assignedUnit);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setResult(undefined);
    try {
      // Sent as typed: the API's own validation answers, and its words are shown.
      await postJson(`/v1/cases/${encodeURIComponent(view.id)}/supervise`, {
        action,
        ...(action === 'reassign' && toUnit ? { toUnit } : {}),
        note,
      });
      setResult({ ok: true });
      setNote('');
      onSent();
    } catch (error) {
      setResult({ error });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={t('supervise.title')} class="supervise" id="supervise">
      <form onSubmit={submit} class="supervise-form">
        <fieldset class="actions" disabled={busy}>
          <legend>{t('supervise.action')}</legend>
          {SUPERVISE_ACTIONS.map((name) => (
            <label key={name} class="radio">
              <input type="radio" name="action" value={name} checked={action === name} onChange={() => setAction(name)} />
              {t(`supervise.${name}` as MessageKey)}
            </label>
          ))}
        </fieldset>
        {action === 'reassign' ? (
          <label>
            {t('supervise.toUnit')}
            <select name="toUnit" value={toUnit} onChange={(event) => setToUnit(event.currentTarget.value)}>
              <option value="">{t('supervise.choose')}</option>
              {targets.map((unit) => (
                <option key={unit.id} value={unit.id}>
                  {lang === 'en' ? unit.nameEn : unit.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          {t('supervise.note')}
          <textarea name="note" rows={3} value={note} onInput={(event) => setNote(event.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {t('supervise.submit')}
        </button>
        {result && 'ok' in result ? (
          <p class="success" role="status">
            {t('supervise.sent')}
          </p>
        ) : null}
        {result && 'error' in result ? <ProblemView error={result.error} /> : null}
      </form>
    </Section>
  );
}

function Execution({ data }: { data: CaseData }) {
  const { t } = useI18n();
  const execution = data.execution;
  if (!execution) {
    return (
      <Section title={t('case.workflow')} class="workflow" id="workflow">
        {data.executionError ? <ProblemView error={data.executionError} /> : <p class="muted">{t('case.workflowForbidden')}</p>}
      </Section>
    );
  }
  return (
    <Section title={t('case.workflow')} class="workflow" id="workflow">
      <p class="execution-summary">
        {t('case.executionStatus')}: <strong data-execution-status>{execution.status}</strong> · {t('case.currentState')}:{' '}
        <strong data-current-state>{execution.currentState ?? t('case.noCurrent')}</strong>
      </p>
      <div class="workflow-body">
        <WorkflowGraph path={execution.path} currentState={execution.currentState} />
        <div class="execution-events">
          <h3>{t('case.events')}</h3>
          <ol class="history" data-count={execution.events.length}>
            {[...execution.events].reverse().map((event) => (
              <li key={event.id} class={event.type.includes('Failed') || event.type.includes('TimedOut') ? 'failed' : ''}>
                <span class="event-id">{event.id}</span>
                <span class="event-type">{event.type}</span>
                {event.stateName ? <span class="event-state">{event.stateName}</span> : null}
                {event.error ? <span class="event-error">{event.error}</span> : null}
                <time>{formatInstant(event.timestamp)}</time>
              </li>
            ))}
          </ol>
        </div>
      </div>
    </Section>
  );
}

export function CasePage({ id }: { id: string }) {
  const { t } = useI18n();
  const session = useStore(sessionStore);
  const directory = useDirectory();
  const polled = usePolling(() => loadCase(id, session?.role), config().refreshSeconds, `case:${id}:${session?.role}`);
  const now = nowMs();
  const refreshSoon = () => {
    polled.refresh();
    // The workflow applies the action asynchronously: look again shortly.
    setTimeout(() => polled.refresh(), 600);
  };

  const data = polled.data;
  const notFound = polled.error instanceof ApiProblem && polled.error.status === 404;
  return (
    <main class="case-page">
      <p>
        <a href={hrefOf({ page: 'board' })} onClick={onLinkClick}>
          ← {t('common.back')}
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
          <div class="case-grid">
            <div class="column">
              <Details view={data.view} directory={directory} />
              <Complainant view={data.view} role={session?.role} onErased={refreshSoon} />
              <Deadlines view={data.view} now={now} />
              {session?.role === 'supervisor' && data.view.status !== 'closed' ? (
                <Supervise view={data.view} directory={directory} onSent={refreshSoon} />
              ) : null}
            </div>
            <div class="column">
              <Alerts events={data.view.timeline ?? []} directory={directory} />
              <Timeline events={data.view.timeline ?? []} directory={directory} />
            </div>
          </div>
          <Execution data={data} />
        </>
      ) : null}
    </main>
  );
}
