// Approvals read from the platforms' audit data (an optional file in each importer's export folder): the
// approver, the time and the scopes approved land on the grant, and the approval findings read them.
// Payloads follow each platform's published event shapes (docs/importers/<source>.md shows one of each).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { governanceFindings } from '../../engine/analysis/findings.ts';
import { finishFragment } from '../../engine/format/validate.ts';
import type { GraphEdge, GraphNode } from '../../engine/format/native.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { readRawFiles } from '../../cli/commands/import.ts';
import type { Importer } from '../../importers/common/importer.ts';
import type { RawFile } from '../../importers/common/records.ts';
import { auditValue, consentEntries } from '../../importers/entra/audit.ts';
import { entraImporter } from '../../importers/entra/index.ts';
import { githubImporter } from '../../importers/github/index.ts';
import { googleWorkspaceImporter } from '../../importers/google-workspace/index.ts';
import { oktaImporter } from '../../importers/okta/index.ts';
import { salesforceImporter } from '../../importers/salesforce/index.ts';
import { slackImporter } from '../../importers/slack/index.ts';
import { LATER } from '../../scripts/demo-exports/google-workspace.ts';
import { REPO } from '../helpers/cli.ts';

const RULES = ['BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL', 'BM-GOV-APPROVER-DISABLED'];

function importAll(importer: Importer, files: readonly RawFile[]): { graph: CompactGraph; nodes: Map<string, GraphNode>; edges: GraphEdge[]; notes: string[] } {
  const result = importer.transform(files, {});
  if (!result.ok) throw new Error(JSON.stringify(result.issues.slice(0, 5), null, 2));
  const finished = finishFragment(result.fragment, { nodePaths: result.fragment.nodes.map((n) => n.id), edgePaths: result.fragment.edges.map((e) => e.kind) });
  if (!finished.ok) throw new Error(JSON.stringify(finished.issues.slice(0, 5)));
  const graph = assembleGraph([finished.value]).graph;
  return { graph, nodes: new Map(result.fragment.nodes.map((n) => [n.id, n])), edges: result.fragment.edges, notes: result.report.notes };
}

