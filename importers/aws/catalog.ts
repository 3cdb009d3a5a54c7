// The AWS importer's reference data: the action catalogue (actions.json, in the shared scope-catalogue format)
// and the service models (services.json: ARN shapes of named resources, containers, compute services).
import { z } from 'zod';
import { lazyObject } from '../../engine/lazy.ts';
import { LEVELS } from '../../engine/schema/index.ts';
import { assumeLevel, scopeCatalogSchema, type ScopeCatalog, type ScopeEntry } from '../common/scopes.ts';
import actionsJson from './actions.json' with { type: 'json' };
import servicesJson from './services.json' with { type: 'json' };
import { FRESH, hasFresh, type ActionInfo, type Catalogue, type ServiceModel } from './policy.ts';

export const serviceCatalogSchema = z.object({
  reference: z.string(),
  services: z.record(z.string(), z.object({
    title: z.string(),
    container: z.string().optional(),
    noContainer: z.boolean().optional(),
    noun: z.string().optional(),
    resourceType: z.string().optional(),
    sensitivity: z.number().min(0).max(10).optional(),
    containerSensitivity: z.number().min(0).max(10).optional(),
    tags: z.array(z.string()).optional(),
    types: z.array(z.object({ type: z.string(), arn: z.string() }).strict()).optional(),
    witnesses: z.array(z.string()).optional(),
    maxLevel: z.enum(LEVELS).optional(),
  }).strict()),
  defaultContainer: z.object({ container: z.string(), containerSensitivity: z.number().min(0).max(10) }).strict(),
  /** Create actions that run code as a role passed with iam:PassRole, and the service that role must trust. */
  compute: z.array(z.object({ action: z.string(), trusts: z.string(), witness: z.string() }).strict()),
}).strict();

export type ServiceCatalog = z.output<typeof serviceCatalogSchema>;

// Checked and built on first use: most commands never import AWS data, and parsing the catalogue at every start
// cost about a fifth of `blastmap --help`.
export const AWS_ACTIONS: ScopeCatalog = lazyObject(() => scopeCatalogSchema.parse(actionsJson));
export const AWS_SERVICES: ServiceCatalog = lazyObject(() => serviceCatalogSchema.parse(servicesJson));

/** How a service's resources look in the graph. */
export interface ServiceSpec extends ServiceModel {
  sensitivity: number;
  containerSensitivity: number;
  tags: string[];
}

/** The catalogue the evaluator uses: case-insensitive action lookup, service models with compiled ARN shapes. */
export class AwsCatalogue implements Catalogue {
  private readonly exact = new Map<string, { name: string; entry: ScopeEntry }>();
  private readonly byService = new Map<string, string[]>();
  private readonly patterns: { regex: RegExp; entry: ScopeEntry }[];
  private readonly models = new Map<string, ServiceSpec>();
  private readonly infoCache = new Map<string, ActionInfo>();

  constructor(readonly actions: ScopeCatalog = AWS_ACTIONS, readonly services: ServiceCatalog = AWS_SERVICES) {
    for (const [name, entry] of Object.entries(actions.scopes)) {
      this.exact.set(name.toLowerCase(), { name, entry });
      const service = name.slice(0, name.indexOf(':')).toLowerCase();
      const list = this.byService.get(service);
      if (list) list.push(name);
      else this.byService.set(service, [name]);
    }
    this.patterns = actions.patterns.map(({ pattern, entry }) => ({ regex: new RegExp(pattern, 'i'), entry }));
  }

  action(name: string): ActionInfo {
    const cached = this.infoCache.get(name);
    if (cached) return cached;
    const info = this.lookup(name);
    this.infoCache.set(name, info);
    return info;
  }

  private lookup(name: string): ActionInfo {
    const known = this.exact.get(name.toLowerCase());
    if (known) return toInfo(known.entry, false);
    // `<service>:<fresh>` stands for "every action of the service", permission management included.
    if (name.endsWith(`:${FRESH}`)) return { level: 'admin', types: '*', assumed: false };
    const action = name.slice(name.indexOf(':') + 1);
    for (const { regex, entry } of this.patterns) if (regex.test(name)) return toInfo(entry, false);
    return { level: assumeLevel(hasFresh(action) ? action.replaceAll('\u0001', '') || '*' : name), types: '*', assumed: true };
  }

  /** The catalogue's own name for an action (`s3:getobject` -> `s3:GetObject`), or the action as written. */
  canonical(name: string): string {
    return this.exact.get(name.toLowerCase())?.name ?? name;
  }

  actionsOf(service: string): readonly string[] {
    return this.byService.get(service.toLowerCase()) ?? [];
  }

  model(service: string): ServiceSpec {
    const key = service.toLowerCase();
    let model = this.models.get(key);
    if (!model) {
      const spec = this.services.services[key];
      const fallback = this.services.defaultContainer;
      model = {
        service: key,
        title: spec?.title ?? key,
        container: spec?.noContainer ? undefined : spec?.container ?? fallback.container.replaceAll('{service}', key),
        noun: spec?.noun,
        resourceType: spec?.resourceType,
        types: (spec?.types ?? []).map(({ type, arn }) => ({ type, regex: new RegExp(arn) })),
        witnesses: spec?.witnesses ?? [],
        maxLevel: spec?.maxLevel,
        sensitivity: spec?.sensitivity ?? 5,
        containerSensitivity: spec?.containerSensitivity ?? fallback.containerSensitivity,
        tags: spec?.tags ?? [],
      };
      this.models.set(key, model);
    }
    return model;
  }
}

const toInfo = (entry: ScopeEntry, assumed: boolean): ActionInfo => ({
  level: entry.level,
  types: entry.resources.includes('*') ? '*' : entry.resources,
  assumed,
  takeover: entry.takeover,
});

export const DEFAULT_CATALOGUE: AwsCatalogue = lazyObject(() => new AwsCatalogue());
