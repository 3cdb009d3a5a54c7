// The blast radius as a report-ready value: every reached node with level, hops and witness path,
// dormant credentials, crown jewels, per-platform summaries and the score. Shared by CLI, server and UI.
import { effectiveSensitivity, levelName, type Level } from '../schema/index.ts';
import { edgeIdAt, type CompactGraph } from '../store/compact.ts';
import { renewedBy } from '../store/windows.ts';
import { dormantPath, hopsAtLeast, reach, witnessPath, type PathStep, type ReachOptions, type ReachResult } from './reach.ts';
import { nodePoints } from './score.ts';

export interface NodeRef {
  id: string;
  name: string;
  kind: string;
  platform: string;
  tenant: string;
}

export interface PathStepView {
  edgeId: string;
  kind: string;
  from: NodeRef;
  to: NodeRef;
  /** Level obtained on `to` by this step. */
  level: Level;
  scopes?: string[];
  reason?: string;
  grant?: string;
  conditions?: string[];
  /** The scoped delegation (a DELEGATED_AS edge id) this step's edge is derived from. */
  derivedFrom?: string;
}

export interface RadiusEntry extends NodeRef {
  level: Level;
  hops: number;
  tags: string[];
  sensitivity: number;
  /** What this node adds to the score. */
  points: number;
  crownJewel: boolean;
  /** Reached on a platform other than every source's: lateral movement. */
  lateral: boolean;
  /**
   * Witness path from a source; replaying it yields `level`. Built when read (a getter on entries from
   * `describeRadius`): at a million nodes, materialising every reached node's path up front costs gigabytes.
   */
  path: PathStepView[];
  /**
   * The node the witness path entered this node's platform from (the bridge it hangs under), or null when the
   * path never left the platform it started on.
   */
  enteredFrom: NodeRef | null;
  /**
   * Controls (edge `conditions`) the witness path passes through unenforced, sorted: enforcing any one of them
   * (`--enforce`) breaks this path, so the node is no longer reached at this level this way.
   */
  controls: string[];
  /**
   * Set when the node is usable only through its refresh-token family: its own expiry has passed, and this
   * credential, which mints it (MINTS), is still live. The attacker keeps it as long as that one lives.
   */
  liveThrough?: NodeRef;
}

export type DormantReason = 'revoked' | 'expired' | 'disabled' | 'not-yet-valid' | 'mitigated';

export interface DormantEntry extends NodeRef {
  why: DormantReason;
  /** Level the attacker would hold if the node were usable. */
  level: Level;
  hops: number;
  path: PathStepView[];
}

/** One unenforced control and how many reached nodes (and crown jewels) have it on their witness path. */
export interface ControlSummary {
  control: string;
  reached: number;
  crownJewels: number;
}

export interface PlatformSummary {
  platform: string;
  tenants: string[];
  reached: number;
  read: number;
  write: number;
  admin: number;
  score: number;
  crownJewels: number;
}

export interface BlastRadius {
  sources: NodeRef[];
  at: string;
  maxDepth: number | null;
  score: number;
  /** Score split: data (sensitivity x level) and controlled principals. */
  scoreParts: { data: number; principals: number };
  reachedCount: number;
  crownJewels: RadiusEntry[];
  platforms: PlatformSummary[];
  byKind: Record<string, number>;
  reached: RadiusEntry[];
  dormant: DormantEntry[];
  /** Unenforced controls on the witness paths, with the nodes that depend on each (see `RadiusEntry.controls`). */
  controls: ControlSummary[];
}

export const CROWN_JEWEL_TAG = 'crown-jewel';

export function nodeRef(graph: CompactGraph, v: number): NodeRef {
  const node = graph.nodes[v]!;
  return { id: node.id, name: node.name, kind: node.kind, platform: node.platform, tenant: node.tenant };
}

export function stepView(graph: CompactGraph, step: PathStep): PathStepView {
  const attrs = graph.edgeAttrs[step.edge];
  const view: PathStepView = {
    edgeId: edgeIdAt(graph, step.edge),
    kind: graph.edgeKindNames[graph.edgeKind[step.edge]!]!,
    from: nodeRef(graph, step.from),
    to: nodeRef(graph, step.to),
    level: levelName(step.toLevel),
  };
  if (attrs?.scopes) view.scopes = attrs.scopes;
  if (attrs?.reason) view.reason = attrs.reason;
  if (attrs?.grant) view.grant = attrs.grant;
  if (attrs?.conditions) view.conditions = attrs.conditions;
  if (attrs?.derivedFrom) view.derivedFrom = attrs.derivedFrom;
  return view;
}

function dormantReason(graph: CompactGraph, v: number, at: number, overlayBlocked: boolean): DormantReason {
  const node = graph.nodes[v]!;
  if (node.enabled === false) return 'disabled';
  if (node.revoked === true && (node.revokedAt === undefined || Date.parse(node.revokedAt) <= at)) return 'revoked';
  if (node.expiresAt !== undefined && Date.parse(node.expiresAt) <= at) return 'expired';
  if (node.createdAt !== undefined && Date.parse(node.createdAt) > at) return 'not-yet-valid';
  return overlayBlocked ? 'mitigated' : 'revoked';
}

/** The conditions on a path's steps, deduplicated and sorted: the controls the path relies on not being enforced. */
export function pathControls(path: readonly PathStepView[]): string[] {
  const controls = new Set<string>();
  for (const step of path) for (const condition of step.conditions ?? []) controls.add(condition);
  return [...controls].sort();
}