describe('Entra: directoryAudits.json', () => {
  const TENANT = 'b7c4e0d2-3f19-4a6e-8c25-9d1f0e7a6b43';
  const GRANT = `entra:${TENANT}:credential:grant/q7Lm2Ty0hUeWc4nLedgerlyAllUsersGrant01`;
  const PRIYA = `entra:${TENANT}:identity:7c1e4d2a-5b3f-4a8e-9d6c-2f1a0b3c4d52`;
  const files = readRawFiles([join(REPO, 'datasets/demo-later/exports/entra')]);

  it('reads the ConsentAction.Permissions text and Graph\'s JSON-quoted property values', () => {
    expect(consentEntries('[] => [[Id: g1, ClientId: AAA, PrincipalId: , ResourceId: BBB, ConsentType: AllPrincipals, Scope:  User.Read Mail.Read, CreatedDateTime: , LastModifiedDateTime ]]; '))
      .toEqual([{ grantId: 'g1', clientId: 'aaa', resourceId: 'bbb', consentType: 'AllPrincipals', scopes: ['User.Read', 'Mail.Read'] }]);
    expect(auditValue('"\\"Mail.Read\\""')).toBe('"Mail.Read"');
    expect(auditValue('"Mail.Read"')).toBe('Mail.Read');
    expect(auditValue('["a","b"]')).toBe('a b');
  });

  it('a consent approves the grant (by whom, when, what); a scope added later without consent is left out of approvedScopes', () => {
    const { graph, nodes } = importAll(entraImporter, files);
    expect(nodes.get(GRANT)).toMatchObject({ approvedBy: PRIYA, approvedAt: '2026-11-26T10:14:03.118Z', approvedScopes: ['User.Read', 'Mail.Read'], scopes: ['User.Read', 'Mail.Read', 'Mail.ReadWrite'] });
    const found = governanceFindings(graph, { at: '2026-12-01', ruleIds: RULES });
    expect(found.map((f) => [f.ruleId, f.nodeId, f.evidence.scopes])).toEqual([['BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL', GRANT, ['Mail.ReadWrite']]]);
  });

  it('the widening event sharing a consent\'s correlation id is that consent: approved', () => {
    const text = files.find((file) => file.path.endsWith('directoryAudits.json'))!.text;
    const sameCorrelation = text.replaceAll('b81c2e4f-3d5a-4e6b-8c7d-9e0f1a2b3c4d', '4f0d7b2e-8a61-4c3d-9e5f-1b2a3c4d5e60');
    const { nodes } = importAll(entraImporter, files.map((file) => (file.path.endsWith('directoryAudits.json') ? { ...file, text: sameCorrelation } : file)));
    expect(nodes.get(GRANT)!.approvedScopes).toEqual(['User.Read', 'Mail.Read', 'Mail.ReadWrite']);
  });

  it('an application permission assigned by a person is approved on its edge; one an application assigned itself is not', () => {
    const LEDGERLY_SP = '2a7c9e14-6d3b-4f85-9a1c-7e5d0b3f6c29';
    const event = (initiatedBy: object) => ({
      id: 'Directory_x', category: 'ApplicationManagement', correlationId: 'c-1', result: 'success', activityDisplayName: 'Add app role assignment to service principal',
      activityDateTime: '2026-11-20T08:00:00.0000000Z', initiatedBy,
      targetResources: [{ id: 'e3a91c55-0b7d-4c2e-a1f6-5d8b9c0e7f21', displayName: 'Microsoft Graph', type: 'ServicePrincipal', modifiedProperties: [
        { displayName: 'AppRole.Id', oldValue: null, newValue: '"810c84a8-4a9e-49e6-bf7d-12d183f40d01"' },
        { displayName: 'AppRole.Value', oldValue: null, newValue: '"Mail.Read"' },
        { displayName: 'ServicePrincipal.ObjectID', oldValue: null, newValue: `"${LEDGERLY_SP}"` },
      ] }],
    });
    const withAudit = (initiatedBy: object) => files.map((file) => (file.path.endsWith('directoryAudits.json') ? { ...file, text: JSON.stringify({ value: [event(initiatedBy)] }) } : file));
    const byPerson = importAll(entraImporter, withAudit({ user: { id: '7c1e4d2a-5b3f-4a8e-9d6c-2f1a0b3c4d52', userPrincipalName: 'priya.raman@corvidlabs.com' } }));
    const edge = byPerson.edges.find((e) => e.from === `entra:${TENANT}:identity:${LEDGERLY_SP}` && e.grant?.startsWith('appRoleAssignment/'))!;
    expect(edge).toMatchObject({ approvedBy: PRIYA, approvedAt: '2026-11-20T08:00:00.000Z', approvedScopes: ['Mail.Read'] });
    const byApp = importAll(entraImporter, withAudit({ app: { appId: 'x', displayName: 'Ledgerly AP Inbox Sync', servicePrincipalId: LEDGERLY_SP } }));
    const found = governanceFindings(byApp.graph, { at: '2026-12-01', ruleIds: ['BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL'] });
    expect(found.map((f) => f.evidence.summary)).toContain('Granted by Ledgerly AP Inbox Sync on 2026-11-20 with no approval recorded: carries Mail.Read.');
  });
});

describe('Okta: scope grants and system-log.json', () => {
  const FOLDER = join(REPO, 'test/fixtures/okta/org');
  const files = readRawFiles([FOLDER]);
  const ADMIN = '00uhrg3c6uAb0OlKvss3';
  const grantEdges = (edges: GraphEdge[], grantId: string) => edges.filter((edge) => edge.grant?.endsWith(`:grant:${grantId}`));

  it('a scope grant created by a person is approved by that person, for that scope, when it was created', () => {
    const { edges } = importAll(oktaImporter, files);
    const manage = grantEdges(edges, 'oag1usersManage00g7');
    expect(manage.length).toBeGreaterThan(0);
    for (const edge of manage) expect(edge).toMatchObject({ approvedBy: expect.stringMatching(new RegExp(`:identity:${ADMIN}$`)), approvedAt: '2025-04-10T12:00:00.000Z', approvedScopes: ['okta.users.manage'] });
  });

  it('a scope grant created by a client (an app granting scopes itself) is recorded as approved by no one, and found', () => {
    const grantsFile = files.find((file) => file.path.endsWith('apps/0oavLlBpTu3plKvGsYl3/grants.json'))!;
    const byClient = grantsFile.text.replace(`"id": "${ADMIN}",\n      "type": "User"`, '"id": "0oavLlBpTu3plKvGsYl3",\n      "type": "Client"');
    expect(byClient).not.toBe(grantsFile.text);
    const { graph, edges } = importAll(oktaImporter, files.map((file) => (file === grantsFile ? { ...file, text: byClient } : file)));
    expect(grantEdges(edges, 'oag1usersManage00g7')[0]!.approvedScopes).toEqual([]);
    const found = governanceFindings(graph, { at: '2026-12-01', ruleIds: ['BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL'] });
    expect(found.map((f) => f.evidence.summary)).toContainEqual(expect.stringMatching(/^Granted by .* on 2025-04-10 with no approval recorded: carries okta\.users\.manage/));
  });

  it('a later admin consent in the System Log is the approval of the grant whose scope it names', () => {
    const OTHER = '00u9mlsUG2xNyrAZZx1Z';
    const log = [{
      uuid: 'a1b2c3d4-0000-11ef-9e6b-3f1c2d4e5f60', published: '2026-11-27T09:30:12.114Z', eventType: 'app.oauth2.admin.consent.grant', version: '0', severity: 'INFO',
      displayMessage: 'Admin consent grant for Okta API scopes', actor: { id: OTHER, type: 'User', alternateId: 'dana@corvidlabs.com', displayName: 'Dana' },
      outcome: { result: 'SUCCESS', reason: null },
      target: [
        { id: '0oavLlBpTu3plKvGsYl3', type: 'AppInstance', alternateId: 'Corvid Provisioning Bot', displayName: 'Corvid Provisioning Bot', detailEntry: null },
        { id: 'okta.groups.read', type: 'Scope', alternateId: 'okta.groups.read', displayName: 'okta.groups.read', detailEntry: null },
      ],
      debugContext: { debugData: { requestUri: '/api/v1/apps/0oavLlBpTu3plKvGsYl3/grants' } },
    }];
    const { edges } = importAll(oktaImporter, [...files, { path: 'system-log.json', text: JSON.stringify(log) }]);
    for (const edge of grantEdges(edges, 'oag1groupsRead000g7')) expect(edge).toMatchObject({ approvedAt: '2026-11-27T09:30:12.114Z', approvedBy: expect.stringMatching(new RegExp(`:identity:${OTHER}$`)), approvedScopes: ['okta.groups.read'] });
    // The other grant keeps the approval its record gave.
    expect(grantEdges(edges, 'oag1usersManage00g7')[0]!.approvedAt).toBe('2025-04-10T12:00:00.000Z');
  });
});

