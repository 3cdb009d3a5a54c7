// IAM identity-policy evaluation: statements (Allow/Deny, Action/NotAction, Resource/NotResource, wildcards)
// evaluated to access levels on the account's resources, with a concrete witness (action, ARN) for every grant.
//
// Semantics (docs/importers/aws.md, "Policy evaluation"): a principal reaches a resource at level L when some
// action of level >= L is allowed on some ARN inside the resource and no unconditional Deny covers that pair.
// Conditions are not evaluated: a conditional Allow or a conditional Deny makes the grant conditional, and
// the condition is kept as tags on the edge (`mfa`, `ip-allowlist`, ... and always `aws-condition`).
//
// Wildcards are handled with witnesses instead of language algebra: every pattern of the account is
// instantiated with a fresh character run that no pattern contains literally (and once with the empty
// string). For `*`-only globs, a Deny pattern matches the fresh instantiation of an Allow pattern exactly
// when it covers every string that Allow pattern matches, so checking concrete witnesses is both sound
// (each grant names a concrete request AWS would allow) and complete for the patterns policies use.
import { LEVEL_CODE, levelName, type Level } from '../../engine/schema/index.ts';

/** A character no policy contains: runs of it stand for "any text" in witnesses. */
export const FRESH_CHAR = '\u0001';
export const FRESH = FRESH_CHAR.repeat(3);
export const hasFresh = (text: string): boolean => text.includes(FRESH_CHAR);

export type Effect = 'Allow' | 'Deny';

/** Where a statement comes from, for reasons on edges. */
export interface PolicySource {
  /** Stable id: the managed policy ARN, or `inline:<principal arn>:<policy name>`. */
  id: string;
  name: string;
  kind: 'inline' | 'managed' | 'boundary';
}

export interface Statement {
  effect: Effect;
  actions?: readonly string[] | undefined;
  notActions?: readonly string[] | undefined;
  resources?: readonly string[] | undefined;
  notResources?: readonly string[] | undefined;
  /** Control tags of the statement's Condition block; empty when it has none. */
  conditions: readonly string[];
  source: PolicySource;
  sid?: string | undefined;
  /** Resource patterns use policy variables such as `${aws:username}`. */
  variables: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Documents

/**
 * A policy document as the raw API returns it (URL-encoded JSON string), as the CLI prints it (an object),
 * or as plain JSON text. Returns the parsed object or why it is not one.
 */
export function decodePolicyDocument(raw: unknown): { ok: true; document: Record<string, unknown> } | { ok: false; reason: string } {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) return { ok: true, document: raw as Record<string, unknown> };
  if (typeof raw !== 'string') return { ok: false, reason: raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw };
  const text = raw.trim();
  const candidates: string[] = [];
  if (text.startsWith('{')) candidates.push(text);
  try { candidates.push(decodeURIComponent(text)); } catch { /* not URL-encoded */ }
  try { candidates.push(decodeURIComponent(text.replace(/\+/g, ' '))); } catch { /* not form-encoded either */ }
  for (const candidate of candidates) {
    try {
      const value = JSON.parse(candidate) as unknown;
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { ok: true, document: value as Record<string, unknown> };
    } catch { /* try the next decoding */ }
  }
  return { ok: false, reason: `a string that is neither JSON nor URL-encoded JSON (${JSON.stringify(text.slice(0, 40))}${text.length > 40 ? '…' : ''})` };
}

const asList = (value: unknown): string[] | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  return undefined;
};

