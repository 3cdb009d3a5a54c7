// Colours and shapes of the web UI: colour by platform (stable for a graph), shape by node kind, colour by
// level when a radius is shown. Pure data, shared by the renderer, the legend and the tests.
import type { Level } from '../../../engine/schema/index.ts';

/** A categorical palette readable on white; platforms beyond it get golden-angle hues. */
const PLATFORM_PALETTE = ['#3969ac', '#e68310', '#11a579', '#cf1c90', '#7f3c8d', '#008695', '#e73f74', '#80ba5a', '#f2b701', '#4b4b8f', '#f97b72', '#a5aa99'];

/** `#rrggbb` of a hue (degrees), saturation and lightness (0-1): sigma parses hex colours, not hsl(). */
export function hslToHex(hue: number, saturation: number, lightness: number): string {
  const a = saturation * Math.min(lightness, 1 - lightness);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    const value = lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255).toString(16).padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/** Platforms ordered by size then name get palette colours in that order: the same graph always looks the same. */
export function platformColors(platforms: readonly { name: string; count: number }[]): Map<string, string> {
  const ordered = [...platforms].sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const colors = new Map<string, string>();
  ordered.forEach(({ name }, i) => {
    colors.set(name, PLATFORM_PALETTE[i] ?? hslToHex((i * 137.508) % 360, 0.55, 0.45));
  });
  return colors;
}

export type Shape = 'circle' | 'square' | 'diamond' | 'triangle' | 'hexagon' | 'pentagon' | 'ring';
export const SHAPES: readonly Shape[] = ['circle', 'square', 'diamond', 'triangle', 'hexagon', 'pentagon', 'ring'];

export const KIND_SHAPES: Readonly<Record<string, Shape>> = {
  Platform: 'hexagon',
  App: 'diamond',
  Identity: 'circle',
  Group: 'ring',
  Role: 'pentagon',
  Credential: 'triangle',
  Resource: 'square',
};
/** Kinds added by a schema extension are drawn as circles. */
export const shapeOf = (kind: string): Shape => KIND_SHAPES[kind] ?? 'circle';

/** Base node size by kind: containers and apps stand out, the many resources stay small. */
const KIND_SIZES: Readonly<Record<string, number>> = { Platform: 9, App: 7, Identity: 4, Group: 5, Role: 5, Credential: 5, Resource: 4 };
export const sizeOf = (kind: string): number => KIND_SIZES[kind] ?? 4;
/** Clusters grow with the log of what they hold. */
export const clusterSize = (count: number): number => Math.min(28, 6 + 4 * Math.log10(1 + count));

export const LEVEL_COLORS: Readonly<Record<Level, string>> = { admin: '#b91c1c', write: '#ea580c', read: '#0891b2' };

/**
 * Fill patterns that tell levels apart without hue (colour-blind readers, grey-scale prints): the more the
 * attacker gets, the fuller the shape. Admin is solid, write half filled (left half), read hollow, and a node a
 * what-if cuts off is hollow with a slash. Codes are what the node programs read (shapes.ts).
 */
export type Pattern = 'solid' | 'half' | 'hollow' | 'slashed';
export const PATTERN_CODES: Readonly<Record<Pattern, number>> = { solid: 0, half: 1, hollow: 2, slashed: 3 };
export const LEVEL_PATTERNS: Readonly<Record<Level, Pattern>> = { admin: 'solid', write: 'half', read: 'hollow' };
export const CUT_PATTERN: Pattern = 'slashed';
export const COLORS = {
  /** What was compromised (or the target of an exposure). */
  anchor: '#111827',
  /** Intermediate nodes of a path that carry no level of their own. */
  via: '#475569',
  /** Reached before the mitigations, not any more. */
  cut: '#16a34a',
  dimNode: '#e2e5ea',
  dimEdge: '#eef0f3',
  edge: '#c5ccd6',
  governanceEdge: '#e3e6ea',
  pathEdge: '#111827',
  /** A credential the attacker already read: live until rotated. */
  harvested: '#db2777',
  /** Evidence: a node or edge the logs show the attacker used (also drawn wider and labelled ◉, not by colour alone). */
  observed: '#7c3aed',
} as const;
