// The NDJSON scan (cli/ndjson-parallel-scan.ts) reads a plain edge line itself, untested by the secret rules, only when
// the rules its parts' keywords bring cannot match: no such line may be one `suspect` (the full test) would stop.
// Ids here name vendors (keywords) and carry token-like runs, secrets of the leak corpus, or both.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NdjsonScan, type ScanBatch } from '../../cli/ndjson-parallel-scan.ts';
import { suspect } from '../../cli/ndjson-stream.ts';
import { DEFAULT_SCHEMA } from '../../engine/schema/index.ts';
import { holdsSecretKeyword, SECRET_KEYWORDS } from '../../engine/secrets.ts';
import { secretCorpus } from './secret-corpus.ts';

const corpus = secretCorpus();
const vendors = ['datadog', 'okta', 'zendesk', 'atlassian', 'confluence', 'jira', 'airtable', 'slack', 'github', 'heroku'];
const idPart = fc.oneof(
  fc.constantFrom(...vendors, ...SECRET_KEYWORDS.filter((keyword) => !keyword.includes('"') && !keyword.includes('\\'))),
  fc.constantFrom(...corpus.map((secret) => secret.value.replace(/["\\\n]/g, ''))),
  fc.stringMatching(/^[A-Za-z0-9_\-=.]{1,50}$/),
  fc.constantFrom(':', '-', '_', '.', '/', ' = ', ': ', ','),
);
const id = fc.array(idPart, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(''));
const schemaKinds = DEFAULT_SCHEMA.edgeKinds;
const kind = fc.constantFrom('MEMBER_OF', 'CAN_READ', 'HAS_ROLE', 'AUTHENTICATES_AS', 'STORES_CREDENTIAL');

/** The lines the scan read as plain edges itself (ops with a code >= 0), as text. */
function readAsEdges(lines: readonly string[]): string[] {
  const batches: ScanBatch[] = [];
  const scan = new NdjsonScan({ file: 'in.ndjson', emit: (batch) => batches.push(batch) });
  scan.push(Buffer.from(`${lines.join('\n')}\n`, 'latin1'));
  scan.end();
  const kinds = ['MEMBER_OF', 'CAN_READ', 'HAS_ROLE', 'AUTHENTICATES_AS', 'STORES_CREDENTIAL'];
  const ids: string[] = [];
  const out: string[] = [];
  for (const batch of batches) {
    ids.push(...batch.ids);
    for (let k = 0; k < batch.opCount; k += 3) {
      const code = batch.ops[k]!;
      if (code < 0) continue;
      const name = Object.keys(schemaKinds)[code]!;
      expect(kinds).toContain(name);
      out.push(JSON.stringify({ kind: name, from: ids[batch.ops[k + 1]!], to: ids[batch.ops[k + 2]!] }));
    }
  }
  return out;
}


describe('plain edge lines read without the full secret test', () => {
  it('are never lines the full test stops, whatever vendors and token runs their ids hold', () => {
    let quiet = 0;
    fc.assert(fc.property(fc.array(fc.record({ kind, from: id, to: id }), { minLength: 1, maxLength: 30 }), (edges) => {
      const lines = edges.map((edge) => JSON.stringify(edge));
      for (const line of readAsEdges(lines)) {
        if (holdsSecretKeyword(line)) quiet++;
        expect(suspect(line), line).toBe(false);
      }
    }), { numRuns: 400 });
    // Lines holding keywords do take the fast path (otherwise this proves nothing).
    expect(quiet).toBeGreaterThan(300);
  });

  it('takes an edge between two vendor-named ids without a token, and stops one whose id carries a vendor token', () => {
    const token = 'a'.repeat(10) + 'B7'.repeat(15);
    const quietLine = JSON.stringify({ kind: 'MEMBER_OF', from: 'datadog:acme:identity:u-17', to: 'okta:acme.okta.com:group:00g-admins' });
    const loudLine = JSON.stringify({ kind: 'MEMBER_OF', from: `datadog:${token}`, to: 'okta:acme.okta.com:group:00g-admins' });
    expect(suspect(loudLine)).toBe(true);
    expect(readAsEdges([quietLine, loudLine])).toEqual([quietLine]);
  });
});
