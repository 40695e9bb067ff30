import { useMemo } from 'preact/hooks';
import definitionJson from '../../../statemachines/case.asl.json';
import { useI18n } from '../i18n';
import { layoutGraph, START, takenTransitions, transitionKey, visitedStates, type AslDefinition, type LaidOutNode } from './graph-layout';

/** The case workflow, drawn from the very ASL file the state machine runs (bundled at build time). */
export const caseWorkflowDefinition = definitionJson as unknown as AslDefinition;

function NodeShape({ node }: { node: LaidOutNode }) {
  const { x, y, width: w, height: h } = node;
  if (node.id === START) return <circle cx={x} cy={y} r={h / 2} />;
  if (node.type === 'Choice') {
    const inset = 12;
    const points = [
      [x - w / 2, y],
      [x - w / 2 + inset, y - h / 2],
      [x + w / 2 - inset, y - h / 2],
      [x + w / 2, y],
      [x + w / 2 - inset, y + h / 2],
      [x - w / 2 + inset, y + h / 2],
    ];
    return <polygon points={points.map((p) => p.join(',')).join(' ')} />;
  }
  const radius = node.type === 'Succeed' || node.type === 'Fail' ? h / 2 : 6;
  return (
    <>
      <rect x={x - w / 2} y={y - h / 2} width={w} height={h} rx={radius} />
      {node.type === 'Map' || node.type === 'Parallel' ? (
        <rect class="inner" x={x - w / 2 + 4} y={y - h / 2 + 4} width={w - 8} height={h - 8} rx={radius - 2} />
      ) : null}
    </>
  );
}

export function WorkflowGraph({ path, currentState }: { path: readonly string[]; currentState: string | null }) {
  const { t } = useI18n();
  const layout = useMemo(() => layoutGraph(caseWorkflowDefinition), []);
  const visited = visitedStates(path, layout);
  const taken = takenTransitions(path, layout, caseWorkflowDefinition);
  const current = currentState ? (layout.parentOf.get(currentState) ?? currentState) : null;
  if (path.length) visited.add(START);

  return (
    <figure class="workflow-graph">
      <svg
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width={layout.width}
        role="img"
        aria-label={current ? `${t('case.currentState')}: ${current}` : t('case.workflow')}
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
          </marker>
          <marker id="arrow-taken" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" class="arrow-head taken" />
          </marker>
        </defs>
        <g class="edges">
          {/* Untaken edges first, so the path taken is drawn on top of them. */}
          {[...layout.edges]
            .sort((a, b) => Number(taken.has(transitionKey(a.from, a.to))) - Number(taken.has(transitionKey(b.from, b.to))))
            .map((edge) => {
              const isTaken = taken.has(transitionKey(edge.from, edge.to));
              return (
                <path
                  key={`${edge.from}-${edge.to}-${edge.kind}`}
                  d={edge.d}
                  class={`edge ${edge.kind}${edge.back ? ' back' : ''}${isTaken ? ' taken' : ''}`}
                  data-from={edge.from}
                  data-to={edge.to}
                  marker-end={isTaken ? 'url(#arrow-taken)' : 'url(#arrow)'}
                />
              );
            })}
        </g>
        <g class="edge-labels">
          {layout.edges
            .filter((edge) => edge.label && edge.labelAt && !edge.back)
            .map((edge) => (
              <text key={`${edge.from}-${edge.to}-label`} x={edge.labelAt!.x} y={edge.labelAt!.y} class={`edge-label ${edge.kind}`}>
                {edge.label}
              </text>
            ))}
        </g>
        <g class="nodes">
          {layout.nodes.map((node) => {
            const classes = ['node', node.type.toLowerCase(), visited.has(node.id) ? 'visited' : '', node.id === current ? 'current' : '']
              .filter(Boolean)
              .join(' ');
            return (
              <g key={node.id} class={classes} data-state={node.id} aria-current={node.id === current ? 'step' : undefined}>
                {node.comment ? <title>{`${node.id}: ${node.comment}`}</title> : null}
                <NodeShape node={node} />
                {node.id !== START ? (
                  <text x={node.x} y={node.y}>
                    {node.id}
                  </text>
                ) : null}
              </g>
            );
          })}
        </g>
      </svg>
      <figcaption class="legend">
        <span class="legend-item current">{t('graph.legendCurrent')}</span>
        <span class="legend-item visited">{t('graph.legendPath')}</span>
        <span class="legend-item timeout">{t('graph.legendTimeout')}</span>
      </figcaption>
    </figure>
  );
}
