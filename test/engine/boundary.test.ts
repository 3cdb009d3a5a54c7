// The engine and importers stay pure (graph-model.md, architecture.md): no Node builtins, no DOM, no I/O,
// so the same code runs in the CLI, the server and the browser. The CLI does the I/O.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCANNED = ['engine', 'importers'];
/** The Neo4j store is the one engine part allowed to talk to the network (through its driver). */
const EXEMPT = ['engine/store/neo4j/'];

const NODE_BUILTINS = new Set([
  ...builtinModules.filter((name) => !name.startsWith('_')),
  'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'url', 'stream', 'worker_threads', 'process',
]);
const FORBIDDEN_GLOBALS = [
  // DOM and browser I/O
  'document', 'window', 'localStorage', 'sessionStorage', 'navigator', 'HTMLElement', 'XMLHttpRequest', 'fetch', 'WebSocket',
  // Node globals
  'process', 'Buffer', 'require', '__dirname', '__filename',
];

const KEYWORDS_BEFORE_REGEX = new Set(['return', 'typeof', 'case', 'in', 'of', 'new', 'delete', 'void', 'throw', 'else', 'yield', 'await', 'instanceof']);

/**
 * Blanks comments (and, unless `keepStrings`, string, template and regex literal text) with spaces,
 * keeping newlines so that offsets still map to the right lines. A small lexer, enough for our sources.
 */
function blank(source: string, keepStrings: boolean): string {
  const out = source.split('');
  const wipe = (from: number, to: number) => { for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' '; };
  const templateDepth: number[] = []; // brace depth at which each open `${` returns to its template
  let braces = 0;
  let lastSignificant = '';
  let lastWord = '';
  let i = 0;
  const skipString = (quote: string): number => {
    let j = i + 1;
    while (j < source.length && source[j] !== quote && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
    return j + 1;
  };
  /** From just after a backtick or `}` closing an interpolation, to just after the closing backtick or `${`. */
  const skipTemplate = (from: number): { end: number; interpolation: boolean } => {
    let j = from;
    while (j < source.length) {
      if (source[j] === '\\') { j += 2; continue; }
      if (source[j] === '`') return { end: j + 1, interpolation: false };
      if (source[j] === '$' && source[j + 1] === '{') return { end: j + 2, interpolation: true };
      j++;
    }
    return { end: j, interpolation: false };
  };
  const template = (from: number) => {
    const { end, interpolation } = skipTemplate(from);
    if (!keepStrings) wipe(from, interpolation ? end - 2 : end - 1);
    if (interpolation) { templateDepth.push(braces); braces++; }
    i = end;
    lastSignificant = interpolation ? '{' : '`';
  };
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? source.length : end;
      wipe(i, stop);
      i = stop;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      wipe(i, stop);
      i = stop;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = skipString(c);
      if (!keepStrings) wipe(i + 1, end - 1);
      i = end;
      lastSignificant = c;
      lastWord = '';
      continue;
    }
    if (c === '`') { template(i + 1); lastWord = ''; continue; }
    if (c === '/' && (lastSignificant === '' || '(,=:[!&|?{};+-*%<>~^'.includes(lastSignificant) || KEYWORDS_BEFORE_REGEX.has(lastWord))) {
      let j = i + 1;
      let inClass = false;
      while (j < source.length && source[j] !== '\n') {
        if (source[j] === '\\') { j += 2; continue; }
        if (source[j] === '[') inClass = true;
        else if (source[j] === ']') inClass = false;
        else if (source[j] === '/' && !inClass) break;
        j++;
      }
      if (!keepStrings) wipe(i + 1, j);
      i = j + 1;
      while (i < source.length && /[a-z]/.test(source[i]!)) i++;
      lastSignificant = '/';
      lastWord = '';
      continue;
    }
    if (c === '{') braces++;
    if (c === '}') {
      braces--;
      if (templateDepth.length > 0 && templateDepth.at(-1) === braces) {
        templateDepth.pop();
        template(i + 1);
        continue;
      }
    }
    if (/[\w$]/.test(c)) {
      let j = i;
      while (j < source.length && /[\w$]/.test(source[j]!)) j++;
      lastWord = source.slice(i, j);
      lastSignificant = 'a';
      i = j;
      continue;
    }
    if (!/\s/.test(c)) { lastSignificant = c; lastWord = ''; }
    i++;
  }
  return out.join('');
}

const lineAt = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

