// The evidence overlay: which reached nodes and edges the logs show the attacker used (observed), which nothing
// in the window touched (possible), and which the logs speak against (contradicted). The rules are in
// docs/evidence.md; a property test checks them against a brute-force reading of the same rules.
import type { CompactGraph } from '../store/compact.ts';
import type { ReachResult } from '../analysis/reach.ts';
import { refsByNode, type Resolution } from './resolve.ts';
import { OBSERVATION_CATEGORIES, OBSERVATION_OUTCOMES, windowRange, type ObservationStore } from './store.ts';
import type { ObservationCategory, ObservationOutcome } from './types.ts';

export type EvidenceStatus = 'observed' | 'possible' | 'contradicted';
/** Why a touched node or edge is contradicted: every event failed or was blocked, or came from the owner's known origins, or both. */
export type ContradictionReason = 'blocked' | 'known-origin' | 'mixed';

/** The window evidence is read in: from <= at <= to; `from` -Infinity when the compromise start is unknown. */
export interface EvidenceWindow {
  from: number;
  to: number;
}

export interface EvidenceFacts {
  status: Exclude<EvidenceStatus, 'possible'>;
  reason?: ContradictionReason;
  /** The events behind the status: the suspect ones when observed, every one when contradicted. */
  count: number;
  first: string;
  last: string;
  sources: string[];
  /** Node ids of the actors (each event's primary actor). */
  actors: string[];
  actions: string[];
  ips: string[];
  /** Records the events say they touched, summed (absent when no event says). */
  records?: number;
}

/** Status codes per node and edge: 0 not in the overlay, then possible, observed, contradicted. */
export const STATUS_CODE = { none: 0, possible: 1, observed: 2, contradicted: 3 } as const;
const STATUS_NAME: readonly (EvidenceStatus | undefined)[] = [undefined, 'possible', 'observed', 'contradicted'];

export interface EvidenceOverlay {
  window: { from: string | null; to: string };
  nodeStatus: Uint8Array;
  edgeStatus: Uint8Array;
  nodeFacts: Map<number, EvidenceFacts>;
  edgeFacts: Map<number, EvidenceFacts>;
  totals: {
    /** Events in the window, and those whose actor resolved to a node of the overlay (the ones that count). */
    eventsInWindow: number;
    eventsCounted: number;
    /** Events in the window whose actor resolved to no node. */
    unresolvedActors: number;
    nodes: { observed: number; possible: number; contradicted: number };
    edges: { observed: number; possible: number; contradicted: number };
  };
}

export const statusName = (code: number): EvidenceStatus | undefined => STATUS_NAME[code];

const MAX_LISTED = 10;

/** Success events of a node before the window: the origins (IP, user agent) its owner is known to use. */
interface History { ips: Set<number>; agents: Set<number>; count: number }

/**
 * What the window's events say, shared by the overlay, the observed actions and the anomaly hints: for each event of
 * the window whose actor is in `selected` (its primary node, else the first of its other nodes that is), that node, whether it is suspect (a success from an origin
 * the actor's history does not show), and the nodes it touches (its actor's and target's resolved nodes).
 */
export interface WindowScan {
  start: number;
  end: number;
  /** Event indices that count (actor resolved and selected), in time order. */
  events: number[];
  primary: number[];
  suspect: boolean[];
  touched: (readonly number[])[];
  unresolvedActors: number;
  history: (v: number) => History;
}

