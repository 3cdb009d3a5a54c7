// Corvid Labs' Google Workspace (corvidlabs.com) as the Admin SDK returns it (docs/importers/google-workspace.md):
// users, the OAuth tokens users granted to apps, the token activity report, and the domain-wide delegation list.
import { isActive, PEOPLE, firstName, lastName, personByEmail, type Person } from './people.ts';
import type { Files } from './write.ts';

const CUSTOMER = 'C02cvd7lb';
/** A user's 21-digit Google id, stable per person. */
const googleId = (p: Person) => `1043370000${String(100_000 + PEOPLE.indexOf(p) * 7_919).padStart(7, '0')}${String(PEOPLE.indexOf(p)).padStart(2, '0')}42`;

export const GOOGLE_APPS = {
  parleyEmail: { clientId: '417905633812-prl3mailsync.apps.googleusercontent.com', displayText: 'Parley Email', scopes: ['https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/userinfo.email', 'openid'] },
  slotwise: { clientId: '582214470913-slotwise7cal.apps.googleusercontent.com', displayText: 'Slotwise Scheduling', scopes: ['https://www.googleapis.com/auth/calendar.events', 'https://www.googleapis.com/auth/userinfo.email', 'openid'] },
  callnote: { clientId: '730051928846-callnotecal.apps.googleusercontent.com', displayText: 'Callnote Call Recorder', scopes: ['https://www.googleapis.com/auth/calendar.readonly', 'https://www.googleapis.com/auth/userinfo.email'] },
} as const;

/** Vaultline Backup's service account (in Vaultline's own Google Cloud project), authorised for delegation. */
export const VAULTLINE_CLIENT_ID = '104477230918822460113';

/** Who granted which app, and when (token activity: the first authorize, the last use). */
const GRANTS: { app: keyof typeof GOOGLE_APPS; email: string; authorized: string; lastUsed?: string; revoked?: string }[] = [
  { app: 'parleyEmail', email: 'chloe.dubois@corvidlabs.com', authorized: '2024-03-12T16:40:00.000Z', lastUsed: '2026-11-21T22:14:09.000Z' },
  { app: 'parleyEmail', email: 'ryan.oconnell@corvidlabs.com', authorized: '2024-03-12T17:02:00.000Z', lastUsed: '2026-11-21T22:14:12.000Z' },
  { app: 'parleyEmail', email: 'laura.jensen@corvidlabs.com', authorized: '2024-04-02T08:30:00.000Z', lastUsed: '2026-11-21T22:14:15.000Z' },
  { app: 'parleyEmail', email: 'maya.goldberg@corvidlabs.com', authorized: '2025-01-13T09:10:00.000Z', lastUsed: '2026-11-21T22:14:18.000Z' },
  { app: 'parleyEmail', email: 'ethan.brooks@corvidlabs.com', authorized: '2025-01-13T09:25:00.000Z', lastUsed: '2026-11-21T22:14:21.000Z' },
  { app: 'slotwise', email: 'chloe.dubois@corvidlabs.com', authorized: '2023-09-04T09:00:00.000Z', lastUsed: '2026-11-20T08:00:00.000Z' },
  { app: 'slotwise', email: 'ryan.oconnell@corvidlabs.com', authorized: '2023-09-04T09:20:00.000Z', lastUsed: '2026-11-20T08:00:00.000Z' },
  { app: 'slotwise', email: 'laura.jensen@corvidlabs.com', authorized: '2023-09-05T10:00:00.000Z', lastUsed: '2026-11-19T08:00:00.000Z' },
  { app: 'slotwise', email: 'samuel.adeyemi@corvidlabs.com', authorized: '2024-01-15T14:00:00.000Z', lastUsed: '2026-11-18T08:00:00.000Z' },
  // Callnote's trial ended in February 2025; Laura revoked its calendar access then.
  { app: 'callnote', email: 'laura.jensen@corvidlabs.com', authorized: '2024-11-05T15:00:00.000Z', lastUsed: '2025-02-10T09:00:00.000Z', revoked: '2025-02-20T11:30:00.000Z' },
];

