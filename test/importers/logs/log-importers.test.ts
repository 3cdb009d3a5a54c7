// The seven SaaS log importers on their documented examples (test/fixtures/logs/<source>/, each README cites the
// page): every fixture imports whole, each event becomes the Observation the platform's fields say (who, on what,
// category, outcome, IP, user agent, count, event id), and the NodeRefs carry the identifiers the export importers
// store on nodes (Entra key ids and appIds, Google client ids, Okta API token ids, GitHub token ids, Salesforce
// connected app ids), most specific first. The category tables are tested whole.
import { describe, expect, it } from 'vitest';
import { readRawFiles } from '../../../cli/commands/import.ts';
import type { Observation } from '../../../engine/evidence/types.ts';
import { ENTRA_ACTIVITY_CATEGORIES, entraAuditCategory } from '../../../importers/logs/entra-audit/transform.ts';
import { BLOCKED_ERROR_CODES } from '../../../importers/logs/entra-signin/transform.ts';
import { GITHUB_ACTION_CATEGORIES, githubCategory } from '../../../importers/logs/github-audit/transform.ts';
import { GOOGLE_EVENT_CATEGORIES, googleCategory } from '../../../importers/logs/google-reports/transform.ts';
import { MORE_LOG_IMPORTERS } from '../../../importers/logs/more.ts';
import { OKTA_EVENT_CATEGORIES, oktaCategory, oktaOutcome } from '../../../importers/logs/okta-system-log/transform.ts';
import { BULK_ROWS, ELF_EVENT_CATEGORIES, elfCategory, elfInstant, loginOutcome, REALTIME_EVENT_CATEGORIES, realTimeCategory } from '../../../importers/logs/salesforce-events/transform.ts';
import { INTEGRATION_CHANGE_CATEGORIES, SLACK_ACTION_CATEGORIES, slackCategory } from '../../../importers/logs/slack-audit/transform.ts';
import type { LogImporter } from '../../../importers/logs/types.ts';