export function scanWindow(graph: CompactGraph, store: ObservationStore, resolution: Resolution, window: EvidenceWindow, selected: Uint8Array): WindowScan {
  const [start, end] = windowRange(store, window.from, window.to);
  // Refs per primary node, for the history of a node (all the names its events use).
  const refsOf = refsByNode(resolution);
  const histories = new Map<number, History>();
  const history = (v: number): History => {
    let h = histories.get(v);
    if (h) return h;
    h = { ips: new Set(), agents: new Set(), count: 0 };
    for (const r of refsOf.get(v) ?? []) {
      // The ref's events are in time order: those before the window are a prefix.
      for (let k = store.actorOffsets[r]!; k < store.actorOffsets[r + 1]!; k++) {
        const i = store.actorEvents[k]!;
        if (store.at[i]! >= window.from) break;
        if (store.outcome[i] !== 0) continue;
        h.count++;
        if (store.ip[i] !== 0) h.ips.add(store.ip[i]!);
        if (store.userAgent[i] !== 0) h.agents.add(store.userAgent[i]!);
      }
    }
    histories.set(v, h);
    return h;
  };
  const scan: WindowScan = { start, end, events: [], primary: [], suspect: [], touched: [], unresolvedActors: 0, history };
  for (let i = start; i < end; i++) {
    let a = resolution.node[store.actor[i]!]!;
    if (a < 0) { scan.unresolvedActors++; continue; }
    if (selected[a] !== 1) {
      // A log that names the app and the user it acts as (a connected app's API call as its integration user): the
      // event counts when either is selected, and acts as the first selected one.
      const other = resolution.nodes[store.actor[i]!]!.find((v) => selected[v] === 1);
      if (other === undefined) continue;
      a = other;
    }
    let suspect = store.outcome[i] === 0;
    if (suspect && store.ip[i] !== 0) {
      const h = history(a);
      if (h.ips.has(store.ip[i]!) && (store.userAgent[i] === 0 || h.agents.has(store.userAgent[i]!))) suspect = false;
    }
    const target = store.target[i]!;
    const actorNodes = resolution.nodes[store.actor[i]!]!;
    const targetNodes = target >= 0 ? resolution.nodes[target]! : [];
    const touched = targetNodes.length === 0 ? actorNodes : [...new Set([...actorNodes, ...targetNodes])];
    scan.events.push(i);
    scan.primary.push(a);
    scan.suspect.push(suspect);
    scan.touched.push(touched);
  }
  return scan;
}

interface Accumulator {
  suspect: number[];
  other: number[];
}

function factsOf(graph: CompactGraph, store: ObservationStore, scan: WindowScan, acc: Accumulator, positions: Map<number, number>): EvidenceFacts {
  const observed = acc.suspect.length > 0;
  const list = observed ? acc.suspect : acc.other;
  const s = store.strings;
  const sources = new Set<string>();
  const actors = new Set<string>();
  const actions = new Set<string>();
  const ips = new Set<string>();
  let records = -1;
  let failed = 0;
  for (const i of list) {
    sources.add(s[store.source[i]!]!);
    actors.add(graph.nodes[scan.primary[positions.get(i)!]!]!.id);
    actions.add(s[store.action[i]!]!);
    if (store.ip[i] !== 0) ips.add(s[store.ip[i]!]!);
    if (store.records[i]! >= 0) records = Math.max(records, 0) + store.records[i]!;
    if (store.outcome[i] !== 0) failed++;
  }
  const facts: EvidenceFacts = {
    status: observed ? 'observed' : 'contradicted',
    count: list.length,
    first: new Date(store.at[list[0]!]!).toISOString(),
    last: new Date(store.at[list[list.length - 1]!]!).toISOString(),
    sources: [...sources].sort(),
    actors: [...actors].sort(),
    actions: [...actions].sort().slice(0, MAX_LISTED),
    ips: [...ips].sort().slice(0, MAX_LISTED),
  };
  if (!observed) facts.reason = failed === list.length ? 'blocked' : failed === 0 ? 'known-origin' : 'mixed';
  if (records >= 0) facts.records = records;
  return facts;
}

/** The edges from u to w among `selectedEdges` (scanning the shorter of u's out-list and w's in-list). */
function edgesBetween(graph: CompactGraph, u: number, w: number, selectedEdges: Uint8Array, out: number[]): void {
  const fwd = graph.fwdOffsets[u + 1]! - graph.fwdOffsets[u]!;
  const rev = graph.revOffsets[w + 1]! - graph.revOffsets[w]!;
  if (fwd <= rev) {
    for (let e = graph.fwdOffsets[u]!; e < graph.fwdOffsets[u + 1]!; e++) if (graph.edgeDst[e] === w && selectedEdges[e] === 1) out.push(e);
  } else {
    for (let k = graph.revOffsets[w]!; k < graph.revOffsets[w + 1]!; k++) {
      const e = graph.revEdges[k]!;
      if (graph.edgeSrc[e] === u && selectedEdges[e] === 1) out.push(e);
    }
  }
}

