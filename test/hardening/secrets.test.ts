// Secret hygiene end to end: fake secrets of every common shape are planted in every field of native YAML, JSON and
// NDJSON and of OpenGraph (the platform importers' files: secrets-importers.test.ts); none may reach the graph, the
// snapshot, an export, a report, the CLI's output, an error or an API answer, and each import counts them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { parse as yamlParse, stringify as yamlStringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshotFile } from '../../cli/snapshot-file.ts';
import type { Fragment, GraphEdge, GraphNode } from '../../engine/format/native.ts';
import { findSecret, redactText } from '../../engine/secrets.ts';
import { toFragment } from '../../engine/store/compact.ts';
import type { RawFile } from '../../importers/common/records.ts';
import { runCli, tempDir } from '../helpers/cli.ts';
import { allTargets } from './inputs.ts';
import { applyMutations, type Mutation } from './mutate.ts';
import { leaks, secretCorpus } from './secret-corpus.ts';
import { sweepApi, sweepCli, writeStrictPolicy, type Output } from './sweep.ts';

/** A PEM private-key header, assembled so that no secret-shaped literal sits in the repository. */
const PEM_HEADER = ['-----BEGIN', 'PRIVATE', 'KEY-----'].join(' ');

const corpus = secretCorpus(11);

/** A native graph with every secret in every free-text position, in ids and in references to them. */
function plantedFragment(tenant: string): Fragment {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const id = (kind: string, name: string) => `corp:${tenant}:${kind}:${name}`;
  const source = id('app', 'source');
  const master = id('credential', 'master');
  nodes.push({ id: source, kind: 'App', name: 'Source app', platform: 'corp', tenant } as GraphNode);
  nodes.push({ id: master, kind: 'Credential', type: 'api-key', name: 'Master key', platform: 'corp', tenant } as GraphNode);
  edges.push({ kind: 'HOLDS', from: source, to: master });
  corpus.forEach((secret, i) => {
    const s = secret.value;
    const app = id('app', `a${i}`);
    const credential = id('credential', `key-${s}`);
    const resource = id('resource', `r${i}`);
    const owner = id('identity', `u${i}`);
    nodes.push({ id: app, kind: 'App', name: `App ${i} ${s}`, platform: 'corp', tenant, vendor: s, properties: { note: `see ${s}`, client_secret: s, list: ['x', s] } } as GraphNode);
    nodes.push({ id: credential, kind: 'Credential', type: 'api-key', name: `Key ${i}`, platform: 'corp', tenant, fingerprint: s, scopes: [s], properties: { password: s } } as GraphNode);
    nodes.push({ id: resource, kind: 'Resource', name: `Bucket ${i} ${s}`, platform: 'corp', tenant, resourceType: s, tags: i === 0 ? ['crown-jewel'] : ['pii'] } as GraphNode);
    nodes.push({ id: owner, kind: 'Identity', subtype: 'human', name: `Owner ${i}`, platform: 'corp', tenant, email: `${s} <owner${i}@corp.example>` } as GraphNode);
    edges.push({ kind: 'AUTHENTICATES_AS', from: master, to: app, reason: `shared with ${s}` });
    edges.push({ kind: 'HOLDS', from: app, to: credential, id: `holds-${s}`, properties: { token: s, note: s } });
    edges.push({ kind: 'CAN_READ', from: credential, to: resource, grant: credential, scopes: [s] });
    edges.push({ kind: 'OWNS', from: owner, to: app });
    // The parts an id is derived from (nativeId, tenant: lower-cased when the id is built), and property keys.
    const derived = { kind: 'Resource', nativeId: `native-${s}`, name: `Derived ${i}`, platform: 'corp', tenant: `${tenant}-${s}`, properties: { [`key ${s}`]: 'value', [s]: ['listed'] } };
    nodes.push(derived as unknown as GraphNode);
    edges.push({ kind: 'CAN_READ', from: app, to: resource, properties: { [`why ${s}`]: 'listed' } });
  });
  return { nodes, edges };
}

