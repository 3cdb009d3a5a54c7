// GET /api/edge: an edge found by its source and engine id, with what it carries; an unknown one is a 404.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../cli/server/app.ts';
import { loadDemoGraph } from '../../../cli/commands/demo.ts';
import { blastRadius } from '../../../engine/analysis/radius.ts';

const graph = loadDemoGraph();
const app = createApp({ graph, rateLimit: false });

describe('edge details', () => {
  it('gives the kind, ends, scopes, reason and conditions the radius paths show', async () => {
    const radius = blastRadius(graph, [graph.indexOf.get('parley:prod:app:parley-chat')!], { at: '2026-11-01' });
    const steps = radius.crownJewels.flatMap((entry) => entry.path);
    expect(steps.some((step) => step.scopes)).toBe(true);
    for (const step of steps.slice(0, 20)) {
      const response = await app.request(`http://127.0.0.1/api/edge?source=${encodeURIComponent(step.from.id)}&id=${encodeURIComponent(step.edgeId)}`);
      expect(response.status).toBe(200);
      const edge = await response.json() as Record<string, unknown>;
      expect(edge).toMatchObject({ edgeId: step.edgeId, kind: step.kind, from: step.from, to: step.to });
      expect(edge.scopes).toEqual(step.scopes);
      expect(edge.reason).toEqual(step.reason);
      expect(edge.conditions).toEqual(step.conditions);
    }
  });

  it('answers 404 for an edge that does not leave that node', async () => {
    const response = await app.request(`http://127.0.0.1/api/edge?source=${encodeURIComponent('parley:prod:app:parley-chat')}&id=nope`);
    expect(response.status).toBe(404);
  });
});
