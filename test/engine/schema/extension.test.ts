// Extending the schema with new edge and node kinds needs no engine change; inconsistent schemas are
// rejected up front with a message naming each problem.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blastRadius } from '../../../engine/analysis/radius.ts';
import { hopsAtLeast, reach, witnessPath } from '../../../engine/analysis/reach.ts';
import { DEFAULT_SCHEMA, defineSchema, type EdgeKindSpec, type NodeKindSpec } from '../../../engine/schema/index.ts';
import { parseNative } from '../../../importers/native/index.ts';
import { AT, reachableGraph } from '../../helpers/arbitraries.ts';
import { oracleReach } from '../../helpers/oracle.ts';
import { scenario } from '../../helpers/scenario.ts';

const at = '2025-06-01T00:00:00Z';

const CAN_EXFILTRATE: EdgeKindSpec = {
  description: 'A sync job copies this data set into the target, at whatever level is held on the source.',
  from: ['Resource'], to: ['Resource'], traversable: true, requires: 'read', grants: 'same',
};
const CAN_PHISH: EdgeKindSpec = {
  description: 'Can send a convincing sign-in prompt to the identity.',
  from: ['Identity'], to: ['Identity'], traversable: true, requires: 'admin', grants: 'admin',
};
const Device: NodeKindSpec = { description: 'A managed laptop or phone.', graded: false, principal: false, color: '#000000' };
const LOGGED_IN_ON: EdgeKindSpec = {
  description: 'A session of the identity lives on the device.', from: ['Device'], to: ['Identity'], traversable: true, requires: 'admin', grants: 'admin',
};

const extended = defineSchema({ edgeKinds: { CAN_EXFILTRATE, CAN_PHISH, LOGGED_IN_ON }, nodeKinds: { Device } });

describe('a schema extended in the test is traversed with no engine change', () => {
  const exfiltration = (authority: string) => scenario((b) => {
    b.app('etl');
    b.resource('crm');
    b.resource('warehouse');
    b.resource('table');
    b.edge(authority, 'etl', 'crm').edge('CAN_EXFILTRATE', 'crm', 'warehouse').edge('CONTAINS', 'warehouse', 'table');
  }, extended);

  it('CAN_EXFILTRATE carries the level held on the source, like CONTAINS does', () => {
    for (const [authority, code] of [['CAN_READ', 1], ['CAN_WRITE', 2], ['CAN_ADMIN', 3]] as const) {
      const s = exfiltration(authority);
      const result = reach(s.graph, [s.ix('etl')], { at });
      expect(result.level[s.ix('warehouse')], authority).toBe(code);
      expect(result.level[s.ix('table')], authority).toBe(code);
      expect(hopsAtLeast(result, s.ix('table'), code)).toBe(3);
      expect(witnessPath(result, s.ix('warehouse')).map((step) => s.graph.edgeKindNames[s.graph.edgeKind[step.edge]!])).toEqual([authority, 'CAN_EXFILTRATE']);
    }
  });

  it('the new kind can be named in edge-kind filters and shows in report paths', () => {
    const s = exfiltration('CAN_READ');
    expect(reach(s.graph, [s.ix('etl')], { at, excludeEdgeKinds: ['CAN_EXFILTRATE'] }).level[s.ix('warehouse')]).toBe(0);
    expect(reach(s.graph, [s.ix('etl')], { at, edgeKinds: ['CAN_READ', 'CAN_EXFILTRATE'] }).level[s.ix('warehouse')]).toBe(1);
    const entry = blastRadius(s.graph, [s.ix('etl')], { at }).reached.find((e) => e.id === s.id('warehouse'))!;
    expect(entry.path.map((step) => step.kind)).toEqual(['CAN_READ', 'CAN_EXFILTRATE']);
  });

  it('CAN_PHISH and a new node kind (Device) chain into the default kinds', () => {
    const s = scenario((b) => {
      b.node('laptop', 'Device');
      b.identity('itAdmin');
      b.identity('cfo');
      b.resource('ledger');
      b.edge('LOGGED_IN_ON', 'laptop', 'itAdmin').edge('CAN_PHISH', 'itAdmin', 'cfo').edge('CAN_ADMIN', 'cfo', 'ledger');
    }, extended);
    const result = reach(s.graph, [s.ix('laptop')], { at });
    expect(result.order.map(s.handleOf)).toEqual(['laptop', 'itAdmin', 'cfo', 'ledger']);
    expect(result.level[s.ix('ledger')]).toBe(3);
  });

  it('the default schema still rejects the extension kinds', () => {
    const withDefault = () => scenario((b) => {
      b.resource('a');
      b.resource('b');
      b.edge('CAN_EXFILTRATE', 'a', 'b');
    });
    expect(withDefault).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('unknown edge kind CAN_EXFILTRATE') }));
    expect(DEFAULT_SCHEMA.edgeKinds).not.toHaveProperty('CAN_EXFILTRATE');
  });

  it('the native format accepts the extension kinds only when given the extended schema', () => {
    const text = JSON.stringify({
      nodes: [
        { id: 'x:t:resource:a', kind: 'Resource', name: 'a', platform: 'x', tenant: 't' },
        { id: 'x:t:resource:b', kind: 'Resource', name: 'b', platform: 'x', tenant: 't' },
      ],
      edges: [{ kind: 'CAN_EXFILTRATE', from: 'x:t:resource:a', to: 'x:t:resource:b' }],
    });
    expect(parseNative(text, { format: 'json', schema: extended }).ok).toBe(true);
    const plain = parseNative(text, { format: 'json' });
    expect(plain.ok).toBe(false);
    if (!plain.ok) expect(plain.issues.map((issue) => issue.path)).toEqual(['$.edges[0].kind']);
  });

  it('reach over random graphs of the extended schema equals the brute-force fixpoint', () => {
    fc.assert(fc.property(reachableGraph({ schema: extended }), fc.nat(), ({ graph }, pick) => {
      const source = pick % graph.nodeCount;
      const oracle = oracleReach(graph, [source], { at: AT });
      expect([...reach(graph, [source], { at: AT }).level]).toEqual(oracle.level);
    }), { numRuns: 100 });
  });
});