function userRecord(p: Person, i: number) {
  const suspended = !isActive(p);
  return {
    kind: 'admin#directory#user', id: googleId(p), etag: `"cvd-${i}"`, primaryEmail: p.email,
    name: { givenName: firstName(p), familyName: lastName(p), fullName: p.name },
    isAdmin: p.googleAdmin === true, isDelegatedAdmin: false,
    lastLoginTime: suspended ? '2024-07-31T15:40:00.000Z' : new Date(Date.UTC(2026, 10, 21, 8 + (i % 10), (i * 7) % 60)).toISOString(),
    creationTime: '2022-02-14T09:00:00.000Z', agreedToTerms: true, suspended, ...(suspended ? { suspensionReason: 'ADMIN' } : {}), archived: false,
    changePasswordAtNextLogin: false, ipWhitelisted: false,
    emails: [{ address: p.email, primary: true }],
    customerId: CUSTOMER, orgUnitPath: suspended ? '/Former employees' : `/${p.dept ?? 'Staff'}`,
    isMailboxSetup: true, isEnrolledIn2Sv: p.mfa !== false, isEnforcedIn2Sv: false, includeInGlobalAddressList: !suspended,
  };
}

function event(time: string, i: number, email: string, name: 'authorize' | 'activity' | 'revoke', app: AppInfo, extra: object[] = []) {
  const p = personByEmail(email);
  return {
    kind: 'admin#reports#activity',
    id: { time, uniqueQualifier: `-${7_100_000_000_000_000_000 + i}`, applicationName: 'token', customerId: CUSTOMER },
    etag: `"cvd-a${i}"`,
    actor: { callerType: 'USER', email, profileId: googleId(p) },
    ipAddress: name === 'activity' ? '198.51.100.24' : '203.0.113.80',
    events: [{ type: 'auth', name, parameters: [
      { name: 'client_id', value: app.clientId },
      { name: 'app_name', value: app.displayText },
      { name: 'client_type', value: 'WEB' },
      ...extra,
    ] }],
  };
}

/**
 * The later export set (datasets/demo-later, datasets/demo/README.md "A week later"): after Parley's breach notice IT
 * revoked Parley Email for the five sales inboxes on 2026-11-25, and Chloe authorised it again the next day when
 * Parley's add-on asked (a revoke event, then an authorize event, and the token back in tokens.list); a sales
 * engineer granted a new notetaker; Vaultline's domain-wide delegation gained full Drive access.
 */
export const LATER = {
  revokedAt: '2026-11-25T10:05:00.000Z',
  reauthorized: { email: 'chloe.dubois@corvidlabs.com', at: '2026-11-26T08:47:00.000Z', lastUsed: '2026-11-30T21:02:00.000Z' },
  newApp: { clientId: '861130027455-notewiseai.apps.googleusercontent.com', displayText: 'Notewise AI Notetaker', scopes: ['https://www.googleapis.com/auth/calendar.readonly', 'https://www.googleapis.com/auth/drive.readonly', 'https://www.googleapis.com/auth/userinfo.email'] },
  newGrant: { email: 'samuel.adeyemi@corvidlabs.com', authorized: '2026-11-27T13:20:00.000Z', lastUsed: '2026-11-30T16:45:00.000Z' },
  delegationScope: 'https://www.googleapis.com/auth/drive',
} as const;

type GrantRow = (typeof GRANTS)[number] & { reauthorized?: string };
type AppInfo = { clientId: string; displayText: string; scopes: readonly string[] };

