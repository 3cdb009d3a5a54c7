// Governance rules as data: id, title, default severity, remediation and the OWASP NHI Top 10 (2025) and
// NIST CSF 2.0 outcomes each cites, plus the heuristic table of tenant-wide or admin scopes (docs/findings.md).

export const FINDING_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];
/** Higher is more severe; used for sorting and for "at least" filters. */
export const SEVERITY_RANK: Readonly<Record<FindingSeverity, number>> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export interface FindingReferences {
  /** OWASP Top 10 Non-Human Identities Risks 2025, e.g. `NHI7:2025`. */
  owaspNhi: readonly string[];
  /** NIST Cybersecurity Framework 2.0 outcomes (subcategories), e.g. `PR.AA-01`. */
  nistCsf: readonly string[];
}

export interface FindingRule {
  id: string;
  title: string;
  /** Severity when nothing raises or lowers it; the rule's text in docs/findings.md says when it moves. */
  severity: FindingSeverity;
  /** One sentence: what the rule checks. */
  checks: string;
  remediation: string;
  references: FindingReferences;
}

export const OWASP_NHI_TOP10_2025: Readonly<Record<string, string>> = {
  'NHI1:2025': 'Improper Offboarding',
  'NHI2:2025': 'Secret Leakage',
  'NHI3:2025': 'Vulnerable Third-Party NHI',
  'NHI4:2025': 'Insecure Authentication',
  'NHI5:2025': 'Overprivileged NHI',
  'NHI6:2025': 'Insecure Cloud Deployment Configurations',
  'NHI7:2025': 'Long-Lived Secrets',
  'NHI8:2025': 'Environment Isolation',
  'NHI9:2025': 'NHI Reuse',
  'NHI10:2025': 'Human Use of NHI',
};

/** The NIST CSF 2.0 outcomes the rules cite, with their wording (abridged where long). */
export const NIST_CSF_OUTCOMES: Readonly<Record<string, string>> = {
  'GV.RR-02': 'Roles, responsibilities, and authorities related to cybersecurity risk management are established, communicated, understood, and enforced',
  'GV.SC-07': 'The risks posed by a supplier, their products and services, and other third parties are understood, recorded, prioritized, assessed, responded to, and monitored over the course of the relationship',
  'ID.AM-02': 'Inventories of software, services, and systems managed by the organization are maintained',
  'ID.AM-04': 'Inventories of services provided by suppliers are maintained',
  'ID.AM-08': 'Systems, hardware, software, services, and data are managed throughout their life cycles',
  'PR.AA-01': 'Identities and credentials for authorized users, services, and hardware are managed by the organization',
  'PR.AA-02': 'Identities are proofed and bound to credentials based on the context of interactions',
  'PR.AA-03': 'Users, services, and hardware are authenticated',
  'PR.AA-05': 'Access permissions, entitlements, and authorizations are defined in a policy, managed, enforced, and reviewed, and incorporate the principles of least privilege and separation of duties',
  'PR.DS-01': 'The confidentiality, integrity, and availability of data-at-rest are protected',
  'PR.IR-01': 'Networks and environments are protected from unauthorized logical access and usage',
  'PR.PS-01': 'Configuration management practices are established and applied',
  'DE.CM-03': 'Personnel activity and technology usage are monitored to find potentially adverse events',
};

