// The first streamed JSON writers of whatif, exposure and lateral paths (a JSON.stringify and a template string per
// record, one generator piece per line; likewise the native JSON and NDJSON exports): the oracle the JsonOut writers of engine/report are tested byte-equal against.
import { exposureWitnessTable, type Exposure } from '../../engine/analysis/exposure.ts';
import type { LateralPaths } from '../../engine/analysis/paths.ts';
import type { WhatIfRemoved, WhatIfResult } from '../../engine/analysis/whatif.ts';
import type { Finding, FindingEvidence, FindingsReport, RelatedNode } from '../../engine/analysis/findings.ts';
import { RELATED_INLINE, type FindingsInput } from '../../engine/report/findings.ts';
import type { GraphEdge, GraphNode } from '../../engine/format/native.ts';
import { NATIVE_RADIUS_PROPERTIES } from '../../engine/export/native.ts';
import { selectExport, type ExportOptions, type RadiusMark } from '../../engine/export/select.ts';
import { edgeRecord, type CompactGraph } from '../../engine/store/compact.ts';
import { platformsFromTable, WitnessTableBuilder, type WitnessViewStep } from '../../engine/report/witness.ts';

/** The `"witness": [...]` member of a streamed JSON document, one step per line (no trailing comma). */
function* witnessChunks(steps: readonly WitnessViewStep[]): Generator<string> {
  yield '"witness": [\n';
  for (let i = 0; i < steps.length; i++) yield `${JSON.stringify(steps[i])}${i + 1 < steps.length ? ',' : ''}\n`;
  yield ']';
}

/** Each element of `items` on its own line, as the body of a JSON array member `name`. */
function* arrayMember<T>(name: string, items: readonly T[], record: (item: T, i: number) => unknown): Generator<string> {
  yield `${JSON.stringify(name)}: [\n`;
  for (let i = 0; i < items.length; i++) yield `${JSON.stringify(record(items[i]!, i))}${i + 1 < items.length ? ',' : ''}\n`;
  yield ']';
}

/**
 * The what-if as one JSON document, written in pieces (never one string): the summary fields, then `witness`,
 * the shared table of the removed nodes' witness paths (steps with parent pointers), `removed` (each with
 * `witness`, the index of its path's last step), `lowered`, `unchangedCount` and `crownJewelsCut`, one
 * array element per line. Every removed node's `pathBefore` is the table followed from its `witness`.
 */
export function* referenceWhatIfJsonChunks(result: WhatIfResult): Generator<string> {
  const { removed, lowered, unchangedCount, crownJewelsCut, ...summary } = result;
  const table = new WitnessTableBuilder();
  const witness = Int32Array.from(removed, (entry) => table.addEntry(entry, () => entry.pathBefore));
  const head = JSON.stringify(summary);
  yield `${head.slice(0, -1)},\n`;
  yield* witnessChunks(table.steps);
  yield ',\n';
  yield* arrayMember('removed', removed, (entry, i): Omit<WhatIfRemoved, 'pathBefore'> & { witness: number } => {
    const { id, name, kind, platform, tenant, levelBefore, hopsBefore, pointsBefore, crownJewel } = entry;
    return { id, name, kind, platform, tenant, levelBefore, hopsBefore, pointsBefore, crownJewel, witness: witness[i]! };
  });
  yield ',\n';
  yield* arrayMember('lowered', lowered, (entry) => entry);
  yield `,\n"unchangedCount": ${JSON.stringify(unchangedCount)},\n`;
  yield* arrayMember('crownJewelsCut', crownJewelsCut, (entry) => entry);
  yield '}\n';
}

export function* referenceExposureJsonChunks(exposure: Exposure, options: { paths?: boolean } = {}): Generator<string> {
  const { exposed, ...summary } = exposure;
  const table = exposureWitnessTable(exposed);
  const head = JSON.stringify(summary);
  yield `${head.slice(0, -1)},\n`;
  if (table) {
    yield '"witness": [\n';
    for (let i = 0; i < table.steps.length; i++) yield `${JSON.stringify(table.steps[i])}${i + 1 < table.steps.length ? ',' : ''}\n`;
    yield '],\n';
  }
  yield '"exposed": [\n';
  for (let i = 0; i < exposed.length; i++) {
    const entry = exposed[i]!;
    // Named fields only: a rest pattern would read `path`, which builds it.
    const { id, name, kind, platform, tenant, level, hops, subtype, privileged } = entry;
    const fields = { id, name, kind, platform, tenant, level, hops, ...(subtype !== undefined ? { subtype } : {}), ...(privileged !== undefined ? { privileged } : {}) };
    const record = table ? { ...fields, witness: table.first[i]!, ...(options.paths === true ? { path: entry.path } : {}) } : { ...fields, path: entry.path };
    yield `${JSON.stringify(record)}${i + 1 < exposed.length ? ',' : ''}\n`;
  }
  yield ']}\n';
}

