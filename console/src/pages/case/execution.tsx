import { useState } from 'preact/hooks';
import { getJson } from '../../api';
import { historyOf, type ExecutionView } from '../../execution-history';
import { useI18n } from '../../i18n';
import { explainState } from '../../state-names';
import { formatInstant } from '../../time';
import { ProblemView, Section } from '../../components/common';
import { caseWorkflowDefinition, WorkflowGraph } from '../../components/workflow-graph';

export type { ExecutionView } from '../../execution-history';

/** Older pages read on request, for one execution. */
interface OlderPages {
  readonly executionArn: string;
  readonly pages: readonly ExecutionView[];
}

/** The state names of the machine, each explained in the user's language (unknown ones show as they are). */
function StateNames({ current }: { current: string | null }) {
  const { t, lang } = useI18n();
  const names = Object.keys(caseWorkflowDefinition.States);
  return (
    <details class="state-names">
      <summary>{t('case.workflowStates')}</summary>
      <dl class="fields">
        {names.map((name) => {
          const text = explainState(name, lang);
          return (
            <div key={name} class={name === current ? 'current-state' : ''} data-state-name={name}>
              <dt>
                <code>{name}</code>
              </dt>
              <dd>{text ?? '—'}</dd>
            </div>
          );
        })}
      </dl>
    </details>
  );
}

/** The technical view, for the supervisor and operators: the graph, the current state explained, the event history. */
export function Execution({ data }: { data: { caseId?: string; execution?: ExecutionView; executionError?: unknown } }) {
  const { t, lang } = useI18n();
  const execution = data.execution;
  const [older, setOlder] = useState<OlderPages>({ executionArn: '', pages: [] });
  const [olderError, setOlderError] = useState<unknown>();
  const [loadingOlder, setLoadingOlder] = useState(false);
  if (!execution) {
    return (
      <Section title={t('case.workflow')} class="workflow" id="workflow">
        {data.executionError ? <ProblemView error={data.executionError} /> : <p class="muted">{t('common.loading')}</p>}
      </Section>
    );
  }
  const explained = execution.currentState ? explainState(execution.currentState, lang) : undefined;
  const olderPages = older.executionArn === execution.executionArn ? older.pages : [];
  const history = historyOf(execution, olderPages);
  const currentState = execution.currentState ?? null;
  const loadOlder = () => {
    if (!history.olderCursor || loadingOlder) return;
    setLoadingOlder(true);
    setOlderError(undefined);
    getJson<ExecutionView>(`/v1/cases/${encodeURIComponent(execution.caseId)}/execution?before=${encodeURIComponent(history.olderCursor)}`)
      .then((page) => setOlder({ executionArn: execution.executionArn, pages: [...olderPages, page] }))
      .catch(setOlderError)
      .finally(() => setLoadingOlder(false));
  };
  return (
    <Section title={t('case.workflow')} class="workflow" id="workflow">
      <p class="execution-summary">
        {t('case.executionStatus')}: <strong data-execution-status>{execution.status}</strong> · {t('case.currentState')}:{' '}
        <strong data-current-state>{currentState ?? t('case.noCurrent')}</strong>
        {explained ? <span class="state-explained"> — {explained}</span> : null}
        {execution.consoleUrl ? (
          <>
            {' · '}
            <a href={execution.consoleUrl} target="_blank" rel="noopener noreferrer" data-console-url>
              {t('case.openInAws')}
            </a>
          </>
        ) : null}
      </p>
      <div class="workflow-body">
        <div class="graph-scroll" tabIndex={0} role="group" aria-label={t('case.workflow')}>
          <WorkflowGraph path={history.path} currentState={currentState} />
        </div>
        <div class="execution-events">
          <h3>{t('case.events')}</h3>
          <ol class="history" data-count={history.events.length} tabIndex={0} aria-label={t('case.events')}>
            {history.events.map((event) => (
              <li key={event.id} class={event.type.includes('Failed') || event.type.includes('TimedOut') ? 'failed' : ''}>
                <span class="event-id">{event.id}</span>
                <span class="event-type">{event.type}</span>
                {event.stateName ? <span class="event-state">{event.stateName}</span> : null}
                {event.error ? <span class="event-error">{event.error}</span> : null}
                <time>{formatInstant(event.timestamp)}</time>
              </li>
            ))}
          </ol>
          <ProblemView error={olderError} />
          {history.olderCursor ? (
            <button type="button" class="link" data-action="older-events" disabled={loadingOlder} onClick={loadOlder}>
              {loadingOlder ? t('common.loading') : t('case.olderEvents')}
            </button>
          ) : null}
        </div>
      </div>
      <StateNames current={currentState} />
    </Section>
  );
}