export const RULE_IDS = {
  leakedCredential: 'BM-GOV-LEAKED-CREDENTIAL',
  unverifiedThirdParty: 'BM-GOV-UNVERIFIED-THIRD-PARTY',
  adminScopes: 'BM-GOV-ADMIN-SCOPES',
  noMfaPrivileged: 'BM-GOV-NO-MFA-PRIVILEGED',
  ownerDisabled: 'BM-GOV-OWNER-DISABLED',
  noOwner: 'BM-GOV-NO-OWNER',
  stale: 'BM-GOV-STALE',
  notRotated: 'BM-GOV-NOT-ROTATED',
  unusedScopes: 'BM-GOV-UNUSED-SCOPES',
  humanUsesNhi: 'BM-GOV-HUMAN-USES-NHI',
  noExpiry: 'BM-GOV-NO-EXPIRY',
  privilegedNhi: 'BM-GOV-PRIVILEGED-NHI',
  thirdPartyPrivilegedWorkload: 'BM-GOV-THIRD-PARTY-PRIVILEGED-NHI',
  federatedNoSubject: 'BM-GOV-FEDERATED-NO-SUBJECT',
  sharedCredential: 'BM-GOV-SHARED-CREDENTIAL',
  crossEnvironment: 'BM-GOV-CROSS-ENVIRONMENT',
  reviewOverdue: 'BM-GOV-REVIEW-OVERDUE',
  identityControlPlane: 'BM-GOV-IDENTITY-CONTROL-PLANE',
  segregationOfDuties: 'BM-GOV-SEGREGATION-OF-DUTIES',
  sharedConnection: 'BM-GOV-SHARED-CONNECTION',
  connectionConcentration: 'BM-GOV-CONNECTION-CONCENTRATION',
  scopeExpandedSinceApproval: 'BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL',
  approverDisabled: 'BM-GOV-APPROVER-DISABLED',
} as const;

