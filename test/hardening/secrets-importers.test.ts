// The leak corpus on the platform importers, planted systematically: for every registered importer, every fixture
// export it has (each folder under test/fixtures/<source> that imports on its own), a secret goes into every string
// leaf and every object key of every record of its JSON, NDJSON and YAML files, every CSV cell, and every folder and
// file name, found by walking the parsed files. The shapes rotate across the leaves from round to round (every leaf
// gets one shape per round, and rounds go on until every shape has landed in every importer); all plantings of a
// round are imported together, and each round's graph is searched once on every channel: the import reports, the
// importers' refusals, the snapshot's bytes, every export, every report of every command in every format, stderr,
// and every answer of the web API.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify as yamlStringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSnapshotFile } from '../../cli/snapshot-file.ts';
import { BlastmapError } from '../../engine/errors.ts';
import { toFragment } from '../../engine/store/compact.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import type { RawFile } from '../../importers/common/records.ts';
import { importExport } from '../../importers/index.ts';
import { IMPORTERS } from '../../importers/registry.ts';
import { runCli, tempDir } from '../helpers/cli.ts';
import { fieldId, fieldsOf, fitsName, nameFieldsOf, plantFields, settle, type Field, type Mode } from './importer-plant.ts';
import { importerFixtureSets } from './inputs.ts';
import { leaks, secretCorpus, type PlantedSecret } from './secret-corpus.ts';
import { sweepApi, sweepCli, writeStrictPolicy, type Output } from './sweep.ts';

const corpus = secretCorpus(13);
/** The shapes a folder or file name can hold (no `/`, no line break, short enough). */
const nameShapes = corpus.filter(fitsName);
/** At least two rounds (every leaf sees two shapes), at most six. */
const MIN_ROUNDS = 2;
const MAX_ROUNDS = 6;

interface FixtureSet {
  source: string;
  folder: string;
  files: RawFile[];
  fields: Field[];
  names: Field[];
  /** Each distinct original text (a value, a key) by first appearance, and each distinct name: the rotation's index. */
  texts: Map<string, number>;
  nameTexts: Map<string, number>;
}

interface Tally {
  exports: number;
  fields: number;
  names: number;
  /** Leaf plantings (one shape in one field in one round) the importer accepted, and names likewise. */
  carried: number;
  namesCarried: number;
  /** Fields whose secret no round got past the importer: only its refusals saw them. */
  neverCarried: Set<string>;
  refusals: number;
  shapes: Set<string>;
  nameShapes: Set<string>;
}

const work = tempDir('blastmap-secrets-importers-');
const tallies: Record<string, Tally> = {};
const measured = { rounds: 0, placements: 0, channels: 0, leaks: [] as string[], byChannel: {} as Record<string, number> };
/** The leaks found per kind of channel (each must be empty) and how many outputs of that kind were searched. */
const found: Record<string, string[]> = { imports: [], refusals: [], graph: [], snapshot: [], cli: [], api: [] };

function search(channel: keyof typeof found, outputs: readonly Output[]): void {
  for (const output of outputs) for (const type of leaks(output.text, corpus)) found[channel]!.push(`round ${measured.rounds}: ${output.label}: ${type}`);
  measured.channels += outputs.length;
  measured.byChannel[channel] = (measured.byChannel[channel] ?? 0) + outputs.length;
}

function countPlacements(files: readonly RawFile[]): void {
  for (const file of files) for (const secret of corpus) measured.placements += `${file.path}\n${file.text}`.split(secret.marker).length - 1;
}

function writeFiles(folder: string, files: readonly RawFile[]): void {
  for (const file of files) {
    mkdirSync(dirname(join(folder, file.path)), { recursive: true });
    writeFileSync(join(folder, file.path), file.text);
  }
}

