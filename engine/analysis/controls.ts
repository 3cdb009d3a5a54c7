// The controls an edge can be conditioned on (`conditions`): the documented vocabulary, and the check that a
// control asked to be enforced exists, so a typo in --enforce is an error instead of a silently unchanged radius.
import { BlastmapError } from '../errors.ts';
import type { CompactGraph } from '../store/compact.ts';

/**
 * Conditions the importers emit and docs/model.md documents. A native file may use others: those present in
 * the graph are accepted too.
 */
export const CONTROL_VOCABULARY: readonly string[] = [
  'ip-allowlist', // Okta API-token network zones, AWS aws:SourceIp
  'mfa', // AWS aws:MultiFactorAuthPresent, a console password with an MFA device
  'device-trust', // managed-device policies
  'vpc-endpoint', // AWS aws:SourceVpc(e)
  'org-restricted', // AWS aws:PrincipalOrgID and friends
  'external-id', // AWS sts:ExternalId on a trust policy
  'passed-to-service', // AWS iam:PassedToService
  'aws-condition', // any other AWS Condition block
  'iam-condition', // a Google Cloud IAM binding condition
  'signed-in-user-rights', // a delegated grant bounded by what its user may do (GitHub, Slack, Entra)
];

/** Conditions carried by at least one edge of the graph, sorted. */
export function graphConditions(graph: CompactGraph): string[] {
  const present = new Set<string>();
  for (const e of graph.conditionedEdges) for (const condition of graph.edgeAttrs[e]?.conditions ?? []) present.add(condition);
  return [...present].sort();
}

/** Every condition `--enforce` accepts on this graph: the vocabulary plus what the graph carries, sorted. */
export function knownConditions(graph: CompactGraph): string[] {
  return [...new Set([...CONTROL_VOCABULARY, ...graphConditions(graph)])].sort();
}

/** Throws INVALID_OPTION naming the known conditions when one to enforce is neither in the vocabulary nor in the graph. */
export function checkEnforcedConditions(graph: CompactGraph, enforce: readonly string[] | undefined): void {
  if (!enforce || enforce.length === 0) return;
  const vocabulary = new Set(CONTROL_VOCABULARY);
  const unknown = enforce.filter((condition) => !vocabulary.has(condition));
  if (unknown.length === 0) return;
  const present = new Set(graphConditions(graph));
  const missing = unknown.filter((condition) => !present.has(condition));
  if (missing.length === 0) return;
  const known = knownConditions(graph);
  throw new BlastmapError('INVALID_OPTION',
    `engine/analysis: unknown condition${missing.length > 1 ? 's' : ''} to enforce: ${missing.map((c) => JSON.stringify(c)).join(', ')}; known conditions: ${known.join(', ')}`,
    { candidates: known });
}