/** The statements of a document, normalised; `problems` are statements that could not be read (with sub-paths). */
export function statementsOf(document: Record<string, unknown>, source: PolicySource): { statements: Statement[]; problems: { path: string; expected: string; found: string }[] } {
  const statements: Statement[] = [];
  const problems: { path: string; expected: string; found: string }[] = [];
  const raw = document.Statement;
  const list = Array.isArray(raw) ? raw : raw !== undefined && raw !== null ? [raw] : [];
  if (raw === undefined || raw === null) problems.push({ path: '.Statement', expected: 'a Statement (object or array)', found: 'nothing' });
  list.forEach((item, index) => {
    const at = Array.isArray(raw) ? `.Statement[${index}]` : '.Statement';
    if (item === null || typeof item !== 'object' || Array.isArray(item)) { problems.push({ path: at, expected: 'a statement object', found: describe(item) }); return; }
    const s = item as Record<string, unknown>;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') { problems.push({ path: `${at}.Effect`, expected: '"Allow" or "Deny"', found: describe(s.Effect) }); return; }
    const actions = asList(s.Action);
    const notActions = asList(s.NotAction);
    if (!actions === !notActions) { problems.push({ path: `${at}.Action`, expected: 'exactly one of Action or NotAction (a string or an array of strings)', found: actions ? 'both' : 'neither' }); return; }
    const resources = asList(s.Resource);
    const notResources = asList(s.NotResource);
    if ((s.Resource !== undefined && !resources) || (s.NotResource !== undefined && !notResources)) { problems.push({ path: `${at}.Resource`, expected: 'a string or an array of strings', found: describe(s.Resource ?? s.NotResource) }); return; }
    const patterns = resources ?? notResources ?? [];
    statements.push({
      effect: s.Effect,
      actions, notActions,
      // A statement without Resource is not valid in an identity policy; it is read as `*` (and noted by the caller).
      resources: resources ?? (notResources ? undefined : ['*']), notResources,
      conditions: conditionTags(s.Condition),
      source,
      sid: typeof s.Sid === 'string' ? s.Sid : undefined,
      variables: patterns.some((p) => /\$\{(?![*?$]\})[^}]+\}/.test(p)),
    });
  });
  return { statements, problems };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}

/** Condition keys that are mitigating controls, and the edge condition tag each one becomes. */
const CONDITION_TAGS: readonly [RegExp, string][] = [
  [/^aws:multifactorauth(present|age)$/i, 'mfa'],
  [/^aws:sourceip$/i, 'ip-allowlist'],
  [/^aws:sourcevpce?$/i, 'vpc-endpoint'],
  [/^aws:(principalorgid|principalorgpaths|resourceorgid|resourceorgpaths)$/i, 'org-restricted'],
  [/^sts:externalid$/i, 'external-id'],
  [/^iam:passedtoservice$/i, 'passed-to-service'],
];
/** Keys an attacker satisfies at will: a Deny conditioned only on them restricts nothing that matters here. */
const ATTACKER_CONTROLLED = /^aws:securetransport$/i;

/** Condition keys of a Condition block (`{Operator: {Key: value}}`). */
export function conditionKeys(condition: unknown): string[] {
  if (condition === null || typeof condition !== 'object') return [];
  return Object.values(condition as Record<string, unknown>).flatMap((entry) => (entry !== null && typeof entry === 'object' ? Object.keys(entry as object) : []));
}

/** Control tags for a Condition block: one per known control, plus `aws-condition` for any condition at all. */
export function conditionTags(condition: unknown): string[] {
  const keys = conditionKeys(condition);
  if (keys.length === 0) return [];
  if (keys.every((key) => ATTACKER_CONTROLLED.test(key))) return ['attacker-satisfiable'];
  const tags = new Set<string>(['aws-condition']);
  for (const key of keys) for (const [pattern, tag] of CONDITION_TAGS) if (pattern.test(key)) tags.add(tag);
  return [...tags].sort();
}

// ---------------------------------------------------------------------------------------------------------
// Matching

const regexCache = new Map<string, RegExp>();

/**
 * IAM glob: `*` any run, `?` one character; `${*}`, `${?}`, `${$}` are the literal characters; any other
 * policy variable `${...}` matches any run (it is resolved earlier when the principal is known).
 */
export function globRegex(pattern: string, ignoreCase: boolean): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = regexCache.get(key);
  if (!regex) {
    let source = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i]!;
      if (c === '$' && pattern[i + 1] === '{') {
        const end = pattern.indexOf('}', i);
        if (end > 0) {
          const inner = pattern.slice(i + 2, end);
          source += inner === '*' || inner === '?' || inner === '$' ? escapeRegex(inner) : '[\\s\\S]*';
          i = end;
          continue;
        }
      }
      source += c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : escapeRegex(c);
    }
    regex = new RegExp(`^${source}$`, ignoreCase ? 'i' : '');
    if (regexCache.size > 50_000) regexCache.clear();
    regexCache.set(key, regex);
  }
  return regex;
}
const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A glob as tokens: one-character literals, ANY_ONE (`?`) and ANY_RUN (`*`). */
const ANY_ONE = 1;
const ANY_RUN = 2;
type GlobToken = string | typeof ANY_ONE | typeof ANY_RUN;
const tokenCache = new Map<string, GlobToken[]>();

