// Scope catalogues: per platform, data that says what a scope string lets its holder do (level, resource
// types, tenant-wide or per-user, risk). The importers map grants with them, and the graph builder restricts
// scoped delegations with them (delegation.ts). Unknown scopes are handled by one documented rule.
import { z } from 'zod';
import { LEVELS, type Level } from './index.ts';

export const scopeEntrySchema = z.object({
  level: z.enum(LEVELS),
  /** Resource types the scope reaches (the importer maps them to Resource nodes), e.g. `mailbox`, `repository`. */
  resources: z.array(z.string()).default([]),
  /** Reaches every user's data or the whole tenant, not only the consenting user's. */
  tenantWide: z.boolean().default(false),
  /**
   * Lets the holder take over principals (mint credentials, assign roles, change a group's members): a takeover
   * edge, not only data. `add-member` gives CAN_ADD_MEMBER to the groups the scope can change.
   */
  takeover: z.enum(['add-credential', 'assign-role', 'reset-credential', 'impersonate', 'add-member']).optional(),
  risk: z.string().optional(),
}).strict();

export const scopeCatalogSchema = z.object({
  platform: z.string(),
  /** Where the scope names come from, so a reader can check them. */
  reference: z.string(),
  scopes: z.record(z.string(), scopeEntrySchema),
  /** Regular expressions for families of scopes (checked after exact names, in order). */
  patterns: z.array(z.object({ pattern: z.string(), entry: scopeEntrySchema }).strict()).default([]),
}).strict();

export type ScopeEntry = z.output<typeof scopeEntrySchema>;
export type ScopeCatalog = z.output<typeof scopeCatalogSchema>;

export interface ScopeLookup {
  scope: string;
  entry: ScopeEntry;
  /** True when the scope is not in the catalogue and the conservative rule decided its level. */
  assumed: boolean;
}

/**
 * The conservative rule for scopes no catalogue knows: the highest level the scope's name suggests.
 * Names that say admin/manage/full/all/impersonat/* -> admin; write/create/update/delete/send/edit/modify/
 * post/put -> write; read/view/list/get/readonly -> read; anything else -> admin (an unknown power is
 * assumed to be total until someone says otherwise). Assumed scopes are flagged on the edge and reported.
 */
export function assumeLevel(scope: string): Level {
  const name = scope.toLowerCase();
  if (/(^|[^a-z])(admin|manage|full|all|root|owner|impersonat|sudo)|\*/.test(name) || /\.all$/.test(name)) return 'admin';
  if (/write|create|update|delete|send|edit|modify|post|put|insert|remove|upload|push/.test(name)) return 'write';
  if (/read|view|list|get|show|search|fetch|\bsee\b|info|profile|openid|email/.test(name)) return 'read';
  return 'admin';
}

export function lookupScope(catalog: ScopeCatalog, scope: string): ScopeLookup {
  // Own properties only: a scope named `constructor` must not find Object.prototype.constructor.
  const exact = Object.hasOwn(catalog.scopes, scope) ? catalog.scopes[scope] : undefined;
  if (exact) return { scope, entry: exact, assumed: false };
  for (const { pattern, entry } of catalog.patterns) {
    if (new RegExp(pattern).test(scope)) return { scope, entry, assumed: false };
  }
  return { scope, entry: { level: assumeLevel(scope), resources: [], tenantWide: false }, assumed: true };
}

