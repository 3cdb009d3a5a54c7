// Text and markdown rendering of an exposure result: who reaches a target, grouped by kind (people and
// accounts, roles, apps, credentials), at which level, and the best path for each. Pure.
import { exposureWitnessTable, type Exposure, type ExposureEntry } from '../analysis/exposure.ts';
import { md } from './brief.ts';
import { jsonOutChunks, type JsonOut } from './json-out.ts';
import { credentialChain, levelLabel, pathText, plural, PLAIN, shortDate, type TextStyle } from './style.ts';

export interface ExposureRenderOptions {
  style?: TextStyle;
  /** Every source, one block each (`--all`); otherwise the first `perKind` of each kind and "... and N more". */
  all?: boolean;
  /** Sources listed per kind without `all` (default 10). */
  perKind?: number;
}

/** `2,174`: counts read at a glance. */
const count = (n: number): string => n.toLocaleString('en-US');

const targetText = (exposure: Exposure): string =>
  `${exposure.target.name} (${exposure.target.kind} on ${exposure.target.platform}${exposure.target.crownJewel ? ', crown jewel' : ''})`;

/** Section order and headings: the people and roles a responder checks first, then the integrations. */
const KIND_ORDER = ['Identity', 'Role', 'Group', 'App', 'Credential', 'Platform', 'Resource'];
const KIND_HEADING: Readonly<Record<string, string>> = {
  Identity: 'Identities', Role: 'Roles', Group: 'Groups', App: 'Apps', Credential: 'Credentials', Platform: 'Platforms', Resource: 'Resources',
};

const kindRank = (kind: string): number => (KIND_ORDER.includes(kind) ? KIND_ORDER.indexOf(kind) : KIND_ORDER.length);
const compareKinds = (a: string, b: string): number => kindRank(a) - kindRank(b) || (a < b ? -1 : a > b ? 1 : 0);

/** Entries grouped by kind, sections in KIND_ORDER, entries keeping their order (level, hops, id). */
function byKindSections(entries: readonly ExposureEntry[]): [string, ExposureEntry[]][] {
  const groups = new Map<string, ExposureEntry[]>();
  for (const entry of entries) {
    const group = groups.get(entry.kind);
    if (group) group.push(entry);
    else groups.set(entry.kind, [entry]);
  }
  return [...groups].sort(([a], [b]) => compareKinds(a, b));
}

/** `Identity (human)`, `Role (privileged)`: what kind of source it is, in a word. */
function kindLabel(entry: ExposureEntry): string {
  if (entry.kind === 'Identity' && entry.subtype) return `Identity (${entry.subtype})`;
  if (entry.kind === 'Role' && entry.privileged === true) return 'Role (privileged)';
  return entry.kind;
}

function countsLine(exposure: Exposure): string {
  const { byLevel } = exposure;
  return `${plural(exposure.exposedCount, 'source')} of ${exposure.candidateCount} candidate ${exposure.kinds.join('/')} ` +
    `node${exposure.candidateCount === 1 ? '' : 's'} reach it: ${byLevel.admin} admin, ${byLevel.write} write, ${byLevel.read} read.`;
}

/** `33 identities (20 human, 9 service, 4 workload), 9 roles (3 privileged), 3 apps, 11 credentials`. */
function kindsLine(exposure: Exposure): string {
  const parts: string[] = [];
  for (const kind of [...exposure.kinds].sort(compareKinds)) {
    const count = exposure.byKind[kind] ?? 0;
    if (count === 0) continue;
    const heading = (KIND_HEADING[kind] ?? kind).toLowerCase();
    let detail = '';
    if (kind === 'Identity') detail = ` (${Object.entries(exposure.identitiesBySubtype).sort(([a], [b]) => (a < b ? -1 : 1)).map(([subtype, n]) => `${n} ${subtype}`).join(', ')})`;
    if (kind === 'Role' && exposure.privilegedRoles > 0) detail = ` (${exposure.privilegedRoles} privileged)`;
    parts.push(`${count} ${count === 1 ? heading.replace(/ies$/, 'y').replace(/s$/, '') : heading}${detail}`);
  }
  return parts.join(', ');
}

