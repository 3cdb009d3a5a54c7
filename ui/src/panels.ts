// The side panel's contents, built from API answers with the text-only DOM helper: overview, node details,
// blast radius, revocation plan and exposure. Callbacks carry the user's actions back to the app.
import { displayName, h, nameEl, patternIcon, shapeIcon } from './dom.ts';
import { cutLabel, formatDate, formatDelta, formatScore, LEVEL_LABEL, mitigationLabel, plural } from './logic/format.ts';
import { COLORS, CUT_PATTERN, LEVEL_COLORS, LEVEL_PATTERNS, shapeOf } from './logic/palette.ts';
import { whoText, type RespondState } from './logic/respond.ts';
import { hasMitigations } from './logic/url-state.ts';
import type { EvidenceResponse } from './logic/wire.ts';
import type {
  ClusterResponse, CutView, ExposureResponse, Level, MapSummary, MetaResponse, Mitigation, NodeDetailsResponse, PathStepView, PlanResponse, RadiusEntryView, RadiusResponse,
  RespondResponse, RouteResponse,
} from './logic/wire.ts';

export interface PanelActions {
  selectNode: (id: string) => void;
  simulate: (ids: string[]) => void;
  addSource: (id: string) => void;
  exposure: (id: string) => void;
  toggleMitigations: (items: Mitigation[]) => void;
  showPath: (path: PathStepView[], key: string) => void;
  openPlan: () => void;
  setRings: (on: boolean) => void;
  setMaxDepth: (depth: number | undefined) => void;
  clearSimulation: () => void;
  openRespond: () => void;
  toggleStep: (key: string) => void;
  setWindow: (since: string | undefined, at: string | undefined) => void;
  setRouteFrom: (node: { id: string; name: string }) => void;
  findRoute: (to: string) => void;
  /** Next page of the open cluster's members. */
  moreMembers: () => void;
  /** Marks kept with the graph: crown jewel and owned. */
  mark: (id: string, change: { crownJewel?: boolean; owned?: boolean }) => void;
}

const levelBadge = (level: Level) => h('span', { class: `level level-${level}` }, LEVEL_LABEL[level]);
const muted = (text: string) => h('span', { class: 'muted' }, text);

function nodeLink(actions: PanelActions, node: { id: string; name: string; kind: string; platform: string }, color?: string): HTMLElement {
  const button = h('button', { type: 'button', class: 'link', title: node.id, 'data-node': node.id }, shapeIcon(shapeOf(node.kind), color ?? '#64748b', 12), ' ', nameEl(node.name));
  button.addEventListener('click', () => actions.selectNode(node.id));
  return button;
}

/** A path as a readable chain of steps: `A —HOLDS→ B —CAN_READ [api]→ C`. */
export function pathView(path: readonly PathStepView[]): HTMLElement {
  const list = h('ol', { class: 'path' });
  if (path.length === 0) return list;
  list.appendChild(h('li', { class: 'path-node' }, h('b', {}, nameEl(path[0]!.from.name)), ' ', muted(`${path[0]!.from.kind} · ${path[0]!.from.platform}`)));
  for (const step of path) {
    list.appendChild(h('li', { class: 'path-step' }, `—${step.kind}${step.scopes?.length ? ` [${step.scopes.join(' ')}]` : ''}→`, step.reason ? h('div', { class: 'reason' }, step.reason) : null));
    list.appendChild(h('li', { class: 'path-node' }, levelBadge(step.level), ' ', h('b', {}, nameEl(step.to.name)), ' ', muted(`${step.to.kind} · ${step.to.platform}`)));
  }
  return list;
}

export function overviewPanel(meta: MetaResponse, actions: PanelActions, owned: readonly { id: string; name: string; kind: string; platform: string }[] = []): HTMLElement {
  const ownedSection = owned.length > 0 ? ownedList(owned, actions) : null;
  const riskiest = h('ol', { class: 'cards' });
  for (const entry of meta.riskiest) {
    const simulate = h('button', { type: 'button', class: 'primary small', 'data-test': 'simulate-riskiest' }, 'Simulate compromise');
    simulate.addEventListener('click', () => actions.simulate([entry.id]));
    riskiest.appendChild(h('li', {},
      nodeLink(actions, { ...entry }),
      h('div', { class: 'muted' }, `${entry.kind} on ${entry.platform} · score ${formatScore(entry.score)} · ${plural(entry.reached, 'node')} reached · ${plural(entry.crownJewels, 'crown jewel')}`),
      simulate));
  }
  return h('section', {},
    h('h2', {}, 'What does a stolen connector token reach?'),
    h('p', {}, `${plural(meta.nodeCount, 'node')} and ${plural(meta.edgeCount, 'edge')} on ${plural(meta.platforms.length, 'platform')}.`),
    h('ol', { class: 'steps' },
      h('li', {}, 'Search a node (name, id, kind or platform) or click one in the graph.'),
      h('li', {}, 'Simulate its compromise: the radius lights up, crown jewels and lateral paths are listed; click one to follow its path.'),
      h('li', {}, 'Open the revocation plan and tick a cut: the radius shrinks and the score drops, live.')),
    meta.riskiest.length > 0 ? h('h3', {}, 'Riskiest connectors') : null,
    riskiest,
    ownedSection);
}

const DATE_FIELDS = ['createdAt', 'lastUsedAt', 'rotatedAt', 'expiresAt', 'revokedAt'] as const;
const DATE_LABELS: Record<(typeof DATE_FIELDS)[number], string> = { createdAt: 'created', lastUsedAt: 'last used', rotatedAt: 'rotated', expiresAt: 'expires', revokedAt: 'revoked' };
const SKIPPED = new Set(['id', 'name', 'kind', 'platform', 'tenant', 'properties', ...DATE_FIELDS]);

function propertyValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export interface DetailsContext {
  simulating: boolean;
  sources: readonly string[];
  mitigations: readonly Mitigation[];
  platformColor: (p: string) => string;
  /** The node's entry in the simulated radius, when it is reached. */
  reached?: RadiusEntryView | undefined;
  /** A→B: the chosen start, and the route found from it to this node. */
  routeFrom?: { id: string; name: string } | undefined;
  route?: RouteResponse | undefined;
  activePath?: string | undefined;
  /** The marks file is kept by the server: whether this node is marked owned. */
  marks?: { owned: boolean } | undefined;
  /** What the logs show of this node in the simulated radius (docs/evidence.md), when the server holds evidence. */
  evidence?: EvidenceResponse['nodes'][number] | 'possible' | undefined;
}

const REASONS: Record<string, string> = { blocked: 'every attempt failed or was blocked', 'known-origin': "only from its owner's known IPs and user agents", mixed: 'only failed attempts and known origins' };
const minute = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')}Z`;

/** The node's evidence: observed (with when, how often, from where, what), contradicted (and why), or possible. */
function evidenceNote(evidence: NonNullable<DetailsContext['evidence']>): HTMLElement {
  if (evidence === 'possible') return h('div', { class: 'evidence-note', 'data-test': 'node-evidence', 'data-status': 'possible' }, h('b', {}, 'possible'), muted(': reachable, and no logged event in the window touches it.'));
  const observed = evidence.status === 'observed';
  return h('div', { class: `evidence-note ${evidence.status}`, 'data-test': 'node-evidence', 'data-status': evidence.status },
    h('div', {}, h('b', {}, observed ? '◉ OBSERVED' : '⊘ CONTRADICTED'), ` ${plural(evidence.count, 'event')} ${minute(evidence.first)}${evidence.last !== evidence.first ? ` to ${minute(evidence.last)}` : ''}`,
      observed ? '' : `: ${REASONS[evidence.reason ?? ''] ?? ''}`),
    evidence.ips.length > 0 ? h('div', {}, 'from ', ...evidence.ips.flatMap((ip, i) => [i > 0 ? ', ' : '', h('code', {}, ip)])) : null,
    h('div', {}, 'actions: ', evidence.actions.join(', '), muted(` (${evidence.sources.join(', ')})`)));
}

/** The window's actions on a time axis: each from its first to its last event, its category named in text. */
export function evidenceSection(evidence: EvidenceResponse): HTMLElement {
  const from = evidence.window.from ? Date.parse(evidence.window.from) : Math.min(...evidence.actions.map((a) => Date.parse(a.first)), Date.parse(evidence.window.to));
  const to = Math.max(Date.parse(evidence.window.to), from + 1);
  const position = (iso: string): number => Math.max(0, Math.min(100, ((Date.parse(iso) - from) / (to - from)) * 100));
  const timeline = h('ol', { class: 'timeline', 'data-test': 'evidence-timeline', 'aria-label': 'timeline of the window' });
  for (const action of [...evidence.actions].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0)).slice(0, 40)) {
    const left = position(action.first);
    const width = Math.max(1, position(action.last) - left);
    const bar = h('span', { class: 'timeline-bar' });
    bar.style.left = `${left.toFixed(1)}%`;
    bar.style.width = `${width.toFixed(1)}%`;
    timeline.appendChild(h('li', { class: `timeline-item ${action.category}`, 'data-test': 'timeline-item', 'data-category': action.category, 'data-outcome': action.outcome },
      h('div', { class: 'timeline-track' }, bar),
      h('div', {}, h('b', {}, `${action.category}${action.outcome === 'success' ? '' : ` (${action.outcome})`}`), ` ${action.action} by `, nameEl(action.actorName),
        action.target ? ` on ${displayName(action.target)}` : '', muted(` ×${action.count}, ${minute(action.first)}${action.ips.length > 0 ? ` from ${action.ips.join(', ')}` : ''}`))));
  }
  const t = evidence.totals;
  return h('section', { class: 'evidence', 'data-test': 'evidence' },
    h('h3', {}, 'Evidence: what the logs show'),
    h('p', { class: 'muted' }, `${evidence.window.from ? minute(evidence.window.from) : 'the start of the logs'} to ${minute(evidence.window.to)}: ${plural(t.eventsInWindow, 'event')}, ${t.eventsCounted} by actors in the radius. `,
      `${t.nodes.observed} observed (◉ on the graph, wide edges), ${t.nodes.contradicted} contradicted (⊘), ${t.nodes.possible} possible.`),
    evidence.actions.length > 0 ? timeline : muted('No action by an actor of this radius in the window.'),
    evidence.hints.length > 0 ? h('h3', {}, 'Where to look first') : null,
    evidence.hints.length > 0 ? h('ul', { class: 'plain', 'data-test': 'evidence-hints' }, ...evidence.hints.slice(0, 10).map((hint) => h('li', {}, nameEl(hint.name), `: ${hint.kind.replace(/-/g, ' ')} `, h('code', {}, hint.values.slice(0, 3).join(', ')), muted(` (${plural(hint.events, 'event')})`)))) : null);
}

/** A→B: the path from the chosen start to this node, or why there is none; click to light it on the graph. */
function routeSection(route: RouteResponse, activePath: string | undefined, actions: PanelActions): HTMLElement {
  const key = `route:${route.from.id}>${route.to.id}`;
  if (route.level === null) {
    return h('section', { class: 'route', 'data-test': 'route' }, h('h3', {}, 'Path from ', nameEl(route.from.name)), h('p', { class: 'muted', 'data-test': 'route-none' }, `${displayName(route.from.name)} does not reach this node as of ${route.at.slice(0, 10)}.`));
  }
  const show = h('button', { type: 'button', class: `entry${activePath === key ? ' active' : ''}`, 'data-test': 'route-show' }, levelBadge(route.level), ` ${plural(route.hops ?? 0, 'hop')} from `, nameEl(route.from.name), activePath === key ? ' (lit on the graph)' : ' (click to light it on the graph)');
  show.addEventListener('click', () => actions.showPath(route.path, key));
  return h('section', { class: 'route', 'data-test': 'route' }, h('h3', {}, 'Path from ', nameEl(route.from.name)), show, pathView(route.path));
}

