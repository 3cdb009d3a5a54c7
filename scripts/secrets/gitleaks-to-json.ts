// Converts gitleaks' published rule set (config/gitleaks.toml, MIT) into engine/secrets/gitleaks.json, the data the
// scrubber reads: every rule's regex translated from RE2 to JavaScript (engine/secrets/re2.ts), its keywords,
// entropy, secret group and allowlists. Usage: node bin/run-ts.js scripts/secrets/gitleaks-to-json.ts <gitleaks.toml> <version> <commit>
import { readFileSync, writeFileSync } from 'node:fs';
import { looserDelimiter, re2ToJs, withoutLeadingContext } from '../../engine/secrets/re2.ts';

type Value = string | number | string[];
type Table = Record<string, Value>;

/** The subset of TOML the file uses: [[rules]], [[rules.allowlists]], [allowlist], strings, numbers, string arrays. */
function readToml(text: string): { global: Table; rules: (Table & { allowlists: Table[] })[] } {
  const global: Table = {};
  const rules: (Table & { allowlists: Table[] })[] = [];
  let current: Table = {};
  let i = 0;
  const skipSpace = () => { while (i < text.length && /[ \t\r\n,]/.test(text[i]!)) i++; while (text[i] === '#') { while (i < text.length && text[i] !== '\n') i++; while (i < text.length && /[ \t\r\n,]/.test(text[i]!)) i++; } };
  const readString = (): string => {
    if (text.startsWith("'''", i)) { const end = text.indexOf("'''", i + 3); const s = text.slice(i + 3, end); i = end + 3; return s.startsWith('\n') ? s.slice(1) : s; }
    if (text[i] === "'") { const end = text.indexOf("'", i + 1); const s = text.slice(i + 1, end); i = end + 1; return s; }
    if (text[i] === '"') {
      let s = '';
      for (i++; text[i] !== '"'; i++) {
        if (text[i] === '\\') { i++; const e = text[i]!; s += e === 'n' ? '\n' : e === 't' ? '\t' : e; } else s += text[i];
      }
      i++;
      return s;
    }
    throw new Error(`string expected at ${text.slice(i, i + 30)}`);
  };
  const readValue = (): Value => {
    if (text[i] === '[') {
      i++;
      const items: string[] = [];
      for (skipSpace(); text[i] !== ']'; skipSpace()) items.push(readString());
      i++;
      return items;
    }
    if (/[0-9.-]/.test(text[i]!)) { const m = /^[0-9.eE+-]+/.exec(text.slice(i))!; i += m[0].length; return Number(m[0]); }
    return readString();
  };
  while (true) {
    skipSpace();
    if (i >= text.length) break;
    if (text.startsWith('[[rules.allowlists]]', i)) { current = {}; rules.at(-1)!.allowlists.push(current); i += 20; continue; }
    if (text.startsWith('[[rules]]', i)) { const rule = { allowlists: [] as Table[] } as Table & { allowlists: Table[] }; rules.push(rule); current = rule; i += 9; continue; }
    if (text.startsWith('[allowlist]', i)) { current = global; i += 11; continue; }
    const key = /^[A-Za-z_]+/.exec(text.slice(i));
    if (!key) throw new Error(`key expected at ${text.slice(i, i + 40)}`);
    i += key[0].length;
    skipSpace();
    if (text[i] !== '=') throw new Error(`= expected after ${key[0]}`);
    i++;
    skipSpace();
    current[key[0]] = readValue();
  }
  return { global, rules };
}

const [file, version, commit] = process.argv.slice(2);
if (!file || !version || !commit) throw new Error('usage: gitleaks-to-json.ts <gitleaks.toml> <version> <commit>');
const toml = readToml(readFileSync(file, 'utf8'));
const list = (value: Value | undefined): string[] => (Array.isArray(value) ? value : []);
const skipped: { id: string; why: string }[] = [];
const rules = [];
for (const rule of toml.rules) {
  const id = String(rule.id);
  if (rule.path !== undefined) { skipped.push({ id, why: 'applies to files by path only' }); continue; }
  if (rule.regex === undefined) { skipped.push({ id, why: 'has no regex (path-only rule)' }); continue; }
  const allowlists = rule.allowlists
    .filter((allow) => allow.paths === undefined || allow.condition !== 'AND')
    .map((allow) => ({
      regexTarget: (allow.regexTarget as string | undefined) ?? 'secret',
      regexes: list(allow.regexes).map(re2ToJs),
      stopwords: list(allow.stopwords).map((word) => word.toLowerCase()),
    }))
    .filter((allow) => allow.regexes.length + allow.stopwords.length > 0);
  rules.push({
    id,
    description: String(rule.description ?? ''),
    regex: looserDelimiter(withoutLeadingContext(re2ToJs(String(rule.regex)))),
    keywords: list(rule.keywords).map((word) => word.toLowerCase()),
    ...(rule.entropy !== undefined ? { entropy: Number(rule.entropy) } : {}),
    ...(rule.secretGroup !== undefined ? { secretGroup: Number(rule.secretGroup) } : {}),
    ...(allowlists.length > 0 ? { allowlists } : {}),
  });
}
const out = {
  source: 'https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml',
  licence: 'MIT (Copyright (c) 2019 Zachary Rice); see engine/secrets/PROVENANCE.md',
  version,
  commit,
  generatedBy: 'scripts/secrets/gitleaks-to-json.ts',
  skipped,
  allowlist: { regexes: list(toml.global.regexes).map(re2ToJs), stopwords: list(toml.global.stopwords).map((word) => word.toLowerCase()) },
  rules,
};
writeFileSync(new URL('../../engine/secrets/gitleaks.json', import.meta.url), `${JSON.stringify(out, null, 1)}\n`);
console.log(`${rules.length} rules written, ${skipped.length} skipped`);
