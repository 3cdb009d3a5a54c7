// Plants secrets in every field of a platform importer's raw export files: every string value and every object key
// of its JSON, NDJSON and YAML files (found by walking each parsed document, not from a list), every cell of its CSV
// files, and every folder and file name of the export, one field at a time as a path (array positions folded), the
// same original text always getting the same planted text so that references between files still join.
import { parse as yamlParse, stringify as yamlStringify } from 'yaml';
import type { RawFile } from '../../importers/common/records.ts';
import { parseCsv } from '../../importers/aws/csv.ts';
import type { PlantedSecret } from './secret-corpus.ts';

/**
 * One field of one file: a string value's path (`$.users[].profile.login`), a key's (`key $.users[].profile`), a CSV
 * column; or (`name`) a folder or file name of the export, by its path from the export's root (`apps/0oa1`).
 */
export interface Field { file: string; path: string; key: boolean; name?: boolean }

export const fieldId = (field: Field): string => (field.name ? `name ${field.path}` : `${field.file} ${field.key ? 'key' : 'value'} ${field.path}`);

const segment = (key: string): string => (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

/** The fields of one parsed JSON document. */
function jsonFields(file: string, value: unknown, path = '$', out: Field[] = []): Field[] {
  if (typeof value === 'string') out.push({ file, path, key: false });
  else if (Array.isArray(value)) for (const item of value) jsonFields(file, item, `${path}[]`, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push({ file, path: `${path}${segment(key)}`, key: true });
      jsonFields(file, item, `${path}${segment(key)}`, out);
    }
  }
  return out;
}

const isCsv = (file: RawFile): boolean => file.path.toLowerCase().endsWith('.csv');
const isJson = (file: RawFile): boolean => file.path.toLowerCase().endsWith('.json');
const isNdjson = (file: RawFile): boolean => /\.(ndjson|jsonl)$/i.test(file.path);
const isYaml = (file: RawFile): boolean => /\.ya?ml$/i.test(file.path);

/** A structured file's parsed documents (an NDJSON file is an array of its lines), and how to write them back. */
function documentOf(file: RawFile): { value: unknown; write: (value: unknown) => string } | undefined {
  if (isJson(file)) return { value: JSON.parse(file.text), write: (value) => JSON.stringify(value, null, 2) };
  if (isNdjson(file)) return { value: file.text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line)), write: (value) => (value as unknown[]).map((record) => JSON.stringify(record)).join('\n') + '\n' };
  if (isYaml(file)) return { value: yamlParse(file.text), write: (value) => yamlStringify(value, { lineWidth: 0 }) };
  return undefined;
}

/** Every field of the files an importer reads (JSON, NDJSON, YAML and CSV), each once. */
export function fieldsOf(files: readonly RawFile[]): Field[] {
  const all: Field[] = [];
  for (const file of files) {
    const document = documentOf(file);
    if (document) all.push(...jsonFields(file.path, document.value));
    else if (isCsv(file)) {
      const [header] = parseCsv(file.text);
      for (const column of header?.cells ?? []) all.push({ file: file.path, path: `$[]${segment(column)}`, key: false }, { file: file.path, path: `$[]${segment(column)}`, key: true });
    }
  }
  const seen = new Set<string>();
  return all.filter((field) => !seen.has(fieldId(field)) && seen.add(fieldId(field)));
}

const csvCell = (text: string): string => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/**
 * How a field carries its secret: `plant` appends it (`<value> <secret>`, the secret alone for an empty value; a key
 * is renamed `<key> <secret>`); `sibling` (keys only) keeps the key and adds `<key> <secret>` beside it with the same
 * value, for a key the importer needs; `off` leaves the field as it was (the importer refused every planting).
 */
export type Mode = 'plant' | 'sibling' | 'off';

