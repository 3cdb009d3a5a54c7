// Importing into Neo4j keeps the database exact: a newer export of a source replaces that source's data (what it
// no longer has is removed by the run markers), other sources and source-less data are untouched, stubs link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeId, type Fragment, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';
import { validateFragmentDocument, type SourcedFragment } from '../../engine/format/validate.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { toFragment } from '../../engine/store/compact.ts';
import { importIntoStore, type Neo4jStore } from '../../engine/store/neo4j/index.ts';
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
