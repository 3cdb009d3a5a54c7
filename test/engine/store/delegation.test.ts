// Scoped delegation and refresh-token families, decided when a graph is compiled: scenario graphs with
// named handles, and a property test against a brute-force reading of the rule written from docs/model.md.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reach } from '../../../engine/analysis/reach.ts';
import type { GraphEdge, GraphNode } from '../../../engine/format/native.ts';
import { DEFAULT_SCHEMA } from '../../../engine/schema/index.ts';
import { buildGraph, edgeIdAt, toFragment, type CompactGraph } from '../../../engine/store/compact.ts';
import { GraphBuilder } from '../../../engine/store/builder.ts';
import { scenario, type Scenario } from '../../helpers/scenario.ts';
import { usableAt } from '../../helpers/oracle.ts';

const G = 'google-workspace';
const SCOPE = {
  driveRead: 'https://www.googleapis.com/auth/drive.readonly',
  gmailRead: 'https://www.googleapis.com/auth/gmail.readonly',
  fullMail: 'https://mail.google.com/',
  drive: 'https://www.googleapis.com/auth/drive',
  cloud: 'https://www.googleapis.com/auth/cloud-platform',
  unknown: 'https://example.invalid/auth/whatever',
} as const;
const AT = Date.parse('2025-06-01T00:00:00Z');
const LEVEL = ['none', 'read', 'write', 'admin'] as const;

function levelsOf(s: Scenario, source: string, at = AT): Record<string, string> {
  const result = reach(s.graph, [s.ix(source)], { at });
  const out: Record<string, string> = {};
  for (let v = 0; v < s.graph.nodeCount; v++) if (result.level[v]! > 0 && v !== s.ix(source)) out[s.handleOf(v)] = LEVEL[result.level[v]!]!;
  return out;
}

/** The company of the example: a service account with domain-wide delegation over the CEO. */
function ceoCompany(scopes: readonly string[] | undefined, kind = 'CAN_IMPERSONATE'): Scenario {
  return scenario((s) => {
    s.platform('tenant', { platform: G, tenant: 'acme.com' });
    s.identity('ceo', { platform: G, tenant: 'acme.com', subtype: 'human' });
    s.resource('ceoMail', { platform: G, tenant: 'acme.com', resourceType: 'mailbox', tags: ['pii'] });
    s.resource('ceoDrive', { platform: G, tenant: 'acme.com', resourceType: 'drive', tags: ['pii'] });
    s.resource('board', { platform: G, tenant: 'acme.com', resourceType: 'drive' });
    s.credential('pasted', { platform: 'aws', tenant: '1', type: 'api-key' });
    s.identity('deployer', { platform: 'aws', tenant: '1', subtype: 'service' });
    s.group('execs', { platform: G, tenant: 'acme.com' });
    s.identity('reporter', { platform: 'gcp', tenant: 'prj', subtype: 'service' });
    s.edge('CAN_ADMIN', 'ceo', 'ceoMail').edge('CAN_ADMIN', 'ceo', 'ceoDrive')
      .edge('MEMBER_OF', 'ceo', 'execs').edge('CAN_READ', 'execs', 'board')
      .edge('CONTAINS_CREDENTIAL', 'ceoDrive', 'pasted').edge('AUTHENTICATES_AS', 'pasted', 'deployer')
      .edge(kind, 'reporter', 'ceo', scopes ? { scopes: [...scopes] } : {});
  });
}

