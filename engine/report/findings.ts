// Text, markdown and SARIF renderings of governance findings: grouped by severity, then by rule (remediation
// and references once per rule), each finding with its evidence and where to act. Pure; names are escaped.
import { FINDING_RULES, FINDING_SEVERITIES, OWASP_NHI_TOP10_2025, RULES_BY_ID, type FindingReferences, type FindingSeverity } from '../analysis/findings-catalog.ts';
import type { Finding, FindingEvidence, FindingsReport, RelatedNode } from '../analysis/findings.ts';
import { md } from './brief.ts';
import { BLASTMAP_INFORMATION_URI, SARIF_SCHEMA, SARIF_VERSION, sarifText } from './sarif.ts';
import { PLAIN, shortDate, type TextStyle } from './style.ts';

/** Removes terminal control characters (names come from outside and could carry escape sequences). */
const clean = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

function severityLabel(severity: FindingSeverity, style: TextStyle): string {
  const text = severity.toUpperCase();
  return severity === 'critical' || severity === 'high' ? style.red(style.bold(text)) : severity === 'medium' ? style.yellow(style.bold(text)) : style.cyan(style.bold(text));
}

export function referencesText(references: FindingReferences): string {
  const parts: string[] = [];
  if (references.owaspNhi.length > 0) parts.push(`OWASP NHI Top 10 ${references.owaspNhi.map((id) => `${id} ${OWASP_NHI_TOP10_2025[id] ?? ''}`.trim()).join(', ')}`);
  if (references.nistCsf.length > 0) parts.push(`NIST CSF 2.0 ${references.nistCsf.join(', ')}`);
  return parts.join('; ');
}

export function countsLine(report: FindingsReport): string {
  if (report.total === 0) return 'No findings.';
  const parts = FINDING_SEVERITIES.filter((severity) => report.counts[severity] > 0).map((severity) => `${report.counts[severity]} ${severity}`);
  return `${report.total} finding${report.total === 1 ? '' : 's'}: ${parts.join(', ')}.`;
}

function thresholdsLine(report: FindingsReport): string {
  const t = report.thresholds;
  return `stale after ${t.staleDays} days unused, rotation due after ${t.rotationDays} days` +
    `${t.maxLifetimeDays !== null ? `, lifetime at most ${t.maxLifetimeDays} days` : ''}, privileged at score ${t.privilegedScore} or admin or a crown jewel reached`;
}

/** Findings of one severity grouped by rule, rules in the order the findings already have. */
function byRule(findings: readonly Finding[]): [string, Finding[]][] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const group = groups.get(finding.ruleId);
    if (group) group.push(finding);
    else groups.set(finding.ruleId, [finding]);
  }
  return [...groups];
}

export function renderFindingsText(report: FindingsReport, options: { style?: TextStyle } = {}): string {
  return [...findingsTextChunks(report, options)].join('');
}

/**
 * The text report in pieces that each end with a newline (what `renderFindingsText` joins): a million findings
 * are hundreds of megabytes of text, written while they are rendered instead of held as one string.
 */
export function* findingsTextChunks(report: FindingsReport, options: { style?: TextStyle } = {}): Generator<string> {
  const s = options.style ?? PLAIN;
  yield `${s.bold(`GOVERNANCE FINDINGS as of ${shortDate(report.at)}`)}\n`;
  yield `${s.dim(thresholdsLine(report))}\n`;
  yield `${countsLine(report)}\n`;
  const bySeverity = new Map<FindingSeverity, Finding[]>(FINDING_SEVERITIES.map((severity) => [severity, []]));
  for (const finding of report.findings) bySeverity.get(finding.severity)!.push(finding);
  for (const severity of FINDING_SEVERITIES) {
    const findings = bySeverity.get(severity)!;
    if (findings.length === 0) continue;
    yield `\n${severityLabel(severity, s)} (${findings.length})\n`;
    for (const [ruleId, group] of byRule(findings)) {
      const first = group[0]!;
      yield `  ${s.bold(first.title)}  ${s.dim(`[${ruleId}]`)}\n`;
      for (const finding of group) {
        yield `    - ${s.bold(clean(finding.nodeName))} ${s.dim(`(${finding.kind} on ${clean(finding.platform)} ${clean(finding.tenant)}, ${clean(finding.nodeId)})`)}\n` +
          `      ${clean(finding.evidence.summary)}\n` +
          `      ${s.green('act in:')} ${clean(finding.console)}\n`;
      }
      yield `    ${s.green('fix:')} ${first.remediation}\n`;
      yield `    ${s.dim(`refs: ${referencesText(first.references)}`)}\n`;
    }
  }
  if (report.total > 0) yield `\n${s.dim('Rules, thresholds and references: docs/findings.md. Full evidence (dates, related nodes): --format json.')}\n`;
}

