// The browser's API client against the real server app (fetch routed in-process): a radius asked without a limit
// comes back whole, joined from the server's pages; with a limit, one page.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../cli/server/app.ts';
import { blastRadius } from '../../engine/analysis/radius.ts';
import { rankNodes } from '../../engine/analysis/rank.ts';
import { RADIUS_PAGE } from '../../engine/api/schemas.ts';
import { DEFAULT_GENERATION_INSTANT as AT, generateFragment } from '../../engine/generate/enterprise.ts';
import { buildGraph } from '../../engine/store/compact.ts';
import { api } from '../../ui/src/api.ts';

const graph = buildGraph(generateFragment({ nodes: 20_000, seed: 3 }));
const app = createApp({ graph, version: 'test', rateLimit: false });

afterEach(() => { vi.unstubAllGlobals(); });

describe('api.radius', () => {
  it('joins every page when the request names no limit, and asks for one page when it does', async () => {
    const requests: unknown[] = [];
    vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
      requests.push(JSON.parse(String(init.body)));
      return app.request(path, init);
    });
    const [top] = rankNodes(graph, { kinds: ['App'], top: 1, at: new Date(AT) });
    const expected = blastRadius(graph, [graph.indexOf.get(top!.id)!], { at: AT });
    expect(expected.reachedCount).toBeGreaterThan(RADIUS_PAGE);

    const whole = await api.radius({ sources: [top!.id], at: AT });
    expect(whole.reached.map((entry) => entry.id)).toEqual(expected.reached.map((entry) => entry.id));
    expect(whole.page).toEqual({ offset: 0, limit: expected.reachedCount, nextOffset: null });
    expect(requests.length).toBe(2);

    const page = await api.radius({ sources: [top!.id], at: AT, reachedLimit: 10 });
    expect(page.reached.map((entry) => entry.id)).toEqual(expected.reached.slice(0, 10).map((entry) => entry.id));
    expect(page.page.nextOffset).toBe(10);
    expect(requests.length).toBe(3);
  });
});
