// Marks kept with a graph: nodes an analyst marked as crown jewels (or not), as owned (already in the
// attacker's hands), and the UI's saved views. One JSON file beside the graph, read by every command.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { CROWN_JEWEL_TAG } from '../engine/analysis/radius.ts';
import { BlastmapError, jsonPath } from '../engine/errors.ts';
import { readYaml, withLines } from '../engine/format/yaml.ts';
import type { CompactGraph } from '../engine/store/compact.ts';

/** The tag an owned mark adds: the node is known to be in the attacker's hands. */
export const OWNED_TAG = 'owned';
/** In a list of sources (`blastmap radius @owned`): every node marked owned. */
export const OWNED_REFERENCE = '@owned';
/** Marks file suffix: `<graph>.marks.json`; never read as a native input file. */
export const MARKS_SUFFIX = '.marks.json';

const id = z.string().min(1).max(2048);
const viewName = z.string().min(1).max(120);
export const marksSchema = z.strictObject({
  version: z.literal(1),
  /** Nodes marked as crown jewels (tagged crown-jewel on load). */
  crownJewels: z.array(id).max(100_000).default([]),
  /** Nodes whose data says crown jewel but that the analyst unmarked (the tag is removed on load). */
  notCrownJewels: z.array(id).max(100_000).default([]),
  /** Nodes marked as owned (tagged owned on load; `@owned` names them all as sources). */
  owned: z.array(id).max(100_000).default([]),
  /** The UI's saved views: a name and the URL query that reopens the view. */
  views: z.array(z.strictObject({ name: viewName, query: z.string().max(16_384), saved: z.string().max(64).optional() })).max(1000).default([]),
});
export type Marks = z.infer<typeof marksSchema>;
export const EMPTY_MARKS: Marks = { version: 1, crownJewels: [], notCrownJewels: [], owned: [], views: [] };

/**
 * Where the marks of a graph live: `$BLASTMAP_MARKS` when set, else `<graph path>.marks.json` beside it (a
 * snapshot `.blastmap/graph.bmap` has `.blastmap/graph.bmap.marks.json`, a folder `demo/` has `demo.marks.json`).
 */
export function marksPath(graphPath: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.BLASTMAP_MARKS) return env.BLASTMAP_MARKS;
  const trimmed = graphPath.replace(/[/\\]+$/, '');
  return `${trimmed === '' ? '.' : trimmed}${MARKS_SUFFIX}`;
}

/** The marks at `path`, or none when there is no file. A malformed file is an INVALID_INPUT naming path and line. */
export function readMarks(path: string): Marks {
  if (!existsSync(path)) return { ...EMPTY_MARKS, crownJewels: [], notCrownJewels: [], owned: [], views: [] };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new BlastmapError('IO', `cannot read the marks file ${path}: ${(error as Error).message}`, { cause: error });
  }
  const read = readYaml(text, { file: path, what: 'marks file' });
  if (!read.ok) throw new BlastmapError('INVALID_INPUT', `${path}: not a marks file`, { issues: read.issues });
  const parsed = marksSchema.safeParse(read.value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 50).map((issue) => ({ file: path, path: jsonPath(issue.path), message: issue.message }));
    throw new BlastmapError('INVALID_INPUT', `${path}: ${issues.length} problem${issues.length === 1 ? '' : 's'} in the marks file`, { issues: withLines(issues, read.lineAt) });
  }
  return parsed.data;
}

/** Writes the marks (a temporary file renamed over the old one, so a reader never sees half a file). */
export function writeMarks(path: string, marks: Marks): void {
  const checked = marksSchema.parse(marks);
  const temporary = join(dirname(path), `.${Date.now()}-${process.pid}.marks.tmp`);
  writeFileSync(temporary, `${JSON.stringify(checked, null, 2)}\n`);
  renameSync(temporary, path);
}

/**
 * The graph with the marks applied as tags: crown-jewel added (sensitivity raised to 10 where the data set a
 * lower one) or removed, owned added. Marks naming nodes the graph does not hold are skipped (a node deleted
 * since). Returns a new graph object sharing everything but the node records it changes, so per-graph caches
 * (scores, rankings) are computed afresh; with no effective mark it returns `graph` itself.
 */
export function applyMarks(graph: CompactGraph, marks: Marks): CompactGraph {
  const changes = new Map<number, { add: Set<string>; remove: Set<string>; jewel: boolean }>();
  const change = (reference: string) => {
    const v = graph.indexOf.get(reference);
    if (v === undefined) return undefined;
    let entry = changes.get(v);
    if (!entry) changes.set(v, entry = { add: new Set(), remove: new Set(), jewel: false });
    return entry;
  };
  for (const reference of marks.notCrownJewels) change(reference)?.remove.add(CROWN_JEWEL_TAG);
  for (const reference of marks.crownJewels) {
    const entry = change(reference);
    if (entry) { entry.remove.delete(CROWN_JEWEL_TAG); entry.add.add(CROWN_JEWEL_TAG); entry.jewel = true; }
  }
  for (const reference of marks.owned) change(reference)?.add.add(OWNED_TAG);
  if (changes.size === 0) return graph;
  const nodes = graph.nodes.slice();
  for (const [v, { add, remove, jewel }] of changes) {
    const node = nodes[v]!;
    const tags = [...new Set([...(node.tags ?? []).filter((tag) => !remove.has(tag)), ...add])];
    const next = { ...node, tags };
    if (jewel && node.sensitivity !== undefined && node.sensitivity < 10) next.sensitivity = 10;
    nodes[v] = next;
  }
  return { ...graph, nodes };
}

/** Replaces `@owned` in a list of node references by the ids of the nodes marked owned. */
export function expandOwned(graph: CompactGraph, references: readonly string[]): string[] {
  if (!references.includes(OWNED_REFERENCE)) return [...references];
  const owned: string[] = [];
  for (const node of graph.nodes) if (node.tags?.includes(OWNED_TAG)) owned.push(node.id);
  if (owned.length === 0) throw new BlastmapError('INVALID_OPTION', `${OWNED_REFERENCE}: no node is marked owned (mark them in the web UI, or list them under "owned" in the graph's marks file)`);
  return [...new Set(references.flatMap((reference) => (reference === OWNED_REFERENCE ? owned : [reference])))];
}

/** Toggles one node's marks; returns the new marks (the input is not changed). */
export function setMark(marks: Marks, nodeId: string, change: { crownJewel?: boolean | undefined; dataCrownJewel: boolean; owned?: boolean | undefined }): Marks {
  const without = (list: readonly string[]) => list.filter((item) => item !== nodeId);
  const next: Marks = { ...marks, crownJewels: [...marks.crownJewels], notCrownJewels: [...marks.notCrownJewels], owned: [...marks.owned], views: [...marks.views] };
  if (change.crownJewel !== undefined) {
    next.crownJewels = without(next.crownJewels);
    next.notCrownJewels = without(next.notCrownJewels);
    // A mark only records a departure from the data: marking what the data already says leaves no mark.
    if (change.crownJewel && !change.dataCrownJewel) next.crownJewels.push(nodeId);
    if (!change.crownJewel && change.dataCrownJewel) next.notCrownJewels.push(nodeId);
  }
  if (change.owned !== undefined) {
    next.owned = without(next.owned);
    if (change.owned) next.owned.push(nodeId);
  }
  return next;
}
