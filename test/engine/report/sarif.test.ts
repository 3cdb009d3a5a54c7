// The review as SARIF 2.1.0: the required structure (checked with a zod schema of the subset blastmap emits,
// following the OASIS spec), locations in the proposal file, escaping, URIs and determinism.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { review } from '../../../engine/analysis/review.ts';
import { parsePolicy, REVIEW_RULES, type Policy } from '../../../engine/policy.ts';
import { pathToUri, reviewSarif, sarifText, SARIF_SCHEMA } from '../../../engine/report/sarif.ts';
import { parseNative } from '../../../importers/native/index.ts';
import { at, corp, NOTES, notesProposal } from '../../helpers/review-scenario.ts';

const text = z.object({ text: z.string().min(1) }).strict();
const artifactLocation = z.object({ uri: z.string().min(1), uriBaseId: z.string().optional() }).strict();
/** SARIF 2.1.0 (OASIS) requirements for the objects blastmap writes: §3.13 sarifLog, §3.14 run, §3.19 tool, §3.27 result, §3.28 location. */
const sarifLog = z.object({
  $schema: z.literal(SARIF_SCHEMA),
  version: z.literal('2.1.0'),
  runs: z.array(z.object({
    tool: z.object({
      driver: z.object({
        name: z.literal('blastmap'),
        version: z.string(),
        informationUri: z.string().url(),
        rules: z.array(z.object({
          id: z.string().regex(/^BM-REVIEW-[A-Z-]+$/),
          name: z.string(),
          shortDescription: text,
          fullDescription: text,
          helpUri: z.string().url(),
          help: text,
          defaultConfiguration: z.object({ enabled: z.boolean(), level: z.enum(['error', 'warning', 'note']) }).strict(),
        }).strict()),
      }).strict(),
    }).strict(),
    artifacts: z.array(z.object({ location: artifactLocation }).strict()).optional(),
    results: z.array(z.object({
      ruleId: z.string(),
      ruleIndex: z.number().int().min(0),
      level: z.enum(['error', 'warning', 'note']),
      message: text,
      locations: z.array(z.object({
        physicalLocation: z.object({
          artifactLocation,
          region: z.object({ startLine: z.number().int().min(1) }).strict(),
        }).strict().optional(),
        logicalLocations: z.array(z.object({ name: z.string(), fullyQualifiedName: z.string() }).strict()).optional(),
      }).strict()).min(1),
      partialFingerprints: z.record(z.string(), z.string()),
      properties: z.record(z.string(), z.unknown()),
    }).strict()),
    properties: z.record(z.string(), z.unknown()),
  }).strict()).length(1),
}).strict();

const PROPOSAL = [
  'nodes:',
  '  - { id: "notes:prod:app:notes", kind: App, name: Notes AI, platform: notes, tenant: prod, thirdParty: true }',
  '  - { id: "google:corp.com:credential:notes-grant", kind: Credential, type: oauth-grant, name: Notes grant, platform: google, tenant: corp.com }',
  'edges:',
  '  - { kind: HOLDS, from: "notes:prod:app:notes", to: "google:corp.com:credential:notes-grant" }',
  '  - { kind: CAN_WRITE, from: "google:corp.com:credential:notes-grant", to: "aws:111:resource:bucket", scopes: ["https://mail.google.com/"] }',
  '',
].join('\n');

function strictPolicy(): Policy {
  const parsed = parsePolicy([
    'version: 1',
    'rules: { requireOwner: true, forbidReach: [{ tag: crown-jewel }], forbiddenScopes: ["https://mail.google.com/"], forbidTenantWideScopes: true, requireVerifiedPublisher: true }',
    'severity: { forbidTenantWideScopes: warning, requireVerifiedPublisher: note }',
    '',
  ].join('\n'));
  if (!parsed.ok) throw new Error('policy should parse');
  return parsed.value;
}

function sarifFor(file = 'proposals/notes.yaml') {
  const parsed = parseNative(PROPOSAL, { file });
  if (!parsed.ok) throw new Error('proposal should parse');
  return reviewSarif(review(corp().graph, parsed.value, strictPolicy(), { at }), { toolVersion: '0.1.0', policyFile: 'policy.yaml' });
}

