// Exit 70 is never the answer to input (issue #20, item 8): every command and subcommand the CLI registers is fed
// generated graphs (hostile ids, names and keys; as a snapshot, native JSON, YAML, NDJSON or a workspace folder) and
// generated combinations of its options, in process; a few runs are spawned as real processes. No case may exit 70,
// print "internal error", throw, or touch Object.prototype. The option table is read from the CLI itself, so a new
// option is fuzzed the day it is added, and a test fails if any option went unexercised.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command, Option } from 'commander';
import fc from 'fast-check';
import { stringify as yamlStringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSnapshotFile } from '../../cli/snapshot-file.ts';
import { buildProgram } from '../../cli/main.ts';
import type { Io } from '../../cli/context.ts';
import type { GraphEdge, GraphNode } from '../../engine/format/native.ts';
import { DEFAULT_SCHEMA } from '../../engine/schema/index.ts';
import { buildGraph } from '../../engine/store/compact.ts';
import { BIN, REPO, runCli, tempDir } from '../helpers/cli.ts';
import { allTargets } from './inputs.ts';

/** Cases per command; BLASTMAP_FUZZ_RUNS (shared with fuzz.test.ts) scales it for a deeper local run. */
const RUNS = Math.max(4, Math.round(Number(process.env.BLASTMAP_FUZZ_RUNS ?? 100) / 6));
const SEED = process.env.BLASTMAP_FUZZ_SEED === undefined ? undefined : Number(process.env.BLASTMAP_FUZZ_SEED);
/** Commands whose every run does fixed, heavier work (every incident, the whole demo): fewer cases. */
const HEAVY = new Set(['demo', 'replay']);

/**
 * What is never generated, and why. Everything else every command registers is (checked at the end).
 * - `--open` starts a web browser.
 * - `serve` listens until it is stopped: it runs as a spawned process below, not in process.
 */
const NEVER = new Set(['demo --open', 'serve --open']);
const SPAWNED_ONLY = new Set(['serve']);

const work = tempDir('blastmap-command-fuzz-');
const counts: Record<string, number> = {};
const used = new Set<string>();
/** Exit statuses seen, per command: a fuzzer whose every case is refused at parsing would prove little. */
const exits: Record<string, Record<number, number>> = {};
const noteExit = (name: string, code: number | null) => { const byCode = (exits[name] ??= {}); byCode[code ?? -1] = (byCode[code ?? -1] ?? 0) + 1; };

// ---- generated graphs ----------------------------------------------------------------------------------

/** Ids and names chosen to break code that treats them as anything but data. */
const HOSTILE_IDS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'https://evil.example/a', '@octocat', 'a b|c', 'ünï:cödé', '💥', '-rf', '--format'];
const HOSTILE_NAMES = ['__proto__', '[x](https://evil.example)', '@acme/team', '<img src=x onerror=alert(1)>', 'line\nbreak', '   ', 'www.evil.example', '\u202Eevil'];

interface Generated { nodes: GraphNode[]; edges: GraphEdge[] }

const nodeKinds = Object.keys(DEFAULT_SCHEMA.nodeKinds);
const edgeKinds = Object.entries(DEFAULT_SCHEMA.edgeKinds);

