// What every SaaS log importer does with its input, whatever the platform: a secret in any field of any event (value
// or key) never reaches an Observation; malformed input fails with a typed issue naming the file, the JSON path and
// the line, and a failed import returns no observations; --lenient skips the bad event and keeps the rest; files
// are recognised by their content (any name) and by the names their origin gives them; JSON lines (NDJSON) read
// like a JSON page.
import { describe, expect, it } from 'vitest';
import { readRawFiles } from '../../../cli/commands/import.ts';
import { findSecret } from '../../../engine/secrets.ts';
import type { RawFile } from '../../../importers/common/records.ts';
import { lineOfPath } from '../../../importers/logs/log-files.ts';
import { MORE_LOG_IMPORTERS } from '../../../importers/logs/more.ts';
import type { LogImporter, LogImportResult } from '../../../importers/logs/types.ts';
import { FAKE_SLACK_BOT_TOKEN } from '../../helpers/fake-secrets.ts';

const FIXTURES = 'test/fixtures/logs';
/** A required field of each importer's first fixture record, to break. */
const BAD_FIELD: Record<string, string> = {
  'okta-system-log': 'published', 'entra-signin': 'createdDateTime', 'entra-audit': 'activityDateTime', 'google-reports': 'events',
  'github-audit': 'action', 'salesforce-events': 'EventDate', 'slack-audit': 'date_create',
};
const SECRET = 'ghp_EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLE12';
const SLACK_SECRET = FAKE_SLACK_BOT_TOKEN;
const fixture = (i: LogImporter): RawFile[] => readRawFiles([`${FIXTURES}/${i.source}`]);
const ok = (result: LogImportResult) => {
  if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.issues, null, 2)}`);
  return result;
};
const count = (i: LogImporter, files: readonly RawFile[], options = {}): number => ok(i.transform(files, options)).observations.length;

/** The first record of a parsed response: a bare array's first item, or the first item of its envelope list. */
function firstRecord(document: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(document)) return document[0] as Record<string, unknown>;
  if (document && typeof document === 'object') {
    for (const value of Object.values(document)) if (Array.isArray(value) && value.length > 0 && typeof value[0] === 'object') return value[0] as Record<string, unknown>;
  }
  return undefined;
}

/** Every string leaf of an object, as a path of keys and indexes. */
function stringLeaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringLeaves(item, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, [...path, key]));
  return [];
}

function setAt(root: Record<string, unknown>, path: readonly (string | number)[], value: string): void {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  (node as Record<string | number, unknown>)[path[path.length - 1]!] = value;
}

describe.each(MORE_LOG_IMPORTERS.map((i) => [i.source, i] as const))('%s', (_source, importer) => {
  const files = fixture(importer);
  const total = count(importer, files);

  it('keeps a secret out of every observation, whichever string field of an event holds it (and out of keys)', () => {
    let accepted = 0;
    for (const file of files.filter((f) => f.path.endsWith('.json'))) {
      const leaves = stringLeaves(firstRecord(JSON.parse(file.text)));
      for (const leaf of leaves) {
        for (const mode of ['append', 'replace'] as const) {
          const document = JSON.parse(file.text) as unknown;
          const record = firstRecord(document)!;
          let original: unknown = record;
          for (const key of leaf) original = (original as Record<string | number, unknown>)[key];
          setAt(record, leaf, mode === 'append' ? `${String(original)} ${SECRET}` : SLACK_SECRET);
          record[`note ${SECRET}`] = `see ${SLACK_SECRET}`;
          // The same document as a JSON page, and as JSON lines (the first record alone on its line).
          for (const changed of [{ path: file.path, text: JSON.stringify(document) }, { path: file.path.replace(/\.json$/, '.ndjson'), text: `${JSON.stringify(record)}\n` }]) {
            const result = importer.transform(files.map((f) => (f === file ? changed : f)), { lenient: true });
            if (!result.ok || result.observations.length === 0) continue;
            accepted++;
            const out = JSON.stringify(result.observations);
            expect(out, `${changed.path} ${leaf.join('.')}`).not.toContain(SECRET);
            expect(out, `${changed.path} ${leaf.join('.')}`).not.toContain(SLACK_SECRET);
            expect(findSecret(out), `${changed.path} ${leaf.join('.')}`).toBeUndefined();
          }
        }
      }
    }
    for (const file of files.filter((f) => f.path.endsWith('.csv'))) {
      const lines = file.text.split('\n');
      const cells = lines[1]!.split('","');
      cells.forEach((_, k) => {
        const changed = cells.map((cell, j) => (j === k ? `${cell.replace(/"$/, '')} ${SECRET}${cell.endsWith('"') ? '"' : ''}` : cell));
        const text = [lines[0], changed.join('","'), ...lines.slice(2)].join('\n');
        const result = importer.transform(files.map((f) => (f === file ? { path: f.path, text } : f)), { lenient: true });
        if (!result.ok) return;
        accepted++;
        expect(JSON.stringify(result.observations), `${file.path} cell ${k}`).not.toContain(SECRET);
      });
    }
    expect(accepted).toBeGreaterThan(10);
  });

  it('recognises its files by content under any name, and by the names their origin gives them', () => {
    const renamed = files.map((f, i) => ({ path: `page-${i}${f.path.endsWith('.csv') ? '.csv' : '.json'}`, text: f.text }));
    expect(renamed.some((f, i) => importer.files.some((role) => role.pattern.test(files[i]!.path.toLowerCase())))).toBe(true);
    expect(renamed.every((f) => !importer.files.some((role) => role.pattern.test(f.path)))).toBe(true);
    const result = ok(importer.transform(renamed, {}));
    expect(result.observations.length).toBe(total);
    expect(result.report.ignoredFiles).toEqual([]);
    for (const role of importer.files) expect(role.produce.length, role.role).toBeGreaterThan(20);
  });

  it("ignores another platform's log", () => {
    const other = MORE_LOG_IMPORTERS.find((i) => i.platform !== importer.platform && i.source !== importer.source)!;
    const foreign = fixture(other).filter((f) => f.path.endsWith('.json')).slice(0, 1).map((f) => ({ path: `unnamed-${f.path.split('/').pop()}`.replace(/\.json$/, '.data.json'), text: f.text }));
    const result = ok(importer.transform([...files, ...foreign], {}));
    expect(result.observations.length).toBe(total);
    expect(result.report.ignoredFiles).toEqual(foreign.map((f) => f.path));
  });

  it('reads JSON lines (one event per line) like a JSON page, each record at its line', () => {
    const file = files.find((f) => f.path.endsWith('.json'))!;
    const document = JSON.parse(file.text) as unknown;
    const records = Array.isArray(document) ? document : (Object.values(document as object).find((v) => Array.isArray(v) && v.length > 0) as unknown[]);
    const ndjson = { path: file.path.replace(/\.json$/, '.ndjson'), text: records.map((r) => JSON.stringify(r)).join('\n') + '\n' };
    const single = ok(importer.transform([file], {}));
    const lined = ok(importer.transform([ndjson], {}));
    expect(lined.observations).toEqual(single.observations);
  });

  it('fails on a malformed file with its name and the line of the syntax error, writing nothing', () => {
    const file = files.find((f) => f.path.endsWith('.json'))!;
    const lines = file.text.split('\n');
    const broken = { path: file.path, text: [...lines.slice(0, 3), '   ,,,', ...lines.slice(3)].join('\n') };
    const result = importer.transform([broken], {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ file: file.path, path: '$', line: 4 });
  });

  it('fails on a bad event with its file, JSON path and line; --lenient skips it and keeps the rest', () => {
    const file = files.find((f) => f.path.endsWith('.json'))!;
    const document = JSON.parse(file.text) as unknown;
    const record = firstRecord(document)!;
    const field = BAD_FIELD[importer.source]!;
    expect(record).toHaveProperty([field]);
    record[field] = { not: 'valid' };
    const text = JSON.stringify(document, null, 2);
    const bad = { path: file.path, text };
    const strict = importer.transform([bad], {});
    expect(strict.ok).toBe(false);
    if (strict.ok) return;
    const issue = strict.issues[0]!;
    expect(issue.file).toBe(file.path);
    expect(issue.path).toMatch(new RegExp(`\\[0\\]\\.${field.replace(/[.$]/g, '\\$&')}$|\\[0\\]\\["${field}"\\]$`));
    expect(issue.line).toBe(lineOfPath(text, issue.path.replace(/\.[^.[]+$/, '')));
    expect(issue.line).toBeGreaterThan(1);
    const lenient = ok(importer.transform([bad], { lenient: true }));
    expect(lenient.report.skipped.length).toBeGreaterThan(0);
    expect(lenient.observations.length).toBe(count(importer, [file]) - (importer.source === 'google-reports' ? firstRecordEvents(file) : 1));
  });
});

