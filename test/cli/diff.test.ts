// `blastmap diff` on the demo's two export sets (datasets/demo and datasets/demo-later, a week apart): it reports the
// planted changes (datasets/demo/README.md, "A week later") and nothing else, in every format, and --fail-on gates.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GraphDiff } from '../../engine/analysis/diff.ts';
import { laterExports, LATER_DIR } from '../../scripts/demo-exports/build-later.ts';
import { ENTRA_TENANT, LEDGERLY_DELEGATED_GRANT } from '../../scripts/demo-exports/entra.ts';
import { LATER } from '../../scripts/demo-exports/google-workspace.ts';
import { fileText } from '../../scripts/demo-exports/write.ts';
import { REPO, runCli } from '../helpers/cli.ts';

const DEMO = join(REPO, 'datasets/demo');
const AT = '2026-12-01';
const GW = 'google-workspace:corvidlabs.com';
const DELEGATION = `${GW}:credential:domain-wide-delegation/104477230918822460113`;
const NOTEWISE = `${GW}:app:${LATER.newApp.clientId}`;
const NOTEWISE_GRANT = `${GW}:credential:oauth-grant/${LATER.newGrant.email}/${LATER.newApp.clientId}`;
const PARLEY_EMAIL = '417905633812-prl3mailsync.apps.googleusercontent.com';
const parleyGrant = (email: string): string => `${GW}:credential:oauth-grant/${email}/${PARLEY_EMAIL}`;
const REVOKED = ['ethan.brooks', 'laura.jensen', 'maya.goldberg', 'ryan.oconnell'].map((name) => parleyGrant(`${name}@corvidlabs.com`));
const CHLOE = parleyGrant(LATER.reauthorized.email);
const SAMUEL_DRIVE = `${GW}:resource:drive/${LATER.newGrant.email}`;
// Entra: Ledgerly's delegated grant, consented on 26 November and widened without consent two days later.
const LEDGERLY_GRANT = `entra:${ENTRA_TENANT}:credential:grant/${LEDGERLY_DELEGATED_GRANT}`;
const ENTRA_PROFILES = `entra:${ENTRA_TENANT}:resource:profile`;

function filesUnder(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name), root) : [relative(root, join(dir, name))])).sort();
}

describe('datasets/demo-later', () => {
  it('holds exactly what scripts/demo-exports/build-later.ts writes: the demo with the later Google Workspace export, and the same native files', () => {
    for (const [folder, files] of laterExports()) {
      const dir = join(LATER_DIR, 'exports', folder);
      expect(filesUnder(dir), folder).toEqual(Object.keys(files).sort());
      for (const [path, value] of Object.entries(files)) expect(readFileSync(join(dir, path), 'utf8'), `${folder}/${path}`).toBe(fileText(value));
    }
    expect(filesUnder(join(LATER_DIR, 'native'))).toEqual(filesUnder(join(DEMO, 'native')));
    for (const name of filesUnder(join(DEMO, 'native'))) expect(readFileSync(join(LATER_DIR, 'native', name), 'utf8')).toBe(readFileSync(join(DEMO, 'native', name), 'utf8'));
  });
});

