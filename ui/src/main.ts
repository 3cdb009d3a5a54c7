// The blastmap web UI: loads the view from the API, lays it out in a worker, and wires search, details,
// simulate compromise, the revocation plan and what-if toggles, exposure, filters, exports and the URL state.
import './style.css';
import { api, ApiError, reportUrl } from './api.ts';
import { append, byId, clear, displayName, h, nameEl } from './dom.ts';
import { EVIDENCE_MARKS, evidenceHighlight, exposureEmphasis, pathHighlight, radiusEmphasis } from './logic/highlight.ts';
import { hopRings, layoutPlan, viewFingerprint, type Point } from './logic/layout.ts';
import { mitigationLabel } from './logic/format.ts';
import { aggregationNote, chooseBudget, DEFAULT_DRAW_BUDGET, mapEmphasis, mapPositions } from './logic/map.ts';
import { COLORS, CUT_PATTERN, LEVEL_COLORS, LEVEL_PATTERNS, platformColors, type Pattern } from './logic/palette.ts';
import { exportContext } from './logic/export-context.ts';
import { respondState, toggleStep, type RespondState } from './logic/respond.ts';
import { decodeState, encodeState, toggleMitigations, type Tab, type ViewState } from './logic/url-state.ts';
import { buildViewGraph, nodeKey, type ViewEdgeAttributes, type ViewGraph } from './logic/view-model.ts';
import type { ClusterResponse, EdgeDetailsResponse, MarksResponse, RouteResponse, ExposureResponse, GraphRequest, GraphResponse, MapRequest, MapResponse, MetaResponse, Mitigation, NodeDetailsResponse, PathStepView, PlanResponse, RadiusRequest, RadiusResponse, RespondResponse, SearchResult, EvidenceResponse } from './logic/wire.ts';
import { clusterPanel, detailsPanel, exposurePanel, legend, overviewPanel, planPanel, radiusPanel, respondPanel, summarySection, type PanelActions } from './panels.ts';
import { GraphRenderer } from './renderer.ts';
import type { LayoutMessage, LayoutRequest } from './layout.worker.ts';

const body = document.body;
let state: ViewState = decodeState(location.search);
let meta: MetaResponse;
let colors = new Map<string, string>();
const platformColor = (platform: string) => colors.get(platform) ?? '#94a3b8';
let renderer: GraphRenderer | undefined;
let viewAggregated = false;
/** The radius map drawn instead of the whole radius when the radius is larger than the drawing budget. */
let mapView: MapResponse | undefined;
/** Nodes of the path being examined: the map always draws them. */
let examinedPath: string[] = [];
/** Most nodes drawn one by one, chosen from the measured frame time (kept per browser). */
let drawBudget = DEFAULT_DRAW_BUDGET;
let lastFrameMs: number | undefined;
/** Node names by id from every answer seen: what-ifs are listed by name (cut nodes leave the radius). */
const knownNames = new Map<string, string>();
const learn = (refs: Iterable<{ id: string; name: string }>) => { for (const ref of refs) knownNames.set(ref.id, ref.name); };
const nameOf = (id: string) => knownNames.get(id);
let legendOpen = (() => { try { return localStorage.getItem('blastmap:legend') !== 'closed'; } catch { return true; } })();
const BUDGET_STORAGE = 'blastmap:draw-budget';
/** Entries of the radius's `reached` list asked for when a map is drawn (the Details of those nodes say how they are reached). */
const MAP_REACHED_LIMIT = 2000;
let radius: RadiusResponse | undefined;
/** What the logs show of the current radius (docs/evidence.md), when the server holds evidence. */
let evidence: EvidenceResponse | undefined;
let plan: PlanResponse | undefined;
let planKey = '';
/** Counts plan requests: only the answer to the latest is shown. */
let planRequests = 0;
let respondPlan: RespondResponse | undefined;
let respondKey = '';
let exposure: ExposureResponse | undefined;
let details: NodeDetailsResponse | undefined;
/** The marks kept with the graph (crown jewels, owned) and the saved views; undefined when the server keeps none. */
let marks: MarksResponse | undefined;
/** The open cluster (drill-down) and the members loaded so far. */
let clusterView: (ClusterResponse & { loaded: ClusterResponse['members'] }) | undefined;
let activePath: string | undefined;
/** A→B pathfinding: the chosen start, and the last route found. */
let routeFrom: { id: string; name: string } | undefined;
let route: RouteResponse | undefined;
/** Force-directed positions, kept while hop rings are shown. */
let forcePositions = new Map<string, Point>();
let layoutWorker: Worker | undefined;
/** Distance between hop rings, in graph coordinates. */
const RING_SPACING = 100;

// ------------------------------------------------------------------------------------------------ status

let busy = 0;
function setBusy(delta: number) {
  busy += delta;
  body.dataset.busy = busy > 0 ? '1' : '0';
}

function showStatus(text: string, kind: 'info' | 'error' = 'info') {
  const status = byId('status');
  status.textContent = text;
  status.className = kind;
  status.hidden = text === '';
}

function showError(error: unknown) {
  if (error instanceof DOMException && error.name === 'AbortError') return;
  const message = error instanceof ApiError ? `${error.message}${error.candidates.length > 0 ? ` — did you mean: ${error.candidates.slice(0, 3).join('; ')}` : ''}` : error instanceof Error ? error.message : String(error);
  showStatus(message, 'error');
}

async function task<T>(work: () => Promise<T>): Promise<T | undefined> {
  setBusy(1);
  try {
    return await work();
  } catch (error) {
    showError(error);
    return undefined;
  } finally {
    setBusy(-1);
  }
}

function syncUrl() {
  const query = encodeState(state);
  history.replaceState(null, '', `${location.pathname}${query}`);
}

/** A what-if change is a history entry: Back undoes it, Forward redoes it (see setupHistory). */
function pushUrl() {
  const query = encodeState(state);
  if (`${location.pathname}${query}` !== `${location.pathname}${location.search}`) history.pushState({ blastmap: true }, '', `${location.pathname}${query}`);
}

/** Back and Forward restore the what-ifs (and step marks) of that history entry and recompute the radius. */
function setupHistory() {
  window.addEventListener('popstate', () => {
    const restored = decodeState(location.search);
    if (JSON.stringify(restored.sources) !== JSON.stringify(state.sources)) { location.reload(); return; }
    state.mitigations = restored.mitigations;
    state.done = restored.done;
    applyHighlight();
    renderPanel();
    void runRadius();
    if (state.tab === 'plan') void runPlan();
  });
}

// ------------------------------------------------------------------------------------------ analysis args

/** Hidden traversable edge kinds are also left out of the analysis. */
function excludedKinds(): string[] {
  const traversable = new Set(meta.edgeKinds.filter((kind) => kind.traversable).map((kind) => kind.name));
  return state.hiddenEdgeKinds.filter((kind) => traversable.has(kind));
}

function analysisOptions() {
  const options: { at?: string; maxDepth?: number; excludeEdgeKinds?: string[] } = {};
  if (state.at) options.at = state.at;
  if (state.maxDepth !== undefined) options.maxDepth = state.maxDepth;
  const excluded = excludedKinds();
  if (excluded.length > 0) options.excludeEdgeKinds = excluded;
  return options;
}

