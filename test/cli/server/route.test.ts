// A→B pathfinding (POST /api/route) against the engine's radius of A as the oracle, on random graphs and on
// the demo: the level, hops and path of B in A's radius, and no path when A does not reach B.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routeResponse } from '../../../cli/server/views.ts';
import { createApp } from '../../../cli/server/app.ts';
import { loadDemoGraph } from '../../../cli/commands/demo.ts';
import { blastRadius } from '../../../engine/analysis/radius.ts';
import { randomGraph } from '../../helpers/arbitraries.ts';

const AT = '2026-01-01';

describe('A to B', () => {
  it('gives the witness path of B in the radius of A, or none when A does not reach B', () => {
    fc.assert(fc.property(randomGraph({ minNodes: 2, maxNodes: 25, maxEdges: 70 }), fc.nat(), fc.nat(), ({ graph }, a, b) => {
      const from = graph.nodes[a % graph.nodeCount]!.id;
      const to = graph.nodes[b % graph.nodeCount]!.id;
      const route = routeResponse(graph, { from, to, at: AT });
      const entry = blastRadius(graph, [a % graph.nodeCount], { at: AT }).reached.find((e) => e.id === to);
      if (!entry || from === to) {
        expect(route.level).toBeNull();
        expect(route.path).toEqual([]);
      } else {
        expect(route.level).toBe(entry.level);
        expect(route.hops).toBe(entry.hops);
        expect(route.path).toEqual(entry.path);
        expect(route.path[0]!.from.id).toBe(from);
        expect(route.path.at(-1)!.to.id).toBe(to);
      }
    }), { numRuns: 200 });
  });

  it('answers over HTTP on the demo, by names as well as ids', async () => {
    const graph = loadDemoGraph();
    const app = createApp({ graph, rateLimit: false });
    const response = await app.request('http://127.0.0.1/api/route', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: 'Parley Chat', to: 'aws:111122223333:resource:s3/corvid-prod-customer-data', at: '2026-11-01' }) });
    expect(response.status).toBe(200);
    const route = await response.json() as { level: string; path: { from: { id: string } }[] };
    const expected = blastRadius(graph, [graph.indexOf.get('parley:prod:app:parley-chat')!], { at: '2026-11-01' }).reached.find((e) => e.id === 'aws:111122223333:resource:s3/corvid-prod-customer-data')!;
    expect(route.level).toBe(expected.level);
    expect(route.path.length).toBe(expected.path.length);
    expect(route.path[0]!.from.id).toBe('parley:prod:app:parley-chat');
  });
});