/**
 * The overlay over a set of nodes and edges (`selected*`: 1 = in it). An event counts when its primary actor is a
 * selected node; it touches its actor's and target's resolved nodes; it is suspect when it succeeded from an origin
 * its actor's history before the window does not show. A node (edge) touched by a suspect event (an edge: both its
 * ends touched by one) is observed; touched only by other events, contradicted; untouched, possible.
 */
export function evidenceOverlay(graph: CompactGraph, store: ObservationStore, resolution: Resolution, window: EvidenceWindow, selectedNodes: Uint8Array, selectedEdges: Uint8Array,
  scan: WindowScan = scanWindow(graph, store, resolution, window, selectedNodes)): EvidenceOverlay {
  const nodeAcc = new Map<number, Accumulator>();
  const edgeAcc = new Map<number, Accumulator>();
  const positions = new Map<number, number>();
  const note = (map: Map<number, Accumulator>, key: number, i: number, suspect: boolean): void => {
    let acc = map.get(key);
    if (!acc) map.set(key, acc = { suspect: [], other: [] });
    (suspect ? acc.suspect : acc.other).push(i);
  };
  const between: number[] = [];
  scan.events.forEach((i, k) => {
    positions.set(i, k);
    const suspect = scan.suspect[k]!;
    const touched = scan.touched[k]!.filter((v) => selectedNodes[v] === 1);
    for (const v of touched) note(nodeAcc, v, i, suspect);
    for (const u of touched) {
      for (const w of touched) {
        if (u === w) continue;
        between.length = 0;
        edgesBetween(graph, u, w, selectedEdges, between);
        for (const e of between) note(edgeAcc, e, i, suspect);
      }
    }
  });
  const nodeStatus = new Uint8Array(graph.nodeCount);
  const edgeStatus = new Uint8Array(graph.edgeCount);
  const totals: EvidenceOverlay['totals'] = {
    eventsInWindow: scan.end - scan.start, eventsCounted: scan.events.length, unresolvedActors: scan.unresolvedActors,
    nodes: { observed: 0, possible: 0, contradicted: 0 }, edges: { observed: 0, possible: 0, contradicted: 0 },
  };
  const nodeFacts = new Map<number, EvidenceFacts>();
  const edgeFacts = new Map<number, EvidenceFacts>();
  for (let v = 0; v < graph.nodeCount; v++) {
    if (selectedNodes[v] !== 1) continue;
    const acc = nodeAcc.get(v);
    if (!acc) { nodeStatus[v] = STATUS_CODE.possible; totals.nodes.possible++; continue; }
    const facts = factsOf(graph, store, scan, acc, positions);
    nodeFacts.set(v, facts);
    nodeStatus[v] = STATUS_CODE[facts.status];
    totals.nodes[facts.status]++;
  }
  for (let e = 0; e < graph.edgeCount; e++) {
    if (selectedEdges[e] !== 1) continue;
    const acc = edgeAcc.get(e);
    if (!acc) { edgeStatus[e] = STATUS_CODE.possible; totals.edges.possible++; continue; }
    const facts = factsOf(graph, store, scan, acc, positions);
    edgeFacts.set(e, facts);
    edgeStatus[e] = STATUS_CODE[facts.status];
    totals.edges[facts.status]++;
  }
  return {
    window: { from: Number.isFinite(window.from) ? new Date(window.from).toISOString() : null, to: new Date(window.to).toISOString() },
    nodeStatus, edgeStatus, nodeFacts, edgeFacts, totals,
  };
}

/** The nodes and edges of a traversal: every reached or dormant node, and every edge of its witness tree. */
export function reachSelection(result: ReachResult): { nodes: Uint8Array; edges: Uint8Array } {
  const { graph } = result;
  const nodes = new Uint8Array(graph.nodeCount);
  const edges = new Uint8Array(graph.edgeCount);
  for (const v of result.order) nodes[v] = 1;
  for (const [v, dormant] of result.dormant) {
    nodes[v] = 1;
    if (dormant.viaEdge >= 0) edges[dormant.viaEdge] = 1;
  }
  const { parentEdge } = result;
  for (let slot = 0; slot < parentEdge.length; slot++) if (parentEdge[slot]! >= 0) edges[parentEdge[slot]!] = 1;
  return { nodes, edges };
}

