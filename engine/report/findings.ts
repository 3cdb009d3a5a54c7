// Text, markdown, JSON and SARIF renderings of governance findings: grouped by severity, then by rule (remediation
// and references once per rule), each finding with its evidence and where to act. Pure; names are escaped.
import { FINDING_RULES, FINDING_SEVERITIES, OWASP_NHI_TOP10_2025, RULES_BY_ID, type FindingReferences, type FindingSeverity } from '../analysis/findings-catalog.ts';
import type { Finding, FindingEvidence, FindingGroup, FindingSet, FindingsReport, RelatedNode } from '../analysis/findings.ts';
import { md } from './brief.ts';
import { jsonOutChunks, type JsonOut } from './json-out.ts';
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

/** What the renderers take: every finding built (`findingsReport`), or built while it is written (`evaluateFindings`). */
export type FindingsInput = FindingsReport | FindingSet;

/** Findings of a text, markdown or HTML report listed per rule and severity before "and N more" (`all` lists every one). */
export const FINDINGS_PER_RULE = 10;

export interface FindingsListOptions {
  /** List every finding, not the first FINDINGS_PER_RULE of each rule and severity. */
  all?: boolean;
}

const thousands = (n: number): string => n.toLocaleString('en-US');

/** The report's groups (rule and severity, in report order); a built report's findings are grouped as they come. */
export function findingGroups(report: FindingsInput): readonly FindingGroup[] {
  if ('groups' in report) return report.groups;
  const groups: FindingGroup[] = [];
  let current: Finding[] | undefined;
  for (const finding of report.findings) {
    const last = groups[groups.length - 1];
    if (last && last.rule.id === finding.ruleId && last.severity === finding.severity) { current!.push(finding); continue; }
    const list: Finding[] = [finding];
    current = list;
    const rule = RULES_BY_ID.get(finding.ruleId) ?? { id: finding.ruleId, title: finding.title, severity: finding.severity, checks: '', remediation: finding.remediation, references: finding.references };
    groups.push({ rule, severity: finding.severity, get count() { return list.length; }, findings: (limit = Infinity) => (limit >= list.length ? list : list.slice(0, limit)) });
  }
  return groups;
}

export function countsLine(report: Pick<FindingsReport, 'total' | 'counts'>): string {
  if (report.total === 0) return 'No findings.';
  const parts = FINDING_SEVERITIES.filter((severity) => report.counts[severity] > 0).map((severity) => `${report.counts[severity]} ${severity}`);
  return `${report.total} finding${report.total === 1 ? '' : 's'}: ${parts.join(', ')}.`;
}

function thresholdsLine(report: Pick<FindingsReport, 'thresholds'>): string {
  const t = report.thresholds;
  return `stale after ${t.staleDays} days unused, rotation due after ${t.rotationDays} days` +
    `${t.maxLifetimeDays !== null ? `, lifetime at most ${t.maxLifetimeDays} days` : ''}, privileged at score ${t.privilegedScore} or admin or a crown jewel reached`;
}

export function renderFindingsText(report: FindingsInput, options: { style?: TextStyle } & FindingsListOptions = {}): string {
  return [...findingsTextChunks(report, options)].join('');
}

/**
 * The text report in pieces that each end with a newline (what `renderFindingsText` joins): per severity, per
 * rule, the first FINDINGS_PER_RULE findings by node id and how many more (every one with `all`), then the
 * rule's remediation and references once. Only the findings listed are built.
 */
