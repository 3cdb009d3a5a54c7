// The native importer: the same fragment as JSON, YAML or NDJSON; errors that name file, JSON path,
// expectation and finding, all at once; secrets scrubbed on the way in; idempotent, merging assembly.
import { describe, expect, it } from 'vitest';
import { BlastmapError, type InputIssue } from '../../engine/errors.ts';
import type { SourcedFragment } from '../../engine/format/validate.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { toFragment } from '../../engine/store/compact.ts';
import { parseNative, toNdjson } from '../../importers/native/index.ts';

const FRAGMENT = {
  nodes: [
    { id: 'github:acme:platform:acme', kind: 'Platform', name: 'Acme on GitHub', platform: 'github', tenant: 'acme', vendor: 'GitHub' },
    { nativeId: 'Drift-123', kind: 'App', name: 'Drift', platform: 'github', tenant: 'ACME', thirdParty: true, tags: ['production'] },
    { id: 'github:acme:credential:inst-9', kind: 'Credential', name: 'Drift installation token', platform: 'github', tenant: 'acme', type: 'access-token', expiresAt: '2026-01-01' },
    { id: 'github:acme:resource:api', kind: 'Resource', name: 'acme/api', platform: 'github', tenant: 'acme', tags: ['source-code'], resourceType: 'repository', properties: { private: true, topics: ['go', 'api'] } },
  ],
  edges: [
    { kind: 'HOLDS', from: 'github:acme:app:Drift-123', to: 'github:acme:credential:inst-9' },
    { kind: 'CAN_READ', from: 'github:acme:credential:inst-9', to: 'github:acme:resource:api', scopes: ['contents:read'], reason: 'The installation can read repository contents.' },
    { kind: 'INSTALLED_IN', from: 'github:acme:app:Drift-123', to: 'github:acme:platform:acme' },
  ],
};

const JSON_TEXT = JSON.stringify(FRAGMENT, null, 2);

const YAML_TEXT = `# Drift's GitHub installation
nodes:
  - id: github:acme:platform:acme
    kind: Platform
    name: Acme on GitHub
    platform: github
    tenant: acme
    vendor: GitHub
  - nativeId: Drift-123
    kind: App
    name: Drift
    platform: github
    tenant: ACME
    thirdParty: true
    tags: [production]
  - id: github:acme:credential:inst-9
    kind: Credential
    name: Drift installation token
    platform: github
    tenant: acme
    type: access-token
    expiresAt: 2026-01-01
  - id: github:acme:resource:api
    kind: Resource
    name: acme/api
    platform: github
    tenant: acme
    tags: [source-code]
    resourceType: repository
    properties: { private: true, topics: [go, api] }
edges:
  - { kind: HOLDS, from: "github:acme:app:Drift-123", to: "github:acme:credential:inst-9" }
  - kind: CAN_READ
    from: github:acme:credential:inst-9
    to: github:acme:resource:api
    scopes: ["contents:read"]
    reason: The installation can read repository contents.
  - { kind: INSTALLED_IN, from: "github:acme:app:Drift-123", to: "github:acme:platform:acme" }
`;

const NDJSON_TEXT = `${[...FRAGMENT.nodes, ...FRAGMENT.edges].map((record) => JSON.stringify(record)).join('\n')}\n`;

function parsedOk(text: string, file: string): SourcedFragment {
  const result = parseNative(text, { file });
  if (!result.ok) throw new Error(`expected ${file} to parse: ${JSON.stringify(result.issues)}`);
  return result.value;
}

function issuesOf(text: string, file: string): InputIssue[] {
  const result = parseNative(text, { file });
  if (result.ok) throw new Error(`expected ${file} to be refused`);
  return result.issues;
}

