// The web UI's HTML report carries its context: a what-if says it is one and gives the real radius; the
// filters, enforced controls, instant and date are there; names stay escaped. Checked through the API.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../cli/server/app.ts';
import { loadDemoGraph } from '../../../cli/commands/demo.ts';
import { blastRadius } from '../../../engine/analysis/radius.ts';
import { revocationPlan } from '../../../engine/analysis/plan.ts';

const graph = loadDemoGraph();
const app = createApp({ graph, rateLimit: false });
const PARLEY = 'parley:prod:app:parley-chat';
const AT = '2026-11-01';
const get = async (query: string) => (await app.request(`http://127.0.0.1/api/report.html?${query}`)).text();

describe('the HTML report of the web UI', () => {
  it('states the instant, the filters, the controls and that no what-if applies', async () => {
    const html = await get(`sources=${encodeURIComponent(PARLEY)}&at=${AT}&excludeEdgeKinds=CONTAINS_CREDENTIAL`);
    expect(html).toContain('<th>as of</th><td>2026-11-01T00:00:00.000Z</td>');
    expect(html).toContain('edge kinds left out: CONTAINS_CREDENTIAL');
    expect(html).toContain('<th>enforced controls</th><td>none</td>');
    expect(html).toContain('none: this is the radius as the graph stands');
    expect(html).toContain(`in a graph of ${graph.nodeCount} nodes`);
    expect(html).not.toContain('This is a what-if');
    expect(html).toMatch(/<th>made<\/th><td>\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  });

  it('says a what-if is one, names its cuts, and gives the real radius it departs from', async () => {
    const source = graph.indexOf.get(PARLEY)!;
    const cut = revocationPlan(graph, [source], { at: AT, steps: 1 }).steps[0]!.cut;
    const html = await get(`sources=${encodeURIComponent(PARLEY)}&at=${AT}&mitigations=${encodeURIComponent(JSON.stringify(cut.mitigations))}`);
    const real = blastRadius(graph, [source], { at: AT });
    expect(html).toContain('<title>WHAT-IF — blastmap: blast radius of Parley Chat</title>');
    expect(html).toContain('<b>This is a what-if.</b>');
    expect(html).toContain(`As the graph stands the radius reaches ${real.reachedCount} nodes`);
    // Cuts read by the node's name, not its raw id.
    expect(html).toContain(`<th>what-ifs applied</th><td>${'revoke' in cut.mitigations[0]! ? 'revoke' : 'disable'} ${cut.name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')}`);
  });
});