/** Catalogue order is the tie-break order of findings of equal severity. */
export const FINDING_RULES: readonly FindingRule[] = [
  {
    id: RULE_IDS.leakedCredential,
    title: 'Credential found in data and still valid',
    severity: 'critical',
    checks: 'A usable credential sits inside data (CONTAINS_CREDENTIAL): a key pasted in a support case, a token in a HAR file, a secret in a repository. Secret stores (STORES_CREDENTIAL) and CI secrets (a workload HOLDS) are not leaks.',
    remediation: 'Revoke or rotate the credential now, then delete it from every resource that holds it and check its audit log for use by anyone who could read that resource.',
    references: { owaspNhi: ['NHI2:2025'], nistCsf: ['PR.DS-01', 'PR.AA-01'] },
  },
  {
    id: RULE_IDS.unverifiedThirdParty,
    title: 'Unverified third-party publisher with high privilege',
    severity: 'high',
    checks: 'A third-party app whose publisher is not verified reaches a crown jewel, holds admin on a resource or platform, or has a blast-radius score at or above the privileged threshold.',
    remediation: 'Confirm who publishes the app and why it needs this authority; narrow its scopes or remove the grant, and record the vendor in the supplier inventory with an owner.',
    references: { owaspNhi: ['NHI3:2025', 'NHI5:2025'], nistCsf: ['GV.SC-07', 'ID.AM-04', 'PR.AA-05'] },
  },
  {
    id: RULE_IDS.thirdPartyPrivilegedWorkload,
    title: 'Third party can act as a privileged non-human identity',
    severity: 'critical',
    checks: 'A third-party app (thirdParty, or controlled from a vendor\'s environment) reaches, through the traversal, a service or workload identity that holds a privileged role or admin on a platform: it can run code or API calls with that authority.',
    remediation: 'Cut the path from the vendor to the workload (narrow the grant, remove the CI secret or the trigger, require approval for the vendor\'s jobs), or take the privileged role away from the workload; record the vendor in the supplier inventory.',
    references: { owaspNhi: ['NHI3:2025', 'NHI5:2025'], nistCsf: ['GV.SC-07', 'PR.AA-05'] },
  },
  {
    id: RULE_IDS.federatedNoSubject,
    title: 'Federated trust without a subject condition',
    severity: 'high',
    checks: 'A federated (OIDC or web-identity) credential trusts an identity provider without restricting the token subject (no sub condition, or only a wildcard): any workload that provider issues tokens to can use it.',
    remediation: 'Add a subject condition naming the exact repository, branch or environment (e.g. token.actions.githubusercontent.com:sub = repo:org/repo:ref:refs/heads/main) and keep the audience condition.',
    references: { owaspNhi: ['NHI6:2025'], nistCsf: ['PR.AA-03', 'PR.PS-01'] },
  },
  {
    id: RULE_IDS.adminScopes,
    title: 'Tenant-wide or admin authority',
    severity: 'high',
    checks: 'An app or credential holds admin on a platform (CAN_ADMIN), a privileged role, or scopes from the tenant-wide/admin scope table.',
    remediation: 'Replace tenant-wide or admin scopes with the narrowest scopes the integration needs (per-resource, read-only where possible) and record the justification for any that must stay.',
    references: { owaspNhi: ['NHI5:2025'], nistCsf: ['PR.AA-05'] },
  },
  {
    id: RULE_IDS.privilegedNhi,
    title: 'Privileged non-human identity',
    severity: 'high',
    checks: 'A service or workload identity holds, directly or through its groups, a privileged role (AdministratorAccess, owner, admin roles) or admin on a platform.',
    remediation: 'Replace the admin role with a role scoped to what the workload does; if it must stay, restrict where it can be used from (conditions, network, session length) and watch its use.',
    references: { owaspNhi: ['NHI5:2025'], nistCsf: ['PR.AA-05'] },
  },
  {
    id: RULE_IDS.noMfaPrivileged,
    title: 'Privileged identity without MFA',
    severity: 'high',
    checks: 'An identity recorded with mfa = false that can sign in interactively is privileged: it reaches a crown jewel, holds admin on a resource or platform, or scores at or above the privileged threshold. API-only, key-only and workload identities cannot use MFA and are skipped.',
    remediation: 'Require MFA (or, for a service account, replace the password with key-pair, certificate or federated authentication) and add a network policy; rotate its password.',
    references: { owaspNhi: ['NHI4:2025'], nistCsf: ['PR.AA-03'] },
  },
  {
    id: RULE_IDS.ownerDisabled,
    title: 'Owner disabled',
    severity: 'medium',
    checks: 'An app, credential or service identity is owned (OWNS edges or ownerIds) by identities that are disabled: every owner (orphaned) or some of them.',
    remediation: 'Assign an active owner; if nobody claims the integration, disable it and revoke its credentials.',
    references: { owaspNhi: ['NHI1:2025'], nistCsf: ['GV.RR-02', 'PR.AA-01'] },
  },
  {
    id: RULE_IDS.noOwner,
    title: 'No owner',
    severity: 'medium',
    checks: 'An app or a service/workload identity has no owner: no OWNS edge into it and no ownerIds. First-party and platform-managed objects and sign-in-only app tiles are skipped.',
    remediation: 'Record a business and a technical owner responsible for its access, its credentials and its offboarding.',
    references: { owaspNhi: ['NHI1:2025'], nistCsf: ['GV.RR-02', 'ID.AM-02', 'PR.AA-01'] },
  },
  {
    id: RULE_IDS.stale,
    title: 'Unused but still valid',
    severity: 'medium',
    checks: 'A credential, app or non-human identity still usable at the analysis instant was last used more than the stale threshold ago.',
    remediation: 'Revoke it (retired in practice is not retired: an unused grant still works for whoever steals it); if it is still needed, record why and by whom.',
    references: { owaspNhi: ['NHI1:2025'], nistCsf: ['PR.AA-01', 'ID.AM-08', 'DE.CM-03'] },
  },
  {
    id: RULE_IDS.notRotated,
    title: 'Not rotated',
    severity: 'medium',
    checks: 'A usable long-lived credential was last rotated (or, never rotated, created) more than the rotation threshold ago. OAuth grants and refresh tokens a third-party app holds are skipped: only the vendor can rotate them.',
    remediation: 'Rotate the credential and automate rotation; prefer short-lived or federated credentials where the platform supports them.',
    references: { owaspNhi: ['NHI7:2025'], nistCsf: ['PR.AA-01'] },
  },
  {
    id: RULE_IDS.sharedCredential,
    title: 'One credential used by several apps or workloads',
    severity: 'medium',
    checks: 'A credential is held by two or more apps or non-human identities that are not the same integration (a vendor\'s app and its registration on the platform count once).',
    remediation: 'Give each app or workload its own credential with its own scopes, so one can be rotated or revoked without the others and its use can be told apart in logs.',
    references: { owaspNhi: ['NHI9:2025'], nistCsf: ['PR.AA-01', 'PR.AA-05'] },
  },
  {
    id: RULE_IDS.crossEnvironment,
    title: 'One credential reaches production and non-production',
    severity: 'medium',
    checks: 'A credential\'s own authority (without the further credentials it could pick up) reaches both production and non-production nodes, by tags or by the names of the nodes and their platforms.',
    remediation: 'Issue separate credentials per environment and scope each to its own account, project or tenant; a test system should never hold a key that works in production.',
    references: { owaspNhi: ['NHI8:2025'], nistCsf: ['PR.IR-01', 'PR.AA-05'] },
  },
  {
    id: RULE_IDS.unusedScopes,
    title: 'Granted but unused scopes',
    severity: 'medium',
    checks: 'Usage data exists for a credential or app (usedScopes) and some granted scopes were never seen in use.',
    remediation: 'Remove the unused scopes from the grant (re-consent with the narrower set); every unused scope is authority an attacker gets for free.',
    references: { owaspNhi: ['NHI5:2025'], nistCsf: ['PR.AA-05'] },
  },
  {
    id: RULE_IDS.humanUsesNhi,
    title: 'Human holds a non-human credential',
    severity: 'medium',
    checks: 'A human identity holds a credential that authenticates as an app or a service/workload identity.',
    remediation: 'Give the person their own account with the access they need; keep the non-human credential in a vault used only by the workload, and rotate it.',
    references: { owaspNhi: ['NHI10:2025'], nistCsf: ['PR.AA-01', 'PR.AA-02'] },
  },
  {
    id: RULE_IDS.noExpiry,
    title: 'Never expires',
    severity: 'low',
    checks: 'A usable long-lived credential has no expiry (or, with a maximum lifetime set, expires later than that lifetime allows).',
    remediation: 'Set an expiry on the credential (or replace it with one that expires) and track renewal; prefer federated, short-lived credentials.',
    references: { owaspNhi: ['NHI7:2025'], nistCsf: ['PR.AA-01'] },
  },
  {
    id: RULE_IDS.reviewOverdue,
    title: 'Access review overdue',
    severity: 'medium',
    checks: 'A usable app or credential has a review cadence (reviewEvery) and its last review (reviewedAt, else approvedAt, else createdAt) is older than the cadence, or it was never reviewed.',
    remediation: 'Review the access with its owner: is it still needed, are its scopes still right? Record the review (reviewedAt), narrow or revoke what is no longer needed.',
    references: { owaspNhi: ['NHI1:2025', 'NHI5:2025'], nistCsf: ['PR.AA-05', 'ID.AM-08'] },
  },
  {
    id: RULE_IDS.identityControlPlane,
    title: 'Integration workflow controls identity',
    severity: 'high',
    checks: 'A usable integration workflow or connector (iPaaS, HR, ITSM) runs actions that create, change or remove identities, or change group membership, on an identity provider or directory; critical when a public webhook starts it.',
    remediation: 'Treat the workflow as part of the identity provider: restrict who can edit it to the identity team, give its connection the narrowest admin role that does the job, require approval for changes, and monitor its runs.',
    references: { owaspNhi: ['NHI5:2025', 'NHI3:2025'], nistCsf: ['PR.AA-05', 'PR.AA-01', 'GV.RR-02'] },
  },
  {
    id: RULE_IDS.segregationOfDuties,
    title: 'No segregation of duties',
    severity: 'high',
    checks: 'One integration workflow both writes the HR source of truth and provisions identities from it, so one party creates the record and grants the access.',
    remediation: 'Split the workflow: HR writes through its own connection and approval, provisioning reads HR with a read-only connection; never give one workflow both.',
    references: { owaspNhi: ['NHI5:2025'], nistCsf: ['PR.AA-05', 'GV.RR-02'] },
  },
  {
    id: RULE_IDS.sharedConnection,
    title: 'Connection shared across owners',
    severity: 'medium',
    checks: "One integration platform connection (credential) is used by workflows of several owners (projects or teams); high when the connection is privileged.",
    remediation: 'Give each owner its own connection with the scopes its workflows need, so rotation and revocation affect one team and use can be told apart.',
    references: { owaspNhi: ['NHI9:2025', 'NHI5:2025'], nistCsf: ['PR.AA-01', 'PR.AA-05'] },
  },
  {
    id: RULE_IDS.connectionConcentration,
    title: 'Connections concentrated on one platform',
    severity: 'high',
    checks: 'One platform (an iPaaS instance) holds connections to more than 3 other systems; the evidence gives the combined radius of compromising it.',
    remediation: 'Split integrations across instances or projects by trust zone, keep identity-provider connections on a separately administered instance, restrict instance admins, and inventory every connection with its owner.',
    references: { owaspNhi: ['NHI5:2025', 'NHI3:2025'], nistCsf: ['ID.AM-02', 'PR.AA-05', 'GV.SC-07'] },
  },
  {
    id: RULE_IDS.scopeExpandedSinceApproval,
    title: 'Scope expanded since approval',
    severity: 'medium',
    checks: 'A usable grant (a credential or app, and the edges naming it as their grant) carries scopes that its recorded approval (approvedScopes, from an audit event or a native file) did not cover, and no later approval covers them. Between two imports, blastmap diff also reports a grant whose scopes grew while its approval stayed the same.',
    remediation: 'Have the owner approve the added scopes (consent again, or record the approval), or remove them from the grant; find out who or what added them without approval.',
    references: { owaspNhi: ['NHI5:2025', 'NHI3:2025'], nistCsf: ['PR.AA-05', 'GV.SC-07'] },
  },
  {
    id: RULE_IDS.approverDisabled,
    title: 'Approved by a disabled or deleted account',
    severity: 'medium',
    checks: 'A usable app, credential or grant was approved (approvedBy) by an identity that is disabled now, or that is no longer in the directory of a tenant the import covers.',
    remediation: 'Have a current owner review the access and approve it again (record the new approval), or revoke it if no one will own it.',
    references: { owaspNhi: ['NHI1:2025'], nistCsf: ['PR.AA-05', 'GV.RR-02'] },
  },
];

