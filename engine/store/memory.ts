// The embedded default store: a GraphStore over a CompactGraph held in this process.
import type { GraphEdge, GraphNode } from '../format/native.ts';
import { identifiesCredential } from '../identifiers.ts';
import { edgeRecord, type CompactGraph } from './compact.ts';
import type { ExpandRequest, GraphStore, NodeQuery } from './types.ts';

export class MemoryStore implements GraphStore {
  readonly name = 'memory' as const;
  readonly graph: CompactGraph;

  constructor(graph: CompactGraph) {
    this.graph = graph;
  }

  get schema() {
    return this.graph.schema;
  }

  async counts() {
    return { nodes: this.graph.nodeCount, edges: this.graph.edgeCount };
  }

  async getNodes(ids: readonly string[]) {
    return ids.map((id) => {
      const v = this.graph.indexOf.get(id);
      return v === undefined ? undefined : this.graph.nodes[v];
    });
  }

  async findNodes(query: NodeQuery) {
    const text = query.text?.toLowerCase();
    const out: GraphNode[] = [];
    for (const node of this.graph.nodes) {
      if (query.kind !== undefined && node.kind !== query.kind) continue;
      if (query.platform !== undefined && node.platform !== query.platform) continue;
      if (text !== undefined && !node.id.toLowerCase().includes(text) && !node.name.toLowerCase().includes(text) && !identifiesCredential(node.fingerprint, query.text!)) continue;
      out.push(node);
      if (query.limit !== undefined && out.length >= query.limit) break;
    }
    return out;
  }

  async expand(request: ExpandRequest) {
    const { graph } = this;
    const kinds = request.edgeKinds ? new Set(request.edgeKinds) : undefined;
    const out: GraphEdge[] = [];
    for (const id of request.ids) {
      const v = graph.indexOf.get(id);
      if (v === undefined) continue;
      if (request.direction === 'out') {
        for (let e = graph.fwdOffsets[v]!; e < graph.fwdOffsets[v + 1]!; e++) {
          if (!kinds || kinds.has(graph.edgeKindNames[graph.edgeKind[e]!]!)) out.push(edgeRecord(graph, e));
        }
      } else {
        for (let i = graph.revOffsets[v]!; i < graph.revOffsets[v + 1]!; i++) {
          const e = graph.revEdges[i]!;
          if (!kinds || kinds.has(graph.edgeKindNames[graph.edgeKind[e]!]!)) out.push(edgeRecord(graph, e));
        }
      }
    }
    return out;
  }

  async *nodes() {
    yield* this.graph.nodes;
  }

  async *edges() {
    for (let e = 0; e < this.graph.edgeCount; e++) yield edgeRecord(this.graph, e);
  }

  async compile() {
    return this.graph;
  }
}
