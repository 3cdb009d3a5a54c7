// BM-GOV-REVIEW-OVERDUE from native records: the cadence and dates as a user writes them, parsed by the native
// parser (whole file and streamed NDJSON agree), and the calendar arithmetic of the due date against an oracle.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { governanceFindings } from '../../../engine/analysis/findings.ts';
import { reviewDue } from '../../../engine/analysis/findings-review.ts';
import { buildGraph } from '../../../engine/store/compact.ts';
import { parseNative } from '../../../importers/native/index.ts';
import { importNdjsonFast } from '../../../importers/native/ndjson-fast.ts';

const AT = '2026-12-01';
const YAML = `
nodes:
  - { id: "crm:t:app:quarterly", kind: App, name: Quarterly, platform: crm, tenant: t, ownerIds: ["idp:t:identity:ann"], approvedBy: "idp:t:identity:ann", approvedAt: 2026-01-10, reviewedAt: 2026-06-15, reviewEvery: P3M }
  - { id: "crm:t:app:fresh", kind: App, name: Fresh, platform: crm, tenant: t, ownerIds: ["idp:t:identity:ann"], reviewedAt: 2026-10-01, reviewEvery: P90D }
  - { id: "crm:t:app:untracked", kind: App, name: Untracked, platform: crm, tenant: t, ownerIds: ["idp:t:identity:ann"], reviewedAt: 2020-01-01 }
  - { id: "crm:t:credential:key", kind: Credential, type: api-key, name: Key, platform: crm, tenant: t, createdAt: 2025-11-01, expiresAt: 2027-01-01, rotatedAt: 2026-11-01, reviewEvery: P1Y }
  - { id: "crm:t:credential:never", kind: Credential, type: api-key, name: Never, platform: crm, tenant: t, expiresAt: 2027-01-01, rotatedAt: 2026-11-01, reviewEvery: P6M }
  - { id: "idp:t:identity:ann", kind: Identity, subtype: human, name: Ann, platform: idp, tenant: t }
edges:
  - { kind: OWNS, from: "idp:t:identity:ann", to: "crm:t:credential:key" }
  - { kind: OWNS, from: "idp:t:identity:ann", to: "crm:t:credential:never" }
`;

function findings(text: string, file = 'inventory.yaml') {
  const parsed = parseNative(text, { file });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const { nodes, edges } = parsed.value.fragment;
  return governanceFindings(buildGraph({ nodes, edges }), { at: AT, ruleIds: ['BM-GOV-REVIEW-OVERDUE'] });
}