export function renderExposureText(exposure: Exposure, options: ExposureRenderOptions = {}): string {
  const s = options.style ?? PLAIN;
  const lines: string[] = [];
  lines.push(s.bold(`EXPOSURE: ${targetText(exposure)}`));
  lines.push(`as of ${shortDate(exposure.at)}${exposure.maxDepth !== null ? `, at most ${plural(exposure.maxDepth, 'hop')}` : ''}; sources considered: ${exposure.kinds.join(', ')}`);
  lines.push('');
  if (!exposure.targetUsable) {
    lines.push('The target cannot be used at this instant (revoked, expired, disabled or mitigated): nothing reaches it.');
    return `${lines.join('\n')}\n`;
  }
  if (exposure.exposedCount === 0) {
    lines.push(`No ${exposure.kinds.join(' or ')} node reaches it.`);
    return `${lines.join('\n')}\n`;
  }
  const limit = options.all === true ? Infinity : options.perKind ?? 10;
  lines.push(countsLine(exposure));
  lines.push(s.dim(`${kindsLine(exposure)}.`));
  for (const [kind, entries] of byKindSections(exposure.exposed)) {
    lines.push('', s.bold(`${(KIND_HEADING[kind] ?? kind).toUpperCase()} (${entries.length}${entries.length < (exposure.byKind[kind] ?? 0) ? ` of ${exposure.byKind[kind]}` : ''})`));
    for (const entry of entries.slice(0, limit)) {
      const path = entry.path;
      lines.push(`  ${levelLabel(entry.level, s)} ${s.bold(entry.name)}  ${s.dim(`${kindLabel(entry)} on ${entry.platform} (${entry.tenant}), ${plural(entry.hops, 'hop')}`)}`);
      lines.push(`        ${pathText(path, s)}`);
      const chain = credentialChain(path);
      if (chain.length > 0) lines.push(`        ${s.dim('credentials on this path:')} ${chain.join(' -> ')}`);
    }
    if (entries.length > limit) {
      const rest = entries.slice(limit);
      const levels = { admin: 0, write: 0, read: 0 };
      for (const entry of rest) levels[entry.level]++;
      lines.push(s.dim(`  ... and ${count(rest.length)} more ${(KIND_HEADING[kind] ?? kind).toLowerCase()} (${count(levels.admin)} admin, ${count(levels.write)} write, ${count(levels.read)} read; --all, or --format json)`));
    }
  }
  if (exposure.exposed.length < exposure.exposedCount) {
    lines.push('', s.dim(`... and ${exposure.exposedCount - exposure.exposed.length} more (raise --top, or --format json)`));
  }
  return `${lines.join('\n')}\n`;
}

export function renderExposureMarkdown(exposure: Exposure): string {
  const lines: string[] = [];
  lines.push(`# Exposure: ${md(targetText(exposure))}`, '');
  lines.push(`As of ${exposure.at}. Sources considered: ${exposure.kinds.map(md).join(', ')}.`, '');
  if (!exposure.targetUsable) {
    lines.push('The target cannot be used at this instant (revoked, expired, disabled or mitigated): nothing reaches it.');
    return `${lines.join('\n')}\n`;
  }
  if (exposure.exposedCount === 0) {
    lines.push(`No ${exposure.kinds.map(md).join(' or ')} node reaches it.`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(md(countsLine(exposure)), '', `${md(kindsLine(exposure))}.`, '');
  for (const [kind, entries] of byKindSections(exposure.exposed)) {
    lines.push(`## ${md(KIND_HEADING[kind] ?? kind)} (${entries.length})`, '');
    lines.push('| level | source | kind | platform | hops | path |', '|---|---|---|---|---:|---|');
    for (const entry of entries) {
      const path = entry.path.map((step, i) => `${i === 0 ? `${md(step.from.name)} ` : ''}→ \`${step.kind}\` → ${md(step.to.name)}`).join(' ');
      lines.push(`| ${entry.level} | ${md(entry.name)} | ${md(kindLabel(entry))} | ${md(entry.platform)} | ${entry.hops} | ${path} |`);
    }
    lines.push('');
  }
  if (exposure.exposed.length < exposure.exposedCount) lines.push(`… and ${exposure.exposedCount - exposure.exposed.length} more.`);
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

/**
 * The exposure as JSON, written into `out`: the summary fields, then `witness`, the shared
 * table of steps towards the target (`exposureWitnessTable`: each step's `next` is the step after it, -1 at the
 * target), then `exposed`, one source per line with `witness`, the index of its first step. A crown jewel of a
 * large enterprise has hundreds of thousands of sources whose paths join within a few hops: written out one by
 * one they were most of a 3 GB document at a million nodes. `paths` also gives every source its full `path`.
 * Entries not made by `exposureOf` (no reverse pass to share) keep their `path` inline.
 */
export function* exposureJsonParts(exposure: Exposure, out: JsonOut, options: { paths?: boolean } = {}): Generator<void> {
  const { exposed, ...summary } = exposure;
  const table = exposureWitnessTable(exposed);
  const head = JSON.stringify(summary);
  out.text(head.slice(0, -1));
  out.ascii(',\n');
  yield;
  if (table) {
    out.ascii('"witness": [\n');
    for (let i = 0; i < table.steps.length; i++) {
      out.data(table.steps[i]);
      out.ascii(i + 1 < table.steps.length ? ',\n' : '\n');
      if ((i & 1023) === 1023) yield;
    }
    out.ascii('],\n');
  }
  out.ascii('"exposed": [\n');
  for (let i = 0; i < exposed.length; i++) {
    const entry = exposed[i]!;
    // Named fields only, written one by one (`path` is built when read).
    out.open();
    out.field('id', entry.id);
    out.field('name', entry.name);
    out.field('kind', entry.kind);
    out.field('platform', entry.platform);
    out.field('tenant', entry.tenant);
    out.field('level', entry.level);
    out.field('hops', entry.hops);
    out.field('subtype', entry.subtype);
    out.field('privileged', entry.privileged);
    if (table) out.field('witness', table.first[i]!);
    if (!table || options.paths === true) out.field('path', entry.path);
    out.close();
    out.ascii(i + 1 < exposed.length ? ',\n' : '\n');
    if ((i & 1023) === 1023) yield;
  }
  out.ascii(']}\n');
  yield;
}

/** exposureJsonParts as pieces of text, each ending with a newline. */
export function exposureJsonChunks(exposure: Exposure, options: { paths?: boolean } = {}): Generator<string> {
  return jsonOutChunks((out) => exposureJsonParts(exposure, out, options));
}