describe('Google Workspace: token authorize events (token-activity.json)', () => {
  const GW = 'google-workspace:corvidlabs.com';
  const PARLEY = '417905633812-prl3mailsync.apps.googleusercontent.com';

  it('a grant is approved by its user at the last authorize event; authorising again after a revoke moves the approval', () => {
    const { nodes } = importAll(googleWorkspaceImporter, readRawFiles([join(REPO, 'datasets/demo-later/exports/google-workspace')]));
    const chloe = nodes.get(`${GW}:credential:oauth-grant/${LATER.reauthorized.email}/${PARLEY}`)!;
    expect(chloe.approvedAt).toBe(LATER.reauthorized.at);
    expect(chloe.approvedBy).toBe(nodes.get(chloe.approvedBy!)?.id);
    expect(nodes.get(chloe.approvedBy!)?.email).toBe(LATER.reauthorized.email);
    // Which scopes an authorize covered is not claimed (events may list only the scopes of one request).
    expect(chloe.approvedScopes).toBeUndefined();
    const notewise = nodes.get(`${GW}:credential:oauth-grant/${LATER.newGrant.email}/${LATER.newApp.clientId}`)!;
    expect(notewise.approvedAt).toBe(LATER.newGrant.authorized);
  });
});

describe('Slack: admin approvals and team.integrationLogs', () => {
  const files = readRawFiles([join(REPO, 'datasets/demo/exports/slack')]);
  const node = (nodes: Map<string, GraphNode>, suffix: string) => [...nodes.values()].find((n) => n.id.endsWith(suffix))!;

  it("an admin's approval (admin.apps.approved.list) approves the app and its bot token for the approved scopes", () => {
    const { nodes } = importAll(slackImporter, files);
    const app = node(nodes, ':app:A04DLYBEE2');
    expect(app).toMatchObject({ approvedAt: new Date(1666000800 * 1000).toISOString(), approvedBy: expect.stringMatching(/:identity:U003DE6CEOM$/) });
    const bot = node(nodes, ':credential:bot-token/A04DLYBEE2');
    expect(bot.approvedBy).toBe(app.approvedBy);
    expect([...bot.approvedScopes!].sort()).toEqual([...bot.scopes!].sort());
  });

  it('without an admin decision, the user who installed (or expanded) the app approved what the logs list; a deactivated installer is found', () => {
    const approvedList = files.find((file) => file.path.endsWith('admin-apps-approved-list.json'))!;
    const users = files.find((file) => file.path.endsWith('users-list.json'))!;
    // Greta leaves: users.list marks her deleted; the approvals list is not exported.
    const withGretaGone = users.text.replace(/("id": "U0RU9EQC088",[\s\S]*?"deleted": )false/, '$1true');
    expect(withGretaGone).not.toBe(users.text);
    const { graph, nodes } = importAll(slackImporter, files.filter((file) => file !== approvedList).map((file) => (file === users ? { ...file, text: withGretaGone } : file)));
    const bot = node(nodes, ':credential:bot-token/A04DLYBEE2');
    expect(bot).toMatchObject({ approvedAt: new Date(1666000200 * 1000).toISOString(), approvedBy: expect.stringMatching(/:identity:U0RU9EQC088$/) });
    const found = governanceFindings(graph, { at: '2026-12-01', ruleIds: ['BM-GOV-APPROVER-DISABLED'] });
    expect(found.map((f) => f.nodeId)).toContain(bot.id);
  });
});

