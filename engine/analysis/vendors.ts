// Which tenants are a vendor's side of an integration (its production environment, its app registration) and
// which vendor each belongs to: a customer's responder cannot act there, only on what the vendor was given.
import type { CompactGraph } from '../store/compact.ts';

/**
 * Platform keys of systems a customer administers itself (it owns the tenant): a Platform node on one of
 * these is the customer's even when it names its vendor (`vendor: Salesforce`). Other platform keys with a
 * `vendor` are hand-written vendor environments (parley, drift, tackle-ci, heroku ...).
 */
export const CUSTOMER_PLATFORMS: ReadonlySet<string> = new Set([
  'atlassian', 'atlassian-server', 'aws', 'aws-sso', 'azure', 'bitbucket', 'confluence', 'entra', 'gcp', 'github',
  'gitlab', 'google-workspace', 'jira', 'microsoft-365', 'npm', 'okta', 'salesforce', 'slack', 'snowflake',
]);

export interface Vendor {
  /** The vendor's name (a Platform's or an App's `vendor`), or its environment's platform key. */
  label: string;
  /** `platform:tenant` keys of the vendor's own tenants, and `app:<id>` for a vendor's app registered elsewhere. */
  tenants: string[];
  /** Nodes on those tenants. */
  nodes: number[];
  /** Customer-side nodes the vendor's environment MANAGES (its app registrations in the customer's tenants). */
  registrations: number[];
}

export interface VendorIndex {
  /** Per node: 1 when it sits on a vendor's tenant, where the customer cannot act. */
  vendorSide: Uint8Array;
  /** Per node: index into `vendors` of the vendor it belongs to (its tenant's, or the one that manages it), -1 if none. */
  vendorOf: Int32Array;
  vendors: Vendor[];
}

const tenantKey = (graph: CompactGraph, v: number): string => `${graph.nodes[v]!.platform}:${graph.nodes[v]!.tenant}`;

/** Each node's `platform:tenant` as a small number (one key string per tenant, not one per node and edge). */
function tenantCodes(graph: CompactGraph): { tenantOf: Int32Array; keys: string[] } {
  const tenantOf = new Int32Array(graph.nodeCount);
  // By platform, then by tenant: the two strings are the records' own (their hashes kept), where a
  // `platform:tenant` string built per node was hashed afresh a million times.
  const codes = new Map<string, Map<string | undefined, number>>();
  const byKey = new Map<string, number>();
  const keys: string[] = [];
  const { nodes } = graph;
  for (let v = 0; v < graph.nodeCount; v++) {
    const node = nodes[v]!;
    let byTenant = codes.get(node.platform);
    if (byTenant === undefined) { byTenant = new Map(); codes.set(node.platform, byTenant); }
    let code = byTenant.get(node.tenant);
    if (code === undefined) {
      // Two pairs can spell one key (a ':' in a platform or tenant): the key decides, as before.
      const key = tenantKey(graph, v);
      code = byKey.get(key);
      if (code === undefined) { code = keys.length; byKey.set(key, code); keys.push(key); }
      byTenant.set(node.tenant, code);
    }
    tenantOf[v] = code;
  }
  return { tenantOf, keys };
}

const cache = new WeakMap<CompactGraph, VendorIndex>();

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
 *
 * The passes over every edge read typed arrays (tenant and platform codes per node), not node objects: at a
 * million nodes and 8M edges that is most of the cost. test/engine/analysis/vendors.test.ts keeps it equal to
 * the first version (test/helpers/reference-vendors.ts).
 */
