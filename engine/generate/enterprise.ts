// Seeded synthetic enterprise: platforms, people and their accounts, tens of non-human identities per
// person, connectors, credentials with realistic dates, scoped grants, tagged data and leaked secrets.
// Used by `blastmap generate` and the benchmarks; deterministic for a seed, streamed in chunks.
import { BlastmapError } from '../errors.ts';
import type { Fragment, GraphEdge, GraphNode } from '../format/native.ts';
import { EDGE_KINDS } from '../schema/index.ts';
import { Random } from './random.ts';

export interface EnterpriseOptions {
  /** Exact number of nodes to produce. */
  nodes: number;
  seed: number;
  /** Average edges per node (default 8: 1M nodes, about 8M edges). */
  edgesPerNode?: number;
  /** The instant dates are drawn around (default 2026-01-01): analyse at this instant. */
  now?: string | number;
  /** Roughly how many nodes each yielded chunk holds (default 20,000). */
  chunkNodes?: number;
}

export interface EnterpriseChunk {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /**
   * Endpoints of each edge as node numbers in generation order (edge i joins ends[2i] to ends[2i+1]),
   * and each edge's kind code (index in the schema's edge kinds): lets a builder skip id lookups.
   */
  ends: Uint32Array;
  kinds: Uint8Array;
}

export const MIN_GENERATED_NODES = 200;
export const MAX_GENERATED_NODES = 10_000_000;
export const DEFAULT_GENERATION_INSTANT = '2026-01-01T00:00:00.000Z';
/** Connectors (App nodes) per generated node: 1,000 apps in a 1M-node enterprise. */
export const APPS_PER_NODE = 1 / 1000;

const DAY = 86_400_000;
const YEAR = 365 * DAY;
const SOURCE = 'generate';

const EDGE_CODE = new Map(Object.keys(EDGE_KINDS).map((kind, code) => [kind, code]));
const AUTHORITY_MIX = [['CAN_READ', 6], ['CAN_WRITE', 3], ['CAN_ADMIN', 1]] as const;
const BREADTH_MIX = [['tenant-read', 30], ['tenant-write', 8], ['items', 62]] as const;

/**
 * Set of (from, kind, to) triples in an open-addressing table, emptied in O(1) by bumping an epoch:
 * the generator asks it once per edge, so it must not allocate.
 */
class TripleSet {
  private from = new Int32Array(1 << 12);
  private to = new Int32Array(1 << 12);
  private kind = new Int32Array(1 << 12);
  private stamp = new Int32Array(1 << 12);
  private epoch = 1;
  private size = 0;

  clear(): void {
    this.epoch++;
    this.size = 0;
  }

  /** Adds the triple; false when it was already there. */
  add(from: number, kind: number, to: number): boolean {
    if (2 * (this.size + 1) > this.stamp.length) this.grow();
    const mask = this.stamp.length - 1;
    let slot = (Math.imul(from, 0x9e3779b1) ^ Math.imul(to + kind, 0x85ebca6b)) >>> 0;
    slot = (slot ^ (slot >>> 15)) & mask;
    while (this.stamp[slot] === this.epoch) {
      if (this.from[slot] === from && this.to[slot] === to && this.kind[slot] === kind) return false;
      slot = (slot + 1) & mask;
    }
    this.stamp[slot] = this.epoch;
    this.from[slot] = from;
    this.to[slot] = to;
    this.kind[slot] = kind;
    this.size++;
    return true;
  }

  private grow(): void {
    const { from, to, kind, stamp, epoch } = this;
    const capacity = stamp.length * 2;
    this.from = new Int32Array(capacity);
    this.to = new Int32Array(capacity);
    this.kind = new Int32Array(capacity);
    this.stamp = new Int32Array(capacity);
    this.epoch = 1;
    this.size = 0;
    for (let i = 0; i < stamp.length; i++) if (stamp[i] === epoch) this.add(from[i]!, kind[i]!, to[i]!);
  }
}

type CredentialType = 'oauth-grant' | 'refresh-token' | 'access-token' | 'api-key' | 'client-secret' | 'certificate' | 'pat' | 'deploy-key' | 'ssh-key' | 'password' | 'session' | 'federated';

interface PlatformSpec {
  key: string;
  label: string;
  vendor: string;
  /** Resource types a team owns on this platform, with weights and default tags. */
  resources: readonly (readonly [type: string, weight: number])[];
  /** Credential types its non-human identities use. */
  nhiCredentials: readonly CredentialType[];
  /** Scopes a connector asks for here: tenant-wide read, tenant-wide write/admin, per-resource read. */
  scopes: { read: string[]; write: string[]; item: string[] };
  /** The platform's administrators can take over every identity on it (MANAGES edges). */
  managesIdentities: boolean;
}

