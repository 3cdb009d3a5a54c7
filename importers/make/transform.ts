// Pure transform of Make API answers (teams, connection metadata, scenarios and their blueprints) into the
// integration platform's control plane: one App per scenario holding the connections its modules use, teams that
// own scenarios and connections, the account each connection signs in as, and what the modules do to identities.
import { nodeId } from '../../engine/format/native.ts';
import { stubNode } from '../../engine/store/link.ts';
import { importSession, type FileRole, type ImporterOptions, type ImporterResult } from '../common/importer.ts';
import type { RawFile } from '../common/records.ts';
import { definedProperties, FragmentBuilder } from '../common/builder.ts';
import { actionOfName, IDENTITY_CHANGING, linkConnections, platformOfConnector, readConnectionLinks, SYSTEM_OF_PLATFORM } from '../common/ipaas.ts';
import { blueprintSchema, connectionSchema, scenarioSchema, teamSchema } from './schema.ts';

export const PLATFORM = 'make';
const SOURCE = 'make';
const API = 'curl -s -H "Authorization: Token $MAKE_API_TOKEN"';
const BLUEPRINT_PATH = /(?:^|\/)(?:scenarios\/([^/]+)\/blueprint|blueprints?\/([^/]+?)|blueprint-([^/]+?))\.json$/i;

export const MAKE_FILES: readonly FileRole[] = [
  { role: 'blueprints', pattern: /(^|\/)(scenarios\/[^/]+\/blueprint|blueprints?\/[^/]+|blueprint-[^/]+)\.json$/, produce: `${API} "https://$MAKE_ZONE/api/v2/scenarios/$SCENARIO_ID/blueprint" > scenarios/$SCENARIO_ID/blueprint.json`, shape: { single: true, fields: ['response.blueprint.flow'] } },
  { role: 'teams', pattern: /(^|\/)teams[^/]*\.json$/, produce: `${API} "https://$MAKE_ZONE/api/v2/teams?organizationId=$ORG_ID" > teams.json`, shape: { envelope: ['teams'], fields: ['id', 'name', 'organizationId'] } },
  { role: 'connections', pattern: /(^|\/)connections[^/]*\.json$/, produce: `${API} "https://$MAKE_ZONE/api/v2/connections?teamId=$TEAM_ID" > connections-$TEAM_ID.json`, shape: { envelope: ['connections'], fields: ['id', 'name', 'accountName'] } },
  { role: 'scenarios', pattern: /(^|\/)scenarios[^/]*\.json$/, produce: `${API} "https://$MAKE_ZONE/api/v2/scenarios?teamId=$TEAM_ID" > scenarios-$TEAM_ID.json`, shape: { envelope: ['scenarios'], fields: ['id', 'name', 'teamId'] } },
  { role: 'connectionLinks', pattern: /(^|\/)connection-links\.json$/, produce: 'written by you: which account each connection signs in as, where its metadata does not say (docs/importers/make.md)' },
];

interface Module { module: string; connection?: string }
/** Every module of a blueprint's flow, routers' routes and nested flows included, with the connection it uses. */
function modulesOf(flow: unknown): Module[] {
  const out: Module[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 64 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) { for (const item of value) visit(item, depth + 1); return; }
    const record = value as Record<string, unknown>;
    if (typeof record.module === 'string') {
      const parameters = record.parameters as Record<string, unknown> | undefined;
      const connection = parameters && (typeof parameters.__IMTCONN__ === 'number' || typeof parameters.__IMTCONN__ === 'string') ? String(parameters.__IMTCONN__) : undefined;
      out.push({ module: record.module, connection });
    }
    for (const key of ['routes', 'flow', 'onerror']) if (key in record) visit(record[key], depth + 1);
  };
  visit(flow, 0);
  return out;
}

