// zod schemas of the AWS IAM responses the importer reads, with AWS's own field names (PascalCase as the API
// and the CLI return them). Unknown fields are accepted and ignored; SecretAccessKey is never part of a schema.
import { z } from 'zod';
import { calendarInstant } from '../../engine/format/dates.ts';

/**
 * AWS date-times arrive as ISO-8601 (`2026-10-01T12:00:00Z`, `...+00:00`) or, in boto3 dumps such as
 * cloudsplaining's, as Python `str(datetime)` with a space (`2019-12-18 19:10:08+00:00`). All become UTC instants.
 */
export const awsInstant = z
  .string()
  .refine((text) => /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text.trim()) && !Number.isNaN(calendarInstant(text.trim().replace(' ', 'T'))), { message: 'an ISO-8601 date-time on a real calendar day' })
  .transform((text) => new Date(Date.parse(text.trim().replace(' ', 'T'))).toISOString());

const name = z.string().min(1);
const arn = z.string().regex(/^arn:aws[a-z-]*:/, { message: 'an ARN (arn:aws:...)' });
/** A policy document: a JSON object (CLI and SDK output) or the URL-encoded JSON string the raw API returns. */
const policyDocument = z.union([z.string().min(1), z.record(z.string(), z.unknown())]);

const attachedPolicy = z.object({ PolicyName: z.string().nullish(), PolicyArn: arn });
const inlinePolicy = z.object({ PolicyName: name, PolicyDocument: policyDocument });
const permissionsBoundary = z.object({ PermissionsBoundaryType: z.string().nullish(), PermissionsBoundaryArn: arn });
const tag = z.object({ Key: z.string(), Value: z.string().nullish() });

/** `GetAccountAuthorizationDetails` `UserDetailList[]`. */
export const userDetailSchema = z.object({
  UserName: name,
  UserId: z.string().nullish(),
  Arn: arn,
  Path: z.string().nullish(),
  CreateDate: awsInstant.nullish(),
  GroupList: z.array(z.string()).nullish(),
  AttachedManagedPolicies: z.array(attachedPolicy).nullish(),
  UserPolicyList: z.array(inlinePolicy).nullish(),
  PermissionsBoundary: permissionsBoundary.nullish(),
  Tags: z.array(tag).nullish(),
});

/** `GetAccountAuthorizationDetails` `GroupDetailList[]`. */
export const groupDetailSchema = z.object({
  GroupName: name,
  GroupId: z.string().nullish(),
  Arn: arn,
  Path: z.string().nullish(),
  CreateDate: awsInstant.nullish(),
  AttachedManagedPolicies: z.array(attachedPolicy).nullish(),
  GroupPolicyList: z.array(inlinePolicy).nullish(),
});

/** `GetAccountAuthorizationDetails` `RoleDetailList[]`. `RoleLastUsed` is `{}` when the role was never used. */
export const roleDetailSchema = z.object({
  RoleName: name,
  RoleId: z.string().nullish(),
  Arn: arn,
  Path: z.string().nullish(),
  CreateDate: awsInstant.nullish(),
  AssumeRolePolicyDocument: policyDocument.nullish(),
  RolePolicyList: z.array(inlinePolicy).nullish(),
  AttachedManagedPolicies: z.array(attachedPolicy).nullish(),
  InstanceProfileList: z.array(z.object({ InstanceProfileName: z.string().nullish(), Arn: z.string().nullish() })).nullish(),
  RoleLastUsed: z.object({ LastUsedDate: awsInstant.nullish(), Region: z.string().nullish() }).nullish(),
  PermissionsBoundary: permissionsBoundary.nullish(),
  MaxSessionDuration: z.number().nullish(),
  Description: z.string().nullish(),
  Tags: z.array(tag).nullish(),
});

/** `GetAccountAuthorizationDetails` `Policies[]`: managed policies with every stored version. */
export const managedPolicySchema = z.object({
  PolicyName: name,
  PolicyId: z.string().nullish(),
  Arn: arn,
  Path: z.string().nullish(),
  DefaultVersionId: z.string().nullish(),
  AttachmentCount: z.number().nullish(),
  PermissionsBoundaryUsageCount: z.number().nullish(),
  IsAttachable: z.boolean().nullish(),
  Description: z.string().nullish(),
  PolicyVersionList: z.array(z.object({
    Document: policyDocument,
    VersionId: z.string().nullish(),
    IsDefaultVersion: z.boolean().nullish(),
    CreateDate: awsInstant.nullish(),
  })).nullish(),
});

