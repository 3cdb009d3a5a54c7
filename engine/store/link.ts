// Linking across platforms. An importer that knows another platform's object only by a key (an Okta app
// assignment knows the Google account by email; a token list knows an app by OAuth client id) points at a
// reference stub `<platform>:*:<kind>:<key>`. When the graph is assembled, each stub that matches exactly one
// real node of that platform and kind (by email, login, client id or native id) is replaced by it.
import type { Fragment, GraphEdge, GraphNode } from '../format/native.ts';

export const STUB_TENANT = '*';

/** Id of a reference stub: resolved later to the real node whose key matches. */
export function stubId(platform: string, kind: string, key: string): string {
  return `${platform.toLowerCase()}:${STUB_TENANT}:${kind.toLowerCase()}:${key.toLowerCase()}`;
}

/** A stub node to put next to an edge that points at it, so the edge never dangles. */
export function stubNode(platform: string, kind: string, key: string, name = key, source?: string): GraphNode {
  const node: GraphNode = { id: stubId(platform, kind, key), kind, name, platform: platform.toLowerCase(), tenant: STUB_TENANT, properties: { stub: true, key: key.toLowerCase() } } as GraphNode;
  if (kind === 'Credential') node.type = 'api-key';
  if (source !== undefined) node.source = source;
  return node;
}

export const isStub = (node: GraphNode): boolean => node.tenant === STUB_TENANT;

/** Keys a real node answers to: email, login, client id, and the native part of its id, lower-cased. */
function keysOf(node: GraphNode): string[] {
  const keys = [node.id.slice(node.id.indexOf(':', node.id.indexOf(':', node.id.indexOf(':') + 1) + 1) + 1)];
  if (node.email) keys.push(node.email);
  for (const name of ['login', 'clientId', 'userName', 'upn', 'appId']) {
    const value = node.properties?.[name];
    if (typeof value === 'string') keys.push(value);
  }
  return [...new Set(keys.map((k) => k.toLowerCase()))];
}

export interface LinkReport {
  resolved: number;
  /** Stubs that matched nothing yet (the other platform is not imported) or several nodes. */
  unresolved: { id: string; candidates: number }[];
}

/**
 * Replaces every stub that matches exactly one real node by that node, rewriting edges. Unresolved stubs stay
 * (a later import of the other platform resolves them). Pure; returns a new fragment.
 */
export function resolveStubs(fragment: Fragment): { fragment: Fragment; report: LinkReport } {
  const stubs = fragment.nodes.filter(isStub);
  if (stubs.length === 0) return { fragment, report: { resolved: 0, unresolved: [] } };
  const index = new Map<string, GraphNode[]>();
  for (const node of fragment.nodes) {
    if (isStub(node)) continue;
    for (const key of keysOf(node)) {
      const bucket = `${node.platform}|${node.kind}|${key}`;
      index.set(bucket, [...(index.get(bucket) ?? []), node]);
    }
  }
  const target = new Map<string, string>();
  const unresolved: LinkReport['unresolved'] = [];
  for (const stub of stubs) {
    const key = String(stub.properties?.key ?? stub.id.slice(stub.id.lastIndexOf(':') + 1));
    const matches = index.get(`${stub.platform}|${stub.kind}|${key}`) ?? [];
    if (matches.length === 1) target.set(stub.id, matches[0]!.id);
    else unresolved.push({ id: stub.id, candidates: matches.length });
  }
  if (target.size === 0) return { fragment, report: { resolved: 0, unresolved } };
  const rewrite = (id: string): string => target.get(id) ?? id;
  const edges: GraphEdge[] = fragment.edges.map((edge) => (target.has(edge.from) || target.has(edge.to) ? { ...edge, from: rewrite(edge.from), to: rewrite(edge.to) } : edge));
  return { fragment: { nodes: fragment.nodes.filter((node) => !target.has(node.id)), edges }, report: { resolved: target.size, unresolved } };
}
