// What the web UI's HTML report says about itself before the radius: title (a what-if says it is one), the
// date it was made, the graph, the instant, the filters and enforced controls, the applied what-ifs by name,
// the real radius a what-if is compared with, and the legend of levels. Pure string building, escaped.
import { escapeHtml } from '../../engine/report/html.ts';
import type { Mitigation } from '../../engine/analysis/mitigations.ts';

export interface ReportContext {
  sources: readonly string[];
  graph: { nodes: number; edges: number };
  at: string;
  made: Date;
  maxDepth?: number | undefined;
  edgeKinds?: readonly string[] | undefined;
  excludeEdgeKinds?: readonly string[] | undefined;
  enforce?: readonly string[] | undefined;
  mitigations: readonly Mitigation[];
  /** The radius without the mitigations, for a what-if. */
  real?: { score: number; reached: number } | undefined;
  /** A node's name by id, so a cut reads by name rather than by raw id. */
  nameOf?: ((id: string) => string | undefined) | undefined;
}

function mitigationName(item: Mitigation, nameOf: (id: string) => string | undefined): string {
  if (item.description) return item.description;
  const named = (id: string) => nameOf(id) ?? id;
  if ('revoke' in item) return `revoke ${named(item.revoke)}`;
  if ('disable' in item) return `disable ${named(item.disable)}`;
  if ('removeEdge' in item) return `remove edge ${item.removeEdge}`;
  return `remove scope ${item.removeScope.scope} from ${named(item.removeScope.grant)}`;
}

export function reportTitle(context: Pick<ReportContext, 'sources' | 'mitigations'>): string {
  return `${context.mitigations.length > 0 ? 'WHAT-IF — ' : ''}blastmap: blast radius of ${context.sources.join(', ')}`;
}

export function reportContextHtml(context: ReportContext): string {
  const filters = [
    context.edgeKinds?.length ? `only edge kinds ${context.edgeKinds.join(', ')}` : '',
    context.excludeEdgeKinds?.length ? `edge kinds left out: ${context.excludeEdgeKinds.join(', ')}` : '',
    context.maxDepth !== undefined ? `at most ${context.maxDepth} hops` : '',
  ].filter(Boolean);
  const rows: [string, string][] = [
    ['made', `${context.made.toISOString().replace('T', ' ').slice(0, 16)} UTC by the blastmap web UI`],
    ['source', `${context.sources.join(', ')} in a graph of ${context.graph.nodes.toLocaleString('en-US')} nodes, ${context.graph.edges.toLocaleString('en-US')} edges`],
    ['as of', context.at],
    ['filters', filters.length > 0 ? filters.join('; ') : 'none'],
    ['enforced controls', context.enforce?.length ? context.enforce.join(', ') : 'none'],
    ['what-ifs applied', context.mitigations.length > 0 ? context.mitigations.map((item) => mitigationName(item, context.nameOf ?? (() => undefined))).join('; ') : 'none: this is the radius as the graph stands'],
    ['legend', 'levels: ADMIN (full control), WRITE, READ; ★ crown jewel'],
  ];
  const out: string[] = ['<section class="context">'];
  if (context.mitigations.length > 0) {
    out.push(`<p><b>This is a what-if.</b> The radius below assumes the mitigations listed; it is not the current exposure.${context.real ? ` As the graph stands the radius reaches ${context.real.reached} nodes for a score of ${Math.round(context.real.score * 100) / 100}.` : ''}</p>`);
  }
  out.push('<table>', ...rows.map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`), '</table></section>');
  return out.join('\n');
}
