// Everything blastmap can say about a graph, collected as text: every reading command in every output format, every
// export, and every route of the web API. The secret and hostile-name tests search these outputs.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXPORT_FORMATS } from '../../cli/commands/export.ts';
import { createApp } from '../../cli/server/app.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { runCli } from '../helpers/cli.ts';

export interface Output {
  label: string;
  text: string;
  /** Where the text ends up: a terminal, a markdown renderer, a browser, a SARIF viewer, a JSON reader, another tool. */
  medium: 'text' | 'markdown' | 'html' | 'sarif' | 'json' | 'export' | 'stderr';
}

const AT = '2026-01-01';

const mediumOf = (format: string): Output['medium'] => (format === 'text' ? 'text' : format === 'markdown' ? 'markdown' : format === 'html' ? 'html' : format === 'sarif' ? 'sarif' : 'json');

export interface SweepPlan {
  /** Snapshot (or native folder) holding the graph. */
  graph: string;
  /** A node whose radius covers most of the graph (an App holding credentials). */
  source: string;
  /** Several nodes held by one attacker, instead of `source` alone (a graph of many platforms has no single hub). */
  sources?: readonly string[];
  /** A node many paths lead to. */
  target: string;
  /** A credential to revoke in a what-if. */
  credential: string;
  /** A native proposal file and a policy for `review`. */
  proposal?: string;
  policy?: string;
  /** Folder for scratch files. */
  work: string;
}

/** Runs every reading command in every format it offers; stdout and stderr of each become outputs. */
export async function sweepCli(plan: SweepPlan): Promise<Output[]> {
  const outputs: Output[] = [];
  const run = async (label: string, args: string[], medium: Output['medium']) => {
    const result = await runCli([...args, '--graph', plan.graph]);
    outputs.push({ label, text: result.out, medium });
    outputs.push({ label: `${label} (stderr)`, text: result.err, medium: 'stderr' });
    return result;
  };
  const at = ['--at', AT];
  const sources = plan.sources ?? [plan.source];
  for (const format of ['text', 'json', 'markdown', 'html']) {
    await run(`radius ${format}`, ['radius', ...sources, '--format', format, ...at], mediumOf(format));
    await run(`plan ${format}`, ['plan', ...sources, '--format', format, ...at], mediumOf(format));
    await run(`findings ${format}`, ['findings', '--all', '--format', format, ...at], mediumOf(format));
  }
  for (const format of ['text', 'json', 'markdown']) {
    await run(`paths ${format}`, ['paths', ...sources, '--format', format, ...at], mediumOf(format));
    await run(`paths --to ${format}`, ['paths', ...sources, '--to', plan.target, '--format', format, ...at], mediumOf(format));
    await run(`exposure ${format}`, ['exposure', plan.target, '--format', format, ...at], mediumOf(format));
    await run(`rank ${format}`, ['rank', '--format', format, ...at], mediumOf(format));
    await run(`whatif ${format}`, ['whatif', ...sources, '--revoke', plan.credential, '--format', format, ...at], mediumOf(format));
  }
  if (plan.proposal && plan.policy) {
    for (const format of ['text', 'json', 'markdown', 'sarif']) {
      await run(`review ${format}`, ['review', plan.proposal, '--policy', plan.policy, '--format', format, ...at], mediumOf(format));
    }
  }
  // The commands added since: respond, verify (of the plan's JSON), diff and review --diff (the graph, then the graph
  // with the proposal imported): markdown a CI job posts as a pull-request comment among them.
  for (const format of ['text', 'json', 'markdown', 'html']) {
    await run(`respond ${format}`, ['respond', ...sources, '--all', '--format', format, ...at], mediumOf(format));
  }
  const planJson = join(plan.work, 'sweep-plan.json');
  writeFileSync(planJson, (await runCli(['plan', ...sources, '--format', 'json', ...at, '--graph', plan.graph])).out);
  for (const format of ['text', 'json', 'markdown', 'html']) {
    await run(`verify ${format}`, ['verify', planJson, '--format', format, ...at], mediumOf(format));
  }
  if (plan.proposal) {
    const later = join(plan.work, 'sweep-later.bmap');
    copyFileSync(plan.graph, later);
    const imported = await runCli(['import', 'native', plan.proposal, '--graph', later]);
    if (imported.code !== 0) throw new Error(`sweep: the proposal does not import into the graph: ${imported.err}`);
    // `diff` names its two graphs as arguments, not with --graph.
    const bare = async (label: string, args: string[], medium: Output['medium']) => {
      const result = await runCli(args);
      outputs.push({ label, text: result.out, medium });
      outputs.push({ label: `${label} (stderr)`, text: result.err, medium: 'stderr' });
    };
    for (const format of ['text', 'json', 'markdown', 'html']) {
      await bare(`diff ${format}`, ['diff', plan.graph, later, '--format', format, ...at], mediumOf(format));
    }
    if (plan.policy) {
      for (const format of ['text', 'json', 'markdown', 'sarif']) {
        await bare(`review --diff ${format}`, ['review', '--diff', plan.graph, later, '--policy', plan.policy, '--format', format, ...at], mediumOf(format));
      }
    }
  }
  // What changed against an empty graph: every node and edge is new, and every finding.
  const empty = join(plan.work, 'empty.json');
  writeFileSync(empty, '{"nodes": [], "edges": []}');
  for (const format of ['text', 'json', 'markdown', 'html']) {
    const result = await runCli(['diff', empty, plan.graph, '--all', '--format', format, ...at]);
    outputs.push({ label: `diff empty ${format}`, text: result.out, medium: mediumOf(format) }, { label: `diff empty ${format} (stderr)`, text: result.err, medium: 'stderr' });
  }
  for (const format of EXPORT_FORMATS) {
    await run(`export ${format}`, ['export', format], 'export');
    if (format !== 'opengraph-schema') await run(`export ${format} --radius`, ['export', format, '--radius', ...sources, ...at], 'export');
  }
  // An unknown node: the error and its candidate list are output too.
  await run('radius of an unknown node', ['radius', `${plan.source}-nope`, ...at], 'text');
  return outputs;
}