/** The Respond view's state when it is on and its plan is loaded: it adds the live harvested credentials as sources. */
function respondView(): RespondState | undefined {
  return state.respond && respondPlan ? respondState(respondPlan, state.sources, state.mitigations, state.done) : undefined;
}

/** Most sources a request carries (the API's limit); beyond it the oldest harvested credentials are left out. */
const MAX_SOURCES = 64;

function radiusRequest(): RadiusRequest {
  const sources = (respondView()?.sources ?? state.sources).slice(0, MAX_SOURCES);
  return { sources, ...analysisOptions(), ...(state.mitigations.length > 0 ? { mitigations: state.mitigations } : {}) };
}

// ---------------------------------------------------------------------------------------------- the view

function graphRequest(): GraphRequest {
  // The measured budget unless the URL sets one; the server caps it at its own.
  const request: GraphRequest = { budget: state.budget ?? drawBudget };
  if (state.platforms.length > 0) request.platforms = state.platforms;
  if (state.kinds.length > 0) request.kinds = state.kinds;
  if (state.expand.length > 0) request.expand = state.expand;
  return request;
}

/** The budget the views use: the URL's when set, else the one measured in this browser, never above the server's. */
const viewBudget = () => Math.min(state.budget ?? drawBudget, meta.budget);

/** A radius is drawn as a map when the graph is larger than the budget: the radius may then be too. */
const drawsMap = () => state.sources.length > 0 && meta.nodeCount > viewBudget();

function mapRequest(): MapRequest {
  const request: MapRequest = { budget: viewBudget(), focus: radiusRequest() };
  if (state.platforms.length > 0) request.platforms = state.platforms;
  if (state.kinds.length > 0) request.kinds = state.kinds;
  if (state.expand.length > 0) request.expand = state.expand;
  if (examinedPath.length > 0) request.pathNodes = examinedPath.slice(0, 256);
  return request;
}

/** Times one synchronous frame of the current view and keeps the budget it implies for the next views. */
function measureFrame() {
  if (!renderer) return;
  lastFrameMs = renderer.measureFrame();
  const units = renderer.viewGraph.order + renderer.viewGraph.size;
  const next = chooseBudget(lastFrameMs, units, drawBudget, meta.budget);
  body.dataset.frameMs = String(Math.round(lastFrameMs));
  if (next !== drawBudget) {
    drawBudget = next;
    try { localStorage.setItem(BUDGET_STORAGE, String(next)); } catch { /* storage disabled: measured again next time */ }
  }
  body.dataset.drawBudget = String(drawBudget);
}

function savedLayout(fingerprint: string): Map<string, Point> | undefined {
  try {
    const text = localStorage.getItem(`blastmap:layout:${fingerprint}`);
    if (!text) return undefined;
    return new Map(Object.entries(JSON.parse(text) as Record<string, [number, number]>).map(([key, [x, y]]) => [key, { x, y }]));
  } catch {
    return undefined;
  }
}

function saveLayout(fingerprint: string, graph: ViewGraph) {
  if (graph.order > 20_000) return;
  const positions: Record<string, [number, number]> = {};
  graph.forEachNode((key, attributes) => { positions[key] = [Math.round(attributes.x * 100) / 100, Math.round(attributes.y * 100) / 100]; });
  try {
    localStorage.setItem(`blastmap:layout:${fingerprint}`, JSON.stringify(positions));
  } catch {
    // storage full or disabled: the layout simply runs again next time
  }
}

function runLayout(graph: ViewGraph, iterations: number, barnesHut: boolean): Promise<void> {
  layoutWorker?.terminate();
  const worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
  layoutWorker = worker;
  const keys = graph.nodes();
  const request: LayoutRequest = {
    nodes: keys.map((key) => { const a = graph.getNodeAttributes(key); return { key, x: a.x, y: a.y, size: a.size }; }),
    edges: graph.mapEdges((_edge, _attributes, source, target) => [source, target] as [string, string]),
    iterations,
    barnesHut,
  };
  return new Promise((resolve) => {
    const apply = (positions: Float64Array) => {
      const moved = new Map<string, Point>();
      keys.forEach((key, i) => moved.set(key, { x: positions[2 * i]!, y: positions[2 * i + 1]! }));
      void renderer?.moveNodes(moved);
    };
    worker.onmessage = (event: MessageEvent<LayoutMessage>) => {
      const message = event.data;
      apply(message.positions);
      if (message.type === 'progress') showStatus(`Laying out the graph… ${Math.round((message.done / iterations) * 100)}%`);
      else {
        worker.terminate();
        if (layoutWorker === worker) layoutWorker = undefined;
        resolve();
      }
    };
    worker.onerror = () => {
      showStatus('The layout worker failed; showing the initial placement.', 'error');
      resolve();
    };
    worker.postMessage(request);
  });
}

/** The first view without a radius, asked for while /api/meta is still on its way (it needs nothing from it). */
let prefetchedView: Promise<GraphResponse> | undefined;

