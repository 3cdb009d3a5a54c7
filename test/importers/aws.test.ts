// The AWS IAM importer: GetAccountAuthorizationDetails exports (the shared cloudsplaining corpus and a hand-made
// account), access keys, the credential report and trust policies become principals, credentials and access levels
// whose blast radius is known by construction. Fixture shapes follow the IAM API reference pages
// GetAccountAuthorizationDetails (UserDetail, GroupDetail, RoleDetail, ManagedPolicyDetail, PolicyVersion with
// URL-encoded documents), ListAccessKeys (AccessKeyMetadata), GetAccessKeyLastUsed (AccessKeyLastUsed),
// CreateAccessKey (AccessKey), GetCredentialReport and the IAM User Guide's "Getting credential reports" column
// list; trust policies follow the IAM User Guide's OIDC (GitHub Actions), SAML 2.0 and cross-account examples.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reach } from '../../engine/analysis/reach.ts';
import { edgeSchema, nodeSchema, type Fragment, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';
import { finishFragment } from '../../engine/format/validate.ts';
import { LEVEL_CODE } from '../../engine/schema/index.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { buildGraph, toFragment } from '../../engine/store/compact.ts';
import { readRawFiles } from '../../cli/commands/import.ts';
import type { ImporterOptions, ImporterResult } from '../../importers/common/importer.ts';
import type { RawFile } from '../../importers/common/records.ts';
import { scopeCatalogSchema } from '../../importers/common/scopes.ts';
import { AWS_SERVICES, DEFAULT_CATALOGUE, serviceCatalogSchema } from '../../importers/aws/catalog.ts';
import { accessKeyFingerprint, accessKeyHint, sha256Hex } from '../../importers/aws/fingerprint.ts';
import { awsImporter } from '../../importers/aws/index.ts';
import {
  FRESH, PolicyWorld, classifyArn, decide, decodePolicyDocument, emitGrants, evaluateTargets, globMatch, instantiate, reachOf, statementsOf,
  type Statement,
} from '../../importers/aws/policy.ts';
import { findImporter } from '../../importers/registry.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';

const CORPUS = resolve(REPO, '../shared/corpus/aws');
const FIXTURE = join(REPO, 'test/fixtures/aws');
const ACCOUNT = '111122223333';
const CORPUS_ACCOUNT = '012345678901';
const aws = (account: string) => (kind: string, native: string) => `aws:${account}:${kind}:${native}`;
const prod = aws(ACCOUNT);
const user = (name: string) => prod('identity', `user/${name}`);
const role = (name: string) => prod('identity', `role/${name}`);
const bucket = (name: string) => prod('resource', `s3/${name}`);
const PLATFORM = prod('platform', 'account');
const ALL_BUCKETS = prod('resource', 's3/*');
const ADMIN_POLICY = prod('role', 'aws-policy/AdministratorAccess');
const keyId = (accessKeyId: string) => prod('credential', `access-key/${accessKeyFingerprint(accessKeyId).slice(7)}`);
const LEAKED_KEY = 'AKIAIOSFODNN7EXAMPLE';

const run = (files: readonly RawFile[], options: ImporterOptions = {}): ImporterResult => awsImporter.transform(files, options);
function imported(files: readonly RawFile[], options: ImporterOptions = {}) {
  const result = run(files, options);
  if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.issues, null, 2)}`);
  return result;
}
const prodFiles = (): RawFile[] => readRawFiles([join(FIXTURE, 'corvid-prod')]);
const prodImport = () => imported(prodFiles());
const corpusFile = (name: string): RawFile => ({ path: name, text: readFileSync(join(CORPUS, name), 'utf8') });

const node = (fragment: Fragment, id: string): GraphNode => {
  const found = fragment.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
};
const edges = (fragment: Fragment, filter: Partial<Pick<GraphEdge, 'kind' | 'from' | 'to'>>): GraphEdge[] =>
  fragment.edges.filter((e) => (filter.kind === undefined || e.kind === filter.kind) && (filter.from === undefined || e.from === filter.from) && (filter.to === undefined || e.to === filter.to));
const edgeKeys = (fragment: Fragment, filter: Partial<Pick<GraphEdge, 'kind' | 'from' | 'to'>>): string[] =>
  edges(fragment, filter).map((e) => `${e.kind} ${e.from} -> ${e.to}`).sort();

/** Levels a source reaches on every node (engine traversal, conditions not enforced). */
function reachedLevels(fragment: Fragment, source: string, options: { enforceConditions?: string[] } = {}): Map<string, string> {
  const graph = buildGraph(structuredClone(fragment));
  const index = graph.indexOf.get(source);
  if (index === undefined) throw new Error(`no node ${source}`);
  const result = reach(graph, [index], { at: '2026-11-01T00:00:00Z', ...options });
  const out = new Map<string, string>();
  result.level.forEach((level, i) => { if (level > 0) out.set(graph.nodes[i]!.id, ['', 'read', 'write', 'admin'][level]!); });
  return out;
}

/** A one-file export of one account: users, groups, roles and managed policies as the CLI prints them. */
function gaad(parts: { users?: object[]; groups?: object[]; roles?: object[]; policies?: object[] }, account = ACCOUNT): RawFile {
  return { path: `account-authorization-details-${account}.json`, text: JSON.stringify({ UserDetailList: parts.users ?? [], GroupDetailList: parts.groups ?? [], RoleDetailList: parts.roles ?? [], Policies: parts.policies ?? [] }) };
}
const doc = (...statements: object[]) => ({ Version: '2012-10-17', Statement: statements });
const iamUser = (name: string, extra: object = {}, account = ACCOUNT) => ({ UserName: name, UserId: `AIDA${name.toUpperCase()}`, Arn: `arn:aws:iam::${account}:user/${name}`, Path: '/', CreateDate: '2024-01-01T00:00:00Z', GroupList: [], AttachedManagedPolicies: [], UserPolicyList: [], ...extra });
const iamRole = (name: string, trust: object, extra: object = {}) => ({ RoleName: name, RoleId: `AROA${name.toUpperCase()}`, Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, Path: '/', AssumeRolePolicyDocument: trust, RolePolicyList: [], AttachedManagedPolicies: [], RoleLastUsed: {}, ...extra });
const inline = (name: string, ...statements: object[]) => ({ PolicyName: name, PolicyDocument: doc(...statements) });
const lambdaTrust = doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' });

describe('the AWS importer is registered', () => {
  it('answers to `blastmap import aws`', () => {
    expect(findImporter('aws')).toBe(awsImporter);
  });
});

describe('the shared corpus (cloudsplaining GetAccountAuthorizationDetails samples)', () => {
  const c = aws(CORPUS_ACCOUNT);

  it('the small sample: a group member holding AdministratorAccess administers the account, and dates with a space are read', () => {
    const { fragment, report } = imported([corpusFile('get-account-authorization-details.small.json')]);
    expect(report.records).toEqual({ users: 1, groups: 1, roles: 2, policies: 3 });
    expect(node(fragment, c('identity', 'user/BlakeBortles'))).toMatchObject({ kind: 'Identity', subtype: 'service', properties: { createDate: '2019-12-18T19:10:08.000Z', groups: ['GOATGroup'] } });
    expect(edgeKeys(fragment, { from: c('identity', 'user/BlakeBortles') })).toEqual([`MEMBER_OF ${c('identity', 'user/BlakeBortles')} -> ${c('group', 'GOATGroup')}`]);
    expect(edgeKeys(fragment, { from: c('group', 'GOATGroup') })).toEqual([
      `HAS_ROLE ${c('group', 'GOATGroup')} -> ${c('role', 'aws-policy/AdministratorAccess')}`,
      `HAS_ROLE ${c('group', 'GOATGroup')} -> ${c('role', 'policy/NotYourPolicy')}`,
    ]);
    expect(edges(fragment, { from: c('role', 'aws-policy/AdministratorAccess') })).toMatchObject([{ kind: 'CAN_ADMIN', to: c('platform', 'account'), scopes: ['*'] }]);
    const levels = reachedLevels(fragment, c('identity', 'user/BlakeBortles'));
    expect(levels.get(c('platform', 'account'))).toBe('admin');
    expect(levels.get(c('resource', 's3/mybucket'))).toBe('admin');
    expect(levels.get(c('identity', 'role/MyOtherRole'))).toBe('admin');
  });

  it('the small sample: a role with s3:PutObject and s3:GetObject on * writes every bucket; a named bucket sits in the all-buckets node', () => {
    const { fragment } = imported([corpusFile('get-account-authorization-details.small.json')]);
    expect(edgeKeys(fragment, { from: c('identity', 'role/MyOtherRole') })).toEqual([`CAN_WRITE ${c('identity', 'role/MyOtherRole')} -> ${c('resource', 's3/*')}`]);
    expect(edgeKeys(fragment, { to: c('resource', 's3/mybucket') })).toEqual([`CONTAINS ${c('resource', 's3/*')} -> ${c('resource', 's3/mybucket')}`]);
    expect(reachedLevels(fragment, c('identity', 'role/MyOtherRole')).get(c('resource', 's3/mybucket'))).toBe('write');
    // PolicyForTestingOverrides: s3:CreateBucket on mybucket (write) is implied by PutObject on * (write).
    expect(edgeKeys(fragment, { from: c('role', 'policy/PolicyForTestingOverrides') })).toEqual([`CAN_WRITE ${c('role', 'policy/PolicyForTestingOverrides')} -> ${c('resource', 's3/*')}`]);
  });

  it('the cloudsplaining test sample: iam:CreateAccessKey on * takes over every user; GetSecretValue on * reads every secret', () => {
    const { fragment, report } = imported([corpusFile('get-account-authorization-details.cloudsplaining-test.json')]);
    expect(report.records).toEqual({ users: 3, groups: 2, roles: 3, policies: 32 });
    const ec2 = c('identity', 'role/OverprivilegedEC2');
    expect(edgeKeys(fragment, { from: ec2, kind: 'CAN_ADD_CREDENTIAL' })).toEqual(['biden', 'obama', 'userwithlotsofpermissions'].map((u) => `CAN_ADD_CREDENTIAL ${ec2} -> ${c('identity', `user/${u}`)}`));
    expect(edges(fragment, { from: ec2, kind: 'CAN_READ' })).toMatchObject([{ to: c('resource', 'secretsmanager/*'), scopes: ['secretsmanager:GetSecretValue'] }]);
    // Taking over obama (AdministratorAccess) makes the EC2 role an administrator, two hops away.
    expect(reachedLevels(fragment, ec2).get(c('platform', 'account'))).toBe('admin');
    expect(node(fragment, ec2)).toMatchObject({ subtype: 'workload', lastUsedAt: '2019-01-20T18:48:00.000Z', properties: { trustedServices: ['ec2.amazonaws.com'], instanceProfiles: ['OverprivilegedEC2'] } });
  });

  it('the cloudsplaining test sample: managed policies are shared Role nodes, AWS-managed and customer-managed ids kept apart', () => {
    const { fragment } = imported([corpusFile('get-account-authorization-details.cloudsplaining-test.json')]);
    expect(fragment.nodes.filter((n) => n.kind === 'Role').map((n) => n.id).sort()).toEqual([
      c('role', 'aws-policy/AWSLambdaFullAccess'), c('role', 'aws-policy/AdministratorAccess'), c('role', 'aws-policy/AmazonRDSFullAccess'), c('role', 'policy/InsecurePolicy'),
    ].sort());
    expect(edgeKeys(fragment, { to: c('role', 'aws-policy/AdministratorAccess') })).toEqual([
      `HAS_ROLE ${c('group', 'admin')} -> ${c('role', 'aws-policy/AdministratorAccess')}`,
      `HAS_ROLE ${c('identity', 'user/obama')} -> ${c('role', 'aws-policy/AdministratorAccess')}`,
    ]);
    // s3:PutObjectAcl changes who may read: a permissions-management action, so admin on the buckets.
    expect(edgeKeys(fragment, { from: c('group', 'biden'), kind: 'CAN_ADMIN' })).toEqual([`CAN_ADMIN ${c('group', 'biden')} -> ${c('resource', 's3/*')}`]);
    expect(reachedLevels(fragment, c('identity', 'user/biden')).get(c('resource', 'rds/*'))).toBe('admin');
  });

  it('every node and edge of both samples is valid native format and assembles', () => {
    for (const name of ['get-account-authorization-details.small.json', 'get-account-authorization-details.cloudsplaining-test.json']) {
      const { fragment } = imported([corpusFile(name)]);
      for (const n of fragment.nodes) expect(nodeSchema().safeParse(n).success, n.id).toBe(true);
      for (const e of fragment.edges) expect(edgeSchema().safeParse(e).success, `${e.kind} ${e.from} ${e.to}`).toBe(true);
      const finished = finishFragment(structuredClone(fragment), { nodePaths: fragment.nodes.map((n) => n.id), edgePaths: fragment.edges.map((e) => e.to) });
      expect(finished.ok).toBe(true);
      if (finished.ok) expect(finished.value.redactions).toBe(0);
      if (finished.ok) expect(() => assembleGraph([finished.value])).not.toThrow();
    }
  });
});

describe('identity policies evaluated to levels (corvid-prod fixture)', () => {
  it('a user with s3:GetObject and ListBucket on a named bucket reads it; its writable bucket is written; a denied bucket is not reached', () => {
    const { fragment } = prodImport();
    const from = user('svc-data-export');
    expect(edgeKeys(fragment, { from })).toEqual([
      `CAN_READ ${from} -> ${bucket('corvid-prod-customer-data')}`,
      `CAN_WRITE ${from} -> ${bucket('corvid-prod-exports')}`,
    ]);
    const read = edges(fragment, { from, to: bucket('corvid-prod-customer-data') })[0]!;
    expect(read).toMatchObject({ scopes: ['s3:GetObject', 's3:ListBucket'], properties: { policies: ['data-export-s3'] } });
    expect(read.reason).toContain('data-export-s3');
    expect(reachedLevels(fragment, from).has(bucket('corvid-terraform-state'))).toBe(false);
  });

  it('a role with s3:GetObject on one named bucket has CAN_READ on it and nothing else', () => {
    const files = [gaad({ roles: [iamRole('reader', lambdaTrust, { RolePolicyList: [inline('read-one', { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' })] })] })];
    const { fragment } = imported(files);
    expect(edgeKeys(fragment, { from: role('reader') })).toEqual([`CAN_READ ${role('reader')} -> ${bucket('reports')}`]);
  });

  it('s3:GetObject on the bucket ARN itself (not its objects) grants nothing, as in AWS', () => {
    const files = [gaad({ roles: [iamRole('mistaken', lambdaTrust, { RolePolicyList: [inline('typo', { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports' })] })] })];
    expect(edges(imported(files).fragment, { from: role('mistaken') })).toEqual([]);
  });

  it('a wildcard bucket pattern reaches every named bucket it matches, each with its own edge, and not the all-buckets node', () => {
    const { fragment } = prodImport();
    const from = role('github-actions-deploy');
    expect(edgeKeys(fragment, { from })).toEqual(['corvid-prod-backups', 'corvid-prod-customer-data', 'corvid-prod-exports'].map((b) => `CAN_WRITE ${from} -> ${bucket(b)}`));
    expect(reachedLevels(fragment, from).has(bucket('corvid-terraform-state'))).toBe(false);
  });

  it('a Deny that carves one bucket out of a wildcard grant keeps the grant off the all-buckets node and on every other bucket', () => {
    const { fragment } = prodImport();
    const policy = prod('role', 'policy/audit-read');
    expect(edgeKeys(fragment, { from: policy })).toEqual(['corvid-prod-backups', 'corvid-prod-exports', 'corvid-public-assets', 'corvid-terraform-state'].map((b) => `CAN_READ ${policy} -> ${bucket(b)}`));
    const levels = reachedLevels(fragment, user('auditor'));
    expect(levels.has(bucket('corvid-prod-customer-data'))).toBe(false);
    expect(levels.has(ALL_BUCKETS)).toBe(false);
    expect(edgeKeys(fragment, { from: user('auditor') })).toEqual([`HAS_ROLE ${user('auditor')} -> ${policy}`]);
  });

  it('only the default version of a managed policy counts', () => {
    const { fragment } = prodImport();
    // backup-writer v1 (not default) allowed s3:* on *; v2 (default) writes one bucket.
    expect(edgeKeys(fragment, { from: prod('role', 'policy/backup-writer') })).toEqual([`CAN_WRITE ${prod('role', 'policy/backup-writer')} -> ${bucket('corvid-prod-backups')}`]);
    expect(reachedLevels(fragment, user('svc-legacy-backup')).get(bucket('corvid-prod-backups'))).toBe('write');
  });

  it('a permissions boundary caps a principal whose own policy allows everything', () => {
    const { fragment } = prodImport();
    const from = user('contractor');
    expect(edgeKeys(fragment, { from })).toEqual([`CAN_READ ${from} -> ${bucket('corvid-prod-exports')}`]);
    expect(edges(fragment, { from })[0]!.reason).toContain('within the permissions boundary contractor-boundary');
    expect(reachedLevels(fragment, from).has(PLATFORM)).toBe(false);
  });

  it('an Allow conditioned on MFA is kept with its control, and enforcing mfa blocks it', () => {
    const { fragment } = prodImport();
    const from = user('ops-oncall');
    const secrets = prod('resource', 'secretsmanager/*');
    expect(edges(fragment, { from, to: secrets })).toMatchObject([{ kind: 'CAN_READ', conditions: ['aws-condition', 'mfa'] }]);
    expect(reachedLevels(fragment, from).get(secrets)).toBe('admin'); // through admin-role, which ops-oncall may assume
    const onlySecrets = imported([gaad({ users: [iamUser('oncall', { UserPolicyList: [inline('oncall', { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })] })] })]).fragment;
    expect(reachedLevels(onlySecrets, user('oncall')).get(secrets)).toBe('read');
    expect(reachedLevels(onlySecrets, user('oncall'), { enforceConditions: ['mfa'] }).has(secrets)).toBe(false);
  });

  it('a Secrets Manager ARN with the -?????? suffix names the secret', () => {
    const { fragment } = prodImport();
    expect(node(fragment, prod('resource', 'secretsmanager/prod/db'))).toMatchObject({ name: 'Secret prod/db', tags: ['secrets'], resourceType: 'secret-store' });
    expect(edgeKeys(fragment, { from: role('lambda-exporter') })).toEqual([`CAN_READ ${role('lambda-exporter')} -> ${prod('resource', 'secretsmanager/prod/db')}`]);
  });

  it('secret-links.json says what a secret holds: the secret STORES_CREDENTIAL it (not a leak), read with GetSecretValue', () => {
    // aws secretsmanager list-secrets, in the shape of the Secrets Manager API reference's example.
    const secrets: RawFile = { path: 'secrets.json', text: JSON.stringify({ SecretList: [
      { ARN: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:prod/data/snowflake-svc-dbt-AbC123`, Name: 'prod/data/snowflake-svc-dbt', Description: 'dbt key pair', LastChangedDate: '2024-02-01T10:00:00Z', SecretVersionsToStages: { v1: ['AWSCURRENT'] } },
      { ARN: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:prod/github/deploy-token-Zz9Yy8`, Name: 'prod/github/deploy-token' },
    ] }) };
    const links: RawFile = { path: 'secret-links.json', text: JSON.stringify({
      'prod/data/snowflake-svc-dbt': 'snowflake:corvidlabs:credential:key-pair/SVC_DBT/RSA_PUBLIC_KEY',
      [`arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:prod/github/deploy-token-Zz9Yy8`]: 'github:Credential:classic-pat/161195',
    }) };
    const reader = gaad({ users: [iamUser('dbt-runner', { UserPolicyList: [inline('read', { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:prod/data/snowflake-svc-dbt-AbC123` })] })] });
    const { fragment, report } = imported([reader, secrets, links]);
    const snowflakeSecret = prod('resource', 'secretsmanager/prod/data/snowflake-svc-dbt');
    expect(edgeKeys(fragment, { kind: 'STORES_CREDENTIAL' })).toEqual([
      `STORES_CREDENTIAL ${snowflakeSecret} -> snowflake:*:credential:key-pair/svc_dbt/rsa_public_key`,
      `STORES_CREDENTIAL ${prod('resource', 'secretsmanager/prod/github/deploy-token')} -> github:*:credential:classic-pat/161195`,
    ]);
    expect(edgeKeys(fragment, { kind: 'CONTAINS_CREDENTIAL' })).toEqual([]);
    // A secret no policy names is still created inside the all-secrets node.
    expect(edgeKeys(fragment, { to: prod('resource', 'secretsmanager/prod/github/deploy-token'), kind: 'CONTAINS' })).toHaveLength(1);
    expect(report.records.secretLinks).toBe(2);
    const levels = reachedLevels(fragment, user('dbt-runner'));
    // The stubs (ids lower-cased) resolve to the credentials when Snowflake and GitHub are imported.
    expect([levels.get(snowflakeSecret), levels.get('snowflake:*:credential:key-pair/svc_dbt/rsa_public_key'), levels.get('github:*:credential:classic-pat/161195')]).toEqual(['read', 'admin', undefined]);

    const bad = run([reader, secrets, { path: 'secret-links.json', text: JSON.stringify({ 'prod/unknown': 'snowflake:Credential:x', 'prod/data/snowflake-svc-dbt': 'snowflake:Identity:user/SVC_DBT' }) }]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.issues.map((i) => `${i.file} ${i.path} ${i.message}`)).toEqual([
        'secret-links.json $["prod/data/snowflake-svc-dbt"] not a reference to a credential',
        'secret-links.json $["prod/unknown"] no such secret in the export',
      ]);
    }
  });

  it('buckets from list-buckets exist even when no policy names them, inside the all-buckets node', () => {
    const { fragment, report } = prodImport();
    expect(report.records.buckets).toBe(5);
    expect(node(fragment, bucket('corvid-public-assets'))).toMatchObject({ resourceType: 'bucket', properties: { arn: 'arn:aws:s3:::corvid-public-assets', inventoried: true } });
    expect(edgeKeys(fragment, { to: bucket('corvid-public-assets') })).toContain(`CONTAINS ${ALL_BUCKETS} -> ${bucket('corvid-public-assets')}`);
    expect(edgeKeys(fragment, { to: ALL_BUCKETS, kind: 'CONTAINS' })).toEqual([`CONTAINS ${PLATFORM} -> ${ALL_BUCKETS}`]);
  });

  it('URL-encoded documents (the raw API) and decoded ones (the CLI) give the same graph', () => {
    const files = prodFiles();
    const decoded = files.map((f) => {
      if (!f.path.includes('account-authorization-details')) return f;
      const walk = (value: unknown, key?: string): unknown => {
        if (typeof value === 'string' && (key === 'Document' || key === 'PolicyDocument' || key === 'AssumeRolePolicyDocument')) return JSON.parse(decodeURIComponent(value));
        if (Array.isArray(value)) return value.map((v) => walk(v));
        if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
        return value;
      };
      return { ...f, text: JSON.stringify(walk(JSON.parse(f.text))) };
    });
    expect(files.find((f) => f.path.endsWith('-2.json'))!.text).toContain('%22Statement%22');
    expect(imported(decoded).fragment).toEqual(prodImport().fragment);
  });
});

