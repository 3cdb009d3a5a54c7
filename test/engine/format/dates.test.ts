// Impossible dates are input errors naming the field (issue #20, item 5): 2024-02-30 is never stored as March 1,
// on every path a date enters by (native YAML, JSON, NDJSON whole and streamed, platform exports, --at, the API).
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { streamNdjsonChunks } from '../../../cli/ndjson-stream.ts';
import { BlastmapError } from '../../../engine/errors.ts';
import { calendarInstant, isCalendarDate } from '../../../engine/format/dates.ts';
import { parseNative } from '../../../importers/native/index.ts';
import { REPO, runCli, tempDir } from '../../helpers/cli.ts';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Oracle: a date is real when building it from its fields and reading them back gives the same fields. */
function realByRoundTrip(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
  date.setUTCFullYear(y);
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s;
}

describe('calendar dates', () => {
  it('agree with a round trip through the calendar for every field in and out of range', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }),
      (y, mo, d, h, mi, s) => {
        const text = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}Z`;
        const real = realByRoundTrip(y, mo, d, h, mi, s);
        expect(isCalendarDate(text), text).toBe(real);
        if (real) expect(calendarInstant(text)).toBe(Date.parse(text));
        else expect(calendarInstant(text)).toBeNaN();
      },
    ), { numRuns: 2000 });
  });

  it.each(['2024-02-30', '2023-02-29', '2024-04-31T00:00:00Z', '2024-01-01T24:00:00Z', '2024-00-10'])('%s is not a date', (text) => {
    expect(calendarInstant(text)).toBeNaN();
  });

  it.each(['2024-02-29', '2000-02-29T23:59:59.999Z', '2024-12-31 10:00'])('%s is a date', (text) => {
    expect(calendarInstant(text)).toBe(Date.parse(text));
  });
});

const node = (expiresAt: string) => ({ id: 'x:t:credential:k', kind: 'Credential', type: 'api-key', name: 'k', platform: 'x', tenant: 't', expiresAt });

describe('an impossible expiresAt in native input', () => {
  it.each([
    ['graph.yaml', `nodes:\n  - { id: "x:t:credential:k", kind: Credential, type: api-key, name: k, platform: x, tenant: t, expiresAt: "2024-02-30" }\nedges: []\n`, '$.nodes[0].expiresAt', 2],
    ['graph.json', JSON.stringify({ nodes: [node('2024-02-30')], edges: [] }, null, 1), '$.nodes[0].expiresAt', undefined],
    // NDJSON paths are within the record, the line says which.
    ['graph.ndjson', `${JSON.stringify(node('2024-02-30'))}\n`, '$.expiresAt', 1],
  ])('%s is refused naming the field and line', (file, text, path, line) => {
    const result = parseNative(text, { file });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ file, path, expected: 'a real calendar date', ...(line === undefined ? {} : { line }) });
  });

  it('is refused by the streamed NDJSON reader of big files', () => {
    const bytes = new TextEncoder().encode(`${JSON.stringify(node('2024-02-30T10:00:00Z'))}\n`);
    let caught: unknown;
    try { streamNdjsonChunks([bytes], { file: 'big.ndjson' }); } catch (error) { caught = error; }
    expect(caught).toBeInstanceOf(BlastmapError);
    expect((caught as BlastmapError).issues[0]).toMatchObject({ file: 'big.ndjson', path: '$.expiresAt', line: 1, expected: 'a real calendar date' });
  });

  it('fails the CLI import with exit 3 and writes nothing', async () => {
    const dir = tempDir('blastmap-dates-');
    writeFileSync(join(dir, 'graph.yaml'), `nodes:\n  - { id: "x:t:credential:k", kind: Credential, type: api-key, name: k, platform: x, tenant: t, expiresAt: 2024-02-30 }\nedges: []\n`);
    const run = await runCli(['import', 'native', join(dir, 'graph.yaml'), '--graph', join(dir, 'g.bmap')]);
    expect(run.code).toBe(3);
    expect(run.err).toMatch(/graph\.yaml \$\.nodes\[0\]\.expiresAt \(line 2\): expected a real calendar date/);
  });
});

describe('impossible dates elsewhere', () => {
  it('a platform export (GitHub) refuses created_at: 2024-02-30', async () => {
    const { IMPORTERS } = await import('../../../importers/registry.ts');
    const { importExport } = await import('../../../importers/index.ts');
    const { readRawFiles } = await import('../../../cli/commands/import.ts');
    const github = IMPORTERS.find((i) => i.source === 'github')!;
    const files = readRawFiles([join(import.meta.dirname, '../../fixtures/github')]);
    const withBadDate = files.map((f) => ({ ...f, text: f.text.replace(/"(created_at|updated_at)": "\d{4}-\d{2}-\d{2}/, '"$1": "2024-02-30') }));
    expect(withBadDate.some((f, i) => f.text !== files[i]!.text)).toBe(true);
    let caught: unknown;
    try { importExport(github, withBadDate, {}); } catch (error) { caught = error; }
    expect(caught).toBeInstanceOf(BlastmapError);
    expect((caught as BlastmapError).issues.some((issue) => /(created|updated)_at$/.test(issue.path) && /real calendar day/.test(issue.expected ?? ''))).toBe(true);
  });

  it('--at 2024-02-30 is an option error (exit 2), not March 1', async () => {
    const run = await runCli(['radius', 'Drift', '--graph', 'datasets/demo', '--at', '2024-02-30']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('--at 2024-02-30: expected an ISO-8601 date on a real calendar day');
  });

  it('--at and respond --since take ISO-8601 only: "Feb 30 2024" is refused, not read as March 1', async () => {
    for (const args of [['radius', 'Drift', '--at', 'Feb 30 2024'], ['respond', 'Drift', '--since', 'Feb 30 2024'], ['respond', 'Drift', '--since', '2024-02-30']]) {
      const run = await runCli([...args, '--graph', 'datasets/demo']);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.err).toContain('expected an ISO-8601 date on a real calendar day');
    }
  });

  it('--graph <snapshot>@2024-02-30 (a kept state by date) is refused, not read as March 1', async () => {
    const dir = tempDir('blastmap-dates-history-');
    const snapshot = join(dir, 'g.bmap');
    expect((await runCli(['import', 'native', join(REPO, 'datasets/examples/scoped-delegation.yaml'), '--graph', snapshot])).code).toBe(0);
    const run = await runCli(['rank', '--graph', `${snapshot}@2024-02-30`]);
    expect(run.code).toBe(2);
    expect(run.err).toContain('2024-02-30 is not a date');
  });
});

describe('impossible dates in platform exports and OpenGraph payloads', () => {
  it('an OpenGraph collector\'s date property is refused naming the property (it was dropped)', async () => {
    const dir = tempDir('blastmap-dates-og-');
    const text = readFileSync(join(REPO, 'test/fixtures/opengraph/okta.json'), 'utf8');
    const bad = text.replace('"expiresAt": "2027-01-01T00:00:00.000Z"', '"expiresAt": "2027-02-30T00:00:00.000Z"');
    expect(bad).not.toBe(text);
    writeFileSync(join(dir, 'okta.json'), bad);
    const index = (JSON.parse(bad) as { graph: { nodes: { properties: Record<string, unknown> }[] } }).graph.nodes.findIndex((node) => node.properties.expiresAt === '2027-02-30T00:00:00.000Z');
    const run = await runCli(['import', 'opengraph', join(dir, 'okta.json'), '--graph', join(dir, 'g.bmap')]);
    expect(run.code, run.err).toBe(3);
    expect(run.err).toContain(`$.graph.nodes[${index}].properties.expiresAt: expected a real calendar date, found "2027-02-30T00:00:00.000Z"`);
    // With --lenient the node is skipped and reported, never kept with the date dropped.
    const lenient = await runCli(['import', 'opengraph', join(dir, 'okta.json'), '--graph', join(dir, 'g.bmap'), '--lenient', '-f', 'json']);
    expect(lenient.code, lenient.err).toBe(0);
    expect(lenient.out).not.toContain('jane automation token');
  });

  it('a node in blastmap\'s own OpenGraph properties is refused on an impossible date too', async () => {
    const dir = tempDir('blastmap-dates-og-own-');
    writeFileSync(join(dir, 'graph.yaml'), `nodes:\n  - { id: "x:t:credential:k", kind: Credential, type: api-key, name: k, platform: x, tenant: t, expiresAt: "2027-01-01T00:00:00.000Z" }\nedges: []\n`);
    const exported = await runCli(['export', 'opengraph', '--graph', join(dir, 'graph.yaml')]);
    expect(exported.code, exported.err).toBe(0);
    expect(exported.out).toContain('2027-01-01T00:00:00.000Z');
    writeFileSync(join(dir, 'own.json'), exported.out.replace('2027-01-01T00:00:00.000Z', '2027-02-30T00:00:00.000Z'));
    const run = await runCli(['import', 'opengraph', join(dir, 'own.json'), '--graph', join(dir, 'g.bmap')]);
    expect(run.code, run.err).toBe(3);
    expect(run.err).toMatch(/expiresAt.*real calendar/);
  });

  it('an AWS credential report date cell is refused naming the column and line (it was dropped)', async () => {
    const dir = tempDir('blastmap-dates-aws-');
    cpSync(join(REPO, 'test/fixtures/aws/corvid-prod'), join(dir, 'aws'), { recursive: true });
    const report = join(dir, 'aws/credential-report.csv');
    const text = readFileSync(report, 'utf8');
    const bad = text.replace('2026-10-29T08:12:00+00:00,2026-05-01T08:00:00+00:00', '2026-10-29T08:12:00+00:00,2026-02-30T08:00:00+00:00');
    expect(bad).not.toBe(text);
    writeFileSync(report, bad);
    const run = await runCli(['import', 'aws', join(dir, 'aws'), '--graph', join(dir, 'g.bmap')]);
    expect(run.code, run.err).toBe(3);
    expect(run.err).toMatch(/credential-report\.csv \$\[1\]\.password_last_changed \(line 3\): expected an ISO-8601 date-time on a real calendar day, or N\/A/);
  });
});

describe('the instant of an analysis in the library and the HTTP API', () => {
  it('is ISO-8601 on a real calendar day: "Feb 30 2024" and 2024-02-30 are refused, not read as March 1', async () => {
    const { toInstant } = await import('../../../engine/analysis/reach.ts');
    const { analysisOptionsSchema } = await import('../../../engine/api/schemas.ts');
    for (const at of ['Feb 30 2024', '2024-02-30', 'yesterday']) {
      expect(() => toInstant(at), at).toThrow(BlastmapError);
      expect(analysisOptionsSchema.safeParse({ at }).success, at).toBe(false);
    }
    expect(toInstant('2024-02-29')).toBe(Date.parse('2024-02-29'));
    expect(analysisOptionsSchema.safeParse({ at: '2024-02-29T12:00:00Z' }).success).toBe(true);
  });
});
