// Exports of the graph to other tools: BloodHound OpenGraph (+ its extension schema), GEXF, GraphML, native JSON
// and NDJSON, of the whole graph or of a radius subgraph. Pure: every function returns text or values.
export * from './select.ts';
export * from './opengraph.ts';
export * from './native.ts';
export * from './graph-formats.ts';
