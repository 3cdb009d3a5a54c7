// Rules on integration platforms (iPaaS, HR and ITSM connectors: issue #24): workflows that change identity
// state, that write the HR source and provision from it, connections shared across owners, and platforms holding
// connections to many systems. They read what the importers record (importers/n8n: `identityActions`,
// `hrWrites`, `ownerProject`, `targetPlatform`), kept apart from findings.ts, which registers them in four lines.
import type { GraphNode } from '../format/native.ts';
import type { FindingRule, FindingSeverity } from './findings-catalog.ts';
import type { FindingEvidence, PrivilegeSummary, RelatedNode, RuleHit } from './findings.ts';

/** What the rules need of the findings engine's context (findings.ts's FindingContext has it). */
export interface IntegrationContext {
  node(v: number): GraphNode;
  sourcesInto(v: number, kind: string): number[];
  edgesFrom(v: number, kind?: string): number[];
  readonly graph: { readonly edgeDst: ArrayLike<number> };
  privilege(v: number): PrivilegeSummary;
  /** Whether v's compromise reaches a crown jewel or something at admin (decided without v's own reach when it can). */
  privileged(v: number): boolean;
  /** Every node v's compromise reaches (v first). */
  reached(v: number): number[];
  related(v: number, relation: string): RelatedNode;
  finding(rule: FindingRule, v: number, severity: FindingSeverity, evidence: () => FindingEvidence): RuleHit;
}

/** A platform holding connections to more than this many other systems concentrates their control. */
export const CONCENTRATION_SYSTEMS = 3;

