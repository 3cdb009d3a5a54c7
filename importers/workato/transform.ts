// Pure transform of Workato Developer API answers (the workspace, collaborators and their roles, folders, connection
// metadata, recipes with their connections and steps) into the integration platform's control plane: one App per
// recipe holding the connections it uses, collaborators who can edit recipes, and what each recipe does to identities.
import { nodeId } from '../../engine/format/native.ts';
import { importSession, type FileRole, type ImporterOptions, type ImporterResult } from '../common/importer.ts';
import type { RawFile } from '../common/records.ts';
import { definedProperties, FragmentBuilder } from '../common/builder.ts';
import { actionOfName, IDENTITY_CHANGING, linkConnections, platformOfConnector, readConnectionLinks, SYSTEM_OF_PLATFORM } from '../common/ipaas.ts';
import { configListSchema, connectionSchema, folderSchema, meSchema, memberSchema, recipeSchema } from './schema.ts';

export const PLATFORM = 'workato';
const SOURCE = 'workato';
const API = 'curl -s -H "Authorization: Bearer $WORKATO_API_TOKEN"';

export const WORKATO_FILES: readonly FileRole[] = [
  { role: 'me', pattern: /(^|\/)(me|users-me|workspace)\.json$/, produce: `${API} "https://www.workato.com/api/users/me" > me.json`, shape: { single: true, fields: ['id', 'name', 'plan_id'] } },
  { role: 'connections', pattern: /(^|\/)connections[^/]*\.json$/, produce: `${API} "https://www.workato.com/api/connections" > connections.json`, shape: { envelope: ['items', 'data'], fields: ['id', 'application', 'name', 'authorization_status'] } },
  { role: 'recipes', pattern: /(^|\/)recipes[^/]*\.json$/, produce: `${API} "https://www.workato.com/api/recipes?per_page=100" > recipes.json`, shape: { envelope: ['items', 'data'], fields: ['id', 'name', 'trigger_application', 'running'] } },
  { role: 'folders', pattern: /(^|\/)folders[^/]*\.json$/, produce: `${API} "https://www.workato.com/api/folders" > folders.json`, shape: { envelope: ['items', 'data'], fields: ['id', 'name', 'parent_id'], without: ['application', 'trigger_application', 'role_name'] } },
  { role: 'members', pattern: /(^|\/)(members|collaborators)[^/]*\.json$/, produce: `${API} "https://www.workato.com/api/members" > members.json`, shape: { envelope: ['data', 'items'], fields: ['id', 'email', 'role_name'] } },
  { role: 'connectionLinks', pattern: /(^|\/)connection-links\.json$/, produce: 'written by you: which account on which platform each connection signs in as (docs/importers/workato.md)' },
];

/** Collaborator roles that build recipes and use connections; Operator and Viewer only run or watch them. */
const BUILDER_ROLES = new Set(['admin', 'analyst']);

/** Every step of a recipe's code (trigger, actions, nested blocks): provider, action name, keyword. */
function recipeSteps(code: unknown): { provider: string; name: string; keyword?: string }[] {
  const steps: { provider: string; name: string; keyword?: string }[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 64 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) { for (const item of value) visit(item, depth + 1); return; }
    const record = value as Record<string, unknown>;
    if (typeof record.provider === 'string' && typeof record.name === 'string') steps.push({ provider: record.provider, name: record.name, keyword: typeof record.keyword === 'string' ? record.keyword : undefined });
    if (Array.isArray(record.block)) visit(record.block, depth + 1);
  };
  visit(code, 0);
  return steps;
}

