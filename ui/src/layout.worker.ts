// ForceAtlas2 in a web worker (a module file served from the app's own origin, so the CSP allows it),
// started from the deterministic placement and reporting positions in batches so the view can follow.
import { UndirectedGraph } from 'graphology';
import forceAtlas2Module from 'graphology-layout-forceatlas2';

// A CommonJS package: bundlers hand over module.exports, TypeScript's NodeNext typing sees it under `default`.
type ForceAtlas2 = typeof forceAtlas2Module.default;
const forceAtlas2: ForceAtlas2 = (forceAtlas2Module as unknown as { default?: ForceAtlas2 }).default ?? (forceAtlas2Module as unknown as ForceAtlas2);

export interface LayoutRequest {
  nodes: { key: string; x: number; y: number; size: number }[];
  edges: [source: string, target: string][];
  iterations: number;
  barnesHut: boolean;
}

export type LayoutMessage =
  | { type: 'progress'; done: number; positions: Float64Array }
  | { type: 'done'; positions: Float64Array };

const BATCH = 25;

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const { nodes, edges, iterations, barnesHut } = event.data;
  const graph = new UndirectedGraph({ allowSelfLoops: false });
  for (const node of nodes) graph.addNode(node.key, { x: node.x, y: node.y, size: node.size });
  for (const [source, target] of edges) if (source !== target && !graph.hasEdge(source, target)) graph.addEdge(source, target);
  const settings = { ...forceAtlas2.inferSettings(graph), barnesHutOptimize: barnesHut, adjustSizes: false, linLogMode: true, gravity: 0.5, scalingRatio: 2, slowDown: 2 };
  const positions = () => {
    const out = new Float64Array(nodes.length * 2);
    nodes.forEach((node, i) => {
      const attributes = graph.getNodeAttributes(node.key);
      out[2 * i] = attributes.x as number;
      out[2 * i + 1] = attributes.y as number;
    });
    return out;
  };
  for (let done = 0; done < iterations; ) {
    const step = Math.min(BATCH, iterations - done);
    forceAtlas2.assign(graph, { iterations: step, settings });
    done += step;
    if (done < iterations) {
      const batch = positions();
      (self as unknown as Worker).postMessage({ type: 'progress', done, positions: batch } satisfies LayoutMessage, [batch.buffer]);
    }
  }
  const final = positions();
  (self as unknown as Worker).postMessage({ type: 'done', positions: final } satisfies LayoutMessage, [final.buffer]);
};
