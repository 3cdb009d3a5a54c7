// The log excerpts shipped with the demo and the replays (datasets/demo/logs/, datasets/incidents/<name>/environment/
// logs/): each imports through its log importer without a skipped event, and every actor it names is a node of the
// graph the same folder builds (the workspace loader, as the dataset tests build it): by the graph's lookup
// (engine/store/lookup.ts: node id, credential identifier, exact name), else by an identifier the export importers
// store (nativeId, e-mail, appId, keyId, userId ...). The one exception is an actor the attacker created inside the
// excerpt itself (an earlier persistence event's target): the exports show the tenants before the attack. The
// story each excerpt tells is checked too: the bulk Case query, the mail reads, the blocked tokens, the new apps.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRawFiles } from '../../../cli/commands/import.ts';
import { loadWorkspace } from '../../../cli/workspace.ts';
import type { NodeRef, Observation } from '../../../engine/evidence/types.ts';
import type { CompactGraph } from '../../../engine/store/compact.ts';
import { resolveNode } from '../../../engine/store/lookup.ts';
import { MORE_LOG_IMPORTERS } from '../../../importers/logs/more.ts';

/** Node properties that carry a platform's own identifier (what the export importers store). */
const IDENTIFIER_PROPERTIES = ['appId', 'clientId', 'objectId', 'keyId', 'userId', 'userName', 'login', 'connectedAppId', 'tokenId', 'credentialId', 'grantId'];

/** The nodes a ref names: by the graph's lookup (id, credential identifier, exact name), else by a stored identifier. */
function nodesNamed(graph: CompactGraph, ref: NodeRef): string[] {
  const found = new Set<string>();
  for (const key of [...ref.ids, ...(ref.name ? [ref.name] : [])]) {
    try {
      const v = resolveNode(graph, key);
      if (graph.nodes[v]!.platform === ref.platform) found.add(graph.nodes[v]!.id);
    } catch {
      // Unknown or ambiguous to the lookup: the identifier scan below decides.
    }
  }
  const wanted = new Set(ref.ids.map((id) => id.toLowerCase()));
  for (let v = 0; v < graph.nodeCount; v++) {
    const node = graph.nodes[v]!;
    if (node.platform !== ref.platform) continue;
    // The native id the importer put in the node id (`…:identity:00u…`, `…:credential:api-token/00T…`).
    const own = node.id.slice(node.id.lastIndexOf(':') + 1);
    const keys = [node.nativeId, node.email, own, own.slice(own.lastIndexOf('/') + 1), ...IDENTIFIER_PROPERTIES.map((p) => node.properties?.[p])];
    if (keys.some((key) => typeof key === 'string' && wanted.has(key.toLowerCase()))) found.add(node.id);
  }
  return [...found].sort();
}

function importLogs(logs: string): Observation[] {
  const observations: Observation[] = [];
  for (const source of readdirSync(logs).sort()) {
    const importer = MORE_LOG_IMPORTERS.find((i) => i.source === source);
    if (!importer) continue; // aws-cloudtrail: its own importer's tests
    const result = importer.transform(readRawFiles([join(logs, source)]), {});
    if (!result.ok) throw new Error(`${source}: ${JSON.stringify(result.issues, null, 2)}`);
    expect(result.report.skipped, source).toEqual([]);
    expect(result.report.ignoredFiles, source).toEqual([]);
    observations.push(...result.observations);
  }
  return observations.sort((a, b) => a.at - b.at);
}

/** Actors unknown to the graph that an earlier persistence event of the excerpt created (its target). */
function createdInExcerpt(observations: readonly Observation[], index: number): boolean {
  const actor = observations[index]!.actor;
  return observations.slice(0, index).some((o) => o.category === 'persistence' && o.target?.ids.some((id) => actor.ids.includes(id)));
}

const DATASETS: [string, string, string][] = [
  ['demo', 'datasets/demo', 'datasets/demo/logs'],
  ['salesloft-drift-2025', 'datasets/incidents/salesloft-drift-2025/environment', 'datasets/incidents/salesloft-drift-2025/environment/logs'],
  ['midnight-blizzard-2024', 'datasets/incidents/midnight-blizzard-2024/environment', 'datasets/incidents/midnight-blizzard-2024/environment/logs'],
];

