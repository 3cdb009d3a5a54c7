// Fuzzing every input path (native YAML/JSON/NDJSON and its streaming reader, OpenGraph, every registered importer)
// with damaged copies of its own fixtures: the answer is a graph or a typed refusal naming file and path for every
// issue, never another exception, never a hang; and a failed CLI import leaves the snapshot byte for byte as it was.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSnapshotFile } from '../../cli/snapshot-file.ts';
import type { RawFile } from '../../importers/common/records.ts';
import { IMPORTERS } from '../../importers/registry.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';
import { scenario } from '../helpers/scenario.ts';
import { BlastmapError } from '../../engine/errors.ts';
import { parsePolicy } from '../../engine/policy.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { parseNative } from '../../importers/native/index.ts';
import { allTargets, attempt, downstream, type Outcome, type Target } from './inputs.ts';
import { damage, damaged } from './mutate.ts';

/** Cases per target; BLASTMAP_FUZZ_RUNS raises it for a deeper local run. */
const RUNS = Number(process.env.BLASTMAP_FUZZ_RUNS ?? 100);
/** No single case may take longer: a hang or a super-linear blow-up shows as a failure, not a stuck suite. */
const CASE_LIMIT_MS = 10_000;
const SEED = process.env.BLASTMAP_FUZZ_SEED === undefined ? undefined : Number(process.env.BLASTMAP_FUZZ_SEED);

const counts: Record<string, number> = {};
const count = (name: string) => { counts[name] = (counts[name] ?? 0) + 1; };

afterAll(() => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const file = join(REPO, 'test-artifacts/hardening/fuzz-cases.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ total, perTarget: counts, runsPerTarget: RUNS }, null, 2)}\n`);
  // One line in the CI log: how many generated inputs this run fed through the importers.
  console.log(`fuzz: ${total} generated cases (${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')})`);
});

function checkOutcome(outcome: Outcome): void {
  if (outcome.ok) {
    downstream(outcome.graph);
    return;
  }
  expect(outcome.issues.length, outcome.message).toBeGreaterThan(0);
  for (const issue of outcome.issues) {
    // Only a problem with the input as a whole (a file missing from the set, at `$`) may name no file.
    if (issue.path !== '$') expect(typeof issue.file === 'string' && issue.file.length > 0, `issue without a file: ${JSON.stringify(issue).slice(0, 300)}`).toBe(true);
    expect(typeof issue.path === 'string' && issue.path.length > 0, `issue without a path: ${JSON.stringify(issue).slice(0, 300)}`).toBe(true);
    expect(typeof issue.message).toBe('string');
  }
}

function runCase(target: Target, files: readonly RawFile[], lenient: boolean): Outcome {
  const started = performance.now();
  const outcome = target.run(files, lenient);
  if (outcome.ok) downstream(outcome.graph);
  const elapsed = performance.now() - started;
  expect(elapsed, `${target.name}: one case took ${Math.round(elapsed)} ms`).toBeLessThan(CASE_LIMIT_MS);
  // A `__proto__` key in the input must stay data.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
  return outcome;
}

const targets = allTargets();

describe('every registered importer is fuzzed', () => {
  it('has a target per importer, plus native and OpenGraph', () => {
    const names = targets.map((t) => t.name);
    for (const importer of IMPORTERS) expect(names).toContain(importer.source);
    expect(names).toEqual(expect.arrayContaining(['native-yaml', 'native-json', 'native-ndjson', 'native-ndjson-stream', 'opengraph']));
  });
});