describe('GitHub: fine-grained token approvals (audit-log.json)', () => {
  const files = readRawFiles([join(REPO, 'datasets/demo/exports/github')]);
  const pat = (nodes: Map<string, GraphNode>) => [...nodes.values()].find((n) => n.id.endsWith(':credential:fine-grained-pat/25381'))!;

  it('the token was approved when the organization granted it access, for the permissions it holds', () => {
    const node = pat(importAll(githubImporter, files).nodes);
    expect(node).toMatchObject({ approvedAt: '2025-05-20T21:10:00.000Z', approvedScopes: node.scopes });
    expect(node.approvedBy).toBeUndefined();
  });

  it("the audit log's personal_access_token.access_granted names the owner who approved it; one who left the organization stays absent", () => {
    const event = { '@timestamp': Date.parse('2025-05-20T21:09:41.000Z'), action: 'personal_access_token.access_granted', actor: 'old-owner', actor_id: 5550001, user: 'jlindqvist', org: 'corvid-labs', token_id: 98716, programmatic_access_type: 'Fine-grained personal access token', created_at: Date.parse('2025-05-20T21:09:41.000Z') };
    const { graph, nodes } = importAll(githubImporter, [...files, { path: 'audit-log.json', text: JSON.stringify([event]) }]);
    const node = pat(nodes);
    expect(node.approvedAt).toBe('2025-05-20T21:09:41.000Z');
    expect(node.approvedBy).toMatch(/:identity:old-owner$/);
    expect(graph.indexOf.has(node.approvedBy!)).toBe(false);
  });
  it('takes the event time as ISO-8601 text too (the audit log page exports created_at so); an impossible date is no approval', () => {
    const event = { action: 'personal_access_token.access_granted', actor: 'old-owner', user: 'jlindqvist', org: 'corvid-labs', token_id: 98716 };
    const iso = pat(importAll(githubImporter, [...files, { path: 'audit-log.json', text: JSON.stringify([{ ...event, created_at: '2025-05-20T21:09:41.000Z' }]) }]).nodes);
    expect(iso).toMatchObject({ approvedAt: '2025-05-20T21:09:41.000Z', approvedBy: expect.stringMatching(/:identity:old-owner$/) });
    const impossible = pat(importAll(githubImporter, [...files, { path: 'audit-log.json', text: JSON.stringify([{ ...event, created_at: '2025-02-30T21:09:41.000Z' }]) }]).nodes);
    expect(impossible.approvedBy).toBeUndefined();
    expect(impossible.approvedAt).toBe('2025-05-20T21:10:00.000Z');
  });
});

describe('Salesforce: SetupAuditTrail', () => {
  const files = readRawFiles([join(REPO, 'datasets/demo/exports/salesforce')]);

  it('the latest installation or approval of a connected app is its approval; an approver deactivated since is found', () => {
    const { nodes } = importAll(salesforceImporter, files);
    const signflow = [...nodes.values()].find((n) => n.kind === 'App' && n.name.startsWith('SignFlow'))!;
    expect(signflow).toMatchObject({ approvedAt: '2021-05-10T09:41:00.000Z', approvedBy: expect.stringMatching(/:identity:005Hs00000xMuOVIAZ$/) });
    const users = files.find((file) => file.path.endsWith('User.json'))!;
    const isabelGone = users.text.replace(/("Id": "005Hs00000xMuOVIAZ",[\s\S]*?"IsActive": )true/, '$1false');
    expect(isabelGone).not.toBe(users.text);
    const { graph } = importAll(salesforceImporter, files.map((file) => (file === users ? { ...file, text: isabelGone } : file)));
    const found = governanceFindings(graph, { at: '2026-12-01', ruleIds: ['BM-GOV-APPROVER-DISABLED'] });
    expect(found.find((f) => f.nodeId === signflow.id)?.evidence.summary).toBe('approved by Isabel Romero, now disabled: no one accountable for this approval is left.');
  });
});
