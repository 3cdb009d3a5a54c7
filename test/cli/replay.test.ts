// `blastmap replay`: every bundled public incident replays with all its expectations holding (raw exports
// through the importers, native files, expected.json), and a wrong expectation is reported as FAIL with exit 1.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IncidentReplay } from '../../engine/analysis/replay.ts';
import { INCIDENTS_DIR, listIncidentNames, loadIncident } from '../../cli/commands/replay.ts';
import { runCli, tempDir } from '../helpers/cli.ts';

const INCIDENTS = listIncidentNames(INCIDENTS_DIR);

/** A private copy of one incident folder, with expected.json rewritten by `edit`. */
function copyWithExpected(name: string, edit: (expected: Record<string, unknown>) => void): string {
  const dir = tempDir('blastmap-replay-');
  cpSync(join(INCIDENTS_DIR, name), join(dir, name), { recursive: true });
  const file = join(dir, name, 'expected.json');
  const expected = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(expected);
  writeFileSync(file, JSON.stringify(expected, null, 2));
  return dir;
}

describe('blastmap replay', () => {
  it('bundles the eight incidents of the issue', () => {
    expect(INCIDENTS).toEqual([
      'beyondtrust-treasury-2024', 'circleci-2023', 'dropbox-sign-2024', 'heroku-travis-npm-2022',
      'midnight-blizzard-2024', 'okta-support-cloudflare-2023', 'salesloft-drift-2025', 'snowflake-unc5537-2024',
    ]);
  });

  it.each(INCIDENTS)('%s replays with every expectation holding', async (name) => {
    const run = await runCli(['replay', name, '--format', 'json']);
    expect(run.err).toBe('');
    const replay = JSON.parse(run.out) as IncidentReplay;
    const failures = replay.checkpoints.flatMap((c) => c.verdicts.filter((v) => !v.pass).map((v) => `${c.name}: ${v.check} ${v.subject}: expected ${v.expected}, found ${v.actual}`));
    expect(failures).toEqual([]);
    expect(run.code).toBe(0);
    // Each incident checks what the issue asks for: reach, controls that held, the chain and the first cut.
    const main = replay.checkpoints[0]!;
    const checks = new Set(main.verdicts.map((v) => v.check));
    expect([...checks]).toEqual(expect.arrayContaining(['reach', 'not-reached', 'attack-chain', 'first-cut']));
    expect(main.chain?.pass).toBe(true);
  });

  it('replays all of them with --all and summarises', async () => {
    const run = await runCli(['replay', '--all']);
    expect(run.code).toBe(0);
    for (const name of INCIDENTS) expect(run.out).toMatch(new RegExp(`PASS  ${name}`));
    expect(run.out).not.toContain('FAIL');
  });

  it('prints the brief, the attack chain and the verdicts for one incident', async () => {
    const run = await runCli(['replay', 'beyondtrust-treasury-2024']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('BLAST RADIUS: BeyondTrust Remote Support SaaS infrastructure');
    expect(run.out).toContain('ATTACK CHAIN');
    expect(run.out).toMatch(/PASS {2}first-cut/);
    expect(run.out).toContain('CONTAINMENT PLAN (blastmap respond)');
    expect(run.out).toMatch(/PASS {2}respond {6}Remote Support SaaS infrastructure API key/);
    expect(run.out).toContain('RESULT: all 14 expectations hold.');
  });

  it('prints what the library renders: replayIncident, then renderReplayText or renderReplayMarkdown (blastmap exports both)', async () => {
    const engine = await import('../../engine/index.ts');
    const loaded = loadIncident(INCIDENTS_DIR, 'beyondtrust-treasury-2024');
    const replay = engine.replayIncident(loaded.graph, loaded.expected, loaded.name);
    const environment = { nodes: loaded.graph.nodeCount, edges: loaded.graph.edgeCount, inputs: loaded.inputs };
    expect((await runCli(['replay', 'beyondtrust-treasury-2024'])).out).toBe(engine.renderReplayText(replay, { environment }));
    expect((await runCli(['replay', 'beyondtrust-treasury-2024', '--format', 'markdown'])).out).toBe(engine.renderReplayMarkdown(replay, { environment }));
  });

  it('checks what the incident logs mark observed: Drift and Midnight Blizzard pass, and a wrong status or missing logs fail', async () => {
    for (const name of ['salesloft-drift-2025', 'midnight-blizzard-2024']) {
      const run = await runCli(['replay', name, '--no-brief', '--format', 'json']);
      expect(run.code).toBe(0);
      const replay = JSON.parse(run.out) as IncidentReplay;
      const evidence = replay.checkpoints.flatMap((c) => c.verdicts).filter((v) => v.check === 'evidence');
      expect(evidence.length).toBeGreaterThan(0);
      expect(evidence.every((v) => v.pass && v.actual.startsWith('observed'))).toBe(true);
    }
    // The same logs cannot make the Drift integration user contradicted, nor anything observed before the first query.
    const wrong = copyWithExpected('salesloft-drift-2025', (expected) => {
      const evidence = expected.evidence as { until?: string; nodes: { status: string }[] };
      evidence.nodes[0]!.status = 'contradicted';
    });
    const failed = await runCli(['replay', 'salesloft-drift-2025', '--dir', wrong, '--no-brief']);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/FAIL {2}evidence {5}Drift integration user/);
    expect(failed.out).toContain('found observed (9 events, salesforce-events');
    const early = copyWithExpected('salesloft-drift-2025', (expected) => { (expected.evidence as { until: string }).until = '2025-08-01T00:00:00Z'; });
    expect((await runCli(['replay', 'salesloft-drift-2025', '--dir', early, '--no-brief'])).out).toContain('expected observed                      found possible');
    const noLogs = copyWithExpected('salesloft-drift-2025', () => undefined);
    rmSync(join(noLogs, 'salesloft-drift-2025', 'environment', 'logs'), { recursive: true });
    expect((await runCli(['replay', 'salesloft-drift-2025', '--dir', noLogs, '--no-brief'])).out).toContain('found no logs (environment/logs/ is missing)');
  });

  it('reports a deliberately wrong expectation as FAIL and exits 1', async () => {
    const dir = copyWithExpected('beyondtrust-treasury-2024', (expected) => {
      (expected.mustNotReach as unknown[]).push({ id: 'treasury:do:resource:documents/unclassified', why: 'deliberately wrong' });
      expected.firstCut = { action: 'disable', id: 'beyondtrust:customer-b:identity:local/admin' };
      (expected.respond as { steps: unknown[] }).steps.push({ phase: 'rotate', target: 'beyondtrust:rs-saas:credential:infrastructure-api-key', why: 'deliberately wrong' });
    });
    const run = await runCli(['replay', 'beyondtrust-treasury-2024', '--dir', dir, '--no-brief']);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/FAIL {2}not-reached {2}Unclassified documents kept by DO users/);
    expect(run.out).toContain('found admin in 5 hops');
    expect(run.out).toMatch(/FAIL {2}first-cut/);
    expect(run.out).toMatch(/FAIL {2}respond {6}Remote Support SaaS infrastructure API key/);
    expect(run.out).toContain('found no rotate step');
    expect(run.out).toContain('RESULT: 3 of 16 expectations fail.');
  });

  it('fails an attack chain that is not a path of the graph, naming the broken step', async () => {
    // A detour through a second bucket: no edge joins two buckets, so the chain breaks at its last step.
    const dir = copyWithExpected('heroku-travis-npm-2022', (expected) => {
      expected.attackChain = [
        'heroku:prod:platform:environment', 'github:npm:app:oauth/heroku-dashboard', 'github:npm:credential:oauth-token/70001',
        'github:npm:platform:org', 'github:npm:resource:npm/registry-ops', 'aws:444455556666:credential:user/registry-ops-ci/access-key-1',
        'aws:444455556666:identity:user/registry-ops-ci', 'aws:444455556666:resource:s3/npm-private-package-manifests', 'aws:444455556666:resource:s3/npm-skimdb-backups',
      ];
    });
    const run = await runCli(['replay', 'heroku-travis-npm-2022', '--dir', dir, '--format', 'json']);
    expect(run.code).toBe(1);
    const chain = (JSON.parse(run.out) as IncidentReplay).checkpoints[0]!.verdicts.find((v) => v.check === 'attack-chain')!;
    expect(chain.pass).toBe(false);
    expect(chain.actual).toContain('step 8 has no edge');
  });

  it('rejects an expected.json naming a node the environment lacks, with its path and the closest ids (exit 3)', async () => {
    const dir = copyWithExpected('snowflake-unc5537-2024', (expected) => {
      (expected.mustReach as { id: string }[])[0]!.id = 'snowflake:customer-a:credential:password/ETL_CONTRACTR';
    });
    const run = await runCli(['replay', 'snowflake-unc5537-2024', '--dir', dir]);
    expect(run.code).toBe(3);
    expect(run.err).toContain('snowflake-unc5537-2024/expected.json $.mustReach[0].id');
    expect(run.err).toContain('closest: snowflake:customer-a:credential:password/ETL_CONTRACTOR');
  });

  it('lists the incidents, and names them when asked for an unknown one', async () => {
    const list = await runCli(['replay', '--list', '--format', 'json']);
    expect((JSON.parse(list.out) as { name: string }[]).map((row) => row.name)).toEqual(INCIDENTS);
    const unknown = await runCli(['replay', 'solarwinds-2020']);
    expect(unknown.code).toBe(4);
    expect(unknown.err).toContain('salesloft-drift-2025');
  });

  it('escapes names from the graph in markdown', async () => {
    const run = await runCli(['replay', 'midnight-blizzard-2024', '--format', 'markdown', '--no-brief']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('| result | check | subject | expected | found |');
    expect(run.out).toContain('full\\_access\\_as\\_app');
  });
});