const PLATFORMS: readonly PlatformSpec[] = [
  { key: 'okta', label: 'Okta', vendor: 'Okta', resources: [['app-assignment', 1]], nhiCredentials: ['api-key'], scopes: { read: ['okta.users.read'], write: ['okta.users.manage'], item: ['okta.apps.read'] }, managesIdentities: true },
  { key: 'entra', label: 'Entra ID', vendor: 'Microsoft', resources: [['directory-object', 1]], nhiCredentials: ['client-secret', 'certificate'], scopes: { read: ['Directory.Read.All'], write: ['Application.ReadWrite.All'], item: ['User.Read'] }, managesIdentities: true },
  { key: 'google-workspace', label: 'Google Workspace', vendor: 'Google', resources: [['shared-drive', 3], ['folder', 4], ['mailbox', 2], ['calendar', 1]], nhiCredentials: ['certificate', 'api-key'], scopes: { read: ['https://www.googleapis.com/auth/drive.readonly', 'https://www.googleapis.com/auth/gmail.readonly'], write: ['https://www.googleapis.com/auth/drive', 'https://www.googleapis.com/auth/admin.directory.user'], item: ['https://www.googleapis.com/auth/drive.file'] }, managesIdentities: true },
  { key: 'github', label: 'GitHub', vendor: 'GitHub', resources: [['repository', 6], ['actions-environment', 1]], nhiCredentials: ['deploy-key', 'pat', 'ssh-key'], scopes: { read: ['read:org', 'repo:status'], write: ['repo', 'admin:org'], item: ['contents:read'] }, managesIdentities: false },
  { key: 'slack', label: 'Slack', vendor: 'Salesforce', resources: [['channel', 1]], nhiCredentials: ['access-token'], scopes: { read: ['channels:history', 'channels:read'], write: ['chat:write', 'admin'], item: ['channels:read'] }, managesIdentities: false },
  { key: 'salesforce', label: 'Salesforce', vendor: 'Salesforce', resources: [['report', 2], ['dashboard', 1], ['object-set', 1]], nhiCredentials: ['refresh-token', 'password'], scopes: { read: ['api', 'refresh_token'], write: ['full', 'api'], item: ['chatter_api'] }, managesIdentities: false },
  { key: 'atlassian', label: 'Atlassian', vendor: 'Atlassian', resources: [['confluence-space', 2], ['jira-project', 2]], nhiCredentials: ['api-key'], scopes: { read: ['read:confluence-content.all', 'read:jira-work'], write: ['write:confluence-content', 'manage:jira-configuration'], item: ['read:confluence-space.summary'] }, managesIdentities: false },
  { key: 'zendesk', label: 'Zendesk', vendor: 'Zendesk', resources: [['ticket-view', 2], ['help-center', 1]], nhiCredentials: ['api-key'], scopes: { read: ['read'], write: ['write'], item: ['tickets:read'] }, managesIdentities: false },
  { key: 'snowflake', label: 'Snowflake', vendor: 'Snowflake', resources: [['database', 1], ['table', 6], ['stage', 1]], nhiCredentials: ['password', 'certificate'], scopes: { read: ['session:role:reader'], write: ['session:role:sysadmin'], item: ['session:role:analyst'] }, managesIdentities: false },
  { key: 'datadog', label: 'Datadog', vendor: 'Datadog', resources: [['dashboard', 2], ['monitor', 2]], nhiCredentials: ['api-key'], scopes: { read: ['dashboards_read'], write: ['dashboards_write'], item: ['monitors_read'] }, managesIdentities: false },
  { key: 'aws', label: 'AWS', vendor: 'Amazon', resources: [['s3-bucket', 5], ['lambda-function', 3], ['rds-instance', 1], ['secrets-manager', 1], ['ecr-repository', 1]], nhiCredentials: ['api-key', 'federated'], scopes: { read: ['ReadOnlyAccess'], write: ['PowerUserAccess'], item: ['s3:GetObject'] }, managesIdentities: true },
];
const PLATFORM = new Map(PLATFORMS.map((p) => [p.key, p]));

interface Department {
  name: string;
  weight: number;
  /** Platforms where its non-human identities and resources live. */
  platforms: readonly string[];
  /** Platforms where each of its people has an account (besides the identity provider). */
  accounts: readonly string[];
}

const DEPARTMENTS: readonly Department[] = [
  { name: 'Engineering', weight: 40, platforms: ['aws', 'github', 'datadog', 'snowflake', 'google-workspace'], accounts: ['google-workspace', 'slack', 'atlassian', 'github', 'aws', 'datadog'] },
  { name: 'Data', weight: 8, platforms: ['snowflake', 'aws', 'google-workspace'], accounts: ['google-workspace', 'slack', 'atlassian', 'snowflake', 'aws'] },
  { name: 'Sales', weight: 14, platforms: ['salesforce', 'google-workspace', 'slack'], accounts: ['google-workspace', 'slack', 'atlassian', 'salesforce'] },
  { name: 'Support', weight: 12, platforms: ['zendesk', 'salesforce', 'slack'], accounts: ['google-workspace', 'slack', 'atlassian', 'zendesk', 'salesforce'] },
  { name: 'IT', weight: 6, platforms: ['entra', 'okta', 'google-workspace', 'aws'], accounts: ['google-workspace', 'slack', 'atlassian', 'entra', 'aws'] },
  { name: 'Finance', weight: 6, platforms: ['snowflake', 'google-workspace', 'salesforce'], accounts: ['google-workspace', 'slack', 'atlassian', 'snowflake'] },
  { name: 'Marketing', weight: 14, platforms: ['google-workspace', 'slack', 'salesforce'], accounts: ['google-workspace', 'slack', 'atlassian', 'salesforce'] },
];

/** Connector vendors and the platforms they are installed on. */
const VENDORS: readonly (readonly [name: string, hosts: readonly string[]])[] = [
  ['Drift', ['salesforce', 'google-workspace', 'slack']], ['Salesloft', ['salesforce', 'google-workspace']], ['Gong', ['salesforce', 'google-workspace', 'slack']],
  ['Zoom', ['google-workspace', 'slack']], ['Calendly', ['google-workspace', 'salesforce']], ['Loom', ['slack', 'google-workspace']],
  ['Notion', ['slack', 'google-workspace', 'github']], ['Miro', ['slack', 'google-workspace', 'atlassian']], ['DocuSign', ['salesforce', 'google-workspace']],
  ['HubSpot', ['salesforce', 'google-workspace', 'slack']], ['Zapier', ['google-workspace', 'slack', 'salesforce', 'github']], ['Grammarly', ['google-workspace']],
  ['Outreach', ['salesforce', 'google-workspace']], ['Intercom', ['salesforce', 'slack', 'zendesk']], ['Segment', ['salesforce', 'github']],
  ['Fivetran', ['salesforce', 'google-workspace', 'zendesk']], ['Snyk', ['github']], ['CircleCI', ['github']], ['Travis CI', ['github']],
  ['Vercel', ['github']], ['Netlify', ['github']], ['PagerDuty', ['slack', 'atlassian']], ['Sentry', ['github', 'slack']],
  ['Lucidchart', ['google-workspace', 'atlassian']], ['Dropbox Sign', ['salesforce', 'google-workspace']], ['Clari', ['salesforce']],
  ['Asana', ['slack', 'google-workspace']], ['Airtable', ['slack', 'google-workspace']], ['Otter.ai', ['google-workspace', 'slack']],
  ['Tableau Cloud', ['salesforce', 'google-workspace']], ['Workato', ['salesforce', 'zendesk', 'slack', 'entra']], ['Okta Workflows', ['entra', 'google-workspace']],
];