export function vendorIndex(graph: CompactGraph): VendorIndex {
  const cached = cache.get(graph);
  if (cached) return cached;
  const managesCode = graph.edgeKindNames.indexOf('MANAGES');
  const platformKind = graph.nodeKindNames.indexOf('Platform');
  const appKind = graph.nodeKindNames.indexOf('App');
  const keeping = new Uint8Array(graph.edgeKindNames.length);
  for (const name of ['MANAGES', 'HOLDS', 'CONTAINS_CREDENTIAL', 'STORES_CREDENTIAL']) { const code = graph.edgeKindNames.indexOf(name); if (code >= 0) keeping[code] = 1; }
  const { tenantOf, keys: tenantKeys } = tenantCodes(graph);
  const platformCodes = new Map<string, number>();
  const platformOf = new Int32Array(graph.nodeCount);
  graph.nodes.forEach((node, v) => {
    let code = platformCodes.get(node.platform);
    if (code === undefined) platformCodes.set(node.platform, (code = platformCodes.size));
    platformOf[v] = code;
  });
  const { edgeSrc, edgeDst, edgeKind, nodeKind } = graph;
  // Tenants where something manages, holds or keeps a principal or credential of another platform.
  const keepsForOthers = new Uint8Array(tenantKeys.length);
  const managesForOthers = new Uint8Array(tenantKeys.length);
  for (let e = 0; e < graph.edgeCount; e++) {
    const from = edgeSrc[e]!;
    if (keeping[edgeKind[e]!] === 0 || platformOf[edgeDst[e]!] === platformOf[from]) continue;
    keepsForOthers[tenantOf[from]!] = 1;
    if (edgeKind[e] === managesCode && nodeKind[from] === platformKind) managesForOthers[tenantOf[from]!] = 1;
  }
  const vendorTenants = new Map<string, string>();
  const platformTenants = new Uint8Array(tenantKeys.length);
  graph.nodes.forEach((node, v) => {
    if (node.kind === 'App' && node.thirdParty === true && node.vendor) vendorTenants.set(`app:${node.id}`, node.vendor);
    if (node.kind !== 'Platform') return;
    const code = tenantOf[v]!;
    platformTenants[code] = 1;
    if (!node.vendor) return;
    if (managesForOthers[code] === 1 || (!CUSTOMER_PLATFORMS.has(node.platform) && keepsForOthers[code] === 1)) vendorTenants.set(tenantKeys[code]!, node.vendor);
  });
  // (4) What a vendor environment manages on a tenant the graph has no Platform for (the vendor's own cloud
  // project, where its service account lives) is the vendor's too; a tenant with a Platform is a customer's.
  for (let e = 0; e < graph.edgeCount; e++) {
    // Apps are registrations with the customer (an OAuth client, a connected app): those stay the customer's.
    if (edgeKind[e] !== managesCode || nodeKind[edgeSrc[e]!] !== platformKind || nodeKind[edgeDst[e]!] === appKind) continue;
    const label = vendorTenants.get(tenantKeys[tenantOf[edgeSrc[e]!]!]!);
    const code = tenantOf[edgeDst[e]!]!;
    const to = tenantKeys[code]!;
    if (label !== undefined && platformTenants[code] === 0 && !vendorTenants.has(to)) vendorTenants.set(to, label);
  }
  // The vendor unit a node belongs to: its tenant when that is a vendor's, else the node itself when it is a
  // vendor's app (`app:<id>`). Decided per tenant and per listed app instead of a lookup of two strings per node.
  const tenantUnit = new Uint8Array(tenantKeys.length);
  tenantKeys.forEach((key, code) => { if (vendorTenants.has(key)) tenantUnit[code] = 1; });
  const appUnit = new Uint8Array(graph.nodeCount);
  for (const key of vendorTenants.keys()) {
    if (!key.startsWith('app:')) continue;
    const v = graph.indexOf.get(key.slice(4));
    if (v !== undefined) appUnit[v] = 1;
  }
  const unitOf = (v: number): string | undefined =>
    tenantUnit[tenantOf[v]!] === 1 ? tenantKeys[tenantOf[v]!]! : appUnit[v] === 1 ? `app:${graph.nodes[v]!.id}` : undefined;

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
  for (let v = 0; v < graph.nodeCount; v++) if (tenantUnit[tenantOf[v]!] === 1 || appUnit[v] === 1) vendorSide[v] = 1;
  for (let e = 0; e < graph.edgeCount; e++) {
    if (edgeKind[e] !== managesCode) continue;
    const a = edgeSrc[e]!;
    const b = edgeDst[e]!;
    if (vendorSide[a] === 1 && vendorSide[b] === 1) union(unitOf(a)!, unitOf(b)!);
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
  // The vendor of a node on a vendor's tenant, found once per tenant (a vendor's tenants hold most of its nodes).
  const vendorOfTenant = new Int32Array(tenantKeys.length).fill(-1);
  graph.nodes.forEach((node, v) => {
    if (vendorSide[v] !== 1) return;
    const tenant = tenantOf[v]!;
    let i: number;
    if (tenantUnit[tenant] === 1) {
      if (vendorOfTenant[tenant] === -1) vendorOfTenant[tenant] = vendorByRoot.get(find(tenantKeys[tenant]!))!;
      i = vendorOfTenant[tenant]!;
    } else i = vendorByRoot.get(find(unitOf(v)!))!;
    vendorOf[v] = i;
    vendors[i]!.nodes.push(v);
    // A Platform's vendor name is the best label (an App's vendor is often a slug).
    if (node.kind === 'Platform' && node.vendor && named[i] === 0) {
      vendors[i]!.label = node.vendor;
      named[i] = 1;
    }
  });
  for (let e = 0; e < graph.edgeCount; e++) {
    if (edgeKind[e] !== managesCode) continue;
    const a = edgeSrc[e]!;
    const b = edgeDst[e]!;
    if (vendorSide[a] === 1 && vendorSide[b] === 0 && nodeKind[b] === appKind) {
      const i = vendorOf[a]!;
      if (!vendors[i]!.registrations.includes(b)) vendors[i]!.registrations.push(b);
      if (vendorOf[b] === -1) vendorOf[b] = i;
    }
  }
  const index = { vendorSide, vendorOf, vendors };
  cache.set(graph, index);
  return index;
}
