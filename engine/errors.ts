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
  const where = `${issue.file ? `${issue.file} ` : ''}${issue.path}${issue.line !== undefined ? ` (line ${issue.line})` : ''}`;
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
