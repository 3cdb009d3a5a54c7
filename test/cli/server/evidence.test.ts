// The evidence API behind the UI: POST /api/evidence answers the overlay over a radius, checked against the wire
// schema; /api/meta says whether the server holds evidence; without evidence the route says how to get some.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../cli/server/app.ts';
import { loadGraph } from '../../../cli/load-graph.ts';
import { readLogFolder } from '../../../cli/evidence.ts';
import { evidenceResponseSchema, metaResponseSchema, respondResponseSchema } from '../../../engine/api/schemas.ts';
import { createStore } from '../../../engine/evidence/store.ts';
import { readLogFiles } from '../../../importers/logs/registry.ts';

const demo = await loadGraph('datasets/demo');
const store = createStore(readLogFiles(readLogFolder(['datasets/demo/logs/aws-cloudtrail'])).observations);
const AWS_KEY = 'aws:111122223333:credential:access-key/9a184e3db4e81384';
const post = (app: ReturnType<typeof createApp>, path: string, body: unknown) =>
  app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

describe('/api/evidence', () => {
  it('lays the demo CloudTrail logs over Parley Chat\'s radius', async () => {
    const app = createApp({ graph: demo, evidence: store, version: 'test', rateLimit: false });
    const meta = metaResponseSchema.parse(await (await app.request('/api/meta')).json());
    expect(meta.evidence).toEqual({ events: 66, first: '2026-10-26T02:00:41.000Z', last: '2026-11-21T23:02:00.000Z' });
    const response = await post(app, '/api/evidence', { sources: ['parley:prod:app:parley-chat'], since: '2026-11-21T12:00:00Z', at: '2026-11-22' });
    expect(response.status).toBe(200);
    const report = evidenceResponseSchema.parse(await response.json());
    expect(report.nodes.find((n) => n.id === AWS_KEY)).toMatchObject({ status: 'observed', ips: ['203.0.113.77'] });
    expect(report.actions[0]).toMatchObject({ action: 'CreateAccessKey', outcome: 'blocked' });
  });

  it('/api/respond ranks and annotates the plan with the evidence the server holds', async () => {
    const app = createApp({ graph: demo, evidence: store, version: 'test', rateLimit: false });
    const plan = respondResponseSchema.parse(await (await post(app, '/api/respond', { sources: ['parley:prod:app:parley-chat'], at: '2026-11-22' })).json());
    const rotate = plan.steps.filter((step) => step.phase === 'rotate');
    expect(rotate[0]).toMatchObject({ target: { id: AWS_KEY }, evidence: { status: 'observed' } });
    expect(plan.evidence?.nodes.find((n) => n.id === AWS_KEY)?.status).toBe('observed');
    const without = respondResponseSchema.parse(await (await post(createApp({ graph: demo, version: 'test', rateLimit: false }), '/api/respond', { sources: ['parley:prod:app:parley-chat'], at: '2026-11-22' })).json());
    expect(without.evidence).toBeUndefined();
    expect(without.steps.every((step) => step.evidence === undefined)).toBe(true);
  });

  it('without evidence: 404 EVIDENCE_UNAVAILABLE, and meta says none', async () => {
    const app = createApp({ graph: demo, version: 'test', rateLimit: false });
    expect(metaResponseSchema.parse(await (await app.request('/api/meta')).json()).evidence).toBeNull();
    const response = await post(app, '/api/evidence', { sources: ['parley:prod:app:parley-chat'] });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('EVIDENCE_UNAVAILABLE');
  });

  it('refuses a request that does not match the schema', async () => {
    const app = createApp({ graph: demo, evidence: store, version: 'test', rateLimit: false });
    expect((await post(app, '/api/evidence', { sources: [], nonsense: true })).status).toBe(400);
  });
});
