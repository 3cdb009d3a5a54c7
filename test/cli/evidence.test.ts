// Evidence from the command line, on the demo: respond marks the steps the logs show (the done-when of issue #25),
// `import logs` stores observations beside a graph and `--evidence` without a value reads them, radius and paths
// carry the overlay, HTML shows a timeline. Assertions are on the AWS CloudTrail part of datasets/demo/logs only, so
// they hold whatever other log sources sit beside it.
import { copyFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.ts';

const AWS_KEY = 'aws:111122223333:credential:access-key/9a184e3db4e81384';
const AWS_USER = 'aws:111122223333:identity:user/svc-data-export';
const CUSTOMER_DATA = 'aws:111122223333:resource:s3/corvid-prod-customer-data';
const EXPORTS_BUCKET = 'aws:111122223333:resource:s3/corvid-prod-exports';
const SNOWFLAKE_PAT = 'snowflake:corvidlabs:credential:pat/SVC_REPORTING/GLIMPSE_DASHBOARDS';
const ATTACKER_IP = '203.0.113.77';

interface Step { step: number; phase: string; target: { id: string }; evidence?: { status: string; count?: number; ips?: string[] } }
interface Report {
  window: { from: string | null; to: string };
  nodes: { id: string; status: string; count: number; ips: string[] }[];
  edges: { kind: string; from: string; to: string; status: string }[];
  actions: { actor: string; action: string; category: string; outcome: string; ips: string[] }[];
  hints: { node: string; kind: string; values: string[] }[];
}

describe('evidence on the command line', () => {
  it('respond "Parley Chat" --evidence datasets/demo/logs marks the observed steps, and ranks the used key first', async () => {
    const run = await runCli(['respond', 'Parley Chat', '--graph', 'datasets/demo', '--evidence', 'datasets/demo/logs', '--format', 'json']);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.out) as { steps: Step[]; evidence: Report };
    const rotate = plan.steps.filter((s) => s.phase === 'rotate');
    // Without evidence the Snowflake token (higher score) comes first; the logs show the AWS key in use.
    expect(rotate.map((s) => s.target.id)).toEqual([AWS_KEY, SNOWFLAKE_PAT]);
    expect(rotate[0]!.evidence).toMatchObject({ status: 'observed' });
    expect(rotate[0]!.evidence!.ips).toContain(ATTACKER_IP);
    expect(rotate[1]!.evidence?.status).not.toBe('observed');
    expect(plan.steps.every((s) => s.evidence !== undefined)).toBe(true);
    const node = (id: string) => plan.evidence.nodes.find((n) => n.id === id);
    expect(node(AWS_KEY)?.status).toBe('observed');
    expect(node(CUSTOMER_DATA)?.status).toBe('observed');
    expect(plan.evidence.edges.filter((e) => e.from === AWS_KEY || e.from === AWS_USER).map((e) => `${e.kind} ${e.to} ${e.status}`)).toContain(`CAN_READ ${CUSTOMER_DATA} observed`);
    // The refused CreateAccessKey is listed, persistence first.
    const aws = plan.evidence.actions.filter((a) => a.actor.startsWith('aws:') && a.ips.includes(ATTACKER_IP));
    expect(aws[0]).toMatchObject({ action: 'CreateAccessKey', category: 'persistence', outcome: 'blocked' });
  });

  it('with the window from --since, the nightly job before it is history: its bucket stays possible and the attacker is new', async () => {
    const run = await runCli(['respond', 'Parley Chat', '--graph', 'datasets/demo', '--evidence', 'datasets/demo/logs', '--since', '2026-11-21T12:00:00Z', '--at', '2026-11-22T00:00:00Z', '--format', 'json']);
    expect(run.code).toBe(0);
    const { evidence } = JSON.parse(run.out) as { evidence: Report };
    expect(evidence.window).toEqual({ from: '2026-11-21T12:00:00.000Z', to: '2026-11-22T00:00:00.000Z' });
    expect(evidence.nodes.find((n) => n.id === EXPORTS_BUCKET)).toBeUndefined();
    expect(evidence.nodes.find((n) => n.id === AWS_KEY)).toMatchObject({ status: 'observed', ips: [ATTACKER_IP] });
    const hints = evidence.hints.filter((h) => h.node === AWS_KEY).map((h) => `${h.kind} ${h.values.join(',')}`);
    expect(hints).toContain('new-ip-range 203.0.113.0/24');
    expect(hints).toContain('new-family sts');
  });

  it('with every demo log: the Salesforce bulk query of Cases by the connected app marks its vendor kill observed', async () => {
    // ApiEvent names the connected app and the integration user it acts as; the app is outside the radius (Parley's
    // backend holds its token), the user is inside: the event counts for the user, and the contain step that
    // revokes the token signing in as that user carries it.
    const run = await runCli(['respond', 'Parley Chat', '--graph', 'datasets/demo', '--evidence', 'datasets/demo/logs', '--since', '2026-11-21T12:00:00Z', '--format', 'json']);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.out) as { steps: Step[]; evidence: Report & { totals: { unresolvedActors: number } } };
    expect(plan.evidence.totals.unresolvedActors).toBe(0);
    const kill = plan.steps.find((s) => s.phase === 'contain' && s.target.id === 'salesforce:00dhs000000cvdlmak:app:0H4Hs000000Cv01GAA');
    expect(kill?.evidence?.status).toBe('observed');
    // Google's token events name the client id (shared by the app and every grant) and the user: the grant whose id
    // names that user is the one that acted, so Parley Email's kill is observed through its five grants.
    const google = plan.steps.find((s) => s.phase === 'contain' && s.target.id === 'google-workspace:corvidlabs.com:app:417905633812-prl3mailsync.apps.googleusercontent.com');
    expect(google?.evidence?.status).toBe('observed');
    expect(plan.evidence.nodes.filter((n) => n.id.startsWith('google-workspace:corvidlabs.com:credential:oauth-grant/') && n.status === 'observed')).toHaveLength(5);
    const bulk = plan.evidence.actions.find((a) => a.actor === 'salesforce:00dhs000000cvdlmak:identity:005Hs00000JrW4FIAQ' && (a as { target?: string }).target === 'Case' && a.action === 'API query');
    expect(bulk).toMatchObject({ category: 'bulk', outcome: 'success' });
    expect((bulk as { records?: number }).records).toBe(3917);
  });

  it('import logs stores the observations beside a snapshot (gzip read), again without repeats; --evidence alone reads them', async () => {
    const dir = tempDir();
    const graph = join(dir, 'graph.bmap');
    expect((await runCli(['import', 'aws', 'datasets/demo/exports/aws/corvid-prod', '--graph', graph])).code).toBe(0);
    const first = await runCli(['import', 'logs', 'datasets/demo/logs/aws-cloudtrail', '--graph', graph, '--format', 'json']);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.out) as { evidence: string; stored: number; read: number; resolved: number };
    expect(summary.evidence).toBe(`${graph}.evidence`);
    // 54 events of the nightly job come from the .json.gz file, 12 from the attacker's day.
    expect(summary).toMatchObject({ read: 66, stored: 66, resolved: 66 });
    const again = JSON.parse((await runCli(['import', 'logs', 'datasets/demo/logs/aws-cloudtrail', '--graph', graph, '--format', 'json'])).out) as { stored: number; before: number };
    expect(again).toMatchObject({ before: 66, stored: 66 });
    const radius = await runCli(['radius', 'AKIACVDEXAMPLE4K7Q2X', '--graph', graph, '--evidence', '--since', '2026-11-21T12:00:00Z', '--at', '2026-11-22', '--format', 'json']);
    expect(radius.code).toBe(0);
    const { evidence } = JSON.parse(radius.out) as { evidence: Report };
    expect(evidence.nodes.map((n) => `${n.id} ${n.status}`)).toEqual([`${AWS_KEY} observed`, `${AWS_USER} observed`, `${CUSTOMER_DATA} observed`]);
    const text = await runCli(['radius', 'AKIACVDEXAMPLE4K7Q2X', '--graph', graph, '--evidence', '--since', '2026-11-21T12:00:00Z', '--at', '2026-11-22']);
    expect(text.out).toContain('EVIDENCE: the logs from 2026-11-21 12:00Z to 2026-11-22 00:00Z');
    expect(text.out).toMatch(/new IP range 203\.0\.113\.0\/24/);
  });

  it('a workspace keeps its evidence inside it (evidence.bmev), and NDJSON ends with an evidence line', async () => {
    const dir = tempDir();
    const workspace = join(dir, 'demo');
    cpSync('datasets/demo', workspace, { recursive: true, filter: (source) => !source.includes('/logs') });
    const imported = await runCli(['import', 'logs', 'datasets/demo/logs/aws-cloudtrail', '--graph', workspace, '--format', 'json']);
    expect(imported.code).toBe(0);
    expect((JSON.parse(imported.out) as { evidence: string }).evidence).toBe(join(workspace, 'evidence.bmev'));
    const ndjson = await runCli(['radius', 'Parley Chat', '--graph', workspace, '--evidence', '--at', '2026-11-22', '--format', 'ndjson']);
    expect(ndjson.code).toBe(0);
    const last = JSON.parse(ndjson.out.trim().split('\n').at(-1)!) as { type: string; nodes: { id: string; status: string }[] };
    expect(last.type).toBe('evidence');
    expect(last.nodes.find((n) => n.id === AWS_KEY)?.status).toBe('observed');
    const neo4j = await runCli(['radius', 'Parley Chat', '--graph', workspace, '--evidence', '--store', 'neo4j']);
    expect(neo4j.code).not.toBe(0);
    expect(neo4j.err).toContain('--evidence is read with the memory store only');
  });

  it('a changed evidence file is refused with INVALID_SNAPSHOT, naming it; no evidence imported is an IO error', async () => {
    const dir = tempDir();
    const graph = join(dir, 'graph.bmap');
    await runCli(['import', 'aws', 'datasets/demo/exports/aws/corvid-prod', '--graph', graph]);
    const missing = await runCli(['radius', 'AKIACVDEXAMPLE4K7Q2X', '--graph', graph, '--evidence']);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('no evidence imported');
    await runCli(['import', 'logs', 'datasets/demo/logs/aws-cloudtrail', '--graph', graph]);
    const path = `${graph}.evidence`;
    expect(existsSync(path)).toBe(true);
    const bytes = readFileSync(path);
    bytes[bytes.length - 40] = bytes[bytes.length - 40]! ^ 0xff;
    writeFileSync(path, bytes);
    const broken = await runCli(['radius', 'AKIACVDEXAMPLE4K7Q2X', '--graph', graph, '--evidence']);
    expect(broken.code).not.toBe(0);
    expect(broken.err).toContain(path);
    expect(broken.err).toContain('SHA-256 digest does not match');
  });

  it('a bad log file fails the import with its file and JSON path, and leaves the stored evidence as it was', async () => {
    const dir = tempDir();
    const graph = join(dir, 'graph.bmap');
    await runCli(['import', 'aws', 'datasets/demo/exports/aws/corvid-prod', '--graph', graph]);
    await runCli(['import', 'logs', 'datasets/demo/logs/aws-cloudtrail', '--graph', graph]);
    const before = readFileSync(`${graph}.evidence`);
    const logs = join(dir, 'logs');
    const bad = join(dir, 'bad');
    await import('node:fs').then((fs) => { fs.mkdirSync(logs); fs.mkdirSync(bad); });
    copyFileSync('test/fixtures/logs/aws-cloudtrail/lookup-events.json', join(logs, 'lookup-events.json'));
    writeFileSync(join(bad, 'trail_CloudTrail_x.json'), JSON.stringify({ Records: [{ eventTime: 'not a time', eventSource: 's3.amazonaws.com', eventName: 'GetObject', userIdentity: {} }] }));
    const run = await runCli(['import', 'logs', logs, bad, '--graph', graph]);
    expect(run.code).not.toBe(0);
    expect(run.err).toContain('trail_CloudTrail_x.json $.Records[0].eventTime');
    expect(readFileSync(`${graph}.evidence`).equals(before)).toBe(true);
  });

  it('paths carries the report in JSON; respond as HTML shows the evidence per step and a timeline of the window', async () => {
    const paths = await runCli(['paths', 'Parley Chat', '--graph', 'datasets/demo', '--evidence', 'datasets/demo/logs', '--format', 'json']);
    expect(paths.code).toBe(0);
    const lateral = JSON.parse(paths.out) as { evidence: Report };
    expect(lateral.evidence.nodes.find((n) => n.id === AWS_KEY)?.status).toBe('observed');
    const html = await runCli(['respond', 'Parley Chat', '--graph', 'datasets/demo', '--evidence', 'datasets/demo/logs', '--since', '2026-11-21T12:00:00Z', '--at', '2026-11-22', '--format', 'html']);
    expect(html.code).toBe(0);
    expect(html.out).toContain('Timeline of the window');
    expect(html.out).toContain('aria-label="timeline of the window"');
    expect(html.out).toMatch(/evidence:<\/span> <b class="sev-high">OBSERVED 10 events/);
  });
});
