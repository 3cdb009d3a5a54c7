// The Atlassian importer: Admin API answers (no public sample exists, so the fixture follows the Atlassian Admin
// API reference: API Access "Get all API tokens in an org" {data[{id, label, status, createdAt, expiresAt,
// lastActiveAt, user{id, orgId, name, email}}], links}; the user API "manage/api-tokens" [{id, label, createdAt,
// lastAccess, expiry}]; Organizations "Get users in an org" {data[{account_id, account_type, account_status, name,
// email, product_access[{key, name, url}]}]}) become API tokens that act as their owners, and what owners reach.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRawFiles } from '../../cli/commands/import.ts';
import { reach } from '../../engine/analysis/reach.ts';
import { edgeSchema, nodeSchema, type Fragment, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';
import { finishFragment } from '../../engine/format/validate.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { buildGraph, toFragment } from '../../engine/store/compact.ts';
import { atlassianImporter } from '../../importers/atlassian/index.ts';
import type { ImporterOptions, ImporterResult } from '../../importers/common/importer.ts';
import type { RawFile } from '../../importers/common/records.ts';
import { findImporter } from '../../importers/registry.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';

const FIXTURE = join(REPO, 'test/fixtures/atlassian/org');
const ORG = '4f8c2a1e-9b7d-4c3e-a1f2-6d5e4c3b2a10';
const a = (kind: string, native: string): string => `atlassian:${ORG}:${kind}:${native}`;
const ACCOUNTS = { alice: '5b10ac8d82e05b22cc7d4ef5', bob: '5b10a2844c20165700ede21g', svc: '712020:svc-backup-0000-4000-8000-000000000b0b', carol: '712020:carol-0000-4000-8000-00000000c0c0' };
const account = (name: keyof typeof ACCOUNTS): string => a('identity', ACCOUNTS[name]);
const token = (id: string): string => a('credential', `api-token/${id}`);
const JIRA = a('resource', 'product/fabrikam.atlassian.net/jira-software');
const CONFLUENCE = a('resource', 'product/fabrikam.atlassian.net/confluence');
const SITES = a('resource', 'sites');

const run = (files: readonly RawFile[], options: ImporterOptions = {}): ImporterResult => atlassianImporter.transform(files, options);
function imported(files: readonly RawFile[], options: ImporterOptions = {}) {
  const result = run(files, options);
  if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.issues, null, 2)}`);
  return result;
}
const fixtureFiles = (): RawFile[] => readRawFiles([FIXTURE]);
const fixture = () => imported(fixtureFiles());
const node = (fragment: Fragment, id: string): GraphNode => {
  const found = fragment.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
};
const edges = (fragment: Fragment, filter: Partial<Pick<GraphEdge, 'kind' | 'from' | 'to'>>): GraphEdge[] =>
  fragment.edges.filter((e) => (filter.kind === undefined || e.kind === filter.kind) && (filter.from === undefined || e.from === filter.from) && (filter.to === undefined || e.to === filter.to));
const edgeKeys = (fragment: Fragment, filter: Partial<Pick<GraphEdge, 'kind' | 'from' | 'to'>>): string[] =>
  edges(fragment, filter).map((e) => `${e.kind} ${e.from} -> ${e.to}`).sort();
const sourced = (fragment: Fragment) => {
  const finished = finishFragment(structuredClone(fragment), { nodePaths: fragment.nodes.map((n) => n.id), edgePaths: fragment.edges.map((e) => e.to) });
  if (!finished.ok) throw new Error(JSON.stringify(finished.issues));
  return finished.value;
};
const orgTokens = (data: object[]) => ({ path: `orgs/${ORG}/api-tokens.json`, text: JSON.stringify({ data, links: {} }) });

describe('the Atlassian importer is registered', () => {
  it('answers to `blastmap import atlassian`', () => {
    expect(findImporter('atlassian')).toBe(atlassianImporter);
  });
});

describe('API tokens', () => {
  it('an org API token is an api-key owned by its account and acting as it, with created, last active and expiry dates', () => {
    const { fragment, report } = fixture();
    expect(report.records).toEqual({ orgTokens: 4, users: 2, userTokens: 1 });
    expect(node(fragment, token('tok-alice-jira-script'))).toMatchObject({
      kind: 'Credential', type: 'api-key', name: 'API token "jira-reporting-script" of alice@fabrikam.example',
      createdAt: '2025-01-15T10:00:00.000Z', lastUsedAt: '2025-11-30T08:12:44.000Z', expiresAt: '2026-01-15T10:00:00.000Z',
      properties: { status: 'ALLOWED', accountId: ACCOUNTS.alice, listedBy: ['organization'] },
    });
    expect(edgeKeys(fragment, { to: token('tok-alice-jira-script') })).toEqual([`OWNS ${account('alice')} -> ${token('tok-alice-jira-script')}`]);
    expect(edgeKeys(fragment, { from: token('tok-alice-jira-script') })).toEqual([`AUTHENTICATES_AS ${token('tok-alice-jira-script')} -> ${account('alice')}`]);
  });

  it('a token whose status is not ALLOWED is revoked and extends no radius', () => {
    const { fragment, report } = fixture();
    expect(node(fragment, token('tok-bob-old'))).toMatchObject({ revoked: true, properties: { status: 'REVOKED' } });
    expect(report.notes.join('\n')).toContain('1 API tokens whose status is not ALLOWED');
    const graph = buildGraph(fragment);
    expect(reach(graph, [graph.indexOf.get(token('tok-bob-old'))!]).level[graph.indexOf.get(CONFLUENCE)!]).toBe(0);
  });

  it('an expired token no longer extends the radius at a later instant', () => {
    const { fragment } = fixture();
    const graph = buildGraph(fragment);
    const source = [graph.indexOf.get(token('tok-alice-jira-script'))!];
    expect(reach(graph, source, { at: new Date('2025-12-01T00:00:00Z') }).level[graph.indexOf.get(JIRA)!]).toBe(2);
    expect(reach(graph, source, { at: new Date('2026-11-01T00:00:00Z') }).level[graph.indexOf.get(JIRA)!]).toBe(0);
  });

  it('a per-account token file (users/<account id>/api-tokens.json) names its owner by its folder', () => {
    const { fragment } = fixture();
    expect(node(fragment, token('tok-carol-cli'))).toMatchObject({ createdAt: '2025-09-09T09:09:09.000Z', lastUsedAt: '2026-10-01T00:00:00.000Z', expiresAt: '2026-09-09T09:09:09.000Z', properties: { listedBy: ['account'] } });
    expect(edgeKeys(fragment, { from: token('tok-carol-cli') })).toEqual([`AUTHENTICATES_AS ${token('tok-carol-cli')} -> ${account('carol')}`]);
  });

  it('the same token listed by the org and by its account is one node', () => {
    const extra: RawFile = { path: `users/${ACCOUNTS.alice}/api-tokens.json`, text: JSON.stringify([{ id: 'tok-alice-ci', label: 'ci-confluence-publish', createdAt: '2025-06-01T10:00:00Z' }]) };
    const { fragment } = imported([...fixtureFiles(), extra]);
    expect(fragment.nodes.filter((n) => n.id === token('tok-alice-ci'))).toHaveLength(1);
    expect(node(fragment, token('tok-alice-ci')).properties?.listedBy).toEqual(['account', 'organization']);
  });
});

describe('accounts and what they reach', () => {
  it('directory accounts carry their lower-cased email and status; an inactive account is disabled', () => {
    const { fragment } = fixture();
    expect(node(fragment, account('alice'))).toMatchObject({ kind: 'Identity', subtype: 'human', email: 'alice@fabrikam.example', enabled: true, properties: { accountType: 'atlassian' } });
    expect(node(fragment, account('bob')).enabled).toBe(false);
    expect(node(fragment, account('svc'))).toMatchObject({ name: 'Backup Service', email: 'backup-svc@fabrikam.example' });
  });

  it('product access becomes write access to each product site (project permissions are not exported)', () => {
    const { fragment } = fixture();
    expect(edgeKeys(fragment, { from: account('alice'), kind: 'CAN_WRITE' })).toEqual([`CAN_WRITE ${account('alice')} -> ${CONFLUENCE}`, `CAN_WRITE ${account('alice')} -> ${JIRA}`]);
    expect(node(fragment, CONFLUENCE)).toMatchObject({ name: 'Confluence (fabrikam.atlassian.net)', resourceType: 'product-site', sensitivity: 7 });
    expect(edgeKeys(fragment, { to: CONFLUENCE, kind: 'CONTAINS' })).toEqual([`CONTAINS ${a('platform', 'org')} -> ${CONFLUENCE}`]);
  });

  it('token owners not in users.json are assumed to use the organization\'s sites, flagged assumed', () => {
    const { fragment, report } = fixture();
    expect(edges(fragment, { to: SITES, kind: 'CAN_WRITE' }).map((e) => `${e.from} ${e.assumed}`).sort()).toEqual([`${account('carol')} true`, `${account('svc')} true`]);
    expect(report.notes.join('\n')).toContain('2 token owners without a users.json entry');
  });
});

describe('validation and idempotence', () => {
  it('a missing required field fails with file and JSON path; --lenient skips the record and reports it', () => {
    const files = [orgTokens([{ id: 'ok', status: 'ALLOWED', user: { id: 'u1', orgId: ORG } }, { id: 'broken', status: 'ALLOWED' }])];
    const strict = run(files);
    expect(!strict.ok && strict.issues).toEqual([expect.objectContaining({ file: `orgs/${ORG}/api-tokens.json`, path: '$.data[1].user' })]);
    const lenient = imported(files, { lenient: true });
    expect(lenient.report.skipped.map((i) => `${i.file} ${i.path}`)).toEqual([`orgs/${ORG}/api-tokens.json $.data[1].user`]);
    expect(lenient.fragment.nodes.filter((n) => n.kind === 'Credential').map((n) => n.id)).toEqual([token('ok')]);
  });

  it('the organization comes from the files or --tenant; a contradiction is refused', () => {
    const loose = { path: 'api-tokens.json', text: JSON.stringify({ data: [{ id: 't', user: { id: 'u1' } }] }) };
    expect(!run([loose]).ok && (run([loose]) as { issues: { message: string }[] }).issues[0]!.message).toBe('no organization id');
    expect(imported([loose], { tenant: ORG }).fragment.nodes.some((n) => n.id === a('platform', 'org'))).toBe(true);
    const clash = run(fixtureFiles(), { tenant: '00000000-0000-4000-8000-000000000000' });
    expect(!clash.ok && clash.issues[0]).toMatchObject({ message: '--tenant does not match the export' });
  });

  it('every node and edge is valid native format, and importing twice (files in any order) gives the same graph', () => {
    const { fragment } = fixture();
    const nodes = nodeSchema();
    const edgeShape = edgeSchema();
    for (const n of fragment.nodes) expect(nodes.safeParse(n).success, n.id).toBe(true);
    for (const e of fragment.edges) expect(edgeShape.safeParse(e).success, `${e.kind} ${e.from} ${e.to}`).toBe(true);
    expect(imported([...fixtureFiles()].reverse()).fragment).toEqual(fragment);
    const once = assembleGraph([sourced(fragment)]).graph;
    expect(toFragment(assembleGraph([sourced(fragment)], once).graph)).toEqual(toFragment(once));
  });

  it('a token value saved by mistake next to the metadata never reaches the fragment nor the snapshot', async () => {
    const dir = tempDir();
    const files = [orgTokens([{ id: 'tok-x', label: 'script', status: 'ALLOWED', token: 'ATATT3xFfGF0EXAMPLE-not-a-real-token', user: { id: 'u1', orgId: ORG, email: 'x@fabrikam.example' } }])];
    expect(JSON.stringify(imported(files).fragment)).not.toContain('EXAMPLE');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(dir, 'export', 'orgs', ORG), { recursive: true });
    writeFileSync(join(dir, 'export', files[0]!.path), files[0]!.text);
    const snapshot = join(dir, 'graph.bmap');
    const result = await runCli(['import', 'atlassian', join(dir, 'export'), '--graph', snapshot]);
    expect(result.code, result.err).toBe(0);
    expect(readFileSync(snapshot).toString('latin1')).not.toContain('EXAMPLE');
  });
});

describe('blastmap import atlassian, end to end', () => {
  it('Alice\'s CI token reaches Jira and Confluence as Alice; Bob\'s revoked token is dormant', async () => {
    const snapshot = join(tempDir(), 'graph.bmap');
    const result = await runCli(['import', 'atlassian', FIXTURE, '--graph', snapshot]);
    expect(result.code, result.err).toBe(0);
    const radius = async (source: string) => {
      const out = await runCli(['radius', source, '--graph', snapshot, '--format', 'json', '--paths', '--at', '2026-11-01']);
      expect(out.code, out.err).toBe(0);
      return JSON.parse(out.out) as { reached: { id: string; level: string; path: { kind: string }[] }[]; dormant: unknown[] };
    };
    const alice = await radius(token('tok-alice-ci'));
    expect(alice.reached.find((r) => r.id === JIRA)).toMatchObject({ level: 'write' });
    expect(alice.reached.find((r) => r.id === JIRA)!.path.map((s) => s.kind)).toEqual(['AUTHENTICATES_AS', 'CAN_WRITE']);
    expect(alice.reached.find((r) => r.id === CONFLUENCE)?.level).toBe('write');
    const bob = await radius(token('tok-bob-old'));
    expect(bob.reached).toEqual([]);
  });
});

describe('Forge app manifests: the scopes an app requests, mapped through the catalogue to the sites of their product', () => {
  const APPS_FOLDER = join(REPO, 'test/fixtures/atlassian/forge-apps');
  const WIKI_EXPORTER = a('app', '7d0c6a1e-3f5b-4c2a-9e8d-1b2c3d4e5f60');
  const TRIAGE_BOT = a('app', '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
  const withApps = () => imported([...fixtureFiles(), ...readRawFiles([APPS_FOLDER])]);

  it('an app reads the Confluence sites its read scopes name, and nothing of Jira', () => {
    const { fragment, report } = withApps();
    expect(report.records.forgeManifests).toBe(2);
    expect(node(fragment, WIKI_EXPORTER)).toMatchObject({
      kind: 'App', name: 'wiki-exporter',
      properties: { forgeAppId: 'ari:cloud:ecosystem::app/7d0c6a1e-3f5b-4c2a-9e8d-1b2c3d4e5f60', oauthScopes: ['read:confluence-content.all', 'read:page:confluence', 'search:confluence', 'storage:app'] },
    });
    expect(edgeKeys(fragment, { from: WIKI_EXPORTER })).toEqual([
      `CAN_READ ${WIKI_EXPORTER} -> ${CONFLUENCE}`,
      `CAN_READ ${WIKI_EXPORTER} -> ${SITES}`,
      `INSTALLED_IN ${WIKI_EXPORTER} -> ${a('platform', 'org')}`,
    ]);
    expect(edges(fragment, { from: WIKI_EXPORTER, to: CONFLUENCE })[0]).toMatchObject({ scopes: ['read:confluence-content.all', 'read:page:confluence', 'search:confluence'] });
    const graph = buildGraph(fragment);
    const fromApp = reach(graph, [graph.indexOf.get(WIKI_EXPORTER)!]);
    expect(fromApp.level[graph.indexOf.get(CONFLUENCE)!]).toBe(1);
    expect(fromApp.level[graph.indexOf.get(JIRA)!]).toBe(0);
  });

  it('writing permission schemes administers Jira; a scope no catalogue knows reaches every site at its assumed level, flagged and reported', () => {
    const { fragment, report } = withApps();
    expect(edges(fragment, { from: TRIAGE_BOT, to: JIRA })).toEqual([expect.objectContaining({ kind: 'CAN_ADMIN', assumed: true, scopes: ['read:future-widget:jira', 'read:jira-work', 'write:jira-work', 'write:permission-scheme:jira'] })]);
    expect(edges(fragment, { from: TRIAGE_BOT, to: CONFLUENCE })).toEqual([expect.objectContaining({ kind: 'CAN_READ', assumed: true, scopes: ['read:future-widget:jira'] })]);
    expect(report.unknownScopes).toEqual([{ scope: 'read:future-widget:jira', count: 1, assumedLevel: 'read' }]);
  });

  it('manifests alone need the organization; without product sites exported, the organization\'s sites node stands for them', () => {
    const alone = run(readRawFiles([APPS_FOLDER]));
    expect(!alone.ok && alone.issues[0]).toMatchObject({ message: 'no organization id' });
    const { fragment } = imported(readRawFiles([APPS_FOLDER]), { tenant: ORG });
    expect(edgeKeys(fragment, { from: WIKI_EXPORTER, kind: 'CAN_READ' })).toEqual([`CAN_READ ${WIKI_EXPORTER} -> ${SITES}`]);
  });

  it('a manifest without a Forge app id is an error naming the file, the JSON path and the line', () => {
    const bad = { path: 'apps/broken/manifest.yml', text: 'permissions:\n  scopes:\n    - read:jira-work\napp:\n  id: my-app\n' };
    const result = run([...fixtureFiles(), bad]);
    expect(!result.ok && result.issues).toEqual([expect.objectContaining({ file: 'apps/broken/manifest.yml', path: '$.app.id', line: 5 })]);
    const lenient = imported([...fixtureFiles(), bad], { lenient: true });
    expect(lenient.report.skipped.map((i) => `${i.file} ${i.path}`)).toEqual(['apps/broken/manifest.yml $.app.id']);
  });
});

describe('input amplification: the tenant is part of every node id', () => {
  it('an org id longer than any Atlassian id is refused with file and JSON path, not copied into every node id', () => {
    // Out of its orgs/<org id>/ folder, the token owners' orgId is the only place the organization is named.
    const files = readRawFiles([FIXTURE]).map((f) => (f.path.startsWith('orgs/') ? { path: f.path.replace(/^orgs\/[^/]+\//, ''), text: f.text.replaceAll(ORG, 'o'.repeat(100_000)) } : f));
    const result = run(files);
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'api-tokens.json', path: '$.data[0].user.orgId', expected: 'at most 256 characters' });
  });
});
