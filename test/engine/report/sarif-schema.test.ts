// SARIF output validated against the official OASIS SARIF 2.1.0 JSON Schema (as shipped in
// @microsoft/jest-sarif) with a real JSON Schema validator, for a failing and a passing review.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { review } from '../../../engine/analysis/review.ts';
import { parsePolicy } from '../../../engine/policy.ts';
import { reviewSarif } from '../../../engine/report/sarif.ts';
import { parseNative } from '../../../importers/native/index.ts';
import { loadDemoGraph } from '../../../cli/commands/demo.ts';
import { REPO } from '../../helpers/cli.ts';

const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
// The OASIS schema's language pattern is not valid as a unicode regex; ajv's default (u flag) rejects it.
// Both packages are CommonJS; under NodeNext their classes are the `default` export of the module object.
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajvFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

function sarifOf(proposalFile: string) {
  const graph = loadDemoGraph();
  const policy = parsePolicy(readFileSync(`${REPO}/datasets/policies/default.yaml`, 'utf8'), { file: 'datasets/policies/default.yaml' });
  if (!policy.ok) throw new Error('default policy must parse');
  const proposal = parseNative(readFileSync(`${REPO}/${proposalFile}`, 'utf8'), { file: proposalFile });
  if (!proposal.ok) throw new Error(`${proposalFile} must parse`);
  return reviewSarif(review(graph, proposal.value, policy.value, { at: '2026-11-22' }), { toolVersion: '0.1.0', policyFile: 'datasets/policies/default.yaml' });
}

describe('SARIF output', () => {
  it.each(['datasets/proposals/notewise-meeting-notes.yaml', 'datasets/proposals/tally-forecasts-snowflake.yaml'])('validates against the official SARIF 2.1.0 schema: %s', (file) => {
    const log = sarifOf(file);
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the validator rejects a log that breaks the schema (so the test above can fail)', () => {
    const log = structuredClone(sarifOf('datasets/proposals/notewise-meeting-notes.yaml')) as { runs: { results: { level: string }[] }[] };
    log.runs[0]!.results[0]!.level = 'catastrophic';
    expect(validate(log)).toBe(false);
  });
});
