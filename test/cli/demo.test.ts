// The bundled demo: the README's main command must brief the Drift-like chain of the demo company.
import { describe, expect, it } from 'vitest';
import { loadDemoGraph } from '../../cli/commands/demo.ts';
import type { NodeRef, RadiusEntry } from '../../engine/analysis/radius.ts';
import { pathFromTable, type WitnessStep } from '../../engine/report/radius-json.ts';
import { rankNodes } from '../../engine/analysis/rank.ts';
import { runCli, spawnCli } from '../helpers/cli.ts';

const AT = '2026-11-01';
const PARLEY = 'parley:prod:app:parley-chat';
const BUCKET = 'aws:111122223333:resource:s3/corvid-prod-customer-data';
const REVENUE = 'snowflake:corvidlabs:resource:ANALYTICS.PUBLIC.CUSTOMER_REVENUE';

describe('the demo company', () => {
  const graph = loadDemoGraph();

  it('is a realistic company: at least 6 platforms, 150 nodes, groups, expired and stale credentials', () => {
    const platforms = new Set(graph.nodes.map((n) => n.platform));
    expect(platforms.size).toBeGreaterThanOrEqual(6);
    expect(graph.nodeCount).toBeGreaterThanOrEqual(150);
    expect(graph.nodes.filter((n) => n.kind === 'Group').length).toBeGreaterThanOrEqual(3);
    const at = Date.parse(AT);
    const credentials = graph.nodes.filter((n) => n.kind === 'Credential');
    expect(credentials.some((c) => c.expiresAt !== undefined && Date.parse(c.expiresAt) < at)).toBe(true);
    expect(credentials.some((c) => c.lastUsedAt !== undefined && at - Date.parse(c.lastUsedAt) > 365 * 86_400_000)).toBe(true);
    expect(credentials.some((c) => c.expiresAt === undefined)).toBe(true);
  });

  it('ranks the chat vendor app as its riskiest connector', () => {
    expect(rankNodes(graph, { at: AT })[0]?.id).toBe(PARLEY);
  });
});

describe('blastmap demo', () => {
  it('briefs the chat app: OAuth grants into the CRM and mail, keys in support cases, the crown-jewel bucket', async () => {
    const { code, out } = await runCli(['demo', '--at', AT, '--format', 'json']);
    expect(code).toBe(0);
    // The JSON shares witness paths in one table: a node's path is its `witness` step followed up the parents.
    const radius = JSON.parse(out) as { sources: NodeRef[]; reached: (RadiusEntry & { witness: number })[]; crownJewels: RadiusEntry[]; witness: WitnessStep[] };
    expect(radius.sources.map((s) => s.id)).toEqual([PARLEY]);
    const byId = new Map(radius.reached.map((entry) => [entry.id, entry]));
    const platformOf = new Map([...radius.sources, ...radius.reached].map((node) => [node.id, node.platform]));
    const pathOf = (entry: { witness: number }) => pathFromTable(radius.witness, entry.witness);

    // The vendor app holds OAuth grants into the CRM (one refresh token) and into mail (one per sales inbox).
    const grants = radius.reached.filter((e) => e.kind === 'Credential' && pathOf(e).length === 1 && pathOf(e)[0]!.kind === 'HOLDS');
    expect(grants.map((e) => e.platform).sort()).toEqual([...Array<string>(5).fill('google-workspace'), 'salesforce']);
    expect(radius.reached.some((e) => e.platform === 'google-workspace' && e.kind === 'Resource')).toBe(true);

    // CRM support cases contain a cloud access key and a data-warehouse token.
    const found = radius.reached.filter((e) => e.kind === 'Credential' && pathOf(e).some((s) => s.kind === 'CONTAINS_CREDENTIAL'));
    expect(found.map((e) => e.platform).sort()).toEqual(['aws', 'snowflake']);
    for (const credential of found) expect(pathOf(credential).map((s) => platformOf.get(s.from))).toContain('salesforce');

    // The cloud key reaches the production bucket tagged crown-jewel.
    const bucket = byId.get(BUCKET)!;
    expect(bucket.crownJewel).toBe(true);
    // The refresh token acts as the integration user, whose permission set edits cases (Salesforce export).
    const bucketPath = ['HOLDS', 'AUTHENTICATES_AS', 'HAS_ROLE', 'CAN_WRITE', 'CONTAINS', 'CONTAINS_CREDENTIAL', 'AUTHENTICATES_AS', 'CAN_READ'];
    expect(pathOf(bucket).map((s) => s.kind)).toEqual(bucketPath);
    // A crown jewel keeps its full path in the JSON, the same as the table's.
    expect(radius.crownJewels.find((e) => e.id === BUCKET)!.path.map((s) => s.kind)).toEqual(bucketPath);
    expect(radius.crownJewels.map((e) => e.id)).toEqual(expect.arrayContaining([BUCKET, REVENUE]));
  });

  it('prints the text brief with the crown jewels first', async () => {
    const { code, out } = await runCli(['demo', '--at', AT]);
    expect(code).toBe(0);
    expect(out).toContain('BLAST RADIUS: Parley Chat (App on parley)');
    const crown = out.indexOf('CROWN JEWELS REACHED');
    expect(crown).toBeGreaterThan(0);
    expect(out.indexOf('corvid-prod-customer-data')).toBeGreaterThan(crown);
    expect(out.indexOf('corvid-prod-customer-data')).toBeLessThan(out.indexOf('BY PLATFORM'));
  });

  it('runs as the README says: npm start prints the brief', () => {
    const result = spawnCli(['demo']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('CROWN JEWELS REACHED');
  });
});
