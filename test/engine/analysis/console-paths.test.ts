// The console-path table: rows resolve by platform, kind and variant; placeholders name the object, the
// principal a credential acts as, or its holder; unknown platforms fall back to the vendor.
import { describe, expect, it } from 'vitest';
import { CONSOLE_PATHS, consolePath, consoleRow } from '../../../engine/analysis/console-paths.ts';
import type { GraphNode } from '../../../engine/format/native.ts';

const node = (fields: Partial<GraphNode> & Pick<GraphNode, 'kind' | 'platform' | 'name'>): GraphNode => ({ id: `${fields.platform}:t:${fields.kind}:${fields.name}`, tenant: 't', ...fields } as GraphNode);

describe('consolePath', () => {
  it('names the IAM user of an access key and the root user of a root password', () => {
    const key = node({ kind: 'Credential', platform: 'aws', tenant: '111122223333', name: 'Access key (AKIA…7Q2X)', type: 'api-key' });
    const user = node({ kind: 'Identity', platform: 'aws', name: 'IAM user svc-data-export', properties: { userName: 'svc-data-export' } });
    expect(consolePath({ node: key, principal: user })).toBe('AWS console → IAM → Users → svc-data-export → Security credentials → Access keys');
    const root = node({ kind: 'Identity', platform: 'aws', tenant: '111122223333', name: 'Root user', properties: { root: true } });
    const password = node({ kind: 'Credential', platform: 'aws', tenant: '111122223333', name: 'Console password', type: 'password' });
    expect(consolePath({ node: password, principal: root })).toBe('AWS console signed in as the root user of account 111122223333 → account menu → Security credentials');
  });

  it('matches the first row of the kind and variant, and a platform sub-key such as entra-… only by prefix and dash', () => {
    const okta = node({ kind: 'Credential', platform: 'okta', name: 'Okta API token "sync"', type: 'api-key' });
    expect(consoleRow({ node: okta })?.where).toBe('Okta Admin → Security → API → Tokens → {name}');
    const app = node({ kind: 'App', platform: 'entra-gov', name: 'Payroll' });
    expect(consolePath({ node: app })).toBe('Microsoft Entra admin center → Enterprise applications → Payroll → Permissions');
    expect(consoleRow({ node: node({ kind: 'App', platform: 'entrada', name: 'x' }) })).toBeUndefined();
  });

  it('a credential without a principal or holder says so instead of inventing one', () => {
    const grant = node({ kind: 'Credential', platform: 'salesforce', name: 'token', type: 'refresh-token' });
    expect(consolePath({ node: grant })).toBe('Salesforce Setup → Apps → Connected Apps → Connected Apps OAuth Usage → the holder → Revoke');
  });

  it('a vendor environment has no row: the vendor acts there, the customer where it was granted', () => {
    const vendorApp = node({ kind: 'App', platform: 'parley', name: 'Parley Chat', vendor: 'Parley Inc.' });
    expect(consolePath({ node: vendorApp }, 'Salesforce Setup → …')).toBe('Parley Inc. runs Parley Chat; on your side: Salesforce Setup → …');
  });

  it('every row uses only the placeholders the filler knows and names a console a reader can find', () => {
    for (const row of CONSOLE_PATHS) {
      for (const [placeholder] of row.where.matchAll(/\{[^}]*\}/g)) expect(placeholder, row.where).toMatch(/^\{(name|principal|holder|vendor)(\.[A-Za-z0-9_]+)?\}$/);
      expect(row.where).toMatch(/^(AWS console|Okta Admin|Google Admin|Google Cloud console|Salesforce|GitHub|Slack|Microsoft Entra admin center|Snowsight|n8n)/);
    }
  });
});