export function* findingsTextChunks(report: FindingsInput, options: { style?: TextStyle } & FindingsListOptions = {}): Generator<string> {
  const s = options.style ?? PLAIN;
  const limit = options.all ? Infinity : FINDINGS_PER_RULE;
  yield `${s.bold(`GOVERNANCE FINDINGS as of ${shortDate(report.at)}`)}\n`;
  yield `${s.dim(thresholdsLine(report))}\n`;
  yield `${countsLine(report)}\n`;
  const groups = findingGroups(report);
  let cut = false;
  for (const severity of FINDING_SEVERITIES) {
    const ofSeverity = groups.filter((group) => group.severity === severity);
    if (ofSeverity.length === 0) continue;
    yield `\n${severityLabel(severity, s)} (${report.counts[severity]})\n`;
    for (const group of ofSeverity) {
      const { rule } = group;
      yield `  ${s.bold(rule.title)}  ${s.dim(`[${rule.id}]`)}${group.count > limit ? s.dim(` ${thousands(group.count)} findings`) : ''}\n`;
      for (const finding of group.findings(limit)) {
        yield `    - ${s.bold(clean(finding.nodeName))} ${s.dim(`(${finding.kind} on ${clean(finding.platform)} ${clean(finding.tenant)}, ${clean(finding.nodeId)})`)}\n` +
          `      ${clean(finding.evidence.summary)}\n` +
          `      ${s.green('act in:')} ${clean(finding.console)}\n`;
      }
      if (group.count > limit) {
        cut = true;
        yield `    ${s.dim(`... and ${thousands(group.count - limit)} more (--all, or --format json)`)}\n`;
      }
      yield `    ${s.green('fix:')} ${rule.remediation}\n`;
      yield `    ${s.dim(`refs: ${referencesText(rule.references)}`)}\n`;
    }
  }
  if (report.total > 0) {
    yield `\n${s.dim(`Rules, thresholds and references: docs/findings.md. ${cut ? `First ${FINDINGS_PER_RULE} findings of each rule by node id; every one: --all. ` : ''}Full evidence (dates, related nodes): --format json.`)}\n`;
  }
}

