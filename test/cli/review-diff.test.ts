// `blastmap review --diff`: the demo's later export set proposed to the demo, from the two graphs or from the
// saved `blastmap diff -f json` output. The scope expansion (Vaultline's widened delegation) is reviewed like the
// new app (Notewise): its added authority, the exposure it raises and the policy violations it brings.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReviewResult } from '../../engine/analysis/review.ts';
import { REPO, runCli } from '../helpers/cli.ts';

const DEMO = join(REPO, 'datasets/demo');
const LATER = join(REPO, 'datasets/demo-later');
const POLICY = join(REPO, 'datasets/policies/default.yaml');
const AT = '2026-12-01';
const DELEGATION = 'google-workspace:corvidlabs.com:credential:domain-wide-delegation/104477230918822460113';

describe('review --diff', () => {
  it('reviews what the later graph adds or changes against the earlier one; the widened delegation is judged like the new app', async () => {
    const run = await runCli(['review', '--diff', DEMO, LATER, '--policy', POLICY, '--at', AT, '-f', 'json']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.out) as ReviewResult;
    const subjects = result.subjects.map((subject) => [subject.name, subject.isNew]);
    expect(subjects).toContainEqual(['Notewise AI Notetaker', true]);
    expect(subjects).toContainEqual(['Domain-wide delegation for Vaultline Backup for Google Workspace', false]);
    const delegation = result.subjects.find((subject) => subject.id === DELEGATION)!;
    expect(delegation.score).toBeGreaterThan(delegation.scoreBefore!);
    // The expansion raises the exposure of every drive from read to admin.
    expect(result.exposureChanges.some((change) => change.change === 'raised' && change.after === 'admin')).toBe(true);
    expect(result.violations.map((violation) => violation.ruleId)).toContain('BM-REVIEW-REQUIRE-OWNER');
    // Every violation points into the diff: the record's path among the added or changed records.
    for (const violation of result.violations) expect(violation.location?.path).toMatch(/^\$\.(nodes|edges)\.(added\[\d+\]|changed\[\d+\]\.after)/);
  });

  it('a saved diff json gives the same review against the graph it names as old', async () => {
    const diff = await runCli(['diff', DEMO, LATER, '--at', AT, '-f', 'json']);
    const dir = mkdtempSync(join(tmpdir(), 'bm-review-diff-'));
    const file = join(dir, 'changes.json');
    writeFileSync(file, diff.out);
    const fromJson = await runCli(['review', '--diff', file, '--policy', POLICY, '--at', AT, '-f', 'json']);
    const fromGraphs = await runCli(['review', '--diff', DEMO, LATER, '--policy', POLICY, '--at', AT, '-f', 'json']);
    expect(fromJson.code).toBe(1);
    const strip = (text: string) => { const { proposal: _proposal, ...rest } = JSON.parse(text) as ReviewResult; return rest; };
    const a = strip(fromJson.out);
    const b = strip(fromGraphs.out);
    // Locations name different files (the json, or the two graphs); everything judged is the same.
    const withoutFiles = (value: unknown) => JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'file' ? undefined : v)));
    expect(withoutFiles(a)).toEqual(withoutFiles(b));
  });

  it('a file that is not a diff is a usage error naming what is missing; a proposal and --diff together are refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bm-review-diff-'));
    const file = join(dir, 'not-a-diff.json');
    writeFileSync(file, JSON.stringify({ nodes: { added: [{ kind: 'App' }], changed: [] }, edges: { added: [], changed: [] }, compared: { old: DEMO } }));
    const bad = await runCli(['review', '--diff', file, '--policy', POLICY]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('$.nodes.added[0]');
    expect(bad.err).toContain('nothing was reviewed');
    const both = await runCli(['review', join(REPO, 'datasets/proposals/notewise-meeting-notes.yaml'), '--diff', DEMO, LATER, '--policy', POLICY]);
    expect(both.code).toBe(2);
    expect(both.err).toContain('one of the two');
  });
});