const list = (node: GraphNode, name: string): string[] => {
  const value = node.properties?.[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
};
const text = (node: GraphNode, name: string): string | undefined => {
  const value = node.properties?.[name];
  return typeof value === 'string' ? value : undefined;
};
const sample = (items: readonly string[], max = 4): string => `${items.slice(0, max).join(', ')}${items.length > max ? ` and ${items.length - max} more` : ''}`;

/** Who can change what the workflow runs: principals with admin on a container that manages it. */
function editors(ctx: IntegrationContext, v: number): number[] {
  const out = new Set<number>();
  for (const container of ctx.sourcesInto(v, 'MANAGES')) {
    for (const who of ctx.sourcesInto(container, 'CAN_ADMIN')) out.add(who);
  }
  return [...out].sort((a, b) => (ctx.node(a).id < ctx.node(b).id ? -1 : 1));
}

/** BM-GOV-IDENTITY-CONTROL-PLANE: a workflow or connector whose actions create, change or remove identities or memberships. */
export function identityControlPlane(ctx: IntegrationContext, v: number, rule: FindingRule): RuleHit | undefined {
  const node = ctx.node(v);
  const actions = list(node, 'identityActions');
  if (node.kind !== 'App' || actions.length === 0) return undefined;
  const webhook = node.properties?.publicWebhook === true;
  // The evidence is built only when the finding is written (findings.ts: a rule decides, its evidence waits).
  return ctx.finding(rule, v, webhook ? 'critical' : rule.severity, () => {
    const people = editors(ctx, v);
    const credentials = ctx.edgesFrom(v, 'HOLDS').map((e) => ctx.graph.edgeDst[e]!);
    return {
    summary: `Changes identity state (${sample(actions)}) with ${credentials.length} held credential${credentials.length === 1 ? '' : 's'}; ${people.length === 0 ? 'who can edit it is not in the export' : `${people.length} principal${people.length === 1 ? '' : 's'} can edit it`}${webhook ? ', and a public webhook starts it' : ''}: whoever controls it creates users, changes memberships or removes access on those systems.`,
    dates: {},
    related: [...credentials.map((u) => ctx.related(u, 'holds')), ...people.map((u) => ctx.related(u, 'can edit'))],
    privilege: ctx.privilege(v),
    };
  });
}

/** BM-GOV-SEGREGATION-OF-DUTIES: one workflow both writes the HR source of truth and provisions identities from it. */
export function segregationOfDuties(ctx: IntegrationContext, v: number, rule: FindingRule): RuleHit | undefined {
  const node = ctx.node(v);
  const hr = list(node, 'hrWrites');
  const identity = list(node, 'identityActions');
  if (node.kind !== 'App' || hr.length === 0 || identity.length === 0) return undefined;
  return ctx.finding(rule, v, rule.severity, () => ({
    summary: `Writes the HR source of truth (${sample(hr)}) and provisions identities from it (${sample(identity)}): one compromised or mistaken workflow both writes the record and changes the access that follows from it, with no second party in between.`,
    dates: {},
    related: editors(ctx, v).map((u) => ctx.related(u, 'can edit')),
  }));
}

/** BM-GOV-SHARED-CONNECTION: one connection used by workflows of several owners (projects, teams). */
export function sharedConnection(ctx: IntegrationContext, v: number, rule: FindingRule): RuleHit | undefined {
  const node = ctx.node(v);
  if (node.kind !== 'Credential') return undefined;
  const users = ctx.sourcesInto(v, 'HOLDS').filter((u) => ctx.node(u).kind === 'App' && ctx.node(u).platform === node.platform && ctx.node(u).tenant === node.tenant);
  // An owner is the project or team a workflow belongs to (its name when the container that manages it says it).
  const owners = new Map<string, number[]>();
  for (const u of users) {
    const owner = text(ctx.node(u), 'ownerProject') ?? ctx.node(u).ownerIds?.[0];
    if (owner === undefined) continue;
    const container = ctx.sourcesInto(u, 'MANAGES').find((p) => text(ctx.node(p), 'projectId') === owner);
    const label = text(ctx.node(u), 'ownerName') ?? (container === undefined ? owner : ctx.node(container).name);
    owners.set(label, [...(owners.get(label) ?? []), u]);
  }
  if (owners.size < 2) return undefined;
  return ctx.finding(rule, v, ctx.privileged(v) ? 'high' : rule.severity, () => ({
    summary: `Used by workflows of ${owners.size} owners (${sample([...owners.keys()].sort())}): each owner's editors can use it for anything it allows, and rotating it breaks the others.`,
    dates: {},
    related: users.map((u) => ctx.related(u, 'used by')),
    privilege: ctx.privilege(v),
  }));
}

/** BM-GOV-CONNECTION-CONCENTRATION: one platform holding connections to more than CONCENTRATION_SYSTEMS systems. */
export function connectionConcentration(ctx: IntegrationContext, v: number, rule: FindingRule): RuleHit | undefined {
  const node = ctx.node(v);
  if (node.kind !== 'Platform') return undefined;
  const bySystem = new Map<string, number[]>();
  for (const e of ctx.edgesFrom(v, 'MANAGES')) {
    const u = ctx.graph.edgeDst[e]!;
    const target = ctx.node(u).kind === 'Credential' ? text(ctx.node(u), 'targetPlatform') : undefined;
    if (target !== undefined && target !== node.platform) bySystem.set(target, [...(bySystem.get(target) ?? []), u]);
  }
  if (bySystem.size <= CONCENTRATION_SYSTEMS) return undefined;
  const systems = [...bySystem.keys()].sort();
  return ctx.finding(rule, v, rule.severity, () => {
    const privilege = ctx.privilege(v);
    const reached = ctx.reached(v).slice(1);
    const platforms = new Set(reached.map((u) => ctx.node(u).platform)).size;
    return {
    summary: `Holds connections to ${systems.length} systems (${sample(systems, 8)}): whoever administers it, or compromises it, holds all of them at once; its combined radius is ${reached.length} node${reached.length === 1 ? '' : 's'} on ${platforms} platform${platforms === 1 ? '' : 's'}${privilege.crownJewels.length > 0 ? `, ${privilege.crownJewels.length} crown jewel${privilege.crownJewels.length === 1 ? '' : 's'} among them` : ''}.`,
    dates: {},
    related: systems.flatMap((system) => bySystem.get(system)!.map((u) => ctx.related(u, `connection to ${system}`))),
    privilege,
    };
  });
}