export function renderFindingsMarkdown(report: FindingsReport): string {
  const lines: string[] = [];
  lines.push('# Governance findings', '');
  lines.push(`As of ${report.at}; ${md(thresholdsLine(report))}.`, '');
  lines.push(`**${md(countsLine(report))}**`, '');
  if (report.total > 0) {
    lines.push('| severity | findings |', '|---|---:|');
    for (const severity of FINDING_SEVERITIES) if (report.counts[severity] > 0) lines.push(`| ${severity} | ${report.counts[severity]} |`);
    lines.push('');
  }
  for (const severity of FINDING_SEVERITIES) {
    const findings = report.findings.filter((finding) => finding.severity === severity);
    if (findings.length === 0) continue;
    lines.push(`## ${severity[0]!.toUpperCase()}${severity.slice(1)} (${findings.length})`, '');
    for (const [ruleId, group] of byRule(findings)) {
      const first = group[0]!;
      lines.push(`### ${md(first.title)} (\`${ruleId}\`)`, '');
      const rule = RULES_BY_ID.get(ruleId);
      if (rule) lines.push(`${md(rule.checks)}`, '');
      lines.push(`References: ${md(referencesText(first.references))}.`, '');
      lines.push(`Remediation: ${md(first.remediation)}`, '');
      lines.push('| node | kind | platform (tenant) | evidence | where to act |', '|---|---|---|---|---|');
      for (const finding of group) {
        lines.push(`| ${md(finding.nodeName)} | ${md(finding.kind)} | ${md(finding.platform)} (${md(finding.tenant)}) | ${md(finding.evidence.summary)} | ${md(finding.console)} |`);
      }
      lines.push('');
    }
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

export const FINDINGS_DOCS_URI = `${BLASTMAP_INFORMATION_URI}/docs/findings`;

/** SARIF levels: critical and high fail a code-scanning gate (error), medium warns, low and info are notes. */
const SARIF_LEVEL: Readonly<Record<FindingSeverity, 'error' | 'warning' | 'note'>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

export interface FindingsSarifLog {
  $schema: string;
  version: typeof SARIF_VERSION;
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: {
      id: string; name: string; shortDescription: { text: string }; fullDescription: { text: string }; helpUri: string;
      help: { text: string; markdown: string }; defaultConfiguration: { level: 'error' | 'warning' | 'note' }; properties: { tags: string[]; severity: FindingSeverity };
    }[] } };
    results: {
      ruleId: string; ruleIndex: number; level: 'error' | 'warning' | 'note'; message: { text: string };
      locations: { logicalLocations: { name: string; fullyQualifiedName: string; kind: string }[]; message: { text: string } }[];
      partialFingerprints: Record<string, string>;
      properties: Record<string, unknown>;
    }[];
    properties: Record<string, unknown>;
  }[];
}

/**
 * Findings as SARIF 2.1.0 for code-scanning and SIEM tools. A graph node has no file and line, so each
 * result is a logical location (the node id) whose message is where to act in the platform's console;
 * the rule's help carries what it checks, the remediation and the references.
 */