export const RULES_BY_ID: ReadonlyMap<string, FindingRule> = new Map(FINDING_RULES.map((rule) => [rule.id, rule]));

/** Credential types that carry a secret meant to last: the ones expiry and rotation rules apply to. */
export const LONG_LIVED_CREDENTIAL_TYPES: readonly string[] = [
  'api-key', 'client-secret', 'pat', 'refresh-token', 'oauth-grant', 'deploy-key', 'ssh-key', 'password', 'certificate',
];

/**
 * One entry of the tenant-wide/admin scope heuristic. `exact` compares the whole scope, `glob` treats `*`
 * as "any characters". Both are case-insensitive. `platforms` (keys or key prefixes before `-`, e.g.
 * `google` matches `google-workspace`) restricts short scope names that mean different things elsewhere;
 * `withAny` requires another scope of the same grant (Salesforce `api` matters with `refresh_token`).
 */
export interface AdminScopePattern {
  scope: string;
  match: 'exact' | 'glob';
  platforms?: readonly string[];
  withAny?: readonly string[];
  meaning: string;
}

const MICROSOFT = ['entra', 'microsoft', 'm365', 'office365', 'azure', 'exchange', 'sharepoint'];

export const ADMIN_SCOPE_PATTERNS: readonly AdminScopePattern[] = [
  { scope: '*.ReadWrite.All', match: 'glob', meaning: 'Microsoft Graph: write to every object of this type in the tenant' },
  { scope: 'Directory.*', match: 'glob', meaning: 'Microsoft Graph: the whole directory (users, groups, apps)' },
  { scope: 'RoleManagement.*', match: 'glob', meaning: 'Microsoft Graph: directory role assignments' },
  { scope: '*.FullControl.All', match: 'glob', meaning: 'Microsoft Graph: full control of every site' },
  { scope: 'full_access_as_app', match: 'exact', platforms: MICROSOFT, meaning: 'Exchange Online: every mailbox in the tenant' },
  { scope: 'https://mail.google.com/', match: 'exact', meaning: 'Gmail: full mailbox access (every mailbox with domain-wide delegation)' },
  { scope: 'https://www.googleapis.com/auth/admin.directory.*', match: 'glob', meaning: 'Google Admin SDK: the Workspace directory' },
  { scope: 'https://www.googleapis.com/auth/cloud-platform', match: 'exact', meaning: 'Google Cloud: every service the principal has IAM rights on' },
  { scope: 'full', match: 'exact', platforms: ['salesforce'], meaning: 'Salesforce: all data the user can access' },
  { scope: 'api', match: 'exact', platforms: ['salesforce'], withAny: ['refresh_token', 'offline_access'], meaning: 'Salesforce: API access as the user, kept alive by a refresh token' },
  { scope: 'admin', match: 'exact', platforms: ['slack'], meaning: 'Slack: workspace administration' },
  { scope: 'admin.*', match: 'glob', platforms: ['slack'], meaning: 'Slack: Enterprise Grid administration' },
  { scope: 'admin:org', match: 'exact', platforms: ['github'], meaning: 'GitHub: organisation administration' },
  { scope: 'admin:enterprise', match: 'exact', platforms: ['github'], meaning: 'GitHub: enterprise administration' },
  { scope: 'repo', match: 'exact', platforms: ['github'], meaning: 'GitHub: full control of every private repository the user can reach' },
  { scope: 'okta.*.manage', match: 'glob', meaning: 'Okta: manage objects of this type across the org' },
  { scope: '*', match: 'exact', platforms: ['aws'], meaning: 'AWS: every action' },
  { scope: '*:*', match: 'exact', platforms: ['aws'], meaning: 'AWS: every action of every service' },
  { scope: 'iam:*', match: 'exact', platforms: ['aws'], meaning: 'AWS: every IAM action (can grant itself anything)' },
  { scope: 'arn:aws:iam::aws:policy/AdministratorAccess', match: 'exact', platforms: ['aws'], meaning: 'AWS: the AdministratorAccess managed policy' },
];

