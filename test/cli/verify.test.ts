// `blastmap verify` as a responder runs it: the plans made on the demo before the work (datasets/demo-later/response)
// checked against the import taken a week later, in every format, with exit 1 while a step is still live.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blastmapOutput, LATER_DIR, RESPONSE_PLANS } from '../../scripts/demo-exports/build-later.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';

const PLAN = join(LATER_DIR, 'response/parley-email.plan.json');
const RESPOND = join(LATER_DIR, 'response/parley-email.respond.json');
const AT = '2026-12-01';

describe('blastmap verify', () => {
  it('the committed plans are what blastmap plan and respond print today on the demo', async () => {
    const saved = process.cwd();
    process.chdir(REPO);
    try {
      for (const [name, args] of Object.entries(RESPONSE_PLANS)) expect(readFileSync(join(LATER_DIR, 'response', name), 'utf8'), name).toBe(await blastmapOutput(args)); // differs: rerun scripts/demo-exports/build-later.ts
    } finally {
      process.chdir(saved);
    }
  });

  it('the plan against the later import: four grants revoked, Chloe\'s authorised again and still live; exit 1', async () => {
    const run = await runCli(['verify', PLAN, '--graph', LATER_DIR, '--at', AT]);
    expect(run.code).toBe(1);
    expect(run.err).toContain('1 step is still live: failing');
    expect(run.out).toContain('5 steps: 4 done, 1 still live, 0 cannot tell.');
    expect(run.out).toContain('Radius: 50 before the plan, 0 predicted after it, 10 now: shrank, but less than predicted.');
    expect(run.out).toMatch(/STILL LIVE {2}1\. revoke Parley Email grant for chloe\.dubois@corvidlabs\.com\n {15}✗ [^\n]*still usable; last used 2026-11-30T21:02:00Z \(after the plan\); revoked at 2026-11-25T10:05:00Z, then authorised again/);
    expect(run.out.match(/^DONE /gm)).toHaveLength(4);
  });

  it('the containment plan: the vendor-wide step is still live while one of its grants is, and the Salesforce token was never revoked', async () => {
    const run = await runCli(['verify', RESPOND, '--graph', LATER_DIR, '--at', AT, '--format', 'json']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.out);
    expect(result.kind).toBe('respond');
    expect(result.steps.map((s: { status: string; checks: { status: string }[] }) => [s.status, s.checks.map((c) => c.status)])).toEqual([
      ['still-live', ['still-live', 'done', 'done', 'done', 'done']],
      ['still-live', ['still-live']],
    ]);
    expect(result.radius).toEqual({ before: 50, predicted: 0, now: 10, verdict: 'partly', missingSources: [] });
  });

  it('markdown and html', async () => {
    const markdown = await runCli(['verify', PLAN, '--graph', LATER_DIR, '--at', AT, '--format', 'markdown']);
    expect(markdown.out).toMatch(/^# Verify: revocation plan for Parley Email/);
    // Markdown neutralises autolinks and mentions with a zero-width space (docs/security.md); compare the visible text.
    expect(markdown.out.replaceAll('\u200b', '')).toContain('| 1 | still live | revoke Parley Email grant for chloe.dubois@corvidlabs.com |');
    const html = await runCli(['verify', PLAN, '--graph', LATER_DIR, '--at', AT, '--format', 'html']);
    expect(html.out).toContain("default-src 'none'");
    expect(html.out).toContain('<td class="sev-high">still live</td>');
  });

  it('every step carried out: exit 0', async () => {
    const plan = JSON.parse(readFileSync(PLAN, 'utf8'));
    plan.plan.steps = plan.plan.steps.slice(1);
    const file = join(tempDir(), 'done.json');
    writeFileSync(file, JSON.stringify(plan));
    const run = await runCli(['verify', file, '--graph', LATER_DIR, '--at', AT]);
    expect([run.code, run.err]).toEqual([0, '']);
    expect(run.out).toContain('4 steps: 4 done, 0 still live, 0 cannot tell.');
  });

  it('a file that is not a plan is refused with its JSON path and line, before any graph is loaded', async () => {
    const file = join(tempDir(), 'broken.json');
    writeFileSync(file, '{\n  "plan": {\n    "steps": 3\n  }\n}\n');
    const run = await runCli(['verify', file, '--graph', join(tempDir(), 'missing.bmap')]);
    expect(run.code).toBe(3);
    expect(run.err).toContain('is not the output of blastmap plan or respond in JSON; nothing was checked');
    expect(run.err).toMatch(/\$\.plan\.steps[^\n]*line 3/);
  });
});
