// `blastmap findings`: governance findings (leaks, privilege, third parties, trusts, reuse, environments,
// owners, staleness, rotation, expiry, scopes) with OWASP NHI and NIST CSF references; --fail-on gates CI.
import type { Command } from 'commander';
import { FINDING_RULES, FINDING_SEVERITIES, type FindingSeverity } from '../../engine/analysis/findings-catalog.ts';
import { evaluateFindings, hasFindingAtLeast, type FindingOptions } from '../../engine/analysis/findings.ts';
import { BlastmapError } from '../../engine/errors.ts';
import { FINDINGS_PER_RULE, findingsJsonParts, findingsSarifChunks, findingsTextChunks, referencesText, renderFindingsMarkdown } from '../../engine/report/findings.ts';
import { renderFindingsHtml } from '../../engine/report/html.ts';
import { EXIT, parseAt, parseCount, parseFormat, writeChunks, writeJson, type Io } from '../context.ts';
import { loadGraph } from '../load-graph.ts';
import { VERSION } from '../package-root.ts';

interface FindingsFlags {
  graph?: string;
  format?: string;
  at?: string;
  staleDays?: string;
  rotationDays?: string;
  maxLifetimeDays?: string;
  privilegedScore?: string;
  severity?: string;
  rule?: string[];
  failOn?: string;
  listRules?: boolean;
  all?: boolean;
}

function parseSeverity(flag: string, value: string | undefined): FindingSeverity | undefined {
  if (value === undefined) return undefined;
  const severity = value.toLowerCase() as FindingSeverity;
  if (!FINDING_SEVERITIES.includes(severity)) throw new BlastmapError('INVALID_OPTION', `${flag} ${value}: expected one of ${FINDING_SEVERITIES.join(', ')}`);
  return severity;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((item) => item.trim()).filter(Boolean)];

function listRules(io: Io): void {
  for (const rule of FINDING_RULES) {
    io.out(`${rule.id.padEnd(30)} ${rule.severity.padEnd(8)} ${rule.title}`);
    io.out(io.color.dim(`${' '.repeat(40)}${referencesText(rule.references)}`));
  }
}

export function registerFindings(program: Command, io: Io): void {
  program
    .command('findings')
    .description('governance findings: leaked secrets, privileged NHIs and the vendors that reach them, open OIDC trusts, shared or cross-environment credentials, no owner, stale, not rotated, no expiry, admin or unused scopes; each says where to act')
    .option('-g, --graph <snapshot|file|folder>', 'graph to analyse (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('-f, --format <format>', 'text, json, markdown, html or sarif (each finding says where to act in its platform\'s console)', 'text')
    .option('--at <date>', 'analysis instant (ISO-8601); ages are measured to it and only nodes usable then are checked (default now)')
    .option('--stale-days <n>', 'unused for more than n days is stale (default 90)')
    .option('--rotation-days <n>', 'not rotated for more than n days is due (default 365)')
    .option('--max-lifetime-days <n>', 'also flag credentials that expire more than n days after creation or rotation')
    .option('--privileged-score <n>', 'blast-radius score at or above which a node is privileged (default 25)')
    .option('--severity <level>', 'only findings at this severity or higher: info, low, medium, high, critical')
    .option('--rule <id>', 'only this rule (repeatable, or comma-separated); see --list-rules', collect)
    .option('--fail-on <level>', 'exit 1 when a reported finding is at this severity or higher (for CI)')
    .option('--all', `text, markdown and html: list every finding, not the first ${FINDINGS_PER_RULE} of each rule and severity (json and sarif always have every one)`)
    .option('--list-rules', 'print the rules with their default severity and references, then exit')
    .action(async (flags: FindingsFlags) => {
      if (flags.listRules) {
        listRules(io);
        return;
      }
      const format = parseFormat(flags.format, ['text', 'json', 'markdown', 'html', 'sarif']);
      const options: FindingOptions = {};
      const at = parseAt(flags.at);
      if (at) options.at = at;
      const staleDays = parseCount('--stale-days', flags.staleDays);
      if (staleDays !== undefined) options.staleDays = staleDays;
      const rotationDays = parseCount('--rotation-days', flags.rotationDays);
      if (rotationDays !== undefined) options.rotationDays = rotationDays;
      const maxLifetimeDays = parseCount('--max-lifetime-days', flags.maxLifetimeDays);
      if (maxLifetimeDays !== undefined) options.maxLifetimeDays = maxLifetimeDays;
      const privilegedScore = parseCount('--privileged-score', flags.privilegedScore);
      if (privilegedScore !== undefined) options.privilegedScore = privilegedScore;
      const severity = parseSeverity('--severity', flags.severity);
      if (severity) options.severityAtLeast = severity;
      if (flags.rule && flags.rule.length > 0) options.ruleIds = flags.rule;
      const failOn = parseSeverity('--fail-on', flags.failOn);

      // Which nodes fire which rules, counted; each finding is built while it is written.
      const findings = evaluateFindings(await loadGraph(flags.graph), options);
      const all = flags.all === true;
      if (format === 'json') writeJson(io, (out) => findingsJsonParts(findings, out));
      else if (format === 'markdown') io.out(renderFindingsMarkdown(findings, { all }));
      else if (format === 'html') io.out(renderFindingsHtml(findings, { all }));
      else if (format === 'sarif') writeChunks(io, findingsSarifChunks(findings, { toolVersion: VERSION }));
      else writeChunks(io, findingsTextChunks(findings, { style: io.color, all }));
      if (failOn && hasFindingAtLeast(findings, failOn)) {
        io.err(`findings at ${failOn} or above: failing (--fail-on ${failOn})`);
        process.exitCode = EXIT.violation;
      }
    });
}