describe('reviewSarif', () => {
  it('writes a SARIF 2.1.0 log: one run, a rule per policy rule, a result per violation', () => {
    const log = sarifFor();
    expect(() => sarifLog.parse(log)).not.toThrow();
    const run = log.runs[0]!;
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual(REVIEW_RULES.map((rule) => rule.id));
    expect(run.results.map((result) => [result.ruleId, result.level])).toEqual([
      ['BM-REVIEW-FORBID-REACH', 'error'],
      ['BM-REVIEW-REQUIRE-OWNER', 'error'],
      ['BM-REVIEW-FORBIDDEN-SCOPE', 'error'],
      ['BM-REVIEW-TENANT-WIDE-SCOPE', 'warning'],
      ['BM-REVIEW-VERIFIED-PUBLISHER', 'note'],
    ]);
    expect(run.properties).toMatchObject({ passed: false, counts: { error: 3, warning: 1, note: 1 }, policy: 'policy.yaml' });
  });

  it('refers to each rule by the index of its descriptor, enabled as the policy says', () => {
    const run = sarifFor().runs[0]!;
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
    const enabled = run.tool.driver.rules.filter((rule) => rule.defaultConfiguration.enabled).map((rule) => rule.name);
    expect(enabled).toEqual(['forbidReach', 'requireOwner', 'forbiddenScopes', 'forbidTenantWideScopes', 'requireVerifiedPublisher']);
    expect(run.tool.driver.rules.find((rule) => rule.name === 'forbidTenantWideScopes')!.defaultConfiguration.level).toBe('warning');
  });

  it('points every result at the proposal file and the line of the element responsible', () => {
    const run = sarifFor().runs[0]!;
    const where = run.results.map((result) => [result.ruleId, result.locations[0]!.physicalLocation!.artifactLocation.uri, result.locations[0]!.physicalLocation!.region!.startLine]);
    expect(where).toEqual([
      ['BM-REVIEW-FORBID-REACH', 'proposals/notes.yaml', 6],
      ['BM-REVIEW-REQUIRE-OWNER', 'proposals/notes.yaml', 2],
      ['BM-REVIEW-FORBIDDEN-SCOPE', 'proposals/notes.yaml', 6],
      ['BM-REVIEW-TENANT-WIDE-SCOPE', 'proposals/notes.yaml', 6],
      ['BM-REVIEW-VERIFIED-PUBLISHER', 'proposals/notes.yaml', 2],
    ]);
    expect(run.results[0]!.locations[0]!.physicalLocation!.artifactLocation.uriBaseId).toBe('%SRCROOT%');
    expect(run.results[1]!.locations[0]!.logicalLocations).toEqual([{ name: 'Notes AI', fullyQualifiedName: NOTES }]);
    expect(run.results[0]!.properties).toMatchObject({ nodeId: NOTES, targetId: 'aws:111:resource:bucket', tag: 'crown-jewel', level: 'write' });
    expect(run.artifacts).toEqual([{ location: { uri: 'proposals/notes.yaml', uriBaseId: '%SRCROOT%' } }]);
  });

  it('is deterministic, with a distinct fingerprint per result', () => {
    const first = JSON.stringify(sarifFor());
    expect(JSON.stringify(sarifFor())).toBe(first);
    const fingerprints = sarifFor().runs[0]!.results.map((result) => result.partialFingerprints['blastmapReview/v1']);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  it('points at line 1 when the format gives no line (JSON), and has no physical location without a file', () => {
    const c = corp();
    const policy: Policy = { version: 1, rules: { requireOwner: true } };
    const json = parseNative(JSON.stringify(notesProposal(c)), { file: 'notes.json' });
    if (!json.ok) throw new Error('proposal should parse');
    const withFile = reviewSarif(review(c.graph, json.value, policy, { at }), { toolVersion: '0' });
    expect(withFile.runs[0]!.results[0]!.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'notes.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } });
    const noFile = reviewSarif(review(c.graph, notesProposal(c), policy, { at }), { toolVersion: '0' });
    expect(() => sarifLog.parse(noFile)).not.toThrow();
    expect(noFile.runs[0]!.results[0]!.locations[0]!.physicalLocation).toBeUndefined();
  });

  it('has no results for a review that passes', () => {
    const c = corp();
    const log = reviewSarif(review(c.graph, notesProposal(c), { version: 1, rules: {} }, { at }), { toolVersion: '0' });
    expect(() => sarifLog.parse(log)).not.toThrow();
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.properties.passed).toBe(true);
  });

  it('keeps names from the graph literal: no embedded links, no control characters', () => {
    const c = corp();
    const proposal = notesProposal(c);
    proposal.nodes[0]!.name = 'Evil [click](0)\nnext line';
    const log = reviewSarif(review(c.graph, proposal, { version: 1, rules: { requireOwner: true } }, { at }), { toolVersion: '0' });
    const message = log.runs[0]!.results[0]!.message.text;
    expect(message).toContain('Evil \\[click\\](0) next line');
    expect(message).not.toMatch(/[\n\r]/);
    expect(sarifText('a\\b')).toBe('a\\\\b');
  });
});

describe('pathToUri', () => {
  it('keeps relative paths relative to the source root and percent-encodes them', () => {
    expect(pathToUri('proposals/my notes#1.yaml')).toEqual({ uri: 'proposals/my%20notes%231.yaml', uriBaseId: '%SRCROOT%' });
    expect(pathToUri('proposals\\notes.yaml')).toEqual({ uri: 'proposals/notes.yaml', uriBaseId: '%SRCROOT%' });
  });

  it('turns absolute paths into file URIs', () => {
    expect(pathToUri('/tmp/a b.yaml')).toEqual({ uri: 'file:///tmp/a%20b.yaml' });
    expect(pathToUri('C:\\work\\p.yaml')).toEqual({ uri: 'file:///C:/work/p.yaml' });
  });
});
