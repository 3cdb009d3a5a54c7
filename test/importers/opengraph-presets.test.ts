// Collector presets on the real outputs of SpecterOps' collectors (GitHound, SnowHound in the shared corpus): ids
// that merge with blastmap's own importers for the same objects, case kept where the platform's ids are
// case-sensitive, and a --mapping naming kinds the input lacks warned about.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishFragment } from '../../engine/format/validate.ts';
import { DEFAULT_SCHEMA } from '../../engine/schema/index.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { toFragment } from '../../engine/store/compact.ts';
import { importExport } from '../../importers/index.ts';
import { buildMapping, transformOpenGraph } from '../../importers/opengraph/index.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';

const CORPUS = resolve(REPO, '../shared/corpus/opengraph');
const githoundText = readFileSync(join(CORPUS, 'githound_O_kgDOCoV2OQ.json'), 'utf8');
interface OgNode { id: string; kinds: string[]; properties: Record<string, unknown> }
const githound = JSON.parse(githoundText) as { graph: { nodes: OgNode[] } };
const ofKind = (kind: string): OgNode[] => githound.graph.nodes.filter((n) => n.kinds[0] === kind);

function openGraph(files: { path: string; text: string }[]) {
  const mapping = buildMapping(DEFAULT_SCHEMA);
  if (!mapping.ok) throw new Error('default mapping');
  const result = transformOpenGraph(files, { mapping: mapping.mapping });
  if (!result.ok) throw new Error(JSON.stringify(result.issues.slice(0, 3)));
  const finished = finishFragment(result.fragment, { nodePaths: result.fragment.nodes.map((n) => n.id), edgePaths: result.fragment.edges.map((e) => e.kind) });
  if (!finished.ok) throw new Error(JSON.stringify(finished.issues.slice(0, 3)));
  return { sourced: finished.value, schema: result.schema, report: result.report };
}

describe('GitHound ids merge with the GitHub importer\'s', () => {
  // The same organization as the GitHub REST API describes it, written from GitHound's own properties (the
  // collector read them from those endpoints): GET /orgs/{org}, /orgs/{org}/repos, /orgs/{org}/members, /orgs/{org}/teams.
  const org = ofKind('GH_Organization')[0]!.properties;
  const rest = [
    { path: 'org.json', data: { login: org.login, id: 1, members_url: `https://api.github.com/orgs/${String(org.login)}/members{/member}` } },
    { path: 'repos.json', data: ofKind('GH_Repository').map((r) => ({ full_name: r.properties.full_name, name: r.properties.name, private: r.properties.private, fork: false, owner: { login: org.login } })) },
    { path: 'members.json', data: ofKind('GH_User').map((u) => ({ login: u.properties.login, id: 1, type: 'User', site_admin: false })) },
    { path: 'teams.json', data: ofKind('GH_Team').map((t) => ({ slug: t.properties.slug, name: t.properties.name, privacy: 'closed' })) },
  ];

  it('the organization, every repository, member and team, and the GitHub Apps are one node each', () => {
    const api = importExport('github', rest);
    const og = openGraph([{ path: 'githound.json', text: githoundText }]);
    const apiIds = new Set(api.sourced.fragment.nodes.map((n) => n.id));
    const ogIds = new Set(og.sourced.fragment.nodes.map((n) => n.id));
    const shared = [...apiIds].filter((id) => ogIds.has(id));
    const expected = 1 + ofKind('GH_Repository').length + ofKind('GH_User').length + ofKind('GH_Team').length;
    expect(shared.length).toBe(expected);
    expect(shared).toContain('github:spectertst:platform:org');
    expect(shared).toContain('github:spectertst:resource:spectertst/secure-environment');
    expect(shared).toContain('github:spectertst:group:team/admins');
    const { graph } = assembleGraph([api.sourced, og.sourced], undefined, og.schema);
    expect(graph.nodeCount).toBe(apiIds.size + ogIds.size - expected);
  });

  it('an installation and its app are one App, with the id the GitHub importer gives the app', () => {
    const og = openGraph([{ path: 'githound.json', text: githoundText }]);
    const apps = og.sourced.fragment.nodes.filter((n) => n.kind === 'App').map((n) => n.id).sort();
    expect(apps).toEqual(['circleci-app', 'githound-collector', 'githound-specterops', 'spectertst-bulldozer', 'spectertst-policy-bot'].map((slug) => `github:github.com:app:${slug}`));
    expect(og.report.duplicateNodes).toBe(3);
  });
});