describe('scoped delegation', () => {
  it('domain-wide delegation limited to drive.readonly reads the CEO\'s drives and not the mailbox', () => {
    const s = ceoCompany([SCOPE.driveRead]);
    expect(levelsOf(s, 'reporter')).toEqual({ ceoDrive: 'read', board: 'read', pasted: 'admin', deployer: 'admin' });
  });

  it('the level is the lower of the scope\'s and the principal\'s own: full Drive scope on a drive the CEO only reads is read', () => {
    const s = ceoCompany([SCOPE.drive]);
    expect(levelsOf(s, 'reporter')).toMatchObject({ ceoDrive: 'admin', board: 'read' });
    expect(levelsOf(s, 'reporter').ceoMail).toBeUndefined();
  });

  it('several scopes allow the union of what each allows', () => {
    expect(levelsOf(ceoCompany([SCOPE.driveRead, SCOPE.gmailRead]), 'reporter')).toMatchObject({ ceoDrive: 'read', ceoMail: 'read' });
  });

  it('a takeover scope or a scope no catalogue knows hands over the whole principal', () => {
    for (const scope of [SCOPE.cloud, SCOPE.unknown]) {
      const levels = levelsOf(ceoCompany([SCOPE.driveRead, scope]), 'reporter');
      expect(levels, scope).toMatchObject({ ceo: 'admin', ceoMail: 'admin', ceoDrive: 'admin', execs: 'admin' });
    }
  });

  it('without scopes a delegation is the whole principal, as before', () => {
    expect(levelsOf(ceoCompany(undefined), 'reporter')).toMatchObject({ ceo: 'admin', ceoMail: 'admin' });
  });

  it('a restricted grant acting as its user (AUTHENTICATES_AS with Mail.Read-like scopes) is restricted the same way', () => {
    const s = scenario((b) => {
      b.identity('ceo', { platform: G, tenant: 'acme.com' });
      b.resource('ceoMail', { platform: G, tenant: 'acme.com', resourceType: 'mailbox' });
      b.resource('ceoDrive', { platform: G, tenant: 'acme.com', resourceType: 'drive' });
      b.credential('grant', { platform: G, tenant: 'acme.com', type: 'oauth-grant' });
      b.app('notetaker', { platform: 'vendor', tenant: 'prod', thirdParty: true });
      b.edge('CAN_ADMIN', 'ceo', 'ceoMail').edge('CAN_ADMIN', 'ceo', 'ceoDrive')
        .edge('HOLDS', 'notetaker', 'grant')
        .edge('AUTHENTICATES_AS', 'grant', 'ceo', { scopes: [SCOPE.gmailRead], grant: 'g1' });
    });
    expect(levelsOf(s, 'notetaker')).toEqual({ grant: 'admin', ceoMail: 'read' });
    const derived = s.graph.edgeAttrs.find((attrs) => attrs?.derivedFrom !== undefined)!;
    expect(derived).toMatchObject({ scopes: [SCOPE.gmailRead], grant: 'g1', derivedFrom: `${s.id('grant')}|DELEGATED_AS|${s.id('ceo')}|g1` });
  });

  it('the delegation is kept as a DELEGATED_AS edge (not traversable), with its scopes, for display and cuts', () => {
    const s = ceoCompany([SCOPE.driveRead]);
    const kinds = toFragment(s.graph).edges.filter((e) => e.from === s.id('reporter')).map((e) => `${e.kind}${e.derivedFrom ? ' (derived)' : ''}`).sort();
    expect(kinds).toEqual(['CAN_READ (derived)', 'CAN_READ (derived)', 'DELEGATED_AS']);
  });

  it('rebuilding a compiled graph (an import into it, a snapshot of format 1) derives the same edges, never twice', () => {
    const s = ceoCompany([SCOPE.driveRead, SCOPE.gmailRead]);
    const again = buildGraph(toFragment(s.graph));
    expect(toFragment(again)).toEqual(toFragment(s.graph));
  });

  it('the bulk builder (NDJSON imports, the generator) derives exactly what buildGraph does', () => {
    const s = ceoCompany([SCOPE.driveRead]);
    const builder = new GraphBuilder();
    for (const node of s.nodes) builder.addNode(node);
    for (const edge of s.edges) builder.addEdge(edge);
    expect(toFragment(builder.build()).edges).toEqual(toFragment(s.graph).edges);
  });

  it('chains of scoped delegations settle: A as B (drive) as C (drive and mail) reads only C\'s drive', () => {
    const s = scenario((b) => {
      for (const h of ['a', 'b', 'c']) b.identity(h, { platform: G, tenant: 'x' });
      b.resource('cDrive', { platform: G, tenant: 'x', resourceType: 'drive' });
      b.resource('cMail', { platform: G, tenant: 'x', resourceType: 'mailbox' });
      b.edge('CAN_ADMIN', 'c', 'cDrive').edge('CAN_ADMIN', 'c', 'cMail')
        .edge('CAN_IMPERSONATE', 'b', 'c', { scopes: [SCOPE.drive, SCOPE.fullMail] })
        .edge('CAN_IMPERSONATE', 'a', 'b', { scopes: [SCOPE.driveRead] });
    });
    expect(levelsOf(s, 'a')).toEqual({ cDrive: 'read' });
    expect(levelsOf(s, 'b')).toEqual({ cDrive: 'admin', cMail: 'admin' });
  });

  it('time still applies: a revoked grant or a disabled source reaches nothing through its derived edges', () => {
    const s = scenario((b) => {
      b.identity('ceo', { platform: G, tenant: 'x' });
      b.resource('mail', { platform: G, tenant: 'x', resourceType: 'mailbox' });
      b.credential('grant', { platform: G, tenant: 'x', type: 'oauth-grant', revoked: true, revokedAt: '2025-03-01T00:00:00.000Z' });
      b.app('app', { platform: 'v', tenant: 'p' });
      b.edge('CAN_ADMIN', 'ceo', 'mail').edge('HOLDS', 'app', 'grant').edge('AUTHENTICATES_AS', 'grant', 'ceo', { scopes: [SCOPE.gmailRead] });
    });
    expect(levelsOf(s, 'app', Date.parse('2025-02-01T00:00:00Z'))).toEqual({ grant: 'admin', mail: 'read' });
    expect(levelsOf(s, 'app', AT)).toEqual({});
  });
});

