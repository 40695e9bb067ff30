/**
 * A layered drawing of an ASL state machine: one box per top-level state, one arrow per
 * transition (Next, Choice rules, Default, Catch), laid out top to bottom.
 *
 *  1. Back edges (the loops back to an earlier state) are found by a depth-first walk from
 *     StartAt; without them the graph is acyclic and each state's row is its longest
 *     distance from the start.
 *  2. States keep the walk's order within a row, then a few barycentre passes pull each
 *     state towards the states it connects to, keeping a minimum gap.
 *  3. Forward edges are curves from the bottom of one box to the top of another; back edges
 *     run down into a channel under the last row, along the left margin, and into the side
 *     of their target, so the loops read as one return line.
 * Pure data in, coordinates out: no DOM, so it can be tested without a browser.
 */
export interface AslState {
  readonly Type: string;
  readonly Comment?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly Choices?: ReadonlyArray<{ readonly Next: string; readonly StringEquals?: string }>;
  readonly Catch?: ReadonlyArray<{ readonly ErrorEquals: readonly string[]; readonly Next: string }>;
  readonly ItemProcessor?: AslDefinition;
  readonly Iterator?: AslDefinition;
  readonly Branches?: readonly AslDefinition[];
}

export interface AslDefinition {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslState>>;
}

export type EdgeKind = 'start' | 'next' | 'choice' | 'default' | 'catch';

export interface LaidOutNode {
  readonly id: string;
  readonly type: string;
  readonly comment?: string;
  /** Centre of the box. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly rank: number;
}

export interface LaidOutEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label?: string;
  readonly back: boolean;
  /** SVG path data. */
  readonly d: string;
  /** Where the label goes, if any. */
  readonly labelAt?: { readonly x: number; readonly y: number };
}

export interface GraphLayout {
  readonly nodes: readonly LaidOutNode[];
  readonly edges: readonly LaidOutEdge[];
  readonly width: number;
  readonly height: number;
  /** Inner state name (e.g. inside a Map) → the top-level state that contains it. */
  readonly parentOf: ReadonlyMap<string, string>;
}

export const START = '(start)';

const ROW_GAP = 74;
const NODE_GAP = 18;
const NODE_HEIGHT = 34;
const CHAR_WIDTH = 7.4;
const MARGIN = 24;
const BACK_CHANNEL_GAP = 30;
const BACK_LANE = 46;

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label?: string;
}

/** Transitions out of each state, in the order the definition lists them. */
export function edgesOf(definition: AslDefinition): Edge[] {
  const edges: Edge[] = [{ from: START, to: definition.StartAt, kind: 'start' }];
  for (const [name, state] of Object.entries(definition.States)) {
    for (const choice of state.Choices ?? []) {
      edges.push({ from: name, to: choice.Next, kind: 'choice', label: choice.StringEquals ?? 'match' });
    }
    if (state.Default) edges.push({ from: name, to: state.Default, kind: 'default', label: 'otherwise' });
    for (const rule of state.Catch ?? []) {
      edges.push({ from: name, to: rule.Next, kind: 'catch', label: rule.ErrorEquals.map((e) => e.replace(/^States\./, '')).join(', ') });
    }
    if (state.Next) edges.push({ from: name, to: state.Next, kind: 'next' });
  }
  return edges.filter((edge) => edge.to in definition.States);
}

/** Every state nested in a Map or Parallel, mapped to its top-level ancestor. */
function nestedStates(definition: AslDefinition): Map<string, string> {
  const parentOf = new Map<string, string>();
  const visit = (inner: AslDefinition | undefined, top: string) => {
    if (!inner) return;
    for (const [name, state] of Object.entries(inner.States)) {
      parentOf.set(name, top);
      visit(state.ItemProcessor ?? state.Iterator, top);
      for (const branch of state.Branches ?? []) visit(branch, top);
    }
  };
  for (const [name, state] of Object.entries(definition.States)) {
    visit(state.ItemProcessor ?? state.Iterator, name);
    for (const branch of state.Branches ?? []) visit(branch, name);
  }
  return parentOf;
}

const widthOf = (id: string, type: string): number => {
  if (id === START) return 18;
  const text = id.length * CHAR_WIDTH + 28;
  return Math.round(type === 'Choice' ? text + 22 : text);
};