/** Union of several traversals' selections (respond: the sources' and every harvested credential's). */
export function unionSelection(results: readonly ReachResult[]): { nodes: Uint8Array; edges: Uint8Array } {
  const first = reachSelection(results[0]!);
  for (const result of results.slice(1)) {
    const more = reachSelection(result);
    for (let v = 0; v < more.nodes.length; v++) first.nodes[v] ||= more.nodes[v]!;
    for (let e = 0; e < more.edges.length; e++) first.edges[e] ||= more.edges[e]!;
  }
  return first;
}

/** One observed action in the window: events grouped by actor, action, target and outcome. */
export interface ObservedAction {
  actor: string;
  actorName: string;
  action: string;
  family: string;
  category: ObservationCategory;
  /** success, or failure / blocked: an attempt (a refused CreateAccessKey is still where to look). */
  outcome: ObservationOutcome;
  /** The target as the log names it (its resolved node id when it resolved). */
  target?: string;
  count: number;
  first: string;
  last: string;
  records?: number;
  sources: string[];
  ips: string[];
}

const CATEGORY_RANK: Record<ObservationCategory, number> = { persistence: 0, bulk: 1, admin: 2, write: 3, read: 4, auth: 5, other: 6 };

/**
 * The window's events by actors of the selection, except successes from their known origins (those are the owner's
 * own use), grouped by actor, action, target and outcome: persistence (new apps, keys, consents, users, role grants)
 * first, then bulk reads, admin actions, writes, reads, sign-ins; within a category, earliest first. Failed and
 * blocked attempts are kept: a refused CreateAccessKey says what the attacker tried.
 */
export function observedActions(graph: CompactGraph, store: ObservationStore, resolution: Resolution, window: EvidenceWindow, selectedNodes: Uint8Array,
  scan: WindowScan = scanWindow(graph, store, resolution, window, selectedNodes)): ObservedAction[] {
  const s = store.strings;
  const groups = new Map<string, ObservedAction & { ipSet: Set<number>; sourceSet: Set<number>; lastAt: number }>();
  scan.events.forEach((i, k) => {
    if (!scan.suspect[k] && store.outcome[i] === 0) return;
    const a = scan.primary[k]!;
    const t = store.target[i]!;
    let target: string | undefined;
    if (t >= 0) {
      const v = resolution.node[t]!;
      const ref = store.refs[t]!;
      target = v >= 0 ? graph.nodes[v]!.id : s[ref[2]!] || s[ref[3] ?? 0] || undefined;
    }
    const key = `${a}\u0000${store.action[i]}\u0000${target ?? ''}\u0000${store.outcome[i]}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        actor: graph.nodes[a]!.id, actorName: graph.nodes[a]!.name, action: s[store.action[i]!]!, family: s[store.family[i]!]!,
        category: OBSERVATION_CATEGORIES[store.category[i]!]!, outcome: OBSERVATION_OUTCOMES[store.outcome[i]!]!, ...(target !== undefined ? { target } : {}),
        count: 0, first: new Date(store.at[i]!).toISOString(), last: '', sources: [], ips: [], ipSet: new Set(), sourceSet: new Set(), lastAt: store.at[i]!,
      };
      groups.set(key, group);
    }
    group.count++;
    group.lastAt = store.at[i]!;
    if (store.records[i]! >= 0) group.records = (group.records ?? 0) + store.records[i]!;
    if (store.ip[i] !== 0 && group.ipSet.size <= MAX_LISTED) group.ipSet.add(store.ip[i]!);
    group.sourceSet.add(store.source[i]!);
  });
  return [...groups.values()]
    .map(({ ipSet, sourceSet, lastAt, ...action }) => ({ ...action, last: new Date(lastAt).toISOString(), ips: [...ipSet].map((x) => s[x]!).sort().slice(0, MAX_LISTED), sources: [...sourceSet].map((x) => s[x]!).sort() }))
    .sort((a, b) => CATEGORY_RANK[a.category] - CATEGORY_RANK[b.category] || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0)
      || (a.actor < b.actor ? -1 : a.actor > b.actor ? 1 : 0) || (a.action < b.action ? -1 : a.action > b.action ? 1 : 0) || (a.target ?? '').localeCompare(b.target ?? ''));
}
