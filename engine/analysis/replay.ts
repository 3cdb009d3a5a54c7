// Incident replay: checks blastmap's analysis of a known incident against what the public record says it must
// find (expected.json): nodes reached and at which level, controls that held, the attackers' chain, the first cut.
import { z } from 'zod';
import { BlastmapError, jsonSyntaxIssue, type InputIssue } from '../errors.ts';
import { isoInstant } from '../format/native.ts';
import { fromZodIssues, type Result } from '../format/validate.ts';
import { LEVEL_CODE, LEVELS, levelName, type Level } from '../schema/index.ts';
import { edgeIdAt, type CompactGraph } from '../store/compact.ts';
import { closestNodes, editDistance } from '../store/lookup.ts';
import { FINDING_RULES, RULES_BY_ID } from './findings-catalog.ts';
import { governanceFindings } from './findings.ts';
import { shortestPaths, type ShortestPaths } from './paths.ts';
import { revocationPlan, type Cut, type CutAction, type RevocationPlan } from './plan.ts';
import { blastRadius, type BlastRadius, type NodeRef, type PathStepView } from './radius.ts';
import { traversalRules, type ReachOptions } from './reach.ts';
import { RESPOND_PHASES, respondPlan, type RespondStep, type ResponsePlan } from './respond.ts';
import { reach } from './reach.ts';
import { evidenceForReach, type Evidence } from '../evidence/report.ts';

const CUT_ACTIONS = ['revoke', 'disable', 'remove-grant', 'remove-edge'] as const satisfies readonly CutAction[];

/** Most shortest paths listed when looking for the attack chain among them; beyond it the chain is checked exactly. */
export const CHAIN_PATH_LIMIT = 1000;

const nodeIdText = z.string().min(1).max(2048);
const levelText = z.enum(LEVELS);
const because = z.string().min(1).max(2000);

const reachExpectation = z.object({
  id: nodeIdText,
  atLeast: levelText.describe('The attacker must hold this node at this level or higher.'),
  atMost: levelText.optional().describe('...and no higher (e.g. read-only access that must stay read-only).'),
  why: because.optional(),
}).strict();

const notReachExpectation = z.object({
  id: nodeIdText,
  why: because.describe('The control that held, in one sentence.'),
  notAbove: levelText.optional().describe('Reaching the node is fine up to this level; above it is a failure. Omit for "not reached at all".'),
}).strict();

const cutExpectation = z.object({ action: z.enum(CUT_ACTIONS), id: nodeIdText }).strict();

const respondStepExpectation = z.object({
  phase: z.enum(RESPOND_PHASES),
  target: nodeIdText.describe("The step's target, or one of the credentials a vendor kill revokes."),
  first: z.boolean().optional().describe('It must be the first step of its phase.'),
  why: because.optional(),
}).strict();

const respondExpectation = z.object({
  since: isoInstant.optional().describe('When the attacker got the start nodes (as --since); default their createdAt, else unknown.'),
  steps: z.array(respondStepExpectation).min(1).describe('Steps the containment plan (blastmap respond) must contain.'),
}).strict();

const evidenceNodeExpectation = z.object({
  id: nodeIdText,
  status: z.enum(['observed', 'possible', 'contradicted']).describe('observed: a logged success from an origin new to its actor touches it; contradicted: only failed, blocked or known-origin events do; possible: reached, no event (docs/evidence.md).'),
  why: because.optional(),
}).strict();

const evidenceExpectation = z.object({
  since: isoInstant.optional().describe('Start of the log window (default: no start).'),
  until: isoInstant.optional().describe("End of the log window and the radius's instant (default: the checkpoint's at)."),
  nodes: z.array(evidenceNodeExpectation).min(1),
}).strict();

const findingExpectation = z.object({
  rule: z.string().min(1).refine((rule) => RULES_BY_ID.has(rule.toUpperCase()), { message: `a finding rule id (${FINDING_RULES.map((r) => r.id).join(', ')})` }),
  id: nodeIdText,
}).strict();