/** Every boundary violation in one file, as `file:line: what`. */
function violations(file: string, source: string): string[] {
  const found: string[] = [];
  const code = blank(source, true);
  const importPatterns = [
    /\b(?:import|export)\b[^;]*?\bfrom\s*(['"])([^'"\n]+)\1/g,
    /\bimport\s*(['"])([^'"\n]+)\1/g,
    /\bimport\s*\(\s*(['"`])([^'"`\n]+)\1/g,
    /\brequire\s*\(\s*(['"`])([^'"`\n]+)\1/g,
  ];
  for (const pattern of importPatterns) {
    for (const match of code.matchAll(pattern)) {
      const specifier = match[2]!;
      const root = specifier.split('/')[0]!;
      if (specifier.startsWith('node:') || NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(root)) {
        found.push(`${file}:${lineAt(code, match.index! + match[0].lastIndexOf(specifier))}: imports the Node builtin '${specifier}'`);
      }
    }
  }
  const bare = blank(source, false);
  const shadowed = declaredNames(bare);
  const globals = new RegExp(`(?<![\\w$.])(${FORBIDDEN_GLOBALS.join('|')})(?![\\w$])(?!\\s*\\??:(?!:))`, 'g');
  for (const match of bare.matchAll(globals)) {
    if (shadowed.has(match[1]!)) continue;
    found.push(`${file}:${lineAt(bare, match.index!)}: uses the global '${match[1]}'`);
  }
  const lineOf = (entry: string) => Number(entry.split(':')[1]);
  return [...new Set(found)].sort((a, b) => lineOf(a) - lineOf(b) || a.localeCompare(b));
}

/** Forbidden names the file declares itself (a `document` parameter is not the DOM's document). */
function declaredNames(code: string): Set<string> {
  const declared = new Set<string>();
  for (const name of FORBIDDEN_GLOBALS) {
    const patterns = [
      `\\b(?:const|let|var|function|class)\\s+${name}\\b`, // declaration
      `[(,]\\s*(?:\\.\\.\\.)?${name}\\s*\\??:`, // typed parameter
      `\\(\\s*${name}\\s*(?:,[^()]*)?\\)\\s*=>`, // untyped arrow parameters
      `(?<![\\w$.])${name}\\s*=>`, // single arrow parameter
      `\\b(?:const|let|var)\\s*[{[][^=;]*(?<![\\w$.])${name}\\b[^=;]*[}\\]]\\s*=`, // destructuring
    ];
    if (patterns.some((pattern) => new RegExp(pattern).test(code))) declared.add(name);
  }
  return declared;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (EXEMPT.some((prefix) => `${path}/`.startsWith(prefix))) continue;
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out.sort();
}

describe('engine and importers boundary', () => {
  it('no file under engine/ (but the Neo4j store) or importers/ imports a Node builtin or touches DOM, Node globals or the network', () => {
    const files = SCANNED.flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(10);
    expect(files).toContain('engine/analysis/reach.ts');
    const problems = files.flatMap((file) => violations(relative(ROOT, join(ROOT, file)), readFileSync(join(ROOT, file), 'utf8')));
    expect(problems, `boundary violations:\n${problems.join('\n')}`).toEqual([]);
  });
});

describe('the boundary scanner itself', () => {
  it('catches builtin imports in every form, with their line', () => {
    const source = [
      "import { readFile } from 'node:fs/promises';",
      'import path from "path";',
      "import {",
      "  spawn,",
      "} from 'child_process';",
      "export { hostname } from 'os';",
      "import 'worker_threads';",
      "const mod = await import('crypto');",
      "const url = require('url');",
      "import type { Readable } from 'stream';",
    ].join('\n');
    expect(violations('x.ts', source)).toEqual([
      "x.ts:1: imports the Node builtin 'node:fs/promises'",
      "x.ts:2: imports the Node builtin 'path'",
      "x.ts:5: imports the Node builtin 'child_process'",
      "x.ts:6: imports the Node builtin 'os'",
      "x.ts:7: imports the Node builtin 'worker_threads'",
      "x.ts:8: imports the Node builtin 'crypto'",
      "x.ts:9: imports the Node builtin 'url'",
      "x.ts:9: uses the global 'require'",
      "x.ts:10: imports the Node builtin 'stream'",
    ]);
  });

  it('catches DOM, network and Node globals, but not properties, keys, comments, strings or regexes', () => {
    const bad = [
      'const title = document.title;',
      'window.alert(1);',
      'const body = await fetch(url);',
      'if (process.env.X) {}',
      'const t = `a ${navigator.userAgent} b`;',
      'localStorage.setItem(k, v);',
    ].join('\n');
    expect(violations('b.ts', bad).map((line) => line.replace(/: uses.*/, ''))).toEqual(['b.ts:1', 'b.ts:2', 'b.ts:3', 'b.ts:4', 'b.ts:5', 'b.ts:6']);
    const clean = [
      '// fetch(url) from the window, see https://example.com and process',
      "const docs = 'document window fetch( process';",
      'const pattern = /["\'`]fetch\\(/g;',
      'const ratio = a / b / window2;',
      'const options = { window: 3, fetch: true };',
      'interface X { document?: string; process: number }',
      'const w = options.window + graph.process.length + activeWindow(node);',
      '/* window',
      '   document */ const t = `fetch(${options.fetch}) in the window`;',
      "import { z } from 'zod';",
      "import { edge } from '../format/native.ts';",
      'export function records(document: unknown, keys: string[]) { return Array.isArray(document) ? document : []; }',
      'const pages = list.map((window) => window.size);',
    ].join('\n');
    expect(violations('c.ts', clean)).toEqual([]);
  });
});