export function transformWorkato(files: readonly RawFile[], options: ImporterOptions): ImporterResult {
  const { issues, byRole, note, problem, read, finish } = importSession(files, WORKATO_FILES, options);
  const me = read('me', meSchema, [], true);
  const connections = read('connections', connectionSchema, ['items', 'data']);
  const recipes = read('recipes', recipeSchema, ['items', 'data']);
  const folders = read('folders', folderSchema, ['items', 'data']);
  const members = read('members', memberSchema, ['data', 'items']);
  const links = readConnectionLinks(byRole.get('connectionLinks') ?? [], issues);

  const optionTenant = options.tenant?.trim() || undefined;
  const meId = me[0]?.value.id;
  if (optionTenant && meId && optionTenant.toLowerCase() !== meId.toLowerCase()) issues.push({ file: me[0]!.file, path: '$.id', message: '--tenant does not match the export', expected: `the workspace given with --tenant (${optionTenant})`, found: meId });
  const workspace = optionTenant ?? meId ?? (options.tenantFallback?.trim() || undefined);
  if (!workspace) issues.push({ path: '$', message: 'no Workato workspace id', expected: 'me.json (GET /api/users/me), a workspace folder exports/workato/<workspace>/, or --tenant <workspace id>', found: 'none of them' });
  if (issues.length > 0 || !workspace) return { ok: false, issues };

  const tenant = workspace.toLowerCase();
  const b = new FragmentBuilder(SOURCE);
  const id = (kind: string, native: string): string => nodeId(PLATFORM, tenant, kind, native);
  const base = { platform: PLATFORM, tenant };
  const workspaceName = me[0]?.value.company_name || me[0]?.value.name || workspace;
  const platformId = b.node({ ...base, id: id('Platform', 'workspace'), kind: 'Platform', vendor: 'Workato', name: `Workato workspace ${workspaceName}`, properties: { workspaceId: workspace } });

  // Collaborators: Admins and Analysts build recipes with every connection they can reach.
  for (const { value: member } of [...members].sort((x, y) => x.value.id.localeCompare(y.value.id))) {
    const person = b.node({ ...base, id: id('Identity', member.id), kind: 'Identity', subtype: 'human', name: member.name || member.email || `collaborator ${member.id}`, email: member.email ? member.email.toLowerCase() : undefined, properties: definedProperties({ memberId: member.id, role: member.role_name, grantType: member.grant_type, lastLogin: member.last_login_at }) });
    const role = (member.role_name ?? '').toLowerCase();
    if (BUILDER_ROLES.has(role)) {
      b.edge({ kind: 'CAN_ADMIN', from: person, to: platformId, assumed: role === 'admin' ? undefined : true, reason: role === 'admin' ? `${b.nameOf(person)} is a workspace Admin: edits every recipe and uses every connection.` : `${b.nameOf(person)} is an Analyst: builds and edits recipes with the connections of the folders they can open (folder permissions are not in the export: all assumed).` });
    } else if (role) {
      b.edge({ kind: 'CAN_READ', from: person, to: platformId, reason: `${b.nameOf(person)} is ${member.role_name}: runs or watches recipes and sees job data, without editing them.` });
    }
  }

  // Folders and projects: the platform contains them; they contain their sub-folders.
  const folderIds = new Map<string, string>();
  const folderNode = (native: string, name?: string): string => folderIds.get(native) ?? folderIds.set(native, b.node({ ...base, id: id('Resource', `folder/${native}`), kind: 'Resource', resourceType: 'workflow-project', name: `Workato folder ${name ?? native}`, properties: { folderId: native } })).get(native)!;
  for (const { value: folder } of folders) {
    const node = folderNode(folder.id, folder.name);
    b.nodes.get(node)!.properties = { ...b.nodes.get(node)!.properties, ...definedProperties({ project: folder.is_project ?? undefined, projectId: folder.project_id ?? undefined }) };
    b.edge({ kind: 'CONTAINS', from: folder.parent_id ? folderNode(folder.parent_id) : platformId, to: node });
  }

  // Connections: metadata only; the workspace and the folder holding a connection manage it.
  const connectionIds = new Map<string, string>();
  for (const { value: c } of connections) {
    const target = platformOfConnector(c.provider || c.application);
    const live = (c.authorization_status ?? 'success').toLowerCase() === 'success';
    const credential = b.node({
      ...base, id: id('Credential', `connection/${c.id}`), kind: 'Credential', type: 'oauth-grant', name: `Workato connection "${c.name}" (${c.application})`,
      createdAt: c.authorized_at ?? c.created_at ?? undefined, revoked: live ? undefined : true,
      properties: definedProperties({ connectionId: c.id, application: c.application, provider: c.provider, authorizationStatus: c.authorization_status, targetPlatform: target, targetSystem: target ? SYSTEM_OF_PLATFORM[target] : undefined, connectionLostAt: c.connection_lost_at }),
    });
    connectionIds.set(c.id, credential);
    b.edge({ kind: 'MANAGES', from: platformId, to: credential, reason: 'Workspace admins can use every connection in a recipe of their own.' });
    if (c.folder_id) b.edge({ kind: 'MANAGES', from: folderNode(c.folder_id), to: credential, reason: 'Whoever edits recipes in this folder can use the connection.' });
    if (!live) note('connections not authorized (authorization_status other than success): imported as revoked');
    if (!target) note('connections to applications blastmap does not place (their target system is not known)');
  }

  // A recipe's owner is its project (the folder's project_id), named after the project's top folder.
  const folderById = new Map(folders.map((f) => [f.value.id, f.value]));
  const ownerOf = (folderId: string | undefined): { id?: string; name?: string } => {
    if (!folderId) return {};
    const folder = folderById.get(folderId);
    const projectId = folder?.project_id ?? folderId;
    const projectFolder = folders.find((f) => f.value.is_project && f.value.project_id === projectId)?.value;
    return { id: projectId, name: projectFolder?.name ?? folder?.name };
  };

  // Recipes: an App each, holding the connections of its config, with what its steps do to identities.
  const usedBy = new Map<string, Set<string>>();
  for (const { value: recipe, file, path } of [...recipes].sort((x, y) => x.value.id.localeCompare(y.value.id))) {
    const appId = id('App', `recipe/${recipe.id}`);
    let code: unknown = recipe.code;
    let config: unknown = recipe.config;
    try {
      if (typeof code === 'string') code = JSON.parse(code);
      if (typeof config === 'string') config = JSON.parse(config);
    } catch {
      problem({ file, path: `${path}.${typeof code === 'string' ? 'code' : 'config'}`, message: 'not JSON', expected: 'the recipe code and config as the API returns them (JSON-encoded strings)', found: 'a string that does not parse' });
      continue;
    }
    const parsedConfig = configListSchema.safeParse(config ?? []);
    const steps = recipeSteps(code);
    const actions = steps.map((step) => ({ step, platform: platformOfConnector(step.provider) })).map(({ step, platform }) => ({ label: `${platform ?? step.provider} ${step.name}`, action: actionOfName(platform, step.name) }));
    const identityActions = [...new Set(actions.filter((a) => a.action && IDENTITY_CHANGING.has(a.action)).map((a) => a.label))].sort();
    const hrWrites = [...new Set(actions.filter((a) => a.action === 'write-hr-record').map((a) => a.label))].sort();
    const trigger = steps.find((s) => s.keyword === 'trigger');
    const webhook = Boolean(recipe.webhook_url) || /webhook/i.test(recipe.trigger_application ?? '') || (trigger !== undefined && /webhook/i.test(`${trigger.provider} ${trigger.name}`));
    b.node({
      ...base, id: appId, kind: 'App', vendor: 'Workato', thirdParty: false, name: `Workato recipe "${recipe.name}"`,
      properties: definedProperties({ recipeId: recipe.id, running: recipe.running ?? undefined, trigger: recipe.trigger_application, actionApplications: [...(recipe.action_applications ?? [])].sort(), publicWebhook: webhook || undefined, identityActions, hrWrites, author: recipe.author_name, lastRunAt: recipe.last_run_at, ownerProject: ownerOf(recipe.folder_id ?? undefined).id, ownerName: ownerOf(recipe.folder_id ?? undefined).name }),
    });
    b.edge({ kind: 'INSTALLED_IN', from: appId, to: platformId });
    b.edge({ kind: 'MANAGES', from: platformId, to: appId, reason: 'Workspace admins edit every recipe.' });
    if (recipe.folder_id) b.edge({ kind: 'MANAGES', from: folderNode(recipe.folder_id), to: appId, reason: 'Whoever edits recipes in this folder changes what the recipe runs.' });
    for (const entry of parsedConfig.success ? parsedConfig.data : []) {
      if (!entry.account_id) continue;
      const credential = connectionIds.get(entry.account_id) ?? connectionIds.set(entry.account_id, b.node({ ...base, id: id('Credential', `connection/${entry.account_id}`), kind: 'Credential', type: 'oauth-grant', name: `Workato connection ${entry.account_id} (${entry.provider ?? entry.name ?? 'unknown'})`, properties: definedProperties({ connectionId: entry.account_id, application: entry.provider ?? entry.name ?? undefined, targetPlatform: platformOfConnector(entry.provider ?? entry.name ?? '') }) })).get(entry.account_id)!;
      b.edge({ kind: 'MANAGES', from: platformId, to: credential, reason: 'Workspace admins can use every connection in a recipe of their own.' });
      b.edge({ kind: 'HOLDS', from: appId, to: credential, reason: `The recipe uses the connection for ${entry.provider ?? entry.name ?? 'an application'}.` });
      (usedBy.get(credential) ?? usedBy.set(credential, new Set()).get(credential)!).add(recipe.id);
    }
    if (!parsedConfig.success) problem({ file, path: `${path}.config`, message: 'not a list of connections', expected: '[{keyword, name, provider, account_id}]', found: typeof config });
  }
  for (const [credential, recipesUsing] of usedBy) b.nodes.get(credential)!.properties = { ...b.nodes.get(credential)!.properties, usedByRecipes: [...recipesUsing].sort() };

  const linked = linkConnections(b, SOURCE, links, connectionIds, problem, 'Workato connection');
  if (issues.length > 0) return { ok: false, issues };
  const unlinked = [...new Set(connectionIds.values())].filter((c) => !linked.has(c)).length;
  if (unlinked > 0) note('connections not in connection-links.json: what they sign in as is not known, so the radius stops at them', unlinked);
  return finish(b.fragment());
}
