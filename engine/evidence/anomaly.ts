// Anomaly hints, not a SIEM: for each actor in the radius, what its use in the window does that its own history
// before the window never did (a new IP range, user agent or API family), its bulk reads, and use with no history
// at all. Each hint carries the events behind it so a responder knows where to look first.
import type { CompactGraph } from '../store/compact.ts';
import { refsByNode, type Resolution } from './resolve.ts';
import { scanWindow, type EvidenceWindow, type WindowScan } from './overlay.ts';
import type { ObservationStore } from './store.ts';

export type AnomalyKind = 'no-history' | 'new-ip-range' | 'new-user-agent' | 'new-family' | 'bulk-read';

export interface AnomalyHint {
  /** The actor node (a credential, app or principal). */
  node: string;
  name: string;
  kind: AnomalyKind;
  /** What is new: IP ranges (`203.0.113.0/24`, `2001:db8:1::/48`), user agents, families, bulk actions. */
  values: string[];
  /** Events in the window behind the hint. */
  events: number;
  first: string;
  last: string;
  /** Up to five of those events' ids, for the log search. */
  eventIds: string[];
  /** Records the bulk reads say they touched. */
  records?: number;
}

/** A read of at least this many records counts as bulk even when the log's category does not say so. */
export const BULK_RECORDS = 1000;

/** The range an address belongs to for "new range": its IPv4 /24 or IPv6 /48; undefined for anything else. */
export function ipRange(ip: string): string | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (!ip.includes(':')) return undefined;
  const [head = '', tail] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  if (ip.includes('.')) return undefined; // IPv4-mapped forms are rare in these logs; not grouped
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return `${groups.slice(0, 3).map((g) => parseInt(g, 16).toString(16)).join(':')}::/48`;
}

const KIND_ORDER: readonly AnomalyKind[] = ['bulk-read', 'new-ip-range', 'new-user-agent', 'new-family', 'no-history'];

/**
 * Hints for every actor in `selected` with successful use in the window: what is new against its own successful use
 * before the window. An actor with no use before the window gets `no-history` instead of the three "new" hints (there
 * is nothing to compare with); bulk reads are flagged either way. Ordered by actor, then bulk, ranges, agents, families.
 */
export function anomalyHints(graph: CompactGraph, store: ObservationStore, resolution: Resolution, window: EvidenceWindow, selected: Uint8Array,
  scan: WindowScan = scanWindow(graph, store, resolution, window, selected)): AnomalyHint[] {
  const s = store.strings;
  const byActor = new Map<number, number[]>();
  scan.events.forEach((i, k) => {
    if (store.outcome[i] !== 0) return;
    const a = scan.primary[k]!;
    const list = byActor.get(a);
    if (list) list.push(i);
    else byActor.set(a, [i]);
  });
  // Each actor's history: the same refs' successful events before the window.
  const refsOf = refsByNode(resolution);
  const hints: AnomalyHint[] = [];
  for (const a of [...byActor.keys()].sort((x, y) => (graph.nodes[x]!.id < graph.nodes[y]!.id ? -1 : 1))) {
    const events = byActor.get(a)!;
    const past = { ranges: new Set<string>(), agents: new Set<string>(), families: new Set<string>(), count: 0 };
    for (const r of refsOf.get(a) ?? []) {
      for (let k = store.actorOffsets[r]!; k < store.actorOffsets[r + 1]!; k++) {
        const i = store.actorEvents[k]!;
        if (store.at[i]! >= window.from) break;
        if (store.outcome[i] !== 0) continue;
        past.count++;
        const range = store.ip[i] !== 0 ? ipRange(s[store.ip[i]!]!) : undefined;
        if (range) past.ranges.add(range);
        if (store.userAgent[i] !== 0) past.agents.add(s[store.userAgent[i]!]!);
        past.families.add(s[store.family[i]!]!);
      }
    }
    const node = graph.nodes[a]!;
    const found = new Map<AnomalyKind, { values: Set<string>; events: number[]; records: number }>();
    const flag = (kind: AnomalyKind, value: string, i: number): void => {
      let entry = found.get(kind);
      if (!entry) found.set(kind, entry = { values: new Set(), events: [], records: -1 });
      entry.values.add(value);
      if (entry.events[entry.events.length - 1] !== i) entry.events.push(i);
      if (kind === 'bulk-read' && store.records[i]! >= 0) entry.records = Math.max(0, entry.records) + store.records[i]!;
    };
    for (const i of events) {
      const bulk = store.category[i] === 2 || ((store.category[i] === 1 || store.category[i] === 2) && store.records[i]! >= BULK_RECORDS);
      if (bulk) flag('bulk-read', s[store.action[i]!]!, i);
      if (past.count === 0) { flag('no-history', s[store.action[i]!]!, i); continue; }
      const range = store.ip[i] !== 0 ? ipRange(s[store.ip[i]!]!) : undefined;
      if (range && past.ranges.size > 0 && !past.ranges.has(range)) flag('new-ip-range', range, i);
      const agent = s[store.userAgent[i]!]!;
      if (agent !== '' && past.agents.size > 0 && !past.agents.has(agent)) flag('new-user-agent', agent, i);
      const family = s[store.family[i]!]!;
      if (!past.families.has(family)) flag('new-family', family, i);
    }
    for (const kind of KIND_ORDER) {
      const entry = found.get(kind);
      if (!entry) continue;
      const ids = entry.events.map((i) => s[store.eventId[i]!]!).filter((id) => id !== '');
      hints.push({
        node: node.id, name: node.name, kind, values: [...entry.values].sort().slice(0, 10), events: entry.events.length,
        first: new Date(store.at[entry.events[0]!]!).toISOString(), last: new Date(store.at[entry.events[entry.events.length - 1]!]!).toISOString(),
        eventIds: ids.slice(0, 5), ...(entry.records >= 0 ? { records: entry.records } : {}),
      });
    }
  }
  return hints;
}
