// The synthetic enterprise generator: deterministic for a seed, exact node counts, valid native records,
// and the shape the benchmarks rely on (people with tens of non-human identities, connectors, dated
// credentials, scoped grants, tagged data, leaked secrets, hub groups).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APPS_PER_NODE, DEFAULT_GENERATION_INSTANT, generateEnterprise, generateFragment, MIN_GENERATED_NODES } from '../../engine/generate/enterprise.ts';
import { Random } from '../../engine/generate/random.ts';
import { edgeId, type Fragment } from '../../engine/format/native.ts';
import { validateFragmentDocument } from '../../engine/format/validate.ts';
import { EDGE_KINDS } from '../../engine/schema/index.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';

const NOW = Date.parse(DEFAULT_GENERATION_INSTANT);
const cache = new Map<string, Fragment>();
function enterprise(nodes: number, seed: number): Fragment {
  const key = `${nodes}:${seed}`;
  if (!cache.has(key)) cache.set(key, generateFragment({ nodes, seed }));
  return cache.get(key)!;
}

afterEach(() => vi.restoreAllMocks());

describe('seeded random numbers', () => {
  it('repeat for a seed, differ across seeds and stay in range', () => {
    const a = new Random(7);
    const b = new Random(7);
    const c = new Random(8);
    const first = Array.from({ length: 50 }, () => a.uint32());
    expect(Array.from({ length: 50 }, () => b.uint32())).toEqual(first);
    expect(Array.from({ length: 50 }, () => c.uint32())).not.toEqual(first);
    const r = new Random(1);
    for (let i = 0; i < 2000; i++) {
      const x = r.int(3, 9);
      expect(x).toBeGreaterThanOrEqual(3);
      expect(x).toBeLessThanOrEqual(9);
      const h = r.heavy(1, 40);
      expect(h).toBeGreaterThanOrEqual(1);
      expect(h).toBeLessThanOrEqual(40);
    }
  });
});