/** Reached nodes per unenforced control their witness paths pass through, most nodes first. */
export function controlsSummary(reached: readonly Pick<RadiusEntry, 'id' | 'controls' | 'crownJewel'>[]): ControlSummary[] {
  const byControl = new Map<string, ControlSummary>();
  for (const entry of reached) {
    for (const control of entry.controls) {
      let summary = byControl.get(control);
      if (!summary) byControl.set(control, summary = { control, reached: 0, crownJewels: 0 });
      summary.reached++;
      if (entry.crownJewel) summary.crownJewels++;
    }
  }
  return [...byControl.values()].sort((a, b) => b.crownJewels - a.crownJewels || b.reached - a.reached || a.control.localeCompare(b.control));
}

/** The conditions on a witness path's edges, deduplicated and sorted (as `pathControls`, without building the path's views). */
function stepControls(graph: CompactGraph, steps: readonly PathStep[]): string[] {
  let controls: Set<string> | undefined;
  for (const step of steps) {
    for (const condition of graph.edgeAttrs[step.edge]?.conditions ?? []) (controls ??= new Set()).add(condition);
  }
  return controls ? [...controls].sort() : [];
}

/** The last node of the path on another platform than `platform`: where the path crossed into it. */
function enteredFrom(graph: CompactGraph, steps: readonly PathStep[], platform: string): NodeRef | null {
  for (let i = steps.length - 1; i >= 0; i--) {
    const from = steps[i]!.from;
    if (graph.nodes[from]!.platform !== platform) return nodeRef(graph, from);
  }
  return null;
}

/**
 * Defines `path` as an enumerable getter that rebuilds the witness path's views on each read: spreads,
 * `JSON.stringify` and `toEqual` see an ordinary field, and a report that reads a dozen paths builds a dozen.
 */
function lazyPath<T extends { path: PathStepView[] }>(entry: T, build: () => PathStepView[]): T {
  Object.defineProperty(entry, 'path', { enumerable: true, configurable: true, get: build });
  return entry;
}

/** Turns a raw reach result into the report value. */
export function describeRadius(result: ReachResult, options: ReachOptions = {}): BlastRadius {
  const { graph } = result;
  const sourceSet = new Set(result.sources);
  const sourcePlatforms = new Set(result.sources.map((s) => graph.nodes[s]!.platform));
  const reached: RadiusEntry[] = [];
  let data = 0;
  let principals = 0;
  for (const v of result.order) {
    if (sourceSet.has(v)) continue;
    const node = graph.nodes[v]!;
    const levelCode = result.level[v]!;
    const points = nodePoints(graph, v, levelCode);
    if (graph.schema.nodeKinds[node.kind]!.graded) data += points;
    else principals += points;
    const steps = witnessPath(result, v, levelCode);
    const entry = {
      ...nodeRef(graph, v),
      level: levelName(levelCode),
      hops: hopsAtLeast(result, v, levelCode),
      tags: node.tags ?? [],
      sensitivity: effectiveSensitivity(node),
      points,
      crownJewel: node.tags?.includes(CROWN_JEWEL_TAG) ?? false,
      lateral: !sourcePlatforms.has(node.platform),
      enteredFrom: enteredFrom(graph, steps, node.platform),
      controls: stepControls(graph, steps),
    } as RadiusEntry;
    lazyPath(entry, () => witnessPath(result, v, levelCode).map((step) => stepView(graph, step)));
    const minter = renewedBy(graph, v, result.at);
    if (minter !== undefined) entry.liveThrough = nodeRef(graph, minter);
    reached.push(entry);
  }
  reached.sort((a, b) => Number(b.crownJewel) - Number(a.crownJewel) || b.points - a.points || a.hops - b.hops || a.id.localeCompare(b.id));

  const platforms = new Map<string, PlatformSummary>();
  for (const entry of reached) {
    let summary = platforms.get(entry.platform);
    if (!summary) {
      summary = { platform: entry.platform, tenants: [], reached: 0, read: 0, write: 0, admin: 0, score: 0, crownJewels: 0 };
      platforms.set(entry.platform, summary);
    }
    if (!summary.tenants.includes(entry.tenant)) summary.tenants.push(entry.tenant);
    summary.reached++;
    summary[entry.level]++;
    summary.score += entry.points;
    if (entry.crownJewel) summary.crownJewels++;
  }
  const byKind: Record<string, number> = {};
  for (const entry of reached) byKind[entry.kind] = (byKind[entry.kind] ?? 0) + 1;

  const blocked = options.overlay?.blockedNodes;
  const dormant: DormantEntry[] = [...result.dormant.entries()]
    .filter(([v]) => result.level[v] === 0)
    .map(([v, info]) => lazyPath({
      ...nodeRef(graph, v),
      why: dormantReason(graph, v, result.at, blocked?.[v] === 1),
      level: levelName(info.level),
      hops: info.hops,
    } as DormantEntry, () => dormantPath(result, v).map((step) => stepView(graph, step))))
    .sort((a, b) => a.hops - b.hops || a.id.localeCompare(b.id));

  return {
    sources: result.sources.map((s) => nodeRef(graph, s)),
    at: new Date(result.at).toISOString(),
    maxDepth: options.maxDepth ?? null,
    score: data + principals,
    scoreParts: { data, principals },
    reachedCount: reached.length,
    crownJewels: reached.filter((entry) => entry.crownJewel),
    platforms: [...platforms.values()].sort((a, b) => b.score - a.score || a.platform.localeCompare(b.platform)),
    byKind,
    reached,
    dormant,
    controls: controlsSummary(reached),
  };
}

/** Blast radius of one or several compromised nodes (by index). */
export function blastRadius(graph: CompactGraph, sources: readonly number[], options: ReachOptions = {}): BlastRadius {
  return describeRadius(reach(graph, sources, options), options);
}