const graphArb: fc.Arbitrary<Generated> = fc.record({
  nodes: fc.array(fc.record({
    kind: fc.constantFrom(...nodeKinds),
    hostileId: fc.option(fc.constantFrom(...HOSTILE_IDS), { freq: 3 }),
    name: fc.oneof(fc.constantFrom(...HOSTILE_NAMES), fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== '')),
    platform: fc.constantFrom('p1', 'p2'),
    window: fc.constantFrom('active', 'active', 'revoked', 'expired', 'disabled'),
    tags: fc.subarray(['crown-jewel', 'pii']),
    hostileKey: fc.boolean(),
  }), { minLength: 1, maxLength: 12 }),
  edges: fc.array(fc.record({ a: fc.nat(), b: fc.nat(), k: fc.nat(), scope: fc.option(fc.constantFrom('api', 'admin', '__proto__', 'https://evil.example')), condition: fc.option(fc.constantFrom('mfa', 'ip-allowlist')) }), { maxLength: 30 }),
}).map(({ nodes: specs, edges: raw }) => {
  const seenIds = new Set<string>();
  const nodes: GraphNode[] = specs.map((spec, i) => {
    let id = spec.hostileId !== null && !seenIds.has(spec.hostileId) ? spec.hostileId : `${spec.platform}:t:${spec.kind.toLowerCase()}:n${i}`;
    if (seenIds.has(id)) id = `${spec.platform}:t:${spec.kind.toLowerCase()}:n${i}`;
    seenIds.add(id);
    const node = { id, kind: spec.kind, name: spec.name, platform: spec.platform, tenant: 't' } as GraphNode;
    if (spec.kind === 'Credential') node.type = 'api-key';
    if (spec.tags.length > 0) node.tags = spec.tags;
    if (spec.window === 'revoked') node.revoked = true;
    if (spec.window === 'expired') node.expiresAt = '2025-01-01T00:00:00.000Z';
    if (spec.window === 'disabled') node.enabled = false;
    // JSON.parse makes an own `__proto__` key, as an input file has it.
    if (spec.hostileKey) node.properties = JSON.parse('{"__proto__": "p", "constructor": "c", "note": "https://evil.example @octocat"}') as Record<string, string>;
    return node;
  });
  const edges: GraphEdge[] = [];
  const seenEdges = new Set<string>();
  for (const { a, b, k, scope, condition } of raw) {
    const [kind, spec] = edgeKinds[k % edgeKinds.length]!;
    const from = nodes.filter((n) => spec.from.includes(n.kind));
    const to = nodes.filter((n) => spec.to.includes(n.kind));
    if (from.length === 0 || to.length === 0) continue;
    const edge: GraphEdge = { kind, from: from[a % from.length]!.id, to: to[b % to.length]!.id } as GraphEdge;
    const key = `${edge.from}|${kind}|${edge.to}`;
    if (seenEdges.has(key)) continue;
    seenEdges.add(key);
    if (scope !== null) edge.scopes = [scope];
    if (condition !== null) edge.conditions = [condition];
    edges.push(edge);
  }
  return { nodes, edges };
});

/** Every form `--graph` takes: a snapshot, each native text format, a workspace folder. */
const GRAPH_FORMATS = ['snapshot', 'json', 'yaml', 'ndjson', 'workspace'] as const;
type GraphFormat = (typeof GRAPH_FORMATS)[number];
const formatCounts: Record<string, number> = {};

let caseNumber = 0;
function writeGraph(graph: Generated, format: GraphFormat): string {
  const dir = join(work, `case-${caseNumber++}`);
  mkdirSync(dir, { recursive: true });
  formatCounts[format] = (formatCounts[format] ?? 0) + 1;
  const document = { version: 1, nodes: graph.nodes, edges: graph.edges };
  switch (format) {
    case 'snapshot': {
      const path = join(dir, 'graph.bmap');
      writeSnapshotFile(path, buildGraph(graph));
      return path;
    }
    case 'json': writeFileSync(join(dir, 'graph.json'), JSON.stringify(document)); return join(dir, 'graph.json');
    case 'yaml': writeFileSync(join(dir, 'graph.yaml'), yamlStringify(document)); return join(dir, 'graph.yaml');
    case 'ndjson': writeFileSync(join(dir, 'graph.ndjson'), [...graph.nodes, ...graph.edges].map((r) => JSON.stringify(r)).join('\n') + '\n'); return join(dir, 'graph.ndjson');
    case 'workspace': {
      mkdirSync(join(dir, 'native'));
      writeFileSync(join(dir, 'native/graph.json'), JSON.stringify(document));
      return dir;
    }
  }
}

// ---- the option table, from the CLI itself -------------------------------------------------------------

interface CommandSpec { path: string[]; command: Command; options: readonly Option[] }

const silentIo: Io = { out: () => {}, err: () => {}, color: { red: (s: string) => s } as never, isTty: false };

async function commandSpecs(): Promise<CommandSpec[]> {
  const specs: CommandSpec[] = [];
  const walk = (command: Command, path: string[]) => {
    for (const sub of command.commands) {
      const subPath = [...path, sub.name()];
      if (sub.commands.length > 0) walk(sub, subPath);
      else specs.push({ path: subPath, command: sub, options: sub.options.filter((o) => o.long !== '--help') });
    }
  };
  walk(await buildProgram(silentIo), []);
  return specs;
}

// ---- values ------------------------------------------------------------------------------------------

const GARBAGE = ['', '0', '-1', 'NaN', '1e309', '__proto__', '../../etc/passwd', 'x'.repeat(300), '💥', '--help'];
const NUMBERS = ['0', '1', '2', '5', '-3', '1.5', '99999999999', 'x', ''];