const FIRST_NAMES = ['Ada', 'Ben', 'Chloe', 'Dev', 'Elif', 'Farah', 'Gus', 'Hana', 'Ivan', 'Jun', 'Kofi', 'Lena', 'Mateo', 'Nia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Vik', 'Wen', 'Xavi', 'Yara', 'Zoe'];
const LAST_NAMES = ['Abe', 'Berg', 'Costa', 'Diaz', 'Eze', 'Fox', 'Gray', 'Haas', 'Ito', 'Jain', 'Kim', 'Lund', 'Mora', 'Ng', 'Okafor', 'Park', 'Quist', 'Reyes', 'Silva', 'Tan', 'Ueda', 'Voss', 'Wu', 'Yilmaz', 'Zhou'];
const COMPANIES = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'vandelay', 'soylent', 'wonka', 'stark', 'tyrell'];
const NHI_PURPOSES = ['deploy', 'etl', 'backup', 'sync', 'monitor', 'billing', 'export', 'ingest', 'report', 'scanner', 'webhook', 'scheduler', 'migrator', 'indexer', 'notifier'];

/** Tags drawn for a resource; weights make most data ordinary and a little of it precious. */
const RESOURCE_TAGS: readonly (readonly [string[] | undefined, number])[] = [
  [undefined, 52], [['internal'], 14], [['pii'], 8], [['financial'], 5], [['production'], 9], [['customer'], 6],
  [['pii', 'customer'], 3], [['crown-jewel', 'production'], 1], [['crown-jewel', 'pii'], 1], [['secrets'], 1],
];

/** Internal bookkeeping for one node: its id, kind and platform key. */
interface Made { handle: number; id: string }

interface Person {
  idp: Made;
  accounts: Map<string, Made>;
  active: boolean;
}

interface Team {
  index: number;
  department: Department;
  name: string;
  awsAccount: Made | undefined;
  people: Person[];
  groups: Made[];
  roles: Map<string, Made[]>;
  resources: Map<string, Made[]>;
  principals: Made[];
  credentials: Made[];
}

export function* generateEnterprise(options: EnterpriseOptions): Generator<EnterpriseChunk, void, undefined> {
  yield* new EnterpriseGenerator(options).run();
}

/** The whole synthetic enterprise as one fragment (small sizes: tests, demos). */
export function generateFragment(options: EnterpriseOptions): Fragment {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (const chunk of generateEnterprise(options)) {
    for (const node of chunk.nodes) nodes.push(node);
    for (const edge of chunk.edges) edges.push(edge);
  }
  return { nodes, edges };
}

class EnterpriseGenerator {
  private readonly rng: Random;
  private readonly target: number;
  private readonly edgeTarget: number;
  private readonly now: number;
  private readonly chunkNodes: number;
  private readonly company: string;
  private readonly domain: string;

  private nodes: GraphNode[] = [];
  private edges: GraphEdge[] = [];
  private ends: number[] = [];
  private kinds: number[] = [];
  private made = 0;
  private edgeCount = 0;
  /** Keys of edges emitted in the current unit: every edge touches a node of its unit, so no repeats. */
  private readonly unitEdges = new TripleSet();

  private readonly tenants = new Map<string, string>();
  private readonly platformNodes = new Map<string, Made>();
  private readonly awsAccounts: Made[] = [];
  private readonly vendorPlatforms = new Map<string, Made>();
  private readonly resourcePool = new Map<string, number[]>();
  private readonly resourceIds: string[] = [];
  private readonly credentialPool: Made[] = [];
  private readonly principalPool: Made[] = [];
  private readonly humanAccounts = new Map<string, Made[]>();
  private readonly sharedResources: Made[] = [];
  private readonly departmentGroups = new Map<string, Made>();
  private allEmployees!: Made;
  private everyone!: Made;
  private casesObject!: Made;
  private readonly adminRoles: Made[] = [];
  private teamCount = 0;
  private appsDue = 0;
  private appCount = 0;
  private readonly vendorUse = new Map<string, number>();

  constructor(options: EnterpriseOptions) {
    if (!Number.isInteger(options.nodes) || options.nodes < MIN_GENERATED_NODES || options.nodes > MAX_GENERATED_NODES) {
      throw new BlastmapError('INVALID_OPTION', `engine/generate: --nodes must be a whole number from ${MIN_GENERATED_NODES} to ${MAX_GENERATED_NODES}, got ${options.nodes}`);
    }
    if (!Number.isInteger(options.seed)) throw new BlastmapError('INVALID_OPTION', `engine/generate: --seed must be a whole number, got ${options.seed}`);
    const perNode = options.edgesPerNode ?? 8;
    if (!(perNode >= 1 && perNode <= 64)) throw new BlastmapError('INVALID_OPTION', `engine/generate: edges per node must be between 1 and 64, got ${perNode}`);
    const now = options.now === undefined ? Date.parse(DEFAULT_GENERATION_INSTANT) : typeof options.now === 'number' ? options.now : Date.parse(options.now);
    if (Number.isNaN(now)) throw new BlastmapError('INVALID_OPTION', `engine/generate: ${String(options.now)} is not a date`);
    this.rng = new Random(options.seed);
    this.target = options.nodes;
    this.edgeTarget = Math.round(options.nodes * perNode);
    this.now = now;
    this.chunkNodes = options.chunkNodes ?? 20_000;
    this.company = COMPANIES[(options.seed >>> 0) % COMPANIES.length]!;
    this.domain = `${this.company}.com`;
  }

