// The layer every importer shares: pagination envelopes, record validation, scope rules, stub linking.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { GraphNode } from '../../engine/format/native.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { resolveStubs, stubId, stubNode } from '../../engine/store/link.ts';
import { classifyFiles } from '../../importers/common/importer.ts';
import { envelopeRecords, parseRecords } from '../../importers/common/records.ts';
import { assumeLevel, lookupScope, splitScopes, UnknownScopes, type ScopeCatalog } from '../../importers/common/scopes.ts';

const user = z.object({ id: z.string(), mail: z.string().nullable() });

describe('envelopeRecords', () => {
  it('reads OData, bare arrays, arrays of pages and single objects, with the path of each record', () => {
    const keys = ['value', 'users'];
    expect(envelopeRecords({ '@odata.nextLink': 'x', value: [{ a: 1 }, { a: 2 }] }, keys, { file: 'f' }).items.map((i) => i.path)).toEqual(['$.value[0]', '$.value[1]']);
    expect(envelopeRecords([{ a: 1 }], keys, { file: 'f' }).items.map((i) => i.path)).toEqual(['$[0]']);
    expect(envelopeRecords([{ users: [{ a: 1 }] }, { users: [{ a: 2 }, { a: 3 }] }], keys, { file: 'f' }).items.map((i) => i.path)).toEqual(['$[0].users[0]', '$[1].users[0]', '$[1].users[1]']);
    expect(envelopeRecords({ keyId: 'k' }, keys, { file: 'f', single: true }).items).toEqual([{ value: { keyId: 'k' }, path: '$' }]);
  });

  it('reports a Slack error envelope instead of reading it as empty', () => {
    const { items, issues } = envelopeRecords({ ok: false, error: 'missing_scope' }, ['approved_apps'], { file: 'apps.json' });
    expect(items).toEqual([]);
    expect(issues[0]).toMatchObject({ file: 'apps.json', path: '$.ok', found: '"ok": false, "error": "missing_scope"' });
  });

  it('says what it expected when a document has no records', () => {
    const { issues } = envelopeRecords({ something: 1 }, ['value'], { file: 'f.json' });
    expect(issues[0]).toMatchObject({ path: '$', expected: 'an array of records, or an object with "value"', found: 'an object with keys something' });
  });
});

describe('parseRecords', () => {
  const file = { path: 'users.json', text: JSON.stringify({ value: [{ id: 'a', mail: 'a@x' }, { id: 7, mail: null }, { mail: 'c@x' }] }) };

  it('fails with every bad record named by file and JSON path', () => {
    const { records, issues } = parseRecords(user, file, ['value']);
    expect(records.map((r) => r.value.id)).toEqual(['a']);
    expect(issues.map((i) => `${i.file} ${i.path}: ${i.expected}, found ${i.found}`)).toEqual([
      'users.json $.value[1].id: a string, found 7',
      'users.json $.value[2].id: a string, found nothing',
    ]);
  });

  it('skips and reports bad records when lenient', () => {
    const { records, issues, skipped } = parseRecords(user, file, ['value'], { lenient: true });
    expect(records).toHaveLength(1);
    expect(issues).toEqual([]);
    expect(skipped.map((i) => i.path)).toEqual(['$.value[1].id', '$.value[2].id']);
  });

  it('reports malformed JSON with the file name', () => {
    const { issues } = parseRecords(user, { path: 'bad.json', text: '{"value": [' }, ['value']);
    expect(issues[0]).toMatchObject({ file: 'bad.json', path: '$', line: 1, column: 12, message: 'not valid JSON: unexpected end of input' });
  });

  it('reads a file that starts with a byte order mark, as PowerShell writes them', () => {
    const { records, issues } = parseRecords(user, { path: 'users.json', text: `\uFEFF${JSON.stringify({ value: [{ id: 'a', mail: 'a@x' }] })}` }, ['value']);
    expect(issues).toEqual([]);
    expect(records.map((r) => r.value.id)).toEqual(['a']);
  });
});

describe('scopes', () => {
  const catalog: ScopeCatalog = {
    platform: 'test', reference: 'test', patterns: [{ pattern: '^Mail\\.', entry: { level: 'read', resources: ['mailbox'], tenantWide: false } }],
    scopes: { 'User.Read': { level: 'read', resources: ['profile'], tenantWide: false } },
  };

  it('looks up exact names, then patterns, else assumes by the conservative rule', () => {
    expect(lookupScope(catalog, 'User.Read')).toMatchObject({ assumed: false, entry: { level: 'read' } });
    expect(lookupScope(catalog, 'Mail.Send')).toMatchObject({ assumed: false, entry: { resources: ['mailbox'] } });
    expect(lookupScope(catalog, 'Sites.FullControl.All')).toMatchObject({ assumed: true, entry: { level: 'admin' } });
  });

  it('never takes an inherited object property for a catalogue entry', () => {
    for (const scope of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(lookupScope(catalog, scope)).toMatchObject({ assumed: true, entry: { level: 'admin', resources: [] } });
    }
  });

  it('assumes the highest level the name suggests, and admin when it suggests nothing', () => {
    expect(assumeLevel('files.read')).toBe('read');
    expect(assumeLevel('chat:write')).toBe('write');
    expect(assumeLevel('Directory.ReadWrite.All')).toBe('admin');
    expect(assumeLevel('okta.users.manage')).toBe('admin');
    expect(assumeLevel('frobnicate')).toBe('admin');
  });

  it('splits scope strings with stray spaces and commas', () => {
    expect(splitScopes(' Contacts.ReadWrite openid  profile')).toEqual(['Contacts.ReadWrite', 'openid', 'profile']);
    expect(splitScopes('chat:write,channels:read')).toEqual(['chat:write', 'channels:read']);
    expect(splitScopes(['a b', 'c'])).toEqual(['a', 'b', 'c']);
  });

  it('redacts a secret in a scope string before splitting it, so no piece of it survives as a scope', () => {
    // Split first, `SSWS <token>` would be two scopes, neither of which looks like a secret any more.
    const token = ['SS', 'WS ', '00Qx7Lm2Rt9Kp4Vz8Nw3Hc6Jd1Fb5Gs0Ye7Ua2Io'].join('');
    const scopes = splitScopes(`openid ${token} profile`);
    // Only the token is the secret: the `SSWS` scheme before it stays.
    expect(scopes).toEqual(['openid', 'SSWS', '[REDACTED:okta-api-token]', 'profile']);
    expect(splitScopes([token]).join(' ')).not.toContain('00Qx7Lm2');
  });

  it('counts unknown scopes for the import report', () => {
    const unknown = new UnknownScopes();
    unknown.note(lookupScope(catalog, 'x.write'));
    unknown.note(lookupScope(catalog, 'x.write'));
    unknown.note(lookupScope(catalog, 'User.Read'));
    expect(unknown.list()).toEqual([{ scope: 'x.write', count: 2, assumedLevel: 'write' }]);
  });
});