/** An OpenGraph payload carrying every secret in node ids, names, properties and edge properties. */
function plantedOpenGraph(): string {
  const nodes: object[] = [{ id: 'og-root', kinds: ['Okta_Application'], properties: { name: 'Root app', oktaDomain: 'og.example' } }];
  const edges: object[] = [];
  corpus.forEach((secret, i) => {
    const s = secret.value;
    nodes.push({ id: `og-user-${i}-${s}`, kinds: ['Okta_User'], properties: { name: `user ${i} ${s}`, displayName: s, description: s, client_secret: s, oktaDomain: 'og.example', extra: [s] } });
    nodes.push({ id: `og-thing-${i}`, kinds: ['Unmapped_Kind'], properties: { name: `thing ${s}`, note: s } });
    edges.push({ kind: 'Okta_AppAssignment', start: { value: 'og-root' }, end: { value: `og-user-${i}-${s}` }, properties: { reason: s, token: s } });
    edges.push({ kind: 'Some_Unmapped_Edge', start: { value: `og-user-${i}-${s}` }, end: { value: `og-thing-${i}` }, properties: { note: s } });
  });
  return JSON.stringify({ metadata: { source_kind: 'Okta' }, graph: { nodes, edges } });
}


function writeFiles(folder: string, files: readonly RawFile[], counted = true): void {
  for (const file of files) {
    if (counted) countPlacements(file.text);
    mkdirSync(dirname(join(folder, file.path)), { recursive: true });
    writeFileSync(join(folder, file.path), file.text);
  }
}

const work = tempDir('blastmap-secrets-');
const snapshot = join(work, 'graph.bmap');
const importOutputs: Output[] = [];
const redactionsBySource: Record<string, number> = {};

async function importInto(label: string, args: string[]): Promise<void> {
  const json = await runCli([...args, '--graph', snapshot, '--format', 'json']);
  expect(json.code, `${label}: ${json.err}`).toBe(0);
  redactionsBySource[label] = JSON.parse(json.out).redactions;
  importOutputs.push({ label: `import ${label} (json)`, text: json.out + json.err, medium: 'json' });
  const text = await runCli([...args, '--graph', snapshot]);
  expect(text.code, `${label}: ${text.err}`).toBe(0);
  importOutputs.push({ label: `import ${label} (text)`, text: text.out + text.err, medium: 'text' });
}

/** What the leak corpus measured: channels searched and leaks found, printed when the file is done. */
const measured = { channels: 0, leaks: 0 };
let placements = 0;

/** Each marker's occurrences in an input written for the test: one placement of one secret in one field. */
function countPlacements(text: string): void {
  for (const secret of corpus) placements += text.split(secret.marker).length - 1;
}

function expectNoLeak(outputs: readonly Output[]): void {
  const found = outputs.flatMap((output) => leaks(output.text, corpus).map((type) => `${output.label}: ${type}`));
  measured.channels += outputs.length;
  measured.leaks += found.length;
  expect(found).toEqual([]);
}

afterAll(() => {
  console.log(`secrets: ${corpus.length} shapes, ${placements} placements, ${measured.channels} channels searched, ${measured.leaks} leaks`);
});

beforeAll(async () => {
  const tenants = { yaml: 'y', json: 'j', ndjson: 'n' } as const;
  const write = (name: string, text: string) => { countPlacements(text); writeFileSync(join(work, name), text); };
  write('planted.yaml', yamlStringify(plantedFragment(tenants.yaml), { lineWidth: 0 }));
  write('planted.json', JSON.stringify(plantedFragment(tenants.json), null, 2));
  const ndjson = plantedFragment(tenants.ndjson);
  write('planted.ndjson', [...ndjson.nodes, ...ndjson.edges].map((r) => JSON.stringify(r)).join('\n') + '\n');
  for (const format of ['yaml', 'json', 'ndjson']) await importInto(`native ${format}`, ['import', 'native', join(work, `planted.${format}`)]);
  write('planted-opengraph.json', plantedOpenGraph());
  await importInto('opengraph', ['import', 'opengraph', join(work, 'planted-opengraph.json')]);
}, 600_000);