/** Every folder and file name of an export, by its path from the export's root, each once. */
export function nameFieldsOf(files: readonly RawFile[]): Field[] {
  const seen = new Set<string>();
  const out: Field[] = [];
  for (const file of files) {
    const segments = file.path.split('/');
    segments.forEach((_, i) => {
      const path = segments.slice(0, i + 1).join('/');
      if (!seen.has(path)) { seen.add(path); out.push({ file: '', path, key: false, name: true }); }
    });
  }
  return out;
}

/**
 * A folder or file name with a secret: `users.json` becomes `users <secret>.json`. A name cannot hold `/`, a line break
 * or more than 255 bytes: `nameFor` picks among the shapes that fit one.
 */
function plantedName(segment: string, isFile: boolean, nameFor: (text: string) => PlantedSecret): string {
  const dot = isFile ? segment.lastIndexOf('.') : -1;
  const [stem, extension] = dot > 0 ? [segment.slice(0, dot), segment.slice(dot)] : [segment, ''];
  return `${stem} ${nameFor(segment).value}${extension}`;
}

/** A secret shape that can be part of a file name. */
export const fitsName = (secret: PlantedSecret): boolean => !/[/\\\n\r\0]/.test(secret.value) && Buffer.byteLength(secret.value) <= 160;

/**
 * The files with a secret in every field whose mode says so. `secretFor` picks the secret for an original text,
 * `nameFor` the one for a folder or file name.
 */
export function plantFields(files: readonly RawFile[], modes: ReadonlyMap<string, Mode>, secretFor: (text: string) => PlantedSecret, nameFor: (text: string) => PlantedSecret = secretFor): RawFile[] {
  const planted = (text: string): string => (text === '' ? secretFor(text).value : `${text} ${secretFor(text).value}`);
  const mode = (field: Field): Mode => modes.get(fieldId(field)) ?? 'off';
  const rename = (path: string): string => {
    const segments = path.split('/');
    return segments.map((segment, i) => (mode({ file: '', path: segments.slice(0, i + 1).join('/'), key: false, name: true }) === 'plant' ? plantedName(segment, i === segments.length - 1, nameFor) : segment)).join('/');
  };
  return plantContents(files, mode, planted).map((file) => ({ path: rename(file.path), text: file.text }));
}

function plantContents(files: readonly RawFile[], mode: (field: Field) => Mode, planted: (text: string) => string): RawFile[] {
  return files.map((file) => {
    const document = documentOf(file);
    if (document) {
      const plant = (value: unknown, path: string): unknown => {
        if (typeof value === 'string') return mode({ file: file.path, path, key: false }) === 'plant' ? planted(value) : value;
        if (Array.isArray(value)) return value.map((item) => plant(item, `${path}[]`));
        if (value === null || typeof value !== 'object') return value;
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) {
          const childPath = `${path}${segment(key)}`;
          const keyMode = mode({ file: file.path, path: childPath, key: true });
          out[keyMode === 'plant' ? planted(key) : key] = plant(item, childPath);
          if (keyMode === 'sibling') out[planted(key)] = plant(item, childPath);
        }
        return out;
      };
      return { path: file.path, text: document.write(plant(document.value, '$')) };
    }
    if (isCsv(file)) {
      const [header, ...rows] = parseCsv(file.text);
      if (!header) return file;
      const columns = header.cells.map((column) => `$[]${segment(column)}`);
      // A CSV column cannot have a sibling: its key is planted or not.
      const head = header.cells.map((column, i) => (mode({ file: file.path, path: columns[i]!, key: true }) === 'plant' ? planted(column) : column));
      const body = rows.map((row) => row.cells.map((cell, i) => (mode({ file: file.path, path: columns[i] ?? '', key: false }) === 'plant' ? planted(cell) : cell)));
      return { path: file.path, text: [head, ...body].map((cells) => cells.map(csvCell).join(',')).join('\n') + '\n' };
    }
    return file;
  });
}

/** An issue's path with array positions folded, and a planted key (`["users [REDACTED:…]"]`) read as its original. */
function issueField(path: string): string {
  return path.replace(/\[\d+\]/g, '[]').replace(/\["((?:[^"\\]|\\.)*)"\]/g, (whole, key: string) => {
    const original = JSON.parse(`"${key}"`) as string;
    return original.includes('[REDACTED') || original.includes(' ') ? segment(original.split(' ')[0]!) : whole;
  });
}