  *run(): Generator<EnterpriseChunk, void, undefined> {
    this.globals();
    while (this.target - this.made > this.unitEstimate(2, 25) + 50) {
      this.unit();
      if (this.nodes.length >= this.chunkNodes) yield this.flush();
    }
    this.filler();
    yield this.flush();
  }

  private flush(): EnterpriseChunk {
    const chunk = { nodes: this.nodes, edges: this.edges, ends: Uint32Array.from(this.ends), kinds: Uint8Array.from(this.kinds) };
    this.nodes = [];
    this.edges = [];
    this.ends = [];
    this.kinds = [];
    return chunk;
  }

  // ---- emission -------------------------------------------------------------------------------

  private node(fields: Omit<GraphNode, 'id' | 'tenant' | 'source'> & { tenant?: string }, nativeId: string): Made {
    const tenant = fields.tenant ?? this.tenants.get(fields.platform)!;
    const id = `${fields.platform}:${tenant}:${fields.kind.toLowerCase()}:${nativeId}`;
    this.nodes.push({ id, ...fields, tenant, source: SOURCE } as GraphNode);
    return { handle: this.made++, id };
  }

  private edge(kind: string, from: Made, to: Made, attrs?: Omit<GraphEdge, 'kind' | 'from' | 'to'>): boolean {
    const code = EDGE_CODE.get(kind)!;
    if (!this.unitEdges.add(from.handle, code, to.handle)) return false;
    this.edges.push(attrs ? { kind, from: from.id, to: to.id, ...attrs } : { kind, from: from.id, to: to.id });
    this.ends.push(from.handle, to.handle);
    this.kinds.push(code);
    this.edgeCount++;
    return true;
  }

  private iso(ms: number): string {
    return new Date(Math.round(ms / 1000) * 1000).toISOString();
  }

  /** Rough nodes a team of `people` makes at `ratio` non-human identities per person. */
  private unitEstimate(people: number, ratio: number): number {
    return Math.ceil(people * (9 + ratio * 2.5)) + 12;
  }

  // ---- the company-wide part ------------------------------------------------------------------

  private globals(): void {
    const rng = this.rng;
    const co = this.company;
    const tenantOf: Record<string, string> = {
      okta: `${co}.okta.com`, entra: `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`, 'google-workspace': this.domain,
      github: co, slack: `${co}-hq`, salesforce: `00d${rng.hex(12)}`, atlassian: co, zendesk: co, snowflake: `${co}-${rng.hex(7)}`, datadog: co,
    };
    for (const spec of PLATFORMS) {
      if (spec.key === 'aws') continue;
      this.tenants.set(spec.key, tenantOf[spec.key]!);
      this.platformNodes.set(spec.key, this.node({ kind: 'Platform', name: `${spec.label} (${co})`, platform: spec.key, vendor: spec.vendor }, tenantOf[spec.key]!));
    }
    const accounts = Math.max(2, Math.min(400, Math.round(this.target / 25_000)));
    for (let i = 0; i < accounts; i++) {
      const accountId = String(100_000_000_000 + rng.int(0, 899_999_999_999));
      const name = i === 0 ? 'management' : `${rng.pick(['prod', 'staging', 'dev', 'sandbox', 'data', 'security', 'shared'])}-${i}`;
      this.awsAccounts.push(this.node({ kind: 'Platform', name: `AWS ${name} (${accountId})`, platform: 'aws', tenant: accountId, vendor: 'Amazon' }, accountId));
    }
    const okta = this.platformNodes.get('okta')!;
    const google = this.platformNodes.get('google-workspace')!;
    for (const target of [...this.platformNodes.values()]) {
      if (target !== okta) this.edge('FEDERATES_TO', okta, target, { reason: 'the platform trusts Okta for single sign-on' });
    }
    for (const account of this.awsAccounts) this.edge('FEDERATES_TO', okta, account, { reason: 'IAM Identity Center trusts Okta' });

    this.allEmployees = this.node({ kind: 'Group', name: 'All employees', platform: 'okta' }, '00g-all-employees');
    this.everyone = this.node({ kind: 'Group', name: `everyone@${this.domain}`, platform: 'google-workspace' }, 'everyone');
    for (const department of DEPARTMENTS) {
      this.departmentGroups.set(department.name, this.node({ kind: 'Group', name: department.name, platform: 'okta' }, `00g-${department.name.toLowerCase()}`));
    }
    const shared = Math.max(2, Math.round(this.target / 40_000));
    const sharedKinds: [string, string, string[] | undefined][] = [
      ['atlassian', 'confluence-space', ['internal']], ['slack', 'channel', undefined], ['google-workspace', 'shared-drive', ['internal']],
    ];
    for (let i = 0; i < shared; i++) {
      for (const [platform, resourceType, tags] of sharedKinds) {
        const label = platform === 'slack' ? `#${rng.pick(['general', 'random', 'announcements', 'help-it', 'engineering', 'devops', 'incidents', 'sales'])}-${i}` : `${rng.pick(['Company wiki', 'Handbook', 'All hands', 'Onboarding', 'Runbooks', 'Policies'])} ${i}`;
        const resource = this.resource(platform, resourceType, label, tags, this.platformNodes.get(platform)!);
        this.sharedResources.push(resource);
        this.edge('CAN_READ', this.allEmployees, resource, { reason: 'open to every employee' });
      }
    }
    this.casesObject = this.resource('salesforce', 'object-set', 'Cases', ['customer', 'pii'], this.platformNodes.get('salesforce')!);
    for (const name of ['Accounts', 'Contacts', 'Opportunities']) this.resource('salesforce', 'object-set', name, ['customer'], this.platformNodes.get('salesforce')!);
    const superAdmins: [string, Made][] = [['okta', okta], ['google-workspace', google], ['entra', this.platformNodes.get('entra')!], ['github', this.platformNodes.get('github')!], ['salesforce', this.platformNodes.get('salesforce')!]];
    for (const [platform, target] of superAdmins) {
      const role = this.node({ kind: 'Role', name: `${PLATFORM.get(platform)!.label} super administrator`, platform, privileged: true }, `role-super-admin`);
      this.edge('CAN_ADMIN', role, target, { reason: 'administers the whole tenant' });
      this.adminRoles.push(role);
    }
    for (const account of this.awsAccounts) {
      const role = this.node({ kind: 'Role', name: 'AdministratorAccess', platform: 'aws', tenant: account.id.split(':')[1]!, privileged: true }, 'role/AdministratorAccess');
      this.edge('CAN_ADMIN', role, account, { reason: 'AdministratorAccess on the account' });
      this.adminRoles.push(role);
    }
    this.unitEdges.clear();
  }