/** Numbers each distinct text in the order the planter meets it, with every field planted. */
function indexTexts(files: readonly RawFile[], fields: readonly Field[], names: readonly Field[]): { texts: Map<string, number>; nameTexts: Map<string, number> } {
  const texts = new Map<string, number>();
  const nameTexts = new Map<string, number>();
  const counter = (map: Map<string, number>) => (text: string): PlantedSecret => {
    if (!map.has(text)) map.set(text, map.size);
    return corpus[0]!;
  };
  const everywhere = new Map<string, Mode>([...fields, ...names].map((field) => [fieldId(field), 'plant']));
  plantFields(files, everywhere, counter(texts), counter(nameTexts));
  return { texts, nameTexts };
}

/** Round r's shape for a text: consecutive texts get consecutive shapes, and each round starts where the last ended. */
function rotation(index: Map<string, number>, shapes: readonly PlantedSecret[], round: number, seen?: Set<string>): (text: string) => PlantedSecret {
  return (text) => {
    const secret = shapes[(index.get(text)! + round * (index.size + 1)) % shapes.length]!;
    seen?.add(secret.type);
    return secret;
  };
}

/** Plants a round in one fixture export, backs off until the importer accepts, and returns the accepted files. */
function plantRound(set: FixtureSet, round: number, which: 'contents' | 'names', refusals: Output[]): RawFile[] {
  const tally = tallies[set.source]!;
  const secretFor = rotation(set.texts, corpus, round);
  const nameFor = rotation(set.nameTexts, nameShapes, round);
  const fields = which === 'contents' ? set.fields : set.names;
  const { modes, refusals: count } = settle(fields, (modes) => {
    try {
      assembleGraph([importExport(IMPORTERS.find((i) => i.source === set.source)!, plantFields(set.files, modes, secretFor, nameFor)).sourced]);
      return undefined;
    } catch (error) {
      if (!(error instanceof BlastmapError)) throw error;
      refusals.push({ label: `${set.source} refusal: ${error.message}`, text: JSON.stringify({ message: error.message, issues: error.issues }), medium: 'json' });
      return error.issues;
    }
  });
  tally.refusals += count;
  const carried = fields.filter((field) => modes.get(fieldId(field)) !== 'off');
  if (which === 'contents') {
    tally.carried += carried.length;
    for (const field of carried) tally.neverCarried.delete(`${set.folder} ${fieldId(field)}`);
  } else tally.namesCarried += carried.length;
  // The accepted planting once more, noting which shapes it carried.
  return plantFields(set.files, modes, rotation(set.texts, corpus, round, tally.shapes), rotation(set.nameTexts, nameShapes, round, tally.nameShapes));
}

async function importInto(label: string, args: string[], snapshot: string, outputs: Output[]): Promise<void> {
  for (const format of ['json', 'text']) {
    const run = await runCli([...args, '--graph', snapshot, '--format', format]);
    expect(run.code, `${label}: ${run.err}`).toBe(0);
    outputs.push({ label: `import ${label} (${format})`, text: run.out + run.err, medium: format === 'json' ? 'json' : 'text' });
  }
}