export function findingsSarif(report: FindingsReport, options: { toolVersion: string }): FindingsSarifLog {
  const ruleIndex = new Map(FINDING_RULES.map((rule, i) => [rule.id, i]));
  const results = report.findings.map((finding) => sarifResult(finding, ruleIndex));
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [{
      tool: { driver: { name: 'blastmap', version: options.toolVersion, informationUri: BLASTMAP_INFORMATION_URI, rules: sarifRules() } },
      results,
      properties: { at: report.at, thresholds: report.thresholds, counts: report.counts },
    }],
  };
}

function sarifRules(): FindingsSarifLog['runs'][number]['tool']['driver']['rules'] {
  return FINDING_RULES.map((rule) => {
    const references = referencesText(rule.references);
    return {
      id: rule.id,
      name: rule.id.replace(/^BM-GOV-/, '').toLowerCase().replace(/(^|-)([a-z0-9])/g, (_m, _dash: string, c: string) => c.toUpperCase()),
      shortDescription: { text: rule.title },
      fullDescription: { text: rule.checks },
      helpUri: `${FINDINGS_DOCS_URI}#${rule.id.toLowerCase()}`,
      help: {
        text: `${rule.checks} Remediation: ${rule.remediation} References: ${references}.`,
        markdown: `${md(rule.checks)}\n\n**Remediation**: ${md(rule.remediation)}\n\n**References**: ${md(references)}.`,
      },
      defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
      properties: { tags: ['security', ...rule.references.owaspNhi, ...rule.references.nistCsf], severity: rule.severity },
    };
  });
}

/**
 * `findingsSarif` as text, in pieces: the log indented by two spaces with each result on one line, so a log
 * of a million findings is never one string (V8 caps a string near 512 MB) and stays a fraction of its indented size.
 */
export function* findingsSarifChunks(report: FindingsReport, options: { toolVersion: string }): Generator<string> {
  const marker = '\u0000results\u0000';
  const skeleton = findingsSarif({ ...report, findings: [] }, options);
  skeleton.runs[0]!.results = marker as unknown as FindingsSarifLog['runs'][number]['results'];
  const text = JSON.stringify(skeleton, null, 2);
  const at = text.indexOf(JSON.stringify(marker));
  if (report.findings.length === 0) { yield `${text.slice(0, at)}[]${text.slice(at + JSON.stringify(marker).length)}\n`; return; }
  yield `${text.slice(0, at)}[\n`;
  const ruleIndex = new Map(FINDING_RULES.map((rule, i) => [rule.id, i]));
  for (let i = 0; i < report.findings.length; i++) {
    // One result per line: at a million findings the indentation alone would be most of the log.
    yield `        ${JSON.stringify(sarifResult(report.findings[i]!, ruleIndex))}${i + 1 < report.findings.length ? ',' : ''}\n`;
  }
  yield `      ]${text.slice(at + JSON.stringify(marker).length)}\n`;
}

function sarifResult(finding: Finding, ruleIndex: ReadonlyMap<string, number>): FindingsSarifLog['runs'][number]['results'][number] {
  return {
    ruleId: finding.ruleId,
    ruleIndex: ruleIndex.get(finding.ruleId) ?? -1,
    level: SARIF_LEVEL[finding.severity],
    message: { text: sarifText(`${finding.nodeName} (${finding.kind} on ${finding.platform} ${finding.tenant}): ${finding.evidence.summary} Act in: ${finding.console}.`) },
    locations: [{
      logicalLocations: [{ name: sarifText(finding.nodeName), fullyQualifiedName: finding.nodeId, kind: finding.kind.toLowerCase() }],
      message: { text: sarifText(finding.console) },
    }],
    partialFingerprints: { 'blastmapFinding/v1': finding.id },
    properties: {
      severity: finding.severity, nodeId: finding.nodeId, platform: finding.platform, tenant: finding.tenant, console: finding.console,
      remediation: finding.remediation, evidence: compactEvidence(finding.evidence), references: finding.references,
    },
  };
}