const checkpointFields = {
  at: isoInstant.describe('The analysis instant: a moment inside the attack window.'),
  start: z.array(nodeIdText).min(1).optional().describe('Node ids the attacker holds at the start.'),
  enforce: z.array(z.string().min(1)).optional().describe('Edge conditions treated as blocking controls (as --enforce).'),
  excludeEdgeKinds: z.array(z.string().min(1)).optional(),
  maxDepth: z.number().int().min(0).optional(),
  mustReach: z.array(reachExpectation).default([]),
  mustNotReach: z.array(notReachExpectation).default([]),
  attackChain: z.array(nodeIdText).min(2).optional().describe('The node sequence the attackers used: must be one of the shortest paths to its last node.'),
  firstCut: z.union([cutExpectation, z.array(cutExpectation).min(1)]).optional().describe('Acceptable first cuts of the revocation plan.'),
  mustFind: z.array(findingExpectation).default([]),
  respond: respondExpectation.optional().describe('The containment plan for the start nodes: contain, rotate, cut, hunt and cleanup steps it must have.'),
  evidence: evidenceExpectation.optional().describe("What the environment's logs (environment/logs/) must show on reached nodes."),
  notes: z.array(z.string().min(1)).default([]),
};

const checkpointSchema = z.object({ name: z.string().min(1).max(200), ...checkpointFields }).strict();

export const expectedSchema = z.object({
  title: z.string().min(1).max(200),
  summary: z.string().min(1).max(2000).optional(),
  ...checkpointFields,
  start: z.array(nodeIdText).min(1),
  also: z.array(checkpointSchema).default([]).describe('Further checkpoints (e.g. after a revocation), inheriting start and controls.'),
}).strict();

export type Expected = z.output<typeof expectedSchema>;
type CheckpointInput = z.output<typeof checkpointSchema>;

/** Parses expected.json text; every problem at once, each with its JSON path. */
export function parseExpected(text: string, file = 'expected.json'): Result<Expected> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    // The parser's reason, line and column; never its message as is, which quotes the text.
    return { ok: false, issues: [jsonSyntaxIssue(text, error, { file })] };
  }
  const parsed = expectedSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: fromZodIssues(parsed.error.issues, raw, file) };
  return { ok: true, value: parsed.data, warnings: [] };
}

/** Ids in expected.json that name nothing in the incident's graph (with the closest ids as a hint). */
export function expectedReferenceIssues(graph: CompactGraph, expected: Expected, file = 'expected.json'): InputIssue[] {
  const issues: InputIssue[] = [];
  let edgeIds: Set<string> | undefined;
  let grants: Set<string> | undefined;
  const known = (id: string, what: 'node' | 'grant' | 'edge'): boolean => {
    if (what === 'node') return graph.indexOf.has(id);
    if (what === 'grant') {
      grants ??= new Set(graph.edgeAttrs.flatMap((attrs) => (attrs?.grant !== undefined ? [attrs.grant] : [])));
      return grants.has(id);
    }
    edgeIds ??= new Set(Array.from({ length: graph.edgeCount }, (_, e) => edgeIdAt(graph, e)));
    return edgeIds.has(id);
  };
  const check = (id: string, path: string, what: 'node' | 'grant' | 'edge' = 'node') => {
    if (known(id, what)) return;
    const hint = what === 'node' ? closestIds(graph, id) : [];
    issues.push({
      file, path, message: `no ${what} ${id} in the incident graph`,
      expected: `the id of a ${what} in the incident graph`,
      found: `${JSON.stringify(id)}${hint.length > 0 ? ` (closest: ${hint.join(', ')})` : ''}`,
    });
  };
  const checkpoint = (c: Omit<CheckpointInput, 'name'>, base: string) => {
    c.start?.forEach((id, i) => check(id, `${base}.start[${i}]`));
    c.mustReach.forEach((e, i) => check(e.id, `${base}.mustReach[${i}].id`));
    c.mustNotReach.forEach((e, i) => check(e.id, `${base}.mustNotReach[${i}].id`));
    c.attackChain?.forEach((id, i) => check(id, `${base}.attackChain[${i}]`));
    cutList(c.firstCut).forEach((cut, i) => {
      const path = Array.isArray(c.firstCut) ? `${base}.firstCut[${i}].id` : `${base}.firstCut.id`;
      check(cut.id, path, cut.action === 'remove-grant' ? 'grant' : cut.action === 'remove-edge' ? 'edge' : 'node');
    });
    c.mustFind.forEach((e, i) => check(e.id, `${base}.mustFind[${i}].id`));
    c.respond?.steps.forEach((e, i) => check(e.target, `${base}.respond.steps[${i}].target`));
    c.evidence?.nodes.forEach((e, i) => check(e.id, `${base}.evidence.nodes[${i}].id`));
  };
  checkpoint(expected, '$');
  expected.also.forEach((c, i) => checkpoint(c, `$.also[${i}]`));
  return issues;
}

