// Corvid Labs' two AWS accounts as the AWS CLI prints IAM (docs/importers/aws.md), one folder per account:
// corvid-prod (service users with long-lived keys, the GitHub Actions OIDC deploy role, IAM Identity Center
// permission-set roles) and corvid-staging (the web deploy user whose key sits in Tackle CI).
import { AWS_KEYS, PROD_ACCOUNT, STAGING_ACCOUNT } from './keys.ts';
import type { Files } from './write.ts';

type Statement = { Sid?: string; Effect: 'Allow' | 'Deny'; Action?: string | string[]; NotAction?: string | string[]; Resource?: string | string[]; Condition?: object; Principal?: object };
const doc = (...Statement: Statement[]) => ({ Version: '2012-10-17', Statement });
const bucket = (name: string) => [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`];
const arn = (account: string, path: string) => `arn:aws:iam::${account}:${path}`;

const SSO_PROVIDER = 'AWSSSO_b2c7e5a1d4f93e08_DO_NOT_DELETE';
const ssoTrust = (account: string) => doc({
  Effect: 'Allow', Principal: { Federated: arn(account, `saml-provider/${SSO_PROVIDER}`) }, Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
  Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
});

/** AWS-managed policies as IAM returns them (the long ones shortened to the statements that matter here). */
const AWS_MANAGED: Record<string, ReturnType<typeof doc>> = {
  AdministratorAccess: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
  PowerUserAccess: doc(
    { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
    { Effect: 'Allow', Action: ['iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole', 'iam:ListRoles', 'organizations:DescribeOrganization', 'account:ListRegions', 'account:GetAccountInformation'], Resource: '*' },
  ),
  ReadOnlyAccess: doc({ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 'dynamodb:Describe*', 'dynamodb:List*', 'lambda:Get*', 'lambda:List*', 'iam:Get*', 'iam:List*', 'cloudtrail:Describe*', 'cloudtrail:LookupEvents', 'ec2:Describe*', 'rds:Describe*'], Resource: '*' }),
  SecurityAudit: doc({ Effect: 'Allow', Action: ['s3:GetBucketPolicy', 's3:GetBucketAcl', 's3:GetBucketLogging', 's3:ListAllMyBuckets', 'iam:GenerateCredentialReport', 'iam:GetAccountAuthorizationDetails', 'iam:List*', 'cloudtrail:Describe*', 'cloudtrail:GetTrailStatus', 'ec2:Describe*', 'secretsmanager:ListSecrets'], Resource: '*' }),
};

function policy(account: string, name: string, document: ReturnType<typeof doc>, managed: boolean, created: string) {
  return {
    PolicyName: name, PolicyId: `ANPA${name.replace(/[^A-Za-z]/g, '').toUpperCase().slice(0, 12).padEnd(12, 'X')}CVD0`, Arn: managed ? `arn:aws:iam::aws:policy/${name}` : arn(account, `policy/${name}`),
    Path: '/', DefaultVersionId: 'v1', AttachmentCount: 1, PermissionsBoundaryUsageCount: 0, IsAttachable: true, CreateDate: created, UpdateDate: created,
    PolicyVersionList: [{ Document: document, VersionId: 'v1', IsDefaultVersion: true, CreateDate: created }],
  };
}

function iamUser(account: string, name: string, id: string, created: string, extra: { inline?: [string, ReturnType<typeof doc>][]; managed?: string[]; tags?: Record<string, string> }) {
  return {
    Path: '/service/', UserName: name, UserId: id, Arn: arn(account, `user/service/${name}`), CreateDate: created, GroupList: [],
    AttachedManagedPolicies: (extra.managed ?? []).map((p) => ({ PolicyName: p, PolicyArn: arn(account, `policy/${p}`) })),
    UserPolicyList: (extra.inline ?? []).map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument })),
    Tags: Object.entries(extra.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
  };
}

function role(account: string, path: string, name: string, id: string, created: string, trust: object, extra: { inline?: [string, ReturnType<typeof doc>][]; managed?: string[]; lastUsed?: string }) {
  return {
    Path: path, RoleName: name, RoleId: id, Arn: arn(account, `role${path}${name}`), CreateDate: created, AssumeRolePolicyDocument: trust, InstanceProfileList: [],
    RolePolicyList: (extra.inline ?? []).map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument })),
    AttachedManagedPolicies: (extra.managed ?? []).map((p) => ({ PolicyName: p, PolicyArn: AWS_MANAGED[p] ? `arn:aws:iam::aws:policy/${p}` : arn(account, `policy/${p}`) })),
    Tags: [], RoleLastUsed: extra.lastUsed ? { LastUsedDate: extra.lastUsed, Region: 'us-east-1' } : {},
  };
}

const REPORT_HEADER = 'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const NA4 = 'N/A,N/A,N/A,N/A';
type Key = (typeof AWS_KEYS)[keyof typeof AWS_KEYS];
const slot = (key: Key | undefined) => key ? `${key.status === 'Active'},${key.created},${key.lastUsed},us-east-1,${key.service}` : `false,${NA4}`;
const reportRow = (account: string, user: string, created: string, keys: [Key?, Key?]) =>
  `${user},${arn(account, `user/service/${user}`)},${created},false,N/A,N/A,N/A,false,${slot(keys[0])},${slot(keys[1])},false,N/A,false,N/A`;
const rootRow = (account: string) => `<root_account>,arn:aws:iam::${account}:root,2019-03-01T10:00:00+00:00,not_supported,2026-05-04T08:00:00+00:00,not_supported,not_supported,true,false,${NA4},false,${NA4},false,N/A,false,N/A`;

function keyFiles(files: Files, keys: Key[]): void {
  const byUser = new Map<string, Key[]>();
  for (const key of keys) byUser.set(key.user, [...(byUser.get(key.user) ?? []), key]);
  for (const [user, list] of byUser) {
    files[`access-keys/${user}.json`] = { AccessKeyMetadata: list.map((k) => ({ UserName: user, AccessKeyId: k.id, Status: k.status, CreateDate: k.created })), IsTruncated: false };
  }
  for (const k of keys) files[`access-key-last-used/${k.id}.json`] = { UserName: k.user, AccessKeyLastUsed: { LastUsedDate: k.lastUsed, ServiceName: k.service, Region: 'us-east-1' } };
}

const buckets = (names: [string, string][]) => ({ Buckets: names.map(([Name, CreationDate]) => ({ Name, CreationDate })), Owner: { DisplayName: 'corvid-aws', ID: 'EXAMPLE-canonical-user-id-corvid' } });

export function awsProdExport(files: Files): void {
  const a = PROD_ACCOUNT;
  const ssoRole = (set: string, suffix: string, extra: Parameters<typeof role>[6]) => role(a, '/aws-reserved/sso.amazonaws.com/', `AWSReservedSSO_${set}_${suffix}`, `AROACVD${set.toUpperCase().slice(0, 9).padEnd(9, 'X')}SSO`, '2023-01-10T10:30:00+00:00', ssoTrust(a), extra);
  files['account-authorization-details.json'] = {
    UserDetailList: [
      iamUser(a, 'svc-data-export', 'AIDACVDSVCDATAEXPORT', '2022-06-01T09:00:00+00:00', { tags: { owner: 'data-team', purpose: 'nightly customer export' }, inline: [['data-export-s3', doc(
        { Sid: 'ReadCustomerData', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [...bucket('corvid-prod-customer-data'), ...bucket('corvid-data-lake-raw')] },
        { Sid: 'WriteExports', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'], Resource: bucket('corvid-prod-exports') },
        { Sid: 'NeverState', Effect: 'Deny', Action: 's3:*', Resource: bucket('corvid-terraform-state') },
      )]] }),
      iamUser(a, 'svc-legacy-backup', 'AIDACVDSVCLEGACYBKUP', '2021-08-30T12:00:00+00:00', { tags: { owner: 'it' }, managed: ['backup-writer'] }),
    ],
    GroupDetailList: [],
    RoleDetailList: [
      // Any branch or pull request workflow of corvid/infra may assume the deploy role (the sub condition
      // ends in *), which writes every corvid-prod-* bucket and the Terraform state.
      role(a, '/', 'github-actions-deploy', 'AROACVDGHACTIONSDPL1', '2024-01-17T14:00:00+00:00', doc({
        Effect: 'Allow', Principal: { Federated: arn(a, 'oidc-provider/token.actions.githubusercontent.com') }, Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:corvid/infra:*' } },
      }), { lastUsed: '2026-11-21T18:20:00+00:00', inline: [['deploy', doc(
        { Sid: 'DeployBuckets', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], Resource: [...bucket('corvid-prod-*'), ...bucket('corvid-terraform-state')] },
      )]] }),
      ssoRole('AdministratorAccess', '796d21d1523fc5a1', { managed: ['AdministratorAccess'], lastUsed: '2026-11-21T10:02:00+00:00' }),
      ssoRole('PowerUserAccess', 'c8238bf1e7b7fdf9', { managed: ['PowerUserAccess'], lastUsed: '2026-11-20T14:45:00+00:00' }),
      ssoRole('ReadOnlyAccess', 'da36645c7faecf84', { managed: ['ReadOnlyAccess'], lastUsed: '2026-11-19T09:12:00+00:00' }),
      ssoRole('SecurityAudit', '0015be6d966d8398', { managed: ['SecurityAudit'], lastUsed: '2026-11-18T16:30:00+00:00' }),
      ssoRole('DataEngineering', 'fef0ec0abefe1a47', { lastUsed: '2026-11-21T08:05:00+00:00', inline: [['AwsSSOInlinePolicy', doc(
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], Resource: bucket('corvid-data-lake-raw') },
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: bucket('corvid-prod-exports') },
        { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:us-east-1:${a}:secret:prod/data/snowflake-svc-dbt-*` },
      )]] }),
    ],
    Policies: [
      policy(a, 'backup-writer', doc({ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:ListBucket'], Resource: bucket('corvid-prod-backups') }), false, '2021-08-30T12:01:00+00:00'),
      ...Object.entries(AWS_MANAGED).map(([name, document]) => policy(a, name, document, true, '2015-02-06T18:39:46+00:00')),
    ],
    IsTruncated: false,
  };
  keyFiles(files, [AWS_KEYS.dataExport, AWS_KEYS.dataExportOld, AWS_KEYS.legacyBackup]);
  files['credential-report.csv'] = [REPORT_HEADER, rootRow(a),
    reportRow(a, 'svc-data-export', '2022-06-01T09:00:00+00:00', [AWS_KEYS.dataExportOld, AWS_KEYS.dataExport]),
    reportRow(a, 'svc-legacy-backup', '2021-08-30T12:00:00+00:00', [AWS_KEYS.legacyBackup]),
  ].join('\n') + '\n';
  files['buckets.json'] = buckets([
    ['corvid-prod-customer-data', '2019-06-12T10:00:00+00:00'], ['corvid-prod-exports', '2020-02-03T10:00:00+00:00'], ['corvid-prod-backups', '2019-06-12T10:05:00+00:00'],
    ['corvid-prod-app-assets', '2019-06-12T10:10:00+00:00'], ['corvid-prod-deploy-artifacts', '2022-01-20T10:00:00+00:00'], ['corvid-terraform-state', '2019-06-10T10:00:00+00:00'],
    ['corvid-data-lake-raw', '2021-02-01T10:00:00+00:00'], ['corvid-cloudtrail-logs', '2019-06-10T09:00:00+00:00'],
  ]);
  files['secrets.json'] = { SecretList: [
    { ARN: `arn:aws:secretsmanager:us-east-1:${a}:secret:prod/api/database-Vx3k9P`, Name: 'prod/api/database', Description: 'Master credentials of RDS corvid-prod-main', LastChangedDate: '2025-01-15T10:00:00+00:00', CreatedDate: '2019-06-12T11:00:00+00:00', Tags: [] },
    { ARN: `arn:aws:secretsmanager:us-east-1:${a}:secret:prod/data/snowflake-svc-dbt-Qm7t2L`, Name: 'prod/data/snowflake-svc-dbt', Description: 'Private key of Snowflake user SVC_DBT', LastChangedDate: '2024-02-01T10:00:00+00:00', CreatedDate: '2023-02-01T10:00:00+00:00', Tags: [] },
  ] };
}

export function awsStagingExport(files: Files): void {
  const a = STAGING_ACCOUNT;
  files['account-authorization-details.json'] = {
    UserDetailList: [
      iamUser(a, 'svc-web-deploy', 'AIDACVDSVCWEBDEPLOY1', '2024-02-19T09:55:00+00:00', { tags: { owner: 'frontend' }, inline: [['web-deploy', doc(
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'], Resource: bucket('corvid-staging-artifacts') },
      )]] }),
    ],
    GroupDetailList: [], RoleDetailList: [], Policies: [], IsTruncated: false,
  };
  keyFiles(files, [AWS_KEYS.webDeploy]);
  files['credential-report.csv'] = [REPORT_HEADER, rootRow(a), reportRow(a, 'svc-web-deploy', '2024-02-19T09:55:00+00:00', [AWS_KEYS.webDeploy])].join('\n') + '\n';
  files['buckets.json'] = buckets([['corvid-staging-artifacts', '2021-03-01T10:00:00+00:00']]);
}