/** Calls every API route the UI uses (plus the HTML report) and returns each answer's body. */
export async function sweepApi(graph: CompactGraph, plan: { source: string; target: string; credential: string; queries: readonly string[] }): Promise<Output[]> {
  const app = createApp({ graph, rateLimit: false });
  const outputs: Output[] = [];
  const get = async (path: string) => {
    const response = await app.request(path);
    outputs.push({ label: `GET ${path.slice(0, 80)}`, text: await response.text(), medium: response.headers.get('content-type')?.startsWith('text/html') ? 'html' : 'json' });
  };
  const post = async (path: string, body: unknown) => {
    const response = await app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    outputs.push({ label: `POST ${path}`, text: await response.text(), medium: 'json' });
  };
  await get('/api/meta');
  await get('/api/graph');
  await post('/api/graph', { focus: { sources: [plan.source], at: AT } });
  for (const q of plan.queries) await get(`/api/search?q=${encodeURIComponent(q)}`);
  for (const node of graph.nodes) await get(`/api/node/${encodeURIComponent(node.id)}?at=${AT}`);
  await post('/api/radius', { sources: [plan.source], at: AT });
  await post('/api/radius', { sources: [plan.source], at: AT, mitigations: [{ revoke: plan.credential }] });
  await post('/api/plan', { sources: [plan.source], at: AT, steps: 3 });
  await post('/api/whatif', { sources: [plan.source], at: AT, mitigations: [{ revoke: plan.credential }] });
  await post('/api/exposure', { target: plan.target, at: AT });
  await post('/api/respond', { sources: [plan.source], at: AT });
  await post('/api/route', { from: plan.source, to: plan.target, at: AT });
  await post('/api/map', { focus: { sources: [plan.source], at: AT } });
  await get(`/api/report.html?sources=${encodeURIComponent(plan.source)}&at=${AT}`);
  await post('/api/radius', { sources: [`${plan.source}-nope`] });
  return outputs;
}

/** A policy that turns every rule on, so `review` has violations to report. */
export function writeStrictPolicy(folder: string): string {
  const path = join(folder, 'policy.yaml');
  writeFileSync(path, [
    'version: 1',
    'rules:',
    '  maxScore: 1',
    '  forbidReach: [{ tag: crown-jewel, atLeast: read }, { tag: pii, atLeast: read }]',
    '  requireOwner: true',
    '  maxCredentialLifetimeDays: 30',
    '  forbiddenScopes: ["*"]',
    '  forbidTenantWideScopes: true',
    '  requireVerifiedPublisher: true',
    '',
  ].join('\n'));
  return path;
}