function firstRecordEvents(file: RawFile): number {
  const record = firstRecord(JSON.parse(file.text)) as { events?: unknown[] };
  return record.events?.length ?? 1;
}

describe('log lines', () => {
  it('places a bad NDJSON line and a bad CSV row by their line', () => {
    const okta = MORE_LOG_IMPORTERS.find((i) => i.source === 'okta-system-log')!;
    const event = JSON.stringify({ uuid: 'u1', published: '2024-01-01T00:00:00Z', eventType: 'user.session.start', actor: { id: '00u1', type: 'User' } });
    const result = okta.transform([{ path: 'logs.ndjson', text: `${event}\n\n${event.replace('"user.session.start"', '42')}\n{oops\n` }], {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => `${i.file} ${i.path} ${i.line}`).sort()).toEqual(['logs.ndjson $ 4', 'logs.ndjson $[1].eventType 3']);
    const lenient = ok(okta.transform([{ path: 'logs.ndjson', text: `${event}\n{oops\n` }], { lenient: true }));
    expect([lenient.observations.length, lenient.report.skipped[0]?.line]).toEqual([1, 2]);

    const salesforce = MORE_LOG_IMPORTERS.find((i) => i.source === 'salesforce-events')!;
    const csv = '"EVENT_TYPE","TIMESTAMP","USER_ID"\n"API","20250808191322.118","005x"\n"API","yesterday","005x"\n';
    const failed = salesforce.transform([{ path: 'API.csv', text: csv }], {});
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.issues[0]).toMatchObject({ file: 'API.csv', path: '$[1].TIMESTAMP', line: 3 });
  });

  it("places an importer's own problems (an event without a time, without an initiator) at the event's line", () => {
    const github = MORE_LOG_IMPORTERS.find((i) => i.source === 'github-audit')!;
    const events = [{ action: 'repo.create', actor: 'a', '@timestamp': 1 }, { action: 'repo.create', actor: 'b', '@timestamp': 2 }, { action: 'repo.create', actor: 'c' }];
    const text = JSON.stringify(events, null, 2);
    const result = github.transform([{ path: 'audit-log.json', text }], {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toEqual([expect.objectContaining({ file: 'audit-log.json', path: '$[2]["@timestamp"]', line: text.split('\n').findIndex((l) => l.includes('"c"')) - 1 /* the record's opening brace, 1-based */ })]);
    const lenient = ok(github.transform([{ path: 'audit-log.json', text }], { lenient: true }));
    expect([lenient.observations.length, lenient.report.skipped.length]).toEqual([2, 1]);

    const entra = MORE_LOG_IMPORTERS.find((i) => i.source === 'entra-audit')!;
    const audits = { value: [{ id: 'x', activityDisplayName: 'Add user', activityDateTime: '2024-01-01T00:00:00Z', initiatedBy: { user: null, app: null } }] };
    const failed = entra.transform([{ path: 'directoryAudits.json', text: JSON.stringify(audits, null, 1) }], {});
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.issues[0]).toMatchObject({ path: '$.value[0].initiatedBy', line: 3 });
  });

  it('finds the line of a JSON path', () => {
    const text = '{\n  "value": [\n    {"a": 1},\n    {\n      "b": [1, {"c": "x"}]\n    }\n  ]\n}';
    expect(lineOfPath(text, '$.value[1]')).toBe(4);
    expect(lineOfPath(text, '$.value[1].b[1].c')).toBe(5);
    expect(lineOfPath(text, '$.value[0]')).toBe(3);
    expect(lineOfPath(text, '$.missing')).toBe(1);
  });
});
