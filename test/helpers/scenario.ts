// Scenario graphs with named handles: tests say `h.drift`, `h.cases` instead of indices or long ids.
import type { GraphEdge, GraphNode } from '../../engine/format/native.ts';
import { DEFAULT_SCHEMA, type Schema } from '../../engine/schema/index.ts';
import { buildGraph, type CompactGraph } from '../../engine/store/compact.ts';

type NodeProps = Partial<Omit<GraphNode, 'id' | 'kind'>>;
type EdgeProps = Partial<Omit<GraphEdge, 'kind' | 'from' | 'to'>>;

export interface Scenario {
  graph: CompactGraph;
  /** Node id of a handle. */
  id: (handle: string) => string;
  /** Node index of a handle. */
  ix: (handle: string) => number;
  /** Handle of a node index (for readable assertions). */
  handleOf: (index: number) => string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export class ScenarioBuilder {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  private readonly ids = new Map<string, string>();

  node(handle: string, kind: string, props: NodeProps = {}): string {
    if (this.ids.has(handle)) throw new Error(`scenario: handle ${handle} used twice`);
    const platform = props.platform ?? 'test';
    const tenant = props.tenant ?? 't';
    const id = `${platform}:${tenant}:${kind.toLowerCase()}:${handle}`;
    this.ids.set(handle, id);
    const node: GraphNode = { id, kind, name: props.name ?? handle, platform, tenant, ...props } as GraphNode;
    if (kind === 'Credential' && node.type === undefined) node.type = 'api-key';
    this.nodes.push(node);
    return handle;
  }

  platform(handle: string, props: NodeProps = {}) { return this.node(handle, 'Platform', props); }
  app(handle: string, props: NodeProps = {}) { return this.node(handle, 'App', props); }
  identity(handle: string, props: NodeProps = {}) { return this.node(handle, 'Identity', props); }
  group(handle: string, props: NodeProps = {}) { return this.node(handle, 'Group', props); }
  role(handle: string, props: NodeProps = {}) { return this.node(handle, 'Role', props); }
  credential(handle: string, props: NodeProps = {}) { return this.node(handle, 'Credential', props); }
  resource(handle: string, props: NodeProps = {}) { return this.node(handle, 'Resource', props); }

  edge(kind: string, from: string, to: string, props: EdgeProps = {}): this {
    this.edges.push({ kind, from: this.idOf(from), to: this.idOf(to), ...props } as GraphEdge);
    return this;
  }

  idOf(handle: string): string {
    const id = this.ids.get(handle);
    if (!id) throw new Error(`scenario: unknown handle ${handle}`);
    return id;
  }

  build(schema: Schema = DEFAULT_SCHEMA): Scenario {
    const graph = buildGraph({ nodes: this.nodes, edges: this.edges }, schema);
    const byIndex = new Map<number, string>();
    for (const [handle, id] of this.ids) byIndex.set(graph.indexOf.get(id)!, handle);
    return {
      graph,
      id: (handle) => this.idOf(handle),
      ix: (handle) => graph.indexOf.get(this.idOf(handle))!,
      handleOf: (index) => byIndex.get(index) ?? `#${index}`,
      nodes: this.nodes,
      edges: this.edges,
    };
  }
}

export function scenario(define: (s: ScenarioBuilder) => void, schema?: Schema): Scenario {
  const builder = new ScenarioBuilder();
  define(builder);
  return builder.build(schema);
}

/** A Drift-like chain used across tests: vendor app -> CRM token -> cases -> cloud key -> crown-jewel bucket. */
export function driftScenario(): Scenario {
  return scenario((s) => {
    s.platform('vendor', { platform: 'chatvendor', tenant: 'prod' });
    s.app('drift', { platform: 'chatvendor', tenant: 'prod', thirdParty: true });
    s.credential('sfToken', { platform: 'salesforce', tenant: 'acme', type: 'refresh-token' });
    s.credential('mailGrant', { platform: 'google', tenant: 'acme.com', type: 'oauth-grant' });
    s.resource('cases', { platform: 'salesforce', tenant: 'acme', tags: ['pii'] });
    s.resource('case1', { platform: 'salesforce', tenant: 'acme' });
    s.resource('mailbox', { platform: 'google', tenant: 'acme.com', tags: ['pii'] });
    s.credential('awsKey', { platform: 'aws', tenant: '111', type: 'api-key' });
    s.identity('awsUser', { platform: 'aws', tenant: '111', subtype: 'service' });
    s.resource('bucket', { platform: 'aws', tenant: '111', tags: ['crown-jewel'] });
    s.credential('oldKey', { platform: 'aws', tenant: '111', type: 'api-key', revoked: true, revokedAt: '2025-01-01T00:00:00.000Z' });
    s.edge('MANAGES', 'vendor', 'drift')
      .edge('HOLDS', 'drift', 'sfToken')
      .edge('HOLDS', 'drift', 'mailGrant')
      .edge('CAN_READ', 'sfToken', 'cases', { scopes: ['api'], grant: s.idOf('sfToken') })
      .edge('CAN_READ', 'mailGrant', 'mailbox', { scopes: ['https://www.googleapis.com/auth/gmail.readonly'] })
      .edge('CONTAINS', 'cases', 'case1')
      .edge('CONTAINS_CREDENTIAL', 'case1', 'awsKey')
      .edge('CONTAINS_CREDENTIAL', 'case1', 'oldKey')
      .edge('AUTHENTICATES_AS', 'awsKey', 'awsUser')
      .edge('CAN_WRITE', 'awsUser', 'bucket');
  });
}
