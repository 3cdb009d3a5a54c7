// HTML reports: one self-contained file (no script, no external request), every name escaped, paths drawn.
import { describe, expect, it } from 'vitest';
import { findingsReport } from '../../../engine/analysis/findings.ts';
import { chokePoints, revocationPlan } from '../../../engine/analysis/plan.ts';
import { blastRadius } from '../../../engine/analysis/radius.ts';
import { escapeHtml, renderFindingsHtml, renderPlanHtml, renderRadiusHtml, svgPath } from '../../../engine/report/html.ts';
import { driftScenario, scenario } from '../../helpers/scenario.ts';
import { runCli } from '../../helpers/cli.ts';

const AT = '2026-01-01';
const HOSTILE = '<script>window.__pwned=1</script><img src=x onerror=alert(1)>';

const ALLOWED_TAGS = new Set(['h3', 'html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'p', 'div', 'b', 'span', 'br', 'code', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'svg', 'defs', 'marker', 'path', 'line', 'polyline', 'text', 'rect']);

/** Real tags (escaped text cannot form one) that are not allowed, or attributes that run or fetch something. */
function activeContent(html: string): string[] {
  const found: string[] = [];
  for (const [, name, attributes] of html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    if (!ALLOWED_TAGS.has(name!.toLowerCase())) found.push(`<${name}>`);
    for (const [attribute] of attributes!.matchAll(/\s(on\w+|src|href|xlink:href|action|formaction)\s*=/gi)) found.push(attribute.trim());
    if (/url\((?!#)/i.test(attributes!)) found.push('url(...)');
  }
  if (/@import|url\((?!#)/i.test(html.slice(html.indexOf('<style>'), html.indexOf('</style>')))) found.push('stylesheet fetch');
  return found;
}

function hostileScenario() {
  return scenario((s) => {
    s.app('evil', { name: HOSTILE, platform: 'vendor' });
    s.credential('tok', { name: `${HOSTILE} token`, platform: 'crm' });
    s.resource('data', { name: `"><svg onload=alert(1)>`, platform: 'crm', tags: ['crown-jewel'] });
    s.edge('HOLDS', 'evil', 'tok').edge('CAN_READ', 'tok', 'data', { scopes: ['<b>api</b>'] });
  });
}

describe('HTML reports', () => {
  it('escape every name from the graph and contain nothing active', () => {
    const s = hostileScenario();
    const radius = blastRadius(s.graph, [s.ix('evil')], { at: AT });
    const plan = revocationPlan(s.graph, [s.ix('evil')], { at: AT });
    const findings = findingsReport(s.graph, { at: AT });
    for (const html of [renderRadiusHtml(radius), renderPlanHtml(plan, { radius }), renderFindingsHtml(findings)]) {
      expect(activeContent(html)).toEqual([]);
      expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
      expect(html).toContain("default-src 'none'");
    }
  });

  it('draw each crown jewel path as boxes joined by labelled arrows', () => {
    const s = driftScenario();
    const radius = blastRadius(s.graph, [s.ix('drift')], { at: AT });
    const bucket = radius.crownJewels[0]!;
    const svg = svgPath(bucket.path);
    expect(svg.match(/<rect /g)).toHaveLength(bucket.path.length + 1);
    for (const step of bucket.path) expect(svg).toContain(`>${step.kind}<`);
    expect(renderRadiusHtml(radius)).toContain(svg);
  });

  it('list the plan steps with the score each removes', () => {
    const s = driftScenario();
    const sources = [s.ix('drift')];
    const plan = revocationPlan(s.graph, sources, { at: AT });
    const html = renderPlanHtml(plan, { radius: blastRadius(s.graph, sources, { at: AT }), chokePoints: chokePoints(s.graph, sources, { at: AT }) });
    expect(html).toContain('Revocation plan: what to cut first');
    expect(html).toContain(`<b>revoke</b> ${escapeHtml(plan.steps[0]!.cut.name)}`);
    expect(html).toContain(`<td class="num">${plan.steps[0]!.removed}</td>`);
    expect(html).toContain('Choke points');
  });
});

describe('HTML brief at scale', () => {
  /** One token reaching 40 crown jewels and 30 other documents on one platform. */
  const wide = () => scenario((s) => {
    s.app('app', { platform: 'vendor' });
    s.credential('tok', { platform: 'crm' });
    s.edge('HOLDS', 'app', 'tok');
    for (let i = 0; i < 40; i++) { s.resource(`jewel-${i}`, { platform: 'crm', tags: ['crown-jewel'] }); s.edge('CAN_READ', 'tok', `jewel-${i}`); }
    for (let i = 0; i < 30; i++) { s.resource(`doc-${i}`, { platform: 'crm' }); s.edge('CAN_READ', 'tok', `doc-${i}`); }
  });

  it('draws the top crown jewels per platform and counts the rest, in the radius and the plan page', () => {
    const s = wide();
    const radius = blastRadius(s.graph, [s.ix('app')], { at: AT });
    const plan = revocationPlan(s.graph, [s.ix('app')], { at: AT });
    for (const html of [renderRadiusHtml(radius), renderPlanHtml(plan, { radius })]) {
      // 3 crown jewels drawn (the lateral bridge draws one more path), 12 rows per platform.
      expect(html.match(/<svg /g)).toHaveLength(3 + 1);
      expect(html).toContain('… and 37 more crown jewels on crm');
      expect(html.match(/<tr><td><span class="lvl/g)).toHaveLength(12);
      expect(html).toContain('… and 59 more on crm: Resource 58, Credential 1');
    }
  });

  it('--all lists every node and draws every crown jewel', () => {
    const s = wide();
    const radius = blastRadius(s.graph, [s.ix('app')], { at: AT });
    const html = renderRadiusHtml(radius, { all: true });
    expect(html.match(/<svg /g)).toHaveLength(40 + 1);
    expect(html.match(/<tr><td><span class="lvl/g)).toHaveLength(radius.reachedCount);
    expect(html).not.toContain('more crown jewels');
  });
});

describe('--format html', () => {
  it.each([
    ['radius', ['radius', 'Parley Chat']],
    ['plan', ['plan', 'Parley Chat', '--steps', '2']],
    ['findings', ['findings']],
  ])('%s writes one self-contained document', async (_name, args) => {
    const { code, out } = await runCli([...args, '--graph', 'datasets/demo', '--at', '2026-11-22', '--format', 'html']);
    expect(code).toBe(0);
    expect(out.startsWith('<!doctype html>')).toBe(true);
    expect(activeContent(out)).toEqual([]);
  });
});
