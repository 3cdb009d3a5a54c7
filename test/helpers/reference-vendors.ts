// The vendor index as first written (a node object read per edge, two key strings per node): the oracle for
// engine/analysis/vendors.ts, which reads typed arrays instead.
import type { CompactGraph } from '../../engine/store/compact.ts';
import { CUSTOMER_PLATFORMS, type Vendor, type VendorIndex } from '../../engine/analysis/vendors.ts';

const tenantKey = (graph: CompactGraph, v: number): string => `${graph.nodes[v]!.platform}:${graph.nodes[v]!.tenant}`;

/** The vendor unit a node belongs to: its tenant when that is a vendor's, else the node itself when it is a vendor's app. */
function unitOf(graph: CompactGraph, units: ReadonlyMap<string, string>, v: number): string | undefined {
  const key = tenantKey(graph, v);
  if (units.has(key)) return key;
  const own = `app:${graph.nodes[v]!.id}`;
  return units.has(own) ? own : undefined;
}

/**
 * A node is the vendor's when (1) it is a third-party App naming its vendor (the vendor's backend, a
 * vendor-owned GitHub App), or its tenant is a vendor's: (2) its Platform node MANAGES something on another
 * platform (a vendor environment holding the secret of an app registered with the customer), or (3) its
 * Platform names a vendor, its platform key is not one a customer administers, and something there holds,
 * manages or keeps a credential or principal of another platform (a vendor's token store). A customer's own
 * tenant of a vendor's SaaS (a support instance, a signing account) keeps nothing of other platforms and
 * stays the customer's. (4) A tenant with no Platform node where a vendor environment MANAGES an identity or a
 * credential is the vendor's own (its cloud project, where its service account lives); an App it manages is
 * its registration with a customer, on the customer's side. Vendor tenants joined by a shared
 * vendor name or a MANAGES edge are one vendor.
 */
export function referenceVendorIndex(graph: CompactGraph): VendorIndex {
  const managesCode = graph.edgeKindNames.indexOf('MANAGES');
  const keeping = new Set(['MANAGES', 'HOLDS', 'CONTAINS_CREDENTIAL', 'STORES_CREDENTIAL'].map((k) => graph.edgeKindNames.indexOf(k)));
  // Tenants where something manages, holds or keeps a principal or credential of another platform.
  const keepsForOthers = new Set<string>();
  const managesForOthers = new Set<string>();
  for (let e = 0; e < graph.edgeCount; e++) {
    const from = graph.nodes[graph.edgeSrc[e]!]!;
    if (!keeping.has(graph.edgeKind[e]!) || graph.nodes[graph.edgeDst[e]!]!.platform === from.platform) continue;
    keepsForOthers.add(`${from.platform}:${from.tenant}`);
    if (graph.edgeKind[e] === managesCode && from.kind === 'Platform') managesForOthers.add(`${from.platform}:${from.tenant}`);
  }
  const vendorTenants = new Map<string, string>();
  graph.nodes.forEach((node, v) => {
    const key = tenantKey(graph, v);
    if (node.kind === 'App' && node.thirdParty === true && node.vendor) vendorTenants.set(`app:${node.id}`, node.vendor);
    if (node.kind !== 'Platform' || !node.vendor) return;
    if (managesForOthers.has(key) || (!CUSTOMER_PLATFORMS.has(node.platform) && keepsForOthers.has(key))) vendorTenants.set(key, node.vendor);
  });
  // (4) What a vendor environment manages on a tenant the graph has no Platform for (the vendor's own cloud
  // project, where its service account lives) is the vendor's too; a tenant with a Platform is a customer's.
  const platformTenants = new Set<string>();
  graph.nodes.forEach((node, v) => { if (node.kind === 'Platform') platformTenants.add(tenantKey(graph, v)); });
  for (let e = 0; e < graph.edgeCount; e++) {
    // Apps are registrations with the customer (an OAuth client, a connected app): those stay the customer's.
    if (graph.edgeKind[e] !== managesCode || graph.nodes[graph.edgeSrc[e]!]!.kind !== 'Platform' || graph.nodes[graph.edgeDst[e]!]!.kind === 'App') continue;
    const label = vendorTenants.get(tenantKey(graph, graph.edgeSrc[e]!));
    const to = tenantKey(graph, graph.edgeDst[e]!);
    if (label !== undefined && !platformTenants.has(to) && !vendorTenants.has(to)) vendorTenants.set(to, label);
  }

  // Union-find over vendor tenants: the same vendor name, or one managing a node of the other.
  const keys = [...vendorTenants.keys()].sort();
  const parent = new Map(keys.map((k) => [k, k]));
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(k, root);
    return root;
  };
  const union = (a: string, b: string) => { const ra = find(a); const rb = find(b); if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb); };
  const byLabel = new Map<string, string>();
  for (const key of keys) {
    const label = vendorTenants.get(key)!.toLowerCase();
    const seen = byLabel.get(label);
    if (seen) union(seen, key);
    else byLabel.set(label, key);
  }
  const vendorSide = new Uint8Array(graph.nodeCount);
  graph.nodes.forEach((_, v) => { if (unitOf(graph, vendorTenants, v) !== undefined) vendorSide[v] = 1; });
  for (let e = 0; e < graph.edgeCount; e++) {
    if (graph.edgeKind[e] !== managesCode) continue;
    const a = graph.edgeSrc[e]!;
    const b = graph.edgeDst[e]!;
    if (vendorSide[a] === 1 && vendorSide[b] === 1) union(unitOf(graph, vendorTenants, a)!, unitOf(graph, vendorTenants, b)!);
  }

  const vendors: Vendor[] = [];
  const vendorByRoot = new Map<string, number>();
  for (const key of keys) {
    const root = find(key);
    let i = vendorByRoot.get(root);
    if (i === undefined) {
      i = vendors.length;
      vendorByRoot.set(root, i);
      vendors.push({ label: vendorTenants.get(root)!, tenants: [], nodes: [], registrations: [] });
    }
    vendors[i]!.tenants.push(key);
  }
  const vendorOf = new Int32Array(graph.nodeCount).fill(-1);
  const named = new Uint8Array(vendors.length);
  graph.nodes.forEach((node, v) => {
    if (vendorSide[v] !== 1) return;
    const i = vendorByRoot.get(find(unitOf(graph, vendorTenants, v)!))!;
    vendorOf[v] = i;
    vendors[i]!.nodes.push(v);
    // A Platform's vendor name is the best label (an App's vendor is often a slug).
    if (node.kind === 'Platform' && node.vendor && named[i] === 0) {
      vendors[i]!.label = node.vendor;
      named[i] = 1;
    }
  });
  for (let e = 0; e < graph.edgeCount; e++) {
    if (graph.edgeKind[e] !== managesCode) continue;
    const a = graph.edgeSrc[e]!;
    const b = graph.edgeDst[e]!;
    if (vendorSide[a] === 1 && vendorSide[b] === 0 && graph.nodes[b]!.kind === 'App') {
      const i = vendorOf[a]!;
      if (!vendors[i]!.registrations.includes(b)) vendors[i]!.registrations.push(b);
      if (vendorOf[b] === -1) vendorOf[b] = i;
    }
  }
  return { vendorSide, vendorOf, vendors };
}