function globTokens(pattern: string, ignoreCase: boolean): GlobToken[] {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let tokens = tokenCache.get(key);
  if (!tokens) {
    tokens = [];
    const text = ignoreCase ? pattern.toLowerCase() : pattern;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '$' && text[i + 1] === '{') {
        const end = text.indexOf('}', i);
        if (end > 0) {
          const inner = text.slice(i + 2, end);
          tokens.push(inner === '*' || inner === '?' || inner === '$' ? inner : ANY_RUN);
          i = end;
          continue;
        }
      }
      tokens.push(c === '*' ? ANY_RUN : c === '?' ? ANY_ONE : c);
    }
    if (tokenCache.size > 50_000) tokenCache.clear();
    tokenCache.set(key, tokens);
  }
  return tokens;
}

/**
 * Whether `text` matches the IAM glob, as globRegex would say, without a regular expression: patterns come from
 * the input, and a regex of many `*` backtracks exponentially (or is too large to compile). Greedy matching
 * with a return to the last `*`: at most pattern length x text length steps.
 */
export function globMatch(pattern: string, text: string, ignoreCase: boolean): boolean {
  const tokens = globTokens(pattern, ignoreCase);
  const subject = ignoreCase ? text.toLowerCase() : text;
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < subject.length) {
    const token = tokens[p];
    if (p < tokens.length && (token === ANY_ONE || token === subject[t])) { p++; t++; }
    else if (token === ANY_RUN) { star = p++; mark = t; }
    else if (star >= 0) { p = star + 1; t = ++mark; }
    else return false;
  }
  while (tokens[p] === ANY_RUN) p++;
  return p === tokens.length;
}

/**
 * A pattern with its wildcards (and unresolved policy variables) replaced by `fill`: the witness of "some
 * string this pattern matches". `?` always becomes one fresh character.
 */
export function instantiate(pattern: string, fill: string): string {
  return pattern.replace(/\$\{([^}]*)\}|\*|\?/g, (match, inner: string | undefined) => {
    if (inner === undefined) return match === '?' ? FRESH_CHAR : fill;
    if (inner === '*' || inner === '?' || inner === '$') return inner;
    return fill;
  });
}

/** Values of policy variables for one principal (`aws:username`, `aws:userid`), keys lower-case. */
export type Variables = Readonly<Record<string, string>>;

function substitute(pattern: string, variables: Variables): string {
  return pattern.replace(/\$\{([^}]+)\}/g, (match, inner: string) => {
    if (inner === '*' || inner === '?' || inner === '$') return match;
    const value = variables[inner.toLowerCase()];
    return value === undefined ? match : value.replace(/[*?$]/g, (c) => `\${${c}}`);
  });
}
const unresolved = (pattern: string): boolean => /\$\{(?![*?$]\})[^}]+\}/.test(pattern);

const actionCache = new WeakMap<Statement, Map<string, boolean>>();
export function matchesAction(statement: Statement, action: string): boolean {
  let cache = actionCache.get(statement);
  if (!cache) { cache = new Map(); actionCache.set(statement, cache); }
  let hit = cache.get(action);
  if (hit === undefined) {
    hit = statement.actions ? statement.actions.some((p) => globMatch(p, action, true)) : !statement.notActions!.some((p) => globMatch(p, action, true));
    cache.set(action, hit);
  }
  return hit;
}

const resourceCache = new WeakMap<Statement, Map<string, boolean>>();
export function matchesResource(statement: Statement, arn: string, variables: Variables = {}): boolean {
  if (statement.variables) {
    if (statement.resources) return statement.resources.some((p) => globMatch(substitute(p, variables), arn, false));
    return !statement.notResources!.some((p) => globMatch(substitute(p, variables), arn, false));
  }
  let cache = resourceCache.get(statement);
  if (!cache) { cache = new Map(); resourceCache.set(statement, cache); }
  let hit = cache.get(arn);
  if (hit === undefined) {
    hit = statement.resources ? statement.resources.some((p) => globMatch(p, arn, false)) : !statement.notResources!.some((p) => globMatch(p, arn, false));
    cache.set(arn, hit);
  }
  return hit;
}

