// The demo built the way a user builds a graph: each platform's raw admin-API export through its real importer,
// plus native files for what no importer reads; and the importers' end-to-end requirement, a lateral path that
// crosses three platforms imported from raw exports.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_DIR } from '../../cli/commands/demo.ts';
import { loadWorkspace } from '../../cli/workspace.ts';
import { reach, witnessPath } from '../../engine/analysis/reach.ts';
import { demoExports } from '../../scripts/demo-exports/build.ts';
import { fileText } from '../../scripts/demo-exports/write.ts';
import { runCli } from '../helpers/cli.ts';

const AT = '2026-11-01';
const SF = 'salesforce:00dhs000000cvdlmak';
const BUCKET = 'aws:111122223333:resource:s3/corvid-prod-customer-data';
const OKTA_ZOE = 'okta:corvidlabs.okta.com:identity:00uC44UIxOhuL3cWMSJF';
const OKTA_JONAS = 'okta:corvidlabs.okta.com:identity:00u6UuEy7HDmqFEtKvZJ';
/** Platforms the demo builds from raw exports, and the importer each one's nodes must come from. */
const IMPORTED = ['aws', 'entra', 'github', 'google-workspace', 'okta', 'salesforce', 'slack'];
/** Every file under a folder, as paths relative to it, sorted. */
function filesUnder(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name), root) : [relative(root, join(dir, name))])).sort();
}

/** Reference stubs allowed to stay unresolved in the demo (none: every platform they point at is imported or written natively). */
const DOCUMENTED_UNRESOLVED: string[] = [];