/** `related` lists longer than this are written once in the JSON's `lists.related` table and referenced by index. */
export const RELATED_INLINE = 10;

/**
 * The findings report as JSON, in pieces that each end with a newline. Complete, but lists that findings
 * share are written once: every privilege summary's crown jewels are in `lists.crownJewels` (the finding's
 * `privilege` has `crownJewelList`, an index there, and `crownJewelCount`), and `related` lists longer than
 * RELATED_INLINE are in `lists.related` (the evidence has `relatedList` and `relatedCount` instead of
 * `related`). Findings that share a hub's crown jewels (a thousand connectors reaching one identity provider)
 * share one entry, where the report used to repeat thousands of ids per finding.
 */
export function* findingsJsonChunks(report: FindingsReport): Generator<string> {
  const crownJewelLists = new Map<readonly string[], number>();
  const relatedLists = new Map<readonly RelatedNode[], number>();
  const intern = <T>(table: Map<T, number>, list: T): number => {
    let index = table.get(list);
    if (index === undefined) table.set(list, index = table.size);
    return index;
  };
  for (const finding of report.findings) {
    const { privilege, related } = finding.evidence;
    if (privilege) intern(crownJewelLists, privilege.crownJewels);
    if (related.length > RELATED_INLINE) intern(relatedLists, related);
  }
  const { findings: _, ...head } = report;
  const opening = JSON.stringify(head);
  yield `${opening.slice(0, -1)},\n"lists": {\n"crownJewels": [\n`;
  yield* listLines(crownJewelLists);
  yield '],\n"related": [\n';
  yield* listLines(relatedLists);
  yield ']\n},\n"findings": [\n';
  for (let i = 0; i < report.findings.length; i++) {
    const finding = report.findings[i]!;
    const { privilege, related, ...evidence } = finding.evidence;
    const written: Record<string, unknown> = { ...evidence };
    if (related.length > RELATED_INLINE) { written.relatedList = relatedLists.get(related); written.relatedCount = related.length; }
    else written.related = related;
    if (privilege) {
      const { crownJewels, ...rest } = privilege;
      written.privilege = { ...rest, crownJewelList: crownJewelLists.get(crownJewels), crownJewelCount: crownJewels.length };
    }
    yield `${JSON.stringify({ ...finding, evidence: reorderEvidence(finding.evidence, written) })}${i + 1 < report.findings.length ? ',' : ''}\n`;
  }
  yield ']}\n';
}

/** Keeps the evidence's own key order (summary, dates, related or its reference, scopes, privilege). */
function reorderEvidence(original: FindingEvidence, written: Record<string, unknown>): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of Object.keys(original)) {
    if (key === 'related') {
      if ('related' in written) ordered.related = written.related;
      else { ordered.relatedList = written.relatedList; ordered.relatedCount = written.relatedCount; }
    } else ordered[key] = written[key];
  }
  return ordered;
}

function* listLines<T>(table: ReadonlyMap<T, number>): Generator<string> {
  let i = 0;
  for (const list of table.keys()) yield `${JSON.stringify(list)}${++i < table.size ? ',' : ''}\n`;
}

/** Evidence for SARIF, whose consumers cap a log's size: long lists are cut to RELATED_INLINE entries, with their counts (`--format json` has them all). */
export function compactEvidence(evidence: FindingEvidence): Record<string, unknown> {
  const compact: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(evidence)) {
    if (key === 'related' && evidence.related.length > RELATED_INLINE) {
      compact.related = evidence.related.slice(0, RELATED_INLINE);
      compact.relatedCount = evidence.related.length;
    } else if (key === 'privilege' && evidence.privilege) {
      const { crownJewels, ...rest } = evidence.privilege;
      compact.privilege = { ...rest, crownJewels: crownJewels.slice(0, RELATED_INLINE), crownJewelCount: crownJewels.length };
    } else compact[key] = value;
  }
  return compact;
}
