// Scope catalogues: per platform, data that says what a scope string lets its holder do (level, resource
// types, tenant-wide or per-user, risk). Unknown scopes are kept and handled by one documented rule.
import type { Level } from '../../engine/schema/index.ts';
import type { ScopeLookup } from '../../engine/schema/scopes.ts';
import { redactText } from '../../engine/secrets.ts';

export { assumeLevel, lookupScope, scopeCatalogSchema, scopeEntrySchema, type ScopeCatalog, type ScopeEntry, type ScopeLookup } from '../../engine/schema/scopes.ts';

/**
 * Splits scope strings as platforms write them: space- or comma-separated, with stray spaces. A secret pasted
 * into a scope string is redacted first: split, `SSWS <token>` would become two harmless-looking scopes.
 */
export function splitScopes(raw: string | readonly string[] | undefined | null): string[] {
  if (raw === undefined || raw === null) return [];
  const split = (item: string): string[] => redactText(item).text.split(/[\s,]+/);
  const parts = typeof raw === 'string' ? split(raw) : raw.flatMap(split);
  return [...new Set(parts.map((part) => part.trim()).filter(Boolean))];
}

/** Counts unknown scopes across an import, for the import report. */
export class UnknownScopes {
  private readonly counts = new Map<string, { count: number; level: Level }>();

  note(lookup: ScopeLookup): void {
    if (!lookup.assumed) return;
    const seen = this.counts.get(lookup.scope);
    this.counts.set(lookup.scope, { count: (seen?.count ?? 0) + 1, level: lookup.entry.level });
  }

  list(): { scope: string; count: number; assumedLevel: Level }[] {
    return [...this.counts.entries()].map(([scope, { count, level }]) => ({ scope, count, assumedLevel: level })).sort((a, b) => a.scope.localeCompare(b.scope));
  }
}