const globCache = new Map<string, RegExp>();
function globRegex(glob: string): RegExp {
  let regex = globCache.get(glob);
  if (!regex) {
    const body = glob.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.*');
    regex = new RegExp(`^${body}$`, 'i');
    globCache.set(glob, regex);
  }
  return regex;
}

function platformMatches(keys: readonly string[] | undefined, platform: string): boolean {
  if (!keys) return true;
  const lower = platform.toLowerCase();
  return keys.some((key) => lower === key || lower.startsWith(`${key}-`) || lower.startsWith(`${key}.`));
}

export interface AdminScopeMatch {
  scope: string;
  meaning: string;
}

/**
 * The scopes of one grant (all scopes on one edge, or a credential's own list) that the table marks as
 * tenant-wide or admin on `platform`. Sorted, one entry per scope.
 */
export function adminScopeMatches(scopes: readonly string[], platform: string, patterns: readonly AdminScopePattern[] = ADMIN_SCOPE_PATTERNS): AdminScopeMatch[] {
  const present = new Set(scopes.map((scope) => scope.toLowerCase()));
  const found = new Map<string, string>();
  for (const scope of scopes) {
    if (found.has(scope)) continue;
    for (const pattern of patterns) {
      if (!platformMatches(pattern.platforms, platform)) continue;
      const hit = pattern.match === 'exact' ? scope.toLowerCase() === pattern.scope.toLowerCase() : globRegex(pattern.scope).test(scope);
      if (!hit) continue;
      if (pattern.withAny && !pattern.withAny.some((other) => present.has(other.toLowerCase()))) continue;
      found.set(scope, pattern.meaning);
      break;
    }
  }
  return [...found].map(([scope, meaning]) => ({ scope, meaning })).sort((a, b) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0));
}