/**
 * `ListAccessKeys` `AccessKeyMetadata[]`, also accepted with the `GetAccessKeyLastUsed` answer merged in
 * (`AccessKeyLastUsed`, or flat `LastUsedDate`/`ServiceName`/`Region` as some collectors write it), and the
 * `AccessKey` object `CreateAccessKey` returns (its `SecretAccessKey` is not read).
 */
export const accessKeySchema = z.object({
  UserName: name,
  AccessKeyId: z.string().regex(/^[A-Z0-9]{16,128}$/, { message: 'an access key id (AKIA...)' }),
  Status: z.enum(['Active', 'Inactive', 'Expired']),
  CreateDate: awsInstant.nullish(),
  AccessKeyLastUsed: z.object({ LastUsedDate: awsInstant.nullish(), ServiceName: z.string().nullish(), Region: z.string().nullish() }).nullish(),
  LastUsedDate: awsInstant.nullish(),
  ServiceName: z.string().nullish(),
  Region: z.string().nullish(),
});

/**
 * `GetAccessKeyLastUsed`: `{UserName, AccessKeyLastUsed}`. The answer does not repeat the key id, so the file is
 * named after the key (`access-key-last-used/AKIA....json`) or the record carries `AccessKeyId`.
 */
export const accessKeyLastUsedSchema = z.object({
  AccessKeyId: z.string().regex(/^[A-Z0-9]{16,128}$/).nullish(),
  UserName: z.string().nullish(),
  AccessKeyLastUsed: z.object({ LastUsedDate: awsInstant.nullish(), ServiceName: z.string().nullish(), Region: z.string().nullish() }),
});

/** `GetCredentialReport` as the CLI prints it: the CSV base64-encoded in `Content`. */
export const credentialReportEnvelopeSchema = z.object({
  Content: z.string().min(1),
  ReportFormat: z.string().nullish(),
  GeneratedTime: awsInstant.nullish(),
});

/**
 * A date cell of the credential report: a date-time, or a word (`N/A`, `no_information`, `not_supported`). A date
 * off the calendar (2024-02-30) is an input error naming the column, never a missing or rolled-over date.
 */
const reportDateCell = z.string().refine(
  (text) => !/^\d{4}-\d{2}-\d{2}/.test(text.trim()) || !Number.isNaN(calendarInstant(text.trim().replace(' ', 'T'))),
  { message: 'an ISO-8601 date-time on a real calendar day, or N/A' },
).optional();

/** The credential report's date columns (docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html). */
const REPORT_DATE_COLUMNS = [
  'user_creation_time', 'password_last_used', 'password_last_changed', 'password_next_rotation',
  'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_2_last_rotated', 'access_key_2_last_used_date',
  'cert_1_last_rotated', 'cert_2_last_rotated',
] as const;

/** One row of the credential report CSV, by column name. Values such as `N/A` are read by the transform. */
export const credentialReportRowSchema = z.object({
  user: name,
  arn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(root|user\/.+)$/, { message: 'an IAM user or root ARN' }),
  ...Object.fromEntries(REPORT_DATE_COLUMNS.map((column) => [column, reportDateCell])) as Record<(typeof REPORT_DATE_COLUMNS)[number], typeof reportDateCell>,
}).catchall(z.string());

/** `aws s3api list-buckets` `Buckets[]`. */
export const bucketSchema = z.object({ Name: name, CreationDate: awsInstant.nullish() });
/** `aws secretsmanager list-secrets` `SecretList[]`. */
export const secretSchema = z.object({ Name: name, ARN: arn.nullish(), Description: z.string().nullish(), LastAccessedDate: awsInstant.nullish(), RotationEnabled: z.boolean().nullish() });
/** `aws lambda list-functions` `Functions[]`: the execution role is what the function's code runs as. */
export const functionSchema = z.object({ FunctionName: name, FunctionArn: arn.nullish(), Role: arn.nullish(), Runtime: z.string().nullish() });
/** `aws dynamodb list-tables` `TableNames[]` (plain strings). */
export const tableNameSchema = name;

export type UserDetail = z.output<typeof userDetailSchema>;
export type GroupDetail = z.output<typeof groupDetailSchema>;
export type RoleDetail = z.output<typeof roleDetailSchema>;
export type ManagedPolicy = z.output<typeof managedPolicySchema>;
export type AccessKey = z.output<typeof accessKeySchema>;
export type AccessKeyLastUsed = z.output<typeof accessKeyLastUsedSchema>;
export type CredentialReportRow = z.output<typeof credentialReportRowSchema>;
export type Bucket = z.output<typeof bucketSchema>;
export type Secret = z.output<typeof secretSchema>;
export type LambdaFunction = z.output<typeof functionSchema>;
