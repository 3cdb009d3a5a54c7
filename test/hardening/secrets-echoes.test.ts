// Secrets that come in other than in an export's fields: typed on the command line (every positional argument and
// every option of every command, read from the CLI itself, and mistyped options), sent to the web API (queries,
// path parameters, bodies, unknown keys, broken JSON, tokens, saved views), hidden in YAML's own syntax (comments,
// anchors, aliases, tags, a syntax error's line) and in the keys of NDJSON read on the streamed path. None may come
// back in an answer, an error, a log line, the snapshot or a file the command writes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import pc from 'picocolors';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportError, type Io } from '../../cli/context.ts';
import { buildProgram } from '../../cli/main.ts';
import { streamNdjsonChunks } from '../../cli/ndjson-stream.ts';
import { createApp } from '../../cli/server/app.ts';
import { loadDemoGraph } from '../../cli/commands/demo.ts';
import { readSnapshotFile, writeSnapshotFile } from '../../cli/snapshot-file.ts';
import { toFragment } from '../../engine/store/compact.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';
import { fitsName } from './importer-plant.ts';
import { chunked, FIXTURES, importerFixtureSets } from './inputs.ts';
import { leaks, secretCorpus, type PlantedSecret } from './secret-corpus.ts';
import { writeStrictPolicy } from './sweep.ts';

const corpus = secretCorpus(17);
const nameShapes = corpus.filter(fitsName);
const work = tempDir('blastmap-secret-echoes-');
const demo = join(work, 'demo.bmap');
let nodeId = '';
const counted: Record<string, number> = {};

/** The leaks in some outputs (each a label and a text), counting the outputs searched under `channel`. */
function leaksIn(channel: string, outputs: readonly { label: string; text: string }[]): string[] {
  counted[channel] = (counted[channel] ?? 0) + outputs.length;
  return outputs.flatMap((output) => leaks(output.text, corpus).map((type) => `${output.label}: ${type}`));
}

/** A text with every marker it holds in any case spelled as the marker: a search for secrets whose case was folded. */
function folded(text: string): string {
  const lower = text.toLowerCase();
  return corpus.filter((secret) => lower.includes(secret.marker.toLowerCase())).map((secret) => secret.marker).join('\n');
}

let next = 0;
const nextSecret = (): PlantedSecret => corpus[next++ % corpus.length]!;

beforeAll(async () => {
  writeSnapshotFile(demo, loadDemoGraph());
  nodeId = readSnapshotFile(demo).nodes[0]!.id;
}, 120_000);

// ---- the command line -------------------------------------------------------------------------------------------

const silentIo: Io = { out: () => {}, err: () => {}, color: { red: (s: string) => s } as never, isTty: false };

async function leafCommands(): Promise<{ path: string[]; command: Command }[]> {
  const out: { path: string[]; command: Command }[] = [];
  const walk = (command: Command, path: string[]) => {
    for (const sub of command.commands) {
      if (sub.commands.length > 0) walk(sub, [...path, sub.name()]);
      else out.push({ path: [...path, sub.name()], command: sub });
    }
  };
  walk(await buildProgram(silentIo), []);
  return out;
}