interface Context { graphPath: string; graph: Generated; outDir: string; files: Record<'policy' | 'mitigations' | 'mapping' | 'garbage' | 'proposal', string>; fixture: Record<string, string> }

function nodeRefs(ctx: Context): string[] {
  return [...ctx.graph.nodes.slice(0, 4).map((n) => n.id), ...ctx.graph.nodes.slice(0, 2).map((n) => n.name)];
}

/** Values an option means, and values that are wrong for it. */
interface Values { valid: string[]; wrong: string[] }
const v = (valid: string[], wrong: string[] = GARBAGE): Values => ({ valid, wrong });

/** Candidate values for an option, by its name. */
const FORMATS = ['text', 'json', 'ndjson', 'markdown', 'html', 'sarif', 'snapshot'];

function valuesFor(option: string, ctx: Context, command: string, description = ''): Values {
  const edgeIds = ctx.graph.edges.slice(0, 3).map((e) => `${e.from}|${e.kind}|${e.to}`);
  switch (option) {
    case '--graph': return command.startsWith('import') || command.startsWith('neo4j pull')
      ? v([join(ctx.outDir, 'target.bmap')], [join(ctx.outDir, 'missing/deeper/target.bmap'), ctx.outDir])
      : v([ctx.graphPath], [join(work, 'no-such-graph.bmap'), ctx.files.garbage]);
    // The formats a command offers are the ones its help names.
    case '--format': {
      const offered = FORMATS.filter((format) => new RegExp(`\\b${format}\\b`).test(description));
      return v(offered.length > 0 ? offered : FORMATS, ['bogus', '', 'JSON', ...FORMATS.filter((f) => !offered.includes(f))]);
    }
    case '--report': return v(['text', 'json'], ['bogus']);
    case '--at': case '--since': case '--now': return v(['2025-06-01', '2026-01-01T12:00:00Z', '1999-01-01'], ['2024-02-30', '2025-13-01', 'yesterday', '']);
    case '--nodes': return v(['200', '250'], ['0', '-1', 'x', '199']);
    case '--edges-per-node': return v(['0', '1', '3'], ['-2', 'x', '1000']);
    // A server may only bind a free port (0) or fail: a fixed low port could be taken, or bound as root.
    case '--port': return v(['0'], ['-3', 'x', '70000', '1.5']);
    case '--batch-size': case '--max-depth': case '--limit': case '--steps': case '--top': case '--stale-days': case '--rotation-days':
    case '--max-lifetime-days': case '--privileged-score': case '--budget': case '--seed': case '--zip-max-entries': case '--zip-max-ratio':
      return v(['0', '1', '2', '5', '50'], ['-3', '1.5', '99999999999', 'x', '']);
    case '--zip-max-size': return v(['1K', '4G', '1.5M'], ['0', 'lots']);
    case '--edge-kinds': case '--exclude-edge-kinds': return v(['CAN_READ', 'CAN_READ,HOLDS,AUTHENTICATES_AS', 'MEMBER_OF'], ['BOGUS', '', '__proto__', ',']);
    case '--enforce': return v(['mfa', 'ip-allowlist,mfa'], ['', '__proto__', 'bogus']);
    case '--kinds': return v(['App', 'Identity,Credential'], ['Bogus', '', '__proto__']);
    case '--severity': case '--fail-on': return v(['low', 'medium', 'high', 'critical'], ['info', 'bogus', '']);
    case '--rule': return v(['stale-credential'], ['bogus', '__proto__', '']);
    case '--revoke': {
      const credentials = ctx.graph.nodes.filter((n) => n.kind === 'Credential').map((n) => n.id);
      return v(credentials.length > 0 ? credentials : nodeRefs(ctx), ['no-such-node', '', ...nodeRefs(ctx)]);
    }
    case '--to': case '--disable': case '--radius': return v(nodeRefs(ctx), ['no-such-node', '']);
    case '--remove-edge': return v(edgeIds.length > 0 ? edgeIds : ['no|such|edge'], ['no|such|edge', '__proto__']);
    case '--remove-scope': return v(ctx.graph.edges.slice(0, 2).map((e) => `${e.from}:${e.scopes?.[0] ?? 'api'}`).concat(['x:api']), ['nocolon', ':', '__proto__:x']);
    case '--mitigations': return v([ctx.files.mitigations], [ctx.files.garbage, join(work, 'missing.yaml')]);
    case '--policy': return v([ctx.files.policy], [ctx.files.garbage, join(work, 'missing.yaml')]);
    case '--mapping': return v([ctx.files.mapping], [ctx.files.garbage, join(work, 'missing.json')]);
    case '--out': return v([join(ctx.outDir, 'out.txt'), join(ctx.outDir, 'out.bmap'), join(ctx.outDir, 'out.ndjson')], [join(ctx.outDir, 'no/such/dir/out'), ctx.outDir]);
    case '--dir': return v([join(REPO, 'datasets/incidents')], [ctx.outDir, join(work, 'no-such-dir')]);
    case '--tenant': return v(['acme', 'a:b'], ['', '__proto__']);
    case '--store': return v(['memory'], ['neo4j', 'bogus']);
    // A closed port: the Neo4j path fails fast as an I/O error, never as an internal one.
    case '--neo4j-uri': return v(['bolt://127.0.0.1:1'], ['http://[::', 'neo4j+s://', '']);
    case '--neo4j-user': case '--neo4j-password': case '--neo4j-database': return v(['neo4j'], ['', '__proto__']);
    case '--token': return v(['a-long-enough-token-0123456789'], ['short']);
    case '--host': return v(['127.0.0.1', 'localhost'], ['0.0.0.0', 'bogus host']);
    default: return v(['x'], GARBAGE);
  }
}