async function runRound(sets: readonly FixtureSet[], round: number): Promise<void> {
  const dir = join(work, `round-${round}`);
  const snapshot = join(dir, 'graph.bmap');
  const imports: Output[] = [];
  const refusals: Output[] = [];
  for (const [i, set] of sets.entries()) {
    const base = join(dir, set.source, String(i));
    // Everything planted at once: the export is refused (keys and files the importer needs are renamed); the CLI's
    // refusal, in both formats, must not quote a secret.
    const everywhere = new Map<string, Mode>([...set.fields, ...set.names].map((field) => [fieldId(field), 'plant']));
    const all = plantFields(set.files, everywhere, rotation(set.texts, corpus, round), rotation(set.nameTexts, nameShapes, round));
    writeFiles(join(base, 'everywhere'), all);
    for (const format of ['text', 'json']) {
      const run = await runCli(['import', set.source, join(base, 'everywhere'), '--graph', join(dir, 'refused.bmap'), '--format', format]);
      imports.push({ label: `import ${set.source} with every field and name planted, ${format}`, text: run.out + run.err, medium: format === 'json' ? 'json' : 'stderr' });
    }
    for (const which of ['contents', 'names'] as const) {
      const files = plantRound(set, round, which, refusals);
      countPlacements(files);
      writeFiles(join(base, which), files);
      await importInto(`${set.source} ${which} (${set.folder})`, ['import', set.source, join(base, which)], snapshot, imports);
    }
  }
  search('imports', imports);
  search('refusals', refusals);

  // The round's graph, once, on every channel.
  const graph = readSnapshotFile(snapshot);
  search('graph', [{ label: 'graph', text: JSON.stringify(toFragment(graph)), medium: 'json' }]);
  const bytes = readFileSync(snapshot);
  search('snapshot', [
    { label: 'snapshot (utf8)', text: bytes.toString('utf8'), medium: 'export' },
    { label: 'snapshot (latin1)', text: bytes.toString('latin1'), medium: 'export' },
  ]);
  // Lower-cased, a secret is still a secret (an importer folds tenants, emails and logins into ids).
  const lower = bytes.toString('utf8').toLowerCase();
  for (const secret of corpus) if (lower.includes(secret.marker.toLowerCase())) found.snapshot!.push(`round ${round}: snapshot (lower-cased): ${secret.type}`);
  // An attacker holding a few credentials of every platform; a target many edges lead to.
  const credentials = graph.nodes.filter((node) => node.kind === 'Credential');
  const byPlatform = new Map<string, string[]>();
  for (const node of credentials) byPlatform.set(node.platform, [...(byPlatform.get(node.platform) ?? []), node.id].slice(0, 3));
  const sources = [...byPlatform.values()].flat();
  const inDegree = new Map<string, number>();
  for (const edge of toFragment(graph).edges) inDegree.set(edge.to, (inDegree.get(edge.to) ?? 0) + 1);
  const target = [...inDegree.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  expect(sources.length).toBeGreaterThan(IMPORTERS.length);
  // A proposed app that would hold the first credential: review reports what it would reach in this graph.
  const proposal = join(dir, 'proposal.yaml');
  writeFileSync(proposal, yamlStringify({ nodes: [{ id: 'corp:t:app:proposed', kind: 'App', name: 'Proposed app', platform: 'corp', tenant: 't' }], edges: [{ kind: 'HOLDS', from: 'corp:t:app:proposed', to: sources[0]! }] }));
  const cli = await sweepCli({ graph: snapshot, source: sources[0]!, sources, target, credential: sources[0]!, proposal, policy: writeStrictPolicy(dir), work: dir });
  expect(cli.find((o) => o.label === 'review json')!.text).toContain('[REDACTED:');
  // The sweep must have said something real, or finding nothing in it would prove nothing.
  expect(cli.find((o) => o.label === 'radius json')!.text.length).toBeGreaterThan(10_000);
  expect(cli.find((o) => o.label === 'export ndjson')!.text).toContain('[REDACTED:');
  search('cli', cli);
  const api = await sweepApi(graph, { source: sources[0]!, target, credential: sources[0]!, queries: ['REDACTED', ...corpus.map((s) => s.value)] });
  expect(api.find((o) => o.label === 'POST /api/radius')!.text).toContain('[REDACTED:');
  search('api', api);
}

beforeAll(async () => {
  const sets: FixtureSet[] = [];
  for (const importer of IMPORTERS) {
    const exports = importerFixtureSets(importer.source);
    tallies[importer.source] = { exports: exports.length, fields: 0, names: 0, carried: 0, namesCarried: 0, neverCarried: new Set(), refusals: 0, shapes: new Set(), nameShapes: new Set() };
    for (const { folder, files } of exports) {
      const fields = fieldsOf(files);
      const names = nameFieldsOf(files);
      const tally = tallies[importer.source]!;
      tally.fields += fields.length;
      tally.names += names.length;
      const name = folder.replace(/^.*test\/fixtures\//, '');
      for (const field of fields) tally.neverCarried.add(`${name} ${fieldId(field)}`);
      sets.push({ source: importer.source, folder: name, files, fields, names, ...indexTexts(files, fields, names) });
    }
  }
  const everyShapeLanded = () => Object.values(tallies).every((tally) => tally.shapes.size === corpus.length);
  for (let round = 0; round < MAX_ROUNDS && (round < MIN_ROUNDS || !everyShapeLanded()); round++) {
    measured.rounds = round;
    await runRound(sets, round);
  }
  measured.rounds++;
  const tally = Object.values(tallies);
  const sum = (pick: (t: Tally) => number) => tally.reduce((total, t) => total + pick(t), 0);
  console.log(`importer plantings: ${sum((t) => t.exports)} fixture exports of ${tally.length} importers, ${sum((t) => t.fields)} fields (string leaves, keys, CSV cells) and ${sum((t) => t.names)} folder and file names; ${measured.rounds} rounds; ${sum((t) => t.carried)} leaf and ${sum((t) => t.namesCarried)} name plantings imported, ${sum((t) => t.neverCarried.size)} fields only ever seen by the ${sum((t) => t.refusals)} refusals; every one of ${corpus.length} shapes in each of ${tally.filter((t) => t.shapes.size === corpus.length).length} importers`);
  console.log(`secrets (importers): ${corpus.length} shapes, ${measured.placements} placements, ${measured.channels} channels searched (${Object.entries(measured.byChannel).map(([k, v]) => `${v} ${k}`).join(', ')}), ${Object.values(found).flat().length} leaks`);
}, 900_000);

describe('the importer leak corpus', () => {
  it('plants a secret in every leaf, key, cell and name of every fixture export of every importer, every shape in every importer', () => {
    expect(Object.keys(tallies).sort()).toEqual(IMPORTERS.map((i) => i.source).sort());
    for (const [source, tally] of Object.entries(tallies)) {
      expect(tally.fields, source).toBeGreaterThan(20);
      expect(tally.names, source).toBeGreaterThan(1);
      expect([...tally.shapes].sort(), source).toEqual(corpus.map((s) => s.type).sort());
      // Most fields accept a secret and carry it on (names, ids, free text, keys of data maps, unread fields).
      expect(tally.neverCarried.size / tally.fields, `${source}: ${[...tally.neverCarried].slice(0, 5).join('; ')}`).toBeLessThan(0.2);
      expect(tally.namesCarried, source).toBeGreaterThan(0);
    }
    expect(measured.rounds).toBeGreaterThanOrEqual(MIN_ROUNDS);
  });

  it.each(Object.keys(found))('leaves no secret in %s', (channel) => {
    expect(measured.byChannel[channel], channel).toBeGreaterThan(0);
    expect(found[channel]).toEqual([]);
  });
});

describe('a secret in a file or folder name', () => {
  it('is scrubbed before an importer builds an id from the path and folds its case', () => {
    // GitHub's export keeps each repository's answers under repos/<owner>/<repo>/: the importer takes owner and repo
    // from the path and lower-cases them. A token whose shape is case-sensitive (PMAK-…) was no longer recognised in
    // the id it became, and reached the graph and every output.
    const secret = corpus.find((s) => s.type === 'postman-key')!;
    const { files } = importerFixtureSets('github')[0]!;
    // The export's folder and the owner's folder (both `corvid`) renamed alike (secret-links.json, which names
    // repositories by owner, left out).
    const renamed = files.filter((file) => !file.path.endsWith('secret-links.json')).map((file) => ({ path: file.path.split('/').map((segment) => (segment === 'corvid' ? `corvid ${secret.value}` : segment)).join('/'), text: file.text }));
    expect(renamed.filter((file) => file.path.includes(secret.value)).length).toBeGreaterThan(0);
    const { sourced } = importExport('github', renamed);
    const graph = JSON.stringify(sourced);
    expect(graph.toLowerCase()).not.toContain(secret.marker.toLowerCase());
    expect(graph.toLowerCase()).toContain('[redacted:postman-api-token');
  });
});