async function loadView(): Promise<void> {
  const started = performance.now();
  const map = drawsMap() ? await api.map(mapRequest()) : undefined;
  const prefetched = prefetchedView;
  prefetchedView = undefined;
  const view = map ?? await (prefetched ?? api.graph(graphRequest()));
  body.dataset.fetchMs = String(Math.round(performance.now() - started));
  mapView = map;
  viewAggregated = view.aggregated;
  const keys = [...view.nodes.map((n) => nodeKey(n.id)), ...view.clusters.map((c) => `c:${c.key}`)];
  const fingerprint = viewFingerprint(keys, view.edges.length + view.links.length);
  const saved = savedLayout(fingerprint);
  // The radius map is laid out on hop rings at once: no force layout to wait for, whatever its size.
  const ringed = map ? mapPositions(map, RING_SPACING) : undefined;
  const planned = ringed ? { mode: 'saved' as const, iterations: 0, barnesHut: false } : layoutPlan(keys.length, saved?.size ?? 0);
  const graph = buildViewGraph(view, platformColor, ringed?.positions ?? (planned.mode === 'saved' ? saved : undefined));
  if (!renderer) {
    renderer = new GraphRenderer(byId('graph'), graph, {
      clickNode: (_key, attributes) => {
        if (attributes.cluster !== undefined) void expandCluster(attributes.cluster);
        else if (attributes.nodeId !== undefined) void selectNode(attributes.nodeId);
      },
      hoverEdge: (_key, attributes) => { if (!edgeCardPinned) showEdgeCard(attributes, undefined); },
      clickEdge: (_key, attributes) => {
        edgeCardPinned = true;
        showEdgeCard(attributes, undefined);
        if (attributes.edgeId === undefined || attributes.sourceId === undefined) return;
        void task(async () => {
          const edge = await api.edge(attributes.sourceId!, attributes.edgeId!);
          showEdgeCard(attributes, edge);
        });
      },
      clickStage: () => {
        edgeCardPinned = false;
        showEdgeCard(undefined, undefined);
        if (activePath !== undefined) {
          activePath = undefined;
          renderer?.update({ path: undefined });
          renderPanel();
        }
      },
    });
  } else renderer.setGraph(graph);
  forcePositions = new Map();
  renderer.setRingGuides(ringed?.hops, RING_SPACING);
  byId('view-info').textContent = map
    ? `Radius map: ${view.nodes.length.toLocaleString('en-US')} nodes and ${view.clusters.length} clusters`
    : view.aggregated
    ? `${view.nodes.length.toLocaleString('en-US')} nodes and ${view.clusters.length} clusters of ${view.matching.toLocaleString('en-US')} (budget ${view.budget.toLocaleString('en-US')}): click a cluster to expand it`
    : `${view.nodes.length.toLocaleString('en-US')} of ${view.total.nodes.toLocaleString('en-US')} nodes · ${view.edges.length.toLocaleString('en-US')} edges`;
  if (planned.mode === 'force') {
    showStatus('Laying out the graph…');
    await runLayout(graph, planned.iterations, planned.barnesHut);
    saveLayout(fingerprint, graph);
  }
  graph.forEachNode((key, attributes) => forcePositions.set(key, { x: attributes.x, y: attributes.y }));
  showStatus('');
  applyHighlight();
  renderer.resetCamera();
  if (state.rings && !map) await applyRings(false);
  renderAggregationNote();
  // Timing a frame costs two frames: done once the view is up, for the views that come next.
  body.dataset.frameMs = '';
  setTimeout(() => { measureFrame(); renderAggregationNote(); }, 0);
  body.dataset.renderMs = String(Math.round(performance.now() - started));
  body.dataset.viewNodes = String(graph.order);
  // The labels the canvas draws, read back for tests on small views (hostile and bidi names).
  body.dataset.labels = graph.order <= 500 ? graph.mapNodes((_key, attributes) => attributes.label).join('\n') : '';
  body.dataset.mapReached = map ? String(map.summary.reachedCount) : '';
  // When the map was drawn, in the page's clock (from navigation start): later work cannot delay this reading.
  body.dataset.mapDrawnAt = map ? String(Math.round(performance.now())) : '';
  // What the map really draws, read back from the view graph (tests compare it with the engine's radius).
  let jewelsDrawn = 0;
  if (map) graph.forEachNode((_key, attributes) => { if (attributes.crownJewel && attributes.nodeId !== undefined) jewelsDrawn++; });
  body.dataset.crownJewelsDrawn = map ? String(jewelsDrawn) : '';
}

let edgeCardPinned = false;

/** The edge under the pointer (kind, ends) or clicked (with scopes, reason, grant and conditions from the server). */
function showEdgeCard(attributes: ViewEdgeAttributes | undefined, edge: EdgeDetailsResponse | undefined) {
  const card = byId('edge-card');
  clear(card);
  card.hidden = !attributes;
  body.dataset.edgeCard = edge ? edge.edgeId : '';
  if (!attributes) return;
  if (attributes.kind === 'AGGREGATED') {
    card.append(h('b', {}, `${(attributes.count ?? 0).toLocaleString('en-US')} edges between clusters`));
    return;
  }
  const graph = renderer?.viewGraph;
  const label = (id: string | undefined) => (id !== undefined && graph?.hasNode(nodeKey(id)) ? graph.getNodeAttribute(nodeKey(id), 'label') : id ?? '?');
  card.append(
    h('div', {}, h('b', { 'data-test': 'edge-kind' }, attributes.kind), attributes.traversable ? '' : h('span', { class: 'muted' }, ' (not traversable)')),
    h('div', {}, nameEl(edge?.from.name ?? label(attributes.sourceId)), ' → ', nameEl(edge?.to.name ?? label(attributes.targetId))));
  if (edge) {
    const rows: [string, string | undefined][] = [
      ['scopes', edge.scopes?.join(' ')], ['reason', edge.reason], ['grant', edge.grant], ['conditions', edge.conditions?.join(', ')], ['derived from', edge.derivedFrom],
    ];
    const table = h('table', { class: 'props', 'data-test': 'edge-details' });
    for (const [name, value] of rows) if (value) table.appendChild(h('tr', {}, h('th', {}, name), h('td', {}, value)));
    if (!edge.scopes && !edge.reason && !edge.conditions) table.appendChild(h('tr', {}, h('td', { class: 'muted' }, 'no scopes, reason or conditions recorded')));
    card.append(table);
  } else card.append(h('div', { class: 'muted small' }, 'click for scopes, reason and conditions'));
}

/** Says over the map what is drawn one by one and what is grouped. */
function renderAggregationNote() {
  const note = byId('aggregation-note');
  note.textContent = mapView ? aggregationNote(mapView, lastFrameMs) : '';
  note.hidden = !mapView;
  body.dataset.aggregated = mapView ? String(mapView.summary.clusteredReached > 0) : '';
}

/** A click on a cluster: its members are listed in the Cluster tab and drawn while the budget lasts. */
async function expandCluster(key: string) {
  if (!state.expand.includes(key)) state.expand = [...state.expand, key];
  state.cluster = key;
  state.tab = 'cluster';
  syncUrl();
  await Promise.all([task(loadView), loadCluster(key, false)]);
}

const MEMBERS_PAGE = 100;

/** Loads the first page of a cluster's members (or the next one), against the radius when a map is shown. */
async function loadCluster(key: string, more: boolean) {
  await task(async () => {
    const offset = more && clusterView?.key === key ? clusterView.loaded.length : 0;
    // Clusters with a level belong to the radius map; grey ones too while a radius is simulated.
    const focus = state.sources.length > 0 && (drawsMap() || key.split('/').length === 3) ? radiusRequest() : undefined;
    const page = await api.cluster({ key, offset, limit: MEMBERS_PAGE, ...(focus ? { focus } : {}) });
    if (state.cluster !== key) return;
    learn(page.members);
    clusterView = { ...page, loaded: offset > 0 && clusterView ? [...clusterView.loaded, ...page.members] : page.members };
    body.dataset.clusterMembers = `${clusterView.loaded.length}/${clusterView.count}`;
    renderPanel();
  });
}

// ------------------------------------------------------------------------------------------- highlights

