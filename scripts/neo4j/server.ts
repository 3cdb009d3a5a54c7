// A real Neo4j 5 Community server on a free loopback port, for the tests, the benchmark and local use: resolves
// Neo4j from Maven Central with Maven when scripts/neo4j/lib is missing, builds blastmap's procedure plugin
// (neo4j-plugin/) with Maven and installs it in the server's plugins folder, optionally bulk-loads the new database
// with `neo4j-admin database import full`, starts Launcher.java, waits for Bolt.
// Run: `npm run neo4j:setup` (resolve and build only) or `npm run neo4j:server` (start one and keep it until Ctrl-C).
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const LIB = join(HERE, 'lib');
const POM = join(HERE, 'pom.xml');
/** Written after a complete copy, with the pom's hash: an interrupted or outdated copy is redone. */
const COMPLETE = join(LIB, '.complete');
/** blastmap's procedure plugin: a Maven module at the repository's root. */
const PLUGIN = join(HERE, '..', '..', 'neo4j-plugin');
export const PLUGIN_JAR = join(PLUGIN, 'target', 'blastmap-neo4j-plugin.jar');
/** Written after a build, with the hash of the module's sources: a changed source is built again. */
const PLUGIN_BUILT = join(PLUGIN, 'target', '.built');

export interface Neo4jServer {
  uri: string;
  user: string;
  password: string;
  /** The server's data folder (temporary; deleted by stop). */
  dataDir: string;
  /** How long the offline import took, when one ran (milliseconds, wall and CPU). */
  importMs?: number;
  importCpuMs?: number;
  /** The server's process id (for its CPU time). */
  pid?: number;
  /** Stops the server (closing its standard input) and deletes its data folder. */
  stop: () => Promise<void>;
}

export interface StartOptions {
  /** JVM heap, e.g. `2g` (default 2g: enough for the tests; the benchmark asks for more). */
  heap?: string;
  /** How long to wait for Bolt (default 4 minutes: a cold JVM on a busy 2-core machine is slow). */
  timeoutMs?: number;
  /** Called with each line the server prints, for diagnostics. */
  onLine?: (line: string) => void;
  /** Install blastmap's procedure plugin (default true; false gives a server where only the Cypher path runs). */
  plugin?: boolean;
  /**
   * Arguments of `neo4j-admin` (from engine/store/neo4j/bulk.ts adminImportArgs) run on the new, empty DBMS
   * folder before the server starts: the offline bulk import.
   */
  importArgs?: string[];
}