/** Positional arguments, by the argument's name. */
function argumentValues(name: string, ctx: Context, command: string): Values {
  switch (name) {
    case 'nodes': case 'from': case 'sources': case 'target': return v(nodeRefs(ctx), ['no-such-node', '']);
    case 'format': return v(['opengraph', 'opengraph-schema', 'gexf', 'graphml', 'json', 'ndjson'], ['bogus']);
    case 'proposal': return v([ctx.files.proposal], [ctx.files.garbage, join(work, 'missing.json')]);
    case 'shell': return v(['bash', 'zsh', 'fish'], ['powershell', 'bogus']);
    case 'name': return v(readdirSync(join(REPO, 'datasets/incidents')).filter((n) => !n.includes('.')).slice(0, 2), ['no-such-incident', '__proto__']);
    case 'files': case 'folders': {
      const source = command.split(' ')[1]!;
      return v([ctx.fixture[source] ?? ctx.graphPath], [ctx.graphPath, ctx.files.garbage, join(work, 'missing')]);
    }
    default: return v(['x'], GARBAGE);
  }
}

/** One generated command line: its arguments and options, drawn from the tables above. */
function argvArb(spec: CommandSpec, ctx: Context, allOptions = false, hostile = false): fc.Arbitrary<{ argv: string[]; options: string[] }> {
  const name = spec.path.join(' ');
  // A hostile case draws wrong values too; the others draw what each option means, so the commands do their work.
  const pool = (values: Values) => fc.constantFrom(...(hostile ? [...values.valid, ...values.wrong] : values.valid));
  const args = spec.command.registeredArguments.map((argument) => {
    const one = pool(argumentValues(argument.name(), ctx, name));
    if (argument.variadic) return fc.array(one, { minLength: argument.required ? 1 : 0, maxLength: 3 });
    return argument.required ? one.map((v) => [v]) : fc.option(one, { nil: undefined }).map((v) => (v === undefined ? [] : [v]));
  });
  const options = spec.options.filter((option) => !NEVER.has(`${name} ${option.long}`)).map((option) => {
    const flag = option.long!;
    // --graph is almost always given: without it, the command looks for .blastmap/graph.bmap in the repository.
    const weight = flag === '--graph' ? 9 : 1;
    if (!option.required && !option.optional) return (allOptions ? fc.constant(true) : fc.boolean()).map((on) => (on ? { flag, argv: [flag] } : undefined));
    const values = pool(valuesFor(flag, ctx, name, option.description));
    const value = option.variadic ? fc.array(values, { minLength: 1, maxLength: 3 }) : values.map((v) => [v]);
    const picked = value.map((vs) => ({ flag, argv: option.variadic ? [flag, ...vs] : vs.flatMap((v) => [`${flag}=${v}`]) }));
    // A mandatory option (review's --policy) is always given, or every case would stop at the usage error.
    return (allOptions || option.mandatory ? picked : fc.option(picked, { freq: weight > 1 ? 1 : 2, nil: undefined }))
      .map((picked) => (flag === '--graph' && picked === undefined && !name.startsWith('import') && name !== 'demo' ? { flag, argv: [`--graph=${ctx.graphPath}`] } : picked));
  });
  return fc.tuple(fc.tuple(...args), fc.tuple(...options), fc.boolean()).map(([argParts, optionParts, optionsFirst]) => {
    const chosen = optionParts.filter((o): o is { flag: string; argv: string[] } => o !== undefined);
    // neo4j-using cases always point at a closed port, never at a server the environment may name.
    const optionArgv = chosen.flatMap((o) => o.argv);
    if (optionArgv.some((a) => a === '--store=neo4j') || spec.path[0] === 'neo4j') {
      if (!optionArgv.some((a) => a.startsWith('--neo4j-uri=')) && spec.options.some((o) => o.long === '--neo4j-uri')) optionArgv.push('--neo4j-uri=bolt://127.0.0.1:1');
    }
    const positional = argParts.flat();
    // `--` keeps positional values that start with a dash (an id `-rf`) from being read as options.
    const argv = optionsFirst ? [...spec.path, ...optionArgv, '--', ...positional] : [...spec.path, ...positional.map((p) => (p.startsWith('-') ? `./${p}` : p)), ...optionArgv];
    return { argv, options: chosen.map((o) => o.flag) };
  });
}

