// The Make importer: API v2 answers (GET /api/v2/teams, /connections, /scenarios and each scenario's /blueprint, shaped
// as developers.make.com's examples) become scenarios holding the connections their modules use (routers' routes
// included), the account each connection signs in as (its metadata, or connection-links.json) and what modules do.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { governanceFindings } from '../../engine/analysis/findings.ts';
import { buildGraph } from '../../engine/store/compact.ts';
import { makeImporter } from '../../importers/make/index.ts';
import { findImporter } from '../../importers/registry.ts';
import { edgeKeys, importerFixture, nodeOf } from '../helpers/importer-fixture.ts';
import { REPO } from '../helpers/cli.ts';

const FIXTURE = join(REPO, 'test/fixtures/make/initech');
const m = (kind: string, native: string): string => `make:1177:${kind}:${native}`;
const PLATFORM = m('platform', 'organization');
const ONBOARD = m('app', 'scenario/925');
const OFFBOARD = m('app', 'scenario/926');
const OKTA = m('credential', 'connection/5101');

const { run, imported, fixtureFiles, fixture } = importerFixture(makeImporter, FIXTURE);
const node = nodeOf;

describe('the Make importer', () => {
  it('is registered and reads every endpoint; the organization comes from the teams', () => {
    expect(findImporter('make')).toBe(makeImporter);
    const { fragment, report } = fixture();
    expect(report.records).toEqual({ teams: 2, connections: 5, scenarios: 3, blueprints: 3 });
    expect(node(fragment, PLATFORM)).toMatchObject({ kind: 'Platform', vendor: 'Make' });
  });

  it('a scenario holds the connections its modules use, routers included, and says what they do', () => {
    const { fragment } = fixture();
    expect(edgeKeys(fragment, { from: ONBOARD, kind: 'HOLDS' })).toEqual(['5101', '5102', '5103'].map((c) => `HOLDS ${ONBOARD} -> ${m('credential', `connection/${c}`)}`));
    expect(node(fragment, ONBOARD).properties).toMatchObject({ identityActions: ['google-workspace AddMemberToGroup', 'okta AddUserToGroup', 'okta CreateUser'], ownerProject: '215' });
    expect(node(fragment, OFFBOARD).properties).toMatchObject({ identityActions: ['okta DeactivateUser'], hrWrites: ['bamboohr UpdateEmployee'], publicWebhook: true });
    expect(node(fragment, m('app', 'scenario/927')).properties).toMatchObject({ active: false });
    expect(edgeKeys(fragment, { to: ONBOARD, kind: 'MANAGES' })).toEqual([`MANAGES ${PLATFORM} -> ${ONBOARD}`, `MANAGES ${m('resource', 'team/215')} -> ${ONBOARD}`]);
  });

  it('a connection signs in as the account its metadata names (an email), else as connection-links.json says', () => {
    const { fragment, report } = fixture();
    expect(edgeKeys(fragment, { from: OKTA, kind: 'AUTHENTICATES_AS' })).toEqual([`AUTHENTICATES_AS ${OKTA} -> okta:*:identity:svc-make@initech.example`]);
    expect(edgeKeys(fragment, { from: m('credential', 'connection/5102'), kind: 'AUTHENTICATES_AS' })).toEqual([`AUTHENTICATES_AS ${m('credential', 'connection/5102')} -> google-workspace:*:identity:it-admin@initech.example`]);
    expect(edgeKeys(fragment, { from: m('credential', 'connection/5103'), kind: 'AUTHENTICATES_AS' })).toEqual([`AUTHENTICATES_AS ${m('credential', 'connection/5103')} -> bamboohr:*:identity:api-integration@initech.example`]);
    // Slack's metadata names a team, not an account: the one connection left unlinked.
    expect(edgeKeys(fragment, { from: m('credential', 'connection/5104'), kind: 'AUTHENTICATES_AS' })).toEqual([]);
    expect(report.notes.join('\n')).toContain('1 connections whose account is neither in their metadata nor in connection-links.json');
    expect(node(fragment, m('credential', 'connection/5102'))).toMatchObject({ type: 'oauth-grant', expiresAt: '2027-01-10T00:00:00.000Z', properties: { targetSystem: 'identity-provider', account: 'it-admin@initech.example' } });
  });

  it('raises the integration-platform findings', () => {
    const rules = ['BM-GOV-IDENTITY-CONTROL-PLANE', 'BM-GOV-SEGREGATION-OF-DUTIES', 'BM-GOV-SHARED-CONNECTION', 'BM-GOV-CONNECTION-CONCENTRATION'];
    const found = governanceFindings(buildGraph(fixture().fragment), { at: '2026-12-01', ruleIds: rules });
    expect(found.map((f) => `${f.ruleId} ${f.severity} ${f.nodeId}`).sort()).toEqual([
      `BM-GOV-CONNECTION-CONCENTRATION high ${PLATFORM}`, `BM-GOV-IDENTITY-CONTROL-PLANE critical ${OFFBOARD}`,
      `BM-GOV-IDENTITY-CONTROL-PLANE high ${ONBOARD}`, `BM-GOV-SEGREGATION-OF-DUTIES high ${OFFBOARD}`,
    ]);
    expect(found.find((f) => f.nodeId === ONBOARD)!.evidence.summary).toContain('who can edit it is not in the export');
  });

  it('a blueprint whose path does not name its scenario, or an export without an organization, is refused', () => {
    const stray = [...fixtureFiles(), { path: 'other/blueprint.json', text: JSON.stringify({ response: { blueprint: { flow: [] } } }) }];
    const result = run(stray);
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'other/blueprint.json', message: 'cannot tell which scenario this blueprint belongs to' });
    const noTeams = fixtureFiles().filter((f) => !f.path.endsWith('teams.json'));
    expect(!run(noTeams).ok).toBe(true);
    expect(imported(noTeams, { tenant: '1177' }).fragment.nodes.some((n) => n.id === PLATFORM)).toBe(true);
  });
});

describe('input amplification: the tenant is part of every node id', () => {
  it('an organization id longer than Make writes is refused with file and JSON path, not copied into every node id', () => {
    const result = run(fixtureFiles().map((f) => ({ ...f, text: f.text.replaceAll('"organizationId": 1177', `"organizationId": "${'1'.repeat(100_000)}"`) })));
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'teams.json', path: '$.teams[0].organizationId', expected: 'at most 256 characters' });
  });
});
