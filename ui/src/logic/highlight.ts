// What sigma draws for each node and edge, as pure functions of the element's data and the UI state
// (hover, a radius or an exposure, a clicked path, filters). The renderer's reducers only apply them.
import type { Level } from '../../../engine/schema/index.ts';
import type { EvidenceResponse, ExposureResponse, PathStepView, RadiusResponse } from './wire.ts';
import { COLORS, CUT_PATTERN, LEVEL_COLORS, LEVEL_PATTERNS, type Pattern } from './palette.ts';

/** What an analysis makes stand out, by engine node ids and engine edge ids. */
export interface Emphasis {
  /** The sources of a radius, or the target of an exposure: dark and labelled. */
  anchors: ReadonlySet<string>;
  /** Nodes reached (or reaching), coloured by level. */
  levels: ReadonlyMap<string, Level>;
  /** Nodes on a drawn path that have no level here (exposure intermediates). */
  via: ReadonlySet<string>;
  /** Edges drawn in colour: the witness tree of a radius, the paths of an exposure. */
  edges: ReadonlySet<string>;
  /** Reached before the mitigations, no longer reached. */
  cut: ReadonlySet<string>;
}

export interface HighlightState {
  hovered?: string | undefined;
  /** View key of the edge under the pointer: drawn dark with its kind as a label. */
  hoveredEdge?: string | undefined;
  /** Engine ids of the hovered node's neighbours. */
  hoverNeighbours?: ReadonlySet<string> | undefined;
  selected?: string | undefined;
  emphasis?: Emphasis | undefined;
  /** A path the user clicked: its nodes and edges on top of everything. */
  path?: { nodes: ReadonlySet<string>; edges: ReadonlySet<string> } | undefined;
  hiddenEdgeKinds?: ReadonlySet<string> | undefined;
  /** Hop rings: only what the emphasis covers is drawn. */
  focusOnly?: boolean | undefined;
  /** Harvested credentials still live (the Respond view): lit whatever else is shown, until rotated. */
  harvested?: ReadonlySet<string> | undefined;
  /** What the logs show of the radius (docs/evidence.md): observed and contradicted nodes and edges, by engine id. */
  evidence?: EvidenceHighlight | undefined;
}

export interface EvidenceHighlight {
  nodes: ReadonlyMap<string, 'observed' | 'contradicted'>;
  edges: ReadonlyMap<string, 'observed' | 'contradicted'>;
}

/** Marks in labels, so evidence is told by shape of text as well as by colour: ◉ observed, ⊘ contradicted. */
export const EVIDENCE_MARKS = { observed: '◉', contradicted: '⊘' } as const;

/** The evidence report as a highlight: observed and contradicted nodes and edges by id. */
export function evidenceHighlight(report: Pick<EvidenceResponse, 'nodes' | 'edges'>): EvidenceHighlight {
  const nodes = new Map<string, 'observed' | 'contradicted'>();
  const edges = new Map<string, 'observed' | 'contradicted'>();
  for (const node of report.nodes) nodes.set(node.id, node.status);
  for (const edge of report.edges) edges.set(edge.edgeId, edge.status);
  return { nodes, edges };
}

export interface NodeData {
  /** Engine node id, or undefined for a cluster. */
  nodeId?: string | undefined;
  label: string;
  kind: string;
  crownJewel: boolean;
  /** A cluster of reached nodes: the level they are all reached at. */
  level?: Level | undefined;
  color: string;
  size: number;
}

export interface NodeStyle {
  color: string;
  /** Fill pattern: the level (or a cut) told by shape as well as hue. */
  pattern: Pattern;
  size: number;
  label: string | null;
  forceLabel: boolean;
  zIndex: number;
  hidden: boolean;
  highlighted: boolean;
}

export interface EdgeData {
  /** Engine edge id; undefined for an aggregated link. */
  edgeId?: string | undefined;
  kind: string;
  traversable: boolean;
  /** Engine ids of the ends (undefined for clusters). */
  source?: string | undefined;
  target?: string | undefined;
  color: string;
  size: number;
}

