// Hostile names through every non-HTML output: terminal escapes never reach a terminal (text, errors, import reports),
// markdown shows markup and links as literal text, SARIF messages embed no link, JSON carries the names as data.
// The browser UI and the HTML report have their own tests (test/e2e/ui.test.ts, test/engine/report/html.test.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSnapshotFile } from '../../cli/snapshot-file.ts';
import type { Fragment, GraphEdge, GraphNode } from '../../engine/format/native.ts';
import { withoutControls } from '../../engine/format/validate.ts';
import { runCli, tempDir } from '../helpers/cli.ts';
import { sweepApi, sweepCli, writeStrictPolicy, type Output } from './sweep.ts';

/** Every C0 and C1 control character but newline and tab: what moves a cursor, clears a screen or sets a title. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const TERMINAL = [
  '\u001b[2J\u001b[H cleared',
  '\u001b]0;pwned-title\u0007',
  '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\',
  'safe\roverwritten',
  'back\bspace\u007f',
  '\u009b31mC1 escape',
  'bell\u0007',
];

const MARKUP = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '[click me](javascript:alert(1))',
  '![pixel](https://evil.example/p.png)',
  '<https://evil.example>',
  'cell | injected | row',
  '`code` and ``fence``',
  'line one\n# INJECTED HEADING',
  '<!-- hide the rest',
  '*bold* _em_ ~~strike~~ {{template}}',
  '\\[escaped\\](1)',
  'sarif link [text](1) and [x](https://evil.example)',
];

/** Text GitHub links by itself in a comment, escaped or not (issue #20, item 4): each must arrive broken. */
const AUTOLINKS = ['see https://evil.example/steal?x=1', 'www.evil.example/login', 'ping @octocat', 'cc @acme/security-team', 'mail ops@evil.example', 'fixes #123'];
/** The same, live, as GitHub would find them in the rendered text (backslash escapes removed first). */
const LIVE_AUTOLINKS = [/https:\/\/evil\.example/, /www\.evil\.example/, /(?:^|[^\w`])@octocat/, /@acme\/security-team/, /ops@evil\.example/, /(?:^|[^\w])#123\b/];

const JSON_BREAKERS = ['"}, {"injected": true', '\u2028line separator\u2029', '\uFEFFbom', '</script><script>alert(1)</script>', '\\u0000'];

const PAYLOADS = [...TERMINAL, ...MARKUP, ...JSON_BREAKERS, ...AUTOLINKS];

/** A graph whose every name, id suffix, reason and scope is a payload, reachable from one source. */
function hostileFragment(): Fragment {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const source = 'evil:prod:app:source';
  const master = 'evil:prod:credential:master';
  nodes.push({ id: source, kind: 'App', name: `Source ${PAYLOADS[0]}`, platform: 'evil', tenant: 'prod', thirdParty: true } as GraphNode);
  nodes.push({ id: master, kind: 'Credential', type: 'oauth-grant', name: `Grant ${PAYLOADS[1]}`, platform: 'evil', tenant: 'prod', scopes: PAYLOADS.slice(0, 5) } as GraphNode);
  edges.push({ kind: 'HOLDS', from: source, to: master, reason: PAYLOADS[2] });
  PAYLOADS.forEach((payload, i) => {
    const app = `evil:prod:app:${i}-${payload}`;
    const resource = `evil:prod:resource:r${i}`;
    nodes.push({ id: app, kind: 'App', name: payload, platform: 'evil', tenant: 'prod', vendor: payload, properties: { note: payload } } as GraphNode);
    nodes.push({ id: resource, kind: 'Resource', name: `${payload} data`, platform: 'evil', tenant: 'prod', tags: i % 3 === 0 ? ['crown-jewel'] : ['pii'], sensitivity: 8 } as GraphNode);
    edges.push({ kind: 'AUTHENTICATES_AS', from: master, to: app, reason: payload });
    edges.push({ kind: 'CAN_WRITE', from: app, to: resource, scopes: [payload], reason: payload });
  });
  return { nodes, edges };
}

const work = tempDir('blastmap-hostile-');
const snapshot = join(work, 'graph.bmap');
let outputs: Output[] = [];

beforeAll(async () => {
  writeFileSync(join(work, 'hostile.json'), JSON.stringify(hostileFragment()));
  const imported = await runCli(['import', 'native', join(work, 'hostile.json'), '--graph', snapshot]);
  expect(imported.code, imported.err).toBe(0);
  outputs.push({ label: 'import native', text: imported.out + imported.err, medium: 'text' });

  // Hostile text that is not a name: collectors' kinds and file names, echoed by import reports.
  const openGraph = { graph: { nodes: TERMINAL.map((payload, i) => ({ id: `og-${i}`, kinds: [`Kind${payload}`], properties: { name: payload } })), edges: [{ kind: `Edge${TERMINAL[1]}`, start: { value: 'og-0' }, end: { value: 'og-1' } }] } };
  writeFileSync(join(work, 'opengraph.json'), JSON.stringify(openGraph));
  // Refused (kinds are letters, digits and underscores), and the refusal quotes them: in lenient mode, skipped and reported.
  for (const lenient of [[], ['--lenient']]) {
    const og = await runCli(['import', 'opengraph', join(work, 'opengraph.json'), '--graph', join(work, 'og.bmap'), ...lenient]);
    outputs.push({ label: `import opengraph ${lenient.join('')}`, text: og.out + og.err, medium: 'text' });
  }
  const slack = join(work, 'slack');
  mkdirSync(slack);
  writeFileSync(join(slack, `notes ${TERMINAL[1]}.json`), '{}');
  writeFileSync(join(slack, 'team-info.json'), JSON.stringify({ ok: true, team: { id: 'T0EVIL', name: PAYLOADS[0], domain: 'evil' } }));
  const slackRun = await runCli(['import', 'slack', slack, '--graph', join(work, 'slack.bmap')]);
  outputs.push({ label: 'import slack with a hostile file name', text: slackRun.out + slackRun.err, medium: 'text' });
  const typed = await runCli(['radius', TERMINAL[0]!, '--graph', snapshot]);
  outputs.push({ label: 'radius of a hostile argument', text: typed.out + typed.err, medium: 'text' });

  const proposal = join(work, 'proposal.json');
  const fragment = hostileFragment();
  for (const node of fragment.nodes) node.id = node.id.replace('evil:prod', 'evil:proposal');
  for (const edge of fragment.edges) { edge.from = edge.from.replace('evil:prod', 'evil:proposal'); edge.to = edge.to.replace('evil:prod', 'evil:proposal'); }
  fragment.nodes = fragment.nodes.map((node) => ({ ...node, tenant: 'proposal' }));
  fragment.edges.push({ kind: 'CAN_READ', from: 'evil:proposal:credential:master', to: 'evil:prod:resource:r0', reason: PAYLOADS[5] });
  writeFileSync(proposal, JSON.stringify(fragment));
  const swept = await sweepCli({ graph: snapshot, source: 'evil:prod:app:source', target: 'evil:prod:resource:r0', credential: 'evil:prod:credential:master', proposal, policy: writeStrictPolicy(work), work });
  outputs = [...outputs, ...swept];
  outputs.push(...await sweepApi(readSnapshotFile(snapshot), { source: 'evil:prod:app:source', target: 'evil:prod:resource:r0', credential: 'evil:prod:credential:master', queries: PAYLOADS.slice(0, 8) }));
}, 240_000);

const of = (...media: Output['medium'][]) => outputs.filter((output) => media.includes(output.medium) && output.text.length > 0);

describe('hostile names', () => {
  it('reach every output (so the checks below look at something)', () => {
    const radius = outputs.find((o) => o.label === 'radius text')!.text;
    expect(radius).toContain('[click me](javascript:alert(1))');
    expect(outputs.find((o) => o.label === 'radius markdown')!.text).toContain('\\[click me\\](javascript:alert(1))');
    expect(outputs.find((o) => o.label === 'review sarif')!.text).toContain('"results"');
    // radius, plan, findings, paths (both), exposure, rank, whatif, review, respond, verify, diff, review --diff, diff against an empty graph: each
    // shows escaped payloads (issue #20, item 4: the commands added since are swept too).
    const markdown = of('markdown');
    expect(markdown.map((output) => output.label).sort()).toEqual(['diff empty markdown', 'diff markdown', 'exposure markdown', 'findings markdown', 'paths --to markdown', 'paths markdown', 'plan markdown', 'radius markdown', 'rank markdown', 'respond markdown', 'review --diff markdown', 'review markdown', 'verify markdown', 'whatif markdown']);
    expect(markdown.filter((output) => /\\[<[`|]/.test(output.text)).map((o) => o.label)).toHaveLength(14);
    expect(of('json').length).toBeGreaterThanOrEqual(20);
  });

  it('never put a control character in any output: no escape sequence reaches a terminal', () => {
    const dirty = outputs.filter((output) => CONTROL.test(output.text)).map((output) => `${output.label}: ${JSON.stringify(CONTROL.exec(output.text)![0])}`);
    expect(dirty).toEqual([]);
  });

  it('keep markup and links literal in markdown', () => {
    for (const output of of('markdown')) {
      const text = output.text;
      expect(text, output.label).not.toMatch(/(?<!\\)<(?:img|script|https|!--)/);
      expect(text, output.label).not.toMatch(/(?<!\\)\[click me(?<!\\)\]\(/);
      expect(text, output.label).not.toMatch(/!(?<!\\)\[pixel/);
      expect(text, output.label).not.toMatch(/^#+ INJECTED/m);
      expect(text, output.label).not.toMatch(/cell (?<!\\)\| injected/);
      expect(text, output.label).not.toMatch(/(?<!\\)`code(?<!\\)`/);
    }
  });

  it('leave no URL, www host, e-mail address, mention or issue reference live in markdown or SARIF', () => {
    // In SARIF, the messages are what GitHub shows as text; locations and properties are data.
    const sarif = JSON.parse(outputs.find((o) => o.label === 'review sarif')!.text) as { runs: { results: { message: { text: string } }[] }[] };
    const messages = { label: 'review sarif messages', text: sarif.runs[0]!.results.map((r) => r.message.text).join('\n') };
    expect(messages.text).toContain('evil.example');
    const outputsChecked = [...of('markdown'), messages];
    // Every payload reaches the markdown (so the check below looks at something) ...
    const radius = outputs.find((o) => o.label === 'radius markdown')!.text;
    for (const payload of ['ping @', 'mail ops@', 'evil.example/login']) expect(radius).toContain(payload);
    for (const output of outputsChecked) {
      const rendered = output.text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
      for (const live of LIVE_AUTOLINKS) expect(rendered, `${output.label}: ${live}`).not.toMatch(live);
    }
  });

  it('embed no link in SARIF messages and keep names literal', () => {
    const sarif = JSON.parse(outputs.find((o) => o.label === 'review sarif')!.text) as { runs: { results: { message: { text: string }; locations: { logicalLocations?: { name: string }[] }[] }[] }[] };
    const results = sarif.runs[0]!.results;
    expect(results.length).toBeGreaterThan(0);
    const texts = results.flatMap((result) => [result.message.text, ...result.locations.flatMap((l) => (l.logicalLocations ?? []).map((ll) => ll.name))]);
    for (const text of texts) {
      // SARIF 2.1.0 §3.11.6: `[text](target)` is a link; every bracket must arrive escaped.
      expect(text).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/);
      expect(text).not.toMatch(CONTROL);
    }
    expect(texts.some((text) => text.includes('\\[click me\\](javascript:alert(1))'))).toBe(true);
  });

  it('stay data in JSON: every JSON output parses, and names come back exactly as imported', () => {
    for (const output of of('json').filter((o) => !o.label.includes('(stderr)'))) expect(() => JSON.parse(output.text), output.label).not.toThrow();
    const graph = readSnapshotFile(snapshot);
    const expected = PAYLOADS.map(withoutControls);
    const names = new Set(graph.nodes.map((node) => node.name));
    for (const name of expected) expect(names.has(name), JSON.stringify(name)).toBe(true);
    const radius = JSON.parse(outputs.find((o) => o.label === 'radius json')!.text) as { reached: { name: string }[] };
    const reachedNames = new Set(radius.reached.map((entry) => entry.name));
    for (const name of expected) expect(reachedNames.has(name), JSON.stringify(name)).toBe(true);
  });

  it('keep terminal payloads inert in text but readable: the escape is replaced, the rest of the name stays', () => {
    const radius = outputs.find((o) => o.label === 'radius text')!.text;
    expect(radius).toContain('\ufffd[2J\ufffd[H cleared');
    expect(radius).toContain('safe\ufffdoverwritten');
  });
});
