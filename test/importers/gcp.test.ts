// The gcp importer on real samples (../shared/corpus/google, from cartography's test data) and on a hand-made
// export of the fictional northwind-prod project (test/fixtures/gcp), built from the IAM REST reference:
// projects.serviceAccounts.list, projects.serviceAccounts.keys.list, projects.getIamPolicy and
// projects.serviceAccounts.getIamPolicy (Policy {version, etag, bindings[{role, members, condition}]}).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRawFiles, runImporter } from '../../cli/commands/import.ts';
import { edgeSchema, nodeSchema, type Fragment, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { toFragment } from '../../engine/store/compact.ts';
import { encodeSnapshot } from '../../engine/store/snapshot.ts';
import type { ImporterResult } from '../../importers/common/importer.ts';
import type { RawFile } from '../../importers/common/records.ts';
import { scopeCatalogSchema } from '../../importers/common/scopes.ts';
import { gcpImporter, transformGcp } from '../../importers/gcp/index.ts';
import { googleWorkspaceImporter } from '../../importers/google-workspace/index.ts';
import { REPO } from '../helpers/cli.ts';

/** A PEM private-key header, assembled so that no secret-shaped literal sits in the repository. */
const PEM_HEADER = ['-----BEGIN', 'PRIVATE', 'KEY-----'].join(' ');

const CORPUS = resolve(REPO, '../shared/corpus/google');
const FIXTURE = join(REPO, 'test/fixtures/gcp');
const P = 'gcp:northwind-prod';
const sa = (local: string): string => `${P}:identity:${local}@northwind-prod.iam.gserviceaccount.com`;

const corpusFile = (name: string): RawFile => ({ path: name, text: readFileSync(join(CORPUS, name), 'utf8') });
const fixture = (): RawFile[] => readRawFiles([FIXTURE]);

function ok(result: ImporterResult): Extract<ImporterResult, { ok: true }> {
  if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.issues, null, 2)}`);
  return result;
}
const triples = (fragment: Fragment): string[] => fragment.edges.map((e) => `${e.kind} ${e.from} -> ${e.to}`).sort();
const node = (fragment: Fragment, id: string): GraphNode => {
  const found = fragment.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
};
const edge = (fragment: Fragment, kind: string, from: string, to: string): GraphEdge | undefined => fragment.edges.find((e) => e.kind === kind && e.from === from && e.to === to);
const into = (fragment: Fragment, kind: string, to: string): string[] => fragment.edges.filter((e) => e.kind === kind && e.to === to).map((e) => e.from).sort();

describe('gcp: the corpus samples', () => {
  const C = 'gcp:project-abc';
  const result = ok(transformGcp([corpusFile('gcp-iam-service-accounts-list.cartography.json'), corpusFile('gcp-iam-service-account-keys-list.cartography.json')], {}));
  const one = `${C}:identity:service-account-1@project-abc.iam.gserviceaccount.com`;
  const two = `${C}:identity:service-account-2@project-abc.iam.gserviceaccount.com`;
  const key = `${C}:credential:service-account-1@project-abc.iam.gserviceaccount.com/keys/0987654321`;

  it('maps service accounts and their user-managed key to exactly these nodes and edges', () => {
    expect(result.fragment.nodes.map((n) => `${n.kind} ${n.id}`).sort()).toEqual([`Credential ${key}`, `Identity ${one}`, `Identity ${two}`, `Platform ${C}:platform:project-abc`]);
    expect(triples(result.fragment)).toEqual([
      `AUTHENTICATES_AS ${key} -> ${one}`,
      `MANAGES ${C}:platform:project-abc -> ${one}`,
      `MANAGES ${C}:platform:project-abc -> ${two}`,
    ]);
    expect(result.report.notes).toContain('1 Google-managed (SYSTEM_MANAGED) key skipped: they never leave Google');
  });

  it('keeps the OAuth client id (for domain-wide delegation) and the disabled flag', () => {
    expect(node(result.fragment, one)).toMatchObject({ subtype: 'service', name: 'Service Account 1', email: 'service-account-1@project-abc.iam.gserviceaccount.com', enabled: true, properties: { clientId: '112233445566778899', uniqueId: '112233445566778899', projectId: 'project-abc' } });
    expect(node(result.fragment, two).enabled).toBe(false);
  });

  it('dates the key by its validity window', () => {
    expect(node(result.fragment, key)).toMatchObject({ type: 'certificate', createdAt: '2023-02-01T00:00:00.000Z', expiresAt: '2024-02-01T00:00:00.000Z', properties: { keyId: '0987654321', keyType: 'USER_MANAGED', keyOrigin: 'USER_PROVIDED' } });
  });
});

describe('gcp: keys', () => {
  const { fragment } = ok(transformGcp(fixture(), {}));

  it('reads keys saved per account (gcloud bare arrays or REST {keys}) and omits the expiry of a key that never expires', () => {
    const backup = node(fragment, `${P}:credential:backup-sa@northwind-prod.iam.gserviceaccount.com/keys/3f1c9a0d2e4b5c6d7e8f90a1b2c3d4e5f6a7b8c9`);
    expect(backup).toMatchObject({ type: 'certificate', createdAt: '2024-05-01T10:00:00.000Z', properties: { neverExpires: true } });
    expect(backup.expiresAt).toBeUndefined();
    expect(edge(fragment, 'AUTHENTICATES_AS', backup.id, sa('backup-sa'))).toBeDefined();
  });

  it('keeps a disabled key as revoked, and skips Google-managed keys', () => {
    expect(node(fragment, `${P}:credential:ci-deployer@northwind-prod.iam.gserviceaccount.com/keys/77aa88bb99cc00dd11ee22ff33aa44bb55cc66dd`)).toMatchObject({ revoked: true, expiresAt: '2026-01-15T00:00:00.000Z' });
    expect(fragment.nodes.some((n) => n.id.endsWith('0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b'))).toBe(false);
  });
});

describe('gcp: IAM bindings', () => {
  const { fragment, report } = ok(transformGcp(fixture(), {}));
  const project = `${P}:platform:northwind-prod`;

  it('makes one role per binding role, held by its members, with the authority the role catalogue gives it', () => {
    expect(edge(fragment, 'CAN_ADMIN', `${P}:role:roles/owner`, project)).toMatchObject({ scopes: ['roles/owner'] });
    expect(edge(fragment, 'CAN_ADMIN', `${P}:role:roles/editor`, project)).toBeDefined();
    expect(edge(fragment, 'CAN_READ', `${P}:role:roles/viewer`, project)).toBeDefined();
    expect(edge(fragment, 'CAN_READ', `${P}:role:roles/storage.objectViewer`, `${P}:resource:service/storage`)).toBeDefined();
    expect(edge(fragment, 'CAN_READ', `${P}:role:roles/secretmanager.secretAccessor`, `${P}:resource:service/secrets`)).toBeDefined();
    expect(node(fragment, `${P}:resource:service/secrets`)).toMatchObject({ tags: ['secrets'] });
    expect(edge(fragment, 'CONTAINS', project, `${P}:resource:service/storage`)).toBeDefined();
    expect(node(fragment, `${P}:role:roles/owner`).privileged).toBe(true);
    expect(node(fragment, `${P}:role:roles/storage.objectViewer`).privileged).toBe(false);
  });

  it('resolves members: users and groups to Workspace stubs by email, this project\'s service accounts directly', () => {
    expect(into(fragment, 'HAS_ROLE', `${P}:role:roles/owner`)).toEqual(['google-workspace:*:identity:ada@northwind.example']);
    expect(into(fragment, 'HAS_ROLE', `${P}:role:roles/storage.objectViewer`)).toEqual([sa('backup-sa'), 'google-workspace:*:group:data-team@northwind.example']);
    expect(into(fragment, 'HAS_ROLE', `${P}:role:roles/editor`)).toEqual(['gcp:*:identity:northwindprod@appspot.gserviceaccount.com', sa('ci-deployer')]);
  });

  it('gives takeover roles control of every service account of the project', () => {
    const creator = `${P}:role:roles/iam.serviceAccountTokenCreator`;
    expect(fragment.edges.filter((e) => e.kind === 'CAN_ADD_CREDENTIAL' && e.from === creator).map((e) => e.to).sort()).toEqual(['backup-sa', 'ci-deployer', 'hr-sync', 'legacy-etl'].map(sa));
    expect(into(fragment, 'MANAGES', sa('hr-sync'))).toEqual([project]);
  });

  it('keeps a binding condition on the membership edge', () => {
    expect(edge(fragment, 'HAS_ROLE', 'google-workspace:*:identity:ben@northwind.example', `${P}:role:roles/iam.serviceAccountTokenCreator`)).toMatchObject({ conditions: ['iam-condition'], properties: { condition: 'office hours' } });
  });

  it('lets a service account\'s own policy give control of that account only', () => {
    const role = `${P}:role:hr-sync@northwind-prod.iam.gserviceaccount.com/roles/iam.serviceAccountUser`;
    expect(fragment.edges.filter((e) => e.from === role).map((e) => `${e.kind} ${e.to}`)).toEqual([`CAN_ADD_CREDENTIAL ${sa('hr-sync')}`]);
    expect(into(fragment, 'HAS_ROLE', role)).toEqual(['google-workspace:*:identity:dan@northwind.example']);
  });

  it('gives a role not in the catalogue the conservative level on its service, flagged assumed and reported', () => {
    expect(edge(fragment, 'CAN_ADMIN', `${P}:role:roles/run.admin`, `${P}:resource:service/run`)).toMatchObject({ assumed: true, scopes: ['roles/run.admin'] });
    expect(report.unknownScopes).toEqual([{ scope: 'roles/run.admin', count: 1, assumedLevel: 'admin' }]);
  });

  it('reads a role named like an object property as unknown', () => {
    const files = [...fixture().filter((f) => f.path !== 'iam-policy.json'), { path: 'iam-policy.json', text: JSON.stringify({ bindings: [{ role: 'constructor', members: ['user:ben@northwind.example'] }] }) }];
    const result = ok(transformGcp(files, {}));
    expect(result.report.unknownScopes).toEqual([{ scope: 'constructor', count: 1, assumedLevel: 'admin' }]);
    expect(edge(result.fragment, 'CAN_ADMIN', `${P}:role:constructor`, project)).toMatchObject({ assumed: true });
  });

  it('reports public and deleted members instead of mapping them', () => {
    expect(report.notes).toContain('1 IAM binding member not mapped (deleted principals)');
    expect(report.notes).toContain('PUBLIC: roles/viewer to allAuthenticatedUsers (anyone with a Google account holds this role; not mapped)');
    expect(into(fragment, 'HAS_ROLE', `${P}:role:roles/viewer`)).toEqual([]);
  });

  it('accepts a policy with no bindings', () => {
    const files = [...fixture().filter((f) => f.path !== 'iam-policy.json'), { path: 'iam-policy.json', text: '{"version": 1, "etag": "ACAB"}' }];
    expect(ok(transformGcp(files, {})).fragment.nodes.some((n) => n.id === `${P}:role:roles/owner`)).toBe(false);
  });
});

describe('gcp: validation and determinism', () => {
  it('takes the project from the accounts, says which projects compete, and accepts --tenant', () => {
    const two = JSON.stringify({ accounts: [
      { email: 'a@p1.iam.gserviceaccount.com', uniqueId: '1', projectId: 'p1' },
      { email: 'b@p2.iam.gserviceaccount.com', uniqueId: '2', projectId: 'p2' },
    ] });
    const result = transformGcp([{ path: 'service-accounts.json', text: two }], {});
    expect(!result.ok && result.issues[0]).toMatchObject({ message: 'cannot tell the project', found: 'several: p1, p2' });
    expect(ok(transformGcp([{ path: 'service-accounts.json', text: two }], { tenant: 'p1' })).fragment.nodes.every((n) => n.tenant === 'p1')).toBe(true);
  });

  it('fails on a missing required field with file and JSON path, and skips it with --lenient', () => {
    const keys = JSON.stringify({ keys: [{ name: 'projects/northwind-prod/serviceAccounts/x@y/keys/k1', keyType: 'USER_MANAGED' }, { name: 'projects/northwind-prod/serviceAccounts/x@y/keys/k2' }] });
    const files = [...fixture(), { path: 'keys/x@y.json', text: keys }];
    const strict = transformGcp(files, {});
    expect(!strict.ok && strict.issues.map((i) => `${i.file} ${i.path}: ${i.expected}`)).toEqual(['keys/x@y.json $.keys[1].keyType: a string']);
    const lenient = ok(transformGcp(files, { lenient: true }));
    expect(lenient.report.skipped.map((i) => i.path)).toEqual(['$.keys[1].keyType']);
    expect(lenient.fragment.nodes.some((n) => n.id === `${P}:credential:x@y/keys/k1`)).toBe(true);
  });

  it('produces nodes and edges that satisfy the native schema, and the same graph when imported twice', () => {
    const { fragment } = ok(transformGcp(fixture(), {}));
    const nodeShape = nodeSchema();
    const edgeShape = edgeSchema();
    for (const n of fragment.nodes) expect(nodeShape.safeParse(n).success, n.id).toBe(true);
    for (const e of fragment.edges) expect(edgeShape.safeParse(e).success, `${e.kind} ${e.from}`).toBe(true);
    const once = assembleGraph([runImporter(gcpImporter, fixture(), {}).sourced]).graph;
    const twice = assembleGraph([runImporter(gcpImporter, [...fixture()].reverse(), {}).sourced], once).graph;
    expect(toFragment(twice)).toEqual(toFragment(once));
  });

  it('ships a role catalogue that validates', () => {
    expect(scopeCatalogSchema.safeParse(JSON.parse(readFileSync(join(REPO, 'importers/gcp/roles.json'), 'utf8'))).success).toBe(true);
  });

  it('never lets a private key from a saved keys.create response into the graph or a snapshot', () => {
    const SECRET = 'EXAMPLE-not-a-real-secret-1234567890';
    const keys = JSON.stringify([{ name: 'projects/northwind-prod/serviceAccounts/backup-sa@northwind-prod.iam.gserviceaccount.com/keys/abc', keyType: 'USER_MANAGED', privateKeyType: 'TYPE_GOOGLE_CREDENTIALS_FILE', privateKeyData: Buffer.from(`{"private_key": "${PEM_HEADER}\\n${SECRET}"}`).toString('base64'), privateKey: SECRET }]);
    const files = [...fixture().filter((f) => f.path === 'service-accounts.json'), { path: 'keys/new.json', text: keys }];
    const { sourced } = runImporter(gcpImporter, files, {});
    const text = JSON.stringify(sourced.fragment);
    expect(text).not.toContain('EXAMPLE');
    expect(text).not.toContain(JSON.parse(keys)[0].privateKeyData as string);
    expect(new TextDecoder().decode(encodeSnapshot(assembleGraph([sourced]).graph))).not.toContain('EXAMPLE');
  });

  it('links to Workspace whichever is imported first: users by email, domain-wide delegation by client id', () => {
    const workspace = runImporter(googleWorkspaceImporter, readRawFiles([join(REPO, 'test/fixtures/google-workspace')]), {}).sourced;
    const cloud = runImporter(gcpImporter, fixture(), {}).sourced;
    for (const order of [[workspace, cloud], [cloud, workspace]]) {
      const first = assembleGraph([order[0]!]).graph;
      const { graph } = assembleGraph([order[1]!], first);
      const merged = toFragment(graph);
      expect(merged.nodes.some((n) => n.id === 'gcp:*:identity:112233445566778899001')).toBe(false);
      expect(edge(merged, 'HOLDS', sa('backup-sa'), 'google-workspace:northwind.example:credential:domain-wide-delegation/112233445566778899001')).toBeDefined();
      expect(edge(merged, 'HAS_ROLE', 'google-workspace:northwind.example:identity:ada@northwind.example', `${P}:role:roles/owner`)).toBeDefined();
      // the group has no Workspace node yet: the stub stays
      expect(merged.nodes.some((n) => n.id === 'google-workspace:*:group:data-team@northwind.example')).toBe(true);
    }
  });
});

describe('input amplification: the tenant is part of every node id', () => {
  it('a project id longer than any GCP project id is refused with file and JSON path, not copied into every node id', () => {
    const files = fixture().map((f) => (f.path === 'service-accounts.json' ? { ...f, text: f.text.replaceAll('"projectId": "northwind-prod"', `"projectId": "${'a'.repeat(100_000)}"`) } : f));
    const result = gcpImporter.transform(files, {});
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'service-accounts.json', path: '$.accounts[0].projectId', expected: 'at most 256 characters' });
  });
});
