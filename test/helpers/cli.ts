// Runs the CLI in-process with captured output (fast), or as a real process (for TTY and env behaviour).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pc from 'picocolors';
import { main } from '../../cli/main.ts';
import type { Io } from '../../cli/context.ts';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export const REPO = resolve(import.meta.dirname, '../..');
export const BIN = join(REPO, 'bin/blastmap.js');

/** Calls main() with a capturing Io; process.exitCode is restored afterwards. */
export async function runCli(args: readonly string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (text) => { out += text.endsWith('\n') ? text : `${text}\n`; },
    err: (text) => { err += text.endsWith('\n') ? text : `${text}\n`; },
    color: pc.createColors(false),
    isTty: false,
  };
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'blastmap', ...args], io);
    return { code, out, err };
  } finally {
    process.exitCode = saved;
  }
}

/** Runs bin/blastmap.js as a child process. */
export function spawnCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO, env: options.env ?? process.env, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status ?? -1, out: result.stdout, err: result.stderr };
}

export function tempDir(prefix = 'blastmap-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