/** A value that works for a positional argument, so that the argument or option under test is what the command meets. */
function validArgument(command: string[], name: string, files: { plan: string; proposal: string }): string | undefined {
  if (command[0] === 'import') {
    if (command[1] === 'native') return join(FIXTURES, 'native/drift-mini.yaml');
    if (command[1] === 'logs') return join(REPO, 'datasets/demo/logs');
    if (command[1] === 'opengraph') return join(FIXTURES, 'opengraph', readdirSync(join(FIXTURES, 'opengraph')).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json')).sort()[0]!);
    return importerFixtureSets(command[1]!)[0]!.folder;
  }
  switch (name) {
    case 'format': return 'json';
    case 'shell': return 'bash';
    case 'plan': return files.plan;
    case 'proposal': return files.proposal;
    case 'old': case 'new': return demo;
    case 'name': return undefined;
    default: return nodeId;
  }
}

describe('a secret typed on the command line', () => {
  it('is not echoed by any command, in any argument or option, in text or JSON, nor written to the snapshot', async () => {
    const plan = join(work, 'plan.json');
    const planned = await runCli(['plan', nodeId, '--graph', demo, '--format', 'json']);
    writeFileSync(plan, planned.out);
    const files = { plan, proposal: join(REPO, 'datasets/proposals', readdirSync(join(REPO, 'datasets/proposals')).sort()[0]!), policy: writeStrictPolicy(work) };
    const found: string[] = [];
    let runs = 0;
    let slots = 0;
    for (const { path, command } of await leafCommands()) {
      const name = path.join(' ');
      const valueOptions = command.options.filter((option) => option.required || option.optional);
      let slotNames = [...command.registeredArguments.map((argument) => `arg ${argument.name()}`), ...valueOptions.map((option) => option.long!), 'unknown option'];
      // serve answers until stopped (its API is searched below): only the options it checks before it listens. A
      // secret --token is the token (never printed); --host is left out (a secret host name would be looked up).
      if (name === 'serve') slotNames = ['--graph', '--port', '--budget', '--store', 'unknown option'];
      for (const slot of slotNames) {
        slots++;
        for (const json of [false, true]) {
          const secret = nextSecret();
          // Under the scratch folder: an option that names a file to write (--out, --graph) writes there, not here.
          const typed = `${work}/${secret.value}`;
          const snapshot = join(work, `out-${runs}.bmap`);
          const argv: string[] = [...path];
          for (const argument of command.registeredArguments) {
            const value = slot === `arg ${argument.name()}` ? typed : validArgument(path, argument.name(), files);
            if (value !== undefined) argv.push(value);
          }
          const has = (flag: string) => valueOptions.some((option) => option.long === flag);
          const set = (flag: string, value: string) => { if (has(flag) && slot !== flag) argv.push(`${flag}=${value}`); };
          if (slot.startsWith('--')) argv.push(...(runs % 2 === 0 ? [`${slot}=${typed}`] : [slot, typed]));
          if (slot === 'unknown option') argv.push(`--neo4j-pasword=${typed}`);
          // serve always has a slot of its own that fails: without it, it would start.
          if (name === 'serve' && slot !== '--graph' && slot !== 'unknown option') set('--graph', join(work, 'no-such.bmap'));
          else set('--graph', path[0] === 'import' || path[0] === 'neo4j' ? snapshot : demo);
          set('--policy', files.policy);
          set('--neo4j-uri', 'bolt://127.0.0.1:1');
          set('--out', join(work, `written-${runs}`));
          if (json) set('--format', 'json');
          if (path[0] === 'generate') set('--nodes', '50');
          const result = await runCli(argv);
          runs++;
          const outputs = [{ label: `${argv.join(' ')} (exit ${result.code})`, text: result.out + result.err }];
          // The snapshot lower-cased too: an importer folds --tenant into every id, where a case-sensitive shape
          // would no longer be recognised.
          if (existsSync(snapshot)) outputs.push({ label: `${argv.join(' ')}: the snapshot, lower-cased`, text: folded(readFileSync(snapshot).toString('latin1')) });
          const written = join(work, `written-${runs - 1}`);
          if (existsSync(written) && statSync(written).isFile()) outputs.push({ label: `${argv.join(' ')}: --out`, text: readFileSync(written, 'latin1') });
          found.push(...leaksIn('cli', outputs));
        }
      }
    }
    // Every shape in options whose refusal quotes the value as JSON (escaped quotes once hid an assignment).
    for (const secret of corpus) {
      for (const option of [['--enforce', secret.value], ['--edge-kinds', `HOLDS,${secret.value}`], ['--at', secret.value]]) {
        const result = await runCli(['radius', nodeId, ...option, '--graph', demo]);
        runs++;
        expect(result.code).not.toBe(0);
        found.push(...leaksIn('cli', [{ label: `radius ${option.join(' ')}`, text: result.out + result.err }]));
      }
    }
    console.log(`command line: ${slots} arguments and options of ${(await leafCommands()).length} commands, ${runs} runs with a secret typed`);
    expect(slots).toBeGreaterThan(300);
    expect(found).toEqual([]);
  }, 600_000);
});

// ---- the web API ------------------------------------------------------------------------------------------------

describe('a secret sent to the web API', () => {
  it('comes back in no answer, error, header, saved view or server log', async () => {
    const graph = readSnapshotFile(demo);
    const marksPath = join(work, 'marks.json');
    const logged: string[] = [];
    const app = createApp({ graph, unmarkedGraph: graph, marksPath, rateLimit: false, onInternalError: (error) => logged.push(`${String(error)} ${(error as Error)?.stack ?? ''}`) });
    const guarded = createApp({ graph, rateLimit: false, token: 'a-token-of-thirty-two-characters', onInternalError: (error) => logged.push(String(error)) });
    const outputs: { label: string; text: string }[] = [];
    const call = async (target: typeof app, label: string, path: string, init?: RequestInit) => {
      const response = await target.request(path, init);
      outputs.push({ label: `${label} ${path.slice(0, 60)}`, text: `${[...response.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${await response.text()}` });
    };
    const post = (label: string, path: string, body: string) => call(app, label, path, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    for (const secret of corpus) {
      const s = secret.value;
      const q = encodeURIComponent(s);
      await call(app, 'search', `/api/search?q=${q}`);
      await call(app, 'search, limit', `/api/search?q=x&limit=${q}`);
      await call(app, 'node', `/api/node/${q}`);
      await call(app, 'node, at', `/api/node/${encodeURIComponent(nodeId)}?at=${q}`);
      await call(app, 'graph', `/api/graph?platforms=${q}&kinds=${q}&expand=${q}&budget=${q}`);
      await call(app, 'edge', `/api/edge?source=${q}&id=${q}`);
      await call(app, 'respond', `/api/respond?sources=${q}&since=${q}&at=${q}`);
      await call(app, 'report', `/api/report.html?sources=${q}&at=${q}`);
      await call(app, 'unknown route', `/api/${q}`);
      await call(app, 'static', `/${q}`);
      const body = { sources: [s], target: s, node: s, name: s, query: s, at: s, mitigations: [{ revoke: s }], [s]: s };
      for (const route of ['graph', 'map', 'radius', 'plan', 'respond', 'whatif', 'marks', 'views', 'cluster', 'route', 'exposure']) {
        await post(`POST ${route}`, `/api/${route}`, JSON.stringify(body));
        await post(`POST ${route}, unknown key`, `/api/${route}`, JSON.stringify({ sources: [nodeId], [s]: 1 }));
        await post(`POST ${route}, broken JSON`, `/api/${route}`, `{"sources": ["${s.replace(/["\\\n]/g, '')}"`);
      }
      await post('POST views, a view named by the secret', '/api/views', JSON.stringify({ name: s, query: s }));
      await call(guarded, 'bearer', '/api/meta', { headers: { authorization: `Bearer ${s.replace(/\n/g, " ")}` } });
      await call(guarded, 'token link', `/?token=${q}`);
    }
    await call(app, 'marks', '/api/marks');
    if (existsSync(marksPath)) outputs.push({ label: 'the marks file', text: readFileSync(marksPath, 'utf8') });
    outputs.push({ label: 'server log', text: logged.join('\n') });
    const found = leaksIn('api', outputs);
    console.log(`web API: ${outputs.length} answers to requests carrying a secret`);
    expect(found).toEqual([]);
  }, 300_000);
});

// ---- YAML's own syntax, NDJSON keys on the streamed path ---------------------------------------------------------

describe('a secret in YAML syntax', () => {
  it('is echoed by no import, refused or not, and stored nowhere', async () => {
    const found: string[] = [];
    // Anchors, aliases and tags are single words: shapes without blanks.
    const words = corpus.filter((s) => !/\s/.test(s.value));
    let documents = 0;
    for (const [i, secret] of corpus.entries()) {
      const s = secret.value;
      const word = words[i % words.length]!.value;
      const comment = s.split('\n').map((line) => `# ${line}`).join('\n');
      const node = (name: string) => `  - id: corp:t:app:a${i}\n    kind: App\n    name: ${name}\n    platform: corp\n    tenant: t\n`;
      const texts: Record<string, string> = {
        comment: `${comment}\nnodes:\n${node('App')}  ${comment.replace(/\n/g, '\n  ')}\nedges: []\n`,
        anchor: `nodes:\n  - &${word.replace(/[[\]{},]/g, '')} { id: "corp:t:app:b${i}", kind: App, name: App, platform: corp, tenant: t }\nedges: []\n`,
        alias: `nodes:\n${node(`*${word.replace(/[[\]{},]/g, '')}`)}edges: []\n`,
        tag: `nodes:\n${node(`!${word.replace(/[[\]{},]/g, '')} App`)}edges: []\n`,
        'syntax error': `nodes:\n${node(`"${s.replace(/\n/g, ' ')}`)}edges: [\n`,
        'duplicate key': `nodes:\n  - { id: "x${i}", "${s.replace(/\n/g, ' ')}": 1, "${s.replace(/\n/g, ' ')}": 2 }\nedges: []\n`,
      };
      for (const [what, text] of Object.entries(texts)) {
        // The file's name holds a secret too: an error names the file.
        const file = join(work, `yaml-${i}-${what.replace(' ', '-')} ${nameShapes[i % nameShapes.length]!.value}.yaml`);
        writeFileSync(file, text);
        const snapshot = join(work, `yaml-${i}.bmap`);
        // Text and JSON reports in turn.
        for (const format of [documents % 2 === 0 ? 'text' : 'json']) {
          const run = await runCli(['import', 'native', file, '--graph', snapshot, '--format', format]);
          documents++;
          const outputs = [{ label: `${what} (${format}, exit ${run.code})`, text: run.out + run.err }];
          if (existsSync(snapshot)) outputs.push({ label: `${what}: the snapshot`, text: readFileSync(snapshot).toString('latin1') });
          found.push(...leaksIn('yaml', outputs));
        }
      }
    }
    console.log(`YAML syntax: ${documents} imports with a secret in a comment, anchor, alias, tag, syntax error or duplicate key`);
    expect(found).toEqual([]);
  }, 300_000);
});

describe('a secret in an NDJSON key', () => {
  it('is scrubbed on the streamed path big files take, in record keys, property keys and values', () => {
    const lines = corpus.flatMap((secret, i) => [
      JSON.stringify({ id: `corp:t:app:${secret.value}`, kind: 'App', name: `App ${i}`, platform: 'corp', tenant: 't', properties: { [secret.value]: secret.value, [`note ${secret.value}`]: [secret.value] } }),
      JSON.stringify({ id: `corp:t:app:n${i}`, kind: 'App', name: `App n${i}`, platform: 'corp', tenant: 't', [secret.value]: 'unknown field' }),
    ]);
    const text = `${lines.join('\n')}\n`;
    const found: string[] = [];
    let graph = '';
    try {
      graph = JSON.stringify(toFragment(streamNdjsonChunks(chunked(text, 4093), { file: 'planted.ndjson' }).graph));
    } catch (error) {
      graph = `${String(error)} ${JSON.stringify((error as { issues?: unknown }).issues ?? [])}`;
    }
    found.push(...leaksIn('ndjson', [{ label: 'streamed NDJSON', text: graph }]));
    expect(graph).toContain('[REDACTED:');
    expect(found).toEqual([]);
  });
});

describe('a secret in a log line', () => {
  it('is redacted in the stack BLASTMAP_DEBUG prints for an internal error', () => {
    let err = '';
    const io: Io = { out: () => {}, err: (text) => { err += `${text}\n`; }, color: pc.createColors(false), isTty: false };
    const saved = process.env.BLASTMAP_DEBUG;
    process.env.BLASTMAP_DEBUG = '1';
    try {
      for (const secret of corpus) reportError(io, new Error(`could not read ${secret.value}`));
    } finally {
      if (saved === undefined) delete process.env.BLASTMAP_DEBUG;
      else process.env.BLASTMAP_DEBUG = saved;
    }
    expect(err).toContain('at ');
    expect(leaksIn('log', [{ label: 'BLASTMAP_DEBUG stacks', text: err }])).toEqual([]);
  });

  it('is redacted in the note that a stale lock was taken over', async () => {
    const found: string[] = [];
    // A process that has exited: its lock is stale.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    for (const secret of nameShapes) {
      const snapshot = join(work, `lock ${secret.value}`, 'graph.bmap');
      mkdirSync(dirname(snapshot), { recursive: true });
      writeFileSync(`${snapshot}.lock`, `${JSON.stringify({ pid: gone, host: hostname() })}\n`);
      const run = await runCli(['import', 'native', join(FIXTURES, 'native/drift-mini.yaml'), '--graph', snapshot]);
      expect(run.code, run.err).toBe(0);
      expect(run.err).toContain('took over');
      found.push(...leaksIn('log', [{ label: `stale lock (${secret.type})`, text: run.out + run.err }]));
    }
    expect(found).toEqual([]);
  }, 120_000);
});

describe('a secret in the name of an entry of an OpenGraph zip archive', () => {
  it('is named by no report or error, and stored nowhere', async () => {
    const payload = readFileSync(join(FIXTURES, 'opengraph', readdirSync(join(FIXTURES, 'opengraph')).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json')).sort()[0]!));
    const found: string[] = [];
    for (const [i, secret] of nameShapes.entries()) {
      const archive = join(work, `archive-${i}.zip`);
      const snapshot = join(work, `archive-${i}.bmap`);
      // One entry that imports, one that is refused: the report and the error both name entries.
      writeFileSync(archive, zipSync({ [`collect ${secret.value}/graph ${secret.value}.json`]: new Uint8Array(payload) }));
      const bad = join(work, `archive-${i}-bad.zip`);
      writeFileSync(bad, zipSync({ [`collect ${secret.value}/broken ${secret.value}.json`]: strToU8('{"graph": {"nodes": [') }));
      for (const [label, file] of [['imported', archive], ['refused', bad]] as const) {
        for (const format of ['text', 'json']) {
          const run = await runCli(['import', 'opengraph', file, '--graph', snapshot, '--format', format]);
          if (label === 'imported') expect(run.code, run.err).toBe(0);
          else expect(run.code).not.toBe(0);
          const outputs = [{ label: `zip ${label} (${format})`, text: run.out + run.err }];
          if (existsSync(snapshot)) outputs.push({ label: `zip ${label}: the snapshot`, text: readFileSync(snapshot).toString('latin1') });
          found.push(...leaksIn('zip', outputs));
        }
      }
    }
    expect(found).toEqual([]);
  }, 120_000);
});

describe('counts', () => {
  it('are printed', () => {
    console.log(`secret echoes: ${corpus.length} shapes, ${Object.entries(counted).map(([k, v]) => `${v} ${k} outputs`).join(', ')} searched`);
    expect(Object.keys(counted).length).toBeGreaterThan(0);
  });
});