/** Ids within a few edits of a mistyped id (ids are long: a name search does not find them), else the name matches. */
function closestIds(graph: CompactGraph, id: string, limit = 3): string[] {
  const scored: [number, string][] = [];
  for (const node of graph.nodes) {
    const distance = editDistance(id, node.id, 6);
    if (distance <= 6) scored.push([distance, node.id]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
  return scored.length > 0 ? scored.slice(0, limit).map(([, nodeId]) => nodeId) : closestNodes(graph, id, limit).map((v) => graph.nodes[v]!.id);
}

const cutList = (value: CheckpointInput['firstCut']): { action: CutAction; id: string }[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export type CheckKind = 'reach' | 'not-reached' | 'attack-chain' | 'first-cut' | 'finding' | 'respond' | 'evidence';

/** One expectation and what the analysis found. */
export interface Verdict {
  check: CheckKind;
  /** Node id, `chain`, or `first cut`. */
  subject: string;
  /** Node name when the subject is a node. */
  name?: string;
  expected: string;
  actual: string;
  pass: boolean;
  /** Why the expectation is there (the control that held, the public fact), when expected.json says. */
  why?: string;
}

export interface ChainCheck {
  nodes: string[];
  pass: boolean;
  /** The chain as steps, when it is a path of the graph. */
  path: PathStepView[] | null;
  /** Whether it is the witness path the brief shows for its last node. */
  witness: boolean;
  /** Best level and fewest hops on the last node, and how many shortest paths deliver it. */
  level: Level | null;
  hops: number | null;
  shortestPathCount: number;
}

export interface CheckpointReplay {
  name: string;
  at: string;
  sources: NodeRef[];
  enforce: string[];
  radius: BlastRadius;
  chain: ChainCheck | null;
  /** The first step of the revocation plan (with its equally effective alternatives), when firstCut is expected. */
  plan: RevocationPlan | null;
  /** The containment plan, when respond steps are expected. */
  response: ResponsePlan | null;
  verdicts: Verdict[];
  notes: string[];
  pass: boolean;
}

export interface IncidentReplay {
  incident: string;
  title: string;
  summary: string | null;
  checkpoints: CheckpointReplay[];
  passed: number;
  failed: number;
  pass: boolean;
}

function reachOptionsOf(c: Omit<CheckpointInput, 'name'>): ReachOptions {
  const options: ReachOptions = { at: c.at };
  if (c.enforce && c.enforce.length > 0) options.enforceConditions = c.enforce;
  if (c.excludeEdgeKinds && c.excludeEdgeKinds.length > 0) options.excludeEdgeKinds = c.excludeEdgeKinds;
  if (c.maxDepth !== undefined) options.maxDepth = c.maxDepth;
  return options;
}

function indexOf(graph: CompactGraph, id: string): number {
  const v = graph.indexOf.get(id);
  if (v === undefined) throw new BlastmapError('UNKNOWN_NODE', `expected.json names ${id}, which is not in the incident graph`, { candidates: closestIds(graph, id, 5) });
  return v;
}

const hopsText = (hops: number): string => `${hops} hop${hops === 1 ? '' : 's'}`;

/** Compares a radius with the reach expectations (reached at a level, or not reached: a control held). */
export function compareRadius(radius: BlastRadius, mustReach: Expected['mustReach'], mustNotReach: Expected['mustNotReach'], nameOf: (id: string) => string | undefined = () => undefined): Verdict[] {
  const reached = new Map(radius.reached.map((entry) => [entry.id, entry]));
  const dormant = new Map(radius.dormant.map((entry) => [entry.id, entry]));
  const sources = new Set(radius.sources.map((s) => s.id));
  const verdicts: Verdict[] = [];
  for (const want of mustReach) {
    const entry = reached.get(want.id);
    const code = entry ? LEVEL_CODE[entry.level] : sources.has(want.id) ? 3 : 0;
    const pass = code >= LEVEL_CODE[want.atLeast] && (want.atMost === undefined || code <= LEVEL_CODE[want.atMost]);
    const sleeping = dormant.get(want.id);
    const actual = entry ? `${entry.level} in ${hopsText(entry.hops)}`
      : sources.has(want.id) ? 'admin (a start node)'
      : sleeping ? `not reached: found but ${sleeping.why}` : 'not reached';
    verdicts.push({
      check: 'reach', subject: want.id, name: entry?.name ?? sleeping?.name ?? nameOf(want.id),
      expected: want.atMost === undefined ? `${want.atLeast} or more` : want.atMost === want.atLeast ? `exactly ${want.atLeast}` : `${want.atLeast} to ${want.atMost}`,
      actual, pass, ...(want.why ? { why: want.why } : {}),
    });
  }
  for (const want of mustNotReach) {
    const entry = reached.get(want.id);
    const limit = want.notAbove === undefined ? 0 : LEVEL_CODE[want.notAbove];
    const code = entry ? LEVEL_CODE[entry.level] : sources.has(want.id) ? 3 : 0;
    const sleeping = dormant.get(want.id);
    verdicts.push({
      check: 'not-reached', subject: want.id, name: entry?.name ?? sleeping?.name ?? nameOf(want.id),
      expected: want.notAbove === undefined ? 'not reached' : `at most ${want.notAbove}`,
      actual: entry ? `${entry.level} in ${hopsText(entry.hops)}` : sources.has(want.id) ? 'a start node' : sleeping ? `not reached (found but ${sleeping.why})` : 'not reached',
      pass: code <= limit, why: want.why,
    });
  }
  return verdicts;
}

const chainKey = (nodes: readonly string[]): string => nodes.join('\u0000');
const pathNodes = (path: readonly PathStepView[]): string[] => (path.length === 0 ? [] : [path[0]!.from.id, ...path.map((step) => step.to.id)]);

/** Replays a node sequence with the traversal rules: the level held after each step, or where it breaks. */
function replayChain(graph: CompactGraph, sources: readonly number[], chain: readonly number[], options: ReachOptions): { level: number; brokenAt: number | null; why: string } {
  const rules = traversalRules(graph, options);
  if (!sources.includes(chain[0]!)) return { level: 0, brokenAt: 0, why: `it does not begin at a start node (${graph.nodes[chain[0]!]!.id})` };
  let held: number = LEVEL_CODE[options.sourceLevel ?? 'admin'];
  for (let i = 1; i < chain.length; i++) {
    const u = chain[i - 1]!;
    const v = chain[i]!;
    let best = 0;
    let edges = 0;
    for (let e = graph.fwdOffsets[u]!, end = graph.fwdOffsets[u + 1]!; e < end; e++) {
      if (graph.edgeDst[e] !== v) continue;
      edges++;
      best = Math.max(best, rules.step(e, held));
    }
    const from = graph.nodes[u]!.id;
    const to = graph.nodes[v]!.id;
    if (edges === 0) return { level: 0, brokenAt: i, why: `step ${i} has no edge from ${from} to ${to}` };
    if (best === 0) return { level: 0, brokenAt: i, why: `step ${i} (${from} -> ${to}) cannot be taken holding ${levelName(held)} (edge kind filtered, blocked by a control, or needs a higher level)` };
    if (!rules.usable(v)) return { level: 0, brokenAt: i, why: `step ${i} reaches ${to}, which is not usable at this instant (revoked, expired, disabled or not yet created)` };
    held = best;
  }
  return { level: held, brokenAt: null, why: '' };
}

/**
 * The attack chain must be one of the shortest paths that deliver its last node at the best level the start
 * reaches there: listed by `shortestPaths` (up to CHAIN_PATH_LIMIT), or, beyond that, replayed exactly.
 */
export function compareChain(graph: CompactGraph, sources: readonly number[], chain: readonly string[], options: ReachOptions, paths?: ShortestPaths): { verdict: Verdict; check: ChainCheck } {
  const indices = chain.map((id) => indexOf(graph, id));
  const target = indices[indices.length - 1]!;
  const found = paths ?? shortestPaths(graph, sources, target, { ...options, limit: CHAIN_PATH_LIMIT });
  const key = chainKey(chain);
  const listed = found.paths.findIndex((path) => chainKey(pathNodes(path)) === key);
  const replayed = replayChain(graph, sources, indices, options);
  const hopsWanted = chain.length - 1;
  const exact = found.reached && replayed.brokenAt === null && hopsWanted === found.hops && levelName(replayed.level) === found.level;
  const pass = listed >= 0 || (found.truncated && exact);
  const check: ChainCheck = {
    nodes: [...chain], pass, path: listed >= 0 ? found.paths[listed]! : null, witness: listed === 0,
    level: found.level, hops: found.hops, shortestPathCount: found.total,
  };
  let actual: string;
  if (pass) {
    actual = `${listed === 0 ? 'the witness path' : 'one'} of ${found.total} shortest path${found.total === 1 ? '' : 's'} (${found.level} in ${hopsText(found.hops!)})`;
  } else if (!found.reached) {
    actual = `the last node is not reached${found.dormant ? ' (found, but not usable at this instant)' : ''}`;
  } else if (replayed.brokenAt !== null) {
    actual = `not a path: ${replayed.why}`;
  } else {
    actual = `a valid path of ${hopsText(hopsWanted)} giving ${levelName(replayed.level)}, but the shortest give ${found.level} in ${hopsText(found.hops!)}, e.g. ${pathNodes(found.paths[0]!).join(' -> ')}`;
  }
  return {
    verdict: { check: 'attack-chain', subject: 'chain', name: `${graph.nodes[indices[0]!]!.name} -> ... -> ${graph.nodes[target]!.name} (${chain.length} nodes)`, expected: `among the shortest paths (${hopsText(hopsWanted)})`, actual, pass },
    check,
  };
}

const cutLabel = (cut: { action: string; id: string }): string => `${cut.action} ${cut.id}`;

/** The plan's first cut (or one it lists as equally effective) must be one of the acceptable cuts. */
export function compareFirstCut(plan: RevocationPlan, acceptable: readonly { action: CutAction; id: string }[]): Verdict {
  const step = plan.steps[0];
  const expected = acceptable.map(cutLabel).join(' | ');
  if (!step) return { check: 'first-cut', subject: 'first cut', expected, actual: `no cut (${plan.stoppedBecause})`, pass: false };
  const matches = (cut: Cut) => acceptable.some((want) => want.action === cut.action && want.id === cut.id);
  const chosen = step.cut;
  if (matches(chosen)) return { check: 'first-cut', subject: 'first cut', name: chosen.name, expected, actual: `${cutLabel(chosen)} (removes ${round(step.removed)} of ${round(step.scoreBefore)} points)`, pass: true };
  const tied = step.alternatives.find(matches);
  if (tied) return { check: 'first-cut', subject: 'first cut', name: tied.name, expected, actual: `${cutLabel(tied)}, equally effective with the chosen ${cutLabel(chosen)}`, pass: true };
  return { check: 'first-cut', subject: 'first cut', name: chosen.name, expected, actual: cutLabel(chosen), pass: false };
}

const round = (n: number): number => Math.round(n * 100) / 100;

const stepLabel = (step: RespondStep): string => `step ${step.step} (${step.phase}): ${step.title}`;

/** Each expected step must be in the containment plan: same phase, same target (or a credential its vendor kill revokes). */
export function compareRespond(graph: CompactGraph, plan: ResponsePlan, expected: NonNullable<Expected['respond']>['steps']): Verdict[] {
  return expected.map((want) => {
    const inPhase = plan.steps.filter((step) => step.phase === want.phase);
    const hits = (step: RespondStep) => step.target.id === want.target || (step.credentials ?? []).some((c) => c.id === want.target);
    const found = inPhase.find(hits);
    const name = graph.nodes[graph.indexOf.get(want.target)!]?.name;
    const pass = found !== undefined && (!want.first || inPhase[0] === found);
    const actual = found
      ? `${stepLabel(found)}${want.first && inPhase[0] !== found ? `; but the first ${want.phase} step is ${inPhase[0]!.target.name}` : ''}`
      : inPhase.length > 0 ? `no such step; the ${want.phase} steps are on ${inPhase.map((step) => step.target.name).join(', ')}` : `no ${want.phase} step`;
    return {
      check: 'respond', subject: want.target, ...(name !== undefined ? { name } : {}),
      expected: `a ${want.phase} step${want.first ? ', first of its phase' : ''}`, actual, pass, ...(want.why ? { why: want.why } : {}),
    };
  });
}

function replayCheckpoint(graph: CompactGraph, name: string, c: Omit<CheckpointInput, 'name'> & { start: string[] }, evidence?: Evidence): CheckpointReplay {
  const sources = c.start.map((id) => indexOf(graph, id));
  const options = reachOptionsOf(c);
  const radius = blastRadius(graph, sources, options);
  const nameOf = (id: string): string | undefined => {
    const v = graph.indexOf.get(id);
    return v === undefined ? undefined : graph.nodes[v]!.name;
  };
  const verdicts = compareRadius(radius, c.mustReach, c.mustNotReach, nameOf);
  let chain: ChainCheck | null = null;
  if (c.attackChain) {
    const compared = compareChain(graph, sources, c.attackChain, options);
    verdicts.push(compared.verdict);
    chain = compared.check;
  }
  let plan: RevocationPlan | null = null;
  const cuts = cutList(c.firstCut);
  if (cuts.length > 0) {
    plan = revocationPlan(graph, sources, { ...options, steps: 1, alternatives: 20 });
    verdicts.push(compareFirstCut(plan, cuts));
  }
  let response: ResponsePlan | null = null;
  if (c.respond) {
    response = respondPlan(graph, sources, { ...options, ...(c.respond.since !== undefined ? { since: c.respond.since } : {}) });
    verdicts.push(...compareRespond(graph, response, c.respond.steps));
  }
  if (c.mustFind.length > 0) {
    const findings = governanceFindings(graph, { at: c.at, ruleIds: [...new Set(c.mustFind.map((f) => f.rule.toUpperCase()))] });
    for (const want of c.mustFind) {
      const rule = want.rule.toUpperCase();
      const hit = findings.find((f) => f.ruleId === rule && f.nodeId === want.id);
      verdicts.push({
        check: 'finding', subject: want.id, name: graph.nodes[indexOf(graph, want.id)]!.name,
        expected: `${rule} (${RULES_BY_ID.get(rule)!.title})`, actual: hit ? `${hit.severity}: ${hit.evidence.summary}` : 'no such finding', pass: hit !== undefined,
      });
    }
  }
  if (c.evidence) verdicts.push(...compareEvidence(graph, sources, options, c.evidence, evidence));
  return {
    name, at: radius.at, sources: radius.sources, enforce: [...(c.enforce ?? [])], radius, chain, plan, response, verdicts,
    notes: c.notes, pass: verdicts.every((v) => v.pass),
  };
}

/**
 * Each expected node must carry the expected evidence status over the radius at the end of the log window: the
 * replay reads the incident's own logs (environment/logs/), so a log excerpt that stops matching its graph fails here.
 */
function compareEvidence(graph: CompactGraph, sources: readonly number[], options: ReachOptions, want: NonNullable<CheckpointInput['evidence']>, evidence: Evidence | undefined): Verdict[] {
  const until = want.until ?? String(options.at);
  const window = { from: want.since === undefined ? -Infinity : Date.parse(want.since), to: Date.parse(until) };
  const overlay = evidence ? evidenceForReach(evidence, reach(graph, sources, { ...options, at: until }), window).overlay : undefined;
  return want.nodes.map((node) => {
    const v = graph.indexOf.get(node.id)!;
    const actual = !overlay ? 'no logs (environment/logs/ is missing)'
      : overlay.nodeStatus[v] === 0 ? 'not reached'
        : overlay.nodeFacts.get(v)?.status ?? 'possible';
    const facts = overlay?.nodeFacts.get(v);
    const detail = facts ? ` (${facts.count} event${facts.count === 1 ? '' : 's'}, ${facts.sources.join(', ')}${facts.ips.length > 0 ? `, from ${facts.ips.join(', ')}` : ''})` : '';
    return {
      check: 'evidence' as const, subject: node.id, name: graph.nodes[v]!.name, expected: node.status, actual: `${actual}${detail}`,
      pass: actual === node.status, ...(node.why ? { why: node.why } : {}),
    };
  });
}

const day = (iso: string): string => iso.slice(0, 10);

/**
 * Runs every checkpoint of an incident (the main one, then `also`) on its graph. Checkpoints in `also` inherit
 * the start nodes and the controls (`enforce`, `excludeEdgeKinds`, `maxDepth`) of the main one unless they set them.
 */
export function replayIncident(graph: CompactGraph, expected: Expected, incident: string, evidence?: Evidence): IncidentReplay {
  const checkpoints = [replayCheckpoint(graph, `during the attack (${day(expected.at)})`, expected, evidence)];
  for (const extra of expected.also) {
    checkpoints.push(replayCheckpoint(graph, extra.name, {
      ...extra,
      start: extra.start ?? expected.start,
      enforce: extra.enforce ?? expected.enforce,
      excludeEdgeKinds: extra.excludeEdgeKinds ?? expected.excludeEdgeKinds,
      maxDepth: extra.maxDepth ?? expected.maxDepth,
    }, evidence));
  }
  const all = checkpoints.flatMap((c) => c.verdicts);
  const passed = all.filter((v) => v.pass).length;
  return { incident, title: expected.title, summary: expected.summary ?? null, checkpoints, passed, failed: all.length - passed, pass: passed === all.length };
}
