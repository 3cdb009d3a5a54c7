// The permission catalogues against the fixtures: a scope in any test fixture, demo export or shared-corpus sample
// that its platform's catalogue lacks fails here, unless the fixture holds it on purpose (to exercise the rule for
// scopes no catalogue knows). The Entra catalogue is generated from Microsoft's published Graph permissions
// (scripts/scopes/generate-entra.ts); the issue's five permissions land on their real resources.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRawFiles } from '../../cli/commands/import.ts';
import { lookupScope } from '../../importers/common/scopes.ts';
import { ENTRA_SCOPES } from '../../importers/entra/catalog.ts';
import { findImporter } from '../../importers/registry.ts';
import { REPO } from '../helpers/cli.ts';

const CORPUS = resolve(REPO, '../shared/corpus');

/** Exports whose scopes are checked: every fixture, demo export and corpus sample that carries scopes. */
const EXPORTS: { source: string; folder: string; tenant?: string; skip?: RegExp }[] = [
  { source: 'entra', folder: 'test/fixtures/entra/corp' },
  { source: 'entra', folder: 'test/fixtures/entra/test-tenant' },
  { source: 'entra', folder: 'datasets/demo/exports/entra' },
  // The credential samples name no owner by path; their scopes are not the point here.
  { source: 'entra', folder: `${CORPUS}/entra`, tenant: '4c1e9a6e-2f3b-4d5a-9b8c-7e6f5a4b3c2d', skip: /Credential/ },
  { source: 'github', folder: 'test/fixtures/github/corvid' },
  { source: 'github', folder: 'datasets/demo/exports/github' },
  { source: 'okta', folder: 'test/fixtures/okta/org' },
  { source: 'okta', folder: 'datasets/demo/exports/okta' },
  { source: 'okta', folder: `${CORPUS}/okta`, tenant: 'example.okta.com', skip: /grants/ },
  { source: 'slack', folder: 'test/fixtures/slack/workspace' },
  { source: 'slack', folder: 'datasets/demo/exports/slack' },
  { source: 'slack', folder: `${CORPUS}/slack` },
  { source: 'google-workspace', folder: 'test/fixtures/google-workspace' },
  { source: 'google-workspace', folder: 'datasets/demo/exports/google-workspace' },
  { source: 'google-workspace', folder: `${CORPUS}/google`, skip: /gcp-/ },
  { source: 'salesforce', folder: 'test/fixtures/salesforce/org' },
  { source: 'salesforce', folder: 'datasets/demo/exports/salesforce' },
  { source: 'atlassian', folder: 'test/fixtures/atlassian/org' },
  { source: 'aws', folder: 'test/fixtures/aws/corvid-prod' },
  { source: 'aws', folder: 'datasets/demo/exports/aws/corvid-prod' },
  { source: 'aws', folder: 'datasets/demo/exports/aws/corvid-staging' },
  { source: 'gcp', folder: 'test/fixtures/gcp' },
];

/**
 * Scopes fixtures hold on purpose, unknown to the catalogue: each test that uses it checks the assumed level.
 * Anything else a fixture names must be in the catalogue.
 */
const ON_PURPOSE: Record<string, string[]> = {
  'test/fixtures/github/corvid': ['artifact_metadata:write'],
  'test/fixtures/okta/org': ['expenses:approve'],
  [`${CORPUS}/okta`]: ['car:drive'],
  'test/fixtures/slack/workspace': ['huddles:transcripts:read'],
  'test/fixtures/google-workspace': ['https://www.googleapis.com/auth/youtube.readonly'],
  'test/fixtures/gcp': ['roles/run.admin'],
};

describe('every scope a fixture names is catalogued (or unknown on purpose)', () => {
  for (const { source, folder, tenant, skip } of EXPORTS) {
    it(`${source}: ${folder.replace(CORPUS, 'shared corpus')}`, () => {
      const files = readRawFiles([resolve(REPO, folder)]).filter((file) => !skip?.test(file.path));
      const result = findImporter(source)!.transform(files, { tenant, lenient: true });
      if (!result.ok) throw new Error(JSON.stringify(result.issues.slice(0, 3)));
      expect(result.report.unknownScopes.map((s) => s.scope)).toEqual(ON_PURPOSE[folder] ?? []);
    });
  }
});

describe('the Entra catalogue, generated from the published Graph permissions', () => {
  it('holds every Microsoft Graph permission the issue found on a made-up resource, on its real resource', () => {
    const of = (scope: string) => lookupScope(ENTRA_SCOPES, scope);
    expect(of('ChannelMember.ReadWrite.All')).toMatchObject({ assumed: false, entry: { resources: ['chats'], tenantWide: true } });
    expect(of('DeviceManagementApps.ReadWrite.All')).toMatchObject({ assumed: false, entry: { level: 'admin', resources: ['devices'] } });
    expect(of('DeviceManagementRBAC.ReadWrite.All')).toMatchObject({ assumed: false, entry: { level: 'admin', resources: ['devices'] } });
    expect(of('DeviceManagementServiceConfig.ReadWrite.All')).toMatchObject({ assumed: false, entry: { level: 'admin', resources: ['devices'] } });
    expect(of('Tasks.ReadWrite.Shared')).toMatchObject({ assumed: false, entry: { level: 'write', resources: ['tasks'], tenantWide: false } });
  });

  it('is complete: the delegated and application permissions of the reference, with its source and date', () => {
    expect(Object.keys(ENTRA_SCOPES.scopes).length).toBeGreaterThan(900);
    expect(ENTRA_SCOPES.reference).toMatch(/microsoft-graph-devx-content permissions\/new\/permissions\.json \(MIT licence\) at commit [0-9a-f]{40} \(\d{4}-\d{2}-\d{2}\)/);
    // Derived entries read the operation: full control is admin, a change write, anything else read.
    expect(lookupScope(ENTRA_SCOPES, 'Sites.FullControl.All').entry).toMatchObject({ level: 'admin', resources: ['files'], tenantWide: true });
    expect(lookupScope(ENTRA_SCOPES, 'Chat.ReadWrite.All').entry).toMatchObject({ level: 'write', resources: ['chats'] });
    expect(lookupScope(ENTRA_SCOPES, 'Printer.Read.All').entry).toMatchObject({ level: 'read', resources: [] });
  });
});