export function googleWorkspaceExport(files: Files, variant: 'now' | 'later' = 'now'): void {
  const apps: Record<string, AppInfo> = { ...GOOGLE_APPS };
  let grants: GrantRow[] = GRANTS;
  if (variant === 'later') {
    apps.notewise = LATER.newApp;
    grants = [
      ...GRANTS.map((g): GrantRow => {
        if (g.app !== 'parleyEmail') return g;
        if (g.email !== LATER.reauthorized.email) return { ...g, revoked: LATER.revokedAt };
        return { ...g, revoked: LATER.revokedAt, reauthorized: LATER.reauthorized.at, lastUsed: LATER.reauthorized.lastUsed };
      }),
      { app: 'notewise' as keyof typeof GOOGLE_APPS, email: LATER.newGrant.email, authorized: LATER.newGrant.authorized, lastUsed: LATER.newGrant.lastUsed },
    ];
  }
  writeGoogleWorkspace(files, apps, grants, variant === 'later' ? [LATER.delegationScope] : []);
}

function writeGoogleWorkspace(files: Files, apps: Record<string, AppInfo>, grantRows: readonly GrantRow[], extraDelegationScopes: readonly string[]): void {
  const GOOGLE_APPS = apps;
  const GRANTS = grantRows;
  files['users.json'] = [{ kind: 'admin#directory#users', etag: '"cvd-users"', users: PEOPLE.map(userRecord) }];
  const byUser = new Map<string, GrantRow[]>();
  // Revoked and not authorised again since: gone from tokens.list.
  for (const grant of GRANTS) if (!grant.revoked || grant.reauthorized) byUser.set(grant.email, [...(byUser.get(grant.email) ?? []), grant]);
  for (const p of PEOPLE) {
    // tokens.list for every user: an empty list says the user granted nothing (and makes report-only grants revoked).
    const grants = byUser.get(p.email) ?? [];
    files[`tokens/${googleId(p)}.json`] = {
      kind: 'admin#directory#tokenList', etag: `"cvd-t${PEOPLE.indexOf(p)}"`,
      ...(grants.length ? { items: grants.map((g) => {
        const app = GOOGLE_APPS[g.app]!;
        return { kind: 'admin#directory#token', etag: '"t"', clientId: app.clientId, displayText: app.displayText, anonymous: false, nativeApp: false, scopes: [...app.scopes], userKey: googleId(p) };
      }) } : {}),
    };
  }
  const events: ReturnType<typeof event>[] = [];
  let i = 0;
  for (const g of GRANTS) {
    const app = GOOGLE_APPS[g.app]!;
    events.push(event(g.authorized, i++, g.email, 'authorize', app, [{ name: 'scope', multiValue: app.scopes.filter((s) => s !== 'openid') }]));
    if (g.lastUsed) events.push(event(g.lastUsed, i++, g.email, 'activity', app, [{ name: 'api_name', value: g.app === 'parleyEmail' ? 'gmail' : 'calendar' }, { name: 'method_name', value: g.app === 'parleyEmail' ? 'gmail.users.messages.list' : 'calendar.events.list' }]));
    if (g.revoked) events.push(event(g.revoked, i++, g.email, 'revoke', app, [{ name: 'scope', multiValue: [...app.scopes] }]));
    if (g.reauthorized) events.push(event(g.reauthorized, i++, g.email, 'authorize', app, [{ name: 'scope', multiValue: app.scopes.filter((s) => s !== 'openid') }]));
  }
  events.sort((a, b) => b.id.time.localeCompare(a.id.time));
  files['token-activity.json'] = [{ kind: 'admin#reports#activities', etag: '"cvd-r"', items: events }];
  files['domain-wide-delegation.json'] = [
    { clientId: VAULTLINE_CLIENT_ID, name: 'Vaultline Backup for Google Workspace', scopes: [
      'https://www.googleapis.com/auth/drive.readonly',
      'https://www.googleapis.com/auth/gmail.readonly',
      'https://www.googleapis.com/auth/admin.directory.user.readonly',
      ...extraDelegationScopes,
    ] },
  ];
}

export { googleId };