const FIXTURES = 'test/fixtures/logs';
const importer = (source: string): LogImporter => {
  const found = MORE_LOG_IMPORTERS.find((i) => i.source === source);
  if (!found) throw new Error(`no log importer ${source}`);
  return found;
};
function imported(source: string): { observations: Observation[]; events: Record<string, number>; notes: string[] } {
  const result = importer(source).transform(readRawFiles([`${FIXTURES}/${source}`]), {});
  if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.issues, null, 2)}`);
  return { observations: result.observations, events: result.report.events, notes: result.report.notes };
}
const byId = (observations: readonly Observation[], eventId: string): Observation => {
  const found = observations.find((o) => o.eventId === eventId);
  if (!found) throw new Error(`no observation ${eventId}`);
  return found;
};

describe('MORE_LOG_IMPORTERS', () => {
  it('lists the seven SaaS log importers, each once, on the platform its NodeRefs name', () => {
    expect(MORE_LOG_IMPORTERS.map((i) => `${i.source} ${i.platform}`)).toEqual([
      'okta-system-log okta', 'entra-signin entra', 'entra-audit entra', 'google-reports google-workspace',
      'github-audit github', 'salesforce-events salesforce', 'slack-audit slack',
    ]);
  });

  it.each(MORE_LOG_IMPORTERS.map((i) => i.source))('%s imports its documented examples whole, sorted by time, each observation from its own source', (source) => {
    const { observations, events } = imported(source);
    expect(observations.length).toBeGreaterThan(2);
    expect(observations.length).toBe(Object.values(events).reduce((a, b) => a + b, 0) + (source === 'google-reports' ? 2 : 0));
    expect(observations.every((o) => o.source === source && o.actor.ids.length > 0 && Number.isFinite(o.at))).toBe(true);
    expect(observations.map((o) => o.at)).toEqual([...observations.map((o) => o.at)].sort((a, b) => a - b));
    expect(observations.every((o) => o.actor.platform === importer(source).platform)).toBe(true);
  });
});

describe('okta-system-log', () => {
  const { observations, notes } = imported('okta-system-log');

  it("reads Okta's documented LogEvent: the user, the client's IP and user agent, the target, the uuid", () => {
    expect(byId(observations, 'dc9fd3c0-598c-11ef-8478-2b7584bf8d5a')).toEqual({
      at: Date.parse('2024-08-13T15:58:20.353Z'),
      actor: { platform: 'okta', ids: ['00uttidj01jqL21aM1d6', 'john.doe@example.com'], name: 'John Doe' },
      target: { platform: 'okta', ids: ['pfdfdhyjf0HMbkP2e1d7', 'unknown'], name: 'Okta Verify' },
      action: 'user.session.start', family: 'user.session', category: 'auth', outcome: 'success',
      ip: '10.0.0.1', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36',
      source: 'okta-system-log', eventId: 'dc9fd3c0-598c-11ef-8478-2b7584bf8d5a',
    });
  });

  it('names the OAuth client (PublicClientApp) and the API token (requestApiTokenId, as the export stores it in the node id) as actors', () => {
    expect(byId(observations, '0f1b2c3d-598d-11ef-8478-2b7584bf8d5a').actor.ids).toEqual(['0oa1svcintegr8x0p5d7']);
    const created = byId(observations, '2a3b4c5d-598e-11ef-8478-2b7584bf8d5a');
    expect(created.actor.ids).toEqual(['00T1apitok3nXyZ5d7', '00uttidj01jqL21aM1d6', 'john.doe@example.com']);
    expect([created.category, created.target?.ids[1]]).toEqual(['persistence', 'backup.admin@example.com']);
    expect(notes).toEqual(['1 events by OAuth clients (actor.type PublicClientApp)', '1 events made with an API token (transaction.detail.requestApiTokenId)']);
  });

  it('marks a consent as persistence and a DENY as blocked', () => {
    expect(byId(observations, '3b4c5d6e-598e-11ef-8478-2b7584bf8d5a').category).toBe('persistence');
    expect(byId(observations, '4c5d6e7f-598e-11ef-8478-2b7584bf8d5a').outcome).toBe('blocked');
  });

  it('maps event types by the table (exact names before prefixes) and outcomes by result', () => {
    for (const [key, category] of OKTA_EVENT_CATEGORIES) expect(oktaCategory(key.endsWith('.') ? `${key}anything` : key), key).toBe(category);
    expect(oktaCategory('user.session.start')).toBe('auth');
    expect(oktaCategory('group.user_membership.add')).toBe('persistence');
    expect(oktaCategory('group.user_membership.remove')).toBe('admin');
    expect(oktaCategory('zone.make_blacklisted')).toBe('other');
    expect(['SUCCESS', 'ALLOW', 'DENY', 'FAILURE', 'CHALLENGE', undefined].map(oktaOutcome)).toEqual(['success', 'success', 'blocked', 'failure', 'failure', 'success']);
  });
});

describe('entra-signin', () => {
  const { observations, notes } = imported('entra-signin');

  it("reads Graph's documented user sign-in: a failed password sign-in from 131.107.159.37, the user by object id and UPN", () => {
    const o = byId(observations, '1691d37b-8579-43a7-966a-0f35583c1300');
    expect(o).toMatchObject({
      actor: { platform: 'entra', tenant: '99081087-73c4-48d1-a112-f60ff75114f7', ids: ['26be570a-1111-5555-b4e2-a37c6808512d', 'testaccount1@contoso.com'], name: 'Test contoso' },
      target: { ids: ['797f4846-ba00-4fd7-ba43-dac1f8f63013'], name: 'Windows Azure Service Management API' },
      action: 'user sign-in to Azure Portal', category: 'auth', outcome: 'failure', ip: '131.107.159.37',
    });
    expect(o.userAgent).toMatch(/^Mozilla\/5\.0 \(Windows NT 10\.0/);
  });

  it('names a service principal by the key id of the credential it used (the Entra export stores keyId), then appId and object id', () => {
    const o = byId(observations, '8f2c5a10-3b4d-4e6f-9a1b-2c3d4e5f6a70');
    expect(o.actor.ids).toEqual(['6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d', 'de8bc8b5-d9f9-48b1-a8ad-b748da725064', 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b']);
    expect([o.action, o.outcome, o.family]).toEqual(['service principal sign-in', 'success', 'Microsoft Graph']);
    expect(notes).toEqual(['1 user sign-ins', '2 service principal sign-ins']);
  });

  it('marks a sign-in Conditional Access refused as blocked', () => {
    expect(byId(observations, '9a3d6b21-4c5e-4f70-8b2c-3d4e5f6a7b81').outcome).toBe('blocked');
    expect(BLOCKED_ERROR_CODES.has(53003)).toBe(true);
    expect(BLOCKED_ERROR_CODES.has(50126)).toBe(false);
  });
});

describe('entra-audit', () => {
  const { observations } = imported('entra-audit');

  it("reads Graph's documented examples: Add member to group is persistence, with the initiating user's IP", () => {
    expect(byId(observations, 'id')).toMatchObject({
      actor: { platform: 'entra', ids: ['728309ae-1a37-4937-9afe-e35d964db09b', 'bob@wingtiptoysonline.com'], name: 'Audry Oliver' },
      target: { ids: ['ef7e527d-6c92-4234-8c6d-cf6fdfb57f95'], name: 'Example.com' },
      action: 'Add member to group', family: 'UserManagement', category: 'persistence', outcome: 'success', ip: '127.0.0.1',
    });
    expect(byId(observations, 'SSGM_b662f17a-4e4d-4e1c-9248-cdec180024b2_MCDC4_88453290').category).toBe('admin');
  });

  it('names an app initiator by appId then service principal id, and reads the User-Agent detail', () => {
    const o = observations.find((x) => x.action === 'Add service principal credentials')!;
    expect(o).toMatchObject({ actor: { ids: ['de8bc8b5-d9f9-48b1-a8ad-b748da725064', 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b'], name: 'Contoso Billing Sync' }, category: 'persistence', userAgent: 'python-requests/2.31.0' });
    expect(observations.find((x) => x.action === 'Consent to application')).toMatchObject({ category: 'persistence', outcome: 'failure' });
  });

  it('maps activities by the table, then by category', () => {
    for (const [activity, category] of ENTRA_ACTIVITY_CATEGORIES) expect(entraAuditCategory(activity.toUpperCase(), 'Other'), activity).toBe(category);
    for (const name of ['Add service principal', 'Add service principal credentials', 'Consent to application', 'Add app role assignment to service principal', 'Add member to group', 'Add user']) {
      expect(entraAuditCategory(name, 'ApplicationManagement'), name).toBe('persistence');
    }
    expect(entraAuditCategory('Update application', 'ApplicationManagement')).toBe('admin');
    expect(entraAuditCategory('Something new', 'AuditLog')).toBe('other');
  });
});

describe('google-reports', () => {
  const { observations } = imported('google-reports');

  it("reads the login guide's example: login_success by liz@example.com, by profile id then e-mail, tenant from the domain", () => {
    expect(byId(observations, '2011-06-17T15:39:18.460Z:-8871564315318345411:0')).toMatchObject({
      actor: { platform: 'google-workspace', tenant: 'example.com', ids: ['100230688039070881323', 'liz@example.com'] },
      action: 'login_success', family: 'login', category: 'auth', outcome: 'success', ip: '192.0.2.15',
    });
    expect(byId(observations, '2011-06-17T15:41:02.001Z:-8871564315318345412:0').outcome).toBe('failure');
  });

  it('names the OAuth client (client_id, as the export stores clientId) for token events and API-made Drive events', () => {
    const client = '1234567890-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com';
    expect(byId(observations, '2024-05-02T09:14:03.201Z:5312004712930114431:0')).toMatchObject({ actor: { ids: [client, 'liz@example.com'], name: 'Example Mail Sync' }, category: 'persistence', target: { ids: ['100230688039070881323', 'liz@example.com'] } });
    expect(byId(observations, '2024-05-02T10:00:41.930Z:5312004712930114432:0')).toMatchObject({ family: 'token.gmail', category: 'read', ip: '198.51.100.7' });
    expect(byId(observations, '2024-05-02T12:00:00.000Z:9001:0')).toMatchObject({ actor: { ids: [client, 'liz@example.com'] }, target: { name: 'Q2 board deck' }, category: 'read' });
    expect(byId(observations, '2024-05-02T12:00:00.000Z:9001:1').category).toBe('persistence');
  });

  it('makes one observation per event of an activity, admin changes on their target user', () => {
    expect(['2024-05-02T11:20:00.000Z:7001:0', '2024-05-02T11:20:00.000Z:7001:1', '2024-05-02T11:25:00.000Z:7002:0'].map((id) => `${byId(observations, id).action} ${byId(observations, id).category} ${byId(observations, id).target?.ids[0]}`)).toEqual([
      'CREATE_USER persistence helpdesk2@example.com', 'ASSIGN_ROLE persistence helpdesk2@example.com', 'AUTHORIZE_API_CLIENT_ACCESS persistence 104477230918822460999',
    ]);
  });

  it('maps events by the table, then by application', () => {
    for (const [key, category] of GOOGLE_EVENT_CATEGORIES) {
      const [app, event] = key.split(':') as [string, string];
      expect(googleCategory(app, event === '*' ? 'something_else' : event.toUpperCase()), key).toBe(category);
    }
    expect(googleCategory('calendar', 'create_event')).toBe('other');
  });
});

describe('github-audit', () => {
  const { observations, events } = imported('github-audit');

  it("reads GitHub's documented example events (epoch-millisecond @timestamp, _document_id)", () => {
    expect(byId(observations, 'xJJFlFOhQ6b-5vaAFy9Rjw')).toMatchObject({
      at: 1606929874512, actor: { platform: 'github', tenant: 'octo-corp', ids: ['octocat'] }, target: { ids: ['monalisa'] },
      action: 'team.add_member', family: 'team', category: 'persistence', outcome: 'success',
    });
    expect(byId(observations, 'LwW2vpJZCDS-WUmo9Z-ifw')).toMatchObject({ target: { ids: ['mona-org/mona-test-repo'] }, category: 'write' });
  });

  it('names the token (token_id, hashed_token) and the OAuth app before the user, with IP and user agent', () => {
    expect(byId(observations, 'q1w2e3r4t5y6u7i8o9p0aa')).toMatchObject({ actor: { ids: ['5551212', 'Yk9ZR0hFc1VRb0p0dlJzV3lWd0NpTzFtQ2h6bDJ1c0U=', 'octo-ci-bot'] }, category: 'bulk', ip: '203.0.113.120', userAgent: 'git/2.43.0' });
    expect(byId(observations, 'a0s9d8f7g6h5j4k3l2z1xx')).toMatchObject({ actor: { ids: ['7773331', '998877', 'octo-ci-bot'] }, category: 'persistence' });
  });

  it("reads the audit log page's CSV export by its name", () => {
    expect(events).toEqual({ auditLog: 5, auditLogCsv: 2 });
    expect(byId(observations, 'zxcvbnmasdfghjkl000001')).toMatchObject({ action: 'repo.download_zip', category: 'bulk', at: 1607000900000, userAgent: 'curl/8.4.0' });
  });

  it('maps actions by the table, then by prefix', () => {
    for (const [action, category] of GITHUB_ACTION_CATEGORIES) expect(githubCategory(action.endsWith('.*') ? `${action.slice(0, -2)}.something` : action), action).toBe(category);
    expect(githubCategory('codespaces.create')).toBe('other');
  });
});

describe('salesforce-events', () => {
  const { observations, events } = imported('salesforce-events');

  it('reads the bulk query of Cases through a connected app (ApiEvent): bulk, 10,000 rows, the app id first', () => {
    expect(byId(observations, 'e2b5a1c7-4d3f-4a8e-9b6c-1d2e3f4a5b6c')).toMatchObject({
      actor: { platform: 'salesforce', ids: ['0H4Hs00000ExAmPLEA', '005Hs00000AbCdEIAQ', 'integration@example.com'], name: 'Example Chat Connector' },
      target: { ids: ['Case'] }, action: 'ApiEvent Query', family: 'Case', category: 'bulk', outcome: 'success', count: 10000, ip: '192.0.2.60',
    });
    expect(byId(observations, 'f3c6b2d8-5e4a-4b9f-8c7d-2e3f4a5b6c7d')).toMatchObject({ category: 'read', count: 1 });
  });

  it('reads EventLogFile CSV rows: the same query from the API log, the restricted-IP login blocked', () => {
    expect(events).toEqual({ LoginHistory: 3, RealTimeEvents: 2, EventLogFile: 3 });
    expect(byId(observations, 'API:4exLFFQZ1234567')).toMatchObject({ at: Date.parse('2025-08-08T19:13:22.118Z'), category: 'bulk', count: 10000, actor: { tenant: '00dhs000000exam', ids: ['0H4Hs00000ExAmPLEA', '005Hs00000AbCdEIAQ', '005Hs00000AbCdE'] } });
    expect(byId(observations, 'Login:4exLFFQZ1234569')).toMatchObject({ category: 'auth', outcome: 'blocked', ip: '203.0.113.200' });
  });

  it('reads LoginHistory: success, failure, and Restricted IP as blocked', () => {
    expect(['0YaHs00000A1b2cKAB', '0YaHs00000A1b2dKAB', '0YaHs00000A1b2eKAB'].map((id) => byId(observations, id).outcome)).toEqual(['success', 'failure', 'blocked']);
  });

  it('maps event types by the tables, a read of BULK_ROWS rows or the Bulk API to bulk', () => {
    for (const [type, category] of ELF_EVENT_CATEGORIES) expect(elfCategory({ EVENT_TYPE: type.toUpperCase(), ROWS_PROCESSED: '1', API_TYPE: 'E' }), type).toBe(category);
    for (const [type, category] of REALTIME_EVENT_CATEGORIES) expect(realTimeCategory(type, { RowsProcessed: 1, ApiType: 'REST' }), type).toBe(category);
    expect(elfCategory({ EVENT_TYPE: 'RestApi', ROWS_PROCESSED: String(BULK_ROWS - 1), API_TYPE: 'R' })).toBe('read');
    expect(elfCategory({ EVENT_TYPE: 'RestApi', ROWS_PROCESSED: String(BULK_ROWS), API_TYPE: 'R' })).toBe('bulk');
    expect(realTimeCategory('ApiEvent', { RowsProcessed: 3, ApiType: 'Bulk' })).toBe('bulk');
    expect(['Success', 'LOGIN_NO_ERROR', 'Invalid Password', 'Restricted IP', 'LOGIN_ERROR_RESTRICTED_IP'].map(loginOutcome)).toEqual(['success', 'success', 'failure', 'blocked', 'blocked']);
    expect(elfInstant({ TIMESTAMP: '20250808191322.118' })).toBe(Date.parse('2025-08-08T19:13:22.118Z'));
  });
});

describe('slack-audit', () => {
  const { observations, events } = imported('slack-audit');

  it("reads Slack's documented user_login entry: the user by id and e-mail, the IP and user agent, the enterprise", () => {
    expect(byId(observations, '0123a45b-6c7d-8900-e12f-3456789gh0i1')).toMatchObject({
      at: 1521214343000, actor: { platform: 'slack', tenant: 'E1701NCCA', ids: ['W123AB456', 'bird@slack.com'], name: 'Charlie Parker' },
      action: 'user_login', family: 'user', category: 'auth', outcome: 'success', ip: '1.23.45.678',
    });
  });

  it('marks an app install as persistence on the app, a blocked download as blocked', () => {
    expect(byId(observations, '1234b56c-7d8e-9011-f23a-4567890hi1j2')).toMatchObject({ category: 'persistence', target: { ids: ['A0W7UKG8E'], name: 'Notes Exporter' }, actor: { tenant: 'T0GPAJ5RB' } });
    expect(byId(observations, '2345c67d-8e9f-0122-a34b-5678901ij2k3')).toMatchObject({ category: 'read', outcome: 'blocked' });
  });

  it("reads team.integrationLogs' documented example: added and enabled are persistence, disabled admin", () => {
    expect(events).toEqual({ auditLogs: 3, integrationLogs: 3 });
    const integrations = observations.filter((o) => o.family === 'integrations');
    expect(integrations.map((o) => `${o.action} ${o.category} ${o.actor.ids[0]} -> ${o.target?.ids[0]} ${o.target?.name}`)).toEqual([
      'integration enabled persistence U1234ABCD -> 1234567890 Google Drive',
      'integration added persistence U2345BCDE -> 2345678901 Johnny App',
      'integration disabled admin U3456CDEF -> 3456789012 Airbrake',
    ]);
  });

  it('maps actions by the table', () => {
    for (const [action, category] of SLACK_ACTION_CATEGORIES) expect(slackCategory(action === 'pref.' ? 'pref.sso_setting_changed' : action), action).toBe(category);
    for (const [change, category] of INTEGRATION_CHANGE_CATEGORIES) expect(category, change).toBe(['added', 'enabled', 'expanded'].includes(change) ? 'persistence' : 'admin');
    expect(slackCategory('emoji_added')).toBe('other');
  });
});