describe('the planted corpus', () => {
  it('is redacted quoted as JSON, once or twice, as an error message quotes a value it refuses', () => {
    // `unknown condition to enforce: "{\"client_secret\": \"…\"}"`: the escaped quotes hid the assignment.
    for (const secret of corpus) {
      const once = JSON.stringify(secret.value);
      for (const text of [once, JSON.stringify(once), `unknown condition to enforce: ${once}; known conditions: mfa`]) {
        expect(leaks(redactText(text).text, [secret]), text).toEqual([]);
      }
    }
  });

  it('is recognised by the scrubber, and redaction removes every marker', () => {
    for (const secret of corpus) {
      expect(findSecret(secret.value), secret.type).toBeDefined();
      expect(redactText(`before ${secret.value} after`).text, secret.type).not.toContain(secret.marker);
    }
  });
});

describe('the scrubber', () => {
  // Every import runs it over every text field: a pattern that backtracks over the rest of the text at each
  // start (as an unbounded URL scheme did over `a.a.a...`) turns a one-megabyte name into minutes.
  it.each(['+A', 'a.', 'a-', 'a://', 'ghp_a', 'xoxb-1', 'eyJ', 'aws key=', 'SSWS ', 'password=', '00D', PEM_HEADER, 'a:b@'])('scans 256 KB of %j in linear time', (unit) => {
    // Linear: tens of milliseconds. Quadratic (the regression this guards against): half a minute.
    const text = unit.repeat(Math.ceil((1 << 18) / unit.length));
    const started = performance.now();
    redactText(text);
    findSecret(text);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe('imports', () => {
  it('count the secret-shaped values they redacted, for every input format', () => {
    // Native: every secret in name, property, list, reason, edge property, vendor, resource type, scope and id positions.
    for (const format of ['yaml', 'json', 'ndjson']) expect(redactionsBySource[`native ${format}`], format).toBeGreaterThanOrEqual(corpus.length * 10);
    expect(redactionsBySource.opengraph).toBeGreaterThanOrEqual(corpus.length * 4);
  });

  it('say so in their text report', () => {
    for (const output of importOutputs.filter((o) => o.label.endsWith('(text)'))) expect(output.text, output.label).toMatch(/redacted \d+ secret-shaped value/);
  });

  it('never echo a secret in their output', () => {
    expectNoLeak(importOutputs);
  });

});

describe('no planted secret reaches', () => {
  it('the graph: names, ids, properties, scopes, reasons and every other field', () => {
    const graph = readSnapshotFile(snapshot);
    expect(graph.nodeCount).toBeGreaterThan(corpus.length * 8);
    expectNoLeak([{ label: 'graph', text: JSON.stringify(toFragment(graph)), medium: 'json' }]);
    // Ids lost the secret but not their identity: every credential of the native graphs is still its own node.
    const credentials = graph.nodes.filter((node) => node.id.startsWith('corp:y:credential:') && node.id !== 'corp:y:credential:master');
    expect(credentials).toHaveLength(corpus.length);
    expect(credentials.every((node) => node.id.includes('[REDACTED:'))).toBe(true);
  });

  it('the snapshot file, byte for byte', () => {
    const bytes = readFileSync(snapshot);
    expectNoLeak([
      { label: 'snapshot (utf8)', text: bytes.toString('utf8'), medium: 'export' },
      { label: 'snapshot (latin1)', text: bytes.toString('latin1'), medium: 'export' },
      { label: 'snapshot (utf16le)', text: Buffer.from(bytes.toString('utf8'), 'utf8').toString('utf16le'), medium: 'export' },
    ]);
    // Lower-cased, a secret is still a secret (a tenant folded into an id must have been scrubbed before).
    const lower = bytes.toString('utf8').toLowerCase();
    expect(corpus.filter((secret) => lower.includes(secret.marker.toLowerCase())).map((secret) => secret.type)).toEqual([]);
  });

  it('any report, export or message of any command, in any format', async () => {
    const policy = writeStrictPolicy(work);
    const proposal = join(work, 'proposal.yaml');
    const fragment = plantedFragment('proposal');
    // The proposal joins the graph: its credential reads a resource that is already there.
    fragment.edges.push({ kind: 'CAN_READ', from: fragment.nodes[1]!.id, to: 'corp:y:resource:r0' });
    writeFileSync(proposal, yamlStringify(fragment, { lineWidth: 0 }));
    const outputs = await sweepCli({ graph: snapshot, source: 'corp:y:app:source', target: 'corp:y:resource:r0', credential: 'corp:y:credential:master', proposal, policy, work });
    const byLabel = new Map(outputs.map((o) => [o.label, o]));
    // The sweep must have said something real, or finding nothing in it would prove nothing.
    expect(byLabel.get('radius text')!.text).toMatch(/Bucket 0 [^\n]*\[REDACTED:/);
    expect(byLabel.get('review sarif')!.text).toContain('"results"');
    expect(byLabel.get('export opengraph')!.text.length).toBeGreaterThan(10_000);
    expectNoLeak(outputs);
  }, 180_000);

  it('any answer of the web API', async () => {
    const graph = readSnapshotFile(snapshot);
    const outputs = await sweepApi(graph, { source: 'corp:y:app:source', target: 'corp:y:resource:r0', credential: 'corp:y:credential:master', queries: ['App', 'REDACTED', 'key-', ...corpus.map((s) => s.marker.slice(0, 6))] });
    expect(outputs.find((o) => o.label === 'POST /api/radius')!.text).toContain('[REDACTED:');
    expectNoLeak(outputs);
  }, 120_000);
});

describe('a secret where validation fails', () => {
  it('is not echoed in the error, whatever field it lands in', async () => {
    const targets = allTargets().filter((t) => t.cli !== undefined);
    const secretArb = fc.constantFrom(...corpus);
    let refused = 0;
    await fc.assert(fc.asyncProperty(fc.nat(), fc.array(fc.record({ at: fc.nat({ max: 1_000_000 }), secret: secretArb, asKey: fc.boolean() }), { minLength: 1, maxLength: 3 }), async (pick, plants) => {
      const target = targets[pick % targets.length]!;
      const files = target.seeds.map((f) => ({ ...f }));
      const structured = files.filter((f) => /\.(json|ndjson|ya?ml)$/.test(f.path));
      const file = structured[pick % structured.length]!;
      const mutations: Mutation[] = plants.map((p) => (p.asKey ? { op: 'kind', at: p.at, kind: p.secret.value } : { op: 'replace', at: p.at, value: p.secret.value }));
      const parse = file.path.endsWith('.ndjson') ? (t: string) => t.split('\n').filter(Boolean).map((l) => JSON.parse(l)) : file.path.endsWith('.json') ? JSON.parse : (t: string) => yamlParse(t) as unknown;
      const mutated = applyMutations(parse(file.text), mutations);
      file.text = file.path.endsWith('.ndjson') ? [mutated].flat().map((r) => JSON.stringify(r)).join('\n') : file.path.endsWith('.json') ? JSON.stringify(mutated) : yamlStringify(mutated);
      const folder = tempDir('blastmap-secret-error-');
      writeFiles(folder, files, false);
      const out = join(folder, 'out.bmap');
      const run = await runCli([...target.cli!(folder, false), '--graph', out]);
      if (run.code !== 0) refused++;
      expect(leaks(run.out + run.err, corpus), `${target.name}: ${run.err.slice(0, 500)}`).toEqual([]);
      if (run.code === 0) expect(leaks(readFileSync(out).toString('utf8'), corpus)).toEqual([]);
    }), { numRuns: 120 });
    expect(refused).toBeGreaterThan(10);
  }, 180_000);
});

describe('two secrets side by side', () => {
  it('are both redacted, whichever pattern could swallow the start of the other', () => {
    // Patterns applied one after the other let a token whose class allows `-` take the start of the next secret
    // (a Slack token took `-----BEGIN`, an Okta token the `00D` of a Salesforce session), which then leaked.
    for (const first of corpus) {
      for (const second of corpus) {
        // Separated by a character that is not part of a word: run together, two keys are one longer word.
        for (const between of ['-', ' ', '.', '\n', '/']) {
          // Glued to more characters by `-`, `.` or `/`, some shapes (gitleaks wants a delimiter after a vault or a
          // GCP token) are a longer word that is no longer theirs; those pairs say nothing about swallowing.
          if (!/\s/.test(between) && leaks(redactText(`${first.value}${between}${'z'.repeat(second.value.length)}`).text, [first]).length > 0) continue;
          const text = `${first.value}${between}${second.value}`;
          expect(leaks(redactText(text).text, [first, second]), JSON.stringify(text)).toEqual([]);
        }
      }
    }
  });
});
