// `blastmap replay <incident>`: rebuilds a public incident's environment from datasets/incidents/<name>/ (raw
// platform exports through their importers, plus native files), briefs the radius and checks it against expected.json.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { expectedReferenceIssues, parseExpected, replayIncident, type Expected, type IncidentReplay } from '../../engine/analysis/replay.ts';
import { BlastmapError } from '../../engine/errors.ts';
import { resolveEvidence, type Evidence } from '../../engine/evidence/report.ts';
import { md } from '../../engine/report/brief.ts';
import { renderReplayMarkdown, renderReplayText } from '../../engine/report/replay.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { EXIT, json, parseFormat, type Io, type OutputFormat } from '../context.ts';
import { readLogFolder } from '../evidence.ts';
import { createStore } from '../../engine/evidence/store.ts';
import { readLogFiles } from '../../importers/logs/registry.ts';
import { EXPORTS_DIR, isWorkspace, loadWorkspace } from '../workspace.ts';
import { PACKAGE_ROOT } from '../package-root.ts';

export const INCIDENTS_DIR = join(PACKAGE_ROOT, 'datasets/incidents/');

/** What an incident folder holds once loaded: its graph (assembled in memory) and its expectations. */
export interface LoadedIncident {
  name: string;
  dir: string;
  graph: CompactGraph;
  expected: Expected;
  /** What the environment was built from: `<source>/<tenant>` exports, then `native/<file>`. */
  inputs: string[];
  /** The environment's logs (`environment/logs/`), resolved against its graph, when it has some. */
  evidence?: Evidence;
}

const isDir = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

/** Incident folders (those holding an expected.json), sorted by name. */
export function listIncidentNames(root: string): string[] {
  if (!isDir(root)) throw new BlastmapError('IO', `${root}: no such folder of incidents`);
  return readdirSync(root).filter((name) => isDir(join(root, name)) && existsSync(join(root, name, 'expected.json'))).sort();
}

function incidentDir(root: string, name: string): string {
  const dir = join(root, name);
  if (/[\\/]/.test(name) || !isDir(dir) || !existsSync(join(dir, 'expected.json'))) {
    const known = isDir(root) ? listIncidentNames(root) : [];
    throw new BlastmapError('UNKNOWN_NODE', `no incident named ${JSON.stringify(name)} in ${root}`, { candidates: known });
  }
  return dir;
}

/**
 * Builds an incident's graph in memory: `environment/` is a workspace (cli/workspace.ts), so every
 * `environment/exports/<source>/<tenant>/` folder goes through the importer named `<source>`, then the
 * `environment/native/` files, last, so hand-written facts (a revocation date the export cannot show) win over
 * imported ones. Nothing is written; `--graph datasets/incidents/<name>/environment` loads the same graph.
 */
export function loadIncident(root: string, name: string): LoadedIncident {
  const dir = incidentDir(root, name);
  const envDir = join(dir, 'environment');
  if (!isWorkspace(envDir)) throw new BlastmapError('IO', `${name}/environment: expected exports/<source>/<tenant>/ folders or a native/ folder`);
  let workspace;
  try {
    workspace = loadWorkspace(envDir);
  } catch (error) {
    if (!(error instanceof BlastmapError)) throw error;
    const prefix = `${name}/environment`;
    throw new BlastmapError(error.code, error.message.replaceAll(envDir, prefix), {
      issues: error.issues.map((issue) => (issue.file && !issue.file.includes(prefix) ? { ...issue, file: `${prefix}/${issue.file}` } : issue)),
      candidates: error.candidates,
    });
  }
  const { graph } = workspace;
  const inputs = [...workspace.imports.map((i) => relative(EXPORTS_DIR, i.folder)), ...workspace.nativeFiles];

  const expectedFile = `${name}/expected.json`;
  const parsed = parseExpected(readFileSync(join(dir, 'expected.json'), 'utf8'), expectedFile);
  if (!parsed.ok) throw new BlastmapError('INVALID_INPUT', `${parsed.issues.length} problem${parsed.issues.length === 1 ? '' : 's'} in ${expectedFile}`, { issues: parsed.issues });
  const dangling = expectedReferenceIssues(graph, parsed.value, expectedFile);
  if (dangling.length > 0) throw new BlastmapError('INVALID_INPUT', `${expectedFile} names ${dangling.length} id${dangling.length === 1 ? '' : 's'} the incident graph does not have`, { issues: dangling });
  const logs = join(envDir, 'logs');
  const evidence = existsSync(logs) ? resolveEvidence(graph, createStore(readLogFiles(readLogFolder([logs])).observations)) : undefined;
  return { name, dir, graph, expected: parsed.value, inputs, ...(evidence ? { evidence } : {}) };
}

