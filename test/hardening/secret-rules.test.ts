// The detection data (gitleaks' rule set and blastmap's own rules) and the two measured corpora it answers for:
// every rule compiles and is prefiltered by its keywords; credential identifiers are kept and found; real,
// secret-free data (the demo's exports, the datasets, public collector outputs) loses nothing to redaction.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve, sep } from 'node:path';
import fc from 'fast-check';
import { parse as yamlParse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { mayBeSuspect, partMayBeSuspect, PREFILTERED } from '../../cli/ndjson-parallel-scan.ts';
import { suspect } from '../../cli/ndjson-stream.ts';
import { createApp } from '../../cli/server/app.ts';
import { loadDemoGraph } from '../../cli/commands/demo.ts';
import { looserDelimiter, re2ToJs, withoutLeadingContext } from '../../engine/secrets/re2.ts';
import gitleaks from '../../engine/secrets/gitleaks.json' with { type: 'json' };
import own from '../../engine/secrets/rules.json' with { type: 'json' };
import { countRedactionMarkers, findSecret, redactText, SECRET_KEYWORDS, SECRET_RULES, SECRET_RULESET } from '../../engine/secrets.ts';
import { toFragment } from '../../engine/store/compact.ts';
import { REPO, runCli } from '../helpers/cli.ts';
import { identifierCorpus, secretCorpus } from './secret-corpus.ts';

describe('the RE2 translation', () => {
  it('expands inline case-insensitivity into classes, scoped to its group', () => {
    const js = new RegExp(`^${re2ToJs('(?i)ab[c-d]x(?-i:Y)')}$`);
    for (const text of ['abcxY', 'ABDXY', 'aBcXY']) expect(js.test(text), text).toBe(true);
    expect(js.test('abcxy')).toBe(false);
    const scoped = new RegExp(`^${re2ToJs('(p8e-(?i)[a-z]{2})Z')}$`);
    expect(scoped.test('p8e-AbZ')).toBe(true);
    expect(scoped.test('P8E-abZ')).toBe(false);
    expect(scoped.test('p8e-abz')).toBe(false);
  });

  it('translates POSIX classes, named groups, \\z and (?s:)', () => {
    expect(new RegExp(re2ToJs('^[[:alnum:]]{3}\\z')).test('a1B')).toBe(true);
    expect(new RegExp(re2ToJs('^[[:alnum:]]{3}\\z')).test('a1B\n')).toBe(false);
    expect(new RegExp(re2ToJs('(?P<word>x+)')).exec('xx')!.groups!.word).toBe('xx');
    expect(new RegExp(re2ToJs('a(?s:.)b')).test('a\nb')).toBe(true);
  });

  it('drops the left context of vendor rules and loosens their closing delimiter, finding the same secrets and more', () => {
    const vendor = re2ToJs(String.raw`(?i)[\w.-]{0,50}?(?:acme)(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|:)[\x60'"\s=]{0,5}([a-z0-9]{8})(?:[\x60'"\s;]|\\[nr]|$)`);
    const rewritten = looserDelimiter(withoutLeadingContext(vendor));
    expect(rewritten.startsWith('(?:[aA][cC][mM][eE])')).toBe(true);
    const secretOf = (source: string, text: string) => new RegExp(source).exec(text)?.[1];
    for (const text of ['my_acme_key = "k3y9x2z1"', 'ACME: k3y9x2z1;']) expect(secretOf(rewritten, text), text).toBe(secretOf(vendor, text));
    expect(secretOf(vendor, 'acme=k3y9x2z1-rest')).toBeUndefined();
    expect(secretOf(rewritten, 'acme=k3y9x2z1-rest')).toBe('k3y9x2z1');
  });

  it('refuses what it cannot translate instead of changing its meaning', () => {
    expect(() => re2ToJs('\\pL')).toThrow(/unsupported/);
    expect(() => re2ToJs('(?U)a')).toThrow(/unsupported/);
  });
});

describe('the rule set', () => {
  it(`is gitleaks ${SECRET_RULESET.gitleaksVersion} with blastmap's rules, every regex compiling`, () => {
    expect(gitleaks.rules.length).toBeGreaterThan(200);
    for (const rule of gitleaks.rules) expect(() => new RegExp(rule.regex), rule.id).not.toThrow();
    for (const rule of own.rules) expect(() => new RegExp(rule.regex, rule.flags), rule.id).not.toThrow();
    // Every gitleaks rule is active except the ones blastmap's data names, each with its reason.
    const off = [...Object.keys(own.disabledGitleaksRules), ...own.identifierRules.ids];
    for (const id of off) expect(gitleaks.rules.some((rule) => rule.id === id), id).toBe(true);
    expect(SECRET_RULES).toHaveLength(own.rules.length + gitleaks.rules.length - off.length);
  });

  it('gives every rule keywords that the NDJSON byte prefilter can look for', () => {
    expect(PREFILTERED).toBe(true);
    for (const rule of SECRET_RULES) {
      expect(rule.keywords.length, rule.name).toBeGreaterThan(0);
      // No keyword holds a quote: in a plain edge line a keyword lies inside one part (partMayBeSuspect).
      for (const keyword of rule.keywords) expect(keyword, rule.name).toMatch(/^[\x20-\x21\x23-\x7e]+$/);
    }
    for (const glue of ['{"kind":"', '","from":"', '","to":"', '"}']) expect(partMayBeSuspect(glue), glue).toBe(false);
  });

  // A test per rule: its literals are what the prefilters look for (a rule runs only on text holding one, as in
  // gitleaks), so each must be found in any case, anywhere in a line, by the byte scanner of big NDJSON imports, and
  // each secret of the corpus that the rule finds is found again when only that rule's keyword gate is open.
  it.each(SECRET_RULES.map((rule) => [rule.name, rule] as const))('%s: its keywords open the prefilters', (_name, rule) => {
    for (const keyword of rule.keywords) {
      for (const variant of [keyword, keyword.toUpperCase()]) {
        const line = Buffer.from(JSON.stringify({ kind: 'App', name: `x${variant}y` }), 'latin1');
        expect(mayBeSuspect(line, 0, line.length), variant).toBe(true);
        expect(partMayBeSuspect(`id-${variant}`), variant).toBe(true);
      }
    }
    for (const secret of secretCorpus(3)) {
      rule.pattern.lastIndex = 0;
      if (!rule.pattern.test(secret.value) || !rule.keywords.some((keyword) => secret.value.toLowerCase().includes(keyword))) continue;
      expect(findSecret(secret.value), secret.type).toBeDefined();
    }
  });

  it('the byte prefilter never says "clean" about a line the real test calls suspect', () => {
    const corpus = secretCorpus(5);
    fc.assert(fc.property(fc.constantFrom(...corpus), fc.string(), fc.string(), fc.boolean(), (secret, before, after, upper) => {
      const value = upper ? secret.value.toUpperCase() : secret.value;
      const line = JSON.stringify({ kind: 'App', name: `${before}${value}${after}` });
      const bytes = Buffer.from(line, 'latin1');
      if (suspect(bytes.toString('latin1'))) expect(mayBeSuspect(bytes, 0, bytes.length)).toBe(true);
      // What scrubbing would change, the line test sees.
      if (findSecret(`${before}${value}${after}`) !== undefined) expect(suspect(line)).toBe(true);
    }), { numRuns: 400 });
  });

  it(`keeps its prefilter literals beside the patterns: ${SECRET_KEYWORDS.length} keywords`, () => {
    expect(SECRET_KEYWORDS.length).toBeGreaterThan(100);
  });
});

describe('secrets wrapped in base64', () => {
  const base64 = (text: string, url = false) => Buffer.from(text, 'utf8').toString(url ? 'base64url' : 'base64');
  const token = ['gh', 'p_', 'Q7rT2xLm9KpZ4vW8nB3cY6dF1gH5jS0aE2uI'].join('');

  it('are decoded and tested with every rule, whatever surrounds them, and the whole run is redacted', () => {
    const cases: [string, string][] = [
      [`Authorization: Basic ${base64('svc-export:Xy7pq2Lm9')}`, 'base64-basic-credential'],
      [base64(token), 'base64-github-token'],
      [`ref/${base64(token, true)}`, 'base64-github-token'],
      [JSON.stringify({ data: { '.dockerconfigjson': base64(JSON.stringify({ auths: { 'ghcr.io': { auth: base64(`ci:${token}`) } } })) } }), 'base64-base64-github-token'],
      [`${['xo', 'xe-1-'].join('')}1dTmopYrcZa7SnEnHnNytM7ZWNA2If12J4YiVVFB/${base64(token)}`, 'base64-github-token'],
      [`id-${base64(['pass', 'word: hunter2x'].join(''))}-2`, 'base64-assignment'],
    ];
    for (const [text, rule] of cases) {
      const { text: redacted, found } = redactText(text);
      expect(found, text).toContain(rule);
      expect(redacted, text).not.toContain(base64(token).slice(4, 40));
    }
  });

  it('leave real base64 alone: hashes, ids, certificates, encoded prose, and `Basic` before a word', () => {
    const kept = [
      'Basic information about the account',
      `sha256:${base64(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => (i * 37 + 11) % 256)))}`,
      'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1u2kLw9YqT3vX0bZ8mN4pR7sW6yC5dE8gH0jK3lL2oP1qAB',
      base64('This workflow deploys the site when a tag is pushed.'),
      `Basic ${base64('not a credential')}`,
      'internationalization-and-localization',
    ];
    for (const text of kept) expect(redactText(text).found, text).toEqual([]);
  });

  it('open the NDJSON byte prefilter, which has no keyword to find in them', () => {
    for (const text of [base64(token), `Basic ${base64('svc:pw12345')}`]) {
      const line = Buffer.from(JSON.stringify({ kind: 'App', name: text }), 'latin1');
      expect(findSecret(text), text).toBeDefined();
      expect(mayBeSuspect(line, 0, line.length), text).toBe(true);
    }
  });
});

describe('credential identifiers', () => {
  it('are never redacted: an access key id, a fingerprint, a hint', () => {
    for (const { type, value } of identifierCorpus()) {
      expect(findSecret(value), type).toBeUndefined();
      expect(redactText(`key ${value} was seen`).text, type).toBe(`key ${value} was seen`);
    }
  });

  it('find the key on the demo: radius <AWS access key id>', async () => {
    const keyId = identifierCorpus()[0]!.value;
    const run = await runCli(['radius', keyId, '--graph', join(REPO, 'datasets/demo')]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^BLAST RADIUS: Access key of svc-data-export \(AKIA…7Q2X\)/);
  }, 120_000);
});

describe('echoes', () => {
  it('the search API answers a secret query without sending the secret back', async () => {
    const app = createApp({ graph: loadDemoGraph() });
    for (const secret of secretCorpus(7).slice(0, 20)) {
      const answer = await (await app.request(`/api/search?q=${encodeURIComponent(secret.value)}`)).text();
      expect(answer, secret.type).not.toContain(secret.marker);
    }
    const keyId = identifierCorpus()[0]!.value;
    const found = JSON.parse(await (await app.request(`/api/search?q=${keyId}`)).text()) as { results: { name: string }[] };
    expect(found.results[0]!.name).toBe('Access key of svc-data-export (AKIA…7Q2X)');
  }, 120_000);

  it('argument errors do not quote a secret given as an option value', async () => {
    const secret = secretCorpus(8)[1]!;
    const run = await runCli(['radius', 'x', '--format', secret.value, '--graph', join(REPO, 'datasets/demo')]);
    expect(run.code).not.toBe(0);
    expect(run.out + run.err).not.toContain(secret.marker);
  }, 60_000);
});

/** Every file under `root`. */
function filesUnder(root: string): string[] {
  if (!statSync(root).isDirectory()) return [root];
  return readdirSync(root).sort().flatMap((name) => filesUnder(join(root, name)));
}

/** Every string (keys and values) of the structured files under `root`. */
function stringsUnder(root: string, out: { file: string; text: string }[] = []): { file: string; text: string }[] {
  if (statSync(root).isDirectory()) {
    for (const name of readdirSync(root).sort()) stringsUnder(join(root, name), out);
    return out;
  }
  const text = readFileSync(root, 'utf8');
  const visit = (value: unknown): void => {
    if (typeof value === 'string') out.push({ file: root, text: value });
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) { visit(key); visit(item); }
  };
  if (root.endsWith('.json')) visit(JSON.parse(text));
  else if (root.endsWith('.ndjson')) text.split('\n').filter((line) => line.trim() !== '').forEach((line) => visit(JSON.parse(line)));
  else if (/\.ya?ml$/.test(root)) visit(yamlParse(text));
  else if (root.endsWith('.csv')) text.split('\n').forEach((line) => line.split(',').forEach(visit));
  else visit(text);
  return out;
}

