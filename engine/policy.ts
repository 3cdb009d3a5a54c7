// The review policy (docs/policy.md): the zod schema of the policy file, its parsing with file and line in
// every issue, the rule table (SARIF ids, titles, default severity) and the evaluation of a review's facts.
import { z } from 'zod';
import type { ProposalLocation, ReviewFacts, ReviewGain } from './analysis/review.ts';
import type { PathStepView } from './analysis/radius.ts';
import type { InputIssue } from './errors.ts';
import { fromZodIssues, type Result } from './format/validate.ts';
import { readYaml, withLines } from './format/yaml.ts';
import { LEVEL_CODE, LEVELS, levelName } from './schema/index.ts';

export const POLICY_SEVERITIES = ['error', 'warning', 'note'] as const;
export type PolicySeverity = (typeof POLICY_SEVERITIES)[number];

const severity = z.enum(POLICY_SEVERITIES, { message: 'a severity: error, warning or note' });
const tag = z.string({ message: 'a lower-case tag such as crown-jewel' }).regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'a lower-case tag such as crown-jewel' });

const forbidReachEntry = z
  .object({
    tag: tag.describe('Tag of the nodes the proposal must not reach, e.g. crown-jewel, secrets, pii.'),
    atLeast: z.enum(LEVELS, { message: 'a level: read, write or admin' }).default('read').describe('Lowest forbidden level (default read).'),
  }, { message: 'an entry { tag, atLeast }' })
  .strict();

const rulesSchema = z
  .object({
    maxScore: z.number({ message: 'a number' }).min(0, { message: 'a score of 0 or more' })
      .describe("Highest blast-radius score any app of the proposal may have (docs/scoring.md)."),
    forbidReach: z.array(forbidReachEntry, { message: 'a list of { tag, atLeast } entries' })
      .describe('Tagged nodes the proposal must not newly reach at or above a level.'),
    requireOwner: z.boolean({ message: 'true or false' })
      .describe('Every app of the proposal needs an owner: an OWNS edge from an enabled identity, or ownerIds.'),
    maxCredentialLifetimeDays: z.number({ message: 'a number of days' }).int({ message: 'a whole number of days' }).positive({ message: 'a number of days above 0' })
      .describe('Longest validity of a proposed credential, from createdAt (or the analysis instant) to expiresAt; no expiresAt violates it.'),
    forbiddenScopes: z.array(z.string().min(1, { message: 'a non-empty scope' }), { message: 'a list of scope strings' })
      .describe('Scopes the proposal must not add; case-insensitive, `*` matches any run of characters.'),
    forbidTenantWideScopes: z.boolean({ message: 'true or false' })
      .describe('The proposal must not add a tenant-wide or admin scope (heuristic table in docs/policy.md).'),
    requireVerifiedPublisher: z.boolean({ message: 'true or false' })
      .describe('Third-party apps (thirdParty: true) of the proposal need publisherVerified: true.'),
  }, { message: 'an object of rules such as maxScore or requireOwner' })
  .partial()
  .strict();

export type PolicyRuleName = keyof z.output<typeof rulesSchema>;

/** Every rule the policy file can set, in the order reports list them. */
export const POLICY_RULE_NAMES = Object.keys(rulesSchema.shape) as PolicyRuleName[];

export const policySchema = z
  .object({
    $schema: z.string({ message: 'a string' }).optional(),
    version: z.literal(1, { message: 'version 1' }).describe('Policy format version.'),
    description: z.string({ message: 'a string' }).max(2048, { message: 'at most 2048 characters' }).optional(),
    rules: rulesSchema.describe('Every rule is optional; a rule that is absent (or false) is not checked.'),
    severity: z.object(Object.fromEntries(POLICY_RULE_NAMES.map((name) => [name, severity.optional()])) as Record<PolicyRuleName, z.ZodOptional<typeof severity>>, { message: 'an object of rule: severity' })
      .strict()
      .optional()
      .describe('Per-rule severity override (default error). Only error-severity violations fail the review.'),
  }, { message: 'a policy object with version and rules' })
  .strict();

export type Policy = z.output<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;