function applyHighlight() {
  if (!renderer) return;
  const started = performance.now();
  const hidden = new Set(state.hiddenEdgeKinds);
  const harvested = respondView()?.harvestedLive;
  body.dataset.harvestedLive = harvested ? [...harvested].sort().join(' ') : '';
  if (state.tab === 'exposure' && exposure) renderer.update({ emphasis: exposureEmphasis(exposure), hiddenEdgeKinds: hidden, focusOnly: false, selected: state.selected, harvested: undefined });
  const lit = evidence && state.sources.length > 0 ? evidenceHighlight(evidence) : undefined;
  if (state.tab === 'exposure' && exposure) renderer.update({ evidence: undefined });
  else if (mapView && state.sources.length > 0) renderer.update({ emphasis: mapEmphasis(mapView, radius?.whatIf?.removed ?? []), hiddenEdgeKinds: hidden, focusOnly: state.rings, selected: state.selected, harvested, evidence: lit });
  else if (radius && state.sources.length > 0) renderer.update({ emphasis: radiusEmphasis(radius), hiddenEdgeKinds: hidden, focusOnly: state.rings, selected: state.selected, harvested, evidence: lit });
  else renderer.update({ emphasis: undefined, hiddenEdgeKinds: hidden, focusOnly: false, path: undefined, selected: state.selected, harvested: undefined, evidence: undefined });
  body.dataset.evidenceObserved = lit ? [...lit.nodes].filter(([, status]) => status === 'observed').map(([id]) => id).sort().join(' ') : '';
  body.dataset.evidenceEdges = lit ? [...lit.edges].filter(([, status]) => status === 'observed').map(([id]) => id).sort().join(' ') : '';
  // What sigma really draws as observed (label mark, edge colour), so a test sees the drawing.
  const drawn = lit ? renderer.drawnObserved(EVIDENCE_MARKS.observed, COLORS.observed) : undefined;
  body.dataset.evidenceDrawnNodes = drawn ? drawn.nodes.join(' ') : '';
  body.dataset.evidenceDrawnEdges = drawn ? drawn.edges.join(' ') : '';
  body.dataset.highlightMs = String(Math.round(performance.now() - started));
  // What the graph really shows as harvested (read back from sigma), so a test sees the drawing, not the intent.
  body.dataset.harvestedDrawn = harvested && harvested.size > 0 ? renderer.drawnWithColor(COLORS.harvested).join(' ') : '';
  applyLegend();
}

/** The legend, collapsible (kept per browser): at 1024 px it would otherwise cover the end of a path. */
function applyLegend() {
  const harvested = respondView()?.harvestedLive;
  const legendBox = byId('legend');
  const hadFocus = legendBox.contains(document.activeElement);
  clear(legendBox);
  const showingExposure = state.tab === 'exposure' && Boolean(exposure);
  const toggle = h('button', { type: 'button', class: 'small legend-toggle', 'aria-expanded': legendOpen ? 'true' : 'false', 'aria-controls': 'legend-body', 'data-test': 'legend-toggle' }, legendOpen ? 'Legend ▾' : 'Legend ▸');
  toggle.addEventListener('click', () => {
    legendOpen = !legendOpen;
    try { localStorage.setItem('blastmap:legend', legendOpen ? 'open' : 'closed'); } catch { /* kept for this page only */ }
    applyLegend();
    byId('legend').querySelector<HTMLButtonElement>('.legend-toggle')?.focus();
  });
  legendBox.append(toggle);
  const content = legend(meta.platforms, meta.kinds, platformColor, Boolean((radius || mapView) && state.sources.length > 0) || showingExposure, Boolean(harvested && harvested.size > 0), showingExposure, Boolean(evidence && state.sources.length > 0 && !showingExposure));
  content.hidden = !legendOpen;
  legendBox.append(content);
  if (hadFocus) toggle.focus();
}

async function applyRings(animate: boolean) {
  if (!renderer || mapView) return;
  if (state.rings && radius) {
    const graph = renderer.viewGraph;
    const rings = hopRings(radius.sources.map((s) => s.id), radius.reached, RING_SPACING);
    renderer.setRingGuides([...new Set(radius.reached.map((entry) => entry.hops))].sort((a, b) => a - b), RING_SPACING);
    const positions = new Map<string, Point>();
    for (const [id, point] of rings) if (graph.hasNode(nodeKey(id))) positions.set(nodeKey(id), point);
    await renderer.moveNodes(positions, animate);
    fitToEmphasis();
  } else if (forcePositions.size > 0) {
    renderer.setRingGuides(undefined, RING_SPACING);
    await renderer.moveNodes(forcePositions, animate);
    renderer.resetCamera();
  }
}

// ------------------------------------------------------------------------------------------- analyses

let radiusAbort: AbortController | undefined;
/** Frames what the current analysis emphasises. */
function fitToEmphasis() {
  if (!renderer) return;
  if (state.tab === 'exposure' && exposure) {
    const emphasis = exposureEmphasis(exposure);
    renderer.fitNodes([...emphasis.anchors, ...emphasis.levels.keys(), ...emphasis.via].map(nodeKey));
  } else if (mapView) renderer.resetCamera();
  else if (radius) renderer.fitNodes([...radius.sources.map((s) => s.id), ...radius.reached.map((entry) => entry.id)].map(nodeKey));
}

async function runRadius(options: { reloadView?: boolean; fit?: boolean } = {}) {
  if (state.sources.length === 0) {
    radius = undefined;
    if (mapView) { examinedPath = []; await task(loadView); }
    body.dataset.radiusCount = '';
    body.dataset.score = '';
    applyHighlight();
    return;
  }
  radiusAbort?.abort();
  const abort = new AbortController();
  radiusAbort = abort;
  await task(async () => {
    // A large radius: the map first (one traversal on the server), then the full answer for the panel.
    const mapped = drawsMap() || Boolean(mapView);
    if (mapped) {
      const started = performance.now();
      radius = undefined;
      renderPanel();
      await loadView();
      if (abort.signal.aborted) return;
      body.dataset.mapMs = String(Math.round(performance.now() - started));
      renderPanel();
    }
    // With a map, the panel needs no per-node list: the map has the levels of what it draws.
    const result = await api.radius(mapped ? { ...radiusRequest(), reachedLimit: MAP_REACHED_LIMIT } : radiusRequest(), abort.signal);
    if (abort.signal.aborted) return;
    radius = result;
    learn(result.sources);
    learn(result.reached);
    // The evidence over the same radius, when the server holds logs; a failure leaves the radius shown without it.
    evidence = undefined;
    if (meta.evidence) {
      const { mitigations: _mitigations, ...request } = radiusRequest();
      evidence = await api.evidence(request, abort.signal).catch(() => undefined);
      if (abort.signal.aborted) return;
    }
    body.dataset.evidence = evidence ? String(evidence.totals.nodes.observed) : '';
    if (!mapped && (viewAggregated || options.reloadView)) await loadView();
    const started = performance.now();
    applyHighlight();
    if (state.rings) await applyRings(true);
    if (options.fit || state.rings) fitToEmphasis();
    await new Promise(requestAnimationFrame);
    body.dataset.highlightMs = String(Math.round(performance.now() - started));
    body.dataset.radiusCount = String(result.reachedCount);
    body.dataset.score = String(result.score);
    body.dataset.crownJewels = String(result.crownJewels.length);
    renderPanel();
  });
}

async function runPlan() {
  if (state.sources.length === 0) return;
  // The plan starts from the radius the applied what-ifs leave: each cut ticked, the next steps are recomputed.
  const request = { sources: state.sources, ...analysisOptions(), steps: 5, ...(state.mitigations.length > 0 ? { mitigations: state.mitigations } : {}) };
  const key = JSON.stringify(request);
  if (plan && planKey === key) return;
  const asked = ++planRequests;
  await task(async () => {
    const answer = await api.plan(request);
    // A later tick asked for another plan: this one is already out of date.
    if (asked !== planRequests) return;
    plan = answer;
    body.dataset.planMitigations = String(request.mitigations?.length ?? 0);
    for (const step of plan.steps) for (const cut of [step.cut, ...step.alternatives]) knownNames.set(cut.id, cut.name);
    planKey = key;
    body.dataset.planSteps = String(plan.steps.length);
    renderPanel();
  });
}