export interface EdgeStyle {
  color: string;
  size: number;
  hidden: boolean;
  zIndex: number;
  /** A label drawn always (observed edges: `◉ observed`). */
  label?: string;
}

export function nodeStyle(data: NodeData, state: HighlightState): NodeStyle {
  const id = data.nodeId;
  const style: NodeStyle = { color: data.color, pattern: 'solid', size: data.size, label: data.crownJewel ? `★ ${data.label}` : data.label, forceLabel: false, zIndex: 1, hidden: false, highlighted: false };
  const onPath = id !== undefined && state.path?.nodes.has(id) === true;
  const emphasis = state.emphasis;
  if (emphasis) {
    const level = id !== undefined ? emphasis.levels.get(id) : undefined;
    if (id !== undefined && emphasis.anchors.has(id)) {
      Object.assign(style, { color: COLORS.anchor, size: data.size * 1.8 + 2, forceLabel: true, zIndex: 4 });
    } else if (level) {
      Object.assign(style, { color: LEVEL_COLORS[level], pattern: LEVEL_PATTERNS[level], size: data.crownJewel ? data.size * 2 + 3 : data.size * 1.3, forceLabel: data.crownJewel, zIndex: data.crownJewel ? 3 : 2 });
    } else if (id === undefined && data.level) {
      Object.assign(style, { color: LEVEL_COLORS[data.level], pattern: LEVEL_PATTERNS[data.level], zIndex: 1 });
    } else if (id !== undefined && emphasis.via.has(id)) {
      Object.assign(style, { color: COLORS.via, zIndex: 2 });
    } else if (id !== undefined && emphasis.cut.has(id)) {
      // A crown jewel a what-if cuts off stays as prominent (star, size, label), now in the cut colour.
      Object.assign(style, { color: COLORS.cut, pattern: CUT_PATTERN, zIndex: data.crownJewel ? 3 : 1, hidden: state.focusOnly === true && !onPath },
        data.crownJewel ? { size: data.size * 2 + 3, forceLabel: true } : {});
    } else {
      Object.assign(style, { color: COLORS.dimNode, size: data.size * 0.8, label: null, zIndex: 0, hidden: state.focusOnly === true });
    }
    if (state.path && !onPath && style.zIndex > 1) style.forceLabel = false;
  } else if (state.hovered !== undefined) {
    const near = id !== undefined && (id === state.hovered || state.hoverNeighbours?.has(id) === true);
    if (near) Object.assign(style, { forceLabel: true, zIndex: 3 });
    else Object.assign(style, { color: COLORS.dimNode, label: null, zIndex: 0 });
  }
  if (state.hovered !== undefined && emphasis && id !== undefined && (id === state.hovered || state.hoverNeighbours?.has(id))) style.forceLabel = true;
  if (id !== undefined && state.harvested?.has(id)) {
    Object.assign(style, { color: COLORS.harvested, pattern: 'solid', size: Math.max(style.size, data.size * 1.8 + 2), label: `⚠ ${data.label}`, forceLabel: true, zIndex: Math.max(style.zIndex, 4), hidden: false });
  }
  const observed = id !== undefined && emphasis ? state.evidence?.nodes.get(id) : undefined;
  if (observed === 'observed') {
    Object.assign(style, { label: `${EVIDENCE_MARKS.observed} ${style.label ?? data.label}`, forceLabel: true, size: Math.max(style.size, data.size * 1.6 + 2), zIndex: Math.max(style.zIndex, 3), hidden: false });
  } else if (observed === 'contradicted') {
    Object.assign(style, { label: `${EVIDENCE_MARKS.contradicted} ${style.label ?? data.label}`, forceLabel: true, zIndex: Math.max(style.zIndex, 2) });
  }
  if (onPath) Object.assign(style, { forceLabel: true, zIndex: 5, size: Math.max(style.size, data.size * 1.6 + 2), hidden: false });
  if (id !== undefined && id === state.selected) Object.assign(style, { forceLabel: true, highlighted: true, zIndex: Math.max(style.zIndex, 4), hidden: false });
  return style;
}