describe('refresh-token families (MINTS)', () => {
  function family(access: Partial<GraphNode>, refresh: Partial<GraphNode>): Scenario {
    return scenario((b) => {
      b.app('app', { platform: 'v', tenant: 'p' });
      b.credential('refresh', { platform: 's', tenant: 't', type: 'refresh-token', ...refresh });
      b.credential('access', { platform: 's', tenant: 't', type: 'access-token', ...access });
      b.resource('data', { platform: 's', tenant: 't' });
      b.edge('HOLDS', 'app', 'access').edge('MINTS', 'refresh', 'access').edge('CAN_READ', 'access', 'data');
    });
  }
  const EXPIRED = { expiresAt: '2025-05-01T00:00:00.000Z' };

  it('an expired access token whose refresh token is live counts as live', () => {
    expect(levelsOf(family(EXPIRED, {}), 'app')).toEqual({ access: 'admin', data: 'read' });
  });

  it('it dies with its family: a revoked refresh token, or an access token revoked itself', () => {
    expect(levelsOf(family(EXPIRED, { revoked: true }), 'app')).toEqual({});
    expect(levelsOf(family({ revoked: true }, {}), 'app')).toEqual({});
  });

  it('a refresh token issued after the access token expired revives nothing', () => {
    expect(levelsOf(family(EXPIRED, { createdAt: '2025-05-15T00:00:00.000Z' }), 'app')).toEqual({});
  });

  it('whoever holds the refresh token mints access tokens: MINTS is traversable', () => {
    const s = family(EXPIRED, {});
    expect(levelsOf(s, 'refresh')).toEqual({ access: 'admin', data: 'read' });
  });
});

// --- Property: the compiled graph's reach equals a brute-force reading of the delegation rule ---

const POOL = [SCOPE.driveRead, SCOPE.gmailRead, SCOPE.fullMail, SCOPE.drive, SCOPE.cloud, SCOPE.unknown];
/** The rule restated for the pool, from the catalogue's published meaning (level code, resource type; 0 = takes over). */
const MEANS: Record<string, { level: number; type: string } | 'full'> = {
  [SCOPE.driveRead]: { level: 1, type: 'drive' },
  [SCOPE.gmailRead]: { level: 1, type: 'mailbox' },
  [SCOPE.fullMail]: { level: 3, type: 'mailbox' },
  [SCOPE.drive]: { level: 3, type: 'drive' },
  [SCOPE.cloud]: 'full',
  [SCOPE.unknown]: 'full',
};

const OWN = new Set(['MEMBER_OF', 'HAS_ROLE', 'CAN_READ', 'CAN_WRITE', 'CAN_ADMIN', 'CONTAINS']);