describe.each(DATASETS)('the %s log excerpts', (name, workspace, logs) => {
  const { graph } = loadWorkspace(workspace);
  const observations = importLogs(logs);

  it('import whole, and every actor names a node of the graph (or was created earlier in the excerpt)', () => {
    expect(observations.length).toBeGreaterThan(5);
    const unnamed = observations.flatMap((o, i) => (nodesNamed(graph, o.actor).length > 0 || createdInExcerpt(observations, i) ? [] : [`${o.source} ${o.action} ${JSON.stringify(o.actor)}`]));
    expect(unnamed).toEqual([]);
    expect(observations.filter((o, i) => nodesNamed(graph, o.actor).length === 0 && createdInExcerpt(observations, i)).length).toBe(name === 'midnight-blizzard-2024' ? 8 : 0);
  });

  it('has a README note saying what the logs show and which parts are illustrative', () => {
    const readme = join(workspace.replace(/\/environment$/, ''), 'README.md');
    expect(existsSync(readme) && statSync(logs).isDirectory()).toBe(true);
    const text = readFileSync(readme, 'utf8');
    const section = text.slice(text.search(/^## Logs/m));
    expect(section).toMatch(/^## Logs/);
    expect(section).toMatch(/Illustrative/);
    for (const source of readdirSync(logs)) expect(section, source).toContain(`${source}/`);
  });
});

describe('what the excerpts show', () => {
  it('demo: Parley Chat bulk-reads the Cases from an address Parley never used, then reads the five sales inboxes', () => {
    const { graph } = loadWorkspace('datasets/demo');
    const observations = importLogs('datasets/demo/logs');
    const bulk = observations.filter((o) => o.category === 'bulk');
    expect(bulk.map((o) => `${o.source} ${o.family} ${o.count} ${o.ip} ${o.actor.ids[0]}`)).toEqual([
      'salesforce-events Case 3917 198.51.100.24 0H4Hs000000Cv01GAA',
      'salesforce-events Case 3917 198.51.100.24 0H4Hs000000Cv01GAA',
    ]);
    expect(nodesNamed(graph, bulk[0]!.actor)).toEqual(expect.arrayContaining(['salesforce:00dhs000000cvdlmak:app:0H4Hs000000Cv01GAA']));
    expect(nodesNamed(graph, bulk[0]!.actor)).toEqual(expect.arrayContaining(['salesforce:00dhs000000cvdlmak:credential:oauth-token/0H4Hs000000Cv01GAA/005Hs00000JrW4FIAQ/2024-03-12T16:22:05.000Z']));
    const parleyIps = new Set(observations.filter((o) => o.actor.ids.includes('0H4Hs000000Cv01GAA') && o.at < Date.parse('2026-11-21T12:00:00Z')).map((o) => o.ip));
    expect([...parleyIps]).toEqual(['192.0.2.10']);
    const reads = observations.filter((o) => o.source === 'google-reports' && o.ip === '198.51.100.24');
    expect(new Set(reads.map((o) => o.target?.ids[1])).size).toBe(5);
    expect(nodesNamed(graph, reads[0]!.actor)).toEqual(expect.arrayContaining(['google-workspace:corvidlabs.com:app:417905633812-prl3mailsync.apps.googleusercontent.com']));
  });

  it('demo: the retired Ledgerly secret is refused by Conditional Access; Peoplegrid\'s token adds its own user to Customer Support from a new address', () => {
    const { graph } = loadWorkspace('datasets/demo');
    const observations = importLogs('datasets/demo/logs');
    const blocked = observations.filter((o) => o.outcome === 'blocked');
    expect(blocked.map((o) => `${o.source} ${o.actor.ids[0]}`)).toEqual(['entra-signin a9e2d7c4-3f61-4b8e-9d05-7c1b6e4f2a38']);
    expect(nodesNamed(graph, blocked[0]!.actor)).toEqual(expect.arrayContaining(['entra:b7c4e0d2-3f19-4a6e-8c25-9d1f0e7a6b43:credential:a9e2d7c4-3f61-4b8e-9d05-7c1b6e4f2a38']));
    const added = observations.find((o) => o.action === 'group.user_membership.add')!;
    expect([added.category, added.ip, added.target?.ids[0]]).toEqual(['persistence', '203.0.113.150', '00uy5aj4RSSEsznvVgUv']);
    expect(nodesNamed(graph, added.actor)).toEqual(expect.arrayContaining(['okta:corvidlabs.okta.com:credential:api-token/00T1xKo4CcdvkavWgvGU']));
  });

  it('Drift: customer A\'s retired token exports Accounts, Users, Opportunities and Cases; customer B\'s IP restriction blocks it; Drift Email reads the sales lead\'s mail', () => {
    const observations = importLogs('datasets/incidents/salesloft-drift-2025/environment/logs');
    expect(observations.filter((o) => o.category === 'bulk').map((o) => o.family)).toEqual(['Account', 'User', 'Opportunity', 'Case']);
    expect(observations.filter((o) => o.outcome === 'blocked').map((o) => `${o.actor.ids[0]} ${o.ip}`)).toEqual(['0058c0B000DRIFTAAA 198.51.100.208']);
    expect(observations.filter((o) => o.source === 'google-reports').map((o) => o.actor.ids[0])).toEqual(Array(3).fill('800000000001-driftemail.apps.googleusercontent.com'));
  });

  it('Midnight Blizzard: the spray, the legacy app signing in to the corporate tenant, the user and app it created, full_access_as_app, the new app reading mail', () => {
    const observations = importLogs('datasets/incidents/midnight-blizzard-2024/environment/logs');
    const spray = observations.filter((o) => o.source === 'entra-signin' && o.action.startsWith('user sign-in'));
    expect(spray.map((o) => o.outcome)).toEqual([...Array(6).fill('failure'), 'success']);
    expect(observations.filter((o) => o.category === 'persistence').map((o) => o.action)).toEqual([
      'Update application – Certificates and secrets management', 'Add user', 'Add service principal', 'Consent to application', 'Add app role assignment to service principal',
    ]);
    expect(observations.filter((o) => o.family === 'Office 365 Exchange Online').length).toBe(6);
  });
});