describe('inconsistent schemas are rejected by defineSchema', () => {
  const rejects = (extra: Parameters<typeof defineSchema>[0]): string => {
    try {
      defineSchema(extra);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('defineSchema accepted an inconsistent schema');
  };

  it('a traversable edge kind granting read on a principal kind', () => {
    const message = rejects({ edgeKinds: { READS_USER: { ...CAN_PHISH, from: ['App'], to: ['Identity'], grants: 'read' } } });
    expect(message).toContain('READS_USER');
    expect(message).toContain('grants read on Identity, which is only ever reached at admin');
  });

  it('a traversable edge kind granting `same` on a credential', () => {
    expect(rejects({ edgeKinds: { COPIES_KEY: { ...CAN_EXFILTRATE, to: ['Credential'] } } })).toContain('COPIES_KEY: grants same on Credential');
  });

  it('a non-traversable edge kind may point at principals with any grant', () => {
    expect(() => defineSchema({ edgeKinds: { REVIEWED: { ...CAN_PHISH, traversable: false, grants: 'read' } } })).not.toThrow();
  });

  it('an unknown endpoint kind', () => {
    const message = rejects({ edgeKinds: { CAN_PHISH: { ...CAN_PHISH, to: ['Robot'] } } });
    expect(message).toContain('CAN_PHISH: unknown node kind Robot');
  });

  it('a lower-case edge kind name, and a node kind that is not PascalCase', () => {
    expect(rejects({ edgeKinds: { can_phish: CAN_PHISH } })).toContain('edge kind can_phish: names are UPPER_SNAKE_CASE');
    expect(rejects({ nodeKinds: { device: Device } })).toContain('node kind device: names are PascalCase');
  });

  it('every problem is named in one message, and the default schema is left untouched', () => {
    const message = rejects({ edgeKinds: { bad_name: { ...CAN_PHISH, from: ['Ghost'] } } });
    expect(message).toContain('names are UPPER_SNAKE_CASE');
    expect(message).toContain('unknown node kind Ghost');
    expect(DEFAULT_SCHEMA.edgeKinds).not.toHaveProperty('bad_name');
    expect(Object.isFrozen(extended.edgeKinds)).toBe(true);
  });
});