  private tenantOfMade(made: Made): string {
    return made.id.split(':')[1]!;
  }

  private resource(platform: string, resourceType: string, name: string, tags: string[] | undefined, parent: Made, tenant?: string): Made {
    const native = `${resourceType}-${this.made.toString(36)}`;
    const fields: Omit<GraphNode, 'id' | 'tenant' | 'source'> & { tenant?: string } = { kind: 'Resource', name, platform, resourceType };
    if (tenant !== undefined) fields.tenant = tenant;
    if (tags) fields.tags = tags;
    const made = this.node(fields, native);
    this.edge('CONTAINS', parent, made);
    let pool = this.resourcePool.get(platform);
    if (!pool) this.resourcePool.set(platform, (pool = []));
    pool.push(made.handle);
    this.resourceIds[made.handle] = made.id;
    return made;
  }

  // ---- one team -------------------------------------------------------------------------------

  private unit(): void {
    const rng = this.rng;
    this.unitEdges.clear();
    const department = rng.weighted(DEPARTMENTS.map((d) => [d, d.weight] as const));
    const ratio = rng.int(25, 80);
    const remaining = this.target - this.made;
    const fitting = Math.max(2, Math.floor((remaining - 50) / this.unitEstimate(1, ratio)));
    const size = Math.min(rng.int(4, 12), fitting);
    const index = this.teamCount++;
    const name = `${department.name} ${rng.pick(['Platform', 'Core', 'Growth', 'Ops', 'Apps', 'Insights', 'Infra', 'Edge', 'Billing', 'Identity', 'Search', 'Mobile'])} ${index}`;
    const team: Team = {
      index, department, name, people: [], groups: [], roles: new Map(), resources: new Map(), principals: [], credentials: [],
      awsAccount: department.platforms.includes('aws') ? rng.pick(this.awsAccounts) : undefined,
    };
    const slug = `team-${index}`;
    const teamGroup = this.node({ kind: 'Group', name, platform: 'okta' }, `00g-${slug}`);
    team.groups.push(teamGroup);
    this.edge('MEMBER_OF', teamGroup, this.departmentGroups.get(department.name)!);

    for (const platform of department.platforms) this.teamRoles(team, platform, slug);
    for (let i = 0; i < size; i++) this.person(team, teamGroup);
    for (const platform of department.platforms) this.teamResources(team, platform, Math.max(2, Math.round(size * ratio * 0.3 / department.platforms.length)));
    this.roleGrants(team);
    // Each non-human identity makes at most 3 nodes and each connector at most 4: the last team stops
    // short of the target so the filler can land on it exactly.
    for (let i = 0; i < size * ratio && this.made + 3 <= this.target; i++) this.nonHuman(team, rng.pick(department.platforms), i);
    this.leaks(team);
    this.appsDue += (this.made - (this.target - remaining)) * APPS_PER_NODE;
    while (this.appsDue >= 1 && this.made + 4 <= this.target) {
      this.appsDue -= 1;
      this.connector(team);
    }
    this.topUp(team);
  }

  private teamRoles(team: Team, platform: string, slug: string): void {
    const rng = this.rng;
    const roles: Made[] = [];
    const count = rng.int(1, 3);
    const tenant = platform === 'aws' ? this.tenantOfMade(team.awsAccount!) : undefined;
    for (let i = 0; i < count; i++) {
      const privileged = rng.chance(0.08);
      const label = privileged ? 'admin' : rng.pick(['reader', 'developer', 'operator', 'analyst', 'deployer']);
      const fields: Omit<GraphNode, 'id' | 'tenant' | 'source'> & { tenant?: string } = { kind: 'Role', name: `${team.name} ${label}`, platform, privileged };
      if (tenant) fields.tenant = tenant;
      const role = this.node(fields, `${slug}-${label}-${i}`);
      roles.push(role);
      team.principals.push(role);
      if (privileged && rng.chance(0.3)) {
        const target = platform === 'aws' ? team.awsAccount! : this.platformNodes.get(platform)!;
        this.edge('CAN_ADMIN', role, target, { reason: 'tenant-wide administration delegated to the team' });
      }
    }
    team.roles.set(platform, roles);
    this.edge('HAS_ROLE', team.groups[0]!, rng.pick(roles));
  }