// ---- fixed inputs --------------------------------------------------------------------------------------

let files: Context['files'];
const fixture: Record<string, string> = {};

beforeAll(() => {
  const dir = join(work, 'inputs');
  mkdirSync(dir);
  files = {
    policy: join(dir, 'policy.yaml'),
    mitigations: join(dir, 'mitigations.yaml'),
    mapping: join(dir, 'mapping.json'),
    garbage: join(dir, 'garbage.json'),
    proposal: join(dir, 'proposal.yaml'),
  };
  writeFileSync(files.policy, 'version: 1\nrules:\n  maxScore: 5\n');
  writeFileSync(files.mitigations, 'mitigations:\n  - revoke: "__proto__"\n  - disable: constructor\n');
  writeFileSync(files.mapping, JSON.stringify({ nodes: { Person: 'Identity' } }));
  writeFileSync(files.garbage, '{"__proto__": {"polluted": 1}, "nodes": [');
  writeFileSync(files.proposal, 'nodes:\n  - { id: "p1:t:app:new", kind: App, name: "@octocat https://evil.example", platform: p1, tenant: t }\nedges:\n  - { kind: CAN_ADMIN, from: "p1:t:app:new", to: "__proto__" }\n');
  // Each importer's and OpenGraph's own fixtures, as folders the import commands read.
  for (const target of allTargets()) {
    const folder = join(dir, 'fixtures', target.name);
    for (const file of target.seeds) {
      mkdirSync(dirname(join(folder, file.path)), { recursive: true });
      writeFileSync(join(folder, file.path), file.text);
    }
    fixture[target.name === 'native-yaml' ? 'native' : target.name] = folder;
  }
});

const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => { uncaught.push(error); };
process.on('uncaughtException', onUncaught);
process.on('unhandledRejection', onUncaught);