/** Where the node stands in the simulated radius: its level, hops and the unenforced controls its path relies on. */
function reachedNote(entry: RadiusEntryView): HTMLElement {
  const box = h('div', { class: 'reached-note', 'data-test': 'node-reached' },
    h('div', {}, 'Reached at ', levelBadge(entry.level), ` in ${plural(entry.hops, 'hop')}.`));
  if (entry.controls.length > 0) {
    box.append(h('div', { 'data-test': 'node-controls' }, 'Only while these controls are not enforced on its path: ',
      ...entry.controls.flatMap((control, i) => [i > 0 ? ', ' : '', h('code', {}, control)]),
      muted(' (enforcing one breaks this path; --enforce in the CLI).')));
  } else box.append(muted('No control (IP allow-list, MFA, device trust…) stands on its path.'));
  return box;
}

export function detailsPanel(details: NodeDetailsResponse, context: DetailsContext, actions: PanelActions): HTMLElement {
  const { ref, node } = details;
  const isSource = context.sources.includes(ref.id);
  const buttons = h('div', { class: 'actions' });
  const simulate = h('button', { type: 'button', class: 'primary', 'data-test': 'simulate' }, 'Simulate compromise');
  simulate.addEventListener('click', () => actions.simulate([ref.id]));
  buttons.appendChild(simulate);
  if (context.simulating && !isSource) {
    const add = h('button', { type: 'button' }, 'Add as a source');
    add.addEventListener('click', () => actions.addSource(ref.id));
    buttons.appendChild(add);
  }
  const from = h('button', { type: 'button', 'data-test': 'route-from', title: 'A→B: choose this node as the start, then open the destination' }, context.routeFrom?.id === ref.id ? 'Path start (A) ✓' : 'Path from here (A)…');
  from.addEventListener('click', () => actions.setRouteFrom({ id: ref.id, name: ref.name }));
  buttons.appendChild(from);
  if (context.routeFrom && context.routeFrom.id !== ref.id) {
    const to = h('button', { type: 'button', 'data-test': 'route-to' }, 'Path from A to here');
    to.addEventListener('click', () => actions.findRoute(ref.id));
    buttons.appendChild(to);
  }
  const exposure = h('button', { type: 'button', 'data-test': 'exposure' }, 'Who can reach this?');
  exposure.addEventListener('click', () => actions.exposure(ref.id));
  buttons.appendChild(exposure);
  if (context.marks) {
    // Kept in the graph's marks file, where the CLI reads them too (radius, rank, exposure; `radius @owned`).
    const jewel = h('button', { type: 'button', 'data-test': 'mark-jewel', 'aria-pressed': details.crownJewel ? 'true' : 'false' }, details.crownJewel ? '★ Unmark crown jewel' : '☆ Mark as crown jewel');
    jewel.addEventListener('click', () => actions.mark(ref.id, { crownJewel: !details.crownJewel }));
    const owned = context.marks.owned;
    const own = h('button', { type: 'button', 'data-test': 'mark-owned', 'aria-pressed': owned ? 'true' : 'false' }, owned ? 'Unmark owned' : 'Mark as owned');
    own.addEventListener('click', () => actions.mark(ref.id, { owned: !owned }));
    buttons.append(jewel, own);
  }
  if (context.simulating && !isSource) {
    const item: Mitigation = ref.kind === 'Credential' ? { revoke: ref.id } : { disable: ref.id };
    const on = hasMitigations(context.mitigations, [item]);
    const toggle = h('button', { type: 'button', class: on ? 'toggled' : '', 'data-test': 'toggle-node-mitigation' }, on ? `Undo ${ref.kind === 'Credential' ? 'revoke' : 'disable'} (what-if)` : `${ref.kind === 'Credential' ? 'Revoke' : 'Disable'} (what-if)`);
    toggle.addEventListener('click', () => actions.toggleMitigations([item]));
    buttons.appendChild(toggle);
  }

  const properties = h('table', { class: 'props' });
  const row = (label: string, value: string | Node) => properties.appendChild(h('tr', {}, h('th', {}, label), h('td', {}, value)));
  row('id', h('code', {}, ref.id));
  row('tenant', ref.tenant);
  for (const [key, value] of Object.entries(node)) {
    if (SKIPPED.has(key) || value === null || value === undefined) continue;
    row(key, propertyValue(value));
  }
  for (const [key, value] of Object.entries((node.properties ?? {}) as Record<string, unknown>)) row(key, propertyValue(value));
  row('sensitivity', String(details.sensitivity));

  const dates = h('table', { class: 'props' });
  for (const field of DATE_FIELDS) {
    const value = node[field];
    if (typeof value === 'string') dates.appendChild(h('tr', {}, h('th', {}, DATE_LABELS[field]), h('td', {}, formatDate(value, details.at))));
  }
  if (node.revoked === true && node.revokedAt === undefined) dates.appendChild(h('tr', {}, h('th', {}, 'revoked'), h('td', {}, 'yes (date unknown)')));

  const scoped = details.neighbours.filter((n) => n.direction === 'out' && n.scopes && n.scopes.length > 0);
  const scopes = [...new Set(scoped.flatMap((n) => n.scopes ?? []))].sort();
  const scopeList = h('ul', { class: 'scopes' });
  for (const scope of scopes) {
    const item: Mitigation = { removeScope: { grant: ref.id, scope } };
    const on = hasMitigations(context.mitigations, [item]);
    const li = h('li', {}, h('code', {}, scope));
    if (context.simulating && ref.kind === 'Credential') {
      const toggle = h('button', { type: 'button', class: `small ${on ? 'toggled' : ''}` }, on ? 'restore' : 'remove (what-if)');
      toggle.addEventListener('click', () => actions.toggleMitigations([item]));
      li.append(' ', toggle);
    }
    scopeList.appendChild(li);
  }

  const findings = h('ul', { class: 'findings' });
  for (const finding of details.findings) {
    findings.appendChild(h('li', {},
      h('span', { class: `severity severity-${finding.severity}` }, finding.severity),
      ' ', h('b', {}, finding.title),
      finding.nodeId !== ref.id ? muted(` (about ${finding.nodeName})`) : null,
      h('div', {}, finding.evidence.summary),
      h('div', { class: 'muted small' }, `Fix: ${finding.remediation}`),
      h('div', { class: 'muted small' }, [...finding.references.owaspNhi, ...finding.references.nistCsf].join(' · '))));
  }

  const neighbours = h('ul', { class: 'neighbours' });
  for (const n of details.neighbours.slice(0, 40)) {
    neighbours.appendChild(h('li', {}, muted(n.direction === 'out' ? `→ ${n.kind} ` : `← ${n.kind} `), nodeLink(actions, n.node, context.platformColor(n.node.platform))));
  }
  const more = details.inCount + details.outCount - Math.min(40, details.neighbours.length);

  return h('section', { 'data-test': 'details' },
    h('h2', {}, shapeIcon(shapeOf(ref.kind), context.platformColor(ref.platform), 16), ' ', nameEl(ref.name)),
    h('p', { class: 'muted' }, `${ref.kind} on ${ref.platform}`,
      details.crownJewel ? h('span', { class: 'badge jewel' }, '★ crown jewel') : null,
      context.marks?.owned ? h('span', { class: 'badge owned', 'data-test': 'owned-badge' }, 'owned') : null,
      details.usable ? null : h('span', { class: 'badge warn' }, 'not usable at this date')),
    buttons,
    context.route && context.route.to.id === ref.id ? routeSection(context.route, context.activePath, actions) : null,
    context.reached ? reachedNote(context.reached) : null,
    context.evidence ? evidenceNote(context.evidence) : null,
    dates.childElementCount > 0 ? h('h3', {}, 'Credential dates') : null,
    dates.childElementCount > 0 ? dates : null,
    details.owners.length > 0 ? h('h3', {}, 'Owner') : null,
    details.owners.length > 0 ? h('ul', { class: 'plain' }, ...details.owners.map((owner) => h('li', {}, nodeLink(actions, owner, context.platformColor(owner.platform))))) : null,
    h('h3', {}, `Findings (${details.findings.length})`),
    details.findings.length > 0 ? findings : muted('No governance finding concerns this node.'),
    scopes.length > 0 ? h('h3', {}, 'Scopes granted') : null,
    scopes.length > 0 ? scopeList : null,
    h('h3', {}, 'Properties'),
    properties,
    h('h3', {}, `Connections (${details.inCount} in, ${details.outCount} out)`),
    neighbours,
    more > 0 ? muted(`… and ${more} more`) : null);
}

