// The sigma renderer: draws the view graph with one program per node shape, applies the pure styles of
// logic/highlight.ts through node and edge reducers, follows the layout worker, and exports a PNG.
import Sigma from 'sigma';
import { animateNodes } from 'sigma/utils';
import { edgeStyle, nodeStyle, type HighlightState } from './logic/highlight.ts';
import type { Point } from './logic/layout.ts';
import { PATTERN_CODES, SHAPES, type Pattern } from './logic/palette.ts';
import { neighbourIds, type ViewEdgeAttributes, type ViewGraph, type ViewNodeAttributes } from './logic/view-model.ts';
import { shapePrograms } from './shapes.ts';

export interface RendererEvents {
  clickNode: (key: string, attributes: ViewNodeAttributes) => void;
  clickStage: () => void;
  /** Edge under the pointer (undefined when it leaves), and an edge clicked. */
  hoverEdge?: (key: string | undefined, attributes: ViewEdgeAttributes | undefined) => void;
  clickEdge?: (key: string, attributes: ViewEdgeAttributes) => void;
}

export class GraphRenderer {
  readonly sigma: Sigma<ViewNodeAttributes, ViewEdgeAttributes>;
  private state: HighlightState = {};
  private graph: ViewGraph;

  constructor(container: HTMLElement, graph: ViewGraph, events: RendererEvents) {
    this.graph = graph;
    this.sigma = new Sigma<ViewNodeAttributes, ViewEdgeAttributes>(graph, container, {
      nodeProgramClasses: shapePrograms(SHAPES),
      defaultEdgeType: 'arrow',
      renderEdgeLabels: true,
      enableEdgeEvents: true,
      zIndex: true,
      labelFont: 'system-ui, -apple-system, "Segoe UI", sans-serif',
      labelSize: 12,
      labelWeight: '500',
      labelColor: { color: '#1f2937' },
      // Labels appear as nodes grow with zoom: platforms and apps first, the many resources when zoomed in.
      labelRenderedSizeThreshold: 7,
      labelDensity: 0.6,
      labelGridCellSize: 90,
      minCameraRatio: 0.03,
      maxCameraRatio: 4,
      stagePadding: 24,
      nodeReducer: (_key, data) => {
        const style = nodeStyle(data, this.state);
        return { ...data, color: style.color, pattern: PATTERN_CODES[style.pattern], size: style.size, label: style.label, forceLabel: style.forceLabel, zIndex: style.zIndex, hidden: style.hidden, highlighted: style.highlighted };
      },
      edgeReducer: (key, data) => {
        if (key === this.state.hoveredEdge) return { ...data, color: '#111827', size: Math.max(3, data.size * 2), hidden: false, zIndex: 4, label: data.kind === 'AGGREGATED' ? `${data.count ?? 0} edges` : data.kind, forceLabel: true };
        const style = edgeStyle({ edgeId: data.edgeId, kind: data.kind, traversable: data.traversable, source: data.sourceId, target: data.targetId, color: data.color, size: data.size }, this.state);
        return { ...data, color: style.color, size: style.size, hidden: style.hidden, zIndex: style.zIndex, ...(style.label !== undefined ? { label: style.label, forceLabel: true } : {}) };
      },
    });
    this.sigma.on('enterNode', ({ node }) => {
      const attributes = this.graph.getNodeAttributes(node);
      this.update({ hovered: attributes.nodeId, hoverNeighbours: attributes.nodeId !== undefined ? neighbourIds(this.graph, node) : undefined });
      container.style.cursor = 'pointer';
    });
    this.sigma.on('leaveNode', () => {
      this.update({ hovered: undefined, hoverNeighbours: undefined });
      container.style.cursor = '';
    });
    this.sigma.on('clickNode', ({ node }) => events.clickNode(node, this.graph.getNodeAttributes(node)));
    this.sigma.on('clickStage', () => events.clickStage());
    this.sigma.on('enterEdge', ({ edge }) => {
      this.update({ hoveredEdge: edge });
      container.style.cursor = 'pointer';
      events.hoverEdge?.(edge, this.graph.getEdgeAttributes(edge));
    });
    this.sigma.on('leaveEdge', () => {
      this.update({ hoveredEdge: undefined });
      container.style.cursor = '';
      events.hoverEdge?.(undefined, undefined);
    });
    this.sigma.on('clickEdge', ({ edge }) => events.clickEdge?.(edge, this.graph.getEdgeAttributes(edge)));
    this.sigma.on('afterRender', () => { if (this.rings) this.drawRingGuides(); });
  }

