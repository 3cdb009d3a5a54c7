// Unenforced controls per reached node (the conditions its witness path passes through) and the check that a
// control asked to be enforced exists: scenario graphs with named handles, and a property on random graphs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTROL_VOCABULARY, knownConditions } from '../../../engine/analysis/controls.ts';
import { blastRadius } from '../../../engine/analysis/radius.ts';
import { reach } from '../../../engine/analysis/reach.ts';
import { exposureOf } from '../../../engine/analysis/exposure.ts';
import { BlastmapError } from '../../../engine/errors.ts';
import { renderRadiusMarkdown, renderRadiusText } from '../../../engine/report/brief.ts';
import { renderRadiusHtml } from '../../../engine/report/html.ts';
import { AT, reachableGraph } from '../../helpers/arbitraries.ts';
import { scenario } from '../../helpers/scenario.ts';

const at = '2026-01-01';

/**
 * app holds a token that signs in as svc only from allowed addresses (ip-allowlist), and reads the wiki under
 * MFA and device trust. svc administers the CRM, whose export is reached through it. The mailbox is reached by
 * a short conditioned grant and a longer unconditioned one.
 */
const s = scenario((b) => {
  b.app('app');
  b.credential('token');
  b.identity('svc');
  b.resource('crm', { tags: ['crown-jewel'] });
  b.resource('export');
  b.resource('wiki');
  b.resource('mailbox');
  b.credential('grant');
  b.identity('helper');
  b.edge('HOLDS', 'app', 'token')
    .edge('AUTHENTICATES_AS', 'token', 'svc', { conditions: ['ip-allowlist'] })
    .edge('CAN_ADMIN', 'svc', 'crm')
    .edge('CONTAINS', 'crm', 'export')
    .edge('CAN_READ', 'token', 'wiki', { conditions: ['mfa', 'device-trust'] })
    .edge('CAN_READ', 'token', 'mailbox', { conditions: ['mfa'] })
    .edge('HOLDS', 'app', 'grant')
    .edge('AUTHENTICATES_AS', 'grant', 'helper')
    .edge('CAN_READ', 'helper', 'mailbox');
});

const radius = (enforceConditions?: string[]) => blastRadius(s.graph, [s.ix('app')], { at, ...(enforceConditions ? { enforceConditions } : {}) });
const controlsOf = (r: ReturnType<typeof radius>) => Object.fromEntries(r.reached.map((entry) => [s.handleOf(s.graph.indexOf.get(entry.id)!), entry.controls]));