export function transformMake(files: readonly RawFile[], options: ImporterOptions): ImporterResult {
  const { issues, byRole, note, problem, read, finish } = importSession(files, MAKE_FILES, options);
  const teams = read('teams', teamSchema, ['teams']);
  const connections = read('connections', connectionSchema, ['connections']);
  const scenarios = read('scenarios', scenarioSchema, ['scenarios']);
  const blueprints = read('blueprints', blueprintSchema, [], true);
  const links = readConnectionLinks(byRole.get('connectionLinks') ?? [], issues);

  const organizations = [...new Set(teams.map((t) => t.value.organizationId).filter((o): o is string => typeof o === 'string'))];
  const optionTenant = options.tenant?.trim() || undefined;
  if (organizations.length > 1 && !optionTenant) issues.push({ file: teams[0]!.file, path: '$', message: 'several Make organizations in one export', expected: `one organization per import (${organizations[0]})`, found: organizations.join(', ') });
  const organization = optionTenant ?? organizations[0] ?? (options.tenantFallback?.trim() || undefined);
  if (!organization) issues.push({ path: '$', message: 'no Make organization id', expected: 'teams.json (GET /api/v2/teams?organizationId=...), a workspace folder exports/make/<organization>/, or --tenant <organization id>', found: 'none of them' });
  if (issues.length > 0 || !organization) return { ok: false, issues };

  const tenant = organization.toLowerCase();
  const b = new FragmentBuilder(SOURCE);
  const id = (kind: string, native: string): string => nodeId(PLATFORM, tenant, kind, native);
  const base = { platform: PLATFORM, tenant };
  const platformId = b.node({ ...base, id: id('Platform', 'organization'), kind: 'Platform', vendor: 'Make', name: `Make organization ${organization}`, properties: { organizationId: organization } });

  // Teams own scenarios and connections: whoever administers a team changes its scenarios and uses its connections.
  const teamNames = new Map(teams.map((t) => [t.value.id, t.value.name]));
  const teamNode = (teamId: string): string => {
    const resourceId = id('Resource', `team/${teamId}`);
    if (!b.has(resourceId)) {
      b.node({ ...base, id: resourceId, kind: 'Resource', resourceType: 'workflow-project', name: `Make team ${teamNames.get(teamId) ?? teamId}`, properties: { teamId, projectId: teamId } });
      b.edge({ kind: 'CONTAINS', from: platformId, to: resourceId });
    }
    return resourceId;
  };
  for (const { value: team } of teams) teamNode(team.id);

  // Connections: the app, and the account it signs in as when Make's metadata names it (an email).
  const connectionIds = new Map<string, string>();
  const autoLinked = new Set<string>();
  for (const { value: c } of connections) {
    const target = platformOfConnector(c.accountName);
    const account = c.metadata?.type?.toLowerCase() === 'email' && c.metadata.value ? c.metadata.value.toLowerCase() : undefined;
    const credential = b.node({
      ...base, id: id('Credential', `connection/${c.id}`), kind: 'Credential', type: (c.accountType ?? '').toLowerCase() === 'oauth' ? 'oauth-grant' : 'api-key',
      name: `Make connection "${c.name}" (${c.accountLabel ?? c.accountName})`, expiresAt: c.expire ?? undefined,
      properties: definedProperties({ connectionId: c.id, app: c.accountName, accountType: c.accountType, account, targetPlatform: target, targetSystem: target ? SYSTEM_OF_PLATFORM[target] : undefined }),
    });
    connectionIds.set(c.id, credential);
    b.edge({ kind: 'MANAGES', from: platformId, to: credential, reason: 'Organization admins can use every connection in a scenario of their own.' });
    if (c.teamId) b.edge({ kind: 'MANAGES', from: teamNode(c.teamId), to: credential, reason: 'Whoever edits scenarios in this team can use the connection.' });
    // The metadata says which account the connection signs in as: a stub on the target platform, keyed by that email.
    if (account && target) {
      b.edge({ kind: 'AUTHENTICATES_AS', from: credential, to: b.node(stubNode(target, 'Identity', account, account, SOURCE)), reason: `Make's metadata says the connection signs in as ${account} on ${target}.` });
      autoLinked.add(credential);
    }
    if (!target) note('connections to apps blastmap does not place (their target system is not known)');
  }

  // Scenarios: an App each, holding the connections its modules use, with what the modules do to identities.
  const flows = new Map<string, unknown[]>();
  for (const { value, file } of blueprints) {
    const match = BLUEPRINT_PATH.exec(file);
    const scenarioId = match?.[1] ?? match?.[2] ?? match?.[3];
    if (!scenarioId) { problem({ file, path: '$', message: 'cannot tell which scenario this blueprint belongs to', expected: 'a path such as scenarios/<scenario id>/blueprint.json', found: file }); continue; }
    flows.set(scenarioId, value.response.blueprint.flow);
  }
  const usedBy = new Map<string, Set<string>>();
  for (const { value: scenario } of [...scenarios].sort((x, y) => x.value.id.localeCompare(y.value.id))) {
    const appId = id('App', `scenario/${scenario.id}`);
    const modules = flows.has(scenario.id) ? modulesOf(flows.get(scenario.id)) : [];
    const actions = modules.map((m) => {
      const [app = '', action = ''] = m.module.split(':');
      const platform = platformOfConnector(app);
      return { label: `${platform ?? app} ${action}`, action: actionOfName(platform, action) };
    });
    const webhook = modules.some((m) => /^gateway:CustomWeb[Hh]ook$/.test(m.module)) || (scenario.hookId !== undefined && scenario.hookId !== null);
    b.node({
      ...base, id: appId, kind: 'App', vendor: 'Make', thirdParty: false, name: `Make scenario "${scenario.name}"`,
      properties: definedProperties({
        scenarioId: scenario.id, active: scenario.isPaused === true ? false : scenario.islinked ?? undefined, packages: [...(scenario.usedPackages ?? [])].sort(), publicWebhook: webhook || undefined,
        identityActions: [...new Set(actions.filter((a) => a.action && IDENTITY_CHANGING.has(a.action)).map((a) => a.label))].sort(),
        hrWrites: [...new Set(actions.filter((a) => a.action === 'write-hr-record').map((a) => a.label))].sort(),
        createdBy: scenario.createdByUser?.email ?? undefined, lastEdit: scenario.lastEdit, ownerProject: scenario.teamId ?? undefined, blueprint: flows.has(scenario.id) || undefined,
      }),
    });
    b.edge({ kind: 'INSTALLED_IN', from: appId, to: platformId });
    b.edge({ kind: 'MANAGES', from: platformId, to: appId, reason: 'Organization admins edit every scenario.' });
    if (scenario.teamId) b.edge({ kind: 'MANAGES', from: teamNode(scenario.teamId), to: appId, reason: 'Whoever edits scenarios in this team changes what the scenario runs.' });
    for (const connectionId of [...new Set(modules.map((m) => m.connection).filter((c): c is string => c !== undefined))].sort()) {
      const credential = connectionIds.get(connectionId) ?? connectionIds.set(connectionId, b.node({ ...base, id: id('Credential', `connection/${connectionId}`), kind: 'Credential', type: 'api-key', name: `Make connection ${connectionId}`, properties: { connectionId } })).get(connectionId)!;
      b.edge({ kind: 'MANAGES', from: platformId, to: credential, reason: 'Organization admins can use every connection in a scenario of their own.' });
      const using = modules.filter((m) => m.connection === connectionId).map((m) => m.module);
      b.edge({ kind: 'HOLDS', from: appId, to: credential, reason: `Modules ${[...new Set(using)].join(', ')} of the scenario use the connection.` });
      (usedBy.get(credential) ?? usedBy.set(credential, new Set()).get(credential)!).add(scenario.id);
    }
    if (!flows.has(scenario.id)) note('scenarios without a blueprint file (their connections and modules are not known)');
  }
  for (const [credential, using] of usedBy) b.nodes.get(credential)!.properties = { ...b.nodes.get(credential)!.properties, usedByScenarios: [...using].sort() };

  const linked = linkConnections(b, SOURCE, links, connectionIds, problem, 'Make connection');
  if (issues.length > 0) return { ok: false, issues };
  const unlinked = [...new Set(connectionIds.values())].filter((c) => !linked.has(c) && !autoLinked.has(c)).length;
  if (unlinked > 0) note('connections whose account is neither in their metadata nor in connection-links.json: the radius stops at them', unlinked);
  return finish(b.fragment());
}