async function runRespond() {
  if (state.sources.length === 0 || !state.respond) return;
  const request = { sources: state.sources, ...analysisOptions(), ...(state.since ? { since: state.since } : {}) };
  const key = JSON.stringify(request);
  if (respondPlan && respondKey === key) return;
  const loaded = await task(async () => {
    respondPlan = await api.respond(request);
    respondKey = key;
    body.dataset.respondSteps = String(respondPlan.steps.length);
    return true;
  });
  // The harvested credentials are sources of the live radius: it changes with the plan.
  if (loaded) await runRadius();
  renderPanel();
}

async function runExposure() {
  if (!state.target) return;
  await task(async () => {
    exposure = await api.exposure({ target: state.target!, ...analysisOptions() });
    body.dataset.exposedCount = String(exposure.exposedCount);
    applyHighlight();
    fitToEmphasis();
    renderPanel();
  });
}

async function selectNode(id: string, options: { focus?: boolean } = {}) {
  state.selected = id;
  state.tab = 'details';
  syncUrl();
  renderer?.update({ selected: id });
  if (options.focus) renderer?.focusNode(nodeKey(id));
  if (renderer && !renderer.viewGraph.hasNode(nodeKey(id))) showStatus('This node is not drawn in the current view (aggregated or filtered out).');
  await task(async () => {
    details = await api.node(id, state.at);
    learn([details.ref]);
    renderPanel();
  });
}

// -------------------------------------------------------------------------------------------- actions

const actions: PanelActions = {
  selectNode: (id) => void selectNode(id, { focus: true }),
  simulate: (ids) => {
    state.sources = ids;
    state.mitigations = [];
    state.cluster = undefined;
    clusterView = undefined;
    resetRespond();
    state.target = undefined;
    exposure = undefined;
    activePath = undefined;
    state.tab = 'radius';
    syncUrl();
    renderer?.update({ path: undefined });
    void runRadius({ fit: true });
  },
  addSource: (id) => {
    if (!state.sources.includes(id)) state.sources = [...state.sources, id];
    state.tab = 'radius';
    syncUrl();
    void runRadius();
  },
  exposure: (id) => {
    state.target = id;
    state.tab = 'exposure';
    activePath = undefined;
    renderer?.update({ path: undefined });
    syncUrl();
    void runExposure();
  },
  toggleMitigations: (items: Mitigation[]) => {
    state.mitigations = toggleMitigations(state.mitigations, items);
    pushUrl();
    void runRadius();
    if (state.tab === 'plan') void runPlan();
  },
  showPath: (path: PathStepView[], key: string) => {
    if (activePath === key) {
      activePath = undefined;
      renderer?.update({ path: undefined });
    } else {
      activePath = key;
      const highlight = pathHighlight(path);
      const missing = renderer ? [...highlight.nodes].filter((id) => !renderer!.viewGraph.hasNode(nodeKey(id))) : [];
      if (mapView && missing.length > 0) {
        // The map draws the examined path whatever the budget: ask for it, then light it.
        examinedPath = [...highlight.nodes];
        void task(async () => {
          await loadView();
          renderer?.update({ path: highlight });
          body.dataset.pathMissing = String([...highlight.nodes].filter((id) => !renderer!.viewGraph.hasNode(nodeKey(id))).length);
          body.dataset.activePath = activePath ?? '';
        });
        renderPanel();
        return;
      }
      renderer?.update({ path: highlight });
      body.dataset.pathMissing = String(missing.length);
    }
    body.dataset.activePath = activePath ?? '';
    renderPanel();
  },
  openPlan: () => {
    state.tab = 'plan';
    syncUrl();
    renderPanel();
    void runPlan();
  },
  setRings: (on) => {
    state.rings = on;
    syncUrl();
    applyHighlight();
    void applyRings(true);
  },
  clearSimulation: () => {
    state = { ...state, sources: [], mitigations: [], rings: false, tab: 'overview', cluster: undefined };
    clusterView = undefined;
    resetRespond();
    radius = undefined;
    plan = undefined;
    activePath = undefined;
    syncUrl();
    renderer?.update({ path: undefined });
    void applyRings(true);
    void runRadius();
    renderPanel();
  },
  setMaxDepth: (depth) => {
    state.maxDepth = depth;
    syncUrl();
    if (state.respond) void runRespond();
    void runRadius();
  },
  openRespond: () => {
    state.respond = true;
    state.tab = 'respond';
    syncUrl();
    renderPanel();
    void runRespond();
  },
  toggleStep: (key) => {
    if (!respondPlan) return;
    const next = toggleStep(respondPlan, key, state.mitigations, state.done);
    state.mitigations = next.mitigations;
    state.done = next.done;
    pushUrl();
    applyHighlight();
    renderPanel();
    void runRadius();
  },
  setRouteFrom: (node) => {
    routeFrom = node;
    route = undefined;
    showStatus(`Path start (A): ${displayName(node.name)}. Open the destination and press "Path from A to here".`);
    renderPanel();
  },
  findRoute: (to) => {
    if (!routeFrom) return;
    const from = routeFrom.id;
    void task(async () => {
      route = await api.route({ from, to, ...analysisOptions(), ...(state.mitigations.length > 0 ? { mitigations: state.mitigations } : {}) });
      learn([route.from, route.to]);
      body.dataset.routeHops = route.hops === null ? 'none' : String(route.hops);
      showStatus('');
      renderPanel();
      if (route.path.length > 0) actions.showPath(route.path, `route:${route.from.id}>${route.to.id}`);
    });
  },
  moreMembers: () => { if (state.cluster) void loadCluster(state.cluster, true); },
  mark: (id, change) => {
    void task(async () => {
      marks = await api.mark({ node: id, ...change });
      body.dataset.marks = marksSignature(marks);
      if (change.crownJewel !== undefined) {
        // Crown jewels are drawn with a star and counted in the radius: redraw and recompute.
        await loadView();
        if (state.sources.length > 0) await runRadius();
      }
      if (state.selected === id) await selectNode(id);
      renderPanel();
    });
  },
  setWindow: (since, at) => {
    state.since = since;
    state.at = at;
    byId<HTMLInputElement>('at').value = at ?? '';
    plan = undefined;
    syncUrl();
    void runRespond();
  },
};

/** Leaves the Respond view: a new simulation starts without harvested sources or done-marks. */
function resetRespond() {
  state.respond = false;
  state.since = undefined;
  state.done = [];
  respondPlan = undefined;
  respondKey = '';
}

// ---------------------------------------------------------------------------------------------- panels

function setTab(tab: Tab) {
  state.tab = tab;
  syncUrl();
  if (tab === 'plan') void runPlan();
  if (tab === 'respond') {
    state.respond = true;
    syncUrl();
    void runRespond();
  }
  applyHighlight();
  renderPanel();
}

