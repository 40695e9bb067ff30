import { useI18n } from '../../i18n';
import { explainState } from '../../state-names';
import { formatInstant } from '../../time';
import { ProblemView, Section } from '../../components/common';
import { caseWorkflowDefinition, WorkflowGraph } from '../../components/workflow-graph';

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
export function Execution({ data }: { data: { execution?: ExecutionView; executionError?: unknown } }) {
  const { t, lang } = useI18n();
  const execution = data.execution;
  if (!execution) {
    return (
      <Section title={t('case.workflow')} class="workflow" id="workflow">
        {data.executionError ? <ProblemView error={data.executionError} /> : <p class="muted">{t('common.loading')}</p>}
      </Section>
    );
  }
  const explained = execution.currentState ? explainState(execution.currentState, lang) : undefined;
  return (
    <Section title={t('case.workflow')} class="workflow" id="workflow">
      <p class="execution-summary">
        {t('case.executionStatus')}: <strong data-execution-status>{execution.status}</strong> · {t('case.currentState')}:{' '}
        <strong data-current-state>{execution.currentState ?? t('case.noCurrent')}</strong>
        {explained ? <span class="state-explained"> — {explained}</span> : null}
      </p>
      <div class="workflow-body">
        <div class="graph-scroll" tabIndex={0} role="group" aria-label={t('case.workflow')}>
          <WorkflowGraph path={execution.path} currentState={execution.currentState} />
        </div>
        <div class="execution-events">
          <h3>{t('case.events')}</h3>
          <ol class="history" data-count={execution.events.length} tabIndex={0} aria-label={t('case.events')}>
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
      <StateNames current={execution.currentState} />
    </Section>
  );
}
