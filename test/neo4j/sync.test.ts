// Importing into Neo4j keeps the database exact: a newer export of a source replaces that source's data (what it
// no longer has is removed by the run markers), other sources and source-less data are untouched, stubs link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeId, type Fragment, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';
import { validateFragmentDocument, type SourcedFragment } from '../../engine/format/validate.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { toFragment } from '../../engine/store/compact.ts';
import { importIntoStore, reachInDatabase, type Neo4jStore } from '../../engine/store/neo4j/index.ts';
import { stubId, stubNode } from '../../engine/store/link.ts';
import { freshStore, plain } from './helpers.ts';

let store: Neo4jStore;
beforeAll(async () => { store = await freshStore(); });
afterAll(async () => { await store?.close(); });

type Raw = { source?: string; nodes: Partial<GraphNode>[]; edges: Partial<GraphEdge>[] };

function sourced(raw: Raw, file = `${raw.source ?? 'unsourced'}.json`): SourcedFragment {
  const result = validateFragmentDocument(raw, { file });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

const okta = (name: string, extra: Partial<GraphNode> = {}) => ({ id: `okta:acme:identity:${name}`, kind: 'Identity', name, platform: 'okta', tenant: 'acme', subtype: 'human', ...extra }) as Partial<GraphNode>;
const oktaApp = { id: 'okta:acme:app:hr-sync', kind: 'App', name: 'HR sync', platform: 'okta', tenant: 'acme' } as Partial<GraphNode>;
const oktaGroup = { id: 'okta:acme:group:admins', kind: 'Group', name: 'Admins', platform: 'okta', tenant: 'acme' } as Partial<GraphNode>;
const slackChannel = { id: 'slack:acme:resource:C1', kind: 'Resource', name: '#general', platform: 'slack', tenant: 'acme' } as Partial<GraphNode>;
const slackBot = { id: 'slack:acme:app:bot', kind: 'App', name: 'Bot', platform: 'slack', tenant: 'acme' } as Partial<GraphNode>;

const oktaV1: Raw = {
  source: 'okta',
  nodes: [oktaApp, oktaGroup, okta('alice'), okta('bob'), okta('carol')],
  edges: [
    { kind: 'MEMBER_OF', from: 'okta:acme:identity:alice', to: 'okta:acme:group:admins' },
    { kind: 'MEMBER_OF', from: 'okta:acme:identity:bob', to: 'okta:acme:group:admins' },
    { kind: 'CAN_IMPERSONATE', from: 'okta:acme:app:hr-sync', to: 'okta:acme:identity:carol' },
  ],
};
/** Carol left; Bob is no longer an admin; Alice got MFA. */
const oktaV2: Raw = {
  source: 'okta',
  nodes: [oktaApp, oktaGroup, okta('alice', { mfa: true }), okta('bob')],
  edges: [{ kind: 'MEMBER_OF', from: 'okta:acme:identity:alice', to: 'okta:acme:group:admins' }],
};
const slack: Raw = {
  source: 'slack',
  nodes: [slackChannel, slackBot],
  edges: [{ kind: 'CAN_READ', from: 'slack:acme:app:bot', to: 'slack:acme:resource:C1', scopes: ['channels:history'] }],
};
const unsourced: Raw = {
  nodes: [{ id: 'manual:acme:resource:wiki', kind: 'Resource', name: 'Wiki', platform: 'manual', tenant: 'acme' } as Partial<GraphNode>],
  edges: [{ kind: 'CAN_READ', from: 'okta:acme:group:admins', to: 'manual:acme:resource:wiki' }],
};

/** The fragment sorted by identity, so graphs built in different orders compare. */
const canonical = (fragment: Fragment) => plain({
  nodes: [...fragment.nodes].sort((a, b) => a.id.localeCompare(b.id)),
  edges: [...fragment.edges].sort((a, b) => edgeId(a).localeCompare(edgeId(b))),
});

/** What the database must hold: the latest export of each source, assembled in memory from scratch. */
const expected = (...exports: Raw[]) => canonical(toFragment(assembleGraph(exports.map((raw) => sourced(raw))).graph));

describe('importing into Neo4j', () => {
  it("removes what a source's newer export no longer has, and leaves other sources alone", async () => {
    await store.clear();
    await importIntoStore(store, [sourced(oktaV1)]);
    await importIntoStore(store, [sourced(slack)]);
    expect(canonical(await store.pull())).toEqual(expected(oktaV1, slack));
    const { write, sources } = await importIntoStore(store, [sourced(oktaV2)]);
    expect(sources).toEqual(['okta']);
    expect(write.nodesRemoved).toBe(1);
    expect(write.edgesRemoved).toBe(2);
    const now = canonical(await store.pull());
    expect(now).toEqual(expected(oktaV2, slack));
    expect(now.nodes.find((n) => n.id === 'okta:acme:identity:alice')!.mfa).toBe(true);
    expect(now.nodes.map((n) => n.id)).not.toContain('okta:acme:identity:carol');
  });

  it('is idempotent: the same export again removes nothing and writes only its own source', async () => {
    const before = canonical(await store.pull());
    const { write } = await importIntoStore(store, [sourced(oktaV2)]);
    expect(write).toMatchObject({ nodesWritten: 4, edgesWritten: 1, nodesRemoved: 0, edgesRemoved: 0 });
    expect(canonical(await store.pull())).toEqual(before);
    expect(await store.counts()).toEqual({ nodes: before.nodes.length, edges: before.edges.length });
  });

  it('never removes data that names no source, and checks references against what the database holds', async () => {
    await importIntoStore(store, [sourced(unsourced)]);
    await importIntoStore(store, [sourced(oktaV2)]);
    expect(canonical(await store.pull())).toEqual(expected(oktaV2, slack, unsourced));
    const dangling: Raw = { source: 'slack', nodes: [slackBot], edges: [{ kind: 'CAN_READ', from: 'slack:acme:app:bot', to: 'slack:acme:resource:nope' }] };
    await expect(importIntoStore(store, [sourced(dangling)])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(canonical(await store.pull())).toEqual(expected(oktaV2, slack, unsourced));
    // The group is gone from Okta's next export: the source-less edge from it goes too, the wiki stays.
    const withoutGroup: Raw = { source: 'okta', nodes: oktaV2.nodes.filter((n) => n.kind !== 'Group'), edges: [] };
    await importIntoStore(store, [sourced(withoutGroup)]);
    const unsourcedWiki = { ...unsourced, edges: [] };
    expect(canonical(await store.pull())).toEqual(expected(withoutGroup, slack, unsourcedWiki));
  });

  it("links a source's reference stubs to the real node another source brings, as a snapshot import does", async () => {
    await store.clear();
    const stub = stubNode('google-workspace', 'Identity', 'alice@acme.com', 'alice@acme.com', 'okta');
    const withStub: Raw = { source: 'okta', nodes: [okta('alice'), stub], edges: [{ kind: 'SSO_TO', from: 'okta:acme:identity:alice', to: stub.id }] };
    const google: Raw = {
      source: 'google',
      nodes: [{ id: 'google-workspace:acme.com:identity:1001', kind: 'Identity', name: 'Alice', platform: 'google-workspace', tenant: 'acme.com', email: 'alice@acme.com', subtype: 'human' } as Partial<GraphNode>],
      edges: [],
    };
    await importIntoStore(store, [sourced(withStub)]);
    await importIntoStore(store, [sourced(google)]);
    const linked = canonical(await store.pull());
    expect(linked.nodes.map((n) => n.id)).not.toContain(stubId('google-workspace', 'Identity', 'alice@acme.com'));
    expect(linked.edges).toEqual([expect.objectContaining({ kind: 'SSO_TO', to: 'google-workspace:acme.com:identity:1001' })]);
    expect(linked).toEqual(expected(withStub, google));
    await importIntoStore(store, [sourced(withStub)]);
    expect(canonical(await store.pull())).toEqual(linked);
  });

  it('with replace, makes the database exactly the import', async () => {
    await importIntoStore(store, [sourced(oktaV1)]);
    await importIntoStore(store, [sourced(slack)], { replace: true });
    expect(canonical(await store.pull())).toEqual(expected(slack));
  });

  it("replaces one tenant's export of a source and leaves the same source's other tenants alone", async () => {
    await store.clear();
    // Two Okta orgs: the same source, two exports. Importing the second must not remove the first.
    const other = (raw: Raw): Raw => JSON.parse(JSON.stringify(raw).replaceAll(':acme:', ':globex:').replaceAll('"tenant":"acme"', '"tenant":"globex"')) as Raw;
    await importIntoStore(store, [sourced(oktaV1)]);
    await importIntoStore(store, [sourced(other(oktaV1), 'okta-globex.json')]);
    expect(canonical(await store.pull())).toEqual(expected(oktaV1, other(oktaV1)));
    const { write } = await importIntoStore(store, [sourced(other(oktaV2), 'okta-globex.json')]);
    expect(write).toMatchObject({ nodesRemoved: 1, edgesRemoved: 2 });
    expect(canonical(await store.pull())).toEqual(expected(oktaV1, other(oktaV2)));
  });
});

// Issue #20, item 1, on the Neo4j path: a later import cannot give a node the database holds another kind (the
// same check as a snapshot import), and a source's newer export that does replaces the node and every edge
// touching it is checked against its new kind: the database never holds an edge the schema forbids.
describe('importing into Neo4j a node the database holds with another kind', () => {
  const victim = { id: 'x:t:app:victim', kind: 'App', name: 'Victim', platform: 'x', tenant: 't' } as Partial<GraphNode>;
  const key = { id: 'x:t:credential:key', kind: 'Credential', type: 'api-key', name: 'Victim key', platform: 'x', tenant: 't' } as Partial<GraphNode>;
  const intern = { id: 'x:t:identity:intern', kind: 'Identity', name: 'Intern', platform: 'x', tenant: 't' } as Partial<GraphNode>;
  const appWithKey: Raw = { nodes: [victim, key, intern], edges: [{ kind: 'HOLDS', from: victim.id!, to: key.id! }] };
  /** Calls the App a Resource, so that a CAN_ADMIN edge into it passes the batch's own edge-kind check. */
  const asResource = (source?: string): Raw => ({
    ...(source === undefined ? {} : { source }),
    nodes: [{ ...victim, kind: 'Resource' }, intern],
    edges: [{ kind: 'CAN_ADMIN', from: intern.id!, to: victim.id! }],
  });

  it('is refused when another export (or none) declared it, naming both kinds, and the database is left as it was', async () => {
    await store.clear();
    await importIntoStore(store, [sourced(appWithKey)]);
    const before = canonical(await store.pull());
    for (const raw of [asResource(), asResource('other')]) {
      const error = await importIntoStore(store, [sourced(raw, 'second.json')]).then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ code: 'INVALID_INPUT' });
      const issues = (error as { issues: { file?: string; path: string; message: string }[] }).issues;
      expect(issues).toContainEqual(expect.objectContaining({ file: 'second.json', path: '$.nodes[0].kind', message: 'node x:t:app:victim is a App in the graph; an import cannot change its kind' }));
      expect(canonical(await store.pull())).toEqual(before);
    }
    // The intern reaches nothing: no CAN_ADMIN edge was stored, so the App's key stays out of reach.
    expect((await store.pull()).edges.filter((edge) => edge.kind === 'CAN_ADMIN')).toEqual([]);
  });

  it("a source's newer export replaces the node, and an edge another export keeps into it is checked against the new kind", async () => {
    await store.clear();
    const v1: Raw = { source: 'x', nodes: [{ ...victim, kind: 'Identity', subtype: 'service' } as Partial<GraphNode>], edges: [] };
    // Source-less: a person owns the x principal (OWNS ends at an App, a Credential or an Identity).
    const manual: Raw = { nodes: [{ ...intern, id: 'm:t:identity:owner', name: 'Owner', platform: 'm' } as Partial<GraphNode>], edges: [{ kind: 'OWNS', from: 'm:t:identity:owner', to: victim.id! }] };
    await importIntoStore(store, [sourced(v1)]);
    await importIntoStore(store, [sourced(manual)]);
    const before = canonical(await store.pull());
    // x's newer export calls it a Resource: the kept OWNS edge would end at a Resource, which OWNS does not allow.
    const v2: Raw = { source: 'x', nodes: [{ ...victim, kind: 'Resource' }], edges: [] };
    const error = await importIntoStore(store, [sourced(v2, 'x-v2.json')]).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(JSON.stringify((error as { issues: unknown[] }).issues)).toContain('OWNS.to');
    expect(canonical(await store.pull())).toEqual(before);
    // As an App the kept edge still holds: the node is replaced with its new kind (the export replaces its source's
    // data), the edge stays, and every stored edge joins kinds its schema allows.
    const v2App: Raw = { source: 'x', nodes: [victim], edges: [] };
    await importIntoStore(store, [sourced(v2App, 'x-v2.json')]);
    const after = canonical(await store.pull());
    expect(after.nodes.find((node) => node.id === victim.id)!.kind).toBe('App');
    expect(after.edges).toEqual([expect.objectContaining({ kind: 'OWNS', from: 'm:t:identity:owner', to: victim.id })]);
    expect(after).toEqual(expected(v2App, manual));
  });

  it('a forbidden edge another tool wrote into the database is refused when the graph is read, imported into or traversed', async () => {
    await store.clear();
    // Written past blastmap's checks (store.push writes what it is given), as a hand-written Cypher query could.
    await store.push({
      nodes: [victim, key, intern] as GraphNode[],
      edges: [{ kind: 'HOLDS', from: victim.id!, to: key.id! }, { kind: 'CAN_ADMIN', from: intern.id!, to: victim.id! }] as GraphEdge[],
    });
    const reason = 'the CAN_ADMIN edge x:t:identity:intern -> x:t:app:victim ends at App x:t:app:victim, which CAN_ADMIN does not allow';
    await expect(store.compile()).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(reason) });
    const before = canonical(await store.pull());
    await expect(importIntoStore(store, [sourced(slack)])).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(reason) });
    expect(canonical(await store.pull())).toEqual(before);
    // The radius computed in the database does not cross it to the App's key.
    await expect(reachInDatabase(store, [intern.id!])).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(reason) });
  });
});
