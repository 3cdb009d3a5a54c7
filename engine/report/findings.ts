// Text and markdown rendering of governance findings: grouped by severity, then by rule (remediation and
// references once per rule), one line per finding with its evidence. Pure; names are escaped.
import { FINDING_SEVERITIES, OWASP_NHI_TOP10_2025, RULES_BY_ID, type FindingReferences, type FindingSeverity } from '../analysis/findings-catalog.ts';
import type { Finding, FindingsReport } from '../analysis/findings.ts';
import { md } from './brief.ts';
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
        lines.push(`    - ${s.bold(clean(finding.nodeName))} ${s.dim(`(${finding.kind} on ${clean(finding.platform)}, ${clean(finding.nodeId)})`)}`);
        lines.push(`      ${clean(finding.evidence.summary)}`);
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
      lines.push('| node | kind | platform | evidence |', '|---|---|---|---|');
      for (const finding of group) {
        lines.push(`| ${md(finding.nodeName)} | ${md(finding.kind)} | ${md(finding.platform)} | ${md(finding.evidence.summary)} |`);
      }
      lines.push('');
    }
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
