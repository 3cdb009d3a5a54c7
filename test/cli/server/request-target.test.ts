// Issue #20, item 6, against a real server listening on 127.0.0.1 and raw HTTP written on a socket (fetch cannot
// send these): the token link never redirects off the server, and neither an absolute-form request target nor a
// second Host header gets a request past the Host check.
import { connect } from 'node:net';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sameOriginLocation } from '../../../cli/server/app.ts';
import { startServer, type RunningServer } from '../../../cli/server/start.ts';
import { scenario } from '../../helpers/scenario.ts';

const TOKEN = 'request-target-token-0123456789';
const { graph } = scenario((s) => { s.app('crm'); s.resource('cases'); s.edge('CAN_READ', 'crm', 'cases'); });
const uiDir = mkdtempSync(join(tmpdir(), 'blastmap-target-ui-'));
mkdirSync(join(uiDir, 'assets'));
writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>ui</title>');

/** Sends raw bytes, returns the status code and headers of the answer. */
function raw(port: number, text: string): Promise<{ status: number; headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => { data += chunk; });
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = ''] = data.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers });
    });
    socket.write(text);
  });
}

const request = (target: string, headers: string[]) => `GET ${target} HTTP/1.1\r\n${[...headers, 'Connection: close'].join('\r\n')}\r\n\r\n`;

describe('a loopback server with a token', () => {
  let server: RunningServer;
  let host = '';
  beforeAll(async () => {
    server = await startServer({ graph, port: 0, uiDir, token: TOKEN, rateLimit: false });
    host = `127.0.0.1:${server.port}`;
  });
  afterAll(async () => { await server.close(); });

  it('answers a well-formed request (the checks below are not refusing everything)', async () => {
    const answer = await raw(server.port, request('/api/health', [`Host: ${host}`, `Authorization: Bearer ${TOKEN}`]));
    expect(answer.status).toBe(200);
  });

  it('redirects GET //evil.com/?token=<valid> to a path on this server, never to //evil.com/', async () => {
    for (const target of [`//evil.com/?token=${TOKEN}`, `///evil.com/x?token=${TOKEN}&a=1`, `/\\evil.com/?token=${TOKEN}`, `/%2F%2Fevil.com/?token=${TOKEN}`]) {
      const answer = await raw(server.port, request(target, [`Host: ${host}`]));
      // Node's parser refuses a backslash in the target itself (400); every other one is redirected.
      if (target.startsWith('/\\')) { expect(answer.status, target).toBe(400); continue; }
      expect(answer.status, target).toBe(303);
      const location = answer.headers.location!;
      expect(location, target).toMatch(/^\/(?![/\\])/);
      // Resolved by a browser against the page, it stays on this server.
      expect(new URL(location, `http://${host}/`).host, target).toBe(host);
      expect(location).not.toContain(TOKEN);
    }
  });

  it('refuses an absolute-form target naming this server when the Host header names another (400)', async () => {
    const answer = await raw(server.port, request(`http://${host}/api/health`, ['Host: evil.example', `Authorization: Bearer ${TOKEN}`]));
    expect(answer.status).toBe(400);
    const same = await raw(server.port, request(`http://${host}/api/health`, [`Host: ${host}`, `Authorization: Bearer ${TOKEN}`]));
    expect(same.status).toBe(400);
  });

  it('refuses two Host headers, in either order (400)', async () => {
    for (const hosts of [[`Host: ${host}`, 'Host: evil.example'], ['Host: evil.example', `Host: ${host}`], [`Host: ${host}`, `Host: ${host}`]]) {
      const answer = await raw(server.port, request('/api/health', [...hosts, `Authorization: Bearer ${TOKEN}`]));
      expect(answer.status, hosts.join(', ')).toBe(400);
    }
  });

  it('still refuses a foreign Host header (421)', async () => {
    const answer = await raw(server.port, request('/api/health', ['Host: evil.example', `Authorization: Bearer ${TOKEN}`]));
    expect(answer.status).toBe(421);
  });
});

describe('the redirect target', () => {
  it('stays on the server for any path a request can carry', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('/', '\\', '/', 'evil.com', '.', '%2F', '@', ':', 'a'), { maxLength: 12 }), fc.string({ maxLength: 8 }), (parts, query) => {
      const url = new URL(`http://127.0.0.1:7420/${parts.join('')}?q=${encodeURIComponent(query)}`);
      const location = sameOriginLocation(url);
      expect(new URL(location, 'http://127.0.0.1:7420/page').host).toBe('127.0.0.1:7420');
    }), { numRuns: 500 });
  });
});
