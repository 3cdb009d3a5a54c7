// Credentials that appear on two platforms: AWS access key ids (listed by IAM, pasted in Salesforce cases and CI
// settings) and the Snowflake token pasted in a case. The ids are invented and contain EXAMPLE; a scanner's
// finding names a key by the fingerprint blastmap computes from its id, never by the id itself.
import { accessKeyFingerprint, accessKeyHint } from '../../importers/aws/fingerprint.ts';

export const PROD_ACCOUNT = '111122223333';
export const STAGING_ACCOUNT = '444455556666';

export const AWS_KEYS = {
  dataExport: { account: PROD_ACCOUNT, user: 'svc-data-export', id: 'AKIACVDEXAMPLE4K7Q2X', status: 'Active', created: '2025-02-11T09:14:27+00:00', lastUsed: '2026-11-21T23:02:00+00:00', service: 's3' },
  dataExportOld: { account: PROD_ACCOUNT, user: 'svc-data-export', id: 'AKIACVDEXAMPLE9WK4PD', status: 'Inactive', created: '2022-06-01T09:05:00+00:00', lastUsed: '2025-02-11T08:40:00+00:00', service: 's3' },
  legacyBackup: { account: PROD_ACCOUNT, user: 'svc-legacy-backup', id: 'AKIACVDEXAMPLE2JW8NC', status: 'Active', created: '2021-08-30T12:05:00+00:00', lastUsed: '2026-11-22T01:30:00+00:00', service: 's3' },
  webDeploy: { account: STAGING_ACCOUNT, user: 'svc-web-deploy', id: 'AKIACVDEXAMPLE6RM4VD', status: 'Active', created: '2024-02-19T10:00:00+00:00', lastUsed: '2026-11-20T16:45:00+00:00', service: 's3' },
} as const;

/** The native part of the id the AWS importer gives the key (`access-key/<16 hex>`), as a finding names it. */
export const awsKeyRef = (key: { id: string }): string => `access-key/${accessKeyFingerprint(key.id).slice('sha256:'.length)}`;
export const awsKeyHint = (key: { id: string }): string => accessKeyHint(key.id);

export const SNOWFLAKE_PAT = 'snowflake:corvidlabs:credential:pat/SVC_REPORTING/GLIMPSE_DASHBOARDS';