const environmentOf = (loaded: LoadedIncident) => ({ nodes: loaded.graph.nodeCount, edges: loaded.graph.edgeCount, inputs: loaded.inputs });

interface ReplayFlags { format?: string; all?: boolean; list?: boolean; brief?: boolean; dir?: string }

function listText(io: Io, root: string, format: OutputFormat): void {
  const rows = listIncidentNames(root).map((name) => {
    const parsed = parseExpected(readFileSync(join(root, name, 'expected.json'), 'utf8'), `${name}/expected.json`);
    return parsed.ok ? { name, title: parsed.value.title, at: parsed.value.at, summary: parsed.value.summary ?? null } : { name, title: '(expected.json does not validate)', at: null, summary: null };
  });
  if (format === 'json') { io.out(json(rows)); return; }
  if (format === 'markdown') {
    io.out(['| incident | title | at |', '|---|---|---|', ...rows.map((r) => `| \`${r.name}\` | ${md(r.title)} | ${r.at ? r.at.slice(0, 10) : ''} |`)].join('\n'));
    return;
  }
  const width = Math.max(0, ...rows.map((r) => r.name.length));
  for (const row of rows) io.out(`${row.name.padEnd(width)}  ${row.title}${row.at ? io.color.dim(`  (at ${row.at.slice(0, 10)})`) : ''}`);
}

export function registerReplay(program: Command, io: Io): void {
  program
    .command('replay')
    .description('replay a public incident (datasets/incidents/<name>): brief its blast radius and check it against what really happened (exit 1 if an expectation fails)')
    .argument('[name]', 'incident folder name (see --list)')
    .option('--all', 'replay every incident')
    .option('--list', 'list the incidents')
    .option('-f, --format <format>', 'text, json or markdown', 'text')
    .option('--brief', 'print the blast-radius brief (default with one incident)')
    .option('--no-brief', 'only the verdicts')
    .option('--dir <folder>', 'folder of incidents (default the bundled datasets/incidents)')
    .action((name: string | undefined, flags: ReplayFlags) => {
      const format = parseFormat(flags.format, ['text', 'json', 'markdown']);
      const root = resolve(flags.dir ?? INCIDENTS_DIR);
      if (flags.list) { listText(io, root, format); return; }
      if (flags.all && name !== undefined) throw new BlastmapError('INVALID_OPTION', 'give an incident name or --all, not both');
      if (!flags.all && name === undefined) throw new BlastmapError('INVALID_OPTION', `which incident? give a name (${listIncidentNames(root).join(', ')}), --all or --list`);
      const names = flags.all ? listIncidentNames(root) : [name!];
      const brief = flags.brief ?? !flags.all;
      const results: { loaded: LoadedIncident; replay: IncidentReplay }[] = [];
      for (const incident of names) {
        const loaded = loadIncident(root, incident);
        results.push({ loaded, replay: replayIncident(loaded.graph, loaded.expected, incident, loaded.evidence) });
      }
      const failed = results.filter((r) => !r.replay.pass);
      if (format === 'json') {
        io.out(json(flags.all
          ? { incidents: results.map((r) => r.replay), passed: results.length - failed.length, failed: failed.length, pass: failed.length === 0 }
          : results[0]!.replay));
      } else if (format === 'markdown') {
        io.out(results.map((r) => renderReplayMarkdown(r.replay, { environment: environmentOf(r.loaded), brief })).join('\n'));
      } else {
        io.out(results.map((r) => renderReplayText(r.replay, { environment: environmentOf(r.loaded), brief, style: io.color })).join('\n'));
        if (flags.all) {
          const width = Math.max(...results.map((r) => r.replay.incident.length));
          io.out(io.color.bold('SUMMARY'));
          for (const { replay } of results) {
            io.out(`  ${replay.pass ? io.color.green('PASS') : io.color.red(io.color.bold('FAIL'))}  ${replay.incident.padEnd(width)}  ${replay.passed}/${replay.passed + replay.failed} expectations  ${io.color.dim(replay.title)}`);
          }
        }
      }
      if (failed.length > 0) process.exitCode = EXIT.violation;
    });
}
