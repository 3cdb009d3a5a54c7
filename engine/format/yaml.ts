// Reading YAML (and JSON, which YAML contains) with line numbers: the document's value, and the line of any
// JSON path in it, so every validation issue of a hand-written file can say where to look.
import { LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { InputIssue } from '../errors.ts';

export type YamlRead =
  | { ok: true; value: unknown; lineAt: (path: string) => number | undefined }
  | { ok: false; issues: InputIssue[] };

/** Path segments of a JSONPath-like string: `$.nodes[3].kind` -> ['nodes', 3, 'kind']. */
export function pathSegments(path: string): (string | number)[] {
  return (path.match(/[^.[\]$"]+/g) ?? []).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Parses YAML or JSON text. `what` names the expected document in errors (e.g. "policy file"). */
export function readYaml(text: string, options: { file?: string | undefined; what?: string } = {}): YamlRead {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((error) => ({
        file: options.file, path: '$', line: lineCounter.linePos(error.pos[0]).line,
        message: `not valid YAML: ${error.message.split('\n')[0]}`, expected: options.what ?? 'a YAML or JSON document', found: 'malformed YAML',
      })),
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
  return { ok: true, value: doc.toJS({ maxAliasCount: 100 }), lineAt };
}

/** Adds line numbers to issues that have none. */
export function withLines(issues: readonly InputIssue[], lineAt: (path: string) => number | undefined): InputIssue[] {
  return issues.map((issue) => {
    if (issue.line !== undefined) return issue;
    const line = lineAt(issue.path);
    return line === undefined ? issue : { ...issue, line };
  });
}
