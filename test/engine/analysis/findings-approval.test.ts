// BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL and BM-GOV-APPROVER-DISABLED on a scenario written as a user writes a
// native file: approvals on grant credentials and on grant edges, approvers enabled, disabled and gone.
import { describe, expect, it } from 'vitest';
import { governanceFindings } from '../../../engine/analysis/findings.ts';
import { buildGraph, type CompactGraph } from '../../../engine/store/compact.ts';
import { parseNative } from '../../../importers/native/index.ts';

const AT = '2026-12-07';
const RULES = ['BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL', 'BM-GOV-APPROVER-DISABLED'];

// Handles: ada approves and stays; bob approved and was disabled; carl approved and was deleted (absent).
const SCENARIO = `
nodes:
  - { id: "m365:contoso:identity:ada", kind: Identity, subtype: human, name: Ada, platform: m365, tenant: contoso }
  - { id: "m365:contoso:identity:bob", kind: Identity, subtype: human, name: Bob, platform: m365, tenant: contoso, enabled: false }
  - { id: "m365:contoso:app:notetaker", kind: App, name: Notetaker, platform: m365, tenant: contoso, thirdParty: true }
  - { id: "m365:contoso:app:crm-sync", kind: App, name: CRM Sync, platform: m365, tenant: contoso }
  - { id: "m365:contoso:app:archiver", kind: App, name: Archiver, platform: m365, tenant: contoso, approvedBy: "m365:contoso:identity:carl", approvedAt: 2025-03-01 }
  - { id: "m365:contoso:app:vendor-app", kind: App, name: Vendor App, platform: other, tenant: elsewhere, approvedBy: "other:elsewhere:identity:zed" }
  # Approved for Mail.Read only; Mail.ReadWrite and Directory.ReadWrite.All added since, no new approval.
  - { id: "m365:contoso:credential:notetaker-grant", kind: Credential, type: oauth-grant, name: Notetaker grant, platform: m365, tenant: contoso,
      scopes: [Mail.Read], approvedBy: "m365:contoso:identity:ada", approvedAt: 2026-11-02, approvedScopes: [Mail.Read] }
  # Re-approved after the scope grew: nothing to flag.
  - { id: "m365:contoso:credential:sync-grant", kind: Credential, type: oauth-grant, name: Sync grant, platform: m365, tenant: contoso,
      scopes: [User.Read, Calendars.Read], approvedBy: "m365:contoso:identity:bob", approvedAt: 2026-12-01, approvedScopes: [User.Read, Calendars.Read] }
  # Revoked: not usable, nothing to flag however it was approved.
  - { id: "m365:contoso:credential:old-grant", kind: Credential, type: oauth-grant, name: Old grant, platform: m365, tenant: contoso,
      scopes: [Mail.Send], approvedBy: "m365:contoso:identity:bob", approvedScopes: [], revoked: true }
  - { id: "m365:contoso:resource:mail", kind: Resource, name: Mailboxes, platform: m365, tenant: contoso }
  - { id: "m365:contoso:resource:directory", kind: Resource, name: Directory, platform: m365, tenant: contoso }
edges:
  - { kind: HOLDS, from: "m365:contoso:app:notetaker", to: "m365:contoso:credential:notetaker-grant" }
  - { kind: CAN_READ, from: "m365:contoso:credential:notetaker-grant", to: "m365:contoso:resource:mail", grant: "m365:contoso:credential:notetaker-grant", scopes: [Mail.Read] }
  - { kind: CAN_WRITE, from: "m365:contoso:credential:notetaker-grant", to: "m365:contoso:resource:mail", grant: "m365:contoso:credential:notetaker-grant", scopes: [Mail.ReadWrite] }
  - { kind: CAN_ADMIN, from: "m365:contoso:credential:notetaker-grant", to: "m365:contoso:resource:directory", grant: "m365:contoso:credential:notetaker-grant", scopes: [Directory.ReadWrite.All] }
  - { kind: HOLDS, from: "m365:contoso:app:crm-sync", to: "m365:contoso:credential:sync-grant" }
  - { kind: CAN_READ, from: "m365:contoso:credential:sync-grant", to: "m365:contoso:resource:directory", grant: "m365:contoso:credential:sync-grant", scopes: [User.Read] }
  # An app-role assignment approved on its own edge, with a scope added to that edge later.
  - { kind: CAN_READ, from: "m365:contoso:app:crm-sync", to: "m365:contoso:resource:mail", scopes: [Mail.Read, Mail.Send],
      approvedBy: "m365:contoso:identity:ada", approvedAt: 2026-10-01T08:00:00Z, approvedScopes: [Mail.Read] }
`;

