// Small text formatting shared by the panels: numbers, dates with their age, level and action labels. Pure.
import type { CutView, Level, Mitigation } from './wire.ts';

export const formatScore = (n: number): string => (Math.round(n * 100) / 100).toLocaleString('en-US');

export function formatDelta(before: number, after: number): string {
  const delta = Math.round((after - before) * 100) / 100;
  if (delta === 0) return '±0';
  return `${delta > 0 ? '+' : '−'}${formatScore(Math.abs(delta))}`;
}

const DAY = 86_400_000;

/** `2025-03-01 (264 days before)` relative to the analysis instant. */
export function formatDate(iso: string, at: string): string {
  const when = Date.parse(iso);
  const ref = Date.parse(at);
  const day = iso.slice(0, 10);
  if (Number.isNaN(when) || Number.isNaN(ref)) return day;
  const days = Math.round((ref - when) / DAY);
  if (days === 0) return `${day} (that day)`;
  return days > 0 ? `${day} (${days} day${days === 1 ? '' : 's'} before)` : `${day} (in ${-days} day${days === -1 ? '' : 's'})`;
}

export const LEVEL_LABEL: Record<Level, string> = { admin: 'ADMIN', write: 'WRITE', read: 'READ' };

const ACTION_LABEL: Record<CutView['action'], string> = { revoke: 'Revoke', disable: 'Disable', 'remove-grant': 'Remove grant', 'remove-edge': 'Remove edge' };
export const cutLabel = (cut: Pick<CutView, 'action' | 'name'>): string => `${ACTION_LABEL[cut.action]} ${cut.name}`;

/** A mitigation in words: its description, else the action and the node's name when known (its id otherwise). */
export function mitigationLabel(item: Mitigation, nameOf: (id: string) => string | undefined = () => undefined): string {
  if (item.description) return item.description;
  const named = (id: string) => nameOf(id) ?? id;
  if ('revoke' in item) return `revoke ${named(item.revoke)}`;
  if ('disable' in item) return `disable ${named(item.disable)}`;
  if ('removeEdge' in item) return `remove edge ${item.removeEdge}`;
  return `remove scope ${item.removeScope.scope} from ${named(item.removeScope.grant)}`;
}

export const plural = (n: number, word: string, many = `${word}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