const next = (mode: Mode, key: boolean): Mode => (key && mode === 'plant' ? 'sibling' : 'off');

/**
 * Plants every field, then backs off field by field until the importer accepts the files: each refusal's issues name
 * the fields they are about (a value the importer validates is left alone; a key it needs gets a sibling instead);
 * issues that name none are resolved by bisection. `attempt` returns the refusal's issues, or undefined on success.
 * Returns the final modes and every refusal met on the way (each is an error output to search for leaks).
 */
export function settle(fields: readonly Field[], attempt: (modes: ReadonlyMap<string, Mode>) => readonly { file?: string; path: string; found?: string }[] | undefined): { modes: Map<string, Mode>; refusals: number } {
  const modes = new Map<string, Mode>(fields.map((field) => [fieldId(field), 'plant']));
  const backOff = (field: Field): boolean => {
    const id = fieldId(field);
    const now = modes.get(id)!;
    if (now === 'off') return false;
    modes.set(id, next(now, field.key));
    return true;
  };
  let refusals = 0;
  for (let round = 0; round < 200; round++) {
    const issues = attempt(modes);
    if (issues === undefined) return { modes, refusals };
    refusals++;
    let changed = false;
    // One step back per field and round: several issues often name the same place.
    const touched = new Set<string>();
    const atStart = new Map(modes);
    const seen = new Set<string>();
    // Issues that name no file are mostly the consequence of others (`no org id` when the org's id key was renamed):
    // they are looked at only when nothing else is.
    const named = issues.filter((issue) => issue.file !== undefined);
    for (const issue of named.length > 0 ? named : issues) {
      const path = issueField(issue.path);
      if (seen.has(`${issue.file} ${path}`)) continue;
      seen.add(`${issue.file} ${path}`);
      const inFile = fields.filter((field) => (issue.file === undefined || issue.file === field.file) && atStart.get(fieldId(field)) !== 'off');
      // The field itself (its key when the importer found nothing there, else its value); else the keys right under
      // it (a renamed envelope: `no records found` at `$`); else anything under it; else the keys above it.
      const here = inFile.filter((field) => field.path === path);
      const exact = here.filter((field) => field.key === (issue.found === 'nothing')).length > 0 ? here.filter((field) => field.key === (issue.found === 'nothing')) : here;
      const childKeys = inFile.filter((field) => field.key && atStart.get(fieldId(field)) === 'plant' && field.path.startsWith(path) && /^(\.[\w$]+|\["(?:[^"\\]|\\.)*"\])$/.test(field.path.slice(path.length)));
      // Never everything under a whole file: that would unplant it for one problem.
      const below = path === '$' ? [] : inFile.filter((field) => field.path.startsWith(`${path}.`) || field.path.startsWith(`${path}[`));
      const aboveKeys = inFile.filter((field) => field.key && (path.startsWith(`${field.path}.`) || path.startsWith(`${field.path}[`)));
      for (const candidates of [exact, childKeys, below, aboveKeys]) {
        if (candidates.length === 0) continue;
        for (const field of candidates) {
          if (touched.has(fieldId(field))) continue;
          touched.add(fieldId(field));
          changed = backOff(field) || changed;
        }
        break;
      }
    }
    if (changed) continue;
    // Nothing named: the shortest prefix of the planted fields that is refused ends with a culprit.
    const planted = fields.filter((field) => modes.get(fieldId(field)) !== 'off');
    const only = (count: number) => new Map(planted.map((field, i) => [fieldId(field), i < count ? modes.get(fieldId(field))! : 'off' as Mode]));
    let low = 1;
    let high = planted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (attempt(only(middle)) === undefined) low = middle + 1;
      else high = middle;
    }
    if (!backOff(planted[low - 1]!)) throw new Error('settle: no field left to back off');
  }
  throw new Error('settle: the importer still refuses after 200 rounds');
}
