// What an exported image says about itself: title, date, source graph, instant, filters, enforced controls,
// applied what-ifs and whether it is a what-if at all. Pure: the renderer draws these lines above the graph.
import { mitigationLabel } from './format.ts';
import type { Mitigation } from './wire.ts';

export interface ExportInputs {
  /** Names of the compromised sources (empty: the overview). */
  sources: readonly string[];
  target?: string | undefined;
  at: string | undefined;
  now: Date;
  graph: { nodes: number; edges: number };
  hiddenEdgeKinds: readonly string[];
  platforms: readonly string[];
  kinds: readonly string[];
  enforced: readonly string[];
  mitigations: readonly Mitigation[];
  /** The map's sentence about what is aggregated, when a map is drawn. */
  aggregation?: string | undefined;
  url: string;
}

export interface ExportContext {
  title: string;
  lines: string[];
}

export function exportContext(inputs: ExportInputs): ExportContext {
  const whatIf = inputs.mitigations.length > 0;
  const subject = inputs.target !== undefined ? `Exposure of ${inputs.target}` : inputs.sources.length > 0 ? `Blast radius of ${inputs.sources.join(', ')}` : 'Graph overview';
  const title = `${whatIf ? 'WHAT-IF — ' : ''}${subject}`;
  const lines = [
    `blastmap · exported ${inputs.now.toISOString().replace('T', ' ').slice(0, 16)} UTC · graph of ${inputs.graph.nodes.toLocaleString('en-US')} nodes, ${inputs.graph.edges.toLocaleString('en-US')} edges · ${inputs.url}`,
    `As of ${inputs.at ?? `${inputs.now.toISOString().slice(0, 10)} (now)`} · filters: ${[
      inputs.hiddenEdgeKinds.length > 0 ? `edge kinds hidden and left out of the analysis: ${inputs.hiddenEdgeKinds.join(', ')}` : '',
      inputs.platforms.length > 0 ? `platforms ${inputs.platforms.join(', ')}` : '',
      inputs.kinds.length > 0 ? `kinds ${inputs.kinds.join(', ')}` : '',
    ].filter(Boolean).join('; ') || 'none'} · enforced controls: ${inputs.enforced.length > 0 ? inputs.enforced.join(', ') : 'none'}`,
  ];
  if (whatIf) lines.push(`What-if (not the real radius): ${inputs.mitigations.map((item) => mitigationLabel(item)).join('; ')}`);
  if (inputs.aggregation) lines.push(inputs.aggregation);
  return { title, lines };
}
