// Text, markdown and SARIF renderings of governance findings: grouped by severity, then by rule (remediation
// and references once per rule), each finding with its evidence and where to act. Pure; names are escaped.
import { FINDING_RULES, FINDING_SEVERITIES, OWASP_NHI_TOP10_2025, RULES_BY_ID, type FindingReferences, type FindingSeverity } from '../analysis/findings-catalog.ts';
import type { Finding, FindingsReport } from '../analysis/findings.ts';
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
  const s = options.style ?? PLAIN;
  const lines: string[] = [];
  lines.push(s.bold(`GOVERNANCE FINDINGS as of ${shortDate(report.at)}`));
  lines.push(s.dim(thresholdsLine(report)));
  lines.push(countsLine(report));
  for (const severity of FINDING_SEVERITIES) {
    const findings = report.findings.filter((finding) => finding.severity === severity);
    if (findings.length === 0) continue;
    lines.push('', `${severityLabel(severity, s)} (${findings.length})`);
    for (const [ruleId, group] of byRule(findings)) {
      const first = group[0]!;
      lines.push(`  ${s.bold(first.title)}  ${s.dim(`[${ruleId}]`)}`);
      for (const finding of group) {
        lines.push(`    - ${s.bold(clean(finding.nodeName))} ${s.dim(`(${finding.kind} on ${clean(finding.platform)} ${clean(finding.tenant)}, ${clean(finding.nodeId)})`)}`);
        lines.push(`      ${clean(finding.evidence.summary)}`);
        lines.push(`      ${s.green('act in:')} ${clean(finding.console)}`);
      }
      lines.push(`    ${s.green('fix:')} ${first.remediation}`);
      lines.push(`    ${s.dim(`refs: ${referencesText(first.references)}`)}`);
    }
  }
  if (report.total > 0) lines.push('', s.dim('Rules, thresholds and references: docs/findings.md. Full evidence (dates, related nodes): --format json.'));
  return `${lines.join('\n')}\n`;
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
  const rules = FINDING_RULES.map((rule) => {
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
  const ruleIndex = new Map(FINDING_RULES.map((rule, i) => [rule.id, i]));
  const results = report.findings.map((finding) => ({
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
      remediation: finding.remediation, evidence: finding.evidence, references: finding.references,
    },
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [{
      tool: { driver: { name: 'blastmap', version: options.toolVersion, informationUri: BLASTMAP_INFORMATION_URI, rules } },
      results,
      properties: { at: report.at, thresholds: report.thresholds, counts: report.counts },
    }],
  };
}