// ---------------------------------------------------------------------------------------------------------
// Decisions on one request

/** 0 = not allowed, 1 = allowed only under conditions (tags say which), 2 = allowed. */
export type Status = 0 | 1 | 2;

export interface Decision {
  status: Status;
  /** Controls the access depends on when status is 1. */
  tags: string[];
  /** The Allow statements that grant the request. */
  allows: Statement[];
}

const NONE: Decision = { status: 0, tags: [], allows: [] };

/**
 * IAM's evaluation of one request against identity statements: an explicit Deny wins, else an Allow grants,
 * else it is implicitly denied. A Deny whose resource uses a variable this principal does not resolve, or
 * that carries a condition, may or may not apply: it makes the grant conditional instead of removing it.
 */
export function decide(statements: readonly Statement[], action: string, arn: string, variables: Variables = {}): Decision {
  let unconditional = false;
  const allowTags = new Set<string>();
  const allows: Statement[] = [];
  for (const s of statements) {
    if (s.effect !== 'Allow' || !matchesAction(s, action) || !matchesResource(s, arn, variables)) continue;
    allows.push(s);
    if (s.conditions.length === 0) unconditional = true;
    else for (const tag of s.conditions) allowTags.add(tag);
  }
  if (allows.length === 0) return NONE;
  const denyTags = new Set<string>();
  for (const s of statements) {
    if (s.effect !== 'Deny' || !matchesAction(s, action) || !matchesResource(s, arn, variables)) continue;
    const contextual = s.variables && (s.resources ?? s.notResources ?? []).some((p) => unresolved(substitute(p, variables)));
    if (s.conditions.length === 0 && !contextual) return NONE;
    if (s.conditions.length === 1 && s.conditions[0] === 'attacker-satisfiable') continue;
    for (const tag of s.conditions.length > 0 ? s.conditions : ['aws-condition']) denyTags.add(tag);
  }
  if (unconditional && denyTags.size === 0) return { status: 2, tags: [], allows: allows.filter((s) => s.conditions.length === 0) };
  const tags = new Set([...(unconditional ? [] : allowTags), ...denyTags]);
  tags.delete('attacker-satisfiable');
  if (tags.size === 0) return { status: 2, tags: [], allows };
  return { status: 1, tags: [...tags].sort(), allows };
}

/** Identity policies bounded by a permissions boundary: both must allow; controls of either apply. */
export function decideBounded(identity: readonly Statement[], boundary: readonly Statement[] | undefined, action: string, arn: string, variables: Variables = {}): Decision {
  const granted = decide(identity, action, arn, variables);
  if (!boundary || granted.status === 0) return granted;
  const bounded = decide(boundary, action, arn, variables);
  if (bounded.status === 0) return NONE;
  if (granted.status === 2 && bounded.status === 2) return granted;
  return { status: 1, tags: [...new Set([...granted.tags, ...bounded.tags])].sort(), allows: granted.allows };
}

// ---------------------------------------------------------------------------------------------------------
// The account's resources as a tree of targets: the Platform, one container per service, named resources.

export interface ActionInfo {
  level: Level;
  /** Resource types the action applies to; `*` any; empty: none (account-level listing). */
  types: readonly string[] | '*';
  assumed: boolean;
  takeover?: string | undefined;
}

export interface ServiceModel {
  service: string;
  title: string;
  /** Name of the "all resources of this service" node; undefined: the service gets no node (STS). */
  container?: string | undefined;
  noun?: string | undefined;
  resourceType?: string | undefined;
  /** ARN shapes of the service's named resources, most specific first; `name` (and `account`) groups. */
  types: readonly { type: string; regex: RegExp }[];
  /** ARNs inside a named resource: `{name}`, `{account}`, `{fresh}` placeholders. */
  witnesses: readonly string[];
  /** Container levels stop here (IAM: admin over IAM is expressed as takeover edges, not a level). */
  maxLevel?: Level | undefined;
}

export interface Catalogue {
  action(name: string): ActionInfo;
  /** Catalogued actions of a service, in canonical spelling. */
  actionsOf(service: string): readonly string[];
  model(service: string): ServiceModel;
}

export interface Witness { arn: string; type: string | undefined }

export interface TargetNode {
  /** `platform`, `<service>/*`, or `<service>/<name>`. */
  key: string;
  service?: string | undefined;
  name?: string | undefined;
  parent?: string | undefined;
  children: string[];
  witnesses: Witness[];
}