  private person(team: Team, teamGroup: Made): void {
    const rng = this.rng;
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const handle = `${first}.${last}${this.made.toString(36)}`.toLowerCase();
    const email = `${handle}@${this.domain}`;
    const active = rng.chance(0.97);
    const idp = this.node({ kind: 'Identity', subtype: 'human', name: `${first} ${last}`, platform: 'okta', email, mfa: rng.chance(0.93), enabled: active }, `00u${rng.hex(12)}`);
    const person: Person = { idp, accounts: new Map(), active };
    team.people.push(person);
    this.edge('MEMBER_OF', idp, this.allEmployees);
    this.edge('MEMBER_OF', idp, teamGroup);
    this.edge('MANAGES', this.platformNodes.get('okta')!, idp);
    this.credential('password', 'Okta password', idp, 'okta', team, false);
    for (const platform of team.department.accounts) {
      const tenant = platform === 'aws' ? this.tenantOfMade(team.awsAccount ?? this.awsAccounts[0]!) : undefined;
      const fields: Omit<GraphNode, 'id' | 'tenant' | 'source'> & { tenant?: string } = { kind: 'Identity', subtype: 'human', name: `${first} ${last}`, platform, email, enabled: active && rng.chance(0.99) };
      if (tenant) fields.tenant = tenant;
      const account = this.node(fields, platform === 'github' ? `${first}${last}${this.made.toString(36)}`.toLowerCase() : email);
      person.accounts.set(platform, account);
      this.edge('SSO_TO', idp, account, { reason: 'signs in through Okta' });
      if (PLATFORM.get(platform)!.managesIdentities) this.edge('MANAGES', platform === 'aws' ? (team.awsAccount ?? this.awsAccounts[0]!) : this.platformNodes.get(platform)!, account);
      if (platform === 'google-workspace') this.edge('MEMBER_OF', account, this.everyone);
      let pool = this.humanAccounts.get(platform);
      if (!pool) this.humanAccounts.set(platform, (pool = []));
      pool.push(account);
      const roles = team.roles.get(platform);
      if (roles && rng.chance(0.6)) this.edge('HAS_ROLE', account, rng.pick(roles));
      if (platform === 'github' && rng.chance(0.45)) this.credential('pat', `${first} ${last} personal access token`, account, platform, team, false);
      if (platform === 'aws' && rng.chance(0.15)) this.credential('api-key', `${first} ${last} access key`, account, platform, team, false);
    }
    this.edge('MEMBER_OF', idp, this.departmentGroups.get(team.department.name)!);
    if (team.department.name === 'IT' && rng.chance(0.15)) this.edge('HAS_ROLE', idp, rng.pick(this.adminRoles));
  }

  private teamResources(team: Team, platform: string, count: number): void {
    const rng = this.rng;
    const spec = PLATFORM.get(platform)!;
    const made: Made[] = [];
    const parentPlatform = platform === 'aws' ? team.awsAccount! : this.platformNodes.get(platform)!;
    const tenant = platform === 'aws' ? this.tenantOfMade(team.awsAccount!) : undefined;
    let container: Made | undefined;
    for (let i = 0; i < count; i++) {
      const type = rng.weighted(spec.resources);
      let tags = rng.weighted(RESOURCE_TAGS);
      if (type === 'repository') tags = [...(tags ?? []), 'source-code'];
      if (type === 'secrets-manager') tags = ['secrets', 'production'];
      // Tables sit in a database, folders in a shared drive: containment carries authority down.
      const nested = (type === 'table' || type === 'folder') && container !== undefined;
      const resource = this.resource(platform, type, `${team.name} ${type} ${i}`, tags, nested ? container! : parentPlatform, tenant);
      if (type === 'database' || type === 'shared-drive') container = resource;
      made.push(resource);
    }
    team.resources.set(platform, made);
  }

  private roleGrants(team: Team): void {
    const rng = this.rng;
    for (const [platform, roles] of team.roles) {
      const resources = team.resources.get(platform) ?? [];
      for (const role of roles) {
        const count = Math.min(resources.length, rng.int(3, 20));
        for (let i = 0; i < count; i++) this.edge(rng.weighted(AUTHORITY_MIX), role, rng.pick(resources));
      }
    }
    for (const group of team.groups) {
      for (const resources of team.resources.values()) {
        for (let i = 0; i < Math.min(3, resources.length); i++) this.edge('CAN_WRITE', group, rng.pick(resources));
      }
    }
  }

  private credentialDates(type: CredentialType): Pick<GraphNode, 'createdAt' | 'lastUsedAt' | 'expiresAt' | 'rotatedAt' | 'revoked' | 'revokedAt'> {
    const rng = this.rng;
    const created = this.now - Math.pow(rng.float(), 1.6) * 5 * YEAR;
    const out: Pick<GraphNode, 'createdAt' | 'lastUsedAt' | 'expiresAt' | 'rotatedAt' | 'revoked' | 'revokedAt'> = { createdAt: this.iso(created) };
    if (rng.chance(0.85)) out.lastUsedAt = this.iso(created + Math.pow(rng.float(), 0.3) * (this.now - created));
    let lifetime: number | undefined;
    switch (type) {
      case 'access-token': lifetime = rng.chance(0.5) ? undefined : rng.int(1, 24) * 3_600_000; break;
      case 'refresh-token': lifetime = rng.chance(0.6) ? undefined : rng.int(90, 365) * DAY; break;
      case 'api-key': lifetime = rng.chance(0.7) ? undefined : rng.int(90, 730) * DAY; break;
      case 'client-secret': lifetime = rng.int(180, 730) * DAY; break;
      case 'certificate': lifetime = rng.int(365, 1095) * DAY; break;
      case 'pat': lifetime = rng.chance(0.3) ? undefined : rng.int(30, 365) * DAY; break;
      case 'session': lifetime = rng.int(1, 30) * DAY; break;
      default: lifetime = undefined;
    }
    if (lifetime !== undefined) out.expiresAt = this.iso(created + lifetime);
    if (rng.chance(0.2)) out.rotatedAt = this.iso(created + rng.float() * (this.now - created));
    if (rng.chance(0.02)) {
      out.revoked = true;
      out.revokedAt = this.iso(created + rng.float() * (this.now - created));
    }
    return out;
  }