describe('BM-GOV-REVIEW-OVERDUE', () => {
  it('flags a review older than its cadence, and one never reviewed, with the due date', () => {
    const found = findings(YAML);
    expect(found.map((f) => [f.nodeName, f.severity])).toEqual([['Quarterly', 'medium'], ['Key', 'medium'], ['Never', 'medium']]);
    const quarterly = found.find((f) => f.nodeName === 'Quarterly')!;
    expect(quarterly.evidence.summary).toBe('Must be reviewed every P3M; last reviewed on 2026-06-15, so due on 2026-09-15 (77 days ago).');
    expect(quarterly.evidence.dates).toEqual({ reviewedAt: '2026-06-15T00:00:00.000Z', approvedAt: '2026-01-10T00:00:00.000Z', reviewDue: '2026-09-15T00:00:00.000Z' });
    expect(quarterly.references).toEqual({ owaspNhi: ['NHI1:2025', 'NHI5:2025'], nistCsf: ['PR.AA-05', 'ID.AM-08'] });
    expect(found.find((f) => f.nodeName === 'Key')!.evidence.summary).toBe('Must be reviewed every P1Y; created, never reviewed, on 2025-11-01, so due on 2026-11-01 (30 days ago).');
    expect(found.find((f) => f.nodeName === 'Never')!.evidence.summary).toBe('Must be reviewed every P6M, and no review, approval or creation date is known.');
  });

  it('reads the same from NDJSON, and through the large-file NDJSON reader', () => {
    const parsed = parseNative(YAML, { file: 'inventory.yaml' });
    if (!parsed.ok) throw new Error('yaml');
    const ndjson = [...parsed.value.fragment.nodes, ...parsed.value.fragment.edges].map((record) => JSON.stringify(record)).join('\n');
    expect(findings(ndjson, 'inventory.ndjson').map((f) => f.id)).toEqual(findings(YAML).map((f) => f.id));
    // The large-file reader checks records by hand: it must accept the fields and the cadence the same way.
    const fast = importNdjsonFast(ndjson, { file: 'inventory.ndjson' });
    if (!fast.ok) throw new Error(JSON.stringify(fast.issues));
    expect(governanceFindings(fast.value.graph, { at: AT, ruleIds: ['BM-GOV-REVIEW-OVERDUE'] }).map((f) => f.evidence)).toEqual(findings(YAML).map((f) => f.evidence));
    const refused = importNdjsonFast(`${JSON.stringify({ id: 'a:t:app:x', kind: 'App', name: 'X', platform: 'a', tenant: 't', reviewEvery: 'P0D' })}\n`, { file: 'bad.ndjson' });
    expect(refused.ok).toBe(false);
  });

  it('a cadence on a grant edge: the grant is due when its edge is, named by the edge\'s scopes', () => {
    const grants = `
nodes:
  - { id: "crm:t:app:sync", kind: App, name: Sync, platform: crm, tenant: t, ownerIds: ["idp:t:identity:ann"] }
  - { id: "crm:t:credential:grant", kind: Credential, type: oauth-grant, name: Sync grant, platform: crm, tenant: t, createdAt: 2026-01-05, expiresAt: 2027-06-01 }
  - { id: "crm:t:resource:cases", kind: Resource, name: Cases, platform: crm, tenant: t }
  - { id: "idp:t:identity:ann", kind: Identity, subtype: human, name: Ann, platform: idp, tenant: t }
edges:
  - { kind: HOLDS, from: "crm:t:app:sync", to: "crm:t:credential:grant" }
  - { kind: CAN_READ, from: "crm:t:credential:grant", to: "crm:t:resource:cases", grant: "crm:t:credential:grant", scopes: [cases.read], reviewedAt: 2026-10-01, reviewEvery: P90D }
  - { kind: CAN_WRITE, from: "crm:t:credential:grant", to: "crm:t:resource:cases", grant: "crm:t:credential:grant", scopes: [cases.write], approvedAt: 2026-03-01, reviewEvery: P6M }
`;
    const found = findings(grants);
    expect(found.map((f) => [f.nodeName, f.evidence.summary, f.evidence.scopes])).toEqual([
      ['Sync grant', 'A grant (cases.write) must be reviewed every P6M; approved on 2026-03-01, so due on 2026-09-01 (91 days ago).', ['cases.write']],
    ]);
    // Reviewed since: nothing is due.
    expect(findings(grants.replace('approvedAt: 2026-03-01, reviewEvery: P6M', 'reviewedAt: 2026-11-20, reviewEvery: P6M'))).toEqual([]);
  });

  it('refuses a cadence that is not a duration in days, weeks, months or years', () => {
    const parsed = parseNative('nodes:\n  - { id: "a:t:app:x", kind: App, name: X, platform: a, tenant: t, reviewEvery: 90d }\n', { file: 'bad.yaml' });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues[0]).toMatchObject({ path: '$.nodes[0].reviewEvery', line: 2 });
  });

  it('due dates: days and weeks exactly, months and years clamped to the end of a shorter month (oracle)', () => {
    expect(new Date(reviewDue(Date.parse('2026-08-31T10:00:00Z'), 'P6M')!).toISOString()).toBe('2027-02-28T10:00:00.000Z');
    expect(new Date(reviewDue(Date.parse('2024-02-29T00:00:00Z'), 'P1Y')!).toISOString()).toBe('2025-02-28T00:00:00.000Z');
    fc.assert(fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }), fc.integer({ min: 1, max: 400 }), fc.constantFrom('D', 'W', 'M', 'Y'), (date, n, unit) => {
      const from = date.getTime();
      const due = reviewDue(from, `P${n}${unit}`)!;
      if (unit === 'D' || unit === 'W') { expect(due - from).toBe(n * (unit === 'W' ? 7 : 1) * 86_400_000); return; }
      // Oracle: step month by month, keeping the original day of month when it exists.
      const months = unit === 'M' ? n : 12 * n;
      const y = date.getUTCFullYear() + Math.floor((date.getUTCMonth() + months) / 12);
      const m = (date.getUTCMonth() + months) % 12;
      const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m]!;
      const expected = Date.UTC(y, m, Math.min(date.getUTCDate(), days), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
      expect(due).toBe(expected);
    }));
    expect(reviewDue(0, 'P0D')).toBeUndefined();
  });
});