  /** Faint circles and hop counts behind the hop-rings layout (an SVG over the stage, redrawn after each render). */
  setRingGuides(hops: readonly number[] | undefined, spacing: number): void {
    this.rings = hops && hops.length > 0 ? { hops: [...hops], spacing } : undefined;
    this.drawRingGuides();
  }

  private rings: { hops: number[]; spacing: number } | undefined;
  private ringLayer: SVGSVGElement | undefined;

  private drawRingGuides(): void {
    const ns = 'http://www.w3.org/2000/svg';
    if (!this.ringLayer) {
      this.ringLayer = document.createElementNS(ns, 'svg');
      this.ringLayer.setAttribute('class', 'ring-guides');
      this.ringLayer.setAttribute('aria-hidden', 'true');
      this.sigma.getContainer().prepend(this.ringLayer);
    }
    const layer = this.ringLayer;
    while (layer.firstChild) layer.removeChild(layer.firstChild);
    if (!this.rings) return;
    const centre = this.sigma.graphToViewport({ x: 0, y: 0 });
    for (const hop of this.rings.hops) {
      const edge = this.sigma.graphToViewport({ x: 0, y: hop * this.rings.spacing });
      const r = Math.hypot(edge.x - centre.x, edge.y - centre.y);
      const circle = document.createElementNS(ns, 'circle');
      circle.setAttribute('cx', String(centre.x));
      circle.setAttribute('cy', String(centre.y));
      circle.setAttribute('r', String(r));
      layer.appendChild(circle);
      const label = document.createElementNS(ns, 'text');
      label.setAttribute('x', String(centre.x + 4));
      label.setAttribute('y', String(centre.y - r - 3));
      label.textContent = `${hop} hop${hop === 1 ? '' : 's'}`;
      layer.appendChild(label);
    }
  }

  setGraph(graph: ViewGraph): void {
    this.graph = graph;
    this.state = { ...this.state, hovered: undefined, hoverNeighbours: undefined };
    this.sigma.setGraph(graph);
  }

  get viewGraph(): ViewGraph {
    return this.graph;
  }

  /** Applies a state change; only the reducers run again (no re-indexation of the graph). */
  update(change: Partial<HighlightState>): void {
    this.state = { ...this.state, ...change };
    this.sigma.refresh({ skipIndexation: true });
  }

  /**
   * Times one full frame: sigma's synchronous render, then a one-pixel read of each WebGL layer, which waits
   * until the GPU process (software rasterisation here) has really drawn it.
   */
  measureFrame(): number {
    const pixel = new Uint8Array(4);
    const frame = () => {
      const started = performance.now();
      this.sigma.refresh({ skipIndexation: true });
      for (const canvas of Object.values(this.sigma.getCanvases())) {
        const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
        gl?.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
      }
      return performance.now() - started;
    };
    // The first frame of a new graph also uploads its buffers: the second is what panning and hovering cost.
    frame();
    return frame();
  }

