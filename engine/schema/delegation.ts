// What a scope allows when a grant acts *as* a principal (domain-wide delegation, a delegated grant, a
// classic token acting as its user): the scope catalogues of engine/schema/scopes, read by the graph builder.
import atlassianJson from './scopes/atlassian.json' with { type: 'json' };
import entraJson from './scopes/entra.json' with { type: 'json' };
import githubJson from './scopes/github.json' with { type: 'json' };
import googleJson from './scopes/google-workspace.json' with { type: 'json' };
import oktaJson from './scopes/okta.json' with { type: 'json' };
import salesforceJson from './scopes/salesforce.json' with { type: 'json' };
import slackJson from './scopes/slack.json' with { type: 'json' };
import type { Level } from './index.ts';
import { lookupScope, scopeCatalogSchema, type ScopeCatalog } from './scopes.ts';

/** What one scope lets a delegation do on the delegated principal's platform. */
export type ScopeRestriction =
  /** The scope is not restricting: it hands over the principal (a takeover scope) or no catalogue knows it. */
  | { kind: 'full'; why: 'takeover' | 'unknown' }
  /** The scope allows `level` on resources of these types (and on the platform itself for `platform`). */
  | { kind: 'allows'; level: Level; resourceTypes: readonly string[] };

/** Catalogue resource names that stand for the tenant itself (the Platform node). */
const PLATFORM_NAMES = new Set(['platform', 'tenant', 'organization', 'workspace']);

export interface DelegationCatalog {
  /** Platforms whose scopes are known; a delegation into any other platform is never restricted. */
  readonly platforms: readonly string[];
  restriction(platform: string, scope: string): ScopeRestriction;
}

/** A delegation catalogue from scope catalogues, one per platform (their `platform` key). */
export function delegationCatalog(catalogs: readonly ScopeCatalog[]): DelegationCatalog {
  const byPlatform = new Map(catalogs.map((catalog) => [catalog.platform, catalog]));
  const cache = new Map<string, ScopeRestriction>();
  return {
    platforms: [...byPlatform.keys()],
    restriction(platform, scope) {
      const key = `${platform}\u0000${scope}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const catalog = byPlatform.get(platform);
      let restriction: ScopeRestriction;
      if (!catalog) restriction = { kind: 'full', why: 'unknown' };
      else {
        const lookup = lookupScope(catalog, scope);
        if (lookup.assumed) restriction = { kind: 'full', why: 'unknown' };
        else if (lookup.entry.takeover !== undefined) restriction = { kind: 'full', why: 'takeover' };
        else restriction = { kind: 'allows', level: lookup.entry.level, resourceTypes: lookup.entry.resources };
      }
      cache.set(key, restriction);
      return restriction;
    },
  };
}

/** Whether a catalogue resource name covers a node: its resource type, or the tenant for the platform names. */
export function coversNode(resourceName: string, node: { kind: string; resourceType?: string | undefined; properties?: Readonly<Record<string, unknown>> | undefined }): boolean {
  if (node.kind === 'Platform') return PLATFORM_NAMES.has(resourceName);
  if (node.kind !== 'Resource') return false;
  if (resourceName === node.resourceType) return true;
  // Atlassian's `product-site:<family>`: a product site whose product key is of that family (`jira-software`,
  // `jira-servicedesk` are Jira); a site node whose product the export does not say is covered by every family.
  const family = /^product-site:(.+)$/.exec(resourceName)?.[1];
  if (family !== undefined && node.resourceType === 'product-site') {
    const productKey = node.properties?.productKey;
    return typeof productKey !== 'string' || productKey === family || productKey.startsWith(`${family}-`);
  }
  // GitHub's public_repo: a repository whose visibility is public.
  return resourceName === 'public-repository' && node.resourceType === 'repository' && node.properties?.visibility === 'public';
}

let builtin: DelegationCatalog | undefined;
/** The shipped catalogues, checked by their schema on first use: reading a snapshot never needs them. */
const builtinCatalog = (): DelegationCatalog => (builtin ??= delegationCatalog(
  [googleJson, entraJson, githubJson, slackJson, oktaJson, salesforceJson, atlassianJson].map((json) => scopeCatalogSchema.parse(json)),
));

/** The catalogues blastmap ships: Google Workspace, Microsoft Graph (Entra), GitHub classic tokens, Slack, Okta, Salesforce, Atlassian. */
export const DEFAULT_DELEGATION_CATALOG: DelegationCatalog = {
  get platforms() { return builtinCatalog().platforms; },
  restriction: (platform, scope) => builtinCatalog().restriction(platform, scope),
};