export function* referenceLateralPathsJsonChunks(result: LateralPaths): Generator<string> {
  const { bridges, ...summary } = result;
  const table = new WitnessTableBuilder();
  // Only the index of each target's last step is kept between the two passes: the rest of its record (the
  // platforms along its path included) is rebuilt from the table while it is written.
  const witness = bridges.map((bridge) => Int32Array.from(bridge.targets, (target) => table.addEntry(target, () => target.path)));
  const head = JSON.stringify(summary);
  yield `${head.slice(0, -1)},\n`;
  yield* witnessChunks(table.steps);
  yield ',\n"bridges": [\n';
  for (let b = 0; b < bridges.length; b++) {
    const { targets, ...rest } = bridges[b]!;
    const bridgeHead = JSON.stringify(rest);
    yield `${bridgeHead.slice(0, -1)},\n"targets": [\n`;
    const last = witness[b]!;
    for (let i = 0; i < targets.length; i++) {
      const { id, name, kind, platform, tenant, level, hops, points, sensitivity, crownJewel } = targets[i]!;
      const record = { id, name, kind, platform, tenant, level, hops, points, sensitivity, crownJewel, platforms: platformsFromTable(table.steps, last[i]!), witness: last[i]! };
      yield `${JSON.stringify(record)}${i + 1 < targets.length ? ',' : ''}\n`;
    }
    yield `]}${b + 1 < bridges.length ? ',' : ''}\n`;
  }
  yield ']}\n';
}

function* eachFinding(report: FindingsInput): Generator<Finding> {
  if (!('groups' in report)) { yield* report.findings; return; }
  for (const group of report.groups) yield* group.findings();
}

/** The report without its findings: instant, thresholds and counts. */
function headOf(report: FindingsInput): Omit<FindingsReport, 'findings'> {
  return { at: report.at, thresholds: report.thresholds, total: report.total, counts: report.counts };
}

export function* referenceFindingsJsonChunks(report: FindingsInput): Generator<string> {
  const crownJewelLists = new Map<readonly string[], number>();
  const relatedLists = new Map<readonly RelatedNode[], number>();
  const intern = <T>(table: Map<T, number>, list: T): number => {
    let index = table.get(list);
    if (index === undefined) table.set(list, index = table.size);
    return index;
  };
  const opening = JSON.stringify(headOf(report));
  yield `${opening.slice(0, -1)},\n"findings": [\n`;
  let written = 0;
  for (const finding of eachFinding(report)) {
    const { privilege, related, ...evidence } = finding.evidence;
    const shown: Record<string, unknown> = { ...evidence };
    if (related.length > RELATED_INLINE) { shown.relatedList = intern(relatedLists, related); shown.relatedCount = related.length; }
    else shown.related = related;
    if (privilege) {
      const { crownJewels, ...rest } = privilege;
      shown.privilege = { ...rest, crownJewelList: intern(crownJewelLists, crownJewels), crownJewelCount: crownJewels.length };
    }
    yield `${JSON.stringify({ ...finding, evidence: referenceReorderEvidence(finding.evidence, shown) })}${++written < report.total ? ',' : ''}\n`;
  }
  yield '],\n"lists": {\n"crownJewels": [\n';
  yield* referenceListLines(crownJewelLists);
  yield '],\n"related": [\n';
  yield* referenceListLines(relatedLists);
  yield ']\n}}\n';
}

/** Keeps the evidence's own key order (summary, dates, related or its reference, scopes, privilege). */
function referenceReorderEvidence(original: FindingEvidence, written: Record<string, unknown>): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of Object.keys(original)) {
    if (key === 'related') {
      if ('related' in written) ordered.related = written.related;
      else { ordered.relatedList = written.relatedList; ordered.relatedCount = written.relatedCount; }
    } else ordered[key] = written[key];
  }
  return ordered;
}

function* referenceListLines<T>(table: ReadonlyMap<T, number>): Generator<string> {
  let i = 0;
  for (const list of table.keys()) yield `${JSON.stringify(list)}${++i < table.size ? ',' : ''}\n`;
}


function referenceExportedNode(node: GraphNode, mark: RadiusMark | undefined): GraphNode {
  const copy: GraphNode = { ...node };
  if (node.properties) copy.properties = { ...node.properties };
  if (mark) {
    copy.properties = {
      ...copy.properties,
      [NATIVE_RADIUS_PROPERTIES.level]: mark.level,
      [NATIVE_RADIUS_PROPERTIES.hops]: mark.hops,
      [NATIVE_RADIUS_PROPERTIES.source]: mark.source,
    };
  }
  return copy;
}

/** `toNativeJson` as text chunks, one node or edge per line; joined, it parses to the same document. */
export function* referenceNativeJsonText(graph: CompactGraph, options: ExportOptions = {}): Generator<string> {
  const selection = selectExport(graph, options);
  yield '{"version":1,"nodes":[';
  let first = true;
  for (const v of selection.nodes) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(referenceExportedNode(graph.nodes[v]!, selection.mark(v)))}`;
    first = false;
  }
  yield '\n],"edges":[';
  first = true;
  for (const e of selection.edges) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(edgeRecord(graph, e))}`;
    first = false;
  }
  yield '\n]}\n';
}

/** NDJSON: every node, then every edge, one JSON object per line. */
export function* referenceNdjsonText(graph: CompactGraph, options: ExportOptions = {}): Generator<string> {
  const selection = selectExport(graph, options);
  for (const v of selection.nodes) yield `${JSON.stringify(referenceExportedNode(graph.nodes[v]!, selection.mark(v)))}\n`;
  for (const e of selection.edges) yield `${JSON.stringify(edgeRecord(graph, e))}\n`;
}