  /** A credential that authenticates as `principal` (or is held by it, for connector grants). */
  private credential(type: CredentialType, name: string, principal: Made, platform: string, team: Team, held: boolean, tenant?: string): Made {
    const rng = this.rng;
    const fields: Omit<GraphNode, 'id' | 'tenant' | 'source'> & { tenant?: string } = {
      kind: 'Credential', type, name, platform, ...this.credentialDates(type), fingerprint: `sha256:${rng.hex(16)}`,
    };
    if (tenant) fields.tenant = tenant;
    else if (platform === 'aws') fields.tenant = this.tenantOfMade(principal);
    if (type !== 'federated' && type !== 'password' && rng.chance(0.5)) fields.hint = `...${rng.hex(4)}`;
    const made = this.node(fields, `${type}-${this.made.toString(36)}`);
    if (held) this.edge('HOLDS', principal, made);
    else this.edge('AUTHENTICATES_AS', made, principal);
    team.credentials.push(made);
    this.credentialPool.push(made);
    return made;
  }

  private nonHuman(team: Team, platform: string, i: number): void {
    const rng = this.rng;
    const spec = PLATFORM.get(platform)!;
    const workload = platform === 'aws' || platform === 'github' ? rng.chance(0.4) : false;
    const purpose = rng.pick(NHI_PURPOSES);
    const tenant = platform === 'aws' ? this.tenantOfMade(team.awsAccount!) : undefined;
    const fields: Omit<GraphNode, 'id' | 'tenant' | 'source'> & { tenant?: string } = {
      kind: 'Identity', subtype: workload ? 'workload' : 'service', name: `${team.name} ${purpose} ${workload ? 'workload' : 'service account'} ${i}`,
      platform, enabled: rng.chance(0.96),
    };
    if (tenant) fields.tenant = tenant;
    const identity = this.node(fields, `svc-${purpose}-${this.made.toString(36)}`);
    team.principals.push(identity);
    this.principalPool.push(identity);
    let first: Made | undefined;
    if (!workload || rng.chance(0.3)) {
      const count = rng.chance(0.15) ? 2 : 1;
      for (let c = 0; c < count; c++) {
        const made = this.credential(rng.pick(spec.nhiCredentials.filter((t) => t !== 'federated')), `${purpose} key ${c}`, identity, platform, team, false);
        first ??= made;
      }
    } else if (platform === 'aws') {
      first = this.credential('federated', `${purpose} OIDC trust`, identity, platform, team, false);
    }
    const roles = team.roles.get(platform);
    if (roles) this.edge('HAS_ROLE', identity, rng.pick(roles));
    if (roles && rng.chance(0.3)) this.edge('HAS_ROLE', identity, rng.pick(roles));
    if (spec.managesIdentities) this.edge('MANAGES', platform === 'aws' ? team.awsAccount! : this.platformNodes.get(platform)!, identity);
    // About a third of service accounts have no recorded owner (a governance finding).
    if (rng.chance(0.7) && team.people.length > 0) this.edge('OWNS', rng.pick(team.people).idp, identity);
    if (first && rng.chance(0.2) && team.people.length > 0) this.edge('OWNS', rng.pick(team.people).idp, first);
    if (workload && platform === 'github') {
      const repos = team.resources.get('github');
      if (repos && repos.length > 0) this.edge('RUNS_AS', rng.pick(repos), identity, { reason: 'a workflow in the repository runs as this workload' });
      const awsRoles = team.roles.get('aws');
      if (awsRoles && rng.chance(0.5)) this.edge('HAS_ROLE', identity, rng.pick(awsRoles), { reason: 'OIDC federation into an IAM role' });
    }
    if (platform === 'google-workspace' && rng.chance(0.01)) {
      const accounts = this.humanAccounts.get('google-workspace') ?? [];
      for (let k = rng.heavy(1, 20); k > 0 && accounts.length > 0; k--) this.edge('CAN_IMPERSONATE', identity, rng.pick(accounts), { reason: 'domain-wide delegation' });
    }
  }

  /** Credentials that ended up in data: secret stores hold them on purpose, the rest were pasted. */
  private leaks(team: Team): void {
    const rng = this.rng;
    if (team.credentials.length === 0) return;
    for (const resources of team.resources.values()) {
      for (const resource of resources) {
        const isStore = resource.id.includes(':resource:secrets-manager-');
        const count = isStore ? rng.int(3, 15) : rng.chance(0.02) ? 1 : 0;
        for (let i = 0; i < count; i++) {
          const pool = !isStore && rng.chance(0.5) ? this.credentialPool : team.credentials;
          this.edge(isStore ? 'STORES_CREDENTIAL' : 'CONTAINS_CREDENTIAL', resource, rng.pick(pool), isStore ? undefined : { reason: 'secret found in the content' });
        }
      }
    }
    if (rng.chance(0.25) && this.sharedResources.length > 0) this.edge('CONTAINS_CREDENTIAL', rng.pick(this.sharedResources), rng.pick(team.credentials), { reason: 'key pasted in a shared page or channel' });
    if (team.department.name === 'Support' || rng.chance(0.05)) {
      for (let i = rng.int(0, 2); i > 0; i--) this.edge('CONTAINS_CREDENTIAL', this.casesObject, rng.pick(team.credentials), { reason: 'credential pasted into a support case' });
    }
  }

