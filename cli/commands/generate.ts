// `blastmap generate`: a seeded synthetic enterprise (people, tens of non-human identities each,
// connectors, credentials, grants, leaked secrets) as native NDJSON or a snapshot, for benchmarks and demos.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { BlastmapError } from '../../engine/errors.ts';
import { DEFAULT_GENERATION_INSTANT, generateEnterprise, type EnterpriseOptions } from '../../engine/generate/enterprise.ts';
import { buildFromChunks } from '../../engine/store/builder.ts';
import { json, parseFormat, progressBar, shownPath, type Io } from '../context.ts';
import { writeSnapshotFile } from '../snapshot-file.ts';

interface GenerateFlags { nodes?: string; seed?: string; out?: string; format?: string; edgesPerNode?: string; now?: string; report?: string }

type OutputKind = 'ndjson' | 'snapshot';

function outputKind(flags: GenerateFlags): OutputKind {
  if (flags.format !== undefined) {
    if (flags.format !== 'ndjson' && flags.format !== 'snapshot') throw new BlastmapError('INVALID_OPTION', `--format ${flags.format}: expected ndjson or snapshot`);
    return flags.format;
  }
  if (flags.out === undefined) return 'ndjson';
  return /\.(ndjson|jsonl)$/i.test(flags.out) ? 'ndjson' : 'snapshot';
}

function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n)) throw new BlastmapError('INVALID_OPTION', `${name} ${value}: expected a whole number`);
  return n;
}

/** Streams NDJSON lines to a file through a temporary name, so a half-written file never appears. */
function writeNdjsonFile(path: string, options: EnterpriseOptions, onChunk: (nodes: number) => void): { nodes: number; edges: number } {
  const target = resolve(path);
  mkdirSync(dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o644);
  let nodes = 0;
  let edges = 0;
  try {
    for (const chunk of generateEnterprise(options)) {
      const lines: string[] = [];
      for (const node of chunk.nodes) lines.push(JSON.stringify(node));
      for (const edge of chunk.edges) lines.push(JSON.stringify(edge));
      const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
      for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      nodes += chunk.nodes.length;
      edges += chunk.edges.length;
      onChunk(nodes);
    }
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw new BlastmapError('IO', `cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
  closeSync(fd);
  renameSync(temporary, target);
  return { nodes, edges };
}

export function registerGenerate(program: Command, io: Io): void {
  program
    .command('generate')
    .description('generate a seeded synthetic enterprise graph (same seed, same graph) as native NDJSON or a snapshot')
    .requiredOption('-n, --nodes <count>', 'exact number of nodes (200 to 10,000,000)')
    .option('-s, --seed <number>', 'random seed', '1')
    .option('-o, --out <file>', 'output file: .ndjson/.jsonl for NDJSON, anything else for a snapshot (default: NDJSON on stdout)')
    .option('--format <format>', 'ndjson or snapshot (default: from the --out extension)')
    .option('--edges-per-node <count>', 'average edges per node', '8')
    .option('--now <date>', `instant the credential dates are drawn around (default ${DEFAULT_GENERATION_INSTANT.slice(0, 10)}); analyse with --at at this date`)
    .option('--report <format>', 'summary format when writing a file: text or json', 'text')
    .action((flags: GenerateFlags) => {
      const reportFormat = parseFormat(flags.report, ['text', 'json']);
      const nodes = wholeNumber('--nodes', flags.nodes, 0);
      const seed = wholeNumber('--seed', flags.seed, 1);
      const edgesPerNode = Number(flags.edgesPerNode ?? '8');
      const options: EnterpriseOptions = { nodes, seed, edgesPerNode };
      if (flags.now !== undefined) options.now = flags.now;
      const kind = outputKind(flags);
      if (flags.out === undefined) {
        if (kind !== 'ndjson') throw new BlastmapError('INVALID_OPTION', 'a snapshot needs --out <file>');
        for (const chunk of generateEnterprise(options)) {
          const lines: string[] = [];
          for (const node of chunk.nodes) lines.push(JSON.stringify(node));
          for (const edge of chunk.edges) lines.push(JSON.stringify(edge));
          if (lines.length > 0) io.out(`${lines.join('\n')}\n`);
        }
        return;
      }
      const bar = progressBar(io, 'generating', nodes);
      let edges: number;
      try {
        if (kind === 'ndjson') edges = writeNdjsonFile(flags.out, options, (done) => bar.update(done)).edges;
        else {
          const graph = buildFromChunks(generateEnterprise(options), { expectedNodes: nodes, expectedEdges: Math.round(nodes * edgesPerNode) });
          bar.update(nodes);
          writeSnapshotFile(flags.out, graph);
          edges = graph.edgeCount;
        }
      } finally {
        bar.stop();
      }
      if (reportFormat === 'json') io.out(json({ out: shownPath(flags.out), format: kind, nodes, edges, seed }));
      else io.out(`generated ${nodes} nodes and ${edges} edges (seed ${seed}) into ${shownPath(flags.out)} (${kind})`);
    });
}
