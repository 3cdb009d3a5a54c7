// The streaming path for big native NDJSON files (cli/ndjson-stream.ts) against the whole-file path: same graph, same
// redaction count, or a refusal on both, whatever the chunking; secrets and control characters are scrubbed on it too.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { streamNdjsonChunks } from '../../cli/ndjson-stream.ts';
import { readSnapshotFile } from '../../cli/snapshot-file.ts';
import { BlastmapError } from '../../engine/errors.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { toFragment, type CompactGraph } from '../../engine/store/compact.ts';
import { parseNative } from '../../importers/native/index.ts';
import { BIN, REPO, runCli, spawnCli, tempDir } from '../helpers/cli.ts';
import { allTargets, chunked } from './inputs.ts';
import { damage, damaged } from './mutate.ts';
import { leaks, secretCorpus } from './secret-corpus.ts';

const corpus = secretCorpus(23);
const seed = allTargets().find((t) => t.name === 'native-ndjson')!.seeds[0]!;

type Result = { ok: true; graph: CompactGraph; redactions: number } | { ok: false };

function wholeFile(text: string): Result {
  const parsed = parseNative(text, { file: 'in.ndjson' });
  if (!parsed.ok) return { ok: false };
  try {
    return { ok: true, graph: assembleGraph([parsed.value]).graph, redactions: parsed.value.redactions };
  } catch (error) {
    if (error instanceof BlastmapError) return { ok: false };
    throw error;
  }
}

function streamed(text: string, size: number): Result {
  try {
    const { graph, summary } = streamNdjsonChunks(chunked(text, size), { file: 'in.ndjson' });
    return { ok: true, graph, redactions: summary.redactions };
  } catch (error) {
    if (error instanceof BlastmapError) return { ok: false };
    throw error;
  }
}

/** The graph as sorted records, so two builds of the same graph compare equal whatever their internal order. */
function canonical(graph: CompactGraph): string {
  const { nodes, edges } = toFragment(graph);
  const sortKeys = (value: unknown): unknown => (Array.isArray(value) ? value.map(sortKeys) : value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)])) : value);
  return JSON.stringify([nodes.map(sortKeys).map((n) => JSON.stringify(n)).sort(), edges.map(sortKeys).map((e) => JSON.stringify(e)).sort()]);
}

/** Secrets and terminal escapes in the fields a scrubber must reach (names, ids, references, properties, scopes). */
const spiced = fc.record({ at: fc.nat(), secret: fc.constantFrom(...corpus.map((s) => s.value), '\u001b[2J', 'a\u0007b', '\u009bx'), field: fc.constantFrom('name', 'id', 'reason', 'note', 'scope', 'email', 'password') });