/** What reports, SARIF rules and docs/policy.md say about each rule. */
export interface PolicyRuleInfo {
  name: PolicyRuleName;
  /** Stable SARIF rule id. */
  id: string;
  title: string;
  description: string;
  /** Anchor of the rule's section in docs/policy.md. */
  anchor: string;
}

export const REVIEW_RULES: readonly PolicyRuleInfo[] = [
  { name: 'maxScore', id: 'BM-REVIEW-MAX-SCORE', anchor: 'maxscore', title: 'Blast-radius score above the maximum',
    description: 'An app of the proposal would have a blast-radius score above the maximum the policy allows.' },
  { name: 'forbidReach', id: 'BM-REVIEW-FORBID-REACH', anchor: 'forbidreach', title: 'Forbidden reach to a tagged resource',
    description: 'The proposal lets an integration reach a node with a forbidden tag at or above the forbidden level.' },
  { name: 'requireOwner', id: 'BM-REVIEW-REQUIRE-OWNER', anchor: 'requireowner', title: 'App without an owner',
    description: 'An app of the proposal has no owner: no OWNS edge from an enabled identity and no ownerIds.' },
  { name: 'maxCredentialLifetimeDays', id: 'BM-REVIEW-MAX-CREDENTIAL-LIFETIME', anchor: 'maxcredentiallifetimedays', title: 'Credential lifetime above the maximum',
    description: 'A credential of the proposal never expires or is valid for longer than the policy allows.' },
  { name: 'forbiddenScopes', id: 'BM-REVIEW-FORBIDDEN-SCOPE', anchor: 'forbiddenscopes', title: 'Forbidden scope',
    description: 'The proposal grants a scope the policy forbids.' },
  { name: 'forbidTenantWideScopes', id: 'BM-REVIEW-TENANT-WIDE-SCOPE', anchor: 'forbidtenantwidescopes', title: 'Tenant-wide or admin scope',
    description: 'The proposal grants a scope that reaches a whole tenant or administers it.' },
  { name: 'requireVerifiedPublisher', id: 'BM-REVIEW-VERIFIED-PUBLISHER', anchor: 'requireverifiedpublisher', title: 'Third-party app from an unverified publisher',
    description: 'A third-party app of the proposal does not come from a verified publisher.' },
];

export const policyRuleInfo = (name: PolicyRuleName): PolicyRuleInfo => REVIEW_RULES.find((rule) => rule.name === name)!;

/**
 * Scope patterns that reach a whole tenant or administer it, until the per-platform scope catalogues
 * (which know each scope's reach) replace this table. Matched case-insensitively against added scopes.
 */
export interface TenantWideScopePattern {
  /** Shown in docs and messages; `*` is any run of characters. */
  pattern: string;
  match: RegExp;
  platform: string;
  why: string;
}

export const TENANT_WIDE_SCOPE_PATTERNS: readonly TenantWideScopePattern[] = [
  { pattern: '*.All', match: /\.all$/i, platform: 'Microsoft Graph', why: 'a permission over every object of its type in the tenant' },
  { pattern: 'full_access_as_app', match: /^full_access_as_app$/i, platform: 'Exchange Online', why: 'every mailbox of the organisation' },
  { pattern: 'https://mail.google.com/', match: /^https:\/\/mail\.google\.com\/?$/i, platform: 'Google Workspace', why: 'full Gmail access (read, send, delete)' },
  { pattern: 'https://www.googleapis.com/auth/admin.*', match: /^https:\/\/www\.googleapis\.com\/auth\/admin\./i, platform: 'Google Workspace', why: 'an Admin SDK scope over the whole domain' },
  { pattern: 'https://www.googleapis.com/auth/cloud-platform', match: /^https:\/\/www\.googleapis\.com\/auth\/cloud-platform$/i, platform: 'Google Cloud', why: 'every Google Cloud API the principal can use' },
  { pattern: 'admin, admin.*', match: /^admin(\..+)?$/i, platform: 'Slack', why: 'an admin scope of the workspace or organisation' },
  { pattern: 'full', match: /^full$/i, platform: 'Salesforce', why: 'all data the user can access, including admin operations' },
  { pattern: 'okta.*.manage', match: /^okta\..+\.manage$/i, platform: 'Okta', why: 'a management scope over the whole org' },
  { pattern: 'repo', match: /^repo$/i, platform: 'GitHub (classic scope)', why: 'every repository the user can access, private ones included' },
  { pattern: 'admin:org, admin:enterprise, admin:org_hook', match: /^admin:(org|enterprise|org_hook)$/i, platform: 'GitHub (classic scope)', why: 'administers the organisation or enterprise' },
  { pattern: '*:admin', match: /^[a-z_]+(:[a-z_]+)*:admin$/i, platform: 'Zoom', why: 'an account-level (admin) scope over every user' },
  { pattern: 'team_data.member', match: /^team_data\.member$/i, platform: 'Dropbox', why: 'acts as any member of the team' },
  { pattern: '*, *:*', match: /^\*(:\*)?$/, platform: 'any', why: 'a wildcard permission' },
];

