// The review verdict as SARIF 2.1.0 (OASIS): one run, one rule per policy rule, one result per violation
// pointing at the proposal file and line, so code-scanning tools can annotate the pull request. Pure.
import { inertLinks } from './brief.ts';
import type { ProposalLocation, ReviewResult } from '../analysis/review.ts';
import { REVIEW_RULES, type PolicySeverity, type Violation } from '../policy.ts';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const BLASTMAP_INFORMATION_URI = 'https://blastmap.dev';
export const POLICY_DOCS_URI = `${BLASTMAP_INFORMATION_URI}/docs/policy`;

export interface SarifMessage { text: string }
export interface SarifRegion { startLine: number }
export interface SarifPhysicalLocation { artifactLocation: { uri: string; uriBaseId?: string }; region?: SarifRegion }
export interface SarifLocation { physicalLocation?: SarifPhysicalLocation; logicalLocations?: { name: string; fullyQualifiedName: string }[] }
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: PolicySeverity;
  message: SarifMessage;
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}
export interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  helpUri: string;
  help: SarifMessage;
  defaultConfiguration: { enabled: boolean; level: PolicySeverity };
}
export interface SarifLog {
  $schema: string;
  version: typeof SARIF_VERSION;
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } };
    artifacts?: { location: { uri: string; uriBaseId?: string } }[];
    results: SarifResult[];
    properties: Record<string, unknown>;
  }[];
}

export interface SarifOptions {
  /** blastmap's version, for tool.driver.version. */
  toolVersion: string;
  policyFile?: string;
}

/**
 * SARIF message text is plain text, but `[text](n)` is an embedded link (SARIF 2.1.0 §3.11.6): escape
 * brackets and backslashes so names from the graph stay literal; control characters become spaces.
 */
export function sarifText(text: string): string {
  // GitHub shows the message of a code-scanning alert with its own autolinking: URLs and mentions stay inert too.
  return inertLinks(text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/[\\[\]]/g, (c) => `\\${c}`));
}

/** A file path as a URI reference: forward slashes, each segment percent-encoded; relative paths stay relative. */
export function pathToUri(path: string): { uri: string; uriBaseId?: string } {
  const slashed = path.replace(/\\/g, '/');
  const drive = /^[A-Za-z]:\//.test(slashed);
  const absolute = slashed.startsWith('/') || drive;
  const encoded = slashed.split('/').map((segment, i) => (drive && i === 0 ? segment : encodeURIComponent(segment))).join('/');
  if (absolute) return { uri: `file://${drive ? '/' : ''}${encoded}` };
  return { uri: encoded, uriBaseId: '%SRCROOT%' };
}

/** 32-bit FNV-1a, twice with different offsets: a stable, dependency-free fingerprint. */
function fingerprint(text: string): string {
  const hash = (seed: number): string => {
    let h = seed >>> 0;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16).padStart(8, '0');
  };
  return hash(0x811c9dc5) + hash(0x050c5d1f);
}

function locationsOf(violation: Violation, fallbackFile: string | undefined): SarifLocation[] {
  const where: ProposalLocation | undefined = violation.location;
  const file = where?.file ?? fallbackFile;
  const location: SarifLocation = { logicalLocations: [{ name: sarifText(violation.nodeName), fullyQualifiedName: violation.nodeId }] };
  if (file !== undefined) {
    // Code-scanning tools need a line to annotate; an element whose line is unknown (JSON) points at line 1.
    location.physicalLocation = { artifactLocation: pathToUri(file), region: { startLine: where?.line ?? 1 } };
  }
  return [location];
}

export function reviewSarif(result: ReviewResult, options: SarifOptions): SarifLog {
  const applied = new Map(result.rules.map((rule) => [rule.rule, rule]));
  const rules: SarifRule[] = REVIEW_RULES.map((info) => ({
    id: info.id,
    name: info.name,
    shortDescription: { text: info.title },
    fullDescription: { text: info.description },
    helpUri: `${POLICY_DOCS_URI}#${info.anchor}`,
    help: { text: `${info.description} Policy rule \`${info.name}\`; see docs/policy.md.` },
    defaultConfiguration: { enabled: applied.get(info.name)?.active ?? false, level: applied.get(info.name)?.severity ?? 'error' },
  }));
  const fallbackFile = result.proposal.files.length === 1 ? result.proposal.files[0] : undefined;
  const results: SarifResult[] = result.violations.map((violation) => {
    const properties: Record<string, unknown> = { rule: violation.rule, nodeId: violation.nodeId, ...violation.evidence };
    if (violation.targetId !== undefined) properties.targetId = violation.targetId;
    if (violation.location) properties.proposalPath = violation.location.path;
    if (violation.path) properties.path = violation.path.map((step) => step.edgeId);
    const identity = [violation.ruleId, violation.nodeId, violation.targetId ?? '', String(violation.evidence.scope ?? ''), String(violation.evidence.tag ?? '')].join('\u0000');
    return {
      ruleId: violation.ruleId,
      ruleIndex: REVIEW_RULES.findIndex((info) => info.id === violation.ruleId),
      level: violation.severity,
      message: { text: sarifText(violation.message) },
      locations: locationsOf(violation, fallbackFile),
      partialFingerprints: { 'blastmapReview/v1': fingerprint(identity) },
      properties,
    };
  });
  const artifacts = result.proposal.files.map((file) => ({ location: pathToUri(file) }));
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [{
      tool: { driver: { name: 'blastmap', version: options.toolVersion, informationUri: BLASTMAP_INFORMATION_URI, rules } },
      ...(artifacts.length > 0 ? { artifacts } : {}),
      results,
      properties: {
        passed: result.passed,
        at: result.at,
        counts: result.counts,
        addedScore: result.addedAuthority.score,
        ...(options.policyFile !== undefined ? { policy: options.policyFile } : {}),
      },
    }],
  };
}