  private connector(team: Team): void {
    const rng = this.rng;
    const thirdParty = rng.chance(0.75);
    const index = this.appCount++;
    let host: string;
    let name: string;
    let vendor: string;
    if (thirdParty) {
      const [vendorName, hosts] = rng.pick(VENDORS);
      host = rng.pick(hosts);
      vendor = vendorName;
      const uses = (this.vendorUse.get(`${vendorName}|${host}`) ?? 0) + 1;
      this.vendorUse.set(`${vendorName}|${host}`, uses);
      name = `${vendorName} for ${PLATFORM.get(host)!.label}${uses > 1 ? ` (${uses})` : ''}`;
    } else {
      host = rng.pick(['entra', 'okta', 'github', 'google-workspace', 'slack']);
      vendor = this.company;
      name = `${team.name} ${rng.pick(['portal', 'bot', 'sync', 'dashboard', 'automation'])} app ${index}`;
    }
    const spec = PLATFORM.get(host)!;
    const platformNode = this.platformNodes.get(host)!;
    const app = this.node({ kind: 'App', name, platform: host, vendor, thirdParty, publisherVerified: thirdParty ? rng.chance(0.6) : true }, `app-${index}`);
    this.edge('INSTALLED_IN', app, platformNode);
    const owner = team.people.length > 0 ? rng.pick(team.people) : undefined;
    if (owner && rng.chance(0.8)) this.edge('OWNS', owner.idp, app);
    const consenter = owner?.accounts.get(host);
    if (consenter) this.edge('CONSENTED', consenter, app);
    if (thirdParty) {
      const vendorKey = vendor.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
      let vendorPlatform = this.vendorPlatforms.get(vendorKey);
      if (!vendorPlatform) {
        vendorPlatform = this.node({ kind: 'Platform', name: `${vendor} production`, platform: vendorKey, tenant: 'prod', vendor }, vendorKey);
        this.vendorPlatforms.set(vendorKey, vendorPlatform);
      }
      this.edge('MANAGES', vendorPlatform, app, { reason: "the vendor's environment holds every customer's tokens" });
    }
    const grants = thirdParty ? rng.int(1, 2) : 1;
    for (let g = 0; g < grants; g++) {
      const type: CredentialType = thirdParty ? (g === 0 ? 'oauth-grant' : 'refresh-token') : rng.pick(['client-secret', 'certificate']);
      const credential = this.credential(type, `${name} ${type}`, app, host, team, thirdParty);
      if (!thirdParty) this.edge('HOLDS', app, credential);
      const breadth = rng.weighted(BREADTH_MIX);
      const grant = { grant: credential.id };
      if (breadth === 'tenant-read') this.edge('CAN_READ', credential, platformNode, { scopes: spec.scopes.read, ...grant });
      else if (breadth === 'tenant-write') this.edge(rng.chance(0.7) ? 'CAN_WRITE' : 'CAN_ADMIN', credential, platformNode, { scopes: spec.scopes.write, ...grant });
      else {
        const pool = this.resourcePool.get(host) ?? [];
        for (let k = rng.heavy(1, 400); k > 0 && pool.length > 0; k--) {
          const target = pool[rng.int(0, pool.length - 1)]!;
          this.edge(rng.chance(0.8) ? 'CAN_READ' : 'CAN_WRITE', credential, { handle: target, id: this.resourceIds[target]! }, { scopes: spec.scopes.item, ...grant });
        }
      }
    }
    if (!thirdParty) {
      const roles = team.roles.get(host);
      if (roles) this.edge('HAS_ROLE', app, rng.pick(roles));
    }
    if (host === 'google-workspace' && rng.chance(0.08)) {
      const accounts = this.humanAccounts.get('google-workspace') ?? [];
      for (let k = rng.heavy(1, 40); k > 0 && accounts.length > 0; k--) this.edge('CAN_IMPERSONATE', app, rng.pick(accounts), { reason: 'domain-wide delegation', scopes: ['https://mail.google.com/'] });
    }
    if ((host === 'entra' || host === 'okta') && rng.chance(0.1)) this.edge('CAN_ADD_CREDENTIAL', app, rng.pick(team.principals.length > 0 ? team.principals.filter((p) => p.id.includes(':identity:')).concat([app]) : [app]));
  }

  /** Grants that bring the edge count to the target: most inside the team, some across the company. */
  private topUp(team: Team): void {
    const rng = this.rng;
    const want = Math.round(this.edgeTarget * (this.made / this.target));
    const principals = team.principals;
    if (principals.length === 0) return;
    let attempts = 0;
    while (this.edgeCount < want && attempts < 4 * (want - this.edgeCount) + 100) {
      attempts++;
      const from = rng.pick(principals);
      const platform = from.id.slice(0, from.id.indexOf(':'));
      const own = team.resources.get(platform);
      let to: Made | undefined;
      if (own && own.length > 0 && rng.chance(0.7)) to = rng.pick(own);
      else {
        const pool = this.resourcePool.get(platform);
        if (!pool || pool.length === 0) continue;
        const target = pool[rng.int(0, pool.length - 1)]!;
        to = { handle: target, id: this.resourceIds[target]! };
      }
      this.edge(rng.weighted(AUTHORITY_MIX), from, to);
    }
  }

  /** Resources that bring the node count to exactly the target. */
  private filler(): void {
    const rng = this.rng;
    this.unitEdges.clear();
    const made: Made[] = [];
    const platforms = [...this.platformNodes.keys()].filter((p) => p !== 'okta' && p !== 'entra');
    while (this.made < this.target) {
      const platform = rng.pick(platforms);
      const spec = PLATFORM.get(platform)!;
      const type = rng.weighted(spec.resources);
      made.push(this.resource(platform, type, `${spec.label} archive ${type} ${this.made}`, rng.weighted(RESOURCE_TAGS), this.platformNodes.get(platform)!));
    }
    const principals = this.principalPool.length > 0 ? this.principalPool : this.adminRoles;
    let attempts = 0;
    while (made.length > 0 && this.edgeCount < this.edgeTarget && attempts < 4 * (this.edgeTarget - this.edgeCount) + 100) {
      attempts++;
      this.edge('CAN_READ', rng.pick(principals), rng.pick(made));
    }
  }
}
