import type { ApiCase, ApiTimelineEvent } from '../case-types';
import { codeOf } from '../case-types';
import { useDirectory } from '../directory';
import { useI18n, type MessageKey } from '../i18n';
import { formatInstant } from '../time';
import { Section } from './common';

/**
 * The case's progress as the people involved speak of it: 受理 → 签收 → 办理 (at which tier)
 * → 评价 → 办结, each stage with its time and who acted (unit, and the person: the name they gave, else their sign-in id).
 */
type StageState = 'done' | 'current' | 'pending';

interface Stage {
  readonly key: 'accepted' | 'signedOff' | 'handling' | 'evaluation' | 'closed';
  readonly state: StageState;
  readonly at?: string;
  readonly unit?: string;
  readonly person?: string;
  readonly extra?: readonly string[];
}

const last = (events: readonly ApiTimelineEvent[], ...codes: string[]) => [...events].reverse().find((event) => codes.includes(codeOf(event)));

function personOf(event: ApiTimelineEvent | undefined): string | undefined {
  return event?.by ? (event.by.name ?? event.by.sub) : undefined;
}

function stagesOf(view: ApiCase): Stage[] {
  const events = view.timeline ?? [];
  const accepted = last(events, 'CASE_ACCEPTED');
  const signed = last(events, 'SIGNED_OFF');
  const resolved = last(events, 'RESOLVED');
  const evaluated = last(events, 'EVALUATED');
  const order = ['accepted', 'signedOff', 'handling', 'evaluation', 'closed'] as const;
  const currentIndex =
    view.status === 'closed' ? 5 : view.status === 'awaiting-evaluation' ? 3 : view.status === 'in-progress' ? 2 : 1; // awaiting sign-off or returned
  const state = (key: (typeof order)[number]): StageState => {
    const index = order.indexOf(key);
    return index < currentIndex ? 'done' : index === currentIndex ? 'current' : 'pending';
  };
  const signedOffAt = view.signedOffAt ?? signed?.at;
  return [
    { key: 'accepted', state: 'done', at: view.createdAt, unit: view.originUnit, person: personOf(accepted) },
    {
      key: 'signedOff',
      state: state('signedOff'),
      ...(state('signedOff') !== 'pending' && signedOffAt ? { at: signedOffAt } : {}),
      unit: signed?.actor?.unit ?? view.assignedUnit,
      person: view.handler?.name ?? personOf(signed),
    },
    {
      key: 'handling',
      state: state('handling'),
      ...(resolved && state('handling') === 'done' ? { at: resolved.at } : {}),
      unit: resolved && state('handling') === 'done' ? (resolved.actor?.unit ?? view.assignedUnit) : view.assignedUnit,
      person: state('handling') === 'done' ? personOf(resolved) : undefined,
    },
    {
      key: 'evaluation',
      state: state('evaluation'),
      ...(view.evaluation ? { at: view.evaluation.at } : {}),
      unit: view.originUnit,
      person: personOf(evaluated),
    },
    { key: 'closed', state: view.status === 'closed' ? 'done' : 'pending', ...(view.closedAt ? { at: view.closedAt } : {}) },
  ];
}

export function ProgressView({ view }: { view: ApiCase }) {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const unitName = (id?: string) => (id ? (directory?.unitName(id, lang) ?? id) : undefined);
  const escalations = (view.timeline ?? []).filter((event) => codeOf(event) === 'ESCALATED');
  return (
    <Section title={t('progress.title')} class="progress-view" id="progress">
      <ol class="stages">
        {stagesOf(view).map((stage) => (
          <li key={stage.key} class={`stage ${stage.state}`} data-stage={stage.key} data-state={stage.state} aria-current={stage.state === 'current' ? 'step' : undefined}>
            <span class="stage-mark" aria-hidden="true" />
            <div class="stage-body">
              <strong class="stage-name">{t(`stage.${stage.key}` as MessageKey)}</strong>{' '}
              <span class="stage-state">({t(`stage.${stage.state}` as MessageKey)})</span>
              {stage.key === 'handling' ? (
                <span class="stage-tier" data-tier={view.tier}>
                  {' '}
                  · {t(`tier.${view.tier}` as MessageKey)}
                </span>
              ) : null}
              {stage.at ? (
                <p class="stage-time">
                  <time dateTime={stage.at}>{formatInstant(stage.at)}</time>
                </p>
              ) : null}
              {stage.state !== 'pending' && (stage.unit || stage.person) ? (
                <p class="stage-who">{[unitName(stage.unit), stage.person].filter(Boolean).join(' · ')}</p>
              ) : null}
              {stage.key === 'signedOff' && view.status === 'returned' ? <p class="stage-note">{t('stage.returned')}</p> : null}
              {stage.key === 'handling' && escalations.length ? (
                <ul class="stage-escalations">
                  {escalations.map((event) => (
                    <li key={event.seq}>
                      <time dateTime={event.at}>{formatInstant(event.at)}</time> {event.text ?? ''}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
    </Section>
  );
}
