// A count of the work the analyses do, for tests and benchmarks that check how it grows with the graph: operation
// counts are deterministic where times are not. Each traversal adds the out- or in-edges it scans at every node it
// expands (one addition per node, not per edge), and `evaluateFindings` one per rule it checks on a node. Nothing
// reads it but whoever asked; reset it before the work to be counted.
export interface WorkCount {
  /** Adjacency entries scanned by the traversals (reach, the closures, exposure's reverse passes, findings' searches). */
  edges: number;
  /** Rule checks: one per (rule, node) pair `evaluateFindings` evaluates. */
  checks: number;
}

export const WORK: WorkCount = { edges: 0, checks: 0 };

/** Sets every count to 0 and returns the counter. */
export function resetWork(): WorkCount {
  WORK.edges = 0;
  WORK.checks = 0;
  return WORK;
}