  /** Where an edge's middle is on screen (viewport pixels), by its engine id: for tests that hover and click it. */
  edgeMidpoint(edgeId: string): { x: number; y: number } | undefined {
    const key = this.graph.findEdge((_key, attributes) => attributes.edgeId === edgeId);
    if (key === undefined) return undefined;
    const [a, b] = [this.graph.getNodeAttributes(this.graph.source(key)), this.graph.getNodeAttributes(this.graph.target(key))];
    const p = this.sigma.graphToViewport({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
    const box = this.sigma.getContainer().getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }

  /** Engine ids of the nodes sigma currently draws in this colour (what the reducers produced): for tests and status. */
  /**
   * What is drawn as observed evidence, read back from sigma (for tests: the drawing, not the intent): nodes whose
   * label carries the observed mark, edges drawn in the observed colour.
   */
  drawnObserved(mark: string, color: string): { nodes: string[]; edges: string[] } {
    const nodes: string[] = [];
    const edges: string[] = [];
    this.graph.forEachNode((key, attributes) => {
      const display = this.sigma.getNodeDisplayData(key);
      if (attributes.nodeId !== undefined && display && !display.hidden && display.label?.startsWith(mark)) nodes.push(attributes.nodeId);
    });
    this.graph.forEachEdge((key, attributes) => {
      const display = this.sigma.getEdgeDisplayData(key);
      if (attributes.edgeId !== undefined && display && !display.hidden && display.color === color) edges.push(attributes.edgeId);
    });
    return { nodes: nodes.sort(), edges: edges.sort() };
  }

  drawnWithColor(color: string): string[] {
    const ids: string[] = [];
    this.graph.forEachNode((key, attributes) => {
      const display = this.sigma.getNodeDisplayData(key);
      if (attributes.nodeId !== undefined && display && !display.hidden && display.color === color) ids.push(attributes.nodeId);
    });
    return ids.sort();
  }

  /** Moves nodes (layout batches, hop rings); animated when asked. */
  moveNodes(positions: ReadonlyMap<string, Point>, animate = false): Promise<void> {
    if (animate) {
      const targets: Record<string, Record<string, number>> = {};
      for (const [key, point] of positions) if (this.graph.hasNode(key)) targets[key] = { x: point.x, y: point.y };
      return new Promise((resolve) => animateNodes(this.graph, targets, { duration: 400 }, () => resolve()));
    }
    this.graph.updateEachNodeAttributes((key, attributes) => {
      const point = positions.get(key);
      if (point) {
        attributes.x = point.x;
        attributes.y = point.y;
      }
      return attributes;
    }, { attributes: ['x', 'y'] });
    return Promise.resolve();
  }

  focusNode(key: string): void {
    if (!this.graph.hasNode(key)) return;
    const display = this.sigma.getNodeDisplayData(key);
    if (display) void this.sigma.getCamera().animate({ x: display.x, y: display.y, ratio: 0.35 }, { duration: 500 });
  }

  /**
   * Frames the given nodes (a radius, an exposure) with some margin. Everything is computed in sigma's own
   * spaces: the nodes' graph coordinates go to the framed-graph space the camera lives in, and the zoom is the
   * ratio at which their box, as it would be drawn, fits the viewport in both directions (the viewport and the
   * graph's bounding box need not be square).
   */
  fitNodes(keys: Iterable<string>): void {
    // The normalisation follows the graph's extent: a synchronous refresh makes it current after a move.
    this.sigma.refresh();
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const key of keys) {
      if (!this.graph.hasNode(key)) continue;
      const { x, y } = this.graph.getNodeAttributes(key);
      const framed = this.sigma.viewportToFramedGraph(this.sigma.graphToViewport({ x, y }));
      minX = Math.min(minX, framed.x); maxX = Math.max(maxX, framed.x);
      minY = Math.min(minY, framed.y); maxY = Math.max(maxY, framed.y);
    }
    if (minX === Infinity) return;
    const centre = { x: (minX + maxX) / 2, y: (minY + maxY) / 2 };
    const { width, height } = this.sigma.getDimensions();
    const margin = 48;
    // Where the box's corners fall at ratio 1 with the camera on its centre; viewport distances scale as 1/ratio.
    const cameraState = { ...centre, ratio: 1, angle: 0 };
    const a = this.sigma.framedGraphToViewport({ x: minX, y: minY }, { cameraState });
    const b = this.sigma.framedGraphToViewport({ x: maxX, y: maxY }, { cameraState });
    const needed = Math.max(Math.abs(b.x - a.x) / Math.max(1, width - 2 * margin), Math.abs(b.y - a.y) / Math.max(1, height - 2 * margin));
    const ratio = Math.min(1.1, Math.max(0.12, needed));
    void this.sigma.getCamera().animate({ ...centre, ratio }, { duration: 400 });
  }

  /** The fill pattern code sigma draws a node with (palette.ts PATTERN_CODES), by view key: for tests. */
  drawnPattern(key: string): number | undefined {
    const display = this.sigma.getNodeDisplayData(key) as (ReturnType<Sigma['getNodeDisplayData']> & { pattern?: number }) | undefined;
    return display ? display.pattern ?? 0 : undefined;
  }

  /**
   * The colour drawn at a node's centre moved by (dx, dy) pixels, read back from the nodes layer right after a
   * synchronous render (the drawing buffer is still there): tests check the level patterns as drawn.
   */
  pixelNear(key: string, dx: number, dy: number): [number, number, number, number] | undefined {
    if (!this.graph.hasNode(key)) return undefined;
    this.sigma.refresh();
    const canvas = this.sigma.getCanvases().nodes;
    const gl = canvas?.getContext('webgl2') ?? canvas?.getContext('webgl');
    if (!canvas || !gl) return undefined;
    const { x, y } = this.graph.getNodeAttributes(key);
    const p = this.sigma.graphToViewport({ x, y });
    const scale = canvas.width / Math.max(1, canvas.clientWidth);
    const pixel = new Uint8Array(4);
    gl.readPixels(Math.round((p.x + dx) * scale), Math.round(canvas.height - (p.y + dy) * scale), 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
    return [pixel[0]!, pixel[1]!, pixel[2]!, pixel[3]!];
  }

  /** A node's drawn radius in pixels (sigma's size scaled by the zoom). */
  drawnRadius(key: string): number | undefined {
    const display = this.sigma.getNodeDisplayData(key);
    return display ? this.sigma.scaleSize(display.size) : undefined;
  }

  /** Where nodes are on screen (viewport pixels, relative to the graph container), by view key: for tests. */
  viewportPositions(keys: readonly string[]): ({ x: number; y: number } | null)[] {
    return keys.map((key) => {
      if (!this.graph.hasNode(key)) return null;
      const { x, y } = this.graph.getNodeAttributes(key);
      return this.sigma.graphToViewport({ x, y });
    });
  }

  zoom(factor: number): void {
    const camera = this.sigma.getCamera();
    void camera.animate({ ratio: camera.ratio / factor }, { duration: 200 });
  }

  resetCamera(): void {
    void this.sigma.getCamera().animatedReset({ duration: 300 });
  }

  /** The current view as a PNG on a white background: the layers are drawn right after a synchronous render. */
  exportPng(about?: { title: string; lines: readonly string[]; legend: readonly (readonly [string, string, Pattern?])[] }): Promise<Blob> {
    this.sigma.refresh();
    const layers = this.sigma.getCanvases();
    const base = layers.nodes ?? Object.values(layers)[0];
    if (!base) return Promise.reject(new Error('nothing drawn yet'));
    const scale = base.width / Math.max(1, base.clientWidth || base.width);
    const lineHeight = 16 * scale;
    // A band above the graph says what the image is (title, date, source, filters, what-ifs); the legend sits below.
    const header = about ? Math.round((28 + about.lines.length * 16 + 6) * scale) : 0;
    const footer = about && about.legend.length > 0 ? Math.round(24 * scale) : 0;
    const out = document.createElement('canvas');
    out.width = base.width;
    out.height = base.height + header + footer;
    const context = out.getContext('2d')!;
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, out.width, out.height);
    for (const name of ['edges', 'edgeLabels', 'nodes', 'labels', 'hovers', 'hoverNodes']) {
      const layer = layers[name];
      if (layer) context.drawImage(layer, 0, header, base.width, base.height);
    }
    if (about) {
      context.fillStyle = '#111827';
      context.font = `600 ${16 * scale}px system-ui, sans-serif`;
      context.fillText(about.title, 8 * scale, 20 * scale, out.width - 16 * scale);
      context.font = `${12 * scale}px system-ui, sans-serif`;
      context.fillStyle = '#374151';
      about.lines.forEach((line, i) => context.fillText(line, 8 * scale, 20 * scale + (i + 1) * lineHeight, out.width - 16 * scale));
      context.strokeStyle = '#e5e7eb';
      context.beginPath(); context.moveTo(0, header - 1); context.lineTo(out.width, header - 1); context.stroke();
      let x = 8 * scale;
      const y = header + base.height + 16 * scale;
      for (const [label, color, pattern] of about.legend) {
        const [cx, cy, r] = [x + 5 * scale, y - 4 * scale, 5 * scale];
        context.fillStyle = color;
        context.beginPath(); context.arc(cx, cy, r, 0, 2 * Math.PI); context.fill();
        if (pattern && pattern !== 'solid') {
          // The level pattern, as on the graph: white inside an outline, half filled or slashed.
          context.fillStyle = '#ffffff';
          context.beginPath(); context.arc(cx, cy, r * 0.66, 0, 2 * Math.PI); context.fill();
          context.fillStyle = color;
          context.strokeStyle = color;
          if (pattern === 'half') { context.beginPath(); context.arc(cx, cy, r * 0.66, Math.PI / 2, (3 * Math.PI) / 2); context.fill(); }
          if (pattern === 'slashed') { context.lineWidth = 1.6 * scale; context.beginPath(); context.moveTo(cx - r * 0.5, cy + r * 0.5); context.lineTo(cx + r * 0.5, cy - r * 0.5); context.stroke(); }
        }
        context.fillStyle = '#1f2937';
        context.fillText(label, x + 14 * scale, y);
        x += context.measureText(label).width + 30 * scale;
      }
    }
    return new Promise((resolve, reject) => out.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG export failed'))), 'image/png'));
  }

  kill(): void {
    this.sigma.kill();
  }
}