export interface RadiusContext {
  mitigations: readonly Mitigation[];
  rings: boolean;
  maxDepth: number | undefined;
  activePath: string | undefined;
  reportHref: string;
  platformColor: (platform: string) => string;
  /** Names of nodes the UI has seen, so a mitigation reads by name rather than by raw id. */
  nameOf?: (id: string) => string | undefined;
  /** What the logs show of this radius, when the server holds evidence. */
  evidence?: EvidenceResponse | undefined;
}

/**
 * The summary of a radius of any size (from the radius map): platforms × levels, and the crown jewels
 * grouped by the bridge their witness path crosses onto another platform. Shown above the radius details.
 */
export function summarySection(summary: MapSummary, platformColor: (platform: string) => string, actions: PanelActions): HTMLElement {
  const levels: Level[] = ['admin', 'write', 'read'];
  const table = h('table', { class: 'summary', 'data-test': 'summary-platforms' },
    h('caption', { class: 'muted small' }, `Reached nodes by platform and level (${summary.reachedCount.toLocaleString('en-US')} in all)`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'platform'), ...levels.map((level) => h('th', { scope: 'col' }, levelBadge(level))), h('th', { scope: 'col' }, '★'))),
    h('tbody', {}, ...summary.platforms.map((row) => h('tr', { 'data-platform': row.platform },
      h('th', { scope: 'row' }, shapeIcon('circle', platformColor(row.platform), 10), ` ${row.platform}`),
      ...levels.map((level) => h('td', {}, row[level].toLocaleString('en-US'))),
      h('td', {}, row.crownJewels.toLocaleString('en-US'))))));
  const bridges = h('ul', { class: 'bridges', 'data-test': 'summary-bridges' });
  for (const group of summary.byBridge) {
    const jewels = h('ul', {});
    for (const jewel of group.crownJewels.slice(0, 20)) {
      jewels.appendChild(h('li', { 'data-test': 'summary-jewel' }, nodeLink(actions, jewel, LEVEL_COLORS[jewel.level]), ' ', levelBadge(jewel.level), muted(` ${jewel.hops} hops`)));
    }
    if (group.crownJewels.length > 20) jewels.appendChild(h('li', { class: 'muted' }, `and ${group.crownJewels.length - 20} more`));
    bridges.appendChild(h('li', {},
      group.bridge ? h('span', {}, 'via ', nodeLink(actions, group.bridge, platformColor(group.bridge.platform)), muted(` (${group.bridge.platform})`)) : muted('on the source\u2019s own platform'),
      muted(` — ${plural(group.crownJewels.length, 'crown jewel')}`), jewels));
  }
  return h('section', { class: 'summary', 'data-test': 'summary' },
    h('h3', {}, 'Summary'),
    table,
    h('h3', {}, `Crown jewels by bridge (${summary.crownJewelCount.toLocaleString('en-US')})`),
    summary.byBridge.length > 0 ? bridges : h('p', { class: 'muted' }, 'No crown jewel reached.'));
}

