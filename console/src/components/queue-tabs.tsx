/**
 * A home's queues as tabs (a unit's, a mediation body's): each with its name and count, the chosen
 * one pressed, controlling the list below it (`#queue-cases`). The count is what the page knows:
 * exact, or a page's worth with more beyond (`more`, shown as "100+").
 */
export interface QueueTab {
  readonly key: string;
  readonly name: string;
  readonly tone?: 'yellow' | 'red';
  readonly count: number;
  readonly more?: boolean;
}

export function QueueTabs({ queues, chosen, label, onChoose }: { queues: readonly QueueTab[]; chosen: string; label: string; onChoose: (key: string) => void }) {
  return (
    <nav class="queues" aria-label={label}>
      {queues.map((queue) => (
        <button
          type="button"
          key={queue.key}
          class={`queue-tab${queue.tone ? ` tone-${queue.tone}` : ''}`}
          data-queue={queue.key}
          aria-pressed={queue.key === chosen}
          aria-controls="queue-cases"
          onClick={() => onChoose(queue.key)}
        >
          <span class="queue-name">{queue.name}</span>
          <span class="queue-count" data-count={queue.count} data-more={queue.more ? 'true' : undefined}>
            {queue.count}
            {queue.more ? '+' : ''}
          </span>
        </button>
      ))}
    </nav>
  );
}