function renderTabs() {
  const nav = byId('tabs');
  clear(nav);
  const available: [Tab, string, boolean][] = [
    ['overview', 'Start', true],
    ['details', 'Details', Boolean(details)],
    ['radius', 'Radius', state.sources.length > 0],
    ['plan', 'Plan & what-if', state.sources.length > 0],
    ['respond', 'Respond', state.sources.length > 0],
    ['exposure', 'Exposure', Boolean(state.target)],
    ...(state.cluster ? [['cluster', 'Cluster', true] as [Tab, string, boolean]] : []),
  ];
  for (const [tab, label, enabled] of available) {
    const button = h('button', { type: 'button', role: 'tab', 'aria-selected': state.tab === tab ? 'true' : 'false', disabled: !enabled, 'data-tab': tab }, label);
    button.addEventListener('click', () => setTab(tab));
    nav.appendChild(button);
  }
}

/** Where the keyboard focus is, as something that survives a re-render: the control's identity, else its position. */
function focusKey(root: HTMLElement): { selector: string; index: number } | undefined {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !root.contains(active)) return undefined;
  const attributes = ['data-test', 'data-node', 'data-tab', 'data-key', 'data-id'].filter((name) => active.hasAttribute(name));
  const selector = `${active.tagName.toLowerCase()}${attributes.map((name) => `[${name}="${CSS.escape(active.getAttribute(name)!)}"]`).join('')}`;
  const same = [...root.querySelectorAll<HTMLElement>(selector)];
  return { selector, index: Math.max(0, same.indexOf(active)) };
}

function restoreFocus(root: HTMLElement, key: { selector: string; index: number } | undefined) {
  if (!key) return;
  const same = root.querySelectorAll<HTMLElement>(key.selector);
  (same[Math.min(key.index, same.length - 1)] ?? root.querySelector<HTMLElement>('button, input, a[href]'))?.focus({ preventScroll: true });
}

/** The tab the panel last showed. */
let renderedTab: Tab | undefined;

function renderPanel() {
  const side = byId('side');
  const focused = focusKey(side);
  renderTabs();
  const panel = byId('panel');
  // The scroll position survives a re-render of the same tab, not a change of tab (a new list starts at its top).
  const scroll = renderedTab === state.tab ? panel.scrollTop : 0;
  renderedTab = state.tab;
  clear(panel);
  const simulating = state.sources.length > 0;
  let content: HTMLElement;
  if (state.tab === 'details' && details) {
    const reachedEntry = radius?.reached.find((entry) => entry.id === details!.ref.id);
    const nodeEvidence = evidence && simulating ? evidence.nodes.find((entry) => entry.id === details!.ref.id) ?? (reachedEntry ? 'possible' as const : undefined) : undefined;
    content = detailsPanel(details, { simulating, sources: state.sources, mitigations: state.mitigations, platformColor, reached: reachedEntry, routeFrom, route, activePath, marks: marks?.available ? { owned: marks.owned.some((node) => node.id === details!.ref.id) } : undefined, evidence: nodeEvidence }, actions);
  } else if (state.tab === 'radius' && radius) {
    content = radiusPanel(radius, { mitigations: state.mitigations, rings: state.rings, maxDepth: state.maxDepth, activePath, reportHref: reportUrl(radiusRequest()), platformColor, nameOf, evidence }, actions);
    if (mapView) content.prepend(summarySection(mapView.summary, platformColor, actions));
  } else if (state.tab === 'radius' && mapView) {
    content = h('div', { 'data-test': 'radius-pending' }, summarySection(mapView.summary, platformColor, actions), h('p', { class: 'muted' }, 'Loading the scores, paths and lateral movement of the whole radius…'));
  } else if (state.tab === 'plan' && plan) {
    content = planPanel(plan, { mitigations: state.mitigations, current: radius, nameOf }, actions);
  } else if (state.tab === 'respond' && respondPlan && respondView()) {
    content = respondPanel(respondPlan, { view: respondView()!, current: radius, since: state.since, at: state.at, platformColor }, actions);
  } else if (state.tab === 'exposure' && exposure) {
    content = exposurePanel(exposure, { activePath }, actions);
  } else if (state.tab === 'cluster' && clusterView) {
    const graph = renderer?.viewGraph;
    content = clusterPanel(clusterView, { drawn: (id) => graph?.hasNode(nodeKey(id)) ?? false, platformColor }, actions);
  } else if (state.tab !== 'overview' && busy > 0) {
    content = h('p', { class: 'muted' }, 'Loading…');
  } else content = overviewPanel(meta, actions, marks?.owned ?? []);
  panel.appendChild(content);
  panel.scrollTop = scroll;
  restoreFocus(side, focused);
  const report = byId<HTMLAnchorElement>('export-report');
  report.hidden = state.sources.length === 0;
  if (state.sources.length > 0) report.href = reportUrl(radiusRequest());
}

// --------------------------------------------------------------------------------------------- header

function setupSearch() {
  const input = byId<HTMLInputElement>('search');
  const list = byId<HTMLUListElement>('suggestions');
  let results: SearchResult[] = [];
  let active = -1;
  let abort: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const close = () => { list.hidden = true; active = -1; input.setAttribute('aria-expanded', 'false'); };
  const choose = (result: SearchResult) => {
    close();
    input.value = result.name;
    void selectNode(result.id, { focus: true });
  };
  const render = () => {
    clear(list);
    results.forEach((result, i) => {
      const item = h('li', { role: 'option', 'aria-selected': i === active ? 'true' : 'false', 'data-test': 'suggestion', 'data-id': result.id },
        nameEl(result.name), h('span', { class: 'muted' }, ` ${result.kind} · ${result.platform}`), h('div', { class: 'muted small id' }, result.id));
      item.addEventListener('mousedown', (event) => { event.preventDefault(); choose(result); });
      list.appendChild(item);
    });
    if (results.length === 0 && input.value.trim() !== '') list.appendChild(h('li', { class: 'muted' }, 'No match'));
    list.hidden = input.value.trim() === '';
    input.setAttribute('aria-expanded', list.hidden ? 'false' : 'true');
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      abort?.abort();
      abort = new AbortController();
      const query = input.value;
      if (query.trim() === '') { results = []; render(); return; }
      api.search(query, abort.signal).then((answer) => {
        if (answer.query !== query) return;
        results = answer.results;
        active = -1;
        render();
      }).catch(showError);
    }, 120);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (results.length === 0) return;
      event.preventDefault();
      active = (active + (event.key === 'ArrowDown' ? 1 : results.length - 1)) % results.length;
      render();
    } else if (event.key === 'Enter') {
      const result = results[active >= 0 ? active : 0];
      if (result) choose(result);
    } else if (event.key === 'Escape') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
}

function checkboxList(title: string, items: readonly { name: string; count: number }[], isOn: (name: string) => boolean, onChange: (name: string, on: boolean) => void, note?: (name: string) => string | null): HTMLElement {
  const box = h('fieldset', {}, h('legend', {}, title));
  for (const item of items) {
    const input = h('input', { type: 'checkbox', checked: isOn(item.name), 'data-filter': `${title}:${item.name}` });
    input.addEventListener('change', () => onChange(item.name, input.checked));
    const extra = note?.(item.name);
    box.appendChild(h('label', {}, input, ` ${item.name} `, h('span', { class: 'muted' }, `(${item.count})`), extra ? h('span', { class: 'muted small' }, ` ${extra}`) : null));
  }
  return box;
}