describe('administration and takeovers', () => {
  it('AdministratorAccess is one shared Role node administering the account; holders reach it through HAS_ROLE or their group', () => {
    const { fragment } = prodImport();
    expect(edges(fragment, { from: ADMIN_POLICY })).toMatchObject([{ kind: 'CAN_ADMIN', to: PLATFORM, properties: { adminEquivalent: true } }]);
    expect(edgeKeys(fragment, { to: ADMIN_POLICY })).toEqual([
      `HAS_ROLE ${prod('group', 'admins')} -> ${ADMIN_POLICY}`,
      `HAS_ROLE ${role('admin-role')} -> ${ADMIN_POLICY}`,
      `HAS_ROLE ${role('okta-admin')} -> ${ADMIN_POLICY}`,
    ]);
    expect(edgeKeys(fragment, { from: user('alice') })).toEqual([`MEMBER_OF ${user('alice')} -> ${prod('group', 'admins')}`]);
    const levels = reachedLevels(fragment, user('alice'));
    expect(levels.get(PLATFORM)).toBe('admin');
    expect(levels.get(bucket('corvid-prod-customer-data'))).toBe('admin');
    expect(levels.get(user('svc-data-export'))).toBe('admin'); // the account MANAGES every user and role
  });

  it('the Platform manages every IAM user and role', () => {
    const { fragment } = prodImport();
    const managed = edges(fragment, { from: PLATFORM, kind: 'MANAGES' }).map((e) => e.to).sort();
    const principals = fragment.nodes.filter((n) => n.kind === 'Identity' && n.tenant === ACCOUNT && /identity:(user|role)\//.test(n.id)).map((n) => n.id).sort();
    expect(managed).toEqual(principals);
  });

  it('iam:PutUserPolicy on its own user is administration; on another user it is not', () => {
    const self = imported([gaad({ users: [iamUser('escalator', { UserPolicyList: [inline('self', { Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` })] })] })]).fragment;
    expect(edges(self, { from: user('escalator'), kind: 'CAN_ADMIN' })).toMatchObject([{ to: PLATFORM, scopes: ['iam:PutUserPolicy'] }]);
    const other = imported([gaad({ users: [iamUser('victim'), iamUser('writer', { UserPolicyList: [inline('other', { Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: `arn:aws:iam::${ACCOUNT}:user/victim` })] })] })]).fragment;
    expect(edges(other, { from: user('writer') })).toEqual([]);
  });

  it('writing the policies of a user it can also mint keys for is administration too', () => {
    const files = [gaad({ users: [iamUser('victim'), iamUser('writer', { UserPolicyList: [inline('both', { Effect: 'Allow', Action: ['iam:PutUserPolicy', 'iam:CreateAccessKey'], Resource: `arn:aws:iam::${ACCOUNT}:user/victim` })] })] })];
    expect(edgeKeys(imported(files).fragment, { from: user('writer') })).toEqual([`CAN_ADMIN ${user('writer')} -> ${PLATFORM}`]);
  });

  it('iam:CreateAccessKey adds a credential, and console-password actions reset one, on the users they cover', () => {
    const { fragment } = prodImport();
    expect(edgeKeys(fragment, { from: user('deploy-bot'), kind: 'CAN_ADD_CREDENTIAL' })).toEqual(['svc-data-export', 'svc-legacy-backup'].map((u) => `CAN_ADD_CREDENTIAL ${user('deploy-bot')} -> ${user(u)}`));
    const reset = imported([gaad({ users: [iamUser('helpdesk', { UserPolicyList: [inline('reset', { Effect: 'Allow', Action: 'iam:UpdateLoginProfile', Resource: '*' })] }), iamUser('bob')] })]).fragment;
    expect(edges(reset, { from: user('helpdesk') })).toMatchObject([{ kind: 'CAN_RESET_CREDENTIAL', to: user('bob'), scopes: ['iam:UpdateLoginProfile'] }]);
  });

  it('iam:AddUserToGroup changes a group\'s members (CAN_ADD_MEMBER), so its holder gets what the group gets', () => {
    // GetAccountAuthorizationDetails GroupDetailList entries, as the IAM API reference shows them.
    const admins = { GroupName: 'admins', GroupId: 'AGPAADMINS', Arn: `arn:aws:iam::${ACCOUNT}:group/admins`, Path: '/', CreateDate: '2024-01-01T00:00:00Z', GroupPolicyList: [inline('all', { Effect: 'Allow', Action: '*', Resource: '*' })], AttachedManagedPolicies: [] };
    const readers = { ...admins, GroupName: 'readers', GroupId: 'AGPAREADERS', Arn: `arn:aws:iam::${ACCOUNT}:group/readers`, GroupPolicyList: [inline('read', { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })] };
    const helpdesk = iamUser('helpdesk', { UserPolicyList: [inline('groups', { Effect: 'Allow', Action: 'iam:AddUserToGroup', Resource: `arn:aws:iam::${ACCOUNT}:group/admins`, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })] });
    const { fragment } = imported([gaad({ users: [helpdesk, iamUser('reader', { GroupList: ['readers'] })], groups: [admins, readers] })]);
    const adminsGroup = prod('group', 'admins');
    expect(edges(fragment, { from: user('helpdesk'), kind: 'CAN_ADD_MEMBER' })).toMatchObject([{ to: adminsGroup, scopes: ['iam:AddUserToGroup'], conditions: ['aws-condition', 'mfa'] }]);
    expect(edges(fragment, { kind: 'CAN_ADD_MEMBER', to: prod('group', 'readers') })).toEqual([]);
    expect(reachedLevels(fragment, user('helpdesk')).get(PLATFORM)).toBe('admin');
    expect(reachedLevels(fragment, user('helpdesk'), { enforceConditions: ['mfa'] }).has(PLATFORM)).toBe(false);
  });

  it('iam:PassRole with a compute create action impersonates the roles that compute service may assume (the ARN path counts)', () => {
    const { fragment } = prodImport();
    expect(edges(fragment, { from: user('deploy-bot'), kind: 'CAN_IMPERSONATE' })).toMatchObject([{ to: role('lambda-exporter'), scopes: ['iam:PassRole', 'lambda:CreateFunction'] }]);
    const wrongService = imported([gaad({ roles: [iamRole('ec2-only', doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }))], users: [iamUser('dev', { UserPolicyList: [inline('p', { Effect: 'Allow', Action: ['iam:PassRole', 'lambda:CreateFunction'], Resource: '*' })] })] })]).fragment;
    expect(edges(wrongService, { kind: 'CAN_IMPERSONATE' })).toEqual([]);
  });

  it('sts:AssumeRole reaches a role whose trust policy trusts the account; a trust naming a principal needs no permission', () => {
    const { fragment } = prodImport();
    expect(edges(fragment, { from: user('ops-oncall'), to: role('admin-role') })).toMatchObject([{ kind: 'CAN_IMPERSONATE', scopes: ['sts:AssumeRole'] }]);
    expect(reachedLevels(fragment, user('ops-oncall')).get(PLATFORM)).toBe('admin');
    const named = imported([gaad({ users: [iamUser('bob')], roles: [iamRole('bobs-role', doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` }, Action: 'sts:AssumeRole' }))] })]).fragment;
    expect(edgeKeys(named, { kind: 'CAN_IMPERSONATE' })).toEqual([`CAN_IMPERSONATE ${user('bob')} -> ${role('bobs-role')}`]);
    // The account trust alone does not let a principal without sts:AssumeRole in.
    expect(edges(fragment, { to: role('admin-role'), kind: 'CAN_IMPERSONATE' }).map((e) => e.from)).toEqual([user('ops-oncall')]);
  });

  it('a principal that may take over a whole population (5 or more) gets one edge to a hub that manages every member', () => {
    const many = Array.from({ length: 6 }, (_, i) => iamUser(`dev${i}`));
    const keyMinter = iamUser('key-minter', { UserPolicyList: [inline('all-keys', { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: '*' })] });
    const someKeys = iamUser('some-keys', { UserPolicyList: [inline('two-keys', { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: [`arn:aws:iam::${ACCOUNT}:user/dev0`, `arn:aws:iam::${ACCOUNT}:user/dev1`] })] });
    const trusting = Array.from({ length: 6 }, (_, i) => iamRole(`svc${i}`, doc({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }), { RolePolicyList: [inline('hop', { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' })] }));
    const { fragment } = imported([gaad({ users: [...many, keyMinter, someKeys], roles: trusting })]);
    const keysHub = prod('resource', 'iam/all-users/access-keys');
    expect(edges(fragment, { from: user('key-minter') })).toMatchObject([{ kind: 'CAN_ADMIN', to: keysHub, scopes: ['iam:CreateAccessKey'] }]);
    expect(edges(fragment, { from: keysHub, kind: 'MANAGES' }).map((e) => e.to).sort()).toEqual([...many.map((u) => user(u.UserName)), user('key-minter'), user('some-keys')].sort());
    expect(node(fragment, keysHub)).toMatchObject({ resourceType: 'takeover-hub', sensitivity: 0 });
    expect(edgeKeys(fragment, { from: user('some-keys') })).toEqual(['dev0', 'dev1'].map((u) => `CAN_ADD_CREDENTIAL ${user('some-keys')} -> ${user(u)}`));
    // Six roles that each may assume every other: six hub edges instead of thirty direct ones.
    const rolesHub = prod('resource', 'sts/roles-trusting-the-account');
    expect(edges(fragment, { kind: 'CAN_IMPERSONATE' })).toEqual([]);
    expect(edges(fragment, { to: rolesHub }).map((e) => e.from).sort()).toEqual(trusting.map((r) => role(r.RoleName)).sort());
    expect(reachedLevels(fragment, role('svc0')).get(role('svc5'))).toBe('admin');
    expect(reachedLevels(fragment, user('key-minter')).get(user('dev5'))).toBe('admin');
  });

  it('iam:UpdateAssumeRolePolicy on a role lets the holder trust itself and assume it', () => {
    const files = [gaad({ users: [iamUser('rewriter', { UserPolicyList: [inline('p', { Effect: 'Allow', Action: 'iam:UpdateAssumeRolePolicy', Resource: `arn:aws:iam::${ACCOUNT}:role/target` })] })], roles: [iamRole('target', lambdaTrust)] })];
    expect(edges(imported(files).fragment, { from: user('rewriter') })).toMatchObject([{ kind: 'CAN_IMPERSONATE', to: role('target'), scopes: ['iam:UpdateAssumeRolePolicy'] }]);
  });
});

describe('trust policies', () => {
  it('a GitHub Actions OIDC trust becomes a federated credential and a RUNS_AS edge from the repository named in sub', () => {
    const { fragment } = prodImport();
    const credential = prod('credential', 'oidc/token.actions.githubusercontent.com/github-actions-deploy');
    expect(node(fragment, credential)).toMatchObject({ type: 'federated', properties: { webIdentity: true, subject: ['repo:corvid/infra:ref:refs/heads/main'], audience: ['sts.amazonaws.com'] } });
    expect(edgeKeys(fragment, { from: credential })).toEqual([`AUTHENTICATES_AS ${credential} -> ${role('github-actions-deploy')}`]);
    expect(edges(fragment, { kind: 'RUNS_AS' })).toMatchObject([{ from: 'github:*:resource:corvid/infra', to: role('github-actions-deploy'), grant: credential }]);
    expect(node(fragment, 'github:*:resource:corvid/infra')).toMatchObject({ kind: 'Resource', platform: 'github', properties: { stub: true, key: 'corvid/infra' } });
  });

  it('a GitHub trust with a wildcard repository or without any sub condition is drawn as such', () => {
    const oidc = (condition?: object) => iamRole('ci', doc({ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` }, Action: 'sts:AssumeRoleWithWebIdentity', ...(condition ? { Condition: condition } : {}) }));
    const org = imported([gaad({ roles: [oidc({ StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:corvid/*:*', 'repo:corvid/infra:environment:prod'] } })] })]).fragment;
    expect(edges(org, { kind: 'RUNS_AS' }).map((e) => e.from).sort()).toEqual(['github:*:resource:corvid/*', 'github:*:resource:corvid/infra']);
    const open = imported([gaad({ roles: [oidc({ StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } })] })]);
    expect(edges(open.fragment, { kind: 'RUNS_AS' })).toMatchObject([{ from: 'github:*:resource:*' }]);
    // The findings' NHI6 rule reads these two facts: a web-identity trust, and no subject recorded.
    const openTrust = node(open.fragment, prod('credential', 'oidc/token.actions.githubusercontent.com/ci'));
    expect(openTrust.properties).toMatchObject({ webIdentity: true });
    expect(openTrust.properties?.subject).toBeUndefined();
    expect(open.report.notes.join('\n')).toContain('without a sub condition');
  });

  it('a trust of another account is a federated credential that account\'s administrators manage', () => {
    const { fragment } = prodImport();
    const credential = prod('credential', 'trust/vendor-audit/999988887777');
    expect(edges(fragment, { from: credential })).toMatchObject([{ kind: 'AUTHENTICATES_AS', to: role('vendor-audit'), conditions: ['aws-condition', 'external-id'] }]);
    expect(edgeKeys(fragment, { to: credential })).toEqual([`MANAGES aws:999988887777:platform:account -> ${credential}`]);
    expect(node(fragment, 'aws:999988887777:platform:account')).toMatchObject({ tenant: '999988887777', properties: { placeholder: true } });
    // Its administrators assume vendor-audit (read) and control ci-runner, trusted by ci-runner-xacct (write).
    const levels = reachedLevels(fragment, 'aws:999988887777:platform:account');
    expect(levels.get(role('vendor-audit'))).toBe('admin');
    expect(levels.get(bucket('corvid-terraform-state'))).toBe('read');
    expect(levels.get(bucket('corvid-prod-exports'))).toBe('write');
    expect(levels.has(bucket('corvid-prod-customer-data'))).toBe(false);
  });

  it('a trust of a named principal of another account is a credential that principal holds', () => {
    const { fragment } = prodImport();
    const credential = prod('credential', 'trust/ci-runner-xacct/999988887777/role/ci-runner');
    expect(edgeKeys(fragment, { to: credential })).toEqual([`HOLDS aws:999988887777:identity:role/ci-runner -> ${credential}`]);
    expect(reachedLevels(fragment, 'aws:999988887777:identity:role/ci-runner').get(bucket('corvid-prod-exports'))).toBe('write');
  });

  it('a SAML trust is a federated credential the identity provider manages', () => {
    const { fragment } = prodImport();
    const credential = prod('credential', 'saml/Okta/okta-admin');
    expect(edgeKeys(fragment, { to: credential })).toEqual([`MANAGES okta:*:platform:okta -> ${credential}`]);
    expect(edges(fragment, { from: credential })).toMatchObject([{ kind: 'AUTHENTICATES_AS', to: role('okta-admin') }]);
    expect(edges(fragment, { from: credential })[0]!.conditions).toBeUndefined();
    expect(reachedLevels(fragment, 'okta:*:platform:okta').get(PLATFORM)).toBe('admin');
  });

  it('service trusts are recorded on the role, with no edge', () => {
    const { fragment } = prodImport();
    expect(node(fragment, role('lambda-exporter')).properties).toMatchObject({ trustedServices: ['lambda.amazonaws.com'], trust: ['lambda.amazonaws.com'] });
    expect(edges(fragment, { to: role('lambda-exporter') }).map((e) => e.kind).sort()).toEqual(['CAN_IMPERSONATE', 'MANAGES']);
  });
});

describe('credentials', () => {
  it('access keys keep a hint and a fingerprint, never the key id; last use and status come from the API', () => {
    const { fragment } = prodImport();
    const active = node(fragment, keyId(LEAKED_KEY));
    expect(active).toMatchObject({
      kind: 'Credential', type: 'api-key', hint: 'AKIA…MPLE', fingerprint: accessKeyFingerprint(LEAKED_KEY), createdAt: '2025-02-11T09:14:27.000Z',
      lastUsedAt: '2026-10-30T23:02:00.000Z', properties: { status: 'Active', lastUsedService: 's3', lastUsedRegion: 'us-east-1', reportSlot: 1, userName: 'svc-data-export' },
    });
    expect(active.revoked).toBeUndefined();
    expect(node(fragment, keyId('AKIAI44QH8DHBEXAMPLE'))).toMatchObject({ revoked: true, properties: { status: 'Inactive', reportSlot: 2 } });
    expect(node(fragment, keyId('AKIAI44QH8DHBEXAMPLE')).lastUsedAt).toBeUndefined();
    expect(edgeKeys(fragment, { from: active.id })).toEqual([`AUTHENTICATES_AS ${active.id} -> ${user('svc-data-export')}`]);
    // Collector output with the last use merged in.
    expect(node(fragment, keyId('AKIADEPLOYEXAMPLE001'))).toMatchObject({ lastUsedAt: '2026-10-20T14:11:00.000Z', properties: { lastUsedService: 'lambda' } });
    const text = JSON.stringify(fragment);
    for (const id of [LEAKED_KEY, 'AKIAI44QH8DHBEXAMPLE', 'AKIADEPLOYEXAMPLE001', 'AKIAZCREATEEXAMPLEKY']) expect(text).not.toContain(id);
  });

  it('keys the credential report alone knows are credentials by slot; report slots of listed keys are merged, not duplicated', () => {
    const { fragment } = prodImport();
    const slot = prod('credential', 'user/svc-legacy-backup/access-key-1');
    expect(node(fragment, slot)).toMatchObject({ type: 'api-key', createdAt: '2021-08-30T12:05:00.000Z', lastUsedAt: '2026-10-31T01:30:00.000Z', properties: { status: 'Active', reportSlot: 1 } });
    expect(fragment.nodes.filter((n) => n.id.startsWith(prod('credential', 'user/svc-data-export/')))).toEqual([]);
    expect(fragment.nodes.filter((n) => n.type === 'api-key' && n.properties?.userName === 'svc-data-export')).toHaveLength(2);
  });

  it('console passwords come from the credential report, with MFA as a control; password users are human', () => {
    const { fragment } = prodImport();
    expect(node(fragment, user('alice'))).toMatchObject({ subtype: 'human', mfa: true });
    expect(node(fragment, user('svc-data-export'))).toMatchObject({ subtype: 'service', mfa: false });
    expect(edges(fragment, { from: prod('credential', 'user/alice/password') })).toMatchObject([{ kind: 'AUTHENTICATES_AS', to: user('alice'), conditions: ['mfa'] }]);
    const contractor = edges(fragment, { from: prod('credential', 'user/contractor/password') })[0]!;
    expect(contractor.conditions).toBeUndefined();
    expect(node(fragment, prod('credential', 'user/alice/password'))).toMatchObject({ lastUsedAt: '2026-10-29T08:12:00.000Z', rotatedAt: '2026-05-01T08:00:00.000Z' });
  });

  it('the root user administers the account, with its password behind MFA', () => {
    const { fragment } = prodImport();
    const root = prod('identity', 'root');
    expect(node(fragment, root)).toMatchObject({ subtype: 'human', mfa: true, properties: { root: true } });
    expect(edgeKeys(fragment, { from: root })).toEqual([`CAN_ADMIN ${root} -> ${PLATFORM}`]);
    expect(edges(fragment, { from: prod('credential', 'root/password') })).toMatchObject([{ to: root, conditions: ['mfa'] }]);
  });

  it('the credential report as get-credential-report prints it (base64 in Content) reads like the CSV', () => {
    const csv = readFileSync(join(FIXTURE, 'corvid-prod/credential-report.csv'), 'utf8');
    const base64 = btoa(csv);
    const asJson = { path: 'credential-report.json', text: JSON.stringify({ Content: base64, ReportFormat: 'text/csv', GeneratedTime: '2026-11-01T00:00:00Z' }) };
    const fromJson = imported([asJson]);
    const fromCsv = imported([{ path: 'credential-report.csv', text: csv }]);
    expect(fromJson.fragment).toEqual(fromCsv.fragment);
    expect(fromJson.report.records).toEqual({ credentialReport: 8 });
    expect(fromJson.report.notes.join('\n')).toContain('users known only from access keys or the credential report');
  });

  it('a CreateAccessKey answer is read as a key, and its SecretAccessKey never reaches the fragment nor the snapshot', async () => {
    const raw = prodFiles().map((f) => f.text).join('\n');
    expect(raw).toContain('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    const { fragment } = prodImport();
    expect(node(fragment, keyId('AKIAZCREATEEXAMPLEKY'))).toMatchObject({ hint: 'AKIA…LEKY', properties: { userName: 'alice', reportSlot: 1 } });
    expect(JSON.stringify(fragment)).not.toContain('EXAMPLEKEY');
    const snapshot = join(tempDir(), 'graph.bmap');
    const result = await runCli(['import', 'aws', join(FIXTURE, 'corvid-prod'), '--graph', snapshot]);
    expect(result.code, result.err).toBe(0);
    const bytes = readFileSync(snapshot).toString('latin1');
    expect(bytes).not.toContain('EXAMPLEKEY');
    expect(bytes).not.toContain(LEAKED_KEY);
  });

  it('the fingerprint is SHA-256 (checked against node:crypto) and the hint shows the prefix and last four characters', async () => {
    const { createHash } = await import('node:crypto');
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => sha256Hex(text) === createHash('sha256').update(text, 'utf8').digest('hex')), { numRuns: 200 });
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(accessKeyHint('AKIAIOSFODNN7EXAMPLE')).toBe('AKIA…MPLE');
  });
});

describe('validation', () => {
  const good = iamUser('ok');
  it('a missing required field fails with file and JSON path', () => {
    const { UserName: _dropped, ...bad } = iamUser('nameless');
    const result = run([gaad({ users: [good, bad] })]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ file: `account-authorization-details-${ACCOUNT}.json`, path: '$.UserDetailList[1].UserName' });
  });

  it('--lenient skips the bad record and reports it', () => {
    const { UserName: _dropped, ...bad } = iamUser('nameless');
    const result = imported([gaad({ users: [good, bad] })], { lenient: true });
    expect(result.report.skipped[0]).toMatchObject({ path: '$.UserDetailList[1].UserName' });
    expect(result.fragment.nodes.some((n) => n.id === user('ok'))).toBe(true);
  });

  it('an unreadable policy document is an error naming where it is', () => {
    const result = run([gaad({ users: [iamUser('broken', { UserPolicyList: [{ PolicyName: 'x', PolicyDocument: '%7Bnot json' }] })] })]);
    expect(!result.ok && result.issues[0]).toMatchObject({ path: '$.UserDetailList[0].UserPolicyList[0].PolicyDocument', message: 'unreadable policy document' });
    const statement = run([gaad({ users: [iamUser('broken', { UserPolicyList: [inline('x', { Effect: 'Maybe', Action: '*', Resource: '*' })] })] })]);
    expect(!statement.ok && statement.issues[0]).toMatchObject({ path: '$.UserDetailList[0].UserPolicyList[0].PolicyDocument.Statement[0].Effect' });
  });

  it('a bad credential-report row names its line', () => {
    const csv = 'user,arn,password_enabled\nalice,arn:aws:iam::111122223333:user/alice,true\nbob,not-an-arn,false\n';
    const result = run([{ path: 'credential-report.csv', text: csv }]);
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'credential-report.csv', path: '$[1].arn', line: 3 });
  });

  it('a last-used answer that does not say which key it is fails', () => {
    const result = run([gaad({ users: [good] }), { path: 'access-key-last-used.json', text: JSON.stringify({ UserName: 'ok', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } }) }]);
    expect(!result.ok && result.issues[0]).toMatchObject({ message: 'cannot tell which access key this is' });
  });

  it('one account per import; --tenant must agree; with no ARN the account comes from --tenant', () => {
    const two = run([gaad({ users: [good, iamUser('elsewhere', {}, '444455556666')] })]);
    expect(!two.ok && two.issues[0]).toMatchObject({ message: 'several AWS accounts in one export', path: '$.UserDetailList[1].Arn' });
    const clash = run([gaad({ users: [good] })], { tenant: '444455556666' });
    expect(!clash.ok && clash.issues[0]).toMatchObject({ message: '--tenant does not match the export' });
    const keysOnly = { path: 'access-keys.json', text: JSON.stringify({ AccessKeyMetadata: [{ UserName: 'ok', AccessKeyId: LEAKED_KEY, Status: 'Active', CreateDate: '2025-01-01T00:00:00Z' }] }) };
    const none = run([keysOnly]);
    expect(!none.ok && none.issues[0]).toMatchObject({ message: 'no account id' });
    expect(imported([keysOnly], { tenant: ACCOUNT }).fragment.nodes.map((n) => n.id)).toContain(keyId(LEAKED_KEY));
  });

  it('every node and edge of the fixture is valid native format and the fragment assembles without redactions', () => {
    const { fragment } = prodImport();
    for (const n of fragment.nodes) expect(nodeSchema().safeParse(n).success, n.id).toBe(true);
    for (const e of fragment.edges) expect(edgeSchema().safeParse(e).success, `${e.kind} ${e.from} ${e.to}`).toBe(true);
    const finished = finishFragment(structuredClone(fragment), { nodePaths: fragment.nodes.map((n) => n.id), edgePaths: fragment.edges.map((e) => e.to) });
    expect(finished.ok && finished.value.redactions).toBe(0);
    if (finished.ok) expect(() => assembleGraph([finished.value])).not.toThrow();
  });
});

describe('idempotence', () => {
  it('importing the same export twice gives the same graph, whatever order the files come in', () => {
    const sourced = (fragment: Fragment) => {
      const finished = finishFragment(structuredClone(fragment), { nodePaths: fragment.nodes.map((n) => n.id), edgePaths: fragment.edges.map((e) => e.to) });
      if (!finished.ok) throw new Error('unfinished');
      return finished.value;
    };
    const first = prodImport().fragment;
    expect(imported([...prodFiles()].reverse()).fragment).toEqual(first);
    const once = assembleGraph([sourced(first)]).graph;
    const twice = assembleGraph([sourced(first)], once).graph;
    expect(toFragment(twice)).toEqual(toFragment(once));
  });
});

describe('catalogues', () => {
  it('actions.json is a valid scope catalogue and services.json a valid service catalogue that agree with each other', () => {
    const actions = scopeCatalogSchema.parse(JSON.parse(readFileSync(join(REPO, 'importers/aws/actions.json'), 'utf8')));
    serviceCatalogSchema.parse(JSON.parse(readFileSync(join(REPO, 'importers/aws/services.json'), 'utf8')));
    for (const compute of AWS_SERVICES.compute) expect(actions.scopes[compute.action], compute.action).toBeDefined();
    const s3Types = new Set(['bucket', 'object']);
    for (const [name, entry] of Object.entries(actions.scopes)) if (name.startsWith('s3:')) for (const t of entry.resources) expect(s3Types.has(t), name).toBe(true);
    expect(actions.scopes['iam:CreateAccessKey']).toMatchObject({ level: 'admin', takeover: 'add-credential' });
    expect(actions.scopes['iam:PassRole']).toMatchObject({ takeover: 'impersonate' });
  });

  it('uncatalogued actions are levelled by their verb; permission management is admin; an action saying nothing is assumed admin', () => {
    const level = (a: string) => DEFAULT_CATALOGUE.action(a);
    expect(level('rds:DescribeDBInstances')).toMatchObject({ level: 'read', assumed: false });
    expect(level('rds:CreateDBSnapshot')).toMatchObject({ level: 'write', assumed: false });
    expect(level('ecr:SetRepositoryPolicy')).toMatchObject({ level: 'admin', assumed: false });
    expect(level('logs:PutRetentionPolicy')).toMatchObject({ level: 'write' });
    expect(level('S3:getobject')).toMatchObject({ level: 'read', types: ['object'] });
    expect(level('foo:Frobnicate')).toMatchObject({ level: 'admin', assumed: true });
    const { report } = imported([gaad({ users: [iamUser('odd', { UserPolicyList: [inline('odd', { Effect: 'Allow', Action: 'foo:Frobnicate', Resource: '*' })] })] })]);
    expect(report.unknownScopes).toEqual([{ scope: 'foo:Frobnicate', count: 1, assumedLevel: 'admin' }]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Policy evaluation against a brute-force oracle.

const globMemo = new Map<string, boolean>();
/** Independent IAM wildcard match (dynamic programming): `*` any run, `?` one character. */
function bruteGlob(pattern: string, text: string, ignoreCase: boolean): boolean {
  const key = `${ignoreCase ? 'i' : 's'}\u0000${pattern}\u0000${text}`;
  let hit = globMemo.get(key);
  if (hit === undefined) { hit = dpGlob(pattern, text, ignoreCase); globMemo.set(key, hit); }
  return hit;
}
function dpGlob(pattern: string, text: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const t = ignoreCase ? text.toLowerCase() : text;
  let row = new Array<boolean>(t.length + 1).fill(false);
  row[0] = true;
  for (const c of p) {
    const next = new Array<boolean>(t.length + 1).fill(false);
    if (c === '*') { next[0] = row[0]!; for (let j = 1; j <= t.length; j++) next[j] = next[j - 1]! || row[j]!; }
    else for (let j = 1; j <= t.length; j++) next[j] = row[j - 1]! && (c === '?' || c === t[j - 1]);
    row = next;
  }
  return row[t.length]!;
}

interface RawStatement { Effect: 'Allow' | 'Deny'; Action?: string[]; NotAction?: string[]; Resource?: string[]; NotResource?: string[]; Condition?: object }

/** AWS's rule for one request, written from the IAM evaluation logic page: any Deny wins, else any Allow. */
function bruteStatus(statements: readonly RawStatement[], action: string, arn: string): { u: boolean; a: boolean } {
  const applies = (s: RawStatement) => (s.Action ? s.Action.some((p) => bruteGlob(p, action, true)) : !s.NotAction!.some((p) => bruteGlob(p, action, true)))
    && (s.Resource ? s.Resource.some((p) => bruteGlob(p, arn, false)) : !s.NotResource!.some((p) => bruteGlob(p, arn, false)));
  const hits = statements.filter(applies);
  const allowU = hits.some((s) => s.Effect === 'Allow' && !s.Condition);
  const allowAny = hits.some((s) => s.Effect === 'Allow');
  const denyU = hits.some((s) => s.Effect === 'Deny' && !s.Condition);
  const denyAny = hits.some((s) => s.Effect === 'Deny');
  return { u: allowU && !denyAny, a: allowAny && !denyU };
}

const W = ACCOUNT;
/** Concrete ARNs of the test world, by the target they lie in and their S3 type. */
const EXPLICIT: Record<string, { arn: string; type?: string }[]> = {
  's3/b1': [{ arn: 'arn:aws:s3:::b1', type: 'bucket' }, { arn: 'arn:aws:s3:::b1/x', type: 'object' }, { arn: 'arn:aws:s3:::b1/private/y', type: 'object' }],
  's3/b2': [{ arn: 'arn:aws:s3:::b2', type: 'bucket' }, { arn: 'arn:aws:s3:::b2/private/k', type: 'object' }, { arn: 'arn:aws:s3:::b2/public/k', type: 'object' }],
  's3/*': [{ arn: 'arn:aws:s3:::other', type: 'bucket' }, { arn: 'arn:aws:s3:::other/o', type: 'object' }, { arn: 'arn:aws:s3:::bz/q', type: 'object' }],
  'secretsmanager/s1': [{ arn: `arn:aws:secretsmanager:us-east-1:${W}:secret:s1-AbCdEf` }],
  'secretsmanager/*': [{ arn: `arn:aws:secretsmanager:us-east-1:${W}:secret:other-XyZ123` }],
  'lambda/f1': [{ arn: `arn:aws:lambda:us-east-1:${W}:function:f1` }, { arn: `arn:aws:lambda:us-east-1:${W}:function:f1:prod` }],
  'lambda/*': [{ arn: `arn:aws:lambda:us-east-1:${W}:function:g` }],
  'rds/*': [{ arn: `arn:aws:rds:us-east-1:${W}:db:main` }],
};
const EXPLICIT_ACTIONS = [...['s3', 'secretsmanager', 'lambda'].flatMap((s) => DEFAULT_CATALOGUE.actionsOf(s)), 'rds:CreateDBInstance', 'rds:DescribeDBInstances', 'rds:DeleteDBInstance', 'rds:AddTagsToResource'];
const ACTION_POOL = ['*', 's3:*', 's3:Get*', 's3:Put*', 's3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:PutBucketPolicy', 's3:*Object', 's3:List*', 's3:Get?bject', 'secretsmanager:GetSecretValue', 'secretsmanager:*', 'secretsmanager:Put*', 'lambda:*', 'lambda:InvokeFunction', 'lambda:Get*', 'rds:*', 'rds:Describe*', 'rds:CreateDBInstance', '*:Get*'];
const RESOURCE_POOL = ['*', 'arn:aws:s3:::b1', 'arn:aws:s3:::b1/*', 'arn:aws:s3:::b*', 'arn:aws:s3:::b2/private/*', 'arn:aws:s3:::*/*', 'arn:aws:s3:::b?', `arn:aws:secretsmanager:us-east-1:${W}:secret:s1-??????`, 'arn:aws:secretsmanager:*:*:secret:*', `arn:aws:lambda:*:${W}:function:f1`, 'arn:aws:lambda:*:*:function:*', 'arn:aws:rds:*:*:db:*', `arn:aws:rds:us-east-1:${W}:db:main`];
const NAMED = new Map([['s3', new Set(['b1', 'b2'])], ['secretsmanager', new Set(['s1'])], ['lambda', new Set(['f1'])], ['rds', new Set<string>()]]);

const statementArb: fc.Arbitrary<RawStatement> = fc.record({
  effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Deny'),
  not: fc.boolean(),
  actions: fc.uniqueArray(fc.constantFrom(...ACTION_POOL), { minLength: 1, maxLength: 3 }),
  notResource: fc.integer({ min: 0, max: 6 }),
  resources: fc.uniqueArray(fc.constantFrom(...RESOURCE_POOL), { minLength: 1, maxLength: 2 }),
  conditional: fc.integer({ min: 0, max: 4 }),
}).map(({ effect, not, actions, notResource, resources, conditional }) => ({
  Effect: effect,
  ...(not && actions[0] !== '*' ? { NotAction: actions } : { Action: actions }),
  ...(notResource === 0 && !resources.includes('*') ? { NotResource: resources } : { Resource: resources }),
  ...(conditional === 0 ? { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } } : {}),
}));

function evaluationOf(raw: readonly RawStatement[]) {
  const { statements } = statementsOf({ Version: '2012-10-17', Statement: raw }, { id: 'test', name: 'test', kind: 'inline' });
  const world = new PolicyWorld(W, DEFAULT_CATALOGUE, statements, NAMED);
  const levels = evaluateTargets(world, { identity: statements });
  return { world, statements, reach: reachOf(world, emitGrants(world, levels)) };
}

/** Oracle level on a target over explicit ARNs and actions (and, when given, the evaluator's own witnesses). */
function oracle(raw: readonly RawStatement[], world: PolicyWorld, key: string, withWitnesses: boolean): { u: number; a: number } {
  const target = world.targets.get(key)!;
  const arns = [...(EXPLICIT[key] ?? []), ...(withWitnesses ? target.witnesses.map((w) => ({ arn: w.arn, type: w.type })) : [])];
  const service = target.service;
  const actions = service ? [...new Set([...EXPLICIT_ACTIONS.filter((a) => a.toLowerCase().startsWith(`${service}:`)), ...(withWitnesses ? world.actionsFor(key) : [])])] : [...world.actionsFor(key)];
  const cap = service === undefined ? LEVEL_CODE.write : LEVEL_CODE.admin;
  let u = 0;
  let a = 0;
  const byLevel = [...actions].sort((x, y) => LEVEL_CODE[DEFAULT_CATALOGUE.action(y).level] - LEVEL_CODE[DEFAULT_CATALOGUE.action(x).level]);
  for (const action of byLevel) {
    const info = DEFAULT_CATALOGUE.action(action);
    if (info.takeover) continue;
    const level = Math.min(LEVEL_CODE[info.level], cap);
    if (level <= u) break;
    for (const { arn, type } of arns) {
      if (info.types !== '*' && (info.types.length === 0 || (type !== undefined && !info.types.includes(type)))) continue;
      const status = bruteStatus(raw, action, arn);
      if (status.u) u = Math.max(u, level);
      if (status.a) a = Math.max(a, level);
    }
  }
  return { u, a };
}

describe('policy evaluation', () => {
  it('never grants more than a brute-force evaluation over explicit actions and ARNs (the evaluator\'s witnesses included)', () => {
    fc.assert(fc.property(fc.array(statementArb, { minLength: 1, maxLength: 5 }), (raw) => {
      const { world, reach: reached } = evaluationOf(raw);
      for (const key of world.order) {
        const r = reached.get(key)!;
        const o = oracle(raw, world, key, true);
        if (r.u > o.u || r.a > o.a) throw new Error(`${key}: evaluator ${JSON.stringify(r)} > oracle ${JSON.stringify(o)} for ${JSON.stringify(raw)}`);
      }
    }), { numRuns: 120 });
  });

  it('grants at least what the brute force finds on the explicit ARNs of each named resource', () => {
    fc.assert(fc.property(fc.array(statementArb, { minLength: 1, maxLength: 5 }), (raw) => {
      const { world, reach: reached } = evaluationOf(raw);
      for (const key of ['s3/b1', 's3/b2', 'secretsmanager/s1', 'lambda/f1', 'rds/*']) {
        if (!world.targets.has(key)) continue;
        const r = reached.get(key)!;
        const o = oracle(raw, world, key, false);
        if (o.u > r.u || o.a > r.a) throw new Error(`${key}: evaluator ${JSON.stringify(r)} < oracle ${JSON.stringify(o)} for ${JSON.stringify(raw)}`);
      }
    }), { numRuns: 200 });
  });

  it('the witness argument: a Deny matches the fresh instance of an Allow pattern exactly when it covers all of it', () => {
    const alphabet = fc.constantFrom('a', 'b', '/', '*');
    const pattern = fc.array(alphabet, { minLength: 0, maxLength: 5 }).map((cs) => cs.join(''));
    const texts = ['', 'a', 'b', '/', 'ab', 'ba', 'a/b', 'aab', 'b/a', 'abab', '/a/', 'bb/aa'];
    fc.assert(fc.property(pattern, pattern, (allow, deny) => {
      const witnessDenied = globMatch(deny, instantiate(allow, FRESH), false);
      // Coverage on every sample string the Allow matches (a necessary condition of inclusion).
      if (witnessDenied) for (const t of texts) if (bruteGlob(allow, t, false)) expect(bruteGlob(deny, t, false), `${deny} ⊇ ${allow} on ${t}`).toBe(true);
    }), { numRuns: 300 });
  });

  it('a bucket listed with the name `*` does not become its own container (found by the fuzzer)', () => {
    const { statements } = statementsOf(doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::*' }), { id: 'p', name: 'p', kind: 'inline' });
    const world = new PolicyWorld(W, DEFAULT_CATALOGUE, statements, new Map([['s3', new Set(['*', 'b1'])]]));
    expect(world.order.filter((key) => key.startsWith('s3/'))).toEqual(['s3/*', 's3/b1']);
    expect(() => emitGrants(world, evaluateTargets(world, { identity: statements }))).not.toThrow();
  });

  it('decodes documents however they arrive, and reads one statement or a list', () => {
    const document = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
    const encoded = encodeURIComponent(JSON.stringify(document));
    for (const raw of [document, JSON.stringify(document), encoded, encoded.replace(/%20/g, '+')]) expect(decodePolicyDocument(raw)).toEqual({ ok: true, document });
    expect(decodePolicyDocument('%7B%22broken')).toMatchObject({ ok: false });
    const single = statementsOf({ Statement: { Effect: 'Deny', NotAction: 'iam:*', NotResource: ['arn:aws:s3:::b'] } }, { id: 'x', name: 'x', kind: 'inline' });
    expect(single.statements[0]).toMatchObject({ effect: 'Deny', notActions: ['iam:*'], notResources: ['arn:aws:s3:::b'] });
  });

  it('policy variables resolve for the principal; an unresolved one in a Deny only makes the grant conditional', () => {
    const { statements } = statementsOf(doc(
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:username}/*' },
      { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/${aws:PrincipalTag/team}/*' },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' },
    ), { id: 'v', name: 'v', kind: 'inline' }) as { statements: Statement[] };
    expect(decide(statements, 's3:GetObject', 'arn:aws:s3:::home/alice/notes', { 'aws:username': 'alice' }).status).toBe(2);
    expect(decide(statements, 's3:GetObject', 'arn:aws:s3:::home/bob/notes', { 'aws:username': 'alice' }).status).toBe(0);
    expect(decide(statements, 's3:GetObject', 'arn:aws:s3:::shared/red/plan', { 'aws:username': 'alice' })).toMatchObject({ status: 1, tags: ['aws-condition'] });
  });

  it('classifies ARNs of modelled services to their named resource', () => {
    expect(classifyArn(DEFAULT_CATALOGUE, 'arn:aws:s3:::b1/deep/key')).toMatchObject({ service: 's3', name: 'b1', type: 'object' });
    expect(classifyArn(DEFAULT_CATALOGUE, `arn:aws:secretsmanager:us-east-1:${W}:secret:prod/api/db-AbC123`)).toMatchObject({ name: 'prod/api/db', account: W });
    expect(classifyArn(DEFAULT_CATALOGUE, `arn:aws:dynamodb:eu-west-1:${W}:table/orders/index/by-date`)).toMatchObject({ service: 'dynamodb', name: 'orders' });
    expect(classifyArn(DEFAULT_CATALOGUE, `arn:aws:lambda:eu-west-1:${W}:function:f1:live`)).toMatchObject({ name: 'f1' });
    expect(classifyArn(DEFAULT_CATALOGUE, `arn:aws:rds:eu-west-1:${W}:db:main`)).toEqual({ service: 'rds', account: W });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Sharing: HAS_ROLE to managed policies and MEMBER_OF groups never change what a principal reaches.

const SHARING_ACTIONS = ACTION_POOL.filter((a) => a !== '*' && a !== '*:Get*');
const sharingStatement = statementArb.filter((s) => !s.NotAction && (s.Action ?? []).every((a) => SHARING_ACTIONS.includes(a)));
const TAKEOVER = ['iam:CreateAccessKey', 'iam:PutUserPolicy', 'iam:AttachUserPolicy', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:PutGroupPolicy', 'iam:AttachGroupPolicy', 'iam:CreatePolicyVersion', 'iam:PassRole', 'sts:AssumeRole', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateLoginProfile', 'iam:CreateLoginProfile', 'lambda:UpdateFunctionCode'];

describe('shared policy and group nodes', () => {
  it('what a principal reaches through the graph equals the evaluation of all its statements at once', () => {
    const exportArb = fc.record({
      policies: fc.array(fc.array(sharingStatement, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
      groups: fc.array(fc.record({ inline: fc.array(sharingStatement, { maxLength: 2 }), managed: fc.subarray([0, 1, 2]) }), { minLength: 1, maxLength: 2 }),
      users: fc.array(fc.record({ inline: fc.array(sharingStatement, { maxLength: 2 }), managed: fc.subarray([0, 1, 2]), groups: fc.subarray([0, 1]), boundary: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }) }), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(fc.property(exportArb, (ex) => {
      const policyArn = (i: number) => `arn:aws:iam::${W}:policy/p${i}`;
      const policies = ex.policies.map((statements, i) => ({ PolicyName: `p${i}`, Arn: policyArn(i), DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc(...statements) }] }));
      const attach = (list: number[]) => list.filter((i) => i < policies.length).map((i) => ({ PolicyName: `p${i}`, PolicyArn: policyArn(i) }));
      const groups = ex.groups.map((g, i) => ({ GroupName: `g${i}`, Arn: `arn:aws:iam::${W}:group/g${i}`, GroupPolicyList: g.inline.length ? [inline(`g${i}-inline`, ...g.inline)] : [], AttachedManagedPolicies: attach(g.managed) }));
      const users = ex.users.map((u, i) => iamUser(`u${i}`, {
        UserPolicyList: u.inline.length ? [inline(`u${i}-inline`, ...u.inline)] : [], AttachedManagedPolicies: attach(u.managed), GroupList: u.groups.filter((g) => g < groups.length).map((g) => `g${g}`),
        ...(u.boundary !== undefined && u.boundary < policies.length ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: policyArn(u.boundary) } } : {}),
      }));
      const inventory = { path: 'buckets.json', text: JSON.stringify({ Buckets: [{ Name: 'b1' }, { Name: 'b2' }] }) };
      const result = run([gaad({ users, groups, policies }), inventory]);
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      const { fragment } = result;
      // Expected: one evaluation of each user's whole statement set, on the same world.
      const read = (d: object, name: string) => statementsOf(d as Record<string, unknown>, { id: name, name, kind: 'inline' }).statements;
      const policyStatements = ex.policies.map((s, i) => read(doc(...s), `p${i}`));
      const groupStatements = ex.groups.map((g, i) => [...read(doc(...g.inline), `g${i}`), ...g.managed.filter((m) => m < policies.length).flatMap((m) => policyStatements[m]!)]);
      // The importer's world is made of the statements that apply to someone: attached policies and boundaries.
      const used = new Set([...ex.groups.flatMap((g) => g.managed), ...ex.users.flatMap((u) => [...u.managed, ...(u.boundary !== undefined ? [u.boundary] : [])])].filter((i) => i < policies.length));
      const all = [...[...used].flatMap((i) => policyStatements[i]!), ...groupStatements.flat(), ...ex.users.flatMap((u, i) => read(doc(...u.inline), `u${i}`))];
      const world = new PolicyWorld(W, DEFAULT_CATALOGUE, all, new Map([['s3', new Set(['b1', 'b2'])]]));
      ex.users.forEach((u, i) => {
        const identity = [...read(doc(...u.inline), `u${i}`), ...u.managed.filter((m) => m < policies.length).flatMap((m) => policyStatements[m]!), ...u.groups.filter((g) => g < groups.length).flatMap((g) => groupStatements[g]!)];
        if (identity.some((s) => s.effect === 'Allow' && TAKEOVER.some((a) => (s.actions ?? []).some((p) => globMatch(p, a, true))))) return;
        const boundary = u.boundary !== undefined && u.boundary < policies.length ? policyStatements[u.boundary] : undefined;
        const expected = reachOf(world, emitGrants(world, evaluateTargets(world, { identity, boundary, variables: { 'aws:username': `u${i}` } })));
        const got = reachedLevels(fragment, user(`u${i}`));
        for (const key of world.order) {
          const target = key === 'platform' ? PLATFORM : prod('resource', key);
          const want = ['', 'read', 'write', 'admin'][expected.get(key)!.a];
          if ((got.get(target) ?? '') !== want) throw new Error(`u${i} on ${key}: graph ${got.get(target) ?? 'nothing'}, evaluation ${want || 'nothing'}\n${JSON.stringify(ex)}`);
        }
      });
    }), { numRuns: 60 });
  });
});

describe('blastmap import aws, end to end', () => {
  type Radius = { reached: { id: string; level: string; crownJewel: boolean; path: { kind: string; from: { id: string }; to: { id: string } }[] }[]; crownJewels: { id: string; level: string }[] };
  const radius = async (snapshot: string, source: string): Promise<Radius> => {
    const result = await runCli(['radius', source, '--graph', snapshot, '--format', 'json', '--paths', '--at', '2026-11-01']);
    expect(result.code, result.err).toBe(0);
    return JSON.parse(result.out) as Radius;
  };

  it('an access key committed in a private repository reaches the crown-jewel customer bucket (Heroku/Travis -> npm S3)', async () => {
    const snapshot = join(tempDir(), 'graph.bmap');
    const imported1 = await runCli(['import', 'aws', join(FIXTURE, 'corvid-prod'), '--graph', snapshot]);
    expect(imported1.code, imported1.err).toBe(0);
    expect(imported1.out).toContain('read 7 users');
    const overlay = await runCli(['import', 'native', join(FIXTURE, 'leak/leak.yaml'), '--graph', snapshot]);
    expect(overlay.code, overlay.err).toBe(0);
    const fromRepo = await radius(snapshot, 'github:corvid:resource:corvid/npm-private');
    const jewel = fromRepo.crownJewels.find((r) => r.id === bucket('corvid-prod-customer-data'));
    expect(jewel?.level).toBe('read');
    const path = fromRepo.reached.find((r) => r.id === bucket('corvid-prod-customer-data'))!.path.map((s) => s.kind);
    expect(path).toEqual(['CONTAINS_CREDENTIAL', 'AUTHENTICATES_AS', 'CAN_READ']);
    expect(fromRepo.reached.find((r) => r.id === bucket('corvid-prod-exports'))?.level).toBe('write');
    expect(fromRepo.reached.some((r) => r.id === bucket('corvid-terraform-state') || r.id === PLATFORM)).toBe(false);
    // The deploy bot's key goes further: it mints a key for svc-data-export and runs code as lambda-exporter.
    const fromBot = await radius(snapshot, keyId('AKIADEPLOYEXAMPLE001'));
    expect(fromBot.crownJewels.map((r) => r.id)).toContain(bucket('corvid-prod-customer-data'));
    expect(fromBot.reached.find((r) => r.id === prod('resource', 'secretsmanager/prod/db'))?.level).toBe('read');
  });

  it('an export with no account exits with the invalid-input status and says what is missing', async () => {
    const dir = tempDir();
    const file = join(dir, 'access-keys.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, JSON.stringify({ AccessKeyMetadata: [] }));
    const result = await runCli(['import', 'aws', dir, '--graph', join(dir, 'g.bmap')]);
    expect(result.code).toBe(3);
    expect(result.err).toContain('--tenant <12-digit account id>');
  });
});