export function radiusPanel(radius: RadiusResponse, context: RadiusContext, actions: PanelActions): HTMLElement {
  const change = radius.whatIf;
  const cards = h('div', { class: 'cards-row' },
    h('div', { class: 'card', 'data-test': 'score' }, h('b', {}, formatScore(radius.score)), 'score',
      change ? h('div', { class: 'delta' }, `${formatDelta(change.scoreBefore, change.scoreAfter)} from ${formatScore(change.scoreBefore)}`) : null),
    h('div', { class: 'card' }, h('b', {}, String(radius.reachedCount)), 'reached',
      change ? h('div', { class: 'delta' }, `${formatDelta(change.reachedBefore, change.reachedAfter)} from ${change.reachedBefore}`) : null),
    h('div', { class: 'card' }, h('b', {}, String(radius.crownJewels.length)), 'crown jewels'),
    h('div', { class: 'card' }, h('b', {}, String(radius.platforms.length)), 'platforms'));

  const section = h('section', { 'data-test': 'radius' },
    h('h2', {}, 'Blast radius of ', ...radius.sources.flatMap((s, i) => [i > 0 ? ', ' : '', nodeLink(actions, s, COLORS.anchor)])),
    h('p', { class: 'muted' }, `as of ${radius.at.slice(0, 10)}${radius.maxDepth !== null ? `, at most ${radius.maxDepth} hops` : ''}`),
    cards);

  if (context.mitigations.length > 0) {
    const list = h('ul', { class: 'mitigations' });
    context.mitigations.forEach((item) => {
      const remove = h('button', { type: 'button', class: 'small', title: 'remove this mitigation' }, 'undo');
      remove.addEventListener('click', () => actions.toggleMitigations([item]));
      list.appendChild(h('li', { title: JSON.stringify(item) }, mitigationLabel(item, context.nameOf), ' ', remove));
    });
    section.append(h('h3', {}, `What-if: ${plural(context.mitigations.length, 'mitigation')} applied`), list);
    if (change && change.removed.length > 0) section.append(h('p', { class: 'cut-note' }, `${plural(change.removed.length, 'node')} no longer reached (green on the graph).`));
  }

  const tools = h('div', { class: 'actions' });
  const plan = h('button', { type: 'button', class: 'primary', 'data-test': 'open-plan' }, 'Revocation plan');
  plan.addEventListener('click', () => actions.openPlan());
  const respond = h('button', { type: 'button', class: 'primary', 'data-test': 'open-respond' }, 'Respond');
  respond.addEventListener('click', () => actions.openRespond());
  const ringsLabel = h('label', { class: 'inline' });
  const rings = h('input', { type: 'checkbox', 'data-test': 'rings', checked: context.rings });
  rings.addEventListener('change', () => actions.setRings(rings.checked));
  ringsLabel.append(rings, ' hop rings');
  const depthLabel = h('label', { class: 'inline' }, 'max hops ');
  const depth = h('input', { type: 'number', min: 0, max: 50, step: 1, value: context.maxDepth ?? '', placeholder: '∞', class: 'depth', 'aria-label': 'maximum hops' });
  depth.addEventListener('change', () => actions.setMaxDepth(depth.value === '' ? undefined : Math.max(0, Math.floor(Number(depth.value)))));
  depthLabel.append(depth);
  const report = h('a', { class: 'button', download: 'blastmap-report.html', 'data-test': 'report' }, 'HTML report');
  report.href = context.reportHref;
  const clearButton = h('button', { type: 'button', title: 'back to the overview', 'data-test': 'clear' }, 'Clear');
  clearButton.addEventListener('click', () => actions.clearSimulation());
  tools.append(plan, respond, ringsLabel, depthLabel, report, clearButton);
  section.append(tools);
  if (context.evidence) section.append(evidenceSection(context.evidence));

  const pathItem = (key: string, path: PathStepView[], content: (Node | string)[], test: string) => {
    const active = context.activePath === key;
    const button = h('button', { type: 'button', class: `entry${active ? ' active' : ''}`, 'data-test': test, 'aria-expanded': active ? 'true' : 'false' }, ...content);
    button.addEventListener('click', () => actions.showPath(path, key));
    const li = h('li', {}, button);
    if (active) li.appendChild(pathView(path));
    return li;
  };

  section.append(h('h3', {}, `Crown jewels reached (${radius.crownJewels.length})`));
  if (radius.crownJewels.length === 0) section.append(muted('None.'));
  const jewels = h('ul', { class: 'entries' });
  for (const entry of radius.crownJewels) {
    jewels.appendChild(pathItem(`jewel:${entry.id}`, entry.path, [levelBadge(entry.level), ' ', h('b', { 'data-test': 'crown-jewel-name' }, nameEl(entry.name)), ' ', muted(`${entry.kind} on ${entry.platform} · ${plural(entry.hops, 'hop')}`)], 'crown-jewel'));
  }
  section.append(jewels);

  section.append(h('h3', {}, `Lateral paths (${radius.lateral.bridgeCount})`));
  if (radius.lateral.bridges.length === 0) section.append(muted('Nothing reached beyond the sources\u2019 platforms.'));
  else section.append(h('p', { class: 'muted' }, `${plural(radius.lateral.lateralCount, 'node')} on other platforms, score ${formatScore(radius.lateral.lateralScore)}. Each path leaves the source\u2019s platform at a bridge:`));
  const bridges = h('ul', { class: 'entries' });
  radius.lateral.bridges.forEach((bridge, i) => {
    const target = bridge.targets[0];
    const path = target ? target.path : bridge.approach;
    bridges.appendChild(pathItem(`bridge:${i}`, path, [
      h('b', {}, `${bridge.bridge.from.platform} → ${bridge.bridge.to.platform}`), ' via ', nameEl(bridge.bridge.to.name), ' ',
      muted(`· ${plural(bridge.reachedCount, 'node')}, score ${formatScore(bridge.score)}${bridge.crownJewels > 0 ? `, ${plural(bridge.crownJewels, 'crown jewel')}` : ''}${target ? ` · e.g. ${displayName(target.name)}` : ''}`),
    ], 'lateral-path'));
  });
  section.append(bridges);

  const table = h('table', { class: 'grid' }, h('tr', {}, h('th', {}, 'platform'), h('th', { class: 'num' }, 'reached'), h('th', { class: 'num' }, 'admin'), h('th', { class: 'num' }, 'write'), h('th', { class: 'num' }, 'read'), h('th', { class: 'num' }, 'score')));
  for (const p of radius.platforms) {
    table.appendChild(h('tr', {}, h('td', {}, shapeIcon('circle', context.platformColor(p.platform), 10), ` ${p.platform}`), h('td', { class: 'num' }, p.reached), h('td', { class: 'num' }, p.admin), h('td', { class: 'num' }, p.write), h('td', { class: 'num' }, p.read), h('td', { class: 'num' }, formatScore(p.score))));
  }
  section.append(h('h3', {}, 'By platform'), table);
  if (radius.dormant.length > 0) {
    section.append(h('h3', {}, `Dormant finds (${radius.dormant.length})`), h('p', { class: 'muted' }, 'Reached but not usable at this date (revoked, expired, disabled, mitigated):'),
      h('ul', { class: 'plain' }, ...radius.dormant.slice(0, 20).map((d) => h('li', {}, nodeLink(actions, d), ' ', muted(d.why)))));
  }
  return section;
}