export const PLATFORM = 'platform';
export const containerKey = (service: string): string => `${service}/*`;
export const namedKey = (service: string, name: string): string => `${service}/${name}`;

/** The service part of an action (`s3:GetObject` -> `s3`), lower-case; undefined for `*`. */
export const serviceOf = (action: string): string | undefined => {
  const colon = action.indexOf(':');
  return colon > 0 ? action.slice(0, colon).toLowerCase() : undefined;
};

/** Parses an ARN into service and (for modelled services) the named resource it lies in. */
export function classifyArn(catalogue: Catalogue, arn: string): { service: string; account: string | undefined; name?: string | undefined; type?: string | undefined } | undefined {
  const match = /^arn:[^:]*:([^:]+):[^:]*:([^:]*):/.exec(arn);
  if (!match) return undefined;
  const service = match[1]!.toLowerCase();
  const model = catalogue.model(service);
  for (const { type, regex } of model.types) {
    const hit = regex.exec(arn);
    if (hit?.groups?.name !== undefined) return { service, account: hit.groups.account ?? (match[2] || undefined), name: hit.groups.name, type };
  }
  return { service, account: match[2] || undefined };
}

/** Platform-level witnesses: a read and a write action of a service no pattern names. */
const PLATFORM_ACTIONS = [`${FRESH}:Put${FRESH}`, `${FRESH}:Get${FRESH}`];

export class PolicyWorld {
  readonly targets = new Map<string, TargetNode>();
  /** Targets parents first (the Platform, containers, named resources). */
  readonly order: string[] = [];
  private readonly universe = new Map<string, string[]>();

  /**
   * @param statements every identity statement of the account (their patterns give the witnesses)
   * @param named names known from inventories (list-buckets ...), per service
   */
  constructor(readonly account: string, readonly catalogue: Catalogue, statements: readonly Statement[], named: ReadonlyMap<string, ReadonlySet<string>> = new Map()) {
    const resourcePatterns = new Set<string>();
    const actionPatterns = new Set<string>();
    for (const s of statements) {
      for (const p of s.resources ?? s.notResources ?? []) resourcePatterns.add(p);
      for (const p of s.actions ?? s.notActions ?? []) actionPatterns.add(p);
    }
    // Named resources: ARNs whose resource name is literal (wildcards only after it), in this account.
    const names = new Map<string, Set<string>>();
    const addName = (service: string, name: string): void => { names.set(service, names.get(service) ?? new Set()); names.get(service)!.add(name); };
    for (const [service, set] of named) for (const name of set) addName(service, name);
    for (const pattern of resourcePatterns) {
      const c = classifyArn(catalogue, instantiate(pattern, FRESH));
      if (!c?.name || hasFresh(c.name) || !this.ours(c.account)) continue;
      if (catalogue.model(c.service).container) addName(c.service, c.name);
    }
    // Services: those named in actions or resources, and those with named resources.
    const services = new Set<string>(names.keys());
    for (const p of actionPatterns) { const service = serviceOf(p); if (service && !/[*?]/.test(service)) services.add(service); }
    for (const p of resourcePatterns) { const c = classifyArn(catalogue, instantiate(p, FRESH)); if (c && !hasFresh(c.service) && this.ours(c.account)) services.add(c.service); }

    const fill = (template: string, name: string): string => template.replaceAll('{name}', name).replaceAll('{account}', account).replaceAll('{fresh}', FRESH);
    const instances = [...resourcePatterns].flatMap((p) => [instantiate(p, FRESH), instantiate(p, '')]);
    this.add({ key: PLATFORM, children: [], witnesses: [{ arn: `arn:aws:${FRESH}:${FRESH}:${account}:${FRESH}`, type: undefined }] });
    for (const service of [...services].sort()) {
      const model = catalogue.model(service);
      if (!model.container) continue;
      // A resource literally named `*` would share the key of the service's container (and be its own child).
      const serviceNames = new Set([...(names.get(service) ?? [])].filter((name) => namedKey(service, name) !== containerKey(service)));
      const remainder: Witness[] = model.witnesses.length > 0
        ? model.witnesses.map((t) => this.witness(fill(t, FRESH)))
        : [{ arn: `arn:aws:${service}:${FRESH}:${account}:${FRESH}`, type: undefined }];
      const byName = new Map<string, Witness[]>([...serviceNames].map((name) => [name, model.witnesses.map((t) => this.witness(fill(t, name)))]));
      for (const arn of instances) {
        const c = classifyArn(catalogue, arn);
        if (!c || c.service !== service || !this.ours(c.account)) continue;
        const bucket = c.name !== undefined ? byName.get(c.name) : undefined;
        (bucket ?? remainder).push({ arn, type: c.type });
      }
      this.add({ key: containerKey(service), service, parent: PLATFORM, children: [], witnesses: dedupe(remainder) });
      for (const name of [...serviceNames].sort()) {
        this.add({ key: namedKey(service, name), service, name, parent: containerKey(service), children: [], witnesses: dedupe(byName.get(name)!) });
      }
      this.universe.set(service, this.actionUniverse(service, actionPatterns));
    }
  }