describe('generateEnterprise', () => {
  it('gives the same enterprise for the same seed and a different one for another seed', () => {
    const once = JSON.stringify(generateFragment({ nodes: 3000, seed: 42 }));
    expect(JSON.stringify(generateFragment({ nodes: 3000, seed: 42 }))).toBe(once);
    expect(JSON.stringify(generateFragment({ nodes: 3000, seed: 43 }))).not.toBe(once);
  });

  it('never draws from Math.random', () => {
    vi.spyOn(Math, 'random').mockImplementation(() => { throw new Error('Math.random used'); });
    expect(generateFragment({ nodes: 2500, seed: 5 }).nodes).toHaveLength(2500);
  });

  it('makes exactly the number of nodes asked for', () => {
    for (const [nodes, seed] of [[MIN_GENERATED_NODES, 1], [201, 2], [999, 3], [4321, 4], [12_345, 5]] as const) {
      expect(generateFragment({ nodes, seed }).nodes).toHaveLength(nodes);
    }
  });

  it('writes only valid native records: unique ids, no repeated edge, every edge between kinds its kind allows', () => {
    const fragment = enterprise(6000, 3);
    const validated = validateFragmentDocument(JSON.parse(JSON.stringify(fragment)));
    expect(validated.ok).toBe(true);
    if (!validated.ok) return;
    const { graph } = assembleGraph([validated.value]);
    expect(graph.nodeCount).toBe(6000);
    expect(graph.edgeCount).toBe(fragment.edges.length);
    expect(new Set(fragment.nodes.map((node) => node.id)).size).toBe(fragment.nodes.length);
    expect(new Set(fragment.edges.map((edge) => edgeId(edge))).size).toBe(fragment.edges.length);
  });

  it('averages the requested number of edges per node', () => {
    expect(enterprise(20_000, 1).edges.length / 20_000).toBeGreaterThan(7.6);
    expect(enterprise(20_000, 1).edges.length / 20_000).toBeLessThan(8.4);
    const sparse = generateFragment({ nodes: 20_000, seed: 1, edgesPerNode: 5 });
    expect(sparse.edges.length / 20_000).toBeLessThan(8);
  });

  it('gives each person 25 to 80 non-human identities, and makes every person a member of the All employees hub', () => {
    const { nodes, edges } = enterprise(20_000, 1);
    const people = nodes.filter((node) => node.kind === 'Identity' && node.subtype === 'human' && node.platform === 'okta');
    const nonHuman = nodes.filter((node) => (node.kind === 'Identity' && node.subtype !== 'human') || node.kind === 'App');
    expect(people.length).toBeGreaterThan(50);
    const ratio = nonHuman.length / people.length;
    expect(ratio).toBeGreaterThanOrEqual(25);
    expect(ratio).toBeLessThanOrEqual(80);
    const hub = nodes.find((node) => node.kind === 'Group' && node.name === 'All employees')!;
    const members = new Set(edges.filter((edge) => edge.kind === 'MEMBER_OF' && edge.to === hub.id).map((edge) => edge.from));
    expect(people.every((person) => members.has(person.id))).toBe(true);
    expect(edges.some((edge) => edge.kind === 'CAN_READ' && edge.from === hub.id)).toBe(true);
  });

  it('dates credentials: some expired, some never expiring, some revoked, all created before now', () => {
    const credentials = enterprise(20_000, 1).nodes.filter((node) => node.kind === 'Credential');
    const share = (test: (c: (typeof credentials)[number]) => boolean): number => credentials.filter(test).length / credentials.length;
    expect(credentials.every((c) => c.createdAt !== undefined && Date.parse(c.createdAt) <= NOW)).toBe(true);
    expect(share((c) => c.expiresAt !== undefined && Date.parse(c.expiresAt) <= NOW)).toBeGreaterThan(0.02);
    expect(share((c) => c.expiresAt === undefined)).toBeGreaterThan(0.3);
    expect(share((c) => c.revoked === true)).toBeGreaterThan(0.005);
    expect(share((c) => c.lastUsedAt === undefined)).toBeGreaterThan(0.05);
    expect(credentials.every((c) => c.lastUsedAt === undefined || Date.parse(c.lastUsedAt) >= Date.parse(c.createdAt!))).toBe(true);
  });

  it('adds connectors (third-party and internal) whose grants carry scopes and the credential they derive from', () => {
    const { nodes, edges } = enterprise(20_000, 1);
    const apps = nodes.filter((node) => node.kind === 'App');
    expect(apps.length).toBeGreaterThanOrEqual(Math.floor(20_000 * APPS_PER_NODE) - 2);
    expect(apps.length).toBeLessThanOrEqual(Math.ceil(20_000 * APPS_PER_NODE));
    expect(apps.some((app) => app.thirdParty === true)).toBe(true);
    expect(apps.some((app) => app.thirdParty === false)).toBe(true);
    const scoped = edges.filter((edge) => edge.scopes !== undefined && edge.grant !== undefined);
    expect(scoped.length).toBeGreaterThan(0);
    const credentials = new Set(nodes.filter((node) => node.kind === 'Credential').map((node) => node.id));
    expect(scoped.every((edge) => credentials.has(edge.grant!) && edge.from === edge.grant)).toBe(true);
  });

  it('tags data by sensitivity, leaves credentials in data (repositories, shared pages, support cases) and keeps some in secret stores', () => {
    const { nodes, edges } = enterprise(20_000, 1);
    const resources = nodes.filter((node) => node.kind === 'Resource');
    for (const tag of ['crown-jewel', 'pii', 'secrets', 'source-code']) expect(resources.some((node) => node.tags?.includes(tag))).toBe(true);
    const leaks = edges.filter((edge) => edge.kind === 'CONTAINS_CREDENTIAL');
    expect(leaks.length).toBeGreaterThan(20);
    expect(leaks.some((edge) => edge.reason?.includes('support case'))).toBe(true);
    // Secret stores keep credentials on purpose: STORES_CREDENTIAL, never counted as a leak.
    const stored = edges.filter((edge) => edge.kind === 'STORES_CREDENTIAL');
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((edge) => edge.from.includes(':resource:secrets-manager-'))).toBe(true);
    expect(leaks.some((edge) => edge.from.includes(':resource:secrets-manager-'))).toBe(false);
  });

  it('streams chunks whose node numbers and kind codes describe their edges, each edge after its nodes', () => {
    const kinds = Object.keys(EDGE_KINDS);
    const numberOf = new Map<string, number>();
    let chunks = 0;
    const mismatches: string[] = [];
    for (const chunk of generateEnterprise({ nodes: 15_000, seed: 2, chunkNodes: 2000 })) {
      chunks++;
      for (const node of chunk.nodes) numberOf.set(node.id, numberOf.size);
      expect(chunk.ends).toHaveLength(2 * chunk.edges.length);
      chunk.edges.forEach((edge, i) => {
        if (numberOf.get(edge.from) !== chunk.ends[2 * i] || numberOf.get(edge.to) !== chunk.ends[2 * i + 1] || kinds[chunk.kinds[i]!] !== edge.kind) mismatches.push(edgeId(edge));
      });
    }
    expect(mismatches).toEqual([]);
    expect(chunks).toBeGreaterThan(3);
    expect(numberOf.size).toBe(15_000);
  });

  it('rejects sizes and seeds it cannot honour', () => {
    expect(() => generateFragment({ nodes: MIN_GENERATED_NODES - 1, seed: 1 })).toThrowError(/--nodes/);
    expect(() => generateFragment({ nodes: 1000.5, seed: 1 })).toThrowError(/--nodes/);
    expect(() => generateFragment({ nodes: 1000, seed: 0.5 })).toThrowError(/--seed/);
    expect(() => generateFragment({ nodes: 1000, seed: 1, now: 'yesterday' })).toThrowError(/not a date/);
  });
});