function setupFilters() {
  const panel = byId('filters');
  const render = () => {
    clear(panel);
    const toggleIn = (list: string[], all: readonly string[], name: string, on: boolean): string[] => {
      const current = list.length === 0 ? [...all] : [...list];
      const next = on ? [...new Set([...current, name])] : current.filter((item) => item !== name);
      return next.length === all.length ? [] : next;
    };
    const allPlatforms = meta.platforms.map((p) => p.name);
    const allKinds = meta.kinds.map((k) => k.name);
    append(panel,
      checkboxList('Platforms', meta.platforms, (name) => state.platforms.length === 0 || state.platforms.includes(name), (name, on) => {
        state.platforms = toggleIn(state.platforms, allPlatforms, name, on);
        syncUrl();
        void task(loadView);
      }),
      checkboxList('Node kinds', meta.kinds, (name) => state.kinds.length === 0 || state.kinds.includes(name), (name, on) => {
        state.kinds = toggleIn(state.kinds, allKinds, name, on);
        syncUrl();
        void task(loadView);
      }),
      checkboxList('Edge kinds', meta.edgeKinds, (name) => !state.hiddenEdgeKinds.includes(name), (name, on) => {
        state.hiddenEdgeKinds = on ? state.hiddenEdgeKinds.filter((kind) => kind !== name) : [...state.hiddenEdgeKinds, name];
        syncUrl();
        applyHighlight();
        if (state.sources.length > 0) { plan = undefined; if (state.respond) void runRespond(); void runRadius(); }
        if (state.target) void runExposure();
      }, (name) => (meta.edgeKinds.find((k) => k.name === name)?.traversable ? null : 'not traversable')),
      h('p', { class: 'muted small' }, 'Hidden traversable edge kinds are also left out of the analysis.'));
  };
  byId('filters-toggle').addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    byId('filters-toggle').setAttribute('aria-expanded', panel.hidden ? 'false' : 'true');
    if (!panel.hidden) render();
  });
}

/** What is marked, for tests and status: `jewels:a,b|not:c|owned:d`. */
const marksSignature = (m: MarksResponse) => `jewels:${m.crownJewels.join(',')}|not:${m.notCrownJewels.join(',')}|owned:${m.owned.map((node) => node.id).join(',')}`;

/**
 * Saved views: the current URL state under a name, kept in the graph's marks file by the server (so they travel
 * with the graph, not with one browser), listed and reopened from the Views panel.
 */
function setupViews() {
  const panel = byId('views');
  const toggle = byId('views-toggle');
  toggle.hidden = !marks?.available;
  const render = () => {
    const focused = focusKey(panel);
    clear(panel);
    const list = h('ul', { 'data-test': 'saved-views' });
    for (const view of marks?.views ?? []) {
      const link = h('a', { 'data-test': 'saved-view', title: view.query || '(the start view)' }, view.name);
      link.setAttribute('href', `${location.pathname}${view.query}`);
      const remove = h('button', { type: 'button', class: 'small', 'data-test': 'delete-view', 'aria-label': `Delete the saved view ${view.name}` }, 'delete');
      remove.addEventListener('click', () => void task(async () => { marks = await api.saveView({ name: view.name, delete: true }); render(); }));
      list.appendChild(h('li', {}, link, view.saved ? h('span', { class: 'muted small' }, ` saved ${view.saved.slice(0, 10)} `) : ' ', remove));
    }
    const name = h('input', { type: 'text', id: 'view-name', placeholder: 'Name this view', 'aria-label': 'Name of the view to save', 'data-test': 'view-name' });
    const save = h('button', { type: 'button', class: 'primary small', 'data-test': 'save-view' }, 'Save the current view');
    const submit = () => {
      const text = name.value.trim();
      if (text === '') { name.focus(); return; }
      void task(async () => {
        marks = await api.saveView({ name: text, query: encodeState(state) });
        body.dataset.savedViews = String(marks.views.length);
        render();
        showStatus(`View saved: ${text}`);
      });
    };
    save.addEventListener('click', submit);
    name.addEventListener('keydown', (event) => { if (event.key === 'Enter') submit(); });
    append(panel,
      h('div', {}, h('b', {}, 'Saved views'), (marks?.views.length ?? 0) > 0 ? list : h('p', { class: 'muted small' }, 'None yet.')),
      h('div', {}, name, ' ', save, h('p', { class: 'muted small' }, `Kept with the graph${marks?.file ? ` in ${marks.file}` : ''}.`)));
    restoreFocus(panel, focused);
  };
  toggle.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute('aria-expanded', panel.hidden ? 'false' : 'true');
    if (!panel.hidden) render();
  });
}

/** `/` focuses the search from anywhere but a text field; Escape in the graph returns to the page. */
function setupShortcuts() {
  document.addEventListener('keydown', (event) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement | null;
    if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
    event.preventDefault();
    byId<HTMLInputElement>('search').focus();
  });
}

/**
 * The graph by keyboard: Tab reaches it; arrows step through what it draws (the emphasised nodes first,
 * nearest hops first), Enter opens the node (or expands the cluster), + and − zoom, 0 fits. The node under
 * the keyboard is framed, lit as selected and read out by a live region.
 */
function setupGraphKeyboard() {
  const stage = byId('graph');
  stage.tabIndex = 0;
  stage.setAttribute('role', 'application');
  stage.setAttribute('aria-label', 'Graph: arrow keys move between nodes, Enter opens one, + and − zoom, 0 fits');
  stage.setAttribute('aria-describedby', 'graph-cursor');
  let order: string[] = [];
  let position = -1;
  const ordered = (): string[] => {
    if (!renderer) return [];
    const graph = renderer.viewGraph;
    const levels = mapView ? new Map(mapView.reached.map((entry) => [nodeKey(entry.id), entry.hops])) : new Map((radius?.reached ?? []).map((entry) => [nodeKey(entry.id), entry.hops]));
    const sources = new Set(state.sources.map(nodeKey));
    const rank = (key: string) => (sources.has(key) ? -1 : levels.get(key) ?? Number.MAX_SAFE_INTEGER);
    return graph.nodes().sort((a, b) => rank(a) - rank(b) || graph.getNodeAttribute(a, 'label').localeCompare(graph.getNodeAttribute(b, 'label')));
  };
  const announce = (key: string) => {
    const attributes = renderer!.viewGraph.getNodeAttributes(key);
    const level = mapView?.reached.find((entry) => nodeKey(entry.id) === key)?.level ?? radius?.reached.find((entry) => nodeKey(entry.id) === key)?.level;
    byId('graph-cursor').textContent = `${position + 1} of ${order.length}: ${displayName(attributes.label)}, ${attributes.cluster !== undefined ? 'cluster' : attributes.kind} on ${attributes.platform}${level ? `, reached at ${level}` : ''}${attributes.crownJewel ? ', crown jewel' : ''}`;
    body.dataset.graphCursor = attributes.nodeId ?? attributes.cluster ?? '';
  };
  stage.addEventListener('keydown', (event) => {
    if (!renderer) return;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown' || event.key === 'ArrowLeft' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (position < 0 || order.length !== renderer.viewGraph.order) order = ordered();
      if (order.length === 0) return;
      const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : -1;
      position = (position + step + order.length) % order.length;
      const key = order[position]!;
      const attributes = renderer.viewGraph.getNodeAttributes(key);
      renderer.update({ selected: attributes.nodeId });
      renderer.focusNode(key);
      announce(key);
    } else if (event.key === 'Enter' && position >= 0 && order[position] !== undefined && renderer.viewGraph.hasNode(order[position]!)) {
      event.preventDefault();
      const attributes = renderer.viewGraph.getNodeAttributes(order[position]!);
      if (attributes.cluster !== undefined) void expandCluster(attributes.cluster);
      else if (attributes.nodeId !== undefined) void selectNode(attributes.nodeId);
    } else if (event.key === '+' || event.key === '=') renderer.zoom(1.5);
    else if (event.key === '-') renderer.zoom(1 / 1.5);
    else if (event.key === '0') renderer.resetCamera();
  });
  stage.addEventListener('blur', () => { position = -1; });
}