describe('the precision corpus', () => {
  // Public collector outputs and documented API samples (../shared/corpus, secrets masked at the source): GitHound's
  // run carries workflow files (`check-secret:\n    runs-on: …`, `id-token: write`), AWS policy documents, Okta,
  // Google and Slack API answers. The datasets: every demo export (each importer's, n8n's included), the demo a week
  // later, the examples, incidents, policies and proposals.
  const roots = { datasets: join(REPO, 'datasets'), 'shared corpus': resolve(REPO, '../shared/corpus') };

  it('real, secret-free data loses nothing to redaction: the demo exports, the datasets, public collector outputs', () => {
    const counts: string[] = [];
    const strings: { file: string; text: string }[] = [];
    for (const [name, root] of Object.entries(roots)) {
      const files = filesUnder(root);
      const read = stringsUnder(root);
      // File and folder names are input too (importers take ids from them): every relative path and each of its parts.
      const paths = files.flatMap((file) => { const path = relative(root, file); return [path, ...path.split(sep)].map((text) => ({ file, text })); });
      counts.push(`${name}: ${read.length} strings in ${files.length} files, ${paths.length} path names`);
      for (const item of [read, paths].flat()) strings.push(item);
    }
    // Every demo export is in: one folder per importer the demo uses, n8n's included.
    const exports = join(roots.datasets, 'demo/exports');
    const sources = readdirSync(exports).filter((name) => statSync(join(exports, name)).isDirectory());
    expect(sources).toContain('n8n');
    for (const source of sources) expect(strings.filter((s) => s.file.startsWith(join(exports, source) + sep)).length, source).toBeGreaterThan(20);
    const redacted = strings.filter(({ text }) => redactText(text).found.length > 0).map(({ file, text }) => `${file}: ${redactText(text).found.join(', ')} in ${JSON.stringify(text.slice(0, 120))}`);
    console.log(`precision: ${strings.length} strings, ${redacted.length} redactions (${counts.join('; ')}; demo exports of ${sources.join(', ')})`);
    expect(strings.length).toBeGreaterThan(100_000);
    expect(redacted).toEqual([]);
  }, 120_000);

  it('the demo, imported from its exports by every importer it uses, holds no redaction marker', async () => {
    // End to end through the importers (file names, JSON, CSV, YAML, ids built from parts), not string by string.
    const graph = JSON.stringify(toFragment(loadDemoGraph()));
    expect(graph.length).toBeGreaterThan(100_000);
    expect(countRedactionMarkers(graph)).toBe(0);
    const exports = join(roots.datasets, 'demo/exports');
    const work = mkdtempSync(join(tmpdir(), 'blastmap-precision-'));
    let imports = 0;
    for (const source of readdirSync(exports).filter((name) => statSync(join(exports, name)).isDirectory())) {
      // A folder of folders holds one export each (AWS: one per account).
      const entries = readdirSync(join(exports, source)).map((name) => join(exports, source, name));
      const folders = entries.every((entry) => statSync(entry).isDirectory()) ? entries : [join(exports, source)];
      for (const folder of folders) {
        // An n8n instance is named by its folder, as the workspace names it.
        const tenant = folder === join(exports, source) || source !== 'n8n' ? [] : ['--tenant', basename(folder)];
        const run = await runCli(['import', source, folder, ...tenant, '--graph', join(work, `${imports++}.bmap`), '--format', 'json']);
        expect(run.code, `${folder}: ${run.err}`).toBe(0);
        expect(JSON.parse(run.out).redactions, folder).toBe(0);
      }
    }
    expect(imports).toBeGreaterThan(8);
  }, 120_000);

  it('real data wrapped in base64 (file contents as the GitHub API returns them, encoded ids and documents) stays whole', () => {
    // Base64 is decoded and tested, so every string of the corpus, encoded, must be as clean as it was. Short strings
    // encode to runs too short to be decoded; the rest are decoded in full or at another alignment inside a longer text.
    const strings = Object.values(roots).flatMap((root) => stringsUnder(root)).filter(({ text }) => text.length >= 12);
    const wrappings = [(encoded: string) => encoded, (encoded: string) => `content: ${encoded.replace(/=+$/, '')}`, (encoded: string) => `Authorization: Bearer ${encoded}`];
    const redacted: string[] = [];
    strings.forEach(({ file, text }, i) => {
      const wrapped = wrappings[i % wrappings.length]!(Buffer.from(text, 'utf8').toString(i % 2 === 0 ? 'base64' : 'base64url'));
      const found = redactText(wrapped).found;
      if (found.length > 0) redacted.push(`${file}: ${found.join(', ')} in base64 of ${JSON.stringify(text.slice(0, 120))}`);
    });
    console.log(`precision (base64-encoded): ${strings.length} strings, ${redacted.length} redactions`);
    expect(strings.length).toBeGreaterThan(40_000);
    expect(redacted).toEqual([]);
  }, 120_000);
});
