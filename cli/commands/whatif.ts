// `blastmap whatif <source...>`: the blast radius with mitigations applied (revoke, disable, remove an edge
// or a scope, from flags or a mitigations file) and what changes. The stored graph is never modified.
import type { Command } from 'commander';
import { readYaml, withLines } from '../../engine/format/yaml.ts';
import { parseMitigations, parseRemoveScope, type Mitigation } from '../../engine/analysis/mitigations.ts';
import { whatIf } from '../../engine/analysis/whatif.ts';
import { BlastmapError } from '../../engine/errors.ts';
import { renderWhatIfMarkdown, renderWhatIfText, whatIfJsonParts } from '../../engine/report/whatif.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { resolveNode } from '../../engine/store/lookup.ts';
import { inputName, parseFormat, readInputText, writeJson, type Io } from '../context.ts';
import { loadGraph } from '../load-graph.ts';
import { addReachOptions, toReachOptions, type ReachFlags } from '../reach-options.ts';

interface WhatIfFlags extends ReachFlags {
  graph?: string;
  format?: string;
  all?: boolean;
  revoke: string[];
  disable: string[];
  removeEdge: string[];
  removeScope: string[];
  mitigations?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Reads a YAML or JSON mitigations file; invalid files fail with every issue and its line. */
export function readMitigationsFile(file: string): Mitigation[] {
  let text: string;
  try {
    text = readInputText(file);
  } catch (error) {
    throw new BlastmapError('IO', `cannot read ${inputName(file)}: ${(error as Error).message}`, { cause: error });
  }
  file = inputName(file);
  const read = readYaml(text, { file, what: 'a YAML or JSON mitigations document' });
  if (!read.ok) throw new BlastmapError('INVALID_INPUT', `${file} is not a valid mitigations file`, { issues: read.issues });
  const result = parseMitigations(read.value, file);
  if (result.ok) return result.value;
  const issues = withLines(result.issues, read.lineAt);
  throw new BlastmapError('INVALID_INPUT', `${issues.length} problem${issues.length === 1 ? '' : 's'} in ${file}; nothing was analysed`, { issues });
}

/** Mitigations from a file first, then from flags (in the order of the flag kinds). */
export function mitigationsFromFlags(graph: CompactGraph, flags: WhatIfFlags): Mitigation[] {
  const list: Mitigation[] = flags.mitigations ? readMitigationsFile(flags.mitigations) : [];
  for (const revoke of flags.revoke) list.push({ revoke });
  for (const disable of flags.disable) list.push({ disable });
  for (const removeEdge of flags.removeEdge) list.push({ removeEdge });
  for (const text of flags.removeScope) list.push({ removeScope: parseRemoveScope(graph, text) });
  return list;
}

export function registerWhatIf(program: Command, io: Io): void {
  const command = program
    .command('whatif')
    .description('blast radius of compromised nodes with mitigations applied, and what changes (nothing is written)')
    .argument('<sources...>', 'compromised node ids or exact names (several = one attacker holding all of them)')
    .option('--revoke <credential>', 'treat this Credential as revoked (repeatable)', collect, [])
    .option('--disable <node>', 'treat this node (App, Identity, Group, Role, Credential, Platform, Resource) as disabled (repeatable)', collect, [])
    .option('--remove-edge <id>', 'treat this edge as absent; ids as shown in JSON output `edgeId` (repeatable)', collect, [])
    .option('--remove-scope <grant:scope>', 'remove a scope from a grant: edges left with no scope are dropped (repeatable)', collect, [])
    .option('-m, --mitigations <file>', 'YAML or JSON mitigations file (docs/cli/whatif.md)')
    .option('-g, --graph <snapshot|file|folder>', 'graph to analyse (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('-f, --format <format>', 'text, json or markdown', 'text')
    .option('--all', 'list every changed node in the text report');
  addReachOptions(command).action(async (sources: string[], flags: WhatIfFlags) => {
    const format = parseFormat(flags.format, ['text', 'json', 'markdown']);
    const options = toReachOptions(flags);
    const graph = await loadGraph(flags.graph);
    const sourceIndices = sources.map((reference) => resolveNode(graph, reference));
    const mitigations = mitigationsFromFlags(graph, flags);
    if (mitigations.length === 0) {
      throw new BlastmapError('INVALID_OPTION', 'whatif: no mitigation given; use --revoke, --disable, --remove-edge, --remove-scope or --mitigations <file>');
    }
    const result = whatIf(graph, sourceIndices, mitigations, options);
    if (format === 'json') writeJson(io, (out) => whatIfJsonParts(result, out));
    else if (format === 'markdown') io.out(renderWhatIfMarkdown(result));
    else io.out(renderWhatIfText(result, { style: io.color, limit: flags.all ? Infinity : 20 }));
  });
}