describe.each(targets.map((target) => [target.name, target] as const))('%s', (name, target) => {
  it('imports its seed files cleanly (the fuzzer starts from valid input)', () => {
    const outcome = target.run(target.seeds, false);
    expect(outcome.ok, outcome.ok ? '' : JSON.stringify(outcome.issues.slice(0, 3))).toBe(true);
  });

  it('answers damaged input with a graph or with issues naming file and path, never a crash or a hang', () => {
    fc.assert(fc.property(damage, (d) => {
      count(name);
      checkOutcome(runCase(target, damaged(target.seeds, d), d.lenient));
    }), { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) });
  });

  it.skipIf(target.cli === undefined)('leaves the snapshot byte for byte as it was when a CLI import fails, with no temporary or lock file behind', async () => {
    const work = tempDir('blastmap-fuzz-cli-');
    const graphDir = join(work, 'graph');
    mkdirSync(graphDir);
    const snapshot = join(graphDir, 'graph.bmap');
    writeSnapshotFile(snapshot, scenario((s) => { s.app('existing'); }).graph);
    const before = readFileSync(snapshot);
    try {
      await fc.assert(fc.asyncProperty(damage, async (d) => {
        count(name);
        const files = damaged(target.seeds, d);
        const expected = target.run(files, d.lenient);
        const input = join(work, 'input');
        rmSync(input, { recursive: true, force: true });
        for (const file of files) {
          mkdirSync(dirname(join(input, file.path)), { recursive: true });
          writeFileSync(join(input, file.path), file.text);
        }
        // Every case starts from the same snapshot, whatever the previous one (or a shrinking step) left.
        writeFileSync(snapshot, before);
        const run = await runCli([...target.cli!(input, d.lenient), '--graph', snapshot, '--format', 'json']);
        // No temporary or lock file is left (history/ keeps the states successful imports replaced).
        expect(readdirSync(graphDir).filter((name) => name !== 'history')).toEqual(['graph.bmap']);
        if (!expected.ok) {
          expect(run.code, run.err).toBe(3);
          expect(readFileSync(snapshot).equals(before)).toBe(true);
        } else {
          expect([0, 3], run.err).toContain(run.code);
          if (run.code !== 0) expect(readFileSync(snapshot).equals(before)).toBe(true);
        }
      }), { numRuns: Math.max(4, Math.round(RUNS / 15)), ...(SEED !== undefined ? { seed: SEED } : {}) });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

/** Documents built to exhaust a parser rather than found by chance: each must be refused as input, quickly. */
const HOSTILE_DOCUMENTS: Record<string, string> = {
  'alias bomb': ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdef'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(',')}]`), 'nodes: *f', 'edges: []'].join('\n'),
  'self-referencing alias': 'nodes: &n [*n]\nedges: []\n',
  'alias cycle in properties': 'nodes:\n  - &x {id: a, kind: App, name: n, platform: p, tenant: t, properties: {self: *x}}\nedges: []\n',
  'flow nesting deeper than the stack': `nodes: ${'['.repeat(50_000)}${']'.repeat(50_000)}\nedges: []\n`,
  'block nesting deeper than the stack': `nodes:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(2 * i + 2)}- `).join('\n')}\nedges: []\n`,
  'JSON nested 200,000 deep': `{"nodes": ${'['.repeat(200_000)}${']'.repeat(200_000)}, "edges": []}`,
  'a prototype key': '__proto__: {polluted: 1}\nnodes: []\nedges: []\n',
  'a language tag': 'nodes: !!js/function "function(){ globalThis.polluted = 1 }"\nedges: []\n',
};

describe('documents built to exhaust a parser', () => {
  it.each(Object.entries(HOSTILE_DOCUMENTS))('%s is refused as input, never a crash', (name, text) => {
    for (const file of ['doc.yaml', 'doc.json']) {
      count('hostile-documents');
      const started = performance.now();
      const native = attempt(() => {
        const result = parseNative(text, { file });
        if (!result.ok) throw new BlastmapError('INVALID_INPUT', 'refused', { issues: result.issues });
        return assembleGraph([result.value]).graph;
      });
      checkOutcome(native);
      const policy = parsePolicy(text, { file });
      if (!policy.ok) for (const issue of policy.issues) expect(issue.file).toBe(file);
      expect(performance.now() - started, name).toBeLessThan(CASE_LIMIT_MS);
    }
    // In place of each target's first file, whatever its format.
    for (const target of targets) {
      count('hostile-documents');
      checkOutcome(runCase(target, [{ path: target.seeds[0]!.path, text }, ...target.seeds.slice(1)], false));
    }
    expect((globalThis as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
