// A diff as a review proposal (`blastmap review --diff <old> <new>` or `--diff <diff.json>`): what the newer graph
// adds or changes (nodes and edges added, the later record of those changed) is proposed to the older one, so a
// scope expansion is judged like a new integration. Removals only shrink authority and are not proposed.
import { z } from 'zod';
import { fragmentChanges, type GraphDiff } from '../engine/analysis/diff.ts';
import { BlastmapError, describeFound, jsonSyntaxIssue, type InputIssue } from '../engine/errors.ts';
import type { GraphEdge, GraphNode } from '../engine/format/native.ts';
import type { SourcedFragment } from '../engine/format/validate.ts';
import { toFragment, type CompactGraph } from '../engine/store/compact.ts';
import { parseNative } from '../importers/native/index.ts';

type Changes = Pick<GraphDiff, 'nodes' | 'edges'>;

/** Records of a diff to propose, each with its JSON path in the diff (`$.nodes.added[0]`, `$.edges.changed[2].after`). */
function proposedRecords(changes: { nodes: { added: readonly unknown[]; changed: readonly { after: unknown }[] }; edges: { added: readonly unknown[]; changed: readonly { after: unknown }[] } }) {
  const nodes: { record: unknown; path: string }[] = [
    ...changes.nodes.added.map((record, i) => ({ record, path: `$.nodes.added[${i}]` })),
    ...changes.nodes.changed.map((change, i) => ({ record: change.after, path: `$.nodes.changed[${i}].after` })),
  ];
  const edges: { record: unknown; path: string }[] = [
    ...changes.edges.added.map((record, i) => ({ record, path: `$.edges.added[${i}]` })),
    ...changes.edges.changed.map((change, i) => ({ record: change.after, path: `$.edges.changed[${i}].after` })),
  ];
  return { nodes, edges };
}

/** The proposal between two loaded graphs: everything `before` lacks that `after` has. */
export function proposalFromGraphs(before: CompactGraph, after: CompactGraph, label: string): SourcedFragment {
  const changes: Changes = fragmentChanges(toFragment(before), toFragment(after));
  const { nodes, edges } = proposedRecords(changes);
  return {
    fragment: { nodes: nodes.map((entry) => entry.record as GraphNode), edges: edges.map((entry) => entry.record as GraphEdge) },
    provenance: { file: label, nodePaths: nodes.map((entry) => entry.path), edgePaths: edges.map((entry) => entry.path) },
    redactions: 0,
  };
}

/** The part of `blastmap diff -f json` output a proposal needs; every record is checked again as native input. */
const changeList = z.object({ added: z.array(z.unknown()), changed: z.array(z.object({ after: z.unknown() }).passthrough()) }).passthrough();
const diffJsonSchema = z.object({
  compared: z.object({ old: z.string(), new: z.string() }).partial().optional(),
  nodes: changeList,
  edges: changeList,
}).passthrough();

/**
 * Reads `blastmap diff -f json` output as a proposal. Records are validated (and scrubbed) as native input; an
 * issue names the diff file and the record's path in it. Also returns the old side the diff names, if any.
 */
export function proposalFromDiffJson(text: string, file: string): { proposal: SourcedFragment; oldGraph?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new BlastmapError('INVALID_INPUT', `1 problem in ${file}; nothing was imported`, { issues: [jsonSyntaxIssue(text, error, { file })] });
  }
  const shape = diffJsonSchema.safeParse(raw);
  if (!shape.success) {
    const issues: InputIssue[] = shape.error.issues.map((issue) => {
      let value: unknown = raw;
      for (const key of issue.path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
      const expected = 'the JSON output of `blastmap diff -f json` (nodes and edges, each with added and changed lists)';
      return { file, path: `$${issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('')}`, message: `expected ${expected}`, expected, found: describeFound(value) };
    });
    throw new BlastmapError('INVALID_INPUT', `${issues.length} problem${issues.length === 1 ? '' : 's'} in ${file}; nothing was imported`, { issues });
  }
  const { nodes, edges } = proposedRecords(shape.data as Parameters<typeof proposedRecords>[0]);
  const parsed = parseNative(JSON.stringify({ nodes: nodes.map((entry) => entry.record), edges: edges.map((entry) => entry.record) }), { file, format: 'json' });
  // Issues name the synthesised document's `$.nodes[i]`: put the diff's own path back.
  const remap = (path: string): string => path
    .replace(/^\$\.nodes\[(\d+)\]/, (_, i: string) => nodes[Number(i)]?.path ?? `$.nodes[${i}]`)
    .replace(/^\$\.edges\[(\d+)\]/, (_, i: string) => edges[Number(i)]?.path ?? `$.edges[${i}]`);
  if (!parsed.ok) {
    const issues = parsed.issues.map((issue) => ({ ...issue, path: remap(issue.path) }));
    throw new BlastmapError('INVALID_INPUT', `${issues.length} problem${issues.length === 1 ? '' : 's'} in ${file}; nothing was imported`, { issues });
  }
  const proposal: SourcedFragment = {
    ...parsed.value,
    provenance: { file, nodePaths: parsed.value.provenance.nodePaths.map(remap), edgePaths: parsed.value.provenance.edgePaths.map(remap) },
  };
  const oldGraph = shape.data.compared?.old;
  return { proposal, ...(oldGraph !== undefined ? { oldGraph } : {}) };
}
