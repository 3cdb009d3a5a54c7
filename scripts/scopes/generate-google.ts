// Regenerates engine/schema/scopes/google-workspace.json from Google's published API discovery documents: every OAuth
// scope (`auth.oauth2.scopes`) of the Google Workspace APIs gets an entry; the hand-assessed entries of
// scripts/scopes/google-hand-assessed.json are kept as they are, the others are derived from the scope's name.
//
//   node bin/run-ts.js scripts/scopes/generate-google.ts <discovery documents folder> <source name and version>
//
// <discovery documents folder>: googleapiclient/discovery_cache/documents of the google-api-python-client wheel on PyPI
// (Apache-2.0 licence), the discovery documents Google publishes at https://www.googleapis.com/discovery/v1/apis.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scopeCatalogSchema, type ScopeEntry } from '../../engine/schema/scopes.ts';
import type { Level } from '../../engine/schema/index.ts';

const [folder, sourceName] = process.argv.slice(2);
if (!folder || !sourceName) {
  console.error('usage: generate-google.ts <discovery documents folder> <source name and version>');
  process.exit(2);
}
const CATALOGUE = join(import.meta.dirname, '../../engine/schema/scopes/google-workspace.json');

/**
 * The Google Workspace APIs (what the google-workspace importer's grants reach). Other Google APIs (YouTube, Cloud,
 * Ads ...) are outside this catalogue on purpose: their scopes reach no Workspace resource and stay unknown.
 */
const WORKSPACE_APIS = [
  'admin.datatransfer_v1', 'admin.directory_v1', 'admin.reports_v1', 'alertcenter.v1beta1', 'calendar.v3', 'chat.v1',
  'classroom.v1', 'cloudidentity.v1', 'docs.v1', 'drive.v2', 'drive.v3', 'driveactivity.v2', 'drivelabels.v2',
  'forms.v1', 'gmail.v1', 'gmailpostmastertools.v1', 'groupssettings.v1', 'keep.v1', 'licensing.v1', 'meet.v2',
  'people.v1', 'reseller.v1', 'script.v1', 'sheets.v4', 'slides.v1', 'tasks.v1', 'vault.v1',
];

/** Resource types (docs/importers/google-workspace.md) by the scope's name after `/auth/`, first match wins. */
const RESOURCES: [RegExp, string[]][] = [
  [/^gmail\.|^mail\.google/, ['mailbox']],
  [/^(drive|documents|spreadsheets|presentations|forms|script|drive\.labels)\b/, ['drive']],
  [/^calendar\b|^https:\/\/www\.google\.com\/calendar\/feeds/, ['calendar']],
  [/^(contacts|directory\.readonly)\b|^https:\/\/www\.google\.com\/m8\/feeds/, ['contacts']],
  [/^groups$|^admin\.directory\.group|^cloud-identity\.groups|^apps\.groups/, ['groups']],
  [/^admin\.directory\.device|^cloud-identity\.devices/, ['devices']],
  [/^admin\.directory\.(user|orgunit|rolemanagement)|^cloud-identity\.(userinvitations|policies)/, ['directory']],
  [/^admin\.reports/, ['audit-logs']],
  [/^(admin\.|apps\.(licensing|order|alerts)|cloud-identity|ediscovery)/, ['settings']],
  [/^user\.|^userinfo\./, ['profile']],
];

/** Reading scopes say so in their qualifier; anything else may change what it reaches. */
const levelOf = (name: string): Level => (/(readonly|read_only|\.read$|\.readonly\.|\.metadata$)/.test(name) ? 'read' : 'write');

/** Administrator APIs act on the whole domain; the others on the consenting user's own data. */
const tenantWideOf = (name: string): boolean => /^(admin\.|apps\.|cloud-identity|ediscovery|chat\.admin|classroom\.(rosters|profile)|keep$|keep\.readonly$)/.test(name);

interface Discovery { revision?: string; auth?: { oauth2?: { scopes?: Record<string, unknown> } } }
// The hand-assessed entries live apart from the output so that a regeneration re-derives everything else.
const current = scopeCatalogSchema.parse(JSON.parse(readFileSync(join(import.meta.dirname, 'google-hand-assessed.json'), 'utf8')));

const scopes: Record<string, ScopeEntry> = {};
const revisions: string[] = [];
let kept = 0;
let derived = 0;
let byPattern = 0;
const handPatterns = current.patterns.map(({ pattern }) => new RegExp(pattern));
for (const api of WORKSPACE_APIS) {
  const path = join(folder, `${api}.json`);
  if (!existsSync(path)) throw new Error(`${path}: discovery document missing`);
  const document = JSON.parse(readFileSync(path, 'utf8')) as Discovery;
  if (document.revision) revisions.push(document.revision);
  for (const scope of Object.keys(document.auth?.oauth2?.scopes ?? {})) {
    if (scope in scopes) continue;
    const curated = current.scopes[scope];
    if (curated) { scopes[scope] = curated; kept++; continue; }
    // A hand-assessed pattern (the Gmail add-on scopes) already decides the scope; an exact entry would override it.
    if (handPatterns.some((pattern) => pattern.test(scope))) { byPattern++; continue; }
    const name = scope.replace(/^https:\/\/www\.googleapis\.com\/auth\//, '');
    scopes[scope] = { level: levelOf(name), resources: RESOURCES.find(([pattern]) => pattern.test(name))?.[1] ?? [], tenantWide: tenantWideOf(name) };
    derived++;
  }
}
// Hand-assessed entries the Workspace documents do not list (OpenID scopes, Cloud scopes, legacy feeds) stay.
for (const [name, entry] of Object.entries(current.scopes)) if (!(name in scopes)) { scopes[name] = entry; kept++; }

const latest = revisions.sort().at(-1) ?? 'unknown';
const date = `${latest.slice(0, 4)}-${latest.slice(4, 6)}-${latest.slice(6, 8)}`;
const sorted = Object.fromEntries(Object.entries(scopes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const reference = current.reference +
  ` Generated by scripts/scopes/generate-google.ts from the discovery documents (auth.oauth2.scopes) of the ${WORKSPACE_APIS.length} Google Workspace APIs bundled in ${sourceName} (Apache-2.0 licence), latest revision ${date}: entries not hand-assessed are read when the name says readonly, else write, and take their resource type from the API part of the name.`;
const catalogue = scopeCatalogSchema.parse({ ...current, reference, scopes: sorted });
writeFileSync(CATALOGUE, `${JSON.stringify(catalogue, null, 2)}\n`);
console.log(`${Object.keys(sorted).length} scopes: ${kept} hand-assessed kept, ${derived} derived from the published data, ${byPattern} left to the hand-assessed patterns`);
