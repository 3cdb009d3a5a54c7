// Findings' privilege rating as first written: one full reach (`reachScanner`) per node rated. Linear in the
// graph per node, so quadratic over an enterprise's credentials; kept as the oracle for the shared-hub version.
import { FINDING_DEFAULTS, reachScanner, type PrivilegeSummary } from '../../engine/analysis/findings.ts';
import { gradedKinds, nodePoints } from '../../engine/analysis/score.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function referencePrivilegeScanner(graph: CompactGraph, at: number, privilegedScore: number = FINDING_DEFAULTS.privilegedScore): (source: number) => PrivilegeSummary {
  const scan = reachScanner(graph, at);
  const graded = gradedKinds(graph);
  return (source) => {
    const reached = scan(source);
    if (reached.order.length === 0) return { score: 0, adminOn: 0, crownJewels: [], privileged: privilegedScore <= 0 };
    let score = 0;
    let adminOn = 0;
    const crownJewels: string[] = [];
    reached.order.forEach((v, i) => {
      if (v === source) return;
      const l = reached.levels[i]!;
      score += nodePoints(graph, v, l);
      if (l === 3 && graded[graph.nodeKind[v]!] === 1) adminOn++;
      const node = graph.nodes[v]!;
      if (node.tags?.includes('crown-jewel')) crownJewels.push(node.id);
    });
    score = Math.round(score * 100) / 100;
    crownJewels.sort(compareText);
    return { score, adminOn, crownJewels, privileged: crownJewels.length > 0 || adminOn > 0 || score >= privilegedScore };
  };
}