describe('classifyFiles', () => {
  it('sorts files into endpoint roles and lists what it ignored and what is missing', () => {
    const roles = [
      { role: 'users', pattern: /users.*\.json$/, produce: 'GET /users', required: true },
      { role: 'groups', pattern: /groups.*\.json$/, produce: 'GET /groups', required: true },
    ];
    const { byRole, ignored, missing } = classifyFiles([{ path: 'users-page2.json', text: '' }, { path: 'users.json', text: '' }, { path: 'notes.txt', text: '' }], roles);
    expect(byRole.get('users')!.map((f) => f.path)).toEqual(['users-page2.json', 'users.json']);
    expect(ignored).toEqual(['notes.txt']);
    expect(missing.map((r) => r.role)).toEqual(['groups']);
  });
});

describe('cross-platform reference stubs', () => {
  const okta = { id: 'okta:corp.okta.com:identity:00u1', kind: 'Identity', name: 'Alice', platform: 'okta', tenant: 'corp.okta.com', email: 'alice@corp.com' } as GraphNode;
  const stub = stubNode('google-workspace', 'Identity', 'Alice@Corp.com');
  const sso = { kind: 'SSO_TO', from: okta.id, to: stub.id };
  const google = { id: 'google-workspace:corp.com:identity:1001', kind: 'Identity', name: 'Alice G', platform: 'google-workspace', tenant: 'corp.com', email: 'alice@corp.com' } as GraphNode;
  const mailbox = { id: 'google-workspace:corp.com:resource:mailbox/1001', kind: 'Resource', name: 'Mailbox', platform: 'google-workspace', tenant: 'corp.com' } as GraphNode;
  const read = { kind: 'CAN_READ', from: google.id, to: mailbox.id };
  const batch = (nodes: GraphNode[], edges: { kind: string; from: string; to: string }[]) => ({ fragment: { nodes, edges }, provenance: { nodePaths: nodes.map((n) => n.id), edgePaths: edges.map((e) => e.to) }, redactions: 0 });

  it('keys stubs by platform, kind and lower-cased key', () => {
    expect(stubId('google-workspace', 'Identity', 'Alice@Corp.com')).toBe('google-workspace:*:identity:alice@corp.com');
  });

  it('resolves a stub to the one node with that email, whichever platform is imported first', () => {
    for (const order of [[[okta, stub], [google, mailbox]], [[google, mailbox], [okta, stub]]] as GraphNode[][][]) {
      const first = assembleGraph([batch(order[0]!, order[0]!.includes(okta) ? [sso] : [read])]).graph;
      const { graph, report } = assembleGraph([batch(order[1]!, order[1]!.includes(okta) ? [sso] : [read])], first);
      expect(report.links.resolved).toBe(1);
      expect(graph.indexOf.has(stub.id)).toBe(false);
      const from = graph.indexOf.get(okta.id)!;
      expect(graph.nodes[graph.edgeDst[graph.fwdOffsets[from]!]!]!.id).toBe(google.id);
    }
  });

  it('keeps a stub that matches nothing, or several nodes, and says so', () => {
    const twin = { ...google, id: 'google-workspace:corp.com:identity:1002' };
    const { fragment, report } = resolveStubs({ nodes: [okta, stub, google, twin], edges: [sso] });
    expect(report.unresolved).toEqual([{ id: stub.id, candidates: 2 }]);
    expect(fragment.nodes.map((n) => n.id)).toContain(stub.id);
  });
});

describe('importExport: the tenant an option names is bounded like the tenants exports name', () => {
  it('refuses a --tenant (or workspace tenant folder) longer than 256 characters before any importer folds it into every node id', async () => {
    const { importExport } = await import('../../importers/index.ts');
    const { BlastmapError } = await import('../../engine/errors.ts');
    const files = [{ path: 'users.json', text: '[]' }];
    for (const option of ['tenant', 'tenantFallback'] as const) {
      let error: unknown;
      try {
        importExport('okta', files, { [option]: `${'a'.repeat(300_000)}.okta.com` });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(BlastmapError);
      expect((error as InstanceType<typeof BlastmapError>).code).toBe('INVALID_OPTION');
      expect((error as Error).message).toContain('at most 256');
      expect((error as Error).message.length).toBeLessThan(300);
    }
    expect(importExport('okta', [{ path: 'users.json', text: '[]' }], { tenant: `${'a'.repeat(240)}.okta.com` }).sourced.fragment.nodes.length).toBeGreaterThan(0);
  });
});
