// Mitigations: file validation with precise issues, compilation into an overlay (revoke, disable, remove an
// edge, remove a scope from a grant), typed errors with candidates, and the grant:scope flag split.
import { describe, expect, it } from 'vitest';
import { closestStrings, compileMitigations, mergeOverlays, parseMitigations, parseRemoveScope } from '../../../engine/analysis/mitigations.ts';
import { BlastmapError } from '../../../engine/errors.ts';
import { edgeIdAt } from '../../../engine/store/compact.ts';
import { driftScenario, scenario, type Scenario } from '../../helpers/scenario.ts';

function thrown(run: () => unknown): BlastmapError {
  try {
    run();
  } catch (error) {
    if (error instanceof BlastmapError) return error;
    throw error;
  }
  throw new Error('expected a BlastmapError');
}

/** Index of the (single) edge between two handles. */
function edgeBetween(s: Scenario, from: string, to: string): number {
  for (let e = 0; e < s.graph.edgeCount; e++) if (s.graph.edgeSrc[e] === s.ix(from) && s.graph.edgeDst[e] === s.ix(to)) return e;
  throw new Error(`no edge ${from} -> ${to}`);
}

const blockedEdgeHandles = (s: Scenario, mask: Uint8Array): string[] => {
  const out: string[] = [];
  for (let e = 0; e < mask.length; e++) if (mask[e] === 1) out.push(`${s.handleOf(s.graph.edgeSrc[e]!)}->${s.handleOf(s.graph.edgeDst[e]!)}`);
  return out.sort();
};

/** A GitHub-like OAuth grant with several scopes, one of which contains ':' as GitHub's do. */
function githubScenario(): Scenario {
  return scenario((s) => {
    s.app('ci', { platform: 'ciVendor' });
    s.credential('oauth', { platform: 'github', tenant: 'acme', type: 'oauth-grant' });
    s.resource('repos', { platform: 'github', tenant: 'acme', tags: ['source-code'] });
    s.resource('org', { platform: 'github', tenant: 'acme' });
    s.resource('wiki', { platform: 'github', tenant: 'acme' });
    s.resource('pages', { platform: 'github', tenant: 'acme' });
    const grant = s.idOf('oauth');
    s.edge('HOLDS', 'ci', 'oauth')
      .edge('CAN_WRITE', 'oauth', 'repos', { scopes: ['repo', 'public_repo'], grant })
      .edge('CAN_READ', 'oauth', 'org', { scopes: ['read:org'], grant })
      .edge('CAN_READ', 'oauth', 'wiki', { scopes: ['https://example.com/auth/wiki'], grant })
      // No scopes: an edge remove-scope cannot touch.
      .edge('CAN_READ', 'oauth', 'pages');
  });
}

