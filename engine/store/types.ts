// GraphStore: the narrow interface every store implements (memory now, Neo4j later). Analyses either run
// on a compiled in-memory graph, or expand frontiers through this interface one hop at a time.
import type { GraphEdge, GraphNode } from '../format/native.ts';
import type { Schema } from '../schema/index.ts';
import type { CompactGraph } from './compact.ts';

export interface NodeQuery {
  /** Case-insensitive substring of the id or name. */
  text?: string;
  kind?: string;
  platform?: string;
  limit?: number;
}

export interface ExpandRequest {
  /** Ids of the frontier nodes. */
  ids: readonly string[];
  direction: 'out' | 'in';
  /** Only edges of these kinds (default all). */
  edgeKinds?: readonly string[];
}

export interface GraphStore {
  readonly name: 'memory' | 'neo4j';
  readonly schema: Schema;
  counts(): Promise<{ nodes: number; edges: number }>;
  /** Nodes by id, in the order asked; undefined where there is none. */
  getNodes(ids: readonly string[]): Promise<(GraphNode | undefined)[]>;
  findNodes(query: NodeQuery): Promise<GraphNode[]>;
  /** Every edge leaving (or entering) the frontier, in a deterministic order. */
  expand(request: ExpandRequest): Promise<GraphEdge[]>;
  nodes(): AsyncIterable<GraphNode>;
  edges(): AsyncIterable<GraphEdge>;
  /** The whole graph compiled in memory, for the analyses that need random access. */
  compile(): Promise<CompactGraph>;
}
