// Reading YAML (and JSON, which YAML contains) with line numbers: the document's value, and the line of any
// JSON path in it, so every validation issue of a hand-written file can say where to look.
import { scrubInput } from '../secrets.ts';
import { LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { InputIssue } from '../errors.ts';

export type YamlRead =
  | { ok: true; value: unknown; lineAt: (path: string) => number | undefined }
  | { ok: false; issues: InputIssue[] };

/** Path segments of a JSONPath-like string: `$.nodes[3].kind` -> ['nodes', 3, 'kind']. */
export function pathSegments(path: string): (string | number)[] {
  return (path.match(/[^.[\]$"]+/g) ?? []).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Deepest nesting readYaml accepts: far beyond any real document, far below what exhausts the parser's stack. */
export const MAX_YAML_DEPTH = 128;

/**
 * An upper bound of a YAML text's nesting, stopping at `limit`: per line, its indentation plus the block
 * indicators (`- `, `? `, `: ` outside brackets) on it, plus the flow brackets open so far. Quoted scalars and
 * comments are skipped, so brackets in names do not count. The yaml library recurses once per level and a
 * stack overflow inside it can abort the process, so documents deeper than this are refused before parsing.
 */
export function exceedsYamlDepth(text: string, limit = MAX_YAML_DEPTH): boolean {
  let flow = 0;
  let lineStart = true;
  let line = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) { lineStart = true; line = 0; continue; }
    if (lineStart && (c === 32 || c === 9)) { line++; if (flow + line > limit) return true; continue; }
    lineStart = false;
    if (c === 34 || c === 39) {
      // A quoted scalar: skip to its closing quote (escapes in double quotes, doubled quotes in single ones).
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (c === 34 && d === 92) { i++; continue; }
        if (d === c) { if (c === 39 && text.charCodeAt(i + 1) === 39) { i++; continue; } break; }
      }
      continue;
    }
    if (c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9 || text.charCodeAt(i - 1) === 10)) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++;
      continue;
    }
    if (c === 91 || c === 123) flow++;
    else if (c === 93 || c === 125) flow = Math.max(0, flow - 1);
    else if (flow === 0 && (c === 45 || c === 63 || c === 58) && (i + 1 >= text.length || text.charCodeAt(i + 1) === 32 || text.charCodeAt(i + 1) === 10)) line++;
    if (flow + line > limit) return true;
  }
  return false;
}

/** Parses YAML or JSON text. `what` names the expected document in errors (e.g. "policy file"). */
export function readYaml(text: string, options: { file?: string | undefined; what?: string } = {}): YamlRead {
  if (exceedsYamlDepth(text)) {
    return { ok: false, issues: [{ file: options.file, path: '$', message: `nested more than ${MAX_YAML_DEPTH} levels deep`, expected: `${options.what ?? 'a YAML or JSON document'} nested at most ${MAX_YAML_DEPTH} levels`, found: 'deeper nesting' }] };
  }
  const lineCounter = new LineCounter();
  // Hostile YAML can exhaust the parser (nesting deeper than the stack) or the expansion (alias bombs): both
  // throw from inside the library, and both are an input problem, not a crash.
  const refused = (error: unknown): YamlRead => ({
    ok: false,
    issues: [{ file: options.file, path: '$', message: `not valid YAML: ${(error as Error).message}`, expected: options.what ?? 'a YAML or JSON document', found: 'a document blastmap refuses to expand (too deep, or too many aliases)' }],
  });
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  } catch (error) {
    return refused(error);
  }
  if (doc.errors.length > 0) {
    // The first error only: the parser keeps going after a syntax error, and what follows (often the same complaint
    // on every later line, as for a file that starts with a Markdown code fence) is the first one's echo.
    const first = doc.errors[0]!;
    const { line, col } = lineCounter.linePos(first.pos[0]);
    return {
      ok: false,
      issues: [{ file: options.file, path: '$', line, column: col, message: `not valid YAML: ${first.message.split('\n')[0]}` }],
    };
  }
  // The line of the deepest node on the path that exists (a missing field points at its parent).
  const lineAt = (path: string): number | undefined => {
    const segments = pathSegments(path);
    for (let n = segments.length; n >= 0; n--) {
      const node = doc.getIn(segments.slice(0, n), true) as YamlNode | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return refused(error);
  }
  // The input boundary for every YAML input (native files, workflow files): keys and values scrubbed before use.
  return { ok: true, value: scrubInput(value), lineAt };
}

/** Adds line numbers to issues that have none. */
export function withLines(issues: readonly InputIssue[], lineAt: (path: string) => number | undefined): InputIssue[] {
  return issues.map((issue) => {
    if (issue.line !== undefined) return issue;
    const line = lineAt(issue.path);
    return line === undefined ? issue : { ...issue, line };
  });
}