export function planPanel(plan: PlanResponse, context: { mitigations: readonly Mitigation[]; current: RadiusResponse | undefined; nameOf?: (id: string) => string | undefined }, actions: PanelActions): HTMLElement {
  const section = h('section', { 'data-test': 'plan' },
    h('h2', {}, 'Revocation plan'),
    h('p', { class: 'muted' }, `What to cut first to contain the compromise of ${plan.sources.map((s) => s.name).join(', ')}. Each step is the single cut that removes the most of what is left. Tick a cut to apply it as a what-if: the plan is then recomputed from what the applied cuts leave.`));
  const current = context.current;
  if (current) {
    const before = current.whatIf?.scoreBefore ?? current.score;
    section.append(h('div', { class: 'cards-row' },
      h('div', { class: 'card' }, h('b', { 'data-test': 'live-score' }, formatScore(current.score)), 'score now', h('div', { class: 'delta' }, `${formatDelta(before, current.score)} from ${formatScore(before)}`)),
      h('div', { class: 'card' }, h('b', {}, String(current.reachedCount)), 'reached now'),
      h('div', { class: 'card' }, h('b', {}, String(current.crownJewels.length)), 'crown jewels now')));
  }
  if (context.mitigations.length > 0) {
    // The applied what-ifs stay listed (and can be unticked): the steps below start after them.
    const applied = h('ul', { class: 'plain applied', 'data-test': 'applied-cuts' });
    for (const item of context.mitigations) {
      const label = mitigationLabel(item, context.nameOf);
      const box = h('input', { type: 'checkbox', checked: true, 'data-test': 'applied-cut', 'aria-label': `Undo: ${label}` });
      box.addEventListener('change', () => actions.toggleMitigations([item]));
      applied.appendChild(h('li', {}, h('label', { class: 'cut applied' }, box, h('span', {}, h('b', {}, label)))));
    }
    section.append(h('h3', {}, `Applied (${context.mitigations.length})`), applied, h('h3', {}, 'Next cuts'));
  }
  const cutRow = (cut: CutView, extra: (Node | string | null)[], test: string) => {
    const checked = hasMitigations(context.mitigations, cut.mitigations);
    const box = h('input', { type: 'checkbox', checked, 'data-test': test, 'aria-label': cutLabel(cut) });
    box.addEventListener('change', () => actions.toggleMitigations(cut.mitigations));
    return h('label', { class: `cut${checked ? ' applied' : ''}` }, box, h('span', {}, h('b', {}, cutLabel(cut)), ...extra));
  };
  const steps = h('ol', { class: 'plan' });
  for (const step of plan.steps) {
    const share = plan.initialScore > 0 ? Math.round((step.removed / plan.initialScore) * 100) : 0;
    const li = h('li', {}, cutRow(step.cut, [
      h('div', { class: 'muted' }, `−${formatScore(step.removed)} points (${share}% of the radius) · cuts off ${plural(step.lost.length, 'node')}${step.crownJewelsLost.length > 0 ? ` including ${step.crownJewelsLost.map((n) => n.name).join(', ')}` : ''}`),
      step.cut.node ? h('div', { class: 'muted small' }, `${step.cut.node.kind}${step.cut.node.type ? ` (${step.cut.node.type})` : ''} on ${step.cut.node.platform}`) : null,
    ], 'cut-toggle'));
    if (step.alternatives.length > 0) {
      li.append(h('div', { class: 'muted small' }, 'or, equally effective:'), ...step.alternatives.map((alt) => cutRow(alt, [], 'cut-alternative')));
    }
    steps.appendChild(li);
  }
  section.append(steps);
  const stop = plan.stoppedBecause === 'nothing-left' ? 'After these cuts nothing beyond the sources is reachable.' : plan.stoppedBecause === 'no-single-cut-helps' ? 'No single further cut reduces the radius.' : `Plan limited to ${plan.steps.length} steps.`;
  section.append(h('p', { class: 'muted' }, `Score ${formatScore(plan.initialScore)} → ${formatScore(plan.finalScore)} after all steps. ${stop}`));
  section.append(h('p', { class: 'muted small' }, 'Any credential, scope or app can also be cut from its details (click it in the graph).'));
  return section;
}