/** The tenant-wide pattern a scope matches, if any. */
export function tenantWidePattern(scope: string): TenantWideScopePattern | undefined {
  return TENANT_WIDE_SCOPE_PATTERNS.find((entry) => entry.match.test(scope));
}

/** A forbiddenScopes entry as a matcher: case-insensitive, `*` matches any run of characters. */
export function scopeMatcher(entry: string): RegExp {
  const body = entry.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * Parses a policy file (YAML or JSON: JSON is read as YAML, which it is a subset of). Every problem is
 * returned with the file, the JSON path and the line.
 */
export function parsePolicy(text: string, options: { file?: string } = {}): Result<Policy> {
  const read = readYaml(text, { file: options.file, what: 'a YAML or JSON policy document' });
  if (!read.ok) return read;
  const raw = read.value;
  const parsed = policySchema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data, warnings: [] };
  // Every field of the schema carries its own message: use it as the expectation, except for unknown keys.
  const issues = fromZodIssues(parsed.error.issues, raw, options.file).map((issue): InputIssue => {
    const unknownKey = issue.message.startsWith('unknown field');
    return !unknownKey ? { ...issue, expected: issue.message }
      : issue.path === '$.rules' ? { ...issue, expected: `only the rules ${POLICY_RULE_NAMES.join(', ')}` }
        : issue.path === '$.severity' ? { ...issue, expected: `rule names (${POLICY_RULE_NAMES.join(', ')})` }
          : issue;
  });
  return { ok: false, issues: withLines(issues, read.lineAt) };
}

/** The severity a rule's violations carry under this policy (default error). */
export function ruleSeverity(policy: Policy, rule: PolicyRuleName): PolicySeverity {
  return policy.severity?.[rule] ?? 'error';
}

/** Rules the policy turns on, in REVIEW_RULES order. */
export function activeRules(policy: Policy): PolicyRuleName[] {
  return POLICY_RULE_NAMES.filter((name) => {
    const setting = policy.rules[name];
    if (setting === undefined || setting === false) return false;
    return !(Array.isArray(setting) && setting.length === 0);
  });
}

/** Primitive facts attached to a violation (also SARIF result properties). */
export type ViolationEvidence = Record<string, string | number | boolean | string[]>;

export interface Violation {
  rule: PolicyRuleName;
  ruleId: string;
  severity: PolicySeverity;
  /** Plain text; names in it come from the graph and are escaped by each renderer. */
  message: string;
  /** The node of the proposal the violation is about (an app, a credential, the carrier of a scope). */
  nodeId: string;
  nodeName: string;
  /** The node reached, for reach rules. */
  targetId?: string;
  evidence: ViolationEvidence;
  /** The witness path, for reach rules. */
  path?: PathStepView[];
  /** Where in the proposal the element responsible is declared. */
  location?: ProposalLocation;
}

const SEVERITY_RANK: Record<PolicySeverity, number> = { error: 0, warning: 1, note: 2 };
const DAY_MS = 86_400_000;