describe('parseMitigations', () => {
  it('accepts a bare list and the { mitigations } file shape, with descriptions', () => {
    const list = [
      { revoke: 'a', description: 'rotated in SEC-12' },
      { disable: 'b' },
      { removeEdge: 'x|HOLDS|y' },
      { removeScope: { grant: 'g', scope: 'api' } },
    ];
    const bare = parseMitigations(list);
    const wrapped = parseMitigations({ mitigations: list });
    expect(bare.ok && bare.value).toEqual(list);
    expect(wrapped.ok && wrapped.value).toEqual(list);
  });

  it('reports an item that names two actions, or none, at its path', () => {
    const result = parseMitigations({ mitigations: [{ revoke: 'a' }, { revoke: 'a', disable: 'b' }, { remove: 'c' }] }, 'plan.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => [issue.file, issue.path, issue.found])).toEqual([
      ['plan.yaml', '$.mitigations[1]', 'revoke and disable'],
      ['plan.yaml', '$.mitigations[2]', 'fields remove'],
    ]);
  });

  it('reports a malformed item field by field', () => {
    const result = parseMitigations([{ removeScope: { grant: 'g' } }, { revoke: 'a', reason: 'x' }, { disable: 42 }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.issues.map((issue) => issue.path);
    expect(paths).toContain('$[0].removeScope.scope');
    expect(paths).toContain('$[1]');
    expect(paths).toContain('$[2].disable');
    expect(result.issues.find((issue) => issue.path === '$[1]')!.found).toBe('"reason"');
  });

  it('rejects a document that is not a list and an object with other fields', () => {
    const scalar = parseMitigations('revoke everything');
    const extra = parseMitigations({ mitigations: [], plan: 'x' });
    expect(scalar.ok).toBe(false);
    expect(extra.ok).toBe(false);
    if (!scalar.ok) expect(scalar.issues[0]!.path).toBe('$');
    if (!extra.ok) expect(extra.issues[0]!.found).toBe('"plan"');
  });
});

describe('compileMitigations', () => {
  it('revoking a credential blocks that node only', () => {
    const s = driftScenario();
    const { overlay, applied } = compileMitigations(s.graph, [{ revoke: 'sfToken' }]);
    expect([...overlay.blockedNodes].flatMap((b, v) => (b ? [s.handleOf(v)] : []))).toEqual(['sfToken']);
    expect(overlay.blockedEdges.every((b) => b === 0)).toBe(true);
    expect(applied).toEqual([expect.objectContaining({ action: 'revoke', reference: 'sfToken', nodes: [expect.objectContaining({ id: s.id('sfToken') })] })]);
  });

  it('revoke refuses a node that is not a Credential and points to disable', () => {
    const s = driftScenario();
    const error = thrown(() => compileMitigations(s.graph, [{ revoke: 'drift' }]));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toMatch(/use disable/);
    expect(compileMitigations(s.graph, [{ disable: 'drift' }]).overlay.blockedNodes[s.ix('drift')]).toBe(1);
  });

  it('an unknown node reference fails with the closest nodes as candidates', () => {
    const s = driftScenario();
    const error = thrown(() => compileMitigations(s.graph, [{ disable: 'sfTokn' }]));
    expect(error.code).toBe('UNKNOWN_NODE');
    expect(error.candidates.join('\n')).toContain(s.id('sfToken'));
  });

  it('removing an edge by its id blocks exactly that edge; a mistyped id lists the closest ids', () => {
    const s = driftScenario();
    const e = edgeBetween(s, 'awsKey', 'awsUser');
    const id = edgeIdAt(s.graph, e);
    const { overlay } = compileMitigations(s.graph, [{ removeEdge: id }]);
    expect(blockedEdgeHandles(s, overlay.blockedEdges)).toEqual(['awsKey->awsUser']);
    const error = thrown(() => compileMitigations(s.graph, [{ removeEdge: id.replace('AUTHENTICATES_AS', 'AUTHENTICATE_AS') }]));
    expect(error.code).toBe('UNKNOWN_NODE');
    expect(error.candidates[0]).toBe(id);
  });

  it('removing the only scope of an edge drops it; the applied entry lists the dropped edge', () => {
    const s = driftScenario();
    const { overlay, applied } = compileMitigations(s.graph, [{ removeScope: { grant: s.id('sfToken'), scope: 'api' } }]);
    expect(blockedEdgeHandles(s, overlay.blockedEdges)).toEqual(['sfToken->cases']);
    expect(applied[0]!.edges).toEqual([edgeIdAt(s.graph, edgeBetween(s, 'sfToken', 'cases'))]);
    expect(applied[0]!.narrowed).toEqual([]);
  });

  it('an edge keeps working while one of its scopes remains, and drops when the last one goes', () => {
    const s = githubScenario();
    const one = compileMitigations(s.graph, [{ removeScope: { grant: 'oauth', scope: 'repo' } }]);
    expect(blockedEdgeHandles(s, one.overlay.blockedEdges)).toEqual([]);
    expect(one.applied[0]!.narrowed).toHaveLength(1);
    const both = compileMitigations(s.graph, [
      { removeScope: { grant: 'oauth', scope: 'repo' } },
      { removeScope: { grant: s.id('oauth'), scope: 'public_repo' } },
    ]);
    expect(blockedEdgeHandles(s, both.overlay.blockedEdges)).toEqual(['oauth->repos']);
    expect(both.applied.map((m) => m.edges.length)).toEqual([1, 1]);
  });

  it('edges without scopes are never touched by remove-scope', () => {
    const s = githubScenario();
    const { overlay } = compileMitigations(s.graph, ['repo', 'public_repo', 'read:org', 'https://example.com/auth/wiki'].map((scope) => ({ removeScope: { grant: 'oauth', scope } })));
    expect(blockedEdgeHandles(s, overlay.blockedEdges)).toEqual(['oauth->org', 'oauth->repos', 'oauth->wiki']);
  });

  it('a grant id that is not a node matches the edges carrying it', () => {
    const s = scenario((b) => {
      b.app('app');
      b.identity('admin');
      b.resource('drive', { tags: ['pii'] });
      b.resource('calendar');
      b.edge('CAN_READ', 'app', 'drive', { scopes: ['drive.readonly'], grant: 'consent-7' })
        .edge('CAN_READ', 'app', 'calendar', { scopes: ['drive.readonly'], grant: 'consent-8' });
    });
    const { overlay } = compileMitigations(s.graph, [{ removeScope: { grant: 'consent-7', scope: 'drive.readonly' } }]);
    expect(blockedEdgeHandles(s, overlay.blockedEdges)).toEqual(['app->drive']);
  });

  it('a scope the grant does not carry fails and lists the scopes it has', () => {
    const s = githubScenario();
    const error = thrown(() => compileMitigations(s.graph, [{ removeScope: { grant: 'oauth', scope: 'admin:org' } }]));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain('public_repo, read:org, repo');
  });

  it('an unknown grant fails with the closest grant ids and credentials', () => {
    const s = driftScenario();
    const error = thrown(() => compileMitigations(s.graph, [{ removeScope: { grant: 'salesforce:acme:credential:sftoken', scope: 'api' } }]));
    expect(error.code).toBe('UNKNOWN_NODE');
    expect(error.candidates[0]).toBe(s.id('sfToken'));
  });
});

describe('parseRemoveScope', () => {
  it('splits a node id grant from its scope at the last colon', () => {
    const s = driftScenario();
    expect(parseRemoveScope(s.graph, `${s.id('sfToken')}:api`)).toEqual({ grant: s.id('sfToken'), scope: 'api' });
  });

  it('keeps a colon inside the scope when the graph says that is where the grant ends', () => {
    const s = githubScenario();
    expect(parseRemoveScope(s.graph, `${s.id('oauth')}:read:org`)).toEqual({ grant: s.id('oauth'), scope: 'read:org' });
    expect(parseRemoveScope(s.graph, 'oauth:https://example.com/auth/wiki')).toEqual({ grant: 'oauth', scope: 'https://example.com/auth/wiki' });
  });

  it('falls back to the last colon when nothing matches, and rejects text without one', () => {
    const s = githubScenario();
    expect(parseRemoveScope(s.graph, 'nope:x:y')).toEqual({ grant: 'nope:x', scope: 'y' });
    expect(thrown(() => parseRemoveScope(s.graph, 'oauth')).code).toBe('INVALID_OPTION');
  });
});

describe('helpers', () => {
  it('mergeOverlays is the union of both masks', () => {
    const merged = mergeOverlays({ blockedNodes: Uint8Array.from([1, 0, 0]) }, { blockedNodes: Uint8Array.from([0, 0, 1]), blockedEdges: Uint8Array.from([1]) });
    expect([...merged!.blockedNodes!]).toEqual([1, 0, 1]);
    expect([...merged!.blockedEdges!]).toEqual([1]);
  });

  it('closestStrings prefers containment, then small edit distances', () => {
    expect(closestStrings('hold', ['a|HOLDS|b', 'zzzz', 'hole'])).toEqual(['a|HOLDS|b', 'hole']);
  });
});
