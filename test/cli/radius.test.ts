// `blastmap radius` on the demo: per-node unenforced controls in every format, and --enforce values checked
// against the documented vocabulary and the conditions the graph carries.
import { describe, expect, it } from 'vitest';
import type { BlastRadius } from '../../engine/analysis/radius.ts';
import { CONTROL_VOCABULARY } from '../../engine/analysis/controls.ts';
import { runCli } from '../helpers/cli.ts';

const AT = '2026-11-22';
const PIPEWELL = 'pipewell:prod:app:pipewell-elt';

describe('blastmap radius --enforce', () => {
  it('an unknown condition fails with a usage error naming the known ones, and prints no radius', async () => {
    const { code, out, err } = await runCli(['radius', 'Parley Chat', '--graph', 'datasets/demo', '--enforce', 'nosuch']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('unknown condition to enforce: "nosuch"');
    // The demo's own conditions (signed-in-user-rights comes from GitHub, Slack and Entra grants) and the vocabulary.
    for (const known of ['signed-in-user-rights', ...CONTROL_VOCABULARY]) expect(err).toContain(known);
  });

  it('a misspelt one among valid ones is caught too; valid ones pass', async () => {
    expect((await runCli(['radius', 'Parley Chat', '--graph', 'datasets/demo', '--enforce', 'mfa,ip-alowlist'])).code).toBe(2);
    expect((await runCli(['radius', 'Parley Chat', '--graph', 'datasets/demo', '--enforce', 'mfa,ip-allowlist', '--at', AT])).code).toBe(0);
  });
});

describe('blastmap radius: unenforced controls per reached node', () => {
  it('Pipewell reaches Snowflake only through its IP-restricted key pair, and --enforce ip-allowlist removes exactly those nodes', async () => {
    const run = async (...extra: string[]) => {
      const { code, out } = await runCli(['radius', PIPEWELL, '--graph', 'datasets/demo', '--at', AT, '--format', 'json', ...extra]);
      expect(code).toBe(0);
      return JSON.parse(out) as BlastRadius;
    };
    const open = await run();
    const dependent = open.reached.filter((entry) => entry.controls.includes('ip-allowlist'));
    expect(dependent.length).toBeGreaterThan(0);
    expect(dependent.every((entry) => entry.platform === 'snowflake')).toBe(true);
    expect(open.controls).toContainEqual({ control: 'ip-allowlist', reached: dependent.length, crownJewels: 0 });
    const enforced = await run('--enforce', 'ip-allowlist');
    const still = new Set(enforced.reached.map((entry) => entry.id));
    for (const entry of dependent) expect(still.has(entry.id), entry.name).toBe(false);
    expect(enforced.reachedCount).toBe(open.reachedCount - dependent.length);
    expect(enforced.controls).toEqual([]);
  });

  it('the text brief tags the nodes and sums the controls', async () => {
    const { out } = await runCli(['radius', PIPEWELL, '--graph', 'datasets/demo', '--at', AT, '--all']);
    expect(out).toContain('[unenforced: ip-allowlist]');
    expect(out).toMatch(/UNENFORCED CONTROLS[^\n]*\n {2}ip-allowlist on the path to \d+ nodes; if it is enforced: --enforce ip-allowlist/);
  });
});