describe('case', () => {
  it('GitHub names merge whatever their spelling; GitHound\'s other node ids keep their case', () => {
    const repo = (fullName: string) => importExport('github', [{ path: 'org.json', data: { login: 'Corvid', id: 9 } }, { path: 'repos.json', data: [{ full_name: fullName, private: true, fork: false, owner: { login: 'Corvid' } }] }]);
    const a = repo('Corvid/API').sourced.fragment.nodes.find((n) => n.kind === 'Resource')!;
    const b = repo('corvid/api').sourced.fragment.nodes.find((n) => n.kind === 'Resource')!;
    expect(a.id).toBe('github:corvid:resource:corvid/api');
    expect(b.id).toBe(a.id);
    expect(a.name).toBe('Corvid/API');
    const og = openGraph([{ path: 'githound.json', text: githoundText }]);
    expect(og.sourced.fragment.nodes.map((n) => n.id)).toContain('github:spectertst:resource:REF_kwDOMuFnXLNyZWZzL2hlYWRzL0NhblB1c2gz');
  });

  it('Okta ids keep their case through the Okta importer and through OpenGraph', () => {
    const apps = JSON.parse(readFileSync(resolve(REPO, '../shared/corpus/okta/apps-list.json'), 'utf8')) as { id: string }[];
    const api = importExport('okta', [{ path: 'apps.json', data: apps }], { tenant: 'corvidlabs.okta.com' });
    expect(api.sourced.fragment.nodes.map((n) => n.id)).toContain(`okta:corvidlabs.okta.com:app:${apps[0]!.id}`);
    expect(apps[0]!.id).not.toBe(apps[0]!.id.toLowerCase());
    const og = openGraph([{ path: 'okta.json', text: JSON.stringify({ graph: { nodes: [{ id: apps[0]!.id, kinds: ['Okta_Application'], properties: { name: 'Sample', oktaDomain: 'CorvidLabs.okta.com' } }], edges: [] } }) }]);
    expect(og.sourced.fragment.nodes.map((n) => n.id)).toEqual([`okta:corvidlabs.okta.com:app:${apps[0]!.id}`]);
  });
});

describe('--mapping naming kinds the input lacks', () => {
  it('is a warning listing the kinds the input has (the import goes on)', async () => {
    const dir = tempDir();
    const mapping = join(dir, 'snowflake-mapping.json');
    // The kinds the documentation's example used to name; SnowHound writes neither.
    writeFileSync(mapping, JSON.stringify({ nodes: { SNOW_User: { kind: 'Identity', subtype: 'human' } }, edges: { SNOW_HasRole: 'HAS_ROLE', SNOW_Grants: null } }));
    const run = await runCli(['import', 'opengraph', join(CORPUS, 'snowhound_NR46411.CGXOVHZ.json'), '--mapping', mapping, '--graph', join(dir, 'g.bmap')]);
    expect(run.code).toBe(0);
    const warnings = run.out.split('\n').filter((line) => line.startsWith('warning: '));
    expect(warnings.map((w) => w.replace(/\(its edge kinds: .*\)$/, '(...)'))).toEqual([
      'warning: snowflake-mapping.json: edge kind SNOW_HasRole is not in the input (...)',
      'warning: snowflake-mapping.json: edge kind SNOW_Grants is not in the input (...)',
    ]);
    expect(warnings[0]).toContain('SNOW_Usage');
  });
});

describe('SnowHound', () => {
  it('every node kind is mapped, and the id it uses for both its SNOWFLAKE database and application gives two nodes', () => {
  const og = openGraph([{ path: 'snowhound.json', text: readFileSync(join(CORPUS, 'snowhound_NR46411.CGXOVHZ.json'), 'utf8') }]);
  expect(og.report.unmappedNodeKinds).toEqual([]);
  const { graph } = assembleGraph([og.sourced], undefined, og.schema);
  expect(toFragment(graph).nodes.filter((n) => n.kind === 'App').map((n) => n.id)).toEqual(['snowflake:nr46411.cgxovhz:app:NR46411.CGXOVHZ.SNOWFLAKE']);
  expect(graph.indexOf.has('snowflake:nr46411.cgxovhz:resource:NR46411.CGXOVHZ.SNOWFLAKE')).toBe(true);
  });
});
