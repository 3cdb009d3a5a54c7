// `blastmap serve` as a real process: it prints its URL, answers on 127.0.0.1 only, refuses other host names,
// and stops cleanly on SIGTERM. `demo --open` starts the same server on the demo graph.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, REPO } from '../../helpers/cli.ts';

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts the CLI and resolves with the URL it prints. */
function start(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1', BLASTMAP_NO_BROWSER: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /blastmap UI: (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited with ${code} before printing a URL:\n${output}`)); });
  });
}

function get(url: string, host?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => { body += chunk.toString(); });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const stop = (child: ChildProcess) => new Promise<number | null>((resolve) => {
  child.once('exit', (code) => resolve(code));
  child.kill('SIGTERM');
});

describe('blastmap serve', () => {
  it('serves the UI and the API on 127.0.0.1, refuses foreign host names and stops on SIGTERM', async () => {
    const { child, url } = await start(['serve', '--graph', join(REPO, 'test/fixtures/native'), '--port', '0']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const meta = await get(`${url}api/meta`);
    expect(meta.status).toBe(200);
    expect(JSON.parse(meta.body).nodeCount).toBeGreaterThan(0);
    const page = await get(url);
    expect(page.body).toContain('<div id="graph">');
    expect((await get(`${url}api/meta`, 'attacker.example')).status).toBe(421);
    expect(await stop(child)).toBe(0);
  });

  it('`demo --open` prints the brief, then serves the demo graph opened on the riskiest connector', async () => {
    const { child, url, output } = await start(['demo', '--open', '--at', '2026-11-01']);
    expect(output()).toContain('BLAST RADIUS: Parley Chat');
    expect(url).toContain('sources=parley%3Aprod%3Aapp%3Aparley-chat');
    const meta = JSON.parse((await get(new URL('/api/meta', url).href)).body);
    expect(meta.riskiest[0].id).toBe('parley:prod:app:parley-chat');
    expect(await stop(child)).toBe(0);
  });
});
