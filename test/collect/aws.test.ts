// `blastmap collect aws` against a real HTTP server on 127.0.0.1 that answers as IAM and STS do: the AWS Query
// protocol (form-encoded POST, `Action=...`, XML answers `<XResponse><XResult>` with lists as `<member>` items, policy
// documents URL-encoded, the credential report base64 in `Content`), paged by `IsTruncated` and `Marker`. Requests
// are signed by the real SDK with a test access key (Signature V4). The inventories answer as S3 (REST-XML),
// Secrets Manager (JSON 1.1), DynamoDB (JSON 1.0) and Lambda (REST-JSON) do. The records served are the project's AWS
// fixture account (test/fixtures/aws/corvid-prod, written after the IAM API reference's examples); the faults are a
// 429 with Retry-After, a 503 then success, a 400 Throttling then success, a 403 AccessDenied and a malformed page.
// What is collected must import into the graph of that folder imported directly, less what the failed calls miss.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startApiServer, type ApiServer, type Recorded, type Served } from '../helpers/api-server.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';
import { filesUnder, fixtureGraph, jsonFiles, workspaceGraph } from '../helpers/collected.ts';
import { FAKE_GITHUB_TOKEN } from '../helpers/fake-secrets.ts';

const FIXTURE = join(REPO, 'test/fixtures/aws/corvid-prod');
const ACCOUNT = '111122223333';
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE'; // AWS's documented example key id: fake
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/collectTestSecretKey01'; // the test's secret access key: must reach no file
const PLANTED = FAKE_GITHUB_TOKEN; // a token pasted into a user's tag
const id = (rest: string): string => `aws:${ACCOUNT}:${rest}`;

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const POLICY_DOCUMENTS = new Set(['PolicyDocument', 'AssumeRolePolicyDocument', 'Document']);
const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A value as the Query protocol's XML: lists as <member> items, policy documents URL-encoded JSON. */
function xml(name: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return `<${name}>${value.map((item) => xml('member', item)).join('')}</${name}>`;
  if (typeof value === 'object') {
    if (POLICY_DOCUMENTS.has(name)) return `<${name}>${escapeXml(encodeURIComponent(JSON.stringify(value)))}</${name}>`;
    return `<${name}>${Object.entries(value).map(([key, item]) => xml(key, item)).join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}
const answer = (action: string, result: unknown, ns = IAM_NS): Served => ({
  headers: { 'content-type': 'text/xml' },
  raw: `<${action}Response xmlns="${ns}">${xml(`${action}Result`, result)}<ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></${action}Response>`,
});
const awsError = (status: number, code: string, message: string, headers: Record<string, string> = {}): Served => ({
  status,
  headers: { 'content-type': 'text/xml', ...headers },
  raw: `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ErrorResponse>`,
});

type Rec = Record<string, unknown>;

/** ListSecrets and ListTables answers after the Secrets Manager and DynamoDB API reference examples. */
const SECRETS: Rec[] = [
  { ARN: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/parley/bot-token-a1b2c3`, Name: 'prod/parley/bot-token', Description: 'Parley bot token', LastChangedDate: 1.523477145729E9, SecretVersionsToStages: { 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111': ['AWSCURRENT'] } },
  { ARN: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/db/customer-data-d4e5f6`, Name: 'prod/db/customer-data', LastChangedDate: 1.523477145729E9, SecretVersionsToStages: { 'a1b2c3d4-5678-90ab-cdef-EXAMPLE22222': ['AWSCURRENT'] } },
];
const TABLES = ['Forum', 'ProductCatalog', 'Reply', 'Thread'];

/** IAM and STS over the fixture account; `faults` are answered first, per action (or `Action:UserName`). */
function iamHandler(records: Map<string, unknown>, faults: Map<string, Served[]>) {
  const gaad = [records.get('iam/account-authorization-details-1') as Rec, records.get('iam/account-authorization-details-2') as Rec];
  const users = gaad.flatMap((page) => (page.UserDetailList as Rec[] | undefined) ?? []);
  const keys = new Map<string, Rec[]>();
  const lastUsed = new Map<string, Rec>();
  for (const [path, value] of records) {
    if (path.startsWith('access-keys/')) {
      const listed = Array.isArray(value) ? value as Rec[] : (value as Rec).AccessKey ? [(value as Rec).AccessKey as Rec] : (value as Rec).AccessKeyMetadata as Rec[];
      for (const key of listed) {
        keys.set(String(key.UserName), [...(keys.get(String(key.UserName)) ?? []), { UserName: key.UserName, AccessKeyId: key.AccessKeyId, Status: key.Status, CreateDate: key.CreateDate }]);
        if (key.AccessKeyLastUsed) lastUsed.set(String(key.AccessKeyId), { UserName: key.UserName, AccessKeyLastUsed: key.AccessKeyLastUsed });
      }
    }
    if (path.startsWith('access-key-last-used/')) lastUsed.set(path.slice('access-key-last-used/'.length), value as Rec);
  }
  const report = readFileSync(join(FIXTURE, 'credential-report.csv'), 'utf8');
  const buckets = (records.get('inventory/buckets') as { Buckets: Rec[] }).Buckets;
  const functions = (records.get('inventory/functions') as { Functions: Rec[] }).Functions;
  let generated = 0;
  return (url: URL, request: Recorded): Served | undefined => {
    // Secrets Manager (JSON 1.1) and DynamoDB (JSON 1.0): POST / with X-Amz-Target, JSON both ways.
    const target = request.headers['x-amz-target'];
    // The region the request was signed for (Signature V4's credential scope): other regions hold nothing here.
    const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(request.headers.authorization))?.[1];
    if (typeof target === 'string' && region !== 'us-east-1') return { headers: { 'content-type': 'application/x-amz-json-1.1' }, body: target.startsWith('DynamoDB') ? { TableNames: [] } : { SecretList: [] } };
    if (request.method === 'GET' && url.pathname.startsWith('/2015-03-31/functions') && region !== 'us-east-1') return { body: { Functions: [] } };
    if (typeof target === 'string') {
      const input = JSON.parse(request.body || '{}') as Rec;
      const fault = faults.get(target)?.shift();
      if (fault) return fault;
      if (target === 'secretsmanager.ListSecrets') {
        const at = Number(input.NextToken ?? 0);
        return { headers: { 'content-type': 'application/x-amz-json-1.1' }, body: { SecretList: SECRETS.slice(at, at + 1), ...(at + 1 < SECRETS.length ? { NextToken: String(at + 1) } : {}) } };
      }
      if (target === 'DynamoDB_20120810.ListTables') {
        const at = input.ExclusiveStartTableName ? TABLES.indexOf(String(input.ExclusiveStartTableName)) + 1 : 0;
        const page = TABLES.slice(at, at + 2);
        return { headers: { 'content-type': 'application/x-amz-json-1.0' }, body: { TableNames: page, ...(at + 2 < TABLES.length ? { LastEvaluatedTableName: page.at(-1) } : {}) } };
      }
      return { status: 400, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: { __type: 'UnknownOperationException' } };
    }
    // Lambda (REST-JSON): GET /2015-03-31/functions/.
    if (request.method === 'GET' && url.pathname.replace(/\/$/, '') === '/2015-03-31/functions') {
      return { body: { Functions: functions.map((f) => ({ ...f, Environment: { Variables: { EXPORT_TOKEN: 'not-a-secret-shape-but-still-dropped' } } })) } };
    }
    // S3 (REST-XML): GET / lists the buckets.
    if (request.method === 'GET' && url.pathname === '/') {
      const list = buckets.map((b) => `<Bucket><Name>${b.Name}</Name><CreationDate>${b.CreationDate}</CreationDate></Bucket>`).join('');
      return { headers: { 'content-type': 'application/xml' }, raw: `<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>bcaf1ffd86f461ca5fb16fd081034f</ID></Owner><Buckets>${list}</Buckets></ListAllMyBucketsResult>` };
    }
    const form = new URLSearchParams(request.body);
    const action = form.get('Action') ?? '';
    const fault = faults.get(`${action}:${form.get('UserName') ?? ''}`)?.shift() ?? faults.get(action)?.shift();
    if (fault) return fault;
    switch (action) {
      case 'GetCallerIdentity':
        return answer(action, { Arn: `arn:aws:iam::${ACCOUNT}:user/blastmap-reader`, UserId: 'AIDAEXAMPLEREADER001', Account: ACCOUNT }, 'https://sts.amazonaws.com/doc/2011-06-15/');
      case 'GetAccountAuthorizationDetails':
        return answer(action, form.get('Marker') === 'page-2' ? gaad[1] : { ...gaad[0], IsTruncated: true, Marker: 'page-2' });
      case 'ListUsers': {
        const at = Number(form.get('Marker') ?? 0);
        const page = users.slice(at, at + 3).map((u) => ({ Path: u.Path, UserName: u.UserName, UserId: u.UserId, Arn: u.Arn, CreateDate: u.CreateDate }));
        return answer(action, { Users: page, IsTruncated: at + 3 < users.length, ...(at + 3 < users.length ? { Marker: String(at + 3) } : {}) });
      }
      case 'ListAccessKeys':
        if (!users.some((u) => u.UserName === form.get('UserName'))) return awsError(404, 'NoSuchEntity', `The user with name ${form.get('UserName')} cannot be found.`);
        return answer(action, { AccessKeyMetadata: keys.get(form.get('UserName')!) ?? [], IsTruncated: false });
      case 'GetAccessKeyLastUsed': {
        const key = form.get('AccessKeyId')!;
        const owner = [...keys.values()].flat().find((k) => k.AccessKeyId === key);
        return answer(action, lastUsed.get(key) ?? { UserName: owner?.UserName, AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
      }
      case 'GenerateCredentialReport':
        return answer(action, { State: ++generated === 1 ? 'STARTED' : 'COMPLETE', Description: 'No report exists. Starting a new report generation task' });
      case 'GetCredentialReport':
        return answer(action, { Content: Buffer.from(report).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2026-11-02T08:00:00Z' });
      default:
        return awsError(400, 'InvalidAction', `Could not find operation ${action}`);
    }
  };
}

describe('blastmap collect aws', () => {
  let server: ApiServer;
  let faults: Map<string, Served[]>;
  let ws: string;

  beforeEach(async () => {
    const records = jsonFiles(FIXTURE);
    const first = records.get('iam/account-authorization-details-1') as { UserDetailList: Rec[] };
    first.UserDetailList[0]!.Tags = [{ Key: 'note', Value: `ci token ${PLANTED}` }];
    faults = new Map();
    server = await startApiServer(iamHandler(records, faults));
    ws = tempDir('blastmap-collect-aws-');
    vi.stubEnv('AWS_ACCESS_KEY_ID', KEY_ID);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', SECRET_KEY);
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    vi.stubEnv('AWS_PROFILE', '');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true'); // the chain must never look for an instance role
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
    rmSync(ws, { recursive: true, force: true });
  });

  it('pages by Marker, waits out a 429, retries a 503 and a 400 Throttling, reports a 403 and a malformed page, and imports into the fixture\'s graph', async () => {
    faults.set('GetAccountAuthorizationDetails', [awsError(429, 'Throttling', 'Rate exceeded', { 'retry-after': '1' })]);
    faults.set('ListUsers', [awsError(503, 'ServiceUnavailable', 'Service is unable to handle request.')]);
    faults.set('ListAccessKeys:alice', [awsError(400, 'Throttling', 'Rate exceeded')]);
    faults.set('GenerateCredentialReport', [awsError(403, 'AccessDenied', `User: arn:aws:iam::${ACCOUNT}:user/blastmap-reader is not authorized to perform: iam:GenerateCredentialReport on resource: *`)]);
    faults.set('ListAccessKeys:deploy-bot', [{ headers: { 'content-type': 'text/html' }, raw: '<html><body><h1>502 Bad Gateway</h1><p>proxy error' }]);

    const run = await runCli(['collect', 'aws', '--out', ws, '--endpoint', server.url, '--import']);
    expect(run.err).not.toContain('internal error');
    expect(run.code).toBe(0);

    const actions = server.requests.map((r) => `${new URLSearchParams(r.body).get('Action')}:${new URLSearchParams(r.body).get('UserName') ?? ''}`);
    expect(actions.filter((a) => a === 'GetAccountAuthorizationDetails:')).toHaveLength(3); // the 429, then two pages
    expect(actions.filter((a) => a === 'ListUsers:')).toHaveLength(4); // the 503, then three pages of three
    expect(actions.filter((a) => a === 'ListAccessKeys:alice')).toHaveLength(2);
    expect(actions.filter((a) => a === 'GenerateCredentialReport:')).toHaveLength(1);
    expect(actions.filter((a) => a === 'ListAccessKeys:deploy-bot')).toHaveLength(1);
    expect(run.out).toContain('waited out 1 rate limit and retried 2 transient failures');
    expect(run.out).toMatch(/credential-report: HTTP 403: AccessDenied: User: .* is not authorized to perform: iam:GenerateCredentialReport.*\(needs iam:GenerateCredentialReport, iam:GetCredentialReport\)/);
    expect(run.out).toMatch(/access-keys\/deploy-bot: ListAccessKeys deploy-bot page 1: the answer could not be read/);
    expect(run.out).toContain('2 failed');
    // Every request was signed by the SDK with the test key; the secret key went nowhere.
    expect(server.requests.every((r) => String(r.headers.authorization).startsWith(`AWS4-HMAC-SHA256 Credential=${KEY_ID}/`))).toBe(true);
    expect(server.requests.some((r) => JSON.stringify(r).includes(SECRET_KEY))).toBe(false);

    const folder = join(ws, 'exports/aws', ACCOUNT);
    const written = filesUnder(folder);
    expect(written).toEqual(expect.arrayContaining(['account-authorization-details.json', 'account-authorization-details-2.json', 'access-keys/svc-data-export.json', 'access-key-last-used/AKIAIOSFODNN7EXAMPLE.json']));
    expect(written).not.toContain('access-keys/deploy-bot.json');
    expect(written).toEqual(expect.arrayContaining(['buckets.json', 'regions/us-east-1/secrets.json', 'regions/us-east-1/secrets-2.json', 'regions/us-east-1/tables.json', 'regions/us-east-1/tables-2.json', 'regions/us-east-1/functions.json']));
    // A function's environment variables are not written.
    expect(readFileSync(join(folder, 'regions/us-east-1/functions.json'), 'utf8')).not.toContain('EXPORT_TOKEN');
    expect(written.some((f) => f.startsWith('credential-report'))).toBe(false);
    for (const file of [...written.map((f) => join(folder, f)), join(ws, 'collect-state.json')]) {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(SECRET_KEY);
      expect(text).not.toContain(PLANTED);
    }
    expect(readFileSync(join(folder, 'account-authorization-details.json'), 'utf8')).toMatch(/"Value": "ci token \[REDACTED[^"]*\]"/);
    expect(run.out + run.err).not.toContain(SECRET_KEY);
    // Policy documents are saved as the Query API returns them (URL-encoded JSON), which the importer decodes.
    const page2 = JSON.parse(readFileSync(join(folder, 'account-authorization-details-2.json'), 'utf8')) as { RoleDetailList: { AssumeRolePolicyDocument: unknown }[] };
    expect(typeof page2.RoleDetailList[0]!.AssumeRolePolicyDocument).toBe('string');

    const expected = fixtureGraph(FIXTURE, 'aws', ACCOUNT, (copy) => {
      for (const gone of ['credential-report.csv', 'access-keys/deploy-bot.json']) rmSync(join(copy, gone), { recursive: true });
      writeFileSync(join(copy, 'inventory/secrets.json'), JSON.stringify({ SecretList: SECRETS.map((x) => ({ ...x, LastChangedDate: new Date(Number(x.LastChangedDate) * 1000).toISOString() })) }));
      writeFileSync(join(copy, 'inventory/tables.json'), JSON.stringify({ TableNames: TABLES }));
      const path = join(copy, 'iam/account-authorization-details-1.json');
      const first = JSON.parse(readFileSync(path, 'utf8')) as { UserDetailList: Rec[] };
      first.UserDetailList[0]!.Tags = [{ Key: 'note', Value: `ci token ${PLANTED}` }];
      writeFileSync(path, JSON.stringify(first));
    });
    const collected = workspaceGraph(ws);
    expect(collected.nodes).toEqual(expected.nodes);
    expect(collected.edges).toEqual(expected.edges);
    // Named handles: svc-data-export's active key authenticates as it and reads the customer-data bucket.
    expect(collected.edges.some((e) => e.startsWith(`AUTHENTICATES_AS ${id('credential:access-key/')}`) && e.endsWith(id('identity:user/svc-data-export')))).toBe(true);
    expect(collected.edges).toContain(`CAN_READ ${id('identity:user/svc-data-export')} -> ${id('resource:s3/corvid-prod-customer-data')}`);
    // The inventories name what no policy spells out: the secrets, tables and the function's execution role.
    expect(collected.nodes).toEqual(expect.arrayContaining([id('resource:secretsmanager/prod/parley/bot-token'), id('resource:dynamodb/ProductCatalog'), id('resource:lambda/nightly-export')]));
  });

  it('waits for the credential report to be generated and saves it as the importer reads it', async () => {
    const run = await runCli(['collect', 'aws', '--out', ws, '--endpoint', server.url]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('0 failed');
    const actions = server.requests.map((r) => new URLSearchParams(r.body).get('Action'));
    expect(actions.filter((a) => a === 'GenerateCredentialReport')).toHaveLength(2); // STARTED, then COMPLETE
    const saved = JSON.parse(readFileSync(join(ws, 'exports/aws', ACCOUNT, 'credential-report.json'), 'utf8')) as { Content: string };
    expect(saved.Content.split('\n')[0]).toMatch(/^user,arn,user_creation_time,password_enabled/);
    const graph = workspaceGraph(ws);
    expect(graph.edges.some((e) => e.startsWith(`AUTHENTICATES_AS ${id('credential:user/alice/password')}`))).toBe(true);
    expect(graph.edges).toContain(`CAN_ADMIN ${id('identity:root')} -> ${id('platform:account')}`);
  });

  it('lists the regional inventories of every region of BLASTMAP_AWS_REGIONS, each request signed for its region', async () => {
    vi.stubEnv('BLASTMAP_AWS_REGIONS', 'us-east-1, eu-west-1');
    const run = await runCli(['collect', 'aws', '--out', ws, '--endpoint', server.url, '--format', 'json']);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.out) as { ok: string[] };
    expect(summary.ok).toEqual(expect.arrayContaining(['buckets', 'regions/us-east-1/secrets', 'regions/eu-west-1/secrets', 'regions/eu-west-1/tables', 'regions/eu-west-1/functions']));
    const written = filesUnder(join(ws, 'exports/aws', ACCOUNT));
    expect(written.filter((f) => f.startsWith('regions/eu-west-1/'))).toEqual(['regions/eu-west-1/functions.json', 'regions/eu-west-1/secrets.json', 'regions/eu-west-1/tables.json']);
    const scopes = server.requests.filter((r) => r.headers['x-amz-target'] === 'DynamoDB_20120810.ListTables').map((r) => /\/\d{8}\/([^/]+)\/dynamodb\//.exec(String(r.headers.authorization))?.[1]);
    expect([...new Set(scopes)].sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(workspaceGraph(ws).nodes).toContain(id('resource:dynamodb/Thread'));

    vi.stubEnv('BLASTMAP_AWS_REGIONS', 'us-east-1,mars-1');
    const before = server.requests.length;
    const wrong = await runCli(['collect', 'aws', '--out', ws, '--endpoint', server.url]);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('"mars-1" is not a region name');
    expect(server.requests.length).toBe(before);
  });

  it('fails with the chain\'s reason when there are no credentials, and writes nothing', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    vi.stubEnv('AWS_CONFIG_FILE', join(ws, 'no-config'));
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(ws, 'no-credentials'));
    vi.stubEnv('AWS_WEB_IDENTITY_TOKEN_FILE', '');
    vi.stubEnv('AWS_CONTAINER_CREDENTIALS_FULL_URI', '');
    vi.stubEnv('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', '');
    const run = await runCli(['collect', 'aws', '--out', ws, '--endpoint', server.url]);
    expect(run.code).toBe(2);
    expect(run.err).toContain('sts:GetCallerIdentity failed');
    expect(server.requests).toHaveLength(0);
  });
});
