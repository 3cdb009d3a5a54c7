// The view state in the URL, so a copied link reproduces what was on screen: sources, mitigations, the
// instant, filters, the selected node, the exposure target, the open tab. Decoding never trusts the URL.
import { z } from 'zod';
import { mitigationItemSchema } from '../../../engine/analysis/mitigations.ts';
import type { Mitigation } from '../../../engine/analysis/mitigations.ts';

export const TABS = ['overview', 'details', 'radius', 'plan', 'respond', 'exposure', 'cluster'] as const;
export type Tab = (typeof TABS)[number];

export interface ViewState {
  tab: Tab;
  /** Compromised nodes of the simulation (engine ids). */
  sources: string[];
  mitigations: Mitigation[];
  /** ISO date (YYYY-MM-DD) of the analysis; undefined = now. */
  at?: string | undefined;
  maxDepth?: number | undefined;
  selected?: string | undefined;
  target?: string | undefined;
  /** Shown platforms and kinds (empty = all). */
  platforms: string[];
  kinds: string[];
  /** Edge kinds hidden from the view and, when traversable, left out of the analysis. */
  hiddenEdgeKinds: string[];
  expand: string[];
  /** The cluster whose members the Cluster tab lists (`platform/kind` or `platform/kind/level`). */
  cluster?: string | undefined;
  budget?: number | undefined;
  rings: boolean;
  /** The Respond view is on: harvested credentials count as sources until rotated. */
  respond: boolean;
  /** Start of the compromise window (ISO date) for the containment plan; undefined = the engine's default. */
  since?: string | undefined;
  /** Respond steps marked done that apply no mitigation (hunting), by step key. */
  done: string[];
}

export const EMPTY_STATE: ViewState = { tab: 'overview', sources: [], mitigations: [], platforms: [], kinds: [], hiddenEdgeKinds: [], expand: [], rings: false, respond: false, done: [] };

const text = z.string().min(1).max(2048);
const decode = (item: string): string => {
  try {
    return decodeURIComponent(item);
  } catch {
    return '';
  }
};
const listOf = (value: string | null): string[] => (value ? value.split(',').map(decode).filter(Boolean).slice(0, 256) : []);
const isDate = (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
const encodeList = (items: readonly string[]): string => items.map((item) => encodeURIComponent(item)).join(',');

export function encodeState(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.tab !== 'overview') params.set('tab', state.tab);
  if (state.sources.length > 0) params.set('sources', encodeList(state.sources));
  if (state.mitigations.length > 0) params.set('m', JSON.stringify(state.mitigations));
  if (state.at) params.set('at', state.at);
  if (state.maxDepth !== undefined) params.set('depth', String(state.maxDepth));
  if (state.selected) params.set('node', state.selected);
  if (state.target) params.set('target', state.target);
  if (state.platforms.length > 0) params.set('platforms', encodeList(state.platforms));
  if (state.kinds.length > 0) params.set('kinds', encodeList(state.kinds));
  if (state.hiddenEdgeKinds.length > 0) params.set('hide', encodeList(state.hiddenEdgeKinds));
  if (state.expand.length > 0) params.set('expand', encodeList(state.expand));
  if (state.cluster) params.set('cluster', state.cluster);
  if (state.budget !== undefined) params.set('budget', String(state.budget));
  if (state.rings) params.set('rings', '1');
  if (state.respond) params.set('respond', '1');
  if (state.since) params.set('since', state.since);
  if (state.done.length > 0) params.set('done', encodeList(state.done));
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** Whatever the URL holds, a valid state: unknown or malformed parts are dropped, not reported. */
export function decodeState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const state: ViewState = { ...EMPTY_STATE, sources: [], mitigations: [], platforms: [], kinds: [], hiddenEdgeKinds: [], expand: [], done: [] };
  const tab = params.get('tab');
  if (tab && (TABS as readonly string[]).includes(tab)) state.tab = tab as Tab;
  state.sources = listOf(params.get('sources')).filter((id) => text.safeParse(id).success).slice(0, 64);
  const m = params.get('m');
  if (m) {
    try {
      const parsed = z.array(mitigationItemSchema).max(500).safeParse(JSON.parse(m));
      if (parsed.success) state.mitigations = parsed.data as Mitigation[];
    } catch {
      // a hand-edited link: keep the rest of the state
    }
  }
  const at = params.get('at');
  if (at && isDate(at)) state.at = at;
  const depth = Number(params.get('depth'));
  if (params.has('depth') && Number.isInteger(depth) && depth >= 0 && depth <= 1000) state.maxDepth = depth;
  const node = params.get('node');
  if (node && text.safeParse(node).success) state.selected = node;
  const target = params.get('target');
  if (target && text.safeParse(target).success) state.target = target;
  state.platforms = listOf(params.get('platforms'));
  state.kinds = listOf(params.get('kinds'));
  state.hiddenEdgeKinds = listOf(params.get('hide'));
  state.expand = listOf(params.get('expand'));
  const cluster = params.get('cluster');
  if (cluster && /^[^/]+\/[^/]+(\/(read|write|admin))?$/.test(cluster) && cluster.length <= 200) state.cluster = cluster;
  const budget = Number(params.get('budget'));
  if (params.has('budget') && Number.isInteger(budget) && budget >= 1 && budget <= 1_000_000) state.budget = budget;
  state.rings = params.get('rings') === '1';
  state.respond = params.get('respond') === '1';
  const since = params.get('since');
  if (since && isDate(since)) state.since = since;
  state.done = listOf(params.get('done')).filter((key) => text.safeParse(key).success);
  return state;
}

/** Same mitigation (the action and what it names), whatever its description. */
export const mitigationKey = (item: Mitigation): string => JSON.stringify('revoke' in item ? ['revoke', item.revoke] : 'disable' in item ? ['disable', item.disable] : 'removeEdge' in item ? ['removeEdge', item.removeEdge] : ['removeScope', item.removeScope.grant, item.removeScope.scope]);

/** Adds the mitigations when any of them is missing, removes them all when all are present (a toggle). */
export function toggleMitigations(current: readonly Mitigation[], toggled: readonly Mitigation[]): Mitigation[] {
  const keys = new Set(toggled.map(mitigationKey));
  const present = toggled.every((item) => current.some((existing) => mitigationKey(existing) === mitigationKey(item)));
  if (present) return current.filter((item) => !keys.has(mitigationKey(item)));
  const have = new Set(current.map(mitigationKey));
  return [...current, ...toggled.filter((item) => !have.has(mitigationKey(item)))];
}

export const hasMitigations = (current: readonly Mitigation[], items: readonly Mitigation[]): boolean =>
  items.length > 0 && items.every((item) => current.some((existing) => mitigationKey(existing) === mitigationKey(item)));
