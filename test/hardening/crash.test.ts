// Crash safety of snapshot saves: a writer killed with SIGKILL mid-write leaves the previous snapshot byte for byte
// intact and loadable, its temporary file is never read as the snapshot and is cleaned up by the next save, and a
// second writer is refused with a clear error while the first holds the lock (and told how to recover once it died).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { loadGraph } from '../../cli/load-graph.ts';
import { readSnapshotFile, writeSnapshotFile } from '../../cli/snapshot-file.ts';
import { BlastmapError } from '../../engine/errors.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';
import { scenario } from '../helpers/scenario.ts';

const CHILD = join(import.meta.dirname, 'crash-child.ts');
const FIXTURE = join(REPO, 'test/fixtures/native/drift-mini.yaml');
/** Nodes of the graph the child saves: a snapshot of tens of megabytes, so the write takes a while. */
const NODES = 60_000;

const children: ChildProcess[] = [];
afterEach(() => { for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });

function startChild(args: string[]): { child: ChildProcess; line: (text: string) => Promise<void>; exited: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, [join(REPO, 'bin/run-ts.js'), CHILD, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = (text: string) => new Promise<void>((resolve, reject) => {
    const check = () => {
      if (output.includes(`${text}\n`)) { resolve(); return; }
      if (child.exitCode !== null) { reject(new Error(`child exited before "${text}":\n${output}`)); return; }
      setTimeout(check, 5);
    };
    check();
  });
  return { child, line, exited, output: () => output };
}

/** Resolves once `path` exists, polling as fast as the event loop allows. */
function appears(path: string, child: ChildProcess): Promise<boolean> {
  return new Promise((resolve) => {
    const check = () => {
      if (existsSync(path)) resolve(true);
      else if (child.exitCode !== null) resolve(false);
      else setImmediate(check);
    };
    check();
  });
}

function previousSnapshot(): { dir: string; path: string; bytes: Buffer; nodes: number } {
  const dir = tempDir('blastmap-crash-');
  const path = join(dir, 'graph.bmap');
  const { graph } = scenario((s) => { s.app('crm'); s.credential('token'); s.resource('cases', { tags: ['pii'] }); s.edge('HOLDS', 'crm', 'token').edge('CAN_READ', 'token', 'cases'); });
  writeSnapshotFile(path, graph);
  return { dir, path, bytes: readFileSync(path), nodes: graph.nodeCount };
}

describe('a save killed with SIGKILL', () => {
  it('leaves the previous snapshot intact and loadable; its temporary file is never taken for the snapshot and goes at the next save', async () => {
    const previous = previousSnapshot();
    const { child, line, exited } = startChild(['write', previous.path, String(NODES)]);
    await line('writing');
    const temporary = `${previous.path}.${child.pid}.tmp`;
    expect(await appears(temporary, child), 'the child finished before its temporary file was seen').toBe(true);
    child.kill('SIGKILL');
    await exited;
    expect(child.signalCode).toBe('SIGKILL');

    // The snapshot is the previous one, byte for byte, and decodes to the same graph.
    expect(readFileSync(previous.path).equals(previous.bytes)).toBe(true);
    expect(readSnapshotFile(previous.path).nodeCount).toBe(previous.nodes);
    expect((await loadGraph(previous.path)).nodeCount).toBe(previous.nodes);
    // What the killed writer left: its lock and (unless the kill came between fsync and rename) a partial temporary file.
    expect(existsSync(`${previous.path}.lock`)).toBe(true);
    if (existsSync(temporary)) {
      try {
        expect(readSnapshotFile(temporary).nodeCount).toBe(NODES);
      } catch (error) {
        expect(error).toBeInstanceOf(BlastmapError);
        expect((error as BlastmapError).code).toBe('INVALID_SNAPSHOT');
      }
    }

    // The lock names the killed writer and this host; the next writer takes it over and says so (issue #20, item 7).
    expect(JSON.parse(readFileSync(`${previous.path}.lock`, 'utf8'))).toEqual({ pid: child.pid, host: hostname() });
    const next = await runCli(['import', 'native', FIXTURE, '--graph', previous.path]);
    expect(next.code, next.err).toBe(0);
    expect(next.err).toContain(`took over ${previous.path}.lock: it was left by process ${child.pid} on this host, which is no longer running`);
    expect(readSnapshotFile(previous.path).nodeCount).toBeGreaterThan(previous.nodes);
    // No temporary or lock file is left; history/ holds the states the saves replaced (cli/history.ts).
    expect(readdirSync(previous.dir).sort()).toEqual(['graph.bmap', 'history']);
    expect(readdirSync(join(previous.dir, 'history')).every((name) => /^graph@.+\.bmap$/.test(name))).toBe(true);
  }, 120_000);

  it('at any moment of the save leaves a snapshot that decodes: the previous one or the complete new one', async () => {
    const previous = previousSnapshot();
    const outcomes = new Set<string>();
    for (const delay of [2, 40, 400]) {
      rmSync(`${previous.path}.lock`, { force: true });
      const { child, line, exited } = startChild(['write', previous.path, String(NODES)]);
      await line('writing');
      await appears(`${previous.path}.${child.pid}.tmp`, child);
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGKILL');
      await exited;
      const graph = readSnapshotFile(previous.path);
      if (readFileSync(previous.path).equals(previous.bytes)) outcomes.add('previous');
      else {
        expect(graph.nodeCount).toBe(NODES);
        outcomes.add('new');
      }
    }
    expect(outcomes.has('previous')).toBe(true);
  }, 240_000);
});

describe('a second writer', () => {
  it('is refused with the first writer\'s process id while it holds the lock, and the snapshot is untouched', async () => {
    const previous = previousSnapshot();
    const { child, line, exited } = startChild(['hold', previous.path]);
    await line('locked');
    const refused = await runCli(['import', 'native', FIXTURE, '--graph', previous.path]);
    expect(refused.code).toBe(6);
    expect(refused.err).toContain(`is being written by process ${child.pid}`);
    expect(readFileSync(previous.path).equals(previous.bytes)).toBe(true);
    child.kill('SIGKILL');
    await exited;
  }, 60_000);

  it('`blastmap import` takes over a lock a killed import left on this host, says so, and imports (issue #20, item 7)', async () => {
    const dir = tempDir('blastmap-lock-');
    const snapshot = join(dir, 'graph.bmap');
    expect((await runCli(['import', 'native', FIXTURE, '--graph', snapshot])).code).toBe(0);
    // What a killed import leaves: its lock, naming a process of this host that no longer runs.
    writeFileSync(`${snapshot}.lock`, `${JSON.stringify({ pid: 999_999_999, host: hostname() })}\n`);
    const run = await runCli(['import', 'native', FIXTURE, '--graph', snapshot]);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toContain(`note: took over ${snapshot}.lock: it was left by process 999999999 on this host, which is no longer running`);
    expect(existsSync(`${snapshot}.lock`)).toBe(false);
    // An older blastmap's lock names its pid alone, no host: it is not taken over (the process may run elsewhere),
    // and the error says it is not running here and what to delete.
    writeFileSync(`${snapshot}.lock`, '999999999\n');
    const old = await runCli(['import', 'native', FIXTURE, '--graph', snapshot]);
    expect(old.code).toBe(6);
    expect(old.err).toContain(`is locked by process 999999999, which is no longer running (it was interrupted; the snapshot itself is intact): delete ${snapshot}.lock and retry`);
  });

  it('is refused when the lock names a process on another host, which this host cannot check', async () => {
    const previous = previousSnapshot();
    writeFileSync(`${previous.path}.lock`, `${JSON.stringify({ pid: 999_999_999, host: 'build-agent-7' })}\n`);
    const refused = await runCli(['import', 'native', FIXTURE, '--graph', previous.path]);
    expect(refused.code).toBe(6);
    expect(refused.err).toContain('is being written by process 999999999 on host build-agent-7');
    expect(readFileSync(previous.path).equals(previous.bytes)).toBe(true);
  });

  it('takes over the lock of a killed holder exactly once when several writers recover at the same time', async () => {
    const previous = previousSnapshot();
    const { child, line, exited } = startChild(['hold', previous.path]);
    await line('locked');
    child.kill('SIGKILL');
    await exited;
    // Four processes race for the dead holder's lock; each holds what it gets for a while, so overlaps would show.
    const racers = Array.from({ length: 4 }, () => startChild(['hold-briefly', previous.path]));
    const results = await Promise.all(racers.map((r) => r.exited.then(() => r)));
    const outputs = results.map((r) => r.output());
    const holders = outputs.filter((out) => out.includes('locked'));
    expect(holders.length, outputs.join('\n---\n')).toBeGreaterThanOrEqual(1);
    // Never two at once: each holder saw no other holder's marker while it held the lock.
    for (const out of holders) expect(out, outputs.join('\n---\n')).toContain('alone');
    // The dead holder's lock is taken over once, by one of them, and that one says so.
    expect(outputs.filter((out) => out.includes('took over')).length, outputs.join('\n---\n')).toBe(1);
    expect(existsSync(`${previous.path}.lock`)).toBe(false);
  }, 60_000);
});