  private ours(account: string | undefined): boolean {
    return account === undefined || account === '' || account === this.account || hasFresh(account);
  }

  private witness(arn: string): Witness {
    return { arn, type: classifyArn(this.catalogue, arn)?.type };
  }

  private add(node: TargetNode): void {
    this.targets.set(node.key, node);
    this.order.push(node.key);
    if (node.parent) this.targets.get(node.parent)!.children.push(node.key);
  }

  /**
   * Actions tried on a service's resources, most powerful first: the catalogued ones, `<service>:<fresh>` (any
   * action of the service: admin), literal actions no catalogue lists, and one instance of each wildcard
   * pattern that matches no catalogued action (`rds:Describe*` -> a read action of RDS).
   */
  private actionUniverse(service: string, patterns: ReadonlySet<string>): string[] {
    const known = this.catalogue.actionsOf(service);
    const out = new Set<string>([...known, `${service}:${FRESH}`]);
    for (const pattern of patterns) {
      const colon = pattern.indexOf(':');
      if (colon < 0) continue;
      if (!globMatch(pattern.slice(0, colon), service, true)) continue;
      const candidate = `${service}:${instantiate(pattern.slice(colon + 1), FRESH)}`;
      if (!/[*?]/.test(pattern)) { if (!known.some((a) => a.toLowerCase() === pattern.toLowerCase())) out.add(`${service}:${pattern.slice(colon + 1)}`); continue; }
      if (!known.some((a) => globMatch(pattern, a, true))) out.add(candidate);
    }
    return [...out].sort((a, b) => LEVEL_CODE[this.catalogue.action(b).level] - LEVEL_CODE[this.catalogue.action(a).level] || a.localeCompare(b));
  }

  /** Actions tried on a target, most powerful first. */
  actionsFor(key: string): readonly string[] {
    const node = this.targets.get(key)!;
    return node.service ? this.universe.get(node.service) ?? [] : PLATFORM_ACTIONS;
  }
}

const dedupe = (witnesses: Witness[]): Witness[] => {
  const seen = new Set<string>();
  return witnesses.filter((w) => (seen.has(w.arn) ? false : (seen.add(w.arn), true)));
};

// ---------------------------------------------------------------------------------------------------------
// Evaluating a principal's statements on every target

export interface Grant {
  action: string;
  arn: string;
  decision: Decision;
  assumed: boolean;
}

export interface TargetLevel {
  /** Highest level allowed unconditionally (0 = none). */
  u: number;
  /** Highest level allowed at all, conditions included. */
  a: number;
  /** Controls the access at level `a` depends on, when `a > u`. */
  tags: string[];
  grantU?: Grant | undefined;
  grantA?: Grant | undefined;
}

export interface EvaluationInput {
  identity: readonly Statement[];
  boundary?: readonly Statement[] | undefined;
  variables?: Variables | undefined;
}

/** Can the statements possibly allow some action of this service? (cheap filter before trying witnesses) */
function mayApply(statement: Statement, service: string | undefined): boolean {
  if (statement.notActions || !service) return true;
  return statement.actions!.some((p) => { const colon = p.indexOf(':'); return colon < 0 ? p === '*' : globMatch(p.slice(0, colon), service, true); });
}