/** Checks the facts of a review against every active rule of the policy. Deterministic order. */
export function evaluatePolicy(facts: ReviewFacts, policy: Policy): Violation[] {
  const { merged } = facts;
  const rules = policy.rules;
  const violations: Violation[] = [];
  const add = (rule: PolicyRuleName, v: Omit<Violation, 'rule' | 'ruleId' | 'severity'>): void => {
    violations.push({ rule, ruleId: policyRuleInfo(rule).id, severity: ruleSeverity(policy, rule), ...v });
  };

  if (rules.maxScore !== undefined) {
    const max = rules.maxScore;
    for (const subject of facts.subjects) {
      const grew = subject.scoreBefore === null || subject.score > subject.scoreBefore;
      if (subject.score <= max || !grew) continue;
      add('maxScore', {
        message: `${subject.ref.name} would have a blast-radius score of ${round(subject.score)}` +
          `${subject.scoreBefore !== null ? ` (${round(subject.scoreBefore)} before this change)` : ''}, above the policy maximum of ${max}`,
        nodeId: subject.ref.id, nodeName: subject.ref.name,
        evidence: { score: round(subject.score), maxScore: max, ...(subject.scoreBefore !== null ? { scoreBefore: round(subject.scoreBefore) } : {}) },
        location: subject.location,
      });
    }
  }

  if (rules.forbidReach && rules.forbidReach.length > 0) {
    const byNode = new Map<number, ReviewGain[]>();
    for (const gain of facts.gains) {
      const list = byNode.get(gain.node);
      if (list) list.push(gain); else byNode.set(gain.node, [gain]);
    }
    for (const [v, gains] of byNode) {
      const node = merged.nodes[v]!;
      for (const forbidden of rules.forbidReach) {
        if (!(node.tags ?? []).includes(forbidden.tag)) continue;
        const threshold = LEVEL_CODE[forbidden.atLeast];
        const crossing = gains.filter((gain) => gain.level >= threshold && gain.before < threshold);
        if (crossing.length === 0) continue;
        // Each app of the proposal answers for itself; otherwise one violation names the first of the others.
        const subjects = crossing.filter((gain) => gain.bySubject);
        for (const gain of subjects.length > 0 ? subjects : [crossing[0]!]) {
          const by = merged.nodes[gain.by]!;
          const level = levelName(gain.level);
          const others = subjects.length > 0 ? 0 : crossing.length - 1;
          add('forbidReach', {
            message: `${by.name} ${gain.byProposal ? 'reaches' : 'would reach, through this proposal,'} ${forbidden.tag} ${node.kind} ${node.name} (${node.platform}) at ${level}` +
              `${others > 0 ? ` (and ${others} more app${others === 1 ? '' : 's'} or credential${others === 1 ? '' : 's'})` : ''}` +
              `; the policy forbids ${forbidden.tag} at ${forbidden.atLeast} or above`,
            nodeId: by.id, nodeName: by.name, targetId: node.id,
            evidence: {
              tag: forbidden.tag, atLeast: forbidden.atLeast, level, hops: gain.hops, target: node.name, byProposal: gain.byProposal,
              ...(others > 0 ? { alsoReachedBy: crossing.slice(1).map((other) => merged.nodes[other.by]!.id) } : {}),
            },
            path: gain.path, location: gain.location,
          });
        }
      }
    }
  }

  if (rules.requireOwner === true) {
    for (const app of facts.apps) {
      if (app.owners.length > 0) continue;
      add('requireOwner', {
        message: app.disabledOwners.length > 0
          ? `${app.node.name} has no enabled owner (its owners ${app.disabledOwners.join(', ')} are disabled)`
          : `${app.node.name} has no owner: add an OWNS edge from the identity accountable for it, or ownerIds`,
        nodeId: app.node.id, nodeName: app.node.name,
        evidence: app.disabledOwners.length > 0 ? { disabledOwners: app.disabledOwners } : {},
        location: app.location,
      });
    }
  }

  if (rules.maxCredentialLifetimeDays !== undefined) {
    const maxDays = rules.maxCredentialLifetimeDays;
    for (const credential of facts.credentials) {
      const node = credential.node;
      if (node.revoked === true || node.type === 'federated') continue;
      const base = { nodeId: node.id, nodeName: node.name, location: credential.location };
      if (node.expiresAt === undefined) {
        add('maxCredentialLifetimeDays', {
          ...base,
          message: `${node.name} (${node.type ?? 'credential'}) never expires; the policy allows at most ${maxDays} days`,
          evidence: { type: node.type ?? 'unknown', maxDays, expires: false },
        });
        continue;
      }
      const from = node.createdAt !== undefined ? Date.parse(node.createdAt) : facts.at;
      const days = (Date.parse(node.expiresAt) - from) / DAY_MS;
      if (days <= maxDays) continue;
      add('maxCredentialLifetimeDays', {
        ...base,
        message: `${node.name} (${node.type ?? 'credential'}) is valid for ${Math.ceil(days)} days ` +
          `(${node.createdAt !== undefined ? 'from createdAt' : 'from now'} to ${node.expiresAt.slice(0, 10)}); the policy allows at most ${maxDays}`,
        evidence: { type: node.type ?? 'unknown', maxDays, days: Math.ceil(days), expiresAt: node.expiresAt },
      });
    }
  }

  if (rules.forbiddenScopes && rules.forbiddenScopes.length > 0) {
    const matchers = rules.forbiddenScopes.map((entry) => ({ entry, match: scopeMatcher(entry) }));
    for (const added of facts.addedScopes) {
      const hit = matchers.find(({ match }) => match.test(added.scope));
      if (!hit) continue;
      add('forbiddenScopes', {
        message: `${added.carrierName} is granted forbidden scope ${added.scope}${hit.entry !== added.scope ? ` (policy entry ${hit.entry})` : ''}${onWhat(added.edgeKind, added.targetName)}`,
        nodeId: added.carrierId, nodeName: added.carrierName,
        evidence: { scope: added.scope, policyEntry: hit.entry, ...(added.edgeId ? { edgeId: added.edgeId } : {}) },
        location: added.location,
      });
    }
  }

  if (rules.forbidTenantWideScopes === true) {
    for (const added of facts.addedScopes) {
      const pattern = tenantWidePattern(added.scope);
      if (!pattern) continue;
      add('forbidTenantWideScopes', {
        message: `${added.carrierName} is granted tenant-wide scope ${added.scope} (${pattern.platform}: ${pattern.why})${onWhat(added.edgeKind, added.targetName)}`,
        nodeId: added.carrierId, nodeName: added.carrierName,
        evidence: { scope: added.scope, pattern: pattern.pattern, platform: pattern.platform, ...(added.edgeId ? { edgeId: added.edgeId } : {}) },
        location: added.location,
      });
    }
  }

  if (rules.requireVerifiedPublisher === true) {
    for (const app of facts.apps) {
      const node = app.node;
      if (node.thirdParty !== true || node.publisherVerified === true) continue;
      add('requireVerifiedPublisher', {
        message: node.publisherVerified === false
          ? `${node.name} is a third-party app${node.vendor ? ` by ${node.vendor}` : ''} whose publisher is not verified`
          : `${node.name} is a third-party app${node.vendor ? ` by ${node.vendor}` : ''} and does not state a verified publisher (publisherVerified)`,
        nodeId: node.id, nodeName: node.name,
        evidence: { publisherVerified: node.publisherVerified ?? 'unknown', ...(node.vendor ? { vendor: node.vendor } : {}) },
        location: app.location,
      });
    }
  }

  return sortViolations(violations);
}

function onWhat(edgeKind: string | undefined, targetName: string | undefined): string {
  return edgeKind && targetName ? ` on ${edgeKind} to ${targetName}` : '';
}

const round = (n: number): number => Math.round(n * 100) / 100;

export function sortViolations(violations: Violation[]): Violation[] {
  const ruleOrder = (name: PolicyRuleName): number => POLICY_RULE_NAMES.indexOf(name);
  return violations.sort((a, b) =>
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]
    || ruleOrder(a.rule) - ruleOrder(b.rule)
    || (a.location?.file ?? '').localeCompare(b.location?.file ?? '')
    || (a.location?.line ?? 0) - (b.location?.line ?? 0)
    || a.nodeId.localeCompare(b.nodeId)
    || (a.targetId ?? '').localeCompare(b.targetId ?? '')
    || a.message.localeCompare(b.message));
}
