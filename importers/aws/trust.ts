// Role trust policies (AssumeRolePolicyDocument): who may assume a role. Principals are sorted into this
// account's principals, other accounts, AWS services, OIDC providers (GitHub Actions, GitLab) and SAML providers.
import { conditionTags, globMatch } from './policy.ts';

export type TrustedPrincipal =
  | { kind: 'any' }
  | { kind: 'account'; account: string }
  | { kind: 'principal'; account: string; arn: string; principalType: 'user' | 'role'; name: string }
  | { kind: 'unique-id'; id: string }
  | { kind: 'service'; service: string }
  | { kind: 'oidc'; provider: string; providerArn: string; account: string }
  | { kind: 'saml'; provider: string; providerArn: string; account: string }
  | { kind: 'federated'; provider: string };

export interface TrustEntry {
  principal: TrustedPrincipal;
  /** Which sts actions the statement allows (AssumeRole, AssumeRoleWithWebIdentity, AssumeRoleWithSAML). */
  actions: string[];
  conditions: string[];
  /** Condition values by key (lower-case), all operators merged: `token.actions.githubusercontent.com:sub` -> [...]. */
  conditionValues: Record<string, string[]>;
  /** Position of the statement, for messages. */
  statement: number;
}

const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML'];

const list = (value: unknown): string[] => (typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

function conditionValues(condition: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (condition === null || typeof condition !== 'object') return out;
  for (const entry of Object.values(condition as Record<string, unknown>)) {
    if (entry === null || typeof entry !== 'object') continue;
    for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
      const k = key.toLowerCase();
      out[k] = [...(out[k] ?? []), ...list(value), ...(typeof value === 'boolean' ? [String(value)] : [])];
    }
  }
  return out;
}

/** Classifies one `Principal.AWS` value (an ARN, an account id, `*`, or the unique id of a deleted principal). */
export function classifyAwsPrincipal(value: string): TrustedPrincipal {
  const text = value.trim();
  if (text === '*') return { kind: 'any' };
  if (/^\d{12}$/.test(text)) return { kind: 'account', account: text };
  const root = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(text);
  if (root) return { kind: 'account', account: root[1]! };
  const iam = /^arn:aws[a-z-]*:iam::(\d{12}):(user|role)\/(?:.*\/)?([^/]+)$/.exec(text);
  if (iam) return { kind: 'principal', account: iam[1]!, arn: text, principalType: iam[2] as 'user' | 'role', name: iam[3]! };
  const session = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(text);
  if (session) return { kind: 'principal', account: session[1]!, arn: `arn:aws:iam::${session[1]}:role/${session[2]}`, principalType: 'role', name: session[2]! };
  return { kind: 'unique-id', id: text };
}

function classifyFederated(value: string): TrustedPrincipal {
  const oidc = /^arn:aws[a-z-]*:iam::(\d{12}):oidc-provider\/(.+)$/.exec(value);
  if (oidc) return { kind: 'oidc', provider: oidc[2]!, providerArn: value, account: oidc[1]! };
  const saml = /^arn:aws[a-z-]*:iam::(\d{12}):saml-provider\/(.+)$/.exec(value);
  if (saml) return { kind: 'saml', provider: saml[2]!, providerArn: value, account: saml[1]! };
  return { kind: 'federated', provider: value };
}

/**
 * The principals a trust policy lets assume the role. Deny statements and NotPrincipal are reported in
 * `ignored` (they only ever narrow the trust; ignoring them over-states it, which the docs say).
 */
export function trustEntries(document: Record<string, unknown>): { entries: TrustEntry[]; ignored: string[] } {
  const entries: TrustEntry[] = [];
  const ignored: string[] = [];
  const raw = document.Statement;
  const statements = Array.isArray(raw) ? raw : raw ? [raw] : [];
  statements.forEach((item, index) => {
    if (item === null || typeof item !== 'object') return;
    const s = item as Record<string, unknown>;
    if (s.Effect === 'Deny') { ignored.push('Deny statements in trust policies'); return; }
    if (s.Effect !== 'Allow') return;
    if (s.NotPrincipal !== undefined) { ignored.push('NotPrincipal in trust policies'); return; }
    const actions = list(s.Action);
    const allowed = ASSUME_ACTIONS.filter((a) => actions.some((p) => globMatch(p, a, true)));
    if (allowed.length === 0) return;
    const base = { actions: allowed, conditions: conditionTags(s.Condition), conditionValues: conditionValues(s.Condition), statement: index };
    const principal = s.Principal;
    if (principal === '*') { entries.push({ ...base, principal: { kind: 'any' } }); return; }
    if (principal === null || typeof principal !== 'object') return;
    const p = principal as Record<string, unknown>;
    for (const value of list(p.AWS)) entries.push({ ...base, principal: classifyAwsPrincipal(value) });
    for (const value of list(p.Service)) entries.push({ ...base, principal: { kind: 'service', service: value.toLowerCase() } });
    for (const value of list(p.Federated)) entries.push({ ...base, principal: classifyFederated(value) });
  });
  return { entries, ignored };
}

/** CI systems whose OIDC subject names a repository: the issuer host, and how to read the repository from `sub`. */
export const CI_ISSUERS: readonly { issuer: RegExp; platform: string; title: string; repo: RegExp }[] = [
  { issuer: /^token\.actions\.githubusercontent\.com(\/.*)?$/i, platform: 'github', title: 'GitHub Actions', repo: /^repo:([^:]+\/[^:]+)(?::(.*))?$/ },
  { issuer: /^gitlab\.com$/i, platform: 'gitlab', title: 'GitLab CI', repo: /^project_path:([^:]+\/[^:]+)(?::(.*))?$/ },
];