/** Raw per-target levels: for every target, the best level some witness action reaches on some witness ARN. */
export function evaluateTargets(world: PolicyWorld, input: EvaluationInput): Map<string, TargetLevel> {
  const out = new Map<string, TargetLevel>();
  const variables = input.variables ?? {};
  const candidates = new Map<string, readonly string[]>();
  for (const key of world.order) {
    const node = world.targets.get(key)!;
    const identity = input.identity.filter((s) => mayApply(s, node.service));
    if (!identity.some((s) => s.effect === 'Allow')) continue;
    const boundary = input.boundary?.filter((s) => mayApply(s, node.service));
    const cap = node.service ? LEVEL_CODE[world.catalogue.model(node.service).maxLevel ?? 'admin'] : LEVEL_CODE.write;
    const result: TargetLevel = { u: 0, a: 0, tags: [] };
    // Only actions some Allow statement names (and the boundary allows) can be granted: try those alone.
    const serviceKey = node.service ?? '';
    let actions = candidates.get(serviceKey);
    if (!actions) {
      const allowed = (list: readonly Statement[]) => (action: string) => list.some((s) => s.effect === 'Allow' && matchesAction(s, action));
      actions = world.actionsFor(key).filter((action) => allowed(identity)(action) && (!boundary || allowed(boundary)(action)));
      candidates.set(serviceKey, actions);
    }
    if (actions.length === 0) continue;
    for (const witness of node.witnesses) {
      if (!identity.some((s) => s.effect === 'Allow' && matchesResource(s, witness.arn, variables))) continue;
      for (const action of actions) {
        const info = world.catalogue.action(action);
        // Actions aimed at principals (CreateAccessKey, PassRole, AssumeRole ...) are takeover edges, not levels.
        if (info.takeover) continue;
        const level = Math.min(LEVEL_CODE[info.level], cap);
        if (level <= result.u) break;
        if (info.types !== '*' && (info.types.length === 0 || (witness.type !== undefined && !info.types.includes(witness.type)))) continue;
        const decision = decideBounded(identity, boundary, action, witness.arn, variables);
        if (decision.status === 0) continue;
        const grant: Grant = { action, arn: witness.arn, decision, assumed: info.assumed };
        if (decision.status === 2) {
          result.u = level;
          result.grantU = grant;
          if (level >= result.a) { result.a = level; result.tags = []; result.grantA = grant; }
        } else if (level > result.a) {
          result.a = level;
          result.tags = decision.tags;
          result.grantA = grant;
        }
      }
    }
    if (result.a > 0) out.set(key, result);
  }
  return out;
}

/** A grant to emit as one edge: CAN_<level> on a target, possibly under conditions. */
export interface Emitted {
  target: string;
  level: Level;
  tags: string[];
  grant?: Grant | undefined;
  /** Why: `admin-equivalent` for the account Platform reached through self-escalation. */
  via?: 'admin-equivalent' | undefined;
}

/**
 * Chooses the edges that express raw levels on the target tree. An edge to a container reaches everything it
 * contains, so a container gets an edge at level L only if every resource under it has level >= L too (a Deny
 * that carves out one bucket keeps the wildcard grant off the "all buckets" node; the other named buckets get
 * their own edges). Grants already implied by an ancestor's edge are not repeated.
 */
export function emitGrants(world: PolicyWorld, levels: ReadonlyMap<string, TargetLevel>, adminEquivalent?: Decision): Emitted[] {
  const subU = new Map<string, number>();
  const subA = new Map<string, number>();
  const subTags = new Map<string, string[]>();
  for (const key of [...world.order].reverse()) {
    const node = world.targets.get(key)!;
    const own = levels.get(key);
    let u = own?.u ?? 0;
    let a = own?.a ?? 0;
    const tags = new Set(own && own.a > own.u ? own.tags : []);
    for (const child of node.children) {
      u = Math.min(u, subU.get(child)!);
      a = Math.min(a, subA.get(child)!);
      for (const tag of subTags.get(child)!) tags.add(tag);
    }
    subU.set(key, u);
    subA.set(key, a);
    subTags.set(key, [...tags].sort());
  }
  const out: Emitted[] = [];
  const inheritedU = new Map<string, number>();
  const inheritedA = new Map<string, number>();
  let rootU = 0;
  let rootA = 0;
  if (adminEquivalent && adminEquivalent.status > 0) {
    out.push({ target: PLATFORM, level: 'admin', tags: adminEquivalent.status === 2 ? [] : adminEquivalent.tags, via: 'admin-equivalent' });
    if (adminEquivalent.status === 2) rootU = LEVEL_CODE.admin;
    rootA = LEVEL_CODE.admin;
  }
  for (const key of world.order) {
    const node = world.targets.get(key)!;
    const fromU = node.parent ? inheritedU.get(node.parent)! : rootU;
    const fromA = node.parent ? inheritedA.get(node.parent)! : rootA;
    const own = levels.get(key);
    const u = subU.get(key)!;
    const a = subA.get(key)!;
    let myU = fromU;
    let myA = fromA;
    if (u > fromU) {
      out.push({ target: key, level: levelName(u), tags: [], grant: own?.grantU ?? own?.grantA });
      myU = u;
      myA = Math.max(myA, u);
    }
    if (a > myA) {
      out.push({ target: key, level: levelName(a), tags: subTags.get(key)!, grant: own?.grantA });
      myA = a;
    }
    inheritedU.set(key, myU);
    inheritedA.set(key, myA);
  }
  return out;
}