function setupHeader() {
  const at = byId<HTMLInputElement>('at');
  at.value = state.at ?? '';
  at.addEventListener('change', () => {
    state.at = at.value === '' ? undefined : at.value;
    syncUrl();
    plan = undefined;
    if (state.respond) void runRespond();
    void runRadius();
    if (state.target) void runExposure();
    if (state.tab === 'plan') void runPlan();
    if (state.selected) void selectNode(state.selected);
  });
  byId('export-png').addEventListener('click', () => {
    if (!renderer) return;
    const about = exportContext({
      sources: (radius?.sources ?? mapView?.summary.sources ?? []).map((s) => s.name),
      target: state.tab === 'exposure' && exposure ? exposure.target.name : undefined,
      at: state.at, now: new Date(), graph: { nodes: meta.nodeCount, edges: meta.edgeCount },
      hiddenEdgeKinds: state.hiddenEdgeKinds, platforms: state.platforms, kinds: state.kinds, enforced: [],
      mitigations: state.mitigations.map((item) => (item.description || !('revoke' in item || 'disable' in item) ? item : { ...item, description: mitigationLabel(item, nameOf) })), aggregation: mapView ? aggregationNote(mapView, lastFrameMs) : undefined, url: location.href,
    });
    const legendRows: (readonly [string, string, Pattern?])[] = state.sources.length > 0 || exposure
      ? [[state.tab === 'exposure' ? 'target' : 'compromised', COLORS.anchor], ['admin', LEVEL_COLORS.admin, LEVEL_PATTERNS.admin], ['write', LEVEL_COLORS.write, LEVEL_PATTERNS.write], ['read', LEVEL_COLORS.read, LEVEL_PATTERNS.read], ['cut off by what-if', COLORS.cut, CUT_PATTERN]]
      : meta.platforms.slice(0, 12).map((p) => [p.name, platformColor(p.name)] as const);
    body.dataset.exportTitle = about.title;
    body.dataset.exportLines = about.lines.join('\n');
    renderer.exportPng({ ...about, legend: legendRows }).then((blob) => {
      const link = h('a', { download: 'blastmap-view.png' });
      link.href = URL.createObjectURL(blob);
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      body.dataset.exportedPng = String(blob.size);
    }).catch(showError);
  });
  byId('copy-link').addEventListener('click', () => {
    navigator.clipboard?.writeText(location.href).then(() => showStatus('Link copied: it reopens this exact view.'), () => showStatus(location.href));
  });
  byId('zoom-in').addEventListener('click', () => renderer?.zoom(1.5));
  byId('zoom-out').addEventListener('click', () => renderer?.zoom(1 / 1.5));
  byId('zoom-reset').addEventListener('click', () => renderer?.resetCamera());
}

// ----------------------------------------------------------------------------------------------- start

async function start() {
  body.dataset.ready = '0';
  setBusy(0);
  const loaded = await task(async () => {
    const stored = Number(localStorage.getItem(BUDGET_STORAGE) ?? '');
    if (Number.isInteger(stored) && stored > 0) drawBudget = stored;
    const metaStarted = performance.now();
    // graphRequest() reads only the URL state: the first view can travel alongside the metadata.
    if (state.sources.length === 0) {
      prefetchedView = api.graph(graphRequest());
      prefetchedView.catch(() => undefined);
    }
    [meta, marks] = await Promise.all([api.meta(), api.marks().catch(() => undefined)]);
    body.dataset.marks = marks ? marksSignature(marks) : '';
    body.dataset.metaMs = String(Math.round(performance.now() - metaStarted));
    colors = platformColors(meta.platforms);
    body.dataset.drawBudget = String(viewBudget());
    setupSearch();
    setupFilters();
    setupViews();
    setupHeader();
    setupShortcuts();
    setupHistory();
    setupGraphKeyboard();
    renderPanel();
    // A radius drawn as a map is loaded once, by runRadius below.
    if (!drawsMap()) await loadView();
    return true;
  });
  if (!loaded) return;
  if (state.sources.length > 0 && state.respond) await runRespond();
  if (state.sources.length > 0) await runRadius({ fit: true });
  if (state.tab === 'plan') await runPlan();
  if (state.target) await runExposure();
  if (state.cluster) await loadCluster(state.cluster, false);
  if (state.selected) {
    const tab = state.tab;
    await selectNode(state.selected);
    if (tab !== 'details' && tab !== 'overview') state.tab = tab;
  }
  renderPanel();
  body.dataset.readyAt = String(Math.round(performance.now()));
  body.dataset.ready = '1';
}

// A read-only probe for the browser tests: where an edge is drawn, so they can hover and click it.
(window as unknown as { blastmapProbe: unknown }).blastmapProbe = {
  edgeMidpoint: (edgeId: string) => renderer?.edgeMidpoint(edgeId),
  /** Where these nodes are drawn, in pixels of the graph container (null when not drawn), and its size. */
  viewport: (ids: string[]) => ({ positions: renderer?.viewportPositions(ids.map(nodeKey)) ?? [], width: byId('graph').clientWidth, height: byId('graph').clientHeight }),
  /** The same for view keys (`n:<id>`, `c:<cluster key>`), e.g. to click a cluster. */
  viewportKeys: (keys: string[]) => renderer?.viewportPositions(keys) ?? [],
  pattern: (id: string) => renderer?.drawnPattern(nodeKey(id)),
  pixelNear: (id: string, dx: number, dy: number) => renderer?.pixelNear(nodeKey(id), dx, dy),
  radiusPx: (id: string) => renderer?.drawnRadius(nodeKey(id)),
  clusterKeys: () => renderer ? renderer.viewGraph.filterNodes((_key, attributes) => attributes.cluster !== undefined).map((key) => renderer!.viewGraph.getNodeAttribute(key, 'cluster')!) : [],
};

void start();