afterAll(() => {
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const file = join(REPO, 'test-artifacts/hardening/command-fuzz-cases.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ total, perCommand: counts, graphFormats: formatCounts, optionsExercised: used.size, exits, runsPerCommand: RUNS }, null, 2)}\n`);
  // One line in the CI log, as fuzz.test.ts prints its own.
  console.log(`command fuzz: ${total} generated cases over ${new Set(Object.keys(counts).map((k) => k.replace(' (spawned)', ''))).size} commands, ${used.size} options, graphs as ${Object.entries(formatCounts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
});

const specs = await commandSpecs();

function check(label: string, code: number, err: string): void {
  expect(code, `${label}\n${err}`).not.toBe(70);
  expect(err, label).not.toContain('internal error');
  expect(Object.keys(Object.prototype), label).toEqual([]);
  expect(uncaught, label).toEqual([]);
}

describe.each(specs.filter((spec) => !SPAWNED_ONLY.has(spec.path[0]!)).map((spec) => [spec.path.join(' '), spec] as const))('%s', (name, spec) => {
  it('answers generated graphs and option combinations without exit 70 or an uncaught exception', async () => {
    await fc.assert(fc.asyncProperty(graphArb, fc.constantFrom(...GRAPH_FORMATS), fc.nat(), async (graph, format, salt) => {
      const outDir = join(work, `out-${caseNumber}-${salt % 1000}`);
      mkdirSync(outDir, { recursive: true });
      const ctx: Context = { graphPath: writeGraph(graph, format), graph, outDir, files, fixture };
      // The first case of a command gives every option at once, so each is exercised whatever the number of runs.
      const { argv, options } = fc.sample(argvArb(spec, ctx, counts[name] === undefined, salt % 3 === 0), { numRuns: 1, seed: salt })[0]!;
      counts[name] = (counts[name] ?? 0) + 1;
      for (const option of options) used.add(`${name} ${option}`);
      const run = await runCli(argv);
      noteExit(name, run.code);
      // BLASTMAP_FUZZ_DEBUG=<command> prints each generated command line of that command and its answer.
      if (process.env.BLASTMAP_FUZZ_DEBUG === name) console.log(run.code, argv.join(' '), run.err.slice(0, 300));
      check(argv.join(' '), run.code, run.err);
    }), { numRuns: HEAVY.has(spec.path[0]!) ? Math.max(3, Math.round(RUNS / 5)) : RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) });
  }, 240_000);
});

describe('as real processes', () => {
  /** Runs bin/blastmap.js; a server is stopped once it prints its address (it would serve until stopped). */
  function spawned(argv: string[]): Promise<{ code: number | null; err: string; out: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, ...argv], { cwd: work, env: { ...process.env, NO_COLOR: '1', BLASTMAP_TOKEN: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/http:\/\/\S+/.test(out)) child.kill('SIGTERM');
      });
      child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('exit', (code) => { clearTimeout(timer); resolve({ code, err, out }); });
    });
  }

  const spawnedSpecs = () => specs.filter((spec) => ['serve', 'radius', 'export', 'import'].includes(spec.path[0]!) && (spec.path[0] !== 'import' || spec.path[1] === 'opengraph'));

  it('serve, radius, export and import opengraph answer generated options without exit 70 or a crash', async () => {
    const sample = fc.sample(fc.tuple(graphArb, fc.constantFrom(...GRAPH_FORMATS)), { numRuns: 2, seed: SEED ?? 20 });
    for (const spec of spawnedSpecs()) {
      const name = spec.path.join(' ');
      // serve twice (its first run gives every option, as it runs nowhere else); the others once, a process costs a second.
      for (const [graph, format] of name === 'serve' ? sample : sample.slice(1)) {
        const outDir = tempDir('blastmap-command-fuzz-spawned-');
        const ctx: Context = { graphPath: writeGraph(graph, format), graph, outDir, files, fixture };
        const { argv, options } = fc.sample(argvArb(spec, ctx, name === 'serve' && counts[`${name} (spawned)`] === undefined, caseNumber % 2 === 0), { numRuns: 1, seed: (SEED ?? 0) + caseNumber })[0]!;
        const args = argv;
        counts[`${name} (spawned)`] = (counts[`${name} (spawned)`] ?? 0) + 1;
        for (const option of options) used.add(`${name} ${option}`);
        const run = await spawned(args);
        noteExit(`${name} (spawned)`, run.code);
        expect(run.code, `${args.join(' ')}\n${run.err}`).not.toBe(70);
        expect(run.err, args.join(' ')).not.toMatch(/internal error|at .+\.ts:\d+/);
      }
    }
  }, 300_000);
});

describe('coverage', () => {
  it('exercised every option of every command (except those that open a browser)', () => {
    const missing: string[] = [];
    for (const spec of specs) {
      const name = spec.path.join(' ');
      for (const option of spec.options) {
        const key = `${name} ${option.long}`;
        if (NEVER.has(key)) continue;
        if (!used.has(key)) missing.push(key);
      }
    }
    expect(missing).toEqual([]);
    expect(Object.keys(formatCounts).sort()).toEqual([...GRAPH_FORMATS].sort());
    // Most commands answered some generated cases in full (exit 0 or 1), not only with usage errors.
    const answered = Object.entries(exits).filter(([, byCode]) => (byCode[0] ?? 0) + (byCode[1] ?? 0) > 0).map(([name]) => name);
    expect(answered.length, JSON.stringify(exits)).toBeGreaterThanOrEqual(Math.floor(Object.keys(exits).length * 0.7));
  });
});
