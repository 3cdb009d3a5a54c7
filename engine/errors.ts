// Typed errors shared by the engine, importers, CLI and server. The CLI maps `code` to an exit status.
import { findSecret } from './secrets.ts';

export type ErrorCode =
  | 'INVALID_INPUT' // a file or request does not match its schema; `issues` says where
  | 'UNKNOWN_NODE' // a node reference (id or name) resolves to nothing
  | 'AMBIGUOUS_NODE' // a name matches several nodes
  | 'INVALID_SNAPSHOT' // a snapshot file is corrupt or from an unknown version
  | 'INVALID_OPTION' // an analysis option is out of range
  | 'LOCKED' // another writer holds the graph
  | 'IO'; // reading or writing a file failed

/** One problem found in an input: where (file + JSON path), what was expected, what was found. */
export interface InputIssue {
  file?: string | undefined;
  /** JSONPath-like location, e.g. `$.nodes[3].kind`. */
  path: string;
  message: string;
  expected?: string | undefined;
  found?: string | undefined;
  /** 1-based line when the format knows it (NDJSON, YAML). */
  line?: number | undefined;
  /** 1-based column, for a syntax error. */
  column?: number | undefined;
}

export class BlastmapError extends Error {
  readonly code: ErrorCode;
  readonly issues: readonly InputIssue[];
  readonly candidates: readonly string[];

  constructor(code: ErrorCode, message: string, options: { issues?: readonly InputIssue[]; candidates?: readonly string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BlastmapError';
    this.code = code;
    this.issues = options.issues ?? [];
    this.candidates = options.candidates ?? [];
  }
}

export function formatIssue(issue: InputIssue): string {
  const at = issue.line === undefined ? '' : issue.column === undefined ? ` (line ${issue.line})` : ` (line ${issue.line}, column ${issue.column})`;
  const where = `${issue.file ? `${issue.file} ` : ''}${issue.path}${at}`;
  const detail = issue.expected !== undefined
    ? `expected ${issue.expected}${issue.found !== undefined ? `, found ${issue.found}` : ''}`
    : issue.message;
  return `${where}: ${detail}`;
}

/** Renders a JSON path from zod-style path segments: ['nodes', 3, 'kind'] -> `$.nodes[3].kind`. */
export function jsonPath(segments: readonly PropertyKey[]): string {
  let out = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$]*$/.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** A short, safe rendering of a value found in input, for error messages. */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    // An error message is output too: a secret in a field that failed validation must not be echoed.
    const secret = findSecret(value);
    if (secret !== undefined) return `a ${secret} (not shown)`;
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}

/** 1-based line and column of a character offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Offset of the first JSON syntax error in `text` (its length when the text ends too early), for the parser messages
 * that do not give one. A small recursive-descent scan: the grammar of RFC 8259, nothing more.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++; };
  const fail = (): never => { throw i; };
  const literal = (word: string) => {
    for (const char of word) {
      if (text[i] !== char) fail();
      i++;
    }
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 34) { i++; return; }
      if (c < 32) fail();
      if (c === 92) {
        i++;
        if (text[i] === 'u') { if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail(); i += 5; } else if ('"\\/bfnrt'.includes(text[i] ?? '')) i++; else fail();
      } else i++;
    }
  };
  const digit = () => i < text.length && text[i]! >= '0' && text[i]! <= '9';
  const digits = () => {
    if (!digit()) fail();
    while (digit()) i++;
  };
  // Fails where V8 does: at the first character that cannot continue the number.
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') { i++; digits(); }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  const value = (depth: number): void => {
    if (depth > 10_000) fail();
    ws();
    const c = text[i];
    if (c === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws(); if (text[i] !== '"') fail(); string(); ws();
        if (text[i] !== ':') fail(); i++;
        value(depth + 1); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        fail();
      }
    } else if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(depth + 1); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        fail();
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else fail();
  };
  try {
    value(0);
    ws();
    return i < text.length ? i : text.length;
  } catch (offset) {
    if (typeof offset === 'number') return Math.min(offset, text.length);
    return text.length;
  }
}

/**
 * A JSON syntax error as an issue: the parser's reason without the excerpt of the input it quotes (which may hold a
 * secret), at the line and column of the fault. `line` offsets the lines (an NDJSON record's line in its file).
 */
export function jsonSyntaxIssue(text: string, error: unknown, where: { file?: string | undefined; line?: number; expected?: string } = {}): InputIssue {
  const raw = error instanceof Error ? error.message : String(error);
  const stated = /at position (\d+)/.exec(raw);
  const offset = stated ? Number(stated[1]) : jsonErrorOffset(text);
  const reason = raw
    // V8 quotes the text around the fault: `, "<text>" is not valid JSON`, or for a long text
    // `, ..."<excerpt>"... is not valid JSON`. Neither reaches an issue: the text may hold a secret.
    .replace(/,\s*(\.\.\.)?\s*"[\s\S]*"(\.\.\.)? is not valid JSON$/, '')
    .replace(/\s*in JSON at position \d+[\s\S]*$/, '')
    .replace(/ after JSON at position \d+[\s\S]*$/, ' after the JSON value')
    .replace(/Unexpected end of JSON input/, 'unexpected end of input');
  const at = lineAndColumn(text, offset);
  const line = (where.line ?? 1) + at.line - 1;
  return {
    file: where.file, path: '$', line, column: at.column,
    message: `not valid JSON: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`,
  };
}