function graphOf(text: string): CompactGraph {
  const parsed = parseNative(text, { file: 'approvals.yaml' });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return buildGraph(parsed.value.fragment);
}

const found = governanceFindings(graphOf(SCENARIO), { at: AT, ruleIds: RULES });
const summary = (ruleId: string) => found.filter((f) => f.ruleId === ruleId).map((f) => [f.nodeName, f.severity, f.evidence.summary]);

describe('BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL', () => {
  it('flags scopes a grant carries now that its approval did not cover, on the grant, raised for admin scopes', () => {
    expect(summary('BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL')).toEqual([
      ['Notetaker grant', 'high', 'Approved by Ada on 2026-11-02 for Mail.Read; now also carries Directory.ReadWrite.All, Mail.ReadWrite (tenant-wide or admin: Directory.ReadWrite.All), with no approval since.'],
      ['CRM Sync', 'medium', 'Approved by Ada on 2026-10-01 for Mail.Read; now also carries Mail.Send, with no approval since.'],
    ]);
    const notetaker = found.find((f) => f.nodeName === 'Notetaker grant' && f.ruleId === 'BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL')!;
    expect(notetaker.evidence.scopes).toEqual(['Directory.ReadWrite.All', 'Mail.ReadWrite']);
    expect(notetaker.evidence.dates).toEqual({ approvedAt: '2026-11-02T00:00:00.000Z' });
    expect(notetaker.evidence.related.map((r) => [r.name, r.relation])).toEqual([['Ada', 'approved by']]);
    expect(notetaker.references).toEqual({ owaspNhi: ['NHI5:2025', 'NHI3:2025'], nistCsf: ['PR.AA-05', 'GV.SC-07'] });
  });

  it('a re-approval that covers the added scopes resolves it', () => {
    const reapproved = SCENARIO.replace('approvedAt: 2026-11-02, approvedScopes: [Mail.Read] }', 'approvedAt: 2026-12-05, approvedScopes: [Mail.Read, Mail.ReadWrite, Directory.ReadWrite.All] }');
    const after = governanceFindings(graphOf(reapproved), { at: AT, ruleIds: ['BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL'] });
    expect(after.map((f) => f.nodeName)).toEqual(['CRM Sync']);
  });

  it('an approval without a list of scopes says nothing about expansion', () => {
    const unlisted = SCENARIO.replaceAll(/, approvedScopes: \[[^\]]*\]/g, '');
    expect(governanceFindings(graphOf(unlisted), { at: AT, ruleIds: ['BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL'] })).toEqual([]);
  });
});

describe('BM-GOV-APPROVER-DISABLED', () => {
  it('flags access approved by a disabled account, and by one gone from a tenant the import covers', () => {
    expect(summary('BM-GOV-APPROVER-DISABLED')).toEqual([
      ['Sync grant', 'medium', 'approved by Bob, now disabled: no one accountable for this approval is left.'],
      ['Archiver', 'low', 'approved by m365:contoso:identity:carl, no longer in the directory: no one accountable for this approval is left.'],
    ]);
    const sync = found.find((f) => f.nodeName === 'Sync grant')!;
    expect(sync.evidence.related.map((r) => [r.name, r.relation])).toEqual([['Bob', 'disabled approver']]);
    expect(sync.references).toEqual({ owaspNhi: ['NHI1:2025'], nistCsf: ['PR.AA-05', 'GV.RR-02'] });
  });

  it('a revoked grant raises nothing, and an approver of a tenant the import does not cover is not taken for deleted', () => {
    expect(found.some((f) => f.nodeName === 'Old grant' || f.nodeName === 'Vendor App')).toBe(false);
  });

  it('is high for a third-party app', () => {
    const thirdParty = SCENARIO.replace('name: CRM Sync, platform: m365, tenant: contoso }', 'name: CRM Sync, platform: m365, tenant: contoso, thirdParty: true, approvedBy: "m365:contoso:identity:bob" }');
    const after = governanceFindings(graphOf(thirdParty), { at: AT, ruleIds: ['BM-GOV-APPROVER-DISABLED'] });
    expect(after.find((f) => f.nodeName === 'CRM Sync')?.severity).toBe('high');
  });
});