export interface Reach { u: number; a: number; tags: string[] }

/** What a set of emitted edges reaches on every target, following CONTAINS down the tree. */
export function reachOf(world: PolicyWorld, emitted: readonly Emitted[]): Map<string, Reach> {
  const direct = new Map<string, Emitted[]>();
  for (const e of emitted) direct.set(e.target, [...(direct.get(e.target) ?? []), e]);
  const out = new Map<string, Reach>();
  for (const key of world.order) {
    const node = world.targets.get(key)!;
    const from = node.parent ? out.get(node.parent)! : { u: 0, a: 0, tags: [] };
    let { u, a } = from;
    const tags = new Set(from.tags);
    for (const e of direct.get(key) ?? []) {
      const level = LEVEL_CODE[e.level];
      if (e.tags.length === 0) u = Math.max(u, level);
      if (level > a) { a = level; tags.clear(); for (const t of e.tags) tags.add(t); } else if (level === a && e.tags.length > 0) for (const t of e.tags) tags.add(t);
    }
    a = Math.max(a, u);
    out.set(key, { u, a, tags: a > u ? [...tags].sort() : [] });
  }
  return out;
}

/** True when everything `part` reaches, `whole` reaches too, under no more controls. */
export function covers(world: PolicyWorld, whole: ReadonlyMap<string, Reach>, part: ReadonlyMap<string, Reach>): boolean {
  for (const key of world.order) {
    const p = part.get(key)!;
    const w = whole.get(key)!;
    if (p.u > w.u || p.a > w.a) return false;
    if (p.a > w.u && !w.tags.every((t) => p.tags.includes(t))) return false;
  }
  return true;
}

/** Drops emitted edges that `shared` (what the principal reaches through roles and groups) already implies. */
export function withoutImplied(emitted: readonly Emitted[], shared: ReadonlyMap<string, Reach>): Emitted[] {
  return emitted.filter((e) => {
    const s = shared.get(e.target);
    if (!s) return true;
    const level = LEVEL_CODE[e.level];
    if (s.u >= level) return false;
    if (e.tags.length > 0 && s.a >= level && s.tags.every((t) => e.tags.includes(t))) return false;
    return true;
  });
}

/** Merges the reach of several sources (a principal's roles and groups). */
export function mergeReach(world: PolicyWorld, reaches: readonly ReadonlyMap<string, Reach>[]): Map<string, Reach> {
  const out = new Map<string, Reach>();
  for (const key of world.order) {
    let u = 0;
    let a = 0;
    let tags: string[] = [];
    for (const reach of reaches) {
      const r = reach.get(key)!;
      u = Math.max(u, r.u);
      if (r.a > a || (r.a === a && r.tags.length < tags.length)) { a = r.a; tags = r.tags; }
    }
    a = Math.max(a, u);
    out.set(key, { u, a, tags: a > u ? tags : [] });
  }
  return out;
}

/** The first best decision among several requests (self-escalation paths, compute actions). */
export function bestOf(decisions: readonly Decision[]): Decision | undefined {
  let best: Decision | undefined;
  for (const d of decisions) {
    if (d.status === 0) continue;
    if (!best || d.status > best.status || (d.status === best.status && d.tags.length < best.tags.length)) best = d;
  }
  return best;
}
