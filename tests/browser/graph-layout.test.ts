import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  edgesOf,
  layoutGraph,
  START,
  takenTransitions,
  transitionKey,
  visitedStates,
  type AslDefinition,
} from '../../console/src/components/graph-layout';
import { explainState } from '../../console/src/state-names';

/** The console draws the case workflow from the ASL file itself; these check the drawing's geometry. */
const definition = JSON.parse(readFileSync(join(__dirname, '..', '..', 'statemachines', 'case.asl.json'), 'utf8')) as AslDefinition;

describe('the workflow graph layout', () => {
  const layout = layoutGraph(definition);
  const node = (id: string) => layout.nodes.find((n) => n.id === id)!;

  test('draws every top-level state once, and the start', () => {
    expect(layout.nodes.map((n) => n.id).sort()).toEqual([START, ...Object.keys(definition.States)].sort());
  });

  test('draws every transition the definition declares', () => {
    expect(layout.edges.map((e) => transitionKey(e.from, e.to)).sort()).toEqual(edgesOf(definition).map((e) => transitionKey(e.from, e.to)).sort());
    const catches = layout.edges.filter((e) => e.kind === 'catch').map((e) => transitionKey(e.from, e.to));
    expect(catches).toEqual(
      expect.arrayContaining(['AwaitSignOff→SignOffClock', 'AwaitResult→HandlingClock', 'AwaitEvaluation→EvaluationClock', 'AwaitReRouting→ReRoutingClock']),
    );
  });

  test('puts the states in rows down the main flow, the loop back to the next step drawn as a back edge', () => {
    // Resume chooses: a new case begins, a continued one goes straight to its next step; each wait
    // ends in a clock or an action, whose alerts are announced before the machine loops back.
    const ranks = ['Resume', 'Begin', 'NextStep', 'AwaitSignOff', 'SignOffClock', 'AnnounceAlerts', 'OutgrowsExecution'].map((id) => node(id).rank);
    expect(ranks).toEqual([1, 2, 2, 3, 4, 5, 6]);
    const back = layout.edges.filter((e) => e.back);
    expect(back.map((e) => transitionKey(e.from, e.to))).toEqual(['OutgrowsExecution→NextStep']);
    for (const edge of layout.edges.filter((e) => !e.back)) expect(node(edge.to).rank).toBeGreaterThan(node(edge.from).rank);
  });

  test('never overlaps two boxes, and keeps them inside the drawing', () => {
    const byRow = new Map<number, typeof layout.nodes[number][]>();
    for (const n of layout.nodes) byRow.set(n.rank, [...(byRow.get(n.rank) ?? []), n]);
    for (const row of byRow.values()) {
      const sorted = [...row].sort((a, b) => a.x - b.x);
      for (let i = 1; i < sorted.length; i++) {
        expect(sorted[i].x - sorted[i].width / 2).toBeGreaterThanOrEqual(sorted[i - 1].x + sorted[i - 1].width / 2);
      }
    }
    for (const n of layout.nodes) {
      expect(n.x - n.width / 2).toBeGreaterThanOrEqual(0);
      expect(n.x + n.width / 2).toBeLessThanOrEqual(layout.width);
      expect(n.y + n.height / 2).toBeLessThanOrEqual(layout.height);
    }
  });

  test('reads the path taken, nested Map states counting as their Map', () => {
    const path = [
      'Resume', 'Begin', 'AnnounceAlerts', 'PublishAlert', 'OutgrowsExecution', 'NextStep', 'AwaitSignOff',
      'SignOffClock', 'AnnounceAlerts', 'PublishAlert', 'OutgrowsExecution', 'NextStep', 'AwaitSignOff',
    ];
    const taken = takenTransitions(path, layout, definition);
    expect([...taken].sort()).toEqual(
      [
        transitionKey(START, 'Resume'),
        'Resume→Begin',
        'Begin→AnnounceAlerts',
        'AnnounceAlerts→OutgrowsExecution',
        'OutgrowsExecution→NextStep',
        'NextStep→AwaitSignOff',
        'AwaitSignOff→SignOffClock',
        'SignOffClock→AnnounceAlerts',
      ].sort(),
    );
    expect(visitedStates(path, layout)).toEqual(new Set(['Resume', 'Begin', 'AnnounceAlerts', 'OutgrowsExecution', 'NextStep', 'AwaitSignOff', 'SignOffClock']));
  });

  test('lays out any small definition, unreachable states included', () => {
    const small: AslDefinition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Choice', Choices: [{ Next: 'B', StringEquals: 'b' }], Default: 'C' },
        B: { Type: 'Pass', Next: 'A' },
        C: { Type: 'Succeed' },
        Orphan: { Type: 'Fail' },
      },
    };
    const drawn = layoutGraph(small);
    expect(drawn.nodes).toHaveLength(5);
    expect(drawn.edges.find((e) => e.from === 'B')?.back).toBe(true);
    expect(drawn.edges.every((e) => e.d.startsWith('M'))).toBe(true);
  });
});

describe('the workflow graph’s state names', () => {
  test('each state of the definition is explained in both languages', () => {
    for (const name of Object.keys(definition.States)) {
      for (const lang of ['zh-CN', 'en'] as const) expect({ name, lang, explained: Boolean(explainState(name, lang)) }).toEqual({ name, lang, explained: true });
    }
  });
});
