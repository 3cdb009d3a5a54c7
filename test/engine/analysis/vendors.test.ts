// The vendor index (which nodes are a vendor's side, which vendor, its registrations) equals its first version,
// kept as test/helpers/reference-vendors.ts, on the demo, on every public incident and on random graphs where one
// platform is a vendor's environment.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_DIR } from '../../../cli/commands/demo.ts';
import { loadWorkspace } from '../../../cli/workspace.ts';
import { vendorIndex } from '../../../engine/analysis/vendors.ts';
import { buildGraph, type CompactGraph } from '../../../engine/store/compact.ts';
import { cutCaseArb } from '../../helpers/cuts.ts';
import { referenceVendorIndex } from '../../helpers/reference-vendors.ts';

const INCIDENTS = join(DEMO_DIR, '..', 'incidents');

const plain = (index: ReturnType<typeof vendorIndex>) => ({ vendorSide: [...index.vendorSide], vendorOf: [...index.vendorOf], vendors: index.vendors });

describe('vendorIndex', () => {
  it('equals the first version on the demo and on every incident, and finds their vendors', () => {
    const graphs: [string, CompactGraph][] = [['demo', loadWorkspace(DEMO_DIR).graph]];
    for (const name of readdirSync(INCIDENTS, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()) {
      graphs.push([name, loadWorkspace(join(INCIDENTS, name, 'environment')).graph]);
    }
    expect(graphs.length).toBeGreaterThan(5);
    for (const [name, graph] of graphs) {
      const index = vendorIndex(graph);
      expect(plain(index), name).toEqual(plain(referenceVendorIndex(graph)));
    }
    // The demo's Drift: Parley's environment is a vendor's, and its Salesforce connected app is its registration.
    const demo = vendorIndex(graphs[0]![1]);
    expect(demo.vendors.map((v) => v.label)).toContain('Parley Inc.');
  });

  it('equals the first version on random graphs where a platform is a vendor environment (vendor names, third-party apps, MANAGES)', () => {
    const arb = fc.tuple(cutCaseArb(), fc.boolean(), fc.boolean()).map(([c, platformVendor, appVendor]) => {
      const nodes = c.g.nodes.map((node) => (node.platform !== 'p3' ? node
        : node.kind === 'Platform' && platformVendor ? { ...node, vendor: 'V' }
        : node.kind === 'App' && appVendor ? { ...node, vendor: 'V', thirdParty: true } : node));
      return buildGraph({ nodes, edges: c.g.edges });
    });
    fc.assert(fc.property(arb, (graph) => {
      expect(plain(vendorIndex(graph))).toEqual(plain(referenceVendorIndex(graph)));
    }), { numRuns: 300 });
  });
});