export function renderFindingsMarkdown(report: FindingsInput, options: FindingsListOptions = {}): string {
  const limit = options.all ? Infinity : FINDINGS_PER_RULE;
  const lines: string[] = [];
  lines.push('# Governance findings', '');
  lines.push(`As of ${report.at}; ${md(thresholdsLine(report))}.`, '');
  lines.push(`**${md(countsLine(report))}**`, '');
  if (report.total > 0) {
    lines.push('| severity | findings |', '|---|---:|');
    for (const severity of FINDING_SEVERITIES) if (report.counts[severity] > 0) lines.push(`| ${severity} | ${report.counts[severity]} |`);
    lines.push('');
  }
  const groups = findingGroups(report);
  for (const severity of FINDING_SEVERITIES) {
    const ofSeverity = groups.filter((group) => group.severity === severity);
    if (ofSeverity.length === 0) continue;
    lines.push(`## ${severity[0]!.toUpperCase()}${severity.slice(1)} (${report.counts[severity]})`, '');
    for (const group of ofSeverity) {
      const { rule } = group;
      lines.push(`### ${md(rule.title)} (\`${rule.id}\`)`, '');
      if (rule.checks) lines.push(`${md(rule.checks)}`, '');
      lines.push(`References: ${md(referencesText(rule.references))}.`, '');
      lines.push(`Remediation: ${md(rule.remediation)}`, '');
      lines.push('| node | kind | platform (tenant) | evidence | where to act |', '|---|---|---|---|---|');
      for (const finding of group.findings(limit)) {
        lines.push(`| ${md(finding.nodeName)} | ${md(finding.kind)} | ${md(finding.platform)} (${md(finding.tenant)}) | ${md(finding.evidence.summary)} | ${md(finding.console)} |`);
      }
      if (group.count > limit) lines.push('', `… and ${thousands(group.count - limit)} more (\`--all\`, or \`--format json\`).`);
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
export function findingsSarif(report: FindingsInput, options: { toolVersion: string }): FindingsSarifLog {
  const ruleIndex = new Map(FINDING_RULES.map((rule, i) => [rule.id, i]));
  const results = [...eachFinding(report)].map((finding) => sarifResult(finding, ruleIndex));
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
export function* findingsSarifChunks(report: FindingsInput, options: { toolVersion: string }): Generator<string> {
  const marker = '\u0000results\u0000';
  const skeleton = findingsSarif({ ...headOf(report), findings: [] }, options);
  skeleton.runs[0]!.results = marker as unknown as FindingsSarifLog['runs'][number]['results'];
  const text = JSON.stringify(skeleton, null, 2);
  const at = text.indexOf(JSON.stringify(marker));
  if (report.total === 0) { yield `${text.slice(0, at)}[]${text.slice(at + JSON.stringify(marker).length)}\n`; return; }
  yield `${text.slice(0, at)}[\n`;
  const ruleIndex = new Map(FINDING_RULES.map((rule, i) => [rule.id, i]));
  let written = 0;
  for (const finding of eachFinding(report)) {
    // One result per line: at a million findings the indentation alone would be most of the log.
    yield `        ${JSON.stringify(sarifResult(finding, ruleIndex))}${++written < report.total ? ',' : ''}\n`;
  }
  yield `      ]${text.slice(at + JSON.stringify(marker).length)}\n`;
}

/** Every finding in report order, built one at a time when the input is a FindingSet. */
function* eachFinding(report: FindingsInput): Generator<Finding> {
  if (!('groups' in report)) { yield* report.findings; return; }
  for (const group of report.groups) yield* group.findings();
}

/** The report without its findings: instant, thresholds and counts. */
function headOf(report: FindingsInput): Omit<FindingsReport, 'findings'> {
  return { at: report.at, thresholds: report.thresholds, total: report.total, counts: report.counts };
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
 * The findings report as JSON, written into `out` while the findings are built
 * (one at a time from a FindingSet). Complete, but lists that findings share are written once, in `lists` after
 * the findings: every privilege summary's crown jewels are in `lists.crownJewels` (the finding's `privilege` has
 * `crownJewelList`, an index there, and `crownJewelCount`), and `related` lists longer than RELATED_INLINE are in
 * `lists.related` (the evidence has `relatedList` and `relatedCount` instead of `related`). Findings that share a
 * hub's crown jewels (a thousand connectors reaching one identity provider) share one entry.
 */
export function* findingsJsonParts(report: FindingsInput, out: JsonOut): Generator<void> {
  const crownJewelLists = new Map<readonly string[], number>();
  const relatedLists = new Map<readonly RelatedNode[], number>();
  const intern = <T>(table: Map<T, number>, list: T): number => {
    let index = table.get(list);
    if (index === undefined) table.set(list, index = table.size);
    return index;
  };
  const opening = JSON.stringify(headOf(report));
  out.text(opening.slice(0, -1));
  out.ascii(',\n"findings": [\n');
  yield;
  let written = 0;
  for (const finding of eachFinding(report)) {
    const { privilege, related, ...evidence } = finding.evidence;
    const shown: Record<string, unknown> = { ...evidence };
    if (related.length > RELATED_INLINE) { shown.relatedList = intern(relatedLists, related); shown.relatedCount = related.length; }
    else shown.related = related;
    if (privilege) {
      const { crownJewels, ...rest } = privilege;
      shown.privilege = { ...rest, crownJewelList: intern(crownJewelLists, crownJewels), crownJewelCount: crownJewels.length };
    }
    // The finding's own fields in its key order, the evidence rewritten; a rule's title, remediation and
    // references (the same for each of its findings, about a third of the bytes) encoded once.
    out.open();
    for (const key in finding) {
      if (!Object.prototype.hasOwnProperty.call(finding, key)) continue;
      if (key === 'evidence') out.valueField(key, reorderEvidence(finding.evidence, shown));
      else if (key === 'title' || key === 'remediation' || key === 'references') out.sharedField(key, finding[key]);
      else out.field(key, (finding as unknown as Record<string, unknown>)[key]);
    }
    out.close();
    out.ascii(++written < report.total ? ',\n' : '\n');
    if ((written & 1023) === 0) yield;
  }
  out.ascii('],\n"lists": {\n"crownJewels": [\n');
  yield* listParts(out, crownJewelLists);
  out.ascii('],\n"related": [\n');
  yield* listParts(out, relatedLists);
  out.ascii(']\n}}\n');
  yield;
}

/** findingsJsonParts as pieces of text, each ending with a newline. */
export function findingsJsonChunks(report: FindingsInput): Generator<string> {
  return jsonOutChunks((out) => findingsJsonParts(report, out));
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

function* listParts<T>(out: JsonOut, table: ReadonlyMap<T, number>): Generator<void> {
  let i = 0;
  for (const list of table.keys()) {
    out.data(list);
    out.ascii(++i < table.size ? ',\n' : '\n');
    if ((i & 1023) === 0) yield;
  }
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
