// Files are recognised by their content (the shape of each endpoint's response), their names being a hint: real
// exports under the names other tools give them (cloudsplaining, openhound, cartography, plain renames) import as
// under the documented names, ambiguous shapes are told apart by distinctive fields, and an unrecognised file is
// listed with the endpoints it most resembles.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRawFiles } from '../../cli/commands/import.ts';
import { classifyFiles, type FileRole, type FileShape, type Importer, type ImporterOptions } from '../../importers/common/importer.ts';
import type { RawFile } from '../../importers/common/records.ts';
import { findImporter, IMPORTERS } from '../../importers/registry.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';
import { mkdirSync, writeFileSync } from 'node:fs';

const CORPUS = resolve(REPO, '../shared/corpus');
const importer = (source: string): Importer => findImporter(source)!;
const corpus = (path: string, as = path.split('/').pop()!): RawFile => ({ path: as, text: readFileSync(join(CORPUS, path), 'utf8') });
const json = (path: string, body: unknown): RawFile => ({ path, text: JSON.stringify(body) });
const roleOf = (source: string, files: readonly RawFile[]): Record<string, string> => {
  const { byRole } = classifyFiles(files, importer(source).files);
  return Object.fromEntries([...byRole].flatMap(([role, list]) => list.map((file) => [file.path, role])));
};
function imported(source: string, files: readonly RawFile[], options: ImporterOptions = {}) {
  const result = importer(source).transform(files, options);
  if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.issues.slice(0, 5), null, 2)}`);
  return result;
}

/** Exports with their documented names: every top-level response renamed to a neutral name must import the same. */
const EXPORTS: [string, string][] = [
  ['entra', 'test/fixtures/entra/corp'], ['github', 'test/fixtures/github/corvid'], ['okta', 'test/fixtures/okta/org'],
  ['aws', 'test/fixtures/aws/corvid-prod'], ['slack', 'test/fixtures/slack/workspace'], ['salesforce', 'test/fixtures/salesforce/org'],
  ['gcp', 'test/fixtures/gcp'], ['google-workspace', 'test/fixtures/google-workspace'],
  ['entra', 'datasets/demo/exports/entra'], ['github', 'datasets/demo/exports/github'], ['okta', 'datasets/demo/exports/okta'],
  ['slack', 'datasets/demo/exports/slack'], ['salesforce', 'datasets/demo/exports/salesforce'], ['aws', 'datasets/demo/exports/aws/corvid-prod'],
];
/** Roles whose response is the same as another's: only the name tells them apart (documented in docs/importers/README.md). */
const SAME_RESPONSE_AS: Record<string, string> = { 'github/owners': 'members' };

describe('recognised by content: documented exports renamed', () => {
  for (const [source, folder] of EXPORTS) {
    it(`${folder}: every response file imports the same under a neutral name`, () => {
      const files = readRawFiles([join(REPO, folder)]);
      const named = roleOf(source, files);
      const roles = new Map(importer(source).files.map((role) => [role.role, role]));
      let renamedCount = 0;
      const renamed = files.map((file, i) => {
        const role = roles.get(named[file.path] ?? '');
        const empty = /^\s*\[\s*\]\s*$/.test(file.text);
        // Sub-resources keep their folder (it names their parent); hand-written files have no response shape.
        if (file.path.includes('/') || !role?.shape || SAME_RESPONSE_AS[`${source}/${role.role}`] || empty) return file;
        renamedCount++;
        return { ...file, path: `response-${i}.${file.path.split('.').pop()}` };
      });
      expect(renamedCount).toBeGreaterThan(0);
      const before = imported(source, files);
      const after = imported(source, renamed);
      expect(after.fragment).toEqual(before.fragment);
      expect(after.report.records).toEqual(before.report.records);
    });
  }
});

/** The smallest response a shape describes: its fields (one of `anyOf`), under its first envelope key. */
function minimalResponse(shape: FileShape): unknown {
  if (shape.keys) return Object.fromEntries(shape.keys.map((key) => [key, 'x']));
  const record: Record<string, unknown> = {};
  for (const field of [...(shape.fields ?? []), ...(shape.anyOf ?? []).slice(0, 1)]) {
    const parts = field.split('.');
    let at = record;
    for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
    at[parts.at(-1)!] = 'x';
  }
  if ((shape.fields ?? []).length === 0 && !shape.anyOf) return { [shape.envelope![0]!]: ['x'] };
  return shape.envelope && !shape.bareOnly ? { [shape.envelope[0]!]: [record] } : [record];
}

describe('ambiguous shapes are told apart by their distinctive fields', () => {
  for (const imp of IMPORTERS) {
    it(`${imp.source}: the minimal response of each endpoint is recognised as that endpoint, whatever its name`, () => {
      const shaped = imp.files.filter((role): role is FileRole & { shape: FileShape } => role.shape !== undefined && !role.shape.text);
      expect(shaped.length).toBeGreaterThan(0);
      for (const role of shaped) {
        const file = json('unnamed-response.json', minimalResponse(role.shape));
        expect({ role: role.role, got: roleOf(imp.source, [file])['unnamed-response.json'] }).toEqual({ role: role.role, got: role.role });
      }
    });
  }
});

// GitHub's documented response bodies (organization-programmatic-access-grant and -request), trimmed.
const PAT_OWNER = { login: 'octocat', id: 1, type: 'User', site_admin: false };
const PAT_GRANT = { id: 25381, owner: PAT_OWNER, repository_selection: 'all', repositories_url: 'https://api.github.com/organizations/652551/personal-access-tokens/25381/repositories', permissions: { organization: { members: 'read' }, repository: { metadata: 'read' } }, access_granted_at: '2023-05-16T08:47:09.000-07:00', token_id: 98716, token_name: 'Some Token', token_expired: false, token_expires_at: '2023-11-16T08:47:09.000-07:00', token_last_used_at: null };
const PAT_REQUEST = { id: 25381, reason: 'I need to access the API', owner: PAT_OWNER, repository_selection: 'all', repositories_url: 'https://api.github.com/organizations/652551/personal-access-token-requests/25381/repositories', permissions: { organization: { members: 'read' }, repository: { metadata: 'read' } }, created_at: '2023-05-16T08:47:09.000-07:00', token_id: 98716, token_name: 'Some Token', token_expired: false, token_expires_at: '2023-11-16T08:47:09.000-07:00', token_last_used_at: null };

describe('the cases of issue 21', () => {
  it('GitHub: a PAT-grant list named org-*.json is read as PAT grants (not the organization), with a note', () => {
    const result = imported('github', [json('org.json', { login: 'corvid', id: 9919, members_url: 'https://api.github.com/orgs/corvid/members{/member}' }), json('org-pat-grants.json', [PAT_GRANT])]);
    expect(result.report.records).toMatchObject({ organization: 1, patGrants: 1 });
    expect(result.report.notes.join('\n')).toContain('org-pat-grants.json: read as patGrants');
  });

  it('GitHub: a PAT request list saved as personal-access-tokens.json is read as requests, not as live tokens', () => {
    expect(roleOf('github', [json('personal-access-tokens.json', [PAT_REQUEST])])).toEqual({ 'personal-access-tokens.json': 'patRequests' });
    expect(roleOf('github', [json('personal-access-token-requests.json', [PAT_GRANT])])).toEqual({ 'personal-access-token-requests.json': 'patGrants' });
  });

  it('AWS: the authorization details under cloudsplaining\'s names (or any name) import as under the documented name', () => {
    const documented = imported('aws', [corpus('aws/get-account-authorization-details.small.json', 'account-authorization-details.json')]);
    for (const name of ['example_authz_v2.json', 'example-authz-details.json', 'iam.json']) {
      const result = imported('aws', [corpus('aws/get-account-authorization-details.small.json', name)]);
      expect(result.fragment).toEqual(documented.fragment);
    }
  });

  it('AWS: a missing required file is explained by the endpoint, never by a regular expression', () => {
    const result = importer('gcp').transform([json('iam-policy.json', { bindings: [], etag: 'BwX' })], {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.expected).toBe('the response of gcloud iam service-accounts list --project=PROJECT --format=json > service-accounts.json');
  });

  const TENANT = '4c1e9a6e-2f3b-4d5a-9b8c-7e6f5a4b3c2d';
  const APP = { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#applications/$entity', id: '03ef14b0-ca33-4840-8f4f-d6e91916010e', appId: '631a96bc-a705-4eda-9f99-fdaf9f54f6a2', displayName: 'Payroll sync', signInAudience: 'AzureADMyOrg', passwordCredentials: [], keyCredentials: [], requiredResourceAccess: [] };
  const SP = { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/$entity', id: '59e617e5-e447-4adc-8b88-00af644d7c92', appId: '631a96bc-a705-4eda-9f99-fdaf9f54f6a2', displayName: 'Payroll sync', servicePrincipalType: 'Application', appOwnerOrganizationId: TENANT, accountEnabled: true, passwordCredentials: [], keyCredentials: [] };

  it('Entra: single-object GET /applications/{id} and /servicePrincipals/{id} responses import, whatever their names', () => {
    const result = imported('entra', [json('app-payroll.json', APP), json('sp-payroll.json', SP)], { tenant: TENANT });
    expect(result.report.records).toMatchObject({ applications: 1, servicePrincipals: 1 });
    const app = result.fragment.nodes.find((n) => n.id === `entra:${TENANT}:app:${APP.appId}`);
    expect(app?.thirdParty).toBe(false);
  });

  it('Entra: a $select-ed service principal (no appOwnerOrganizationId) is not taken for an app registered in the tenant', () => {
    const selected = { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(id,appId,displayName)', value: [{ id: SP.id, appId: '9b1f2a3c-0000-4000-8000-00000000abcd', displayName: 'Vendor sync' }] };
    const full = { ...selected, value: [{ ...selected.value[0], appOwnerOrganizationId: TENANT }] };
    const owned = imported('entra', [json('sps.json', full)], { tenant: TENANT });
    const unknown = imported('entra', [json('sps.json', selected)], { tenant: TENANT });
    const appId = `entra:${TENANT}:app:9b1f2a3c-0000-4000-8000-00000000abcd`;
    expect(owned.report.records).toEqual({ servicePrincipals: 1 });
    expect(unknown.report.records).toEqual({ servicePrincipals: 1 });
    const ownedApp = owned.fragment.nodes.find((n) => n.id === appId)!;
    const unknownApp = unknown.fragment.nodes.find((n) => n.id === appId)!;
    expect([ownedApp.thirdParty, ownedApp.properties?.appOwnerOrganizationId]).toEqual([false, TENANT]);
    expect([unknownApp.thirdParty, unknownApp.properties?.appOwnerOrganizationId, unknownApp.properties?.ownerUnknown]).toEqual([undefined, undefined, true]);
    expect(owned.report.notes.join('\n')).toContain('service principals of this tenant whose application is not in applications.json');
    expect(unknown.report.notes.join('\n')).not.toContain('service principals of this tenant whose application is not in applications.json');
    expect(unknown.report.notes.join('\n')).toContain('without appOwnerOrganizationId');
  });

  it('AWS: cloudmapper\'s credential report (Content already decoded) imports like the CSV; --lenient skips a bad one', () => {
    const csv = readFileSync(join(REPO, 'test/fixtures/aws/corvid-prod/credential-report.csv'), 'utf8');
    const asCsv = imported('aws', [{ path: 'credential-report.csv', text: csv }]);
    const decoded = imported('aws', [json('iam-get-credential-report.json', { Content: csv, ReportFormat: 'text/csv', GeneratedTime: '2026-11-01T00:00:00Z' })]);
    expect(decoded.fragment).toEqual(asCsv.fragment);
    const bad = json('credential-report.json', { Content: '%%% not a report %%%', ReportFormat: 'text/csv' });
    expect(importer('aws').transform([bad, { path: 'credential-report.csv', text: csv }], {}).ok).toBe(false);
    const lenient = importer('aws').transform([bad, { path: 'credential-report.csv', text: csv }], { lenient: true });
    expect(lenient.ok && lenient.report.skipped.map((s) => s.file)).toEqual(['credential-report.json']);
  });
});

describe('the upstream samples under the names their origin gave them', () => {
  it('openhound-github: every file is recognised (the secret\'s repository list filed under actions/secrets/<name>/)', () => {
    const dir = join(CORPUS, 'upstream/openhound-github');
    const files = readRawFiles([dir]).map((file) => (file.path === 'selected-org-secrets.json' ? { ...file, path: 'actions/secrets/GH_TOKEN/selected-org-secrets.json' } : file));
    const result = imported('github', files);
    expect(result.report.ignoredFiles).toEqual([]);
    expect(result.report.records).toEqual({ organization: 1, repositories: 1, installations: 1, apps: 1, organizationSecrets: 3, organizationSecretRepositories: 1, environments: 1 });
  });

  it('openhound-github: the secret\'s repository list without its secret in the path is an error naming both places it could go', () => {
    const result = importer('github').transform(readRawFiles([join(CORPUS, 'upstream/openhound-github')]), {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => `${i.file}: ${i.expected}`)).toEqual([expect.stringMatching(/^selected-org-secrets\.json: .*installations\/<installation id>\/repositories\.json.*actions\/secrets\/<SECRET_NAME>/)]);
  });

  it('openhound-okta: group_apps.json and group_members.json are read as apps and users', () => {
    const result = imported('okta', readRawFiles([join(CORPUS, 'upstream/openhound-okta')]), { tenant: 'example.okta.com' });
    expect(result.report.records).toEqual({ apps: 1, users: 1 });
  });
});

describe('an unrecognised file', () => {
  it('is ignored and listed with the endpoints it most resembles, and what it lacks for each', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'export'));
    writeFileSync(join(dir, 'export', 'mystery.json'), JSON.stringify({ value: [{ id: 'x', displayName: 'y', appRoleId: '1', principalId: '2' }] }));
    writeFileSync(join(dir, 'export', 'organization.json'), JSON.stringify({ value: [{ id: '4c1e9a6e-2f3b-4d5a-9b8c-7e6f5a4b3c2d', displayName: 'Corp', verifiedDomains: [] }] }));
    const run = await runCli(['import', 'entra', join(dir, 'export'), '--graph', join(dir, 'g.bmap')]);
    expect(run.err).toBe('');
    expect(run.out).toContain('ignored files no endpoint matched: mystery.json');
    expect(run.out).toMatch(/mystery\.json resembles:\n {4}appRoleAssignments \(GET \/servicePrincipals\/\{id\}\/appRoleAssignments or \/appRoleAssignedTo\): lacks resourceId\n/);
  });
});