describe('unenforced controls per reached node', () => {
  it('lists the conditions of the witness path, inherited by everything reached beyond them', () => {
    expect(controlsOf(radius())).toEqual({
      token: [], grant: [], helper: [],
      svc: ['ip-allowlist'], crm: ['ip-allowlist'], export: ['ip-allowlist'],
      wiki: ['device-trust', 'mfa'],
      mailbox: ['mfa'],
    });
  });

  it('enforcing a listed control breaks that path: the node goes unless another path reaches it', () => {
    const enforced = controlsOf(radius(['ip-allowlist']));
    expect(enforced.svc).toBeUndefined();
    expect(enforced.crm).toBeUndefined();
    expect(enforced.export).toBeUndefined();
    // The mailbox's witness path needs MFA not to hold; with it enforced the longer grant path still reaches it.
    const withMfa = radius(['mfa']);
    const mailbox = withMfa.reached.find((entry) => entry.id === s.id('mailbox'))!;
    expect(mailbox.controls).toEqual([]);
    expect(mailbox.path.map((step) => step.to.id)).toEqual([s.id('grant'), s.id('helper'), s.id('mailbox')]);
    expect(controlsOf(withMfa).wiki).toBeUndefined();
  });

  it('sums the nodes and crown jewels that depend on each control', () => {
    expect(radius().controls).toEqual([
      { control: 'ip-allowlist', reached: 3, crownJewels: 1 },
      { control: 'mfa', reached: 2, crownJewels: 0 },
      { control: 'device-trust', reached: 1, crownJewels: 0 },
    ]);
    expect(radius(['ip-allowlist', 'mfa']).controls).toEqual([]);
  });

  it('shows them in the text brief, the markdown and the HTML report', () => {
    const r = radius();
    const text = renderRadiusText(r, { perPlatform: Infinity });
    expect(text).toContain('unenforced controls on this path: ip-allowlist');
    expect(text).toMatch(/wiki .*\[unenforced: device-trust, mfa\]/);
    expect(text).toContain('ip-allowlist on the path to 3 nodes (1 crown jewel); if it is enforced: --enforce ip-allowlist');
    const markdown = renderRadiusMarkdown(r);
    expect(markdown).toMatch(/\| wiki \| Resource \| test \| 2 \| .* \| device-trust, mfa \|/);
    expect(markdown).toContain('| ip-allowlist | 3 | 1 |');
    const html = renderRadiusHtml(r);
    expect(html).toContain('<td>device-trust, mfa</td>');
  });

  it('escapes a hostile condition name in markdown and HTML', () => {
    const hostile = '<img src=x onerror=alert(1)>|`x`';
    const h = scenario((b) => {
      b.app('app');
      b.resource('doc');
      b.edge('CAN_READ', 'app', 'doc', { conditions: [hostile] });
    });
    const r = blastRadius(h.graph, [h.ix('app')], { at });
    expect(r.reached[0]!.controls).toEqual([hostile]);
    expect(renderRadiusHtml(r)).not.toContain('<img');
    expect(renderRadiusMarkdown(r)).toContain('\\<img src=x onerror=alert(1)\\>\\|\\`x\\`');
  });

  it('on random graphs: enforcing a control keeps every node whose witness path avoids it, at least at its level', () => {
    fc.assert(fc.property(reachableGraph(), fc.nat(), (g, pick) => {
      const usable = g.graph.nodes.map((_, v) => v);
      const source = usable[pick % usable.length]!;
      const before = blastRadius(g.graph, [source], { at: AT });
      const after = new Map(blastRadius(g.graph, [source], { at: AT, enforceConditions: ['mfa'] }).reached.map((entry) => [entry.id, entry.level]));
      const rank = { read: 1, write: 2, admin: 3 } as const;
      for (const entry of before.reached) {
        expect(entry.controls).toEqual([...new Set(entry.path.flatMap((step) => step.conditions ?? []))].sort());
        if (entry.controls.includes('mfa')) continue;
        const level = after.get(entry.id);
        expect(level, `${entry.id} has no mfa on its path but is lost when mfa is enforced`).toBeDefined();
        expect(rank[level!]).toBeGreaterThanOrEqual(rank[entry.level]);
      }
    }), { numRuns: 150 });
  });
});

describe('--enforce validation', () => {
  const problem = (enforceConditions: string[]) => {
    try {
      reach(s.graph, [s.ix('app')], { at, enforceConditions });
      return undefined;
    } catch (error) {
      return error;
    }
  };

  it('rejects an unknown condition with INVALID_OPTION naming the known ones', () => {
    const error = problem(['ip-allowlist', 'geo-fence']) as BlastmapError;
    expect(error).toBeInstanceOf(BlastmapError);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain('"geo-fence"');
    expect(error.message).not.toContain('"ip-allowlist"');
    for (const known of CONTROL_VOCABULARY) expect(error.candidates).toContain(known);
    expect(error.message).toContain('known conditions: ');
  });

  it('accepts the vocabulary even when the graph carries none of it, and conditions only this graph uses', () => {
    expect(problem(['vpc-endpoint'])).toBeUndefined();
    const custom = scenario((b) => {
      b.app('app');
      b.resource('doc');
      b.edge('CAN_READ', 'app', 'doc', { conditions: ['break-glass-approval'] });
    });
    expect(knownConditions(custom.graph)).toContain('break-glass-approval');
    expect(reach(custom.graph, [custom.ix('app')], { at, enforceConditions: ['break-glass-approval'] }).order.length).toBe(1);
    expect(() => reach(s.graph, [s.ix('app')], { at, enforceConditions: ['break-glass-approval'] })).toThrow(/unknown condition to enforce: "break-glass-approval"/);
  });

  it('is checked by exposure too', () => {
    expect(() => exposureOf(s.graph, s.ix('crm'), { at, enforceConditions: ['nosuch'] })).toThrow(BlastmapError);
  });
});