function bruteForce(nodes: readonly GraphNode[], edges: readonly GraphEdge[], source: string, at: number): Map<string, number> {
  const kindOf = new Map(nodes.map((n) => [n.id, n]));
  const scoped = (e: GraphEdge) => DEFAULT_SCHEMA.edgeKinds[e.kind]!.delegates === true && (e.scopes?.length ?? 0) > 0 && e.scopes!.every((sc) => MEANS[sc] !== 'full');
  const step = (kind: string, held: number): number => {
    const spec = DEFAULT_SCHEMA.edgeKinds[kind]!;
    const requires = { read: 1, write: 2, admin: 3 }[spec.requires];
    if (!spec.traversable || held < requires) return 0;
    return spec.grants === 'same' ? held : { read: 1, write: 2, admin: 3 }[spec.grants];
  };
  // own[p][r]: what p itself holds through own-authority edges and its own scoped delegations (fixpoint).
  const own = new Map<string, Map<string, number>>(nodes.map((n) => [n.id, new Map<string, number>([[n.id, 3]])]));
  for (let changed = true; changed;) {
    changed = false;
    for (const p of nodes) {
      const held = own.get(p.id)!;
      const raise = (id: string, level: number) => { if ((held.get(id) ?? 0) < level) { held.set(id, level); changed = true; } };
      for (const e of edges) {
        const from = held.get(e.from) ?? 0;
        if (from === 0) continue;
        if (OWN.has(e.kind)) { const g = step(e.kind, from); if (g > 0) raise(e.to, g); }
        if (scoped(e) && from === 3) {
          for (const [r, lvl] of own.get(e.to)!) {
            const node = kindOf.get(r)!;
            if (node.kind !== 'Resource' || r === e.to) continue;
            for (const sc of e.scopes!) {
              const m = MEANS[sc] as { level: number; type: string };
              if (m.type === node.resourceType) raise(r, Math.min(lvl, m.level));
            }
          }
        }
      }
    }
  }
  // Reach: the usual rules on every edge but the scoped ones, which give what `own` allows through the scopes.
  const usable = (id: string) => usableAt(kindOf.get(id)!, at);
  const best = new Map<string, number>();
  if (!usable(source)) return best;
  best.set(source, 3);
  for (let changed = true; changed;) {
    changed = false;
    const raise = (id: string, level: number) => { if (usable(id) && (best.get(id) ?? 0) < level) { best.set(id, level); changed = true; } };
    for (const e of edges) {
      const held = best.get(e.from) ?? 0;
      if (held === 0) continue;
      if (!scoped(e)) { const g = step(e.kind, held); if (g > 0) raise(e.to, g); continue; }
      if (held < 3) continue;
      for (const [r, lvl] of own.get(e.to)!) {
        const node = kindOf.get(r)!;
        if (node.kind !== 'Resource') continue;
        for (const sc of e.scopes!) {
          const m = MEANS[sc] as { level: number; type: string };
          if (m.type === node.resourceType) raise(r, Math.min(lvl, m.level));
        }
      }
    }
  }
  best.delete(source);
  return best;
}

const delegationGraph = fc.record({
  people: fc.integer({ min: 2, max: 5 }),
  resources: fc.array(fc.record({ type: fc.constantFrom('drive', 'mailbox', 'calendar'), revoked: fc.boolean() }), { minLength: 1, maxLength: 6 }),
  own: fc.array(fc.record({ p: fc.nat(), r: fc.nat(), level: fc.constantFrom('CAN_READ', 'CAN_WRITE', 'CAN_ADMIN') }), { maxLength: 10 }),
  contains: fc.array(fc.record({ a: fc.nat(), b: fc.nat() }), { maxLength: 3 }),
  groups: fc.array(fc.record({ p: fc.nat(), r: fc.nat() }), { maxLength: 3 }),
  delegations: fc.array(fc.record({ a: fc.nat(), b: fc.nat(), kind: fc.constantFrom('CAN_IMPERSONATE', 'AUTHENTICATES_AS', 'DELEGATED_AS'), scopes: fc.subarray(POOL, { maxLength: 3 }) }), { maxLength: 5 }),
});


describe('scoped delegation: property', () => {
  it('reach on the compiled graph equals a brute-force reading of the rule, from every source', () => {
    fc.assert(fc.property(delegationGraph, (g) => {
      const nodes: GraphNode[] = [];
      const edges: GraphEdge[] = [];
      const person = (i: number) => `${G}:x:identity:p${i % g.people}`;
      const credential = (i: number) => `${G}:x:credential:c${i % g.people}`;
      const resource = (i: number) => `${G}:x:resource:r${i % g.resources.length}`;
      for (let i = 0; i < g.people; i++) {
        nodes.push({ id: person(i), kind: 'Identity', name: `p${i}`, platform: G, tenant: 'x' } as GraphNode);
        nodes.push({ id: credential(i), kind: 'Credential', type: 'oauth-grant', name: `c${i}`, platform: G, tenant: 'x' } as GraphNode);
        edges.push({ kind: 'HOLDS', from: person(i), to: credential(i) } as GraphEdge);
      }
      nodes.push({ id: `${G}:x:group:g`, kind: 'Group', name: 'g', platform: G, tenant: 'x' } as GraphNode);
      g.resources.forEach((r, i) => nodes.push({ id: resource(i), kind: 'Resource', name: `r${i}`, platform: G, tenant: 'x', resourceType: r.type, ...(r.revoked ? { enabled: false } : {}) } as GraphNode));
      const seen = new Set<string>();
      const add = (edge: GraphEdge) => { const key = `${edge.from}|${edge.kind}|${edge.to}`; if (!seen.has(key)) { seen.add(key); edges.push(edge); } };
      for (const o of g.own) add({ kind: o.level, from: person(o.p), to: resource(o.r) } as GraphEdge);
      for (const c of g.contains) if (c.a % g.resources.length !== c.b % g.resources.length) add({ kind: 'CONTAINS', from: resource(c.a), to: resource(c.b) } as GraphEdge);
      for (const m of g.groups) { add({ kind: 'MEMBER_OF', from: person(m.p), to: `${G}:x:group:g` } as GraphEdge); add({ kind: 'CAN_READ', from: `${G}:x:group:g`, to: resource(m.r) } as GraphEdge); }
      for (const d of g.delegations) {
        if (d.a % g.people === d.b % g.people) continue;
        const from = d.kind === 'AUTHENTICATES_AS' ? credential(d.a) : person(d.a);
        add({ kind: d.kind, from, to: person(d.b), ...(d.scopes.length > 0 ? { scopes: [...d.scopes] } : {}) } as GraphEdge);
      }
      // DELEGATED_AS written by hand with a taking-over scope has its own conservative reading (tested above), not this rule.
      const comparable = edges.filter((e) => !(e.kind === 'DELEGATED_AS' && (!e.scopes || e.scopes.some((sc) => MEANS[sc] === 'full'))));
      const graph: CompactGraph = buildGraph({ nodes, edges: comparable });
      for (const source of nodes) {
        const result = reach(graph, [graph.indexOf.get(source.id)!], { at: AT });
        const got = new Map<string, number>();
        for (let v = 0; v < graph.nodeCount; v++) if (result.level[v]! > 0 && graph.nodes[v]!.id !== source.id) got.set(graph.nodes[v]!.id, result.level[v]!);
        const want = bruteForce(nodes, comparable, source.id, AT);
        expect([...got].sort(), source.id).toEqual([...want].sort());
      }
    }), { numRuns: 150 });
  });
});