describe('the demo workspace (datasets/demo)', () => {
  const workspace = loadWorkspace(DEMO_DIR);
  const { graph } = workspace;
  const ix = (id: string): number => {
    const v = graph.indexOf.get(id);
    if (v === undefined) throw new Error(`the demo has no node ${id}`);
    return v;
  };
  const hasEdge = (from: string, kind: string, to: string): boolean => {
    const src = ix(from);
    for (let e = graph.fwdOffsets[src]!; e < graph.fwdOffsets[src + 1]!; e++) {
      if (graph.nodes[graph.edgeDst[e]!]!.id === to && graph.edgeKindNames[graph.edgeKind[e]!] === kind) return true;
    }
    return false;
  };

  it('holds exactly the exports scripts/demo-exports writes (edit the script and rerun it, not the files)', () => {
    const generated = demoExports();
    expect(filesUnder(join(DEMO_DIR, 'exports')).map((path) => path.split('/')[0]).filter((d, i, all) => all.indexOf(d) === i))
      .toEqual([...new Set([...generated.keys()].map((folder) => folder.split('/')[0]))].sort());
    for (const [folder, files] of generated) {
      const dir = join(DEMO_DIR, 'exports', folder);
      expect(filesUnder(dir), folder).toEqual(Object.keys(files).sort());
      for (const [path, value] of Object.entries(files)) expect(readFileSync(join(dir, path), 'utf8'), `${folder}/${path}`).toBe(fileText(value));
    }
  });

  it('imports every platform export through its importer: no error, no skipped record, no unknown scope, no ignored file', () => {
    expect(workspace.imports.map((i) => `${i.source} ${i.folder}`)).toEqual([
      'aws exports/aws/corvid-prod', 'aws exports/aws/corvid-staging', 'entra exports/entra', 'github exports/github',
      'google-workspace exports/google-workspace', 'n8n exports/n8n/automation.corvidlabs.com', 'okta exports/okta', 'salesforce exports/salesforce', 'slack exports/slack',
    ]);
    for (const { source, report } of workspace.imports) {
      expect({ source, skipped: report.skipped, unknownScopes: report.unknownScopes, ignoredFiles: report.ignoredFiles }).toEqual({ source, skipped: [], unknownScopes: [], ignoredFiles: [] });
      expect(Object.values(report.records).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    }
    expect(workspace.nativeFiles).toEqual(['native/classification.yaml', 'native/federation.yaml', 'native/secrets-in-data.yaml', 'native/snowflake.yaml', 'native/vendors.yaml']);
    expect(workspace.report.redactions).toBe(0);
  });

  it('resolves every cross-platform reference stub: none is left in the graph', () => {
    expect(workspace.report.links.unresolved.map((u) => u.id)).toEqual(DOCUMENTED_UNRESOLVED);
    expect(graph.nodes.filter((n) => n.tenant === '*').map((n) => n.id)).toEqual(DOCUMENTED_UNRESOLVED);
    expect(workspace.report.links.resolved).toBeGreaterThan(100);
    // Each kind of bridge, resolved to the real node of the other platform's import.
    const bridges: [string, string, string][] = [
      [OKTA_ZOE, 'SSO_TO', `${SF}:identity:005Hs00000b4DYEIAK`], // Okta app username -> Salesforce user, by user name
      [OKTA_ZOE, 'SSO_TO', 'google-workspace:corvidlabs.com:identity:zoe.campbell@corvidlabs.com'], // by email
      [OKTA_ZOE, 'SSO_TO', 'slack:t03cvd7lb:identity:U06RRX5SBZV'], // by the member's email
      [OKTA_JONAS, 'SSO_TO', 'github:corvid:identity:jlindqvist'], // by login
      ['okta:corvidlabs.okta.com:identity:00ubCA8iCmxIdbRItCSn', 'SSO_TO', 'entra:b7c4e0d2-3f19-4a6e-8c25-9d1f0e7a6b43:identity:7c1e4d2a-5b3f-4a8e-9d6c-2f1a0b3c4d54'], // by UPN
      ['github:corvid:resource:corvid/infra', 'RUNS_AS', 'aws:111122223333:identity:role/github-actions-deploy'], // the AWS trust policy's OIDC subject
      [`${SF}:resource:case/500Hs00000Cs1337IAE`, 'CONTAINS_CREDENTIAL', 'aws:111122223333:credential:access-key/9a184e3db4e81384'], // a finding, by key fingerprint
      [`${SF}:resource:case/500Hs00000Cs1402IAE`, 'CONTAINS_CREDENTIAL', 'snowflake:corvidlabs:credential:pat/SVC_REPORTING/GLIMPSE_DASHBOARDS'], // into a native platform
      ['slack:t03cvd7lb:resource:C0UVXGTG3U7', 'CONTAINS_CREDENTIAL', 'github:corvid:credential:fine-grained-pat/25381'], // a Slack finding
      ['github:corvid:credential:actions-secret/corvid/data-pipelines/SNOWFLAKE_PRIVATE_KEY', 'AUTHENTICATES_AS', 'snowflake:corvidlabs:identity:user/SVC_DBT'], // secret-links.json
      ['gcp:vaultline-backup-prod:identity:workspace-backup@vaultline-backup-prod.iam.gserviceaccount.com', 'HOLDS', 'google-workspace:corvidlabs.com:credential:domain-wide-delegation/104477230918822460113'], // by client id
    ];
    for (const [from, kind, to] of bridges) expect(hasEdge(from, kind, to), `${from} -${kind}-> ${to}`).toBe(true);
  });

  it('keeps what the importers produced: every node of an imported platform comes from its importer', () => {
    const foreign = graph.nodes.filter((n) => IMPORTED.includes(n.platform) && n.source !== n.platform).map((n) => `${n.id} (${n.source})`);
    expect(foreign).toEqual([]);
    // Native files add the vendors' side, Snowflake, federation, and classification tags merged into imported nodes.
    expect(graph.nodes[ix(BUCKET)]!).toMatchObject({ source: 'aws', tags: expect.arrayContaining(['crown-jewel']) });
    expect(graph.nodes[ix('parley:prod:app:parley-chat')]!.source).toBe('demo/vendors');
  });

  /** The platforms a witness path visits, in order, and the sources of the nodes it goes through. */
  function walk(sourceId: string, targetId: string) {
    const result = reach(graph, [ix(sourceId)], { at: AT });
    const target = ix(targetId);
    expect(result.level[target]).toBeGreaterThan(0);
    const steps = witnessPath(result, target);
    const nodes = [steps[0]!.from, ...steps.map((s) => s.to)].map((v) => graph.nodes[v]!);
    const platforms = nodes.map((n) => n.platform).filter((p, i, all) => i === 0 || all[i - 1] !== p);
    return { platforms, sources: [...new Set(nodes.map((n) => n.source))].sort(), kinds: steps.map((s) => graph.edgeKindNames[graph.edgeKind[s.edge]!]) };
  }

  it('finds a lateral path across three imported platforms: Okta -> Salesforce -> AWS (a support engineer\'s group, a key pasted in a case)', () => {
    // Customer Support is assigned to the provisioning Salesforce app with the Corvid Support profile: as short as
    // Zoe's own SSO link to her Salesforce user (asserted above), and the witness the traversal meets first.
    const path = walk(OKTA_ZOE, BUCKET);
    expect(path.platforms).toEqual(['okta', 'salesforce', 'aws']);
    expect(path.sources).toEqual(['aws', 'okta', 'salesforce']);
    expect(path.kinds).toEqual(['MEMBER_OF', 'HAS_ROLE', 'CAN_WRITE', 'CONTAINS', 'CONTAINS_CREDENTIAL', 'AUTHENTICATES_AS', 'CAN_READ']);
  });

  it('and a stolen HR connector reaches the same bucket by adding its Okta account to Customer Support (CAN_ADD_MEMBER)', () => {
    const path = walk('peoplegrid:prod:app:peoplegrid-okta-provisioning', BUCKET);
    expect(path.kinds).toEqual(['HOLDS', 'AUTHENTICATES_AS', 'HAS_ROLE', 'CAN_ADD_MEMBER', 'HAS_ROLE', 'CAN_WRITE', 'CONTAINS', 'CONTAINS_CREDENTIAL', 'AUTHENTICATES_AS', 'CAN_READ']);
    expect(path.platforms).toEqual(['peoplegrid', 'okta', 'salesforce', 'aws']);
  });

  it('and the People Ops n8n instance is an identity control plane: a project editor reaches the bucket through the Okta connection', () => {
    // Noah edits People Ops workflows; the onboarding workflow holds the Okta provisioning connection, which signs in
    // as svc-peoplegrid (connection-links.json): the same CAN_ADD_MEMBER route as the HR connector, from n8n.
    const path = walk('n8n:automation.corvidlabs.com:identity:5d9f2a6c-8e1b-4f7d-a3c0-9b4e6d2f8a14', BUCKET);
    expect(path.platforms).toEqual(['n8n', 'okta', 'salesforce', 'aws']);
    expect(path.kinds.slice(0, 7)).toEqual(['CAN_ADMIN', 'MANAGES', 'AUTHENTICATES_AS', 'HAS_ROLE', 'CAN_ADD_MEMBER', 'HAS_ROLE', 'CAN_WRITE']);
    expect(path.sources).toEqual(['aws', 'n8n', 'okta', 'salesforce']);
  });

  it('and Okta -> GitHub -> AWS: an engineer without MFA, a team that administers corvid/infra, its workflows\' OIDC role', () => {
    const path = walk(OKTA_JONAS, BUCKET);
    expect(path.platforms).toEqual(['okta', 'github', 'aws']);
    expect(path.sources).toEqual(['aws', 'github', 'okta']);
    expect(path.kinds).toEqual(['SSO_TO', 'MEMBER_OF', 'CAN_ADMIN', 'RUNS_AS', 'CAN_WRITE']);
  });

  it('the CLI loads the same workspace with --graph datasets/demo and shows that path', async () => {
    const { code, out } = await runCli(['paths', OKTA_JONAS, '--to', BUCKET, '--graph', 'datasets/demo', '--at', AT, '--format', 'json']);
    expect(code).toBe(0);
    const result = JSON.parse(out) as { level: string; paths: { from: { platform: string }; to: { platform: string } }[][] };
    expect(result.level).toBe('write');
    const platforms = new Set(result.paths[0]!.flatMap((step) => [step.from.platform, step.to.platform]));
    expect([...platforms].sort()).toEqual(['aws', 'github', 'okta']);
  });
});
