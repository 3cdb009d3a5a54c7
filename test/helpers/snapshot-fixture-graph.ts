// The graph test/fixtures/snapshot/v2.bmap holds (written by encodeSnapshot when the snapshot format was version 2):
// every node kind, activity windows of each sort, tags, edge conditions and scopes, and records whose strings JSON
// must escape or that are not ASCII. Regenerate the file only for a deliberate format change:
// node bin/run-ts.js test/helpers/snapshot-fixture-graph.ts --write
import { writeFileSync } from 'node:fs';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { scenario } from './scenario.ts';

export const SNAPSHOT_FIXTURE = new URL('../fixtures/snapshot/v2.bmap', import.meta.url);

export function snapshotFixtureGraph(): CompactGraph {
  return scenario((s) => {
    s.platform('okta', { platform: 'okta', tenant: 'acme.okta.com', name: 'Okta (acme)' });
    s.app('drift', { platform: 'chatvendor', tenant: 'prod', thirdParty: true, name: 'Drift "chat" \\ bot' });
    s.credential('sfToken', { platform: 'salesforce', tenant: 'acme', type: 'refresh-token', createdAt: '2024-01-01T00:00:00.000Z', expiresAt: '2026-01-01T00:00:00.000Z', fingerprint: 'sha256:ab12' });
    s.credential('oldKey', { platform: 'salesforce', tenant: 'acme', revoked: true, revokedAt: '2025-03-01T00:00:00.000Z' });
    s.identity('ana', { platform: 'okta', tenant: 'acme.okta.com', name: 'Ana Müller 🔑', email: 'ana@acme.com', enabled: true, mfa: true });
    s.identity('bo', { platform: 'okta', tenant: 'acme.okta.com', name: '', enabled: false });
    s.group('all', { platform: 'okta', tenant: 'acme.okta.com', name: '所有员工 / all\nstaff' });
    s.role('admin', { platform: 'salesforce', tenant: 'acme', privileged: true });
    s.resource('cases', { platform: 'salesforce', tenant: 'acme', tags: ['pii', 'crown-jewel'], resourceType: 'object-set', sensitivity: 9 });
    s.resource('wiki', { platform: 'confluence', tenant: 'acme', name: 'x'.repeat(3000) });
    s.edge('HOLDS', 'drift', 'sfToken')
      .edge('HOLDS', 'drift', 'oldKey', { conditions: ['mfa'] })
      .edge('AUTHENTICATES_AS', 'sfToken', 'ana', { scopes: ['api', 'refresh_token'] })
      .edge('MEMBER_OF', 'ana', 'all')
      .edge('MEMBER_OF', 'bo', 'all')
      .edge('HAS_ROLE', 'all', 'admin', { reason: 'the group\'s "admins" rule' })
      .edge('CAN_READ', 'admin', 'cases')
      .edge('CAN_WRITE', 'ana', 'wiki', { conditions: ['device-managed', 'mfa'] })
      .edge('CONTAINS_CREDENTIAL', 'wiki', 'oldKey');
  }).graph;
}

if (process.argv.includes('--write')) {
  const { encodeSnapshot } = await import('../../engine/store/snapshot.ts');
  writeFileSync(SNAPSHOT_FIXTURE, encodeSnapshot(snapshotFixtureGraph()));
}
