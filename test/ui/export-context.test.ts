// What an exported PNG says about itself: a what-if says it is one and lists its cuts; filters that change the
// analysis are named; the instant, the date and the source graph are always there.
import { describe, expect, it } from 'vitest';
import { exportContext, type ExportInputs } from '../../ui/src/logic/export-context.ts';

const base: ExportInputs = {
  sources: ['Parley Chat'], at: '2026-11-01', now: new Date('2026-12-07T02:40:00Z'), graph: { nodes: 213, edges: 410 },
  hiddenEdgeKinds: [], platforms: [], kinds: [], enforced: [], mitigations: [], url: 'http://127.0.0.1:7420/?sources=x',
};

describe('the context of an export', () => {
  it('names the subject, the instant, the export date, the graph and says when nothing is filtered', () => {
    const about = exportContext(base);
    expect(about.title).toBe('Blast radius of Parley Chat');
    expect(about.lines.join('\n')).toContain('exported 2026-12-07 02:40 UTC');
    expect(about.lines.join('\n')).toContain('graph of 213 nodes, 410 edges');
    expect(about.lines.join('\n')).toContain('As of 2026-11-01 · filters: none · enforced controls: none');
  });

  it('says a what-if is one, with its cuts by name, and names the filters that changed the analysis', () => {
    const about = exportContext({ ...base, at: undefined, hiddenEdgeKinds: ['CONTAINS_CREDENTIAL'], enforced: ['ip-allowlist'], mitigations: [{ revoke: 'cred-1', description: 'Revoke the Parley refresh token' }] });
    expect(about.title).toBe('WHAT-IF — Blast radius of Parley Chat');
    const text = about.lines.join('\n');
    expect(text).toContain('As of 2026-12-07 (now)');
    expect(text).toContain('edge kinds hidden and left out of the analysis: CONTAINS_CREDENTIAL');
    expect(text).toContain('enforced controls: ip-allowlist');
    expect(text).toContain('What-if (not the real radius): Revoke the Parley refresh token');
  });

  it('titles an exposure and the overview', () => {
    expect(exportContext({ ...base, target: 'customer-data' }).title).toBe('Exposure of customer-data');
    expect(exportContext({ ...base, sources: [] }).title).toBe('Graph overview');
  });
});
