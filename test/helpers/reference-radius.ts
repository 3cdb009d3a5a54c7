// The straightforward radius description, the oracle of describeRadius: one entry per reached node with its
// witness path built in full, bridge and controls read off that path, sorted with localeCompare.
import { CROWN_JEWEL_TAG, nodeRef, pathControls, stepView, type BlastRadius, type NodeRef, type PlatformSummary, type RadiusEntry } from '../../engine/analysis/radius.ts';
import { hopsAtLeast, witnessPath, type ReachOptions, type ReachResult } from '../../engine/analysis/reach.ts';
import { nodePoints } from '../../engine/analysis/score.ts';
import { effectiveSensitivity, levelName } from '../../engine/schema/index.ts';
import { renewedBy } from '../../engine/store/windows.ts';

/** Every field of describeRadius's answer but `dormant` (not built from the reached list). */
export type ReferenceRadius = Omit<BlastRadius, 'dormant'>;

export function referenceDescribeRadius(result: ReachResult, options: ReachOptions = {}): ReferenceRadius {
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
    const path = witnessPath(result, v, levelCode).map((step) => stepView(graph, step));
    // The bridge: the source of the last step that crosses platforms (every later step stays on the node's platform).
    let enteredFrom: NodeRef | null = null;
    for (let i = path.length - 1; i >= 0; i--) {
      if (path[i]!.from.platform !== path[i]!.to.platform) { enteredFrom = path[i]!.from; break; }
    }
    const { id, name, kind, platform, tenant } = nodeRef(graph, v);
    const entry: RadiusEntry = {
      id, name, kind, platform, tenant, level: levelName(levelCode), hops: hopsAtLeast(result, v, levelCode), tags: node.tags ?? [],
      sensitivity: effectiveSensitivity(node), points, crownJewel: node.tags?.includes(CROWN_JEWEL_TAG) ?? false,
      lateral: !sourcePlatforms.has(node.platform), path, enteredFrom, controls: pathControls(path),
    };
    const minter = renewedBy(graph, v, result.at);
    if (minter !== undefined) entry.liveThrough = nodeRef(graph, minter);
    reached.push(entry);
  }
  reached.sort((a, b) => Number(b.crownJewel) - Number(a.crownJewel) || b.points - a.points || a.hops - b.hops || a.id.localeCompare(b.id));

  const platforms = new Map<string, PlatformSummary>();
  const byKind: Record<string, number> = {};
  const byControl = new Map<string, { control: string; reached: number; crownJewels: number }>();
  for (const entry of reached) {
    let summary = platforms.get(entry.platform);
    if (!summary) platforms.set(entry.platform, summary = { platform: entry.platform, tenants: [], reached: 0, read: 0, write: 0, admin: 0, score: 0, crownJewels: 0 });
    if (!summary.tenants.includes(entry.tenant)) summary.tenants.push(entry.tenant);
    summary.reached++;
    summary[entry.level]++;
    summary.score += entry.points;
    if (entry.crownJewel) summary.crownJewels++;
    byKind[entry.kind] = (byKind[entry.kind] ?? 0) + 1;
    for (const control of entry.controls) {
      const counts = byControl.get(control) ?? { control, reached: 0, crownJewels: 0 };
      byControl.set(control, counts);
      counts.reached++;
      if (entry.crownJewel) counts.crownJewels++;
    }
  }
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
    controls: [...byControl.values()].sort((a, b) => b.crownJewels - a.crownJewels || b.reached - a.reached || a.control.localeCompare(b.control)),
  };
}