export function exposurePanel(exposure: ExposureResponse, context: { activePath: string | undefined }, actions: PanelActions): HTMLElement {
  const section = h('section', { 'data-test': 'exposure-panel' },
    h('h2', {}, 'Who can reach ', nodeLink(actions, exposure.target, COLORS.anchor)),
    h('p', { class: 'muted' }, `${plural(exposure.exposedCount, 'app or credential', 'apps or credentials')} reach it${exposure.targetUsable ? '' : ' (the target is not usable at this date)'}: admin ${exposure.byLevel.admin}, write ${exposure.byLevel.write}, read ${exposure.byLevel.read}. Click one to see its path.`));
  const list = h('ul', { class: 'entries' });
  for (const entry of exposure.exposed) {
    const key = `exposed:${entry.id}`;
    const active = context.activePath === key;
    const button = h('button', { type: 'button', class: `entry${active ? ' active' : ''}`, 'data-test': 'exposed' }, levelBadge(entry.level), ' ', h('b', {}, nameEl(entry.name)), ' ', muted(`${entry.kind} on ${entry.platform} · ${plural(entry.hops, 'hop')}`));
    button.addEventListener('click', () => actions.showPath(entry.path, key));
    const simulate = h('button', { type: 'button', class: 'small' }, 'simulate');
    simulate.addEventListener('click', () => actions.simulate([entry.id]));
    const li = h('li', {}, button, ' ', simulate);
    if (active) li.appendChild(pathView(entry.path));
    list.appendChild(li);
  }
  section.append(list);
  if (exposure.exposed.length < exposure.exposedCount) section.append(muted(`… and ${exposure.exposedCount - exposure.exposed.length} more`));
  return section;
}

/** The legend: platforms by colour, kinds by shape, and the radius colours. */
export function legend(platforms: readonly { name: string; count: number }[], kinds: readonly { name: string; count: number }[], platformColor: (p: string) => string, radius: boolean, harvested = false, exposure = false, evidence = false): HTMLElement {
  const box = h('div', { id: 'legend-body' });
  if (radius) {
    box.append(h('div', { class: 'legend-title' }, exposure ? 'Exposure' : 'Radius'),
      ...([[exposure ? 'target' : 'compromised', COLORS.anchor, 'solid'], ['admin (solid)', LEVEL_COLORS.admin, LEVEL_PATTERNS.admin], ['write (half)', LEVEL_COLORS.write, LEVEL_PATTERNS.write], ['read (hollow)', LEVEL_COLORS.read, LEVEL_PATTERNS.read], ['cut off by what-if (slashed)', COLORS.cut, CUT_PATTERN]] as const)
        .map(([label, color, pattern]) => h('div', { class: 'legend-row', 'data-test': 'legend-level' }, patternIcon(pattern, color, 13), ` ${label}`)));
    if (harvested) box.append(h('div', { class: 'legend-row' }, shapeIcon('circle', COLORS.harvested, 12), ' harvested, live until rotated'));
    if (evidence) {
      box.append(h('div', { class: 'legend-row', 'data-test': 'legend-evidence' }, h('b', {}, '◉'), ' observed in the logs (wide violet edge)'),
        h('div', { class: 'legend-row' }, h('b', {}, '⊘'), ' contradicted by the logs'));
    }
  } else {
    box.append(h('div', { class: 'legend-title' }, 'Platforms'), h('div', { class: 'legend-grid' }, ...platforms.map((p) => h('div', { class: 'legend-row' }, shapeIcon('circle', platformColor(p.name), 10), ` ${p.name}`))));
  }
  box.append(h('div', { class: 'legend-title' }, 'Kinds'), h('div', { class: 'legend-grid' }, ...kinds.map((k) => h('div', { class: 'legend-row' }, shapeIcon(shapeOf(k.name), '#475569', 11), ` ${k.name}`))));
  return box;
}

export interface RespondContext {
  view: RespondState;
  current: RadiusResponse | undefined;
  since: string | undefined;
  at: string | undefined;
  platformColor: (platform: string) => string;
}

/**
 * The containment plan (assume breach): phases in order, each step with what to do, on what, where, who does it
 * and what it breaks; ticking a step applies its what-if, and harvested credentials stay marked until rotated.
 */