describe('one fragment, three formats', () => {
  it('JSON, YAML and NDJSON versions of the same fragment give the same fragment', () => {
    const fromJson = parsedOk(JSON_TEXT, 'drift.json').fragment;
    expect(parsedOk(YAML_TEXT, 'drift.yaml').fragment).toEqual(fromJson);
    expect(parsedOk(NDJSON_TEXT, 'drift.ndjson').fragment).toEqual(fromJson);
    expect(fromJson.nodes).toHaveLength(4);
    expect(fromJson.edges).toHaveLength(3);
  });

  it('toNdjson writes what parseNative reads back', () => {
    const { fragment } = parsedOk(JSON_TEXT, 'drift.json');
    expect(parsedOk(toNdjson(fragment), 'again.ndjson').fragment).toEqual(fragment);
  });

  it('the format is detected from the content when the file name does not say', () => {
    const fromJson = parsedOk(JSON_TEXT, 'drift.json').fragment;
    for (const text of [JSON_TEXT, YAML_TEXT, NDJSON_TEXT]) expect(parseNative(text)).toMatchObject({ ok: true, value: { fragment: fromJson } });
  });

  it('a node without id but with nativeId gets the derived id, fixed parts in lower case', () => {
    const { fragment } = parsedOk(JSON_TEXT, 'drift.json');
    expect(fragment.nodes[1]!.id).toBe('github:acme:app:Drift-123');
    expect(fragment.nodes[1]!.nativeId).toBe('Drift-123');
  });

  it('dates are normalised to UTC instants (an unquoted YAML date stays a date)', () => {
    expect(parsedOk(YAML_TEXT, 'drift.yaml').fragment.nodes[2]!.expiresAt).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe('errors name file, JSON path, expectation and finding', () => {
  const node = (over: Record<string, unknown>) => ({ id: 'x:t:resource:r', kind: 'Resource', name: 'r', platform: 'x', tenant: 't', ...over });

  it('every error of a file comes back together', () => {
    const text = JSON.stringify({
      nodes: [node({}), node({ id: 'x:t:resource:a', kind: 'Robot' }), node({ id: 'x:t:resource:b', platform: 'GitHub' })],
      edges: [{ kind: 'CAN_READ', from: 'x:t:resource:a', to: 'x:t:resource:b', weight: 3 }],
    });
    const issues = issuesOf(text, 'acme.json');
    expect(issues).toHaveLength(3);
    expect(issues.map((issue) => issue.path).sort()).toEqual(['$.edges[0]', '$.nodes[1].kind', '$.nodes[2].platform']);
    for (const issue of issues) expect(issue.file).toBe('acme.json');
    const kind = issues.find((issue) => issue.path === '$.nodes[1].kind')!;
    expect(kind.found).toBe('"Robot"');
    expect(kind.expected).toContain('"Resource"');
    const platform = issues.find((issue) => issue.path === '$.nodes[2].platform')!;
    expect(platform.found).toBe('"GitHub"');
    expect(platform.expected).toMatch(/lower-case platform key/);
    const unknown = issues.find((issue) => issue.path === '$.edges[0]')!;
    expect(unknown.found).toContain('"weight"');
    expect(unknown.message).toContain('weight');
  });

  it('a Credential without type is an error at its type', () => {
    const issues = issuesOf(JSON.stringify({ nodes: [node({ kind: 'Credential', id: 'x:t:credential:k' })] }), 'k.json');
    expect(issues).toEqual([expect.objectContaining({ file: 'k.json', path: '$.nodes[0].type', found: 'nothing', expected: expect.stringContaining('credential type') })]);
  });

  it('a node with neither id nor nativeId is an error at its id', () => {
    const { id: _id, ...anonymous } = node({});
    expect(issuesOf(JSON.stringify({ nodes: [anonymous] }), 'n.json')).toEqual([expect.objectContaining({ path: '$.nodes[0].id' })]);
  });

  it('unknown fields are errors, on nodes, edges and the document', () => {
    const issues = issuesOf(JSON.stringify({ nodes: [node({ colour: 'red' })], edges: [], extra: 1 }), 'u.json');
    expect(issues.map((issue) => [issue.path, issue.found]).sort()).toEqual([['$', '"extra"'], ['$.nodes[0]', '"colour"']]);
  });

  it('a wrong type names what was expected and what was found', () => {
    const [issue] = issuesOf(JSON.stringify({ nodes: [node({ sensitivity: 'high' })] }), 's.json');
    expect(issue).toMatchObject({ path: '$.nodes[0].sensitivity', expected: 'a number', found: '"high"' });
  });

  it('malformed JSON is one issue at $, with the parser\'s reason, line and column', () => {
    expect(issuesOf('{"nodes": [', 'broken.json')).toEqual([expect.objectContaining({ file: 'broken.json', path: '$', line: 1, column: 12, message: 'not valid JSON: unexpected end of input' })]);
    expect(issuesOf('{"version": 1,\n  "nodes": [,]}', 'comma.json')).toEqual([expect.objectContaining({ file: 'comma.json', path: '$', line: 2, column: 13, message: "not valid JSON: unexpected token ','" })]);
  });

  it('YAML issues carry the line of the offending value', () => {
    const text = YAML_TEXT.replace('    kind: Credential', '    kind: Token').replace('    platform: github\n    tenant: acme\n    tags', '    platform: Git Hub\n    tenant: acme\n    tags');
    const lineOf = (needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;
    expect([lineOf('kind: Token'), lineOf('platform: Git Hub')]).toEqual([17, 26]);
    const issues = issuesOf(text, 'drift.yaml');
    expect(issues.map((issue) => [issue.path, issue.line, issue.found]).sort()).toEqual([
      ['$.nodes[2].kind', 17, '"Token"'],
      ['$.nodes[3].platform', 26, '"Git Hub"'],
    ]);
    for (const issue of issues) expect(issue.file).toBe('drift.yaml');
  });

  it('malformed YAML is reported once, with the parser\'s reason, line and column', () => {
    const [issue] = issuesOf('nodes:\n  - id: a\n    kind: [unclosed\n', 'bad.yaml');
    expect(issue).toMatchObject({ file: 'bad.yaml', path: '$', message: expect.stringMatching(/^not valid YAML: \S/) });
    expect(issue!.line).toBeGreaterThanOrEqual(3);
    expect(issue!.column).toBeGreaterThanOrEqual(1);
    // A file pasted with its Markdown code fence: the parser complains on many lines; the first complaint is the one.
    const fenced = ['```yaml', 'version: 1', 'nodes:', ...Array.from({ length: 100 }, (_, i) => `  - { nativeId: a${i}, kind: App, name: A${i}, platform: x, tenant: t }`), '```', ''].join('\n');
    expect(issuesOf(fenced, 'fenced.yaml')).toEqual([expect.objectContaining({ file: 'fenced.yaml', path: '$', line: 1, column: 1, message: expect.stringMatching(/^not valid YAML: /) })]);
  });

  it('NDJSON issues carry their line, and every bad line is reported', () => {
    const lines = NDJSON_TEXT.trimEnd().split('\n');
    lines[1] = JSON.stringify({ ...FRAGMENT.nodes[1], kind: 'Robot' });
    lines[3] = JSON.stringify({ ...FRAGMENT.nodes[3], platform: 'Git Hub' });
    lines[5] = '{ not json';
    const issues = issuesOf(lines.join('\n'), 'drift.ndjson');
    expect(issues.map((issue) => [issue.line, issue.path, issue.found])).toEqual([
      [2, '$.kind', '"Robot"'],
      [4, '$.platform', '"Git Hub"'],
      [6, '$', undefined],
    ]);
    for (const issue of issues) expect(issue.file).toBe('drift.ndjson');
  });
});

describe('secrets never enter the graph', () => {
  const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';
  const GITHUB_TOKEN = `ghp_${'a1B2c3D4e5'.repeat(4)}`;
  const SLACK_TOKEN = ['xo', 'xb-', '1234567890-abcdefghij'].join('');
  const text = JSON.stringify({
    nodes: [
      { id: 'aws:111:credential:k1', kind: 'Credential', type: 'api-key', name: `CI key ${AWS_KEY}`, platform: 'aws', tenant: '111', properties: { note: `see ${GITHUB_TOKEN}`, client_secret: 's3cr3t-value', owner: 'ci' } },
      { id: 'aws:111:identity:ci', kind: 'Identity', name: 'ci', platform: 'aws', tenant: '111' },
    ],
    edges: [{ kind: 'AUTHENTICATES_AS', from: 'aws:111:credential:k1', to: 'aws:111:identity:ci', reason: `found next to ${SLACK_TOKEN}` }],
  });

  it('secret-shaped strings in a name, a property or a reason are redacted and counted; client_secret is dropped; a key id stays', () => {
    const { fragment, redactions } = parsedOk(text, 'keys.json');
    const key = fragment.nodes[0]!;
    // An access key id identifies the key (what a responder searches for); it grants nothing and is kept.
    expect(key.name).toBe(`CI key ${AWS_KEY}`);
    expect(key.properties).toEqual({ note: expect.stringMatching(/^see \[REDACTED:github-token:[0-9a-f]{16}\]$/), owner: 'ci' });
    expect(fragment.edges[0]!.reason).toMatch(/^found next to \[REDACTED:slack-token:[0-9a-f]{16}\]$/);
    expect(redactions).toBe(3);
    const serialised = JSON.stringify(fragment);
    for (const secret of [GITHUB_TOKEN, SLACK_TOKEN, 's3cr3t-value']) expect(serialised).not.toContain(secret);
  });

  it('the same scrubbing applies to YAML and NDJSON', () => {
    const fromJson = parsedOk(text, 'keys.json');
    const record = JSON.parse(text) as { nodes: object[]; edges: object[] };
    const ndjson = [...record.nodes, ...record.edges].map((r) => JSON.stringify(r)).join('\n');
    const fromNdjson = parsedOk(ndjson, 'keys.ndjson');
    expect(fromNdjson.fragment).toEqual(fromJson.fragment);
    expect(fromNdjson.redactions).toBe(3);
    const fromYaml = parsedOk(text, 'keys.yaml'); // JSON is YAML
    expect(fromYaml.fragment).toEqual(fromJson.fragment);
    expect(fromYaml.redactions).toBe(3);
  });
});

describe('duplicate ids in one file', () => {
  const platform = { id: 'x:t:platform:p', kind: 'Platform', name: 'P', platform: 'x', tenant: 't' };

  it('conflicting duplicates are an error naming both places and the differing field', () => {
    const issues = issuesOf(JSON.stringify({ nodes: [platform, { id: 'x:t:resource:r', kind: 'Resource', name: 'r', platform: 'x', tenant: 't' }, { ...platform, name: 'Other' }] }), 'dup.json');
    expect(issues).toEqual([expect.objectContaining({ file: 'dup.json', path: '$.nodes[2].id' })]);
    expect(issues[0]!.found).toContain('$.nodes[0]');
    expect(issues[0]!.found).toContain('name');
  });

  it('identical repeats are fine and become one node', () => {
    const parsed = parsedOk(JSON.stringify({ nodes: [platform, { ...platform }] }), 'rep.json');
    expect(assembleGraph([parsed]).graph.nodeCount).toBe(1);
  });
});

describe('assembling imported fragments', () => {
  const assembleIssues = (batch: SourcedFragment[]): InputIssue[] => {
    try {
      assembleGraph(batch);
    } catch (error) {
      expect(error).toBeInstanceOf(BlastmapError);
      expect((error as BlastmapError).code).toBe('INVALID_INPUT');
      return [...(error as BlastmapError).issues];
    }
    throw new Error('assembleGraph accepted a broken batch');
  };
  const base = JSON.parse(JSON_TEXT) as typeof FRAGMENT;

  it('a dangling edge and an edge joining kinds its kind does not allow are refused, naming file and path', () => {
    const broken = {
      ...base,
      edges: [
        ...base.edges,
        { kind: 'CAN_READ', from: 'github:acme:credential:inst-9', to: 'github:acme:resource:missing' },
        { kind: 'HOLDS', from: 'github:acme:resource:api', to: 'github:acme:credential:inst-9' },
      ],
    };
    const issues = assembleIssues([parsedOk(JSON.stringify(broken), 'broken.json')]);
    expect(issues.map((issue) => [issue.file, issue.path])).toEqual([['broken.json', '$.edges[3].to'], ['broken.json', '$.edges[4].from']]);
    expect(issues[0]!.found).toContain('github:acme:resource:missing');
    expect(issues[1]!.expected).toBe('a App or Identity node for HOLDS.from');
    expect(issues[1]!.found).toContain('Resource');
  });

  it('issues from YAML and NDJSON files carry the line of the edge', () => {
    const yaml = `${YAML_TEXT}  - { kind: CAN_READ, from: "github:acme:credential:inst-9", to: "github:acme:resource:missing" }\n`;
    const [fromYaml] = assembleIssues([parsedOk(yaml, 'drift.yaml')]);
    expect(fromYaml).toMatchObject({ file: 'drift.yaml', path: '$.edges[3].to', line: YAML_TEXT.split('\n').length });
    const ndjson = `${NDJSON_TEXT}${JSON.stringify({ kind: 'CAN_READ', from: 'github:acme:credential:inst-9', to: 'github:acme:resource:missing' })}\n`;
    const [fromNdjson] = assembleIssues([parsedOk(ndjson, 'drift.ndjson')]);
    expect(fromNdjson).toMatchObject({ file: 'drift.ndjson', path: '$[line 8].to', line: 8 });
  });

  it('an edge may point at a node of another file in the batch, or of the existing graph', () => {
    const nodesOnly = parsedOk(JSON.stringify({ nodes: base.nodes }), 'nodes.json');
    const edgesOnly = () => parsedOk(JSON.stringify({ edges: base.edges }), 'edges.json');
    expect(assembleGraph([nodesOnly, edgesOnly()]).graph.edgeCount).toBe(3);
    const existing = assembleGraph([nodesOnly]).graph;
    expect(assembleGraph([edgesOnly()], existing).graph.edgeCount).toBe(3);
  });

  it('importing the same fragment twice yields the same graph (idempotent ids)', () => {
    for (const [text, file] of [[JSON_TEXT, 'drift.json'], [YAML_TEXT, 'drift.yaml'], [NDJSON_TEXT, 'drift.ndjson']] as const) {
      const once = assembleGraph([parsedOk(text, file)]).graph;
      const twice = assembleGraph([parsedOk(text, file)], once);
      expect(toFragment(twice.graph), file).toEqual(toFragment(once));
      expect(twice.report).toMatchObject({ nodesBefore: 4, edgesBefore: 3, nodes: 4, edges: 3 });
      expect(toFragment(assembleGraph([parsedOk(text, file), parsedOk(text, file)]).graph)).toEqual(toFragment(once));
    }
  });

  it('two fragments describing the same node merge into one, with tags unioned and gaps filled', () => {
    const a = parsedOk(JSON.stringify({ nodes: [{ id: 'x:t:resource:db', kind: 'Resource', name: 'db', platform: 'x', tenant: 't', tags: ['pii'] }] }), 'a.json');
    const b = parsedOk(JSON.stringify({ nodes: [{ id: 'x:t:resource:db', kind: 'Resource', name: 'db', platform: 'x', tenant: 't', tags: ['crown-jewel', 'pii'], resourceType: 'database' }] }), 'b.json');
    for (const graph of [assembleGraph([a, b]).graph, assembleGraph([b], assembleGraph([a]).graph).graph]) {
      expect(graph.nodeCount).toBe(1);
      expect([...graph.nodes[0]!.tags!].sort()).toEqual(['crown-jewel', 'pii']);
      expect(graph.nodes[0]!.resourceType).toBe('database');
    }
  });
});

describe('names from outside', () => {
  it('lose terminal control characters on import, keeping tabs and newlines', () => {
    const result = parseNative(JSON.stringify({
      nodes: [{ id: 'a:t:app:x', kind: 'App', name: 'Evil\u001b]0;owned\u0007\u001b[2J app\tname', platform: 'a', tenant: 't', properties: { note: 'line\u009bone\nline two' } }],
      edges: [],
    }), { file: 'evil.json' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [node] = result.value.fragment.nodes;
    expect(node!.name).toBe('Evil\ufffd]0;owned\ufffd\ufffd[2J app\tname');
    expect(node!.properties!.note).toBe('line\ufffdone\nline two');
  });
});