describe('blastmap diff datasets/demo datasets/demo-later', () => {
  let diff: GraphDiff;
  const load = async (): Promise<GraphDiff> => {
    if (!diff) {
      const run = await runCli(['diff', DEMO, LATER_DIR, '--at', AT, '--format', 'json']);
      expect(run.code, run.err).toBe(0);
      diff = JSON.parse(run.out) as GraphDiff;
    }
    return diff;
  };

  it('finds the new third-party app and its grant, Ledgerly\'s new delegated grant, and nothing else added or removed but what those grants reach', async () => {
    const d = await load();
    expect(d.apps).toEqual({ added: [expect.objectContaining({ id: NOTEWISE, thirdParty: true })], removed: [] });
    expect(d.credentials).toEqual({ added: [expect.objectContaining({ id: LEDGERLY_GRANT, type: 'oauth-grant' }), expect.objectContaining({ id: NOTEWISE_GRANT, type: 'oauth-grant' })], removed: [] });
    expect(d.nodes.added.map((n) => n.id).sort()).toEqual([NOTEWISE, NOTEWISE_GRANT, SAMUEL_DRIVE, LEDGERLY_GRANT, ENTRA_PROFILES].sort());
    expect(d.nodes.removed).toEqual([]);
    expect(d.edges.removed).toEqual([]);
    expect(d.memberships).toEqual({ added: [], removed: [] });
    expect(d.trusts).toEqual({ added: [], removed: [] });
    // Every added edge belongs to the new app, its grant, the drive it reaches, or the widened delegation.
    for (const edge of d.edges.added) expect([edge.from, edge.to].some((id) => [NOTEWISE, NOTEWISE_GRANT, SAMUEL_DRIVE, DELEGATION, LEDGERLY_GRANT, ENTRA_PROFILES].includes(id)), `${edge.from} -${edge.kind}-> ${edge.to}`).toBe(true);
    expect(d.grants.added.filter((e) => e.from.id === DELEGATION).map((e) => [e.kind, e.scopes])).toEqual([['CAN_ADMIN', [LATER.delegationScope]]]);
  });

  it('reports the delegation that gained full Drive as the one scope expansion', async () => {
    const d = await load();
    expect(d.scopeExpansions).toHaveLength(1);
    const [expansion] = d.scopeExpansions;
    expect(expansion).toMatchObject({ subject: DELEGATION, scopesAdded: [LATER.delegationScope], holder: { name: "workspace-backup (Vaultline's service account)" } });
    expect(expansion!.levels).toEqual([{ target: expect.objectContaining({ id: `${GW}:resource:all/drive` }), before: 'read', after: 'admin' }]);
  });

  it('shows the four revoked Parley grants as revoked, and Chloe\'s as authorised again after its revocation', async () => {
    const d = await load();
    expect(d.nodes.changed.map((c) => c.node.id).sort()).toEqual([DELEGATION, CHLOE, ...REVOKED].sort());
    for (const id of REVOKED) {
      const change = d.nodes.changed.find((c) => c.node.id === id)!;
      expect(change.after).toMatchObject({ revoked: true, revokedAt: LATER.revokedAt });
    }
    const chloe = d.nodes.changed.find((c) => c.node.id === CHLOE)!;
    expect(chloe.after.revoked).toBeUndefined();
    expect(chloe.after.properties).toMatchObject({ reauthorizedAfterRevokeAt: LATER.revokedAt, authorizations: 2 });
    expect(chloe.after.lastUsedAt).toBe(LATER.reauthorized.lastUsed);
    // The revoked grants' remaining edges are rebuilt from the activity report: only their scopes changed.
    for (const change of d.edges.changed) expect(REVOKED).toContain(change.edge.from.id);
  });

  it('scores: Vaultline grows, Parley shrinks, Notewise appears; findings follow the same objects', async () => {
    const d = await load();
    const byName = Object.fromEntries(d.scores.map((s) => [s.app.name, s]));
    expect(Object.keys(byName).sort()).toEqual(['Ledgerly AP Inbox Sync', 'Notewise AI Notetaker', 'Parley Chat', 'Parley Email', 'Vaultline Backup for Google Workspace']);
    expect(byName['Vaultline Backup for Google Workspace']!.delta).toBeGreaterThan(0);
    expect(byName['Parley Email']!.delta).toBeLessThan(0);
    expect(byName['Notewise AI Notetaker']!.before).toBeNull();
    expect(d.crownJewelPaths).toEqual([]);
    const planted = new Set([NOTEWISE, NOTEWISE_GRANT, `${GW}:app:${PARLEY_EMAIL}`, ...REVOKED, LEDGERLY_GRANT]);
    for (const finding of [...d.findings.added, ...d.findings.resolved]) expect(planted.has(finding.nodeId), finding.id).toBe(true);
    expect(d.findings.added.map((f) => f.nodeId)).toContain(NOTEWISE);
    // The widening of Ledgerly's grant after Priya's consent, from the audit events of the later export.
    const widened = d.findings.added.find((f) => f.ruleId === 'BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL')!;
    expect([widened.nodeId, widened.evidence.scopes, widened.evidence.dates]).toEqual([LEDGERLY_GRANT, ['Mail.ReadWrite'], { approvedAt: '2026-11-26T10:14:03.118Z' }]);
  });

  it('text, markdown and html say the same', async () => {
    const text = await runCli(['diff', DEMO, LATER_DIR, '--at', AT]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/1 app added; 2 credentials added; 8 grants added; 1 scope expansion; 5 App scores changed/);
    expect(text.out).toMatch(/SCOPE EXPANSION\n {2}Domain-wide delegation for Vaultline[^\n]*\n {6}scopes \+ https:\/\/www.googleapis.com\/auth\/drive /);
    expect(text.out).toContain('properties.reauthorizedAfterRevokeAt: (unset) -> 2026-11-25T10:05:00.000Z');
    const markdown = await runCli(['diff', DEMO, LATER_DIR, '--at', AT, '--format', 'markdown']);
    expect(markdown.out).toMatch(/^# What changed: /);
    // Markdown neutralises autolinks and mentions with a zero-width space (docs/security.md); compare the visible text.
    expect(markdown.out.replaceAll('\u200b', '')).toContain('| Domain-wide delegation for Vaultline Backup for Google Workspace | workspace-backup (Vaultline\'s service account) | https://www.googleapis.com/auth/drive | All drives (corvidlabs.com): read → admin |');
    const html = await runCli(['diff', DEMO, LATER_DIR, '--at', AT, '--format', 'html']);
    expect(html.out).toContain("default-src 'none'");
    expect(html.out).toContain('<h2>Scope expansion</h2>');
    expect(html.out).toContain('workspace-backup (Vaultline&#39;s service account)');
  });

  it('--fail-on exits 1 when a term matches and 0 otherwise, and says which', async () => {
    const expansion = await runCli(['diff', DEMO, LATER_DIR, '--at', AT, '--fail-on', 'new-crown-jewel-path, scope-expansion']);
    expect(expansion.code).toBe(1);
    expect(expansion.err).toContain('diff matches --fail-on scope-expansion: failing');
    expect(expansion.out).toContain('--fail-on matched: scope-expansion');
    const quiet = await runCli(['diff', DEMO, LATER_DIR, '--at', AT, '--fail-on', 'new-crown-jewel-path,new-trust,new-finding>=critical,score-increase>40']);
    expect([quiet.code, quiet.err]).toEqual([0, '']);
    const json = await runCli(['diff', DEMO, LATER_DIR, '--at', AT, '--format', 'json', '--fail-on', 'new-app,score-increase>=40']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out).failOn).toEqual({ expression: 'new-app,score-increase>=40', matched: ['new-app', 'score-increase>=40'] });
    const bad = await runCli(['diff', DEMO, LATER_DIR, '--fail-on', 'scope-growth']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown term "scope-growth"');
  });

  it('a graph against itself: no change, and --fail-on change passes', async () => {
    const run = await runCli(['diff', DEMO, DEMO, '--at', AT, '--fail-on', 'change']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('\nNo change.\n');
  });
});