export function respondPanel(plan: RespondResponse, context: RespondContext, actions: PanelActions): HTMLElement {
  const { view, current } = context;
  const section = h('section', { 'data-test': 'respond' },
    h('h2', {}, 'Respond: contain the compromise'),
    h('p', { class: 'muted' }, `Assume breach ${plan.since ? `from ${plan.since.slice(0, 10)}${plan.sinceBasis === 'createdAt' ? ' (when the source was created)' : ''}` : 'since an unknown date (every credential that existed is assumed read)'} to ${plan.at.slice(0, 10)}. ` +
      'Work down the phases and tick each step when it is done: its what-if applies and the radius on the graph shrinks. ' +
      'Credentials the attacker already read stay usable after every cut until rotated: they are marked on the graph.'));

  const since = h('input', { type: 'date', value: context.since ?? '', 'data-test': 'respond-since', 'aria-label': 'compromise since' });
  const at = h('input', { type: 'date', value: context.at ?? '', 'data-test': 'respond-at', 'aria-label': 'analysis instant' });
  const apply = () => actions.setWindow(since.value === '' ? undefined : since.value, at.value === '' ? undefined : at.value);
  since.addEventListener('change', apply);
  at.addEventListener('change', apply);
  section.append(h('div', { class: 'actions' }, h('label', { class: 'inline' }, 'since ', since), h('label', { class: 'inline' }, 'at ', at)));

  if (current) {
    const before = current.whatIf?.scoreBefore ?? current.score;
    section.append(h('div', { class: 'cards-row' },
      h('div', { class: 'card' }, h('b', { 'data-test': 'respond-score' }, formatScore(current.score)), 'score now', h('div', { class: 'delta' }, `${formatDelta(before, current.score)} from ${formatScore(before)}`)),
      h('div', { class: 'card' }, h('b', { 'data-test': 'respond-reached' }, String(current.reachedCount)), 'reached now'),
      h('div', { class: 'card' }, h('b', { 'data-test': 'respond-harvested-live' }, String(view.harvestedLive.size)), 'harvested, live'),
      h('div', { class: 'card' }, h('b', {}, `${view.ticked}/${view.total}`), 'steps done')));
  }

  if (plan.harvested.length > 0) {
    const list = h('ul', { class: 'plain harvested' });
    for (const credential of plan.harvested) {
      const live = view.harvestedLive.has(credential.id);
      const status = live ? 'live' : credential.validNow ? 'rotated' : 'not valid now';
      list.appendChild(h('li', { 'data-test': 'harvested', 'data-live': live ? '1' : '0', 'data-id': credential.id },
        h('span', { class: `badge ${live ? 'harvested' : 'rotated'}` }, status), ' ',
        nodeLink(actions, credential, live ? COLORS.harvested : COLORS.cut),
        muted(` · ${credential.via}${credential.remediation === 'vendor' ? ' · the vendor must rotate it' : ''}`)));
    }
    section.append(h('h3', {}, `Harvested credentials (${plan.harvested.length})`), list);
  }

  for (const group of view.phases) {
    const list = h('ol', { class: 'plan respond-steps' });
    for (const item of group.steps) {
      const { step } = item;
      const box = h('input', { type: 'checkbox', checked: item.ticked, 'data-test': 'respond-step', 'data-phase': step.phase, 'data-target': step.target.id, 'aria-label': step.title });
      box.addEventListener('change', () => actions.toggleStep(item.key));
      const who = whoText(step.who);
      const dependents = step.impact.dependents.map((d) => `${d.name} (${d.relation})`).join(', ');
      list.appendChild(h('li', {}, h('label', { class: `cut${item.ticked ? ' applied' : ''}` }, box, h('span', {},
        h('b', { 'data-test': 'respond-title' }, step.title),
        h('div', { class: 'muted small' }, `${step.target.kind} ${displayName(step.target.name)} on ${step.target.platform}`),
        h('div', { class: 'small' }, `where: ${step.where}`),
        h('div', { class: 'small' }, `who: ${who || 'no administrator of this tenant is in the graph'}`),
        step.containment ? h('div', { class: 'small' }, `removes ${formatScore(step.removes)} points · score after ${formatScore(step.scoreAfter)}, ${plural(step.reachedAfter, 'node')} reached`) : null,
        h('div', { class: `muted small impact-${step.impact.cost}` }, `impact (${step.impact.cost}): ${[...step.impact.notes, ...(dependents ? [`depends on it: ${dependents}`] : [])].join('; ') || 'only the attacker loses access'}`),
        step.evidence && step.evidence.status !== 'possible' ? h('div', { class: `small evidence-note ${step.evidence.status}`, 'data-test': 'respond-evidence', 'data-status': step.evidence.status },
          h('b', {}, step.evidence.status === 'observed' ? '◉ OBSERVED' : '⊘ CONTRADICTED'),
          step.evidence.count !== undefined ? ` ${plural(step.evidence.count, 'event')} from ${minute(step.evidence.first!)}${step.evidence.ips && step.evidence.ips.length > 0 ? `, ${step.evidence.ips.join(', ')}` : ''}` : '',
          step.evidence.actions ? ` · ${plural(step.evidence.actions.length, 'action')} in this tenant${step.evidence.actions.some((a) => a.category === 'persistence') ? ', persistence among them' : ''}` : '') : null,
        step.lookFor && step.lookFor.length > 0 ? h('ul', { class: 'small look-for' }, ...step.lookFor.map((text) => h('li', {}, text))) : null,
        item.mitigations.length === 0 ? h('div', { class: 'muted small' }, 'changes nothing reachable: tick it when done') : null))));
    }
    section.append(h('h3', { 'data-test': 'respond-phase', 'data-phase': group.phase }, group.title), list);
  }
  if (view.total === 0) section.append(muted('Nothing to do: the source reaches nothing at this instant.'));
  return section;
}

/** A cluster's members (drill-down): what it groups, nearest first, each a link to its details. */
export function clusterPanel(cluster: ClusterResponse & { loaded: ClusterResponse['members'] }, context: { drawn: (id: string) => boolean; platformColor: (platform: string) => string }, actions: PanelActions): HTMLElement {
  const what = cluster.level ? `reached at ${cluster.level}` : 'not reached';
  const list = h('ol', { class: 'plain members', 'data-test': 'cluster-members' });
  for (const member of cluster.loaded) {
    list.appendChild(h('li', { 'data-test': 'cluster-member', 'data-id': member.id },
      nodeLink(actions, member, cluster.level ? LEVEL_COLORS[cluster.level] : context.platformColor(member.platform)),
      member.crownJewel ? ' ★' : '',
      muted(`${member.hops !== null ? ` · ${plural(member.hops, 'hop')}` : ''}${context.drawn(member.id) ? ' · drawn' : ''}`)));
  }
  const section = h('section', { 'data-test': 'cluster' },
    h('h2', {}, `${cluster.platform} · ${cluster.kind}${cluster.level ? ` · ${cluster.level}` : ''}`),
    h('p', { class: 'muted' }, `${plural(cluster.count, 'node')}${cluster.level !== null || cluster.members.some((m) => m.hops !== null) ? ` ${what}` : ''}, nearest first. The map draws as many as its budget allows; click one for its details.`),
    list);
  if (cluster.loaded.length < cluster.count) {
    const more = h('button', { type: 'button', 'data-test': 'cluster-more' }, `Show more (${(cluster.count - cluster.loaded.length).toLocaleString('en-US')} left)`);
    more.addEventListener('click', () => actions.moreMembers());
    section.append(more);
  }
  return section;
}

/** The nodes marked owned: already in the attacker's hands, simulated together as one attacker. */
function ownedList(owned: readonly { id: string; name: string; kind: string; platform: string }[], actions: PanelActions): HTMLElement {
  const simulate = h('button', { type: 'button', class: 'primary small', 'data-test': 'simulate-owned' }, 'Simulate the owned nodes');
  simulate.addEventListener('click', () => actions.simulate(owned.map((node) => node.id)));
  return h('section', { 'data-test': 'owned' }, h('h2', {}, `Owned (${owned.length})`),
    h('p', { class: 'muted' }, 'Marked as already in the attacker\u2019s hands (kept with the graph; `blastmap radius @owned` on the command line).'),
    h('ul', { class: 'plain' }, ...owned.map((node) => h('li', {}, nodeLink(actions, node)))), simulate);
}