function plant(text: string, plants: { at: number; secret: string; field: string }[]): string {
  const records = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  for (const { at, secret, field } of plants) {
    const record = records[at % records.length]!;
    const isEdge = 'from' in record;
    if (field === 'id') {
      // Rename a node and every reference to it, so the input stays valid.
      const node = records.filter((r) => !('from' in r))[at % records.filter((r) => !('from' in r)).length]!;
      const old = node.id as string;
      const renamed = `${old}-${secret}`;
      for (const r of records) for (const key of ['id', 'from', 'to', 'grant']) if (r[key] === old) r[key] = renamed;
    } else if (field === 'name' && !isEdge) record.name = `${record.name} ${secret}`;
    else if (field === 'email' && !isEdge) record.email = `${secret} <x@y.example>`;
    else if (field === 'reason' && isEdge) record.reason = secret;
    else if (field === 'scope') record.scopes = [...((record.scopes as string[] | undefined) ?? []), secret];
    else if (field === 'password') record.properties = { ...(record.properties as object | undefined), password: secret };
    else record.properties = { ...(record.properties as object | undefined), note: `see ${secret}` };
  }
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

describe('streaming a big NDJSON file', () => {
  it('builds the graph the whole-file path builds, with the same redactions, under any chunking', () => {
    fc.assert(fc.property(fc.array(spiced, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 4096 }), (plants, size) => {
      const text = plant(seed.text, plants);
      const whole = wholeFile(text);
      const stream = streamed(text, size);
      expect(stream.ok).toBe(whole.ok);
      if (!whole.ok || !stream.ok) return;
      expect(canonical(stream.graph)).toBe(canonical(whole.graph));
      expect(stream.redactions).toBe(whole.redactions);
      expect(leaks(canonical(stream.graph), corpus)).toEqual([]);
      expect(canonical(stream.graph)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }), { numRuns: 150 });
  });

  it('accepts and refuses the same damaged inputs as the whole-file path', () => {
    fc.assert(fc.property(damage, fc.integer({ min: 1, max: 512 }), (d, size) => {
      const [file] = damaged([seed], { ...d, file: 0 });
      const whole = wholeFile(file!.text);
      const stream = streamed(file!.text, size);
      expect(stream.ok, file!.text.slice(0, 300)).toBe(whole.ok);
      if (whole.ok && stream.ok) expect(canonical(stream.graph)).toBe(canonical(whole.graph));
    }), { numRuns: 150 });
  });

  it('is the path `blastmap import native` takes above the size threshold, with the same result and report', async () => {
    const dir = tempDir('blastmap-stream-');
    const text = plant(seed.text, corpus.slice(0, 5).map((s, i) => ({ at: i * 3, secret: s.value, field: i % 2 ? 'name' : 'id' })));
    writeFileSync(join(dir, 'big.ndjson'), text);
    const saved = process.env.BLASTMAP_NDJSON_STREAM_BYTES;
    process.env.BLASTMAP_NDJSON_STREAM_BYTES = '0';
    let streamedRun;
    try {
      streamedRun = await runCli(['import', 'native', join(dir, 'big.ndjson'), '--graph', join(dir, 'streamed.bmap'), '--format', 'json']);
    } finally {
      if (saved === undefined) delete process.env.BLASTMAP_NDJSON_STREAM_BYTES;
      else process.env.BLASTMAP_NDJSON_STREAM_BYTES = saved;
    }
    const wholeRun = await runCli(['import', 'native', join(dir, 'big.ndjson'), '--graph', join(dir, 'whole.bmap'), '--format', 'json']);
    expect(streamedRun.code, streamedRun.err).toBe(0);
    expect(wholeRun.code, wholeRun.err).toBe(0);
    expect(JSON.parse(streamedRun.out).redactions).toBe(JSON.parse(wholeRun.out).redactions);
    expect(JSON.parse(streamedRun.out).redactions).toBeGreaterThanOrEqual(5);
    expect(canonical(readSnapshotFile(join(dir, 'streamed.bmap')))).toBe(canonical(readSnapshotFile(join(dir, 'whole.bmap'))));
  });
});

describe('the progress bar of a streamed import', () => {
  it('is drawn on a terminal, and never in a pipe or a log', () => {
    const dir = tempDir('blastmap-progress-');
    // Enough lines for several chunks: the bar has something to advance through.
    const big = join(dir, 'big.ndjson');
    writeFileSync(big, `${Array.from({ length: 40 }, () => seed.text.trimEnd()).join('\n')}\n`);
    const env = { ...process.env, BLASTMAP_NDJSON_STREAM_BYTES: '0', NO_COLOR: '1' };
    const underPty = spawnSync('script', ['-qec', `node ${JSON.stringify(BIN)} import native ${JSON.stringify(big)} --graph ${JSON.stringify(join(dir, 'tty.bmap'))}`, '/dev/null'], { cwd: REPO, env, encoding: 'utf8', timeout: 120_000 });
    expect(underPty.status, underPty.stdout).toBe(0);
    expect(underPty.stdout).toMatch(/reading \S*big\.ndjson \[█+\] (\d+)\/\1/);
    expect(underPty.stdout).toMatch(/imported 1 file/);
    const piped = spawnCli(['import', 'native', big, '--graph', join(dir, 'pipe.bmap')], { env });
    expect(piped.code, piped.err).toBe(0);
    expect(piped.out + piped.err).not.toMatch(/reading \S*big\.ndjson|\[[█░]+\]/);
  }, 180_000);
});