describe('derived edges keep their own identity', () => {
  it('a derived edge that joins the same nodes as a direct grant has its own id, and a rebuild keeps both', () => {
    const s = scenario((b) => {
      b.identity('ceo', { platform: G, tenant: 'x' });
      b.resource('drive', { platform: G, tenant: 'x', resourceType: 'drive' });
      b.identity('svc', { platform: G, tenant: 'x' });
      b.edge('CAN_ADMIN', 'ceo', 'drive').edge('CAN_READ', 'svc', 'drive', { reason: 'shared with it directly' })
        .edge('CAN_IMPERSONATE', 'svc', 'ceo', { scopes: [SCOPE.driveRead] });
    });
    const ids = Array.from({ length: s.graph.edgeCount }, (_, e) => edgeIdAt(s.graph, e));
    expect(new Set(ids).size).toBe(ids.length);
    const direct = `${s.id('svc')}|CAN_READ|${s.id('drive')}`;
    expect(ids).toContain(direct);
    expect(ids).toContain(`${direct}|via:${s.id('svc')}|DELEGATED_AS|${s.id('ceo')}`);
    for (const rebuilt of [buildGraph(toFragment(s.graph)), (() => {
      const builder = new GraphBuilder();
      const fragment = toFragment(s.graph);
      for (const node of fragment.nodes) builder.addNode(node);
      for (const edge of fragment.edges) builder.addEdge(edge);
      return builder.build();
    })()]) {
      expect(toFragment(rebuilt).edges).toEqual(toFragment(s.graph).edges);
    }
  });
});

describe('the brief says why an expired access token is live', () => {
  it('a reached access token past its expiry names the refresh token that keeps it live; one within its window names none', async () => {
    const { blastRadius } = await import('../../../engine/analysis/radius.ts');
    const { renderRadiusText } = await import('../../../engine/report/brief.ts');
    const s = scenario((b) => {
      b.app('app', { platform: 'v', tenant: 'p' });
      b.credential('refresh', { platform: 's', tenant: 't', type: 'refresh-token', name: 'CRM refresh token' });
      b.credential('access', { platform: 's', tenant: 't', type: 'access-token', expiresAt: '2025-05-01T00:00:00.000Z' });
      b.credential('fresh', { platform: 's', tenant: 't', type: 'access-token', expiresAt: '2025-09-01T00:00:00.000Z' });
      b.edge('HOLDS', 'app', 'access').edge('HOLDS', 'app', 'fresh').edge('MINTS', 'refresh', 'access').edge('MINTS', 'refresh', 'fresh');
    });
    const radius = blastRadius(s.graph, [s.ix('app')], { at: AT });
    expect(radius.reached.find((r) => r.id === s.id('access'))!.liveThrough).toMatchObject({ id: s.id('refresh'), name: 'CRM refresh token' });
    expect(radius.reached.find((r) => r.id === s.id('fresh'))!.liveThrough).toBeUndefined();
    expect(renderRadiusText(radius)).toContain('expired, but live through its refresh token CRM refresh token');
  });
});