function have(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

const pomHash = (): string => createHash('sha256').update(readFileSync(POM)).digest('hex');

/** Makes sure scripts/neo4j/lib holds Neo4j's jars, running Maven when it does not. Throws with a clear reason. */
export function ensureNeo4jLib(log: (line: string) => void = () => {}): string {
  if (existsSync(COMPLETE) && readFileSync(COMPLETE, 'utf8').trim() === pomHash()) return LIB;
  if (!have('java', ['-version'])) throw new Error('scripts/neo4j: Java 17 or later is required to run the Neo4j test server (apt-get install openjdk-17-jdk-headless)');
  if (!have('mvn', ['-v'])) throw new Error('scripts/neo4j: Maven is required to resolve Neo4j from Maven Central (apt-get install maven)');
  log('scripts/neo4j: resolving Neo4j Community from Maven Central into scripts/neo4j/lib (about 120 MB, once)...');
  rmSync(LIB, { recursive: true, force: true });
  const result = spawnSync('mvn', ['-q', '-B', 'dependency:copy-dependencies', '-DoutputDirectory=lib', '-DincludeScope=runtime'], { cwd: HERE, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`scripts/neo4j: Maven could not resolve Neo4j (exit ${result.status}):\n${`${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n')}`);
  }
  writeFileSync(COMPLETE, `${pomHash()}\n`);
  return LIB;
}

function pluginHash(): string {
  const hash = createHash('sha256').update(readFileSync(join(PLUGIN, 'pom.xml')));
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(path.slice(PLUGIN.length)).update(readFileSync(path));
    }
  };
  walk(join(PLUGIN, 'src'));
  return hash.digest('hex');
}

/**
 * Builds neo4j-plugin/ with Maven (plugin versions pinned in its pom, Neo4j `provided`) when its jar is missing
 * or older than its sources, and returns the jar's path.
 */
export function ensurePlugin(log: (line: string) => void = () => {}): string {
  const hash = pluginHash();
  if (existsSync(PLUGIN_JAR) && existsSync(PLUGIN_BUILT) && readFileSync(PLUGIN_BUILT, 'utf8').trim() === hash) return PLUGIN_JAR;
  if (!have('mvn', ['-v'])) throw new Error('scripts/neo4j: Maven is required to build neo4j-plugin (apt-get install maven)');
  log('scripts/neo4j: building the blastmap procedure plugin (neo4j-plugin) with Maven...');
  const result = spawnSync('mvn', ['-q', '-B', 'package'], { cwd: PLUGIN, encoding: 'utf8' });
  if (result.status !== 0 || !existsSync(PLUGIN_JAR)) {
    throw new Error(`scripts/neo4j: Maven could not build neo4j-plugin (exit ${result.status}):\n${`${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n')}`);
  }
  writeFileSync(PLUGIN_BUILT, `${hash}\n`);
  return PLUGIN_JAR;
}

/** Runs `neo4j-admin` (the Community admin tool from scripts/neo4j/lib) on a DBMS folder. */
export async function runAdmin(home: string, args: readonly string[], options: { heap?: string; onLine?: (line: string) => void } = {}): Promise<{ cpuMs?: number }> {
  const lib = ensureNeo4jLib((line) => options.onLine?.(line));
  mkdirSync(join(home, 'conf'), { recursive: true });
  if (!existsSync(join(home, 'conf', 'neo4j.conf'))) writeFileSync(join(home, 'conf', 'neo4j.conf'), '');
  const java = ['java', `-Xmx${options.heap ?? '1g'}`, '-cp', `${lib}/*`, 'org.neo4j.cli.AdminTool', ...args];
  // Under GNU time where the machine has it, for the CPU time the import took (the benchmark reports it).
  const timed = existsSync('/usr/bin/time');
  const command = timed ? ['/usr/bin/time', '-f', 'BLASTMAP_CPU %U %S', ...java] : java;
  let cpuMs: number | undefined;
  const child = spawn(command[0]!, command.slice(1), {
    cwd: home,
    env: { ...process.env, NEO4J_HOME: home, NEO4J_CONF: join(home, 'conf') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const partial = { stdout: '', stderr: '' };
  const onData = (stream: 'stdout' | 'stderr', chunk: Buffer | null) => {
    // Whole lines only: a chunk may end in the middle of one (the last is flushed when the stream ends).
    const text = partial[stream] + (chunk === null ? '\n' : chunk.toString('utf8'));
    const lines = text.split('\n');
    partial[stream] = lines.pop()!;
    for (const line of lines) {
      if (line.trim() === '') continue;
      // Anywhere in the line: GNU time writes after the importer, whose last line may have no line end.
      const cpu = /BLASTMAP_CPU ([\d.]+) ([\d.]+)\s*$/.exec(line);
      if (cpu) {
        cpuMs = (Number(cpu[1]) + Number(cpu[2])) * 1000;
        continue;
      }
      output.push(line);
      if (output.length > 60) output.shift();
      options.onLine?.(line);
    }
  };
  child.stdout.on('data', (chunk: Buffer) => onData('stdout', chunk));
  child.stderr.on('data', (chunk: Buffer) => onData('stderr', chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  onData('stdout', null);
  onData('stderr', null);
  if (code !== 0) throw new Error(`scripts/neo4j: neo4j-admin ${args.slice(0, 3).join(' ')} failed (exit ${code}):\n${output.slice(-30).join('\n')}`);
  return { cpuMs };
}

/** CPU time (user + system) a running process has used so far, in milliseconds, from /proc; undefined elsewhere. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in clock ticks of 10 ms
  } catch {
    return undefined;
  }
}

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts a fresh, empty Neo4j server with authentication on a free loopback port. */
export async function startNeo4jServer(options: StartOptions = {}): Promise<Neo4jServer> {
  const lib = ensureNeo4jLib((line) => options.onLine?.(line));
  const dataDir = mkdtempSync(join(tmpdir(), 'blastmap-neo4j-'));
  const plugins = join(dataDir, 'plugins');
  mkdirSync(plugins);
  if (options.plugin !== false) copyFileSync(ensurePlugin((line) => options.onLine?.(line)), join(plugins, 'blastmap-neo4j-plugin.jar'));
  let importMs: number | undefined;
  let importCpuMs: number | undefined;
  if (options.importArgs) {
    try {
      const started = performance.now();
      importCpuMs = (await runAdmin(dataDir, options.importArgs, { onLine: options.onLine })).cpuMs;
      importMs = performance.now() - started;
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }
  const port = await freePort();
  const password = `blastmap-${randomBytes(9).toString('hex')}`;
  const child = spawn('java', [`-Xmx${options.heap ?? '2g'}`, `-Dblastmap.plugins=${plugins}`, '-cp', `${lib}/*`, join(HERE, 'Launcher.java'), dataDir, String(port), password], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let exited = false;
  let spawnError: Error | undefined;
  // 'error' without 'exit' is how a missing java shows: both settle the exit, so nothing waits forever.
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => { exited = true; resolve(); });
    child.once('error', (error) => { spawnError = error; exited = true; resolve(); });
  });
  // If this process ends without stop(), the server sees its standard input close and shuts down by itself.
  const killOnExit = () => { if (!exited) child.kill('SIGKILL'); };
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (!exited) {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGTERM'), 30_000);
      const hard = setTimeout(() => child.kill('SIGKILL'), 45_000);
      await exit;
      clearTimeout(timer);
      clearTimeout(hard);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const ready = new Promise<string>((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trimEnd();
        buffered = buffered.slice(newline + 1);
        output.push(line);
        if (output.length > 200) output.shift();
        options.onLine?.(line);
        const match = /^READY (bolt:\/\/\S+)$/.exec(line);
        if (match) resolve(match[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exit.then(() => reject(spawnError
      ? new Error(`scripts/neo4j: cannot start java (${spawnError.message}): Java 17 or later is required`)
      : new Error(`scripts/neo4j: the Neo4j server exited before it was ready:\n${output.slice(-30).join('\n')}`)));
  });
  const timeoutMs = options.timeoutMs ?? 240_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`scripts/neo4j: no Bolt connector after ${timeoutMs / 1000} s:\n${output.slice(-30).join('\n')}`)), timeoutMs);
  });
  try {
    const uri = await Promise.race([ready, timeout]);
    return { uri, user: 'neo4j', password, dataDir, importMs, importCpuMs, pid: child.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--setup')) {
    ensureNeo4jLib((line) => console.error(line));
    console.error(`scripts/neo4j: Neo4j is in ${LIB}`);
    ensurePlugin((line) => console.error(line));
    console.error(`scripts/neo4j: the blastmap procedure plugin is ${PLUGIN_JAR}`);
  } else {
    const heap = process.argv.find((arg) => arg.startsWith('--heap='))?.slice('--heap='.length);
    const server = await startNeo4jServer({ heap, plugin: !process.argv.includes('--no-plugin'), onLine: (line) => { if (!line.startsWith('READY')) console.error(line); } });
    console.log(`NEO4J_URI=${server.uri}\nNEO4J_USER=${server.user}\nNEO4J_PASSWORD=${server.password}`);
    console.error('Neo4j is running (data in a temporary folder, deleted on exit); press Ctrl-C to stop it.');
    const shutdown = () => { void server.stop().then(() => process.exit(0)); };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  }
}