export function layoutGraph(definition: AslDefinition): GraphLayout {
  const edges = edgesOf(definition);
  const ids = [START, ...Object.keys(definition.States)];
  const outgoing = new Map<string, Edge[]>(ids.map((id) => [id, []]));
  for (const edge of edges) outgoing.get(edge.from)!.push(edge);

  // 1. Depth-first from the start: discovery order, and the edges that close a loop.
  const order: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const backEdges = new Set<Edge>();
  // Hubs first: where a choice leads both to a step and to the state that dispatches every step
  // (Resume: Begin, Reopen or NextStep), entering the main loop at the hub leaves one loop-back
  // edge instead of one from every clock and action.
  const fanOut = (id: string) => outgoing.get(id)!.length;
  const walk = (id: string) => {
    state.set(id, 'open');
    order.push(id);
    for (const edge of [...outgoing.get(id)!].sort((a, b) => fanOut(b.to) - fanOut(a.to))) {
      const seen = state.get(edge.to);
      if (seen === 'open') backEdges.add(edge);
      else if (seen === undefined) walk(edge.to);
    }
    state.set(id, 'done');
  };
  walk(START);
  for (const id of ids) if (!state.has(id)) walk(id); // unreachable states still get drawn

  // Longest path over the forward edges (processed in topological order).
  const forward = edges.filter((edge) => !backEdges.has(edge));
  const indegree = new Map(ids.map((id) => [id, 0]));
  for (const edge of forward) indegree.set(edge.to, indegree.get(edge.to)! + 1);
  const rank = new Map(ids.map((id) => [id, 0]));
  const queue = order.filter((id) => indegree.get(id) === 0);
  while (queue.length) {
    const id = queue.shift()!;
    for (const edge of forward.filter((e) => e.from === id)) {
      rank.set(edge.to, Math.max(rank.get(edge.to)!, rank.get(id)! + 1));
      indegree.set(edge.to, indegree.get(edge.to)! - 1);
      if (indegree.get(edge.to) === 0) queue.push(edge.to);
    }
  }

  // 2. Rows in discovery order, then barycentre passes.
  const rows: string[][] = [];
  for (const id of order) (rows[rank.get(id)!] ??= []).push(id);
  const type = (id: string) => (id === START ? 'Start' : definition.States[id].Type);
  const width = new Map(ids.map((id) => [id, widthOf(id, type(id))]));
  const x = new Map<string, number>();
  for (const row of rows) {
    const total = row.reduce((sum, id) => sum + width.get(id)!, 0) + NODE_GAP * (row.length - 1);
    let left = -total / 2;
    for (const id of row) {
      x.set(id, left + width.get(id)! / 2);
      left += width.get(id)! + NODE_GAP;
    }
  }
  const neighbours = (id: string, direction: 'up' | 'down') =>
    forward
      .filter((edge) => (direction === 'up' ? edge.to === id : edge.from === id))
      .map((edge) => (direction === 'up' ? edge.from : edge.to));
  const place = (row: string[], desired: Map<string, number>) => {
    const positions = row.map((id) => desired.get(id)!);
    for (let i = 1; i < row.length; i++) {
      const min = positions[i - 1] + (width.get(row[i - 1])! + width.get(row[i])!) / 2 + NODE_GAP;
      positions[i] = Math.max(positions[i], min);
    }
    const drift = positions.reduce((sum, p, i) => sum + p - desired.get(row[i])!, 0) / row.length;
    row.forEach((id, i) => x.set(id, positions[i] - drift));
  };
  for (let pass = 0; pass < 6; pass++) {
    const downward = pass % 2 === 0;
    const sequence = downward ? rows : [...rows].reverse();
    for (const row of sequence) {
      const desired = new Map<string, number>();
      for (const id of row) {
        const linked = neighbours(id, downward ? 'up' : 'down');
        desired.set(id, linked.length ? linked.reduce((sum, n) => sum + x.get(n)!, 0) / linked.length : x.get(id)!);
      }
      place(row, desired);
    }
  }

  // Shift everything right of the return lane and the margin.
  const hasBack = backEdges.size > 0;
  const minLeft = Math.min(...ids.map((id) => x.get(id)! - width.get(id)! / 2));
  const offsetX = MARGIN + (hasBack ? BACK_LANE : 0) - minLeft;
  const nodes: LaidOutNode[] = ids.map((id) => ({
    id,
    type: type(id),
    ...(id !== START && definition.States[id].Comment ? { comment: definition.States[id].Comment } : {}),
    x: x.get(id)! + offsetX,
    y: MARGIN + NODE_HEIGHT / 2 + rank.get(id)! * ROW_GAP,
    width: width.get(id)!,
    height: id === START ? 18 : NODE_HEIGHT,
    rank: rank.get(id)!,
  }));
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const lastRowBottom = Math.max(...nodes.map((node) => node.y + node.height / 2));
  const channelY = lastRowBottom + BACK_CHANNEL_GAP;
  const laneX = MARGIN + BACK_LANE / 2;

  // 3. Ports: edges leaving (or entering) one box spread along its edge, ordered by the other end's x.
  const spread = (list: Edge[], end: 'from' | 'to') => {
    const sorted = [...list].sort((a, b) => byId.get(a[end === 'from' ? 'to' : 'from'])!.x - byId.get(b[end === 'from' ? 'to' : 'from'])!.x);
    const result = new Map<Edge, number>();
    sorted.forEach((edge, i) => {
      const node = byId.get(edge[end])!;
      const step = Math.min(14, node.width / (sorted.length + 1));
      result.set(edge, node.x + (i - (sorted.length - 1) / 2) * step);
    });
    return result;
  };
  const sourcePort = new Map<Edge, number>();
  const targetPort = new Map<Edge, number>();
  for (const id of ids) {
    for (const [edge, px] of spread(forward.filter((e) => e.from === id), 'from')) sourcePort.set(edge, px);
    for (const [edge, px] of spread(forward.filter((e) => e.to === id), 'to')) targetPort.set(edge, px);
    for (const [edge, px] of spread([...backEdges].filter((e) => e.from === id), 'from')) sourcePort.set(edge, px);
  }

  const laidOutEdges: LaidOutEdge[] = edges.map((edge) => {
    const from = byId.get(edge.from)!;
    const to = byId.get(edge.to)!;
    const back = backEdges.has(edge);
    if (!back) {
      const sx = sourcePort.get(edge)!;
      const sy = from.y + from.height / 2;
      const tx = targetPort.get(edge)!;
      const ty = to.y - to.height / 2;
      const bend = Math.max(24, (ty - sy) / 2);
      const d = `M${r(sx)},${r(sy)} C${r(sx)},${r(sy + bend)} ${r(tx)},${r(ty - bend)} ${r(tx)},${r(ty)}`;
      // The label sits on the curve, closer to the target so fanned-out labels do not collide.
      const t = 0.62;
      const labelAt = { x: cubic(sx, sx, tx, tx, t), y: cubic(sy, sy + bend, ty - bend, ty, t) };
      return { ...edge, back, d, ...(edge.label ? { labelAt } : {}) };
    }
    const sx = sourcePort.get(edge)!;
    const sy = from.y + from.height / 2;
    const tx = to.x - to.width / 2;
    const ty = to.y;
    const c = 8; // corner radius
    const d = [
      `M${r(sx)},${r(sy)}`,
      `L${r(sx)},${r(channelY - c)}`,
      `Q${r(sx)},${r(channelY)} ${r(sx - c)},${r(channelY)}`,
      `L${r(laneX + c)},${r(channelY)}`,
      `Q${r(laneX)},${r(channelY)} ${r(laneX)},${r(channelY - c)}`,
      `L${r(laneX)},${r(ty + c)}`,
      `Q${r(laneX)},${r(ty)} ${r(laneX + c)},${r(ty)}`,
      `L${r(tx)},${r(ty)}`,
    ].join(' ');
    return { ...edge, back, d, ...(edge.label ? { labelAt: { x: sx, y: (sy + channelY) / 2 } } : {}) };
  });

  const right = Math.max(...nodes.map((node) => node.x + node.width / 2));
  return {
    nodes,
    edges: laidOutEdges,
    width: Math.ceil(right + MARGIN),
    height: Math.ceil((hasBack ? channelY : lastRowBottom) + MARGIN),
    parentOf: nestedStates(definition),
  };
}

