// Node and edge counts of the demo workspace per source, as datasets/demo/README.md's table gives them.
import { loadWorkspace } from './cli/workspace.ts';
import { toFragment } from './engine/store/compact.ts';
const root = process.argv[2] ?? 'datasets/demo';
const { graph } = loadWorkspace(root);
const f = toFragment(graph);
const nodes = new Map<string, number>(); const edges = new Map<string, number>();
for (const n of f.nodes) nodes.set(n.source ?? '?', (nodes.get(n.source ?? '?') ?? 0) + 1);
for (const e of f.edges) edges.set(e.source ?? '?', (edges.get(e.source ?? '?') ?? 0) + 1);
for (const s of [...new Set([...nodes.keys(), ...edges.keys()])].sort()) console.log(s, nodes.get(s) ?? 0, edges.get(s) ?? 0);
console.log('total', f.nodes.length, f.edges.length, 'platforms', new Set(f.nodes.map((n) => n.platform)).size);
