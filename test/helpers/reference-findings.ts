// Findings as first written: every rule on every usable node, each finding built at once, one sort of the whole
// list; and the decisions that reverse searches now make for every node at once (privileged, spans environments,
// holds privilege) asked of each node's own reach, as findings.ts did before. The oracle of the lazy finding set.
import { FINDING_RULES, SEVERITY_RANK } from '../../engine/analysis/findings-catalog.ts';
import { compareFindings, FindingContext, RULE_CHECKS, type Finding, type FindingOptions } from '../../engine/analysis/findings.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';

class ReachPerNodeContext extends FindingContext {
  override privileged(v: number): boolean {
    return this.privilege(v).privileged;
  }

  override spansEnvironments(v: number): boolean {
    const counts = this.ownEnvironments(v).counts;
    return counts[0]! > 0 && counts[1]! > 0;
  }

  override holdsAnyPrivilege(v: number): boolean {
    const held = this.heldPrivilege(v);
    return held.roles.length > 0 || held.adminOf.length > 0;
  }
}

/** Every finding, built, sorted by `compareFindings`; `ruleIds` and `severityAtLeast` filter as the engine does. */
export function referenceFindings(graph: CompactGraph, options: FindingOptions = {}): Finding[] {
  const ctx = new ReachPerNodeContext(graph, options);
  const wanted = options.ruleIds ? new Set(options.ruleIds.map((id) => id.trim().toUpperCase())) : undefined;
  const floor = options.severityAtLeast === undefined ? 0 : SEVERITY_RANK[options.severityAtLeast];
  const findings: Finding[] = [];
  for (let v = 0; v < graph.nodeCount; v++) {
    if (!ctx.usable(v)) continue;
    for (const rule of FINDING_RULES) {
      if (wanted && !wanted.has(rule.id)) continue;
      const hit = RULE_CHECKS[rule.id]!(ctx, v, rule);
      if (hit && SEVERITY_RANK[hit.severity] >= floor) findings.push(ctx.build(rule, v, hit));
    }
  }
  return findings.sort(compareFindings);
}