/**
 * The transitions an execution took, from the states it entered in order (`path` of
 * GET /v1/cases/{id}/execution); nested states count as their top-level state.
 */
export function takenTransitions(path: readonly string[], layout: Pick<GraphLayout, 'parentOf'>, definition: AslDefinition): Set<string> {
  const topLevel: string[] = [];
  for (const name of path) {
    const top = name in definition.States ? name : layout.parentOf.get(name);
    if (top && topLevel[topLevel.length - 1] !== top) topLevel.push(top);
  }
  const taken = new Set<string>();
  if (topLevel.length) taken.add(transitionKey(START, topLevel[0]));
  for (let i = 1; i < topLevel.length; i++) taken.add(transitionKey(topLevel[i - 1], topLevel[i]));
  return taken;
}

export const transitionKey = (from: string, to: string) => `${from}→${to}`;

/** The top-level states an execution has entered (nested ones map to their container). */
export function visitedStates(path: readonly string[], layout: Pick<GraphLayout, 'parentOf'>): Set<string> {
  return new Set(path.map((name) => layout.parentOf.get(name) ?? name));
}

const r = (value: number) => Math.round(value * 10) / 10;
const cubic = (p0: number, p1: number, p2: number, p3: number, t: number) =>
  (1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1 + 3 * (1 - t) * t ** 2 * p2 + t ** 3 * p3;