export function edgeStyle(data: EdgeData, state: HighlightState): EdgeStyle {
  const style: EdgeStyle = { color: data.color, size: data.size, hidden: state.hiddenEdgeKinds?.has(data.kind) === true, zIndex: 0 };
  if (style.hidden) return style;
  const id = data.edgeId;
  if (id !== undefined && state.path?.edges.has(id)) return { color: COLORS.pathEdge, size: 4, hidden: false, zIndex: 3 };
  const emphasis = state.emphasis;
  if (emphasis) {
    // Summed witness edges between clusters of the radius map: the shape of the radius where nodes are grouped.
    if (id === undefined && data.kind === 'AGGREGATED') return { color: COLORS.edge, size: data.size, hidden: false, zIndex: 1 };
    const evidence = id !== undefined ? state.evidence?.edges.get(id) : undefined;
    // An observed edge: wider, its own colour and a label (not by colour alone); above the level-coloured tree.
    if (evidence === 'observed') return { color: COLORS.observed, size: state.path ? 3 : 5, hidden: false, zIndex: 3, label: `${EVIDENCE_MARKS.observed} observed` };
    if (id !== undefined && emphasis.edges.has(id)) {
      const level = data.target !== undefined ? emphasis.levels.get(data.target) : undefined;
      return { color: level ? LEVEL_COLORS[level] : COLORS.via, size: state.path ? 1.5 : 2.2, hidden: false, zIndex: 2 };
    }
    return { color: COLORS.dimEdge, size: 0.5, hidden: state.focusOnly === true, zIndex: 0 };
  }
  if (state.hovered !== undefined) {
    const touches = data.source === state.hovered || data.target === state.hovered;
    return touches ? { color: '#475569', size: 2, hidden: false, zIndex: 2 } : { color: COLORS.dimEdge, size: 0.5, hidden: false, zIndex: 0 };
  }
  return style;
}

/** A radius as emphasis: sources, reached nodes by level, the witness tree, and what mitigations cut off. */
export function radiusEmphasis(radius: Pick<RadiusResponse, 'sources' | 'reached' | 'whatIf'>): Emphasis {
  const levels = new Map<string, Level>();
  const edges = new Set<string>();
  for (const entry of radius.reached) {
    levels.set(entry.id, entry.level);
    if (entry.via !== null) edges.add(entry.via);
  }
  return { anchors: new Set(radius.sources.map((s) => s.id)), levels, via: new Set(), edges, cut: new Set(radius.whatIf?.removed ?? []) };
}

/** An exposure as emphasis: the target, each exposed source by the level it gets, and their paths. */
export function exposureEmphasis(exposure: Pick<ExposureResponse, 'target' | 'exposed'>): Emphasis {
  const levels = new Map<string, Level>();
  const via = new Set<string>();
  const edges = new Set<string>();
  for (const entry of exposure.exposed) {
    levels.set(entry.id, entry.level);
    for (const step of entry.path) {
      edges.add(step.edgeId);
      via.add(step.from.id);
      via.add(step.to.id);
    }
  }
  for (const id of levels.keys()) via.delete(id);
  via.delete(exposure.target.id);
  return { anchors: new Set([exposure.target.id]), levels, via, edges, cut: new Set() };
}

/** The nodes and edges of one path, for the click-to-highlight state. */
export function pathHighlight(path: readonly PathStepView[]): { nodes: Set<string>; edges: Set<string> } {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  for (const step of path) {
    nodes.add(step.from.id);
    nodes.add(step.to.id);
    edges.add(step.edgeId);
  }
  return { nodes, edges };
}
