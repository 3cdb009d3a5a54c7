// Where nodes go before and instead of ForceAtlas2: a deterministic start (platforms as sectors of a
// circle), the choice of how long to run the layout, and the hop rings of a radius. Pure.

export interface Point { x: number; y: number }

export interface PlacedUnit {
  key: string;
  platform: string;
  kind: string;
}

const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Platforms around a circle, each a sunflower-packed disc sized by its node count, nodes sorted by kind then
 * key inside: the same view always starts from the same picture, and FA2 starting from it converges the same.
 */
export function initialPositions(units: readonly PlacedUnit[]): Map<string, Point> {
  const byPlatform = new Map<string, PlacedUnit[]>();
  for (const unit of units) {
    const list = byPlatform.get(unit.platform);
    if (list) list.push(unit);
    else byPlatform.set(unit.platform, [unit]);
  }
  const platforms = [...byPlatform].sort((a, b) => b[1].length - a[1].length || compare(a[0], b[0]));
  const positions = new Map<string, Point>();
  const discRadius = (count: number) => 10 * Math.sqrt(count);
  const circumference = platforms.reduce((sum, [, list]) => sum + 2 * discRadius(list.length) + 10, 0);
  // Each disc gets a wedge in proportion to its diameter; the ring is wide enough for each to fit its wedge.
  let ring = 0;
  if (platforms.length > 1) {
    for (const [, list] of platforms) {
      const r = discRadius(list.length);
      const half = Math.min((Math.PI * (2 * r + 10)) / circumference, Math.PI / 2);
      ring = Math.max(ring, (r + 5) / Math.sin(half));
    }
  }
  let angle = 0;
  for (const [, list] of platforms) {
    const r = discRadius(list.length);
    const span = (2 * r + 10) / Math.max(circumference, 1);
    const centre = angle + span * Math.PI;
    angle += span * 2 * Math.PI;
    const cx = ring * Math.cos(centre);
    const cy = ring * Math.sin(centre);
    list.sort((a, b) => compare(a.kind, b.kind) || compare(a.key, b.key));
    list.forEach((unit, i) => {
      const d = 10 * Math.sqrt(i + 0.5);
      positions.set(unit.key, { x: cx + d * Math.cos(i * GOLDEN_ANGLE), y: cy + d * Math.sin(i * GOLDEN_ANGLE) });
    });
  }
  return positions;
}

export interface LayoutPlan {
  /** `saved`: reuse positions kept for this very view; `force`: run ForceAtlas2 in a worker. */
  mode: 'saved' | 'force';
  iterations: number;
  barnesHut: boolean;
}

/** Saved positions win when they cover every unit; otherwise fewer FA2 iterations as the view grows. */
export function layoutPlan(unitCount: number, savedCount: number): LayoutPlan {
  if (unitCount > 0 && savedCount >= unitCount) return { mode: 'saved', iterations: 0, barnesHut: false };
  const iterations = unitCount <= 500 ? 400 : unitCount <= 2000 ? 200 : unitCount <= 10_000 ? 100 : 50;
  return { mode: 'force', iterations, barnesHut: unitCount > 1000 };
}

export interface RingEntry {
  id: string;
  hops: number;
  platform: string;
  /** Parent in the witness tree, when known: children are placed in the order of their parents' angles. */
  parent?: string | null | undefined;
}

/**
 * Hop rings: sources at the centre, nodes reached in k hops on the k-th ring. Each ring is ordered by the
 * angle of the parents (a radial witness tree, so edges between rings rarely cross), then by platform.
 */
export function hopRings(sources: readonly string[], reached: readonly RingEntry[], spacing = 100): Map<string, Point> {
  const positions = new Map<string, Point>();
  const angles = new Map<string, number>();
  sources.forEach((id, i) => {
    const a = (2 * Math.PI * i) / Math.max(sources.length, 1);
    const r = sources.length > 1 ? spacing / 4 : 0;
    positions.set(id, { x: r * Math.cos(a), y: r * Math.sin(a) });
  });
  const platformOrder = [...new Set(reached.map((entry) => entry.platform))].sort(compare);
  const byHop = new Map<number, RingEntry[]>();
  for (const entry of reached) {
    if (positions.has(entry.id)) continue;
    const list = byHop.get(entry.hops);
    if (list) list.push(entry);
    else byHop.set(entry.hops, [entry]);
  }
  const parentAngle = (entry: RingEntry) => (entry.parent ? angles.get(entry.parent) ?? -1 : -1);
  for (const [hops, list] of [...byHop].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => parentAngle(a) - parentAngle(b) || platformOrder.indexOf(a.platform) - platformOrder.indexOf(b.platform) || compare(a.id, b.id));
    const radius = Math.max(hops, 1) * spacing;
    list.forEach((entry, i) => {
      const a = (2 * Math.PI * (i + 0.5)) / list.length;
      angles.set(entry.id, a);
      positions.set(entry.id, { x: radius * Math.cos(a - Math.PI / 2), y: radius * Math.sin(a - Math.PI / 2) });
    });
  }
  return positions;
}

/** FNV-1a over the unit keys and edge count: names the saved layout of one exact view. */
export function viewFingerprint(keys: readonly string[], edgeCount: number): string {
  let hash = 0x811c9dc5;
  const mix = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  };
  for (const key of [...keys].sort(compare)) mix(`${key}\n`);
  mix(`#${edgeCount}`);
  return hash.toString(16).padStart(8, '0');
}
