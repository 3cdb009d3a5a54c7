// A tiny DOM builder that can only produce text: children are strings (set as text nodes) or elements,
// attributes come from a short allow-list. Names in the graph are attacker-controlled: never innerHTML.

type Child = Node | string | number | null | undefined | false;
const ATTRIBUTES = new Set(['class', 'title', 'type', 'role', 'aria-label', 'aria-selected', 'aria-expanded', 'aria-controls', 'tabindex', 'value', 'min', 'max', 'step', 'placeholder', 'for', 'id', 'name', 'checked', 'disabled', 'download', 'colspan', 'hidden', 'scope', 'dir', 'aria-hidden', 'aria-keyshortcuts', 'aria-describedby', 'aria-live', 'aria-pressed']);

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string | number | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name.startsWith('data-')) element.setAttribute(name, String(value));
    else if (ATTRIBUTES.has(name)) element.setAttribute(name, value === true ? '' : String(value));
    else throw new Error(`dom: attribute ${name} is not allowed`);
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

export function clear(element: Element): void {
  while (element.firstChild) element.removeChild(element.firstChild);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`ui: #${id} is missing from index.html`);
  return element as T;
}

/** A small SVG icon of a node shape, for legends (built with the DOM, no markup strings). */
export function shapeIcon(shape: string, color: string, size = 14): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '-10 -10 20 20');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  const polygon = (n: number, r: number, start: number) => {
    const points: string[] = [];
    for (let i = 0; i < n; i++) {
      const a = start + (2 * Math.PI * i) / n;
      points.push(`${(r * Math.cos(a)).toFixed(2)},${(r * Math.sin(a)).toFixed(2)}`);
    }
    const element = document.createElementNS(ns, 'polygon');
    element.setAttribute('points', points.join(' '));
    return element;
  };
  let shapeElement: SVGElement;
  if (shape === 'square') {
    shapeElement = document.createElementNS(ns, 'rect');
    for (const [k, v] of [['x', '-7'], ['y', '-7'], ['width', '14'], ['height', '14']]) shapeElement.setAttribute(k!, v!);
  } else if (shape === 'diamond') shapeElement = polygon(4, 9, 0);
  else if (shape === 'triangle') shapeElement = polygon(3, 9.5, -Math.PI / 2);
  else if (shape === 'pentagon') shapeElement = polygon(5, 9, -Math.PI / 2);
  else if (shape === 'hexagon') shapeElement = polygon(6, 9, 0);
  else {
    shapeElement = document.createElementNS(ns, 'circle');
    shapeElement.setAttribute('r', shape === 'ring' ? '6.5' : '8');
  }
  if (shape === 'ring') {
    shapeElement.setAttribute('fill', 'none');
    shapeElement.setAttribute('stroke', color);
    shapeElement.setAttribute('stroke-width', '4');
  } else shapeElement.setAttribute('fill', color);
  svg.appendChild(shapeElement);
  return svg;
}

/** A round legend swatch in one of the level patterns (palette.ts): solid, left half filled, hollow, hollow and slashed. */
export function patternIcon(pattern: 'solid' | 'half' | 'hollow' | 'slashed', color: string, size = 14): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '-10 -10 20 20');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('data-pattern', pattern);
  const part = (tag: string, attributes: Record<string, string>) => {
    const element = document.createElementNS(ns, tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    svg.appendChild(element);
  };
  if (pattern === 'solid') part('circle', { r: '8.5', fill: color });
  else {
    // As the node programs draw it: an outline of a third of the radius around a white inside.
    part('circle', { r: '7.1', fill: '#ffffff', stroke: color, 'stroke-width': '2.9' });
    if (pattern === 'half') part('path', { d: 'M0,-5.6 A5.6,5.6 0 0,0 0,5.6 Z', fill: color });
    if (pattern === 'slashed') part('line', { x1: '-4.5', y1: '4.5', x2: '4.5', y2: '-4.5', stroke: color, 'stroke-width': '2.6' });
  }
  return svg;
}

/** Bidirectional controls (embeddings, overrides, isolates, marks): a name holding them can spoof its neighbours. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** Longest name drawn in full; longer ones end in an ellipsis (the whole name is in the tooltip and the details). */
export const NAME_MAX = 80;

/** A name for one line of canvas or text: bidi controls removed, cut at NAME_MAX characters. */
export function displayName(name: string, max = NAME_MAX): string {
  const clean = name.replace(BIDI_CONTROLS, '');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** A name in the DOM: isolated from the text around it (`<bdi>`), controls removed, truncated, whole in the tooltip. */
export function nameEl(name: string, attributes: Record<string, string> = {}): HTMLElement {
  return h('bdi', { class: 'name', title: name.replace(BIDI_CONTROLS, ''), ...attributes }, displayName(name));
}
