// GitHub Actions workflow files: which events start a workflow, which secrets and environments it uses, and
// whether a reader or an outsider can start it with the repository's secrets (code execution from read).
import { jsonSyntaxIssue, type InputIssue } from '../../engine/errors.ts';
import { readYaml } from '../../engine/format/yaml.ts';
import { contentFileSchema } from './schema.ts';

/**
 * Events that run a workflow in the base repository's context (its secrets, a token that may write) although
 * someone who can only read the repository, or anyone on the internet for a public one, causes them: a pull
 * request from a fork (`pull_request_target`), a comment (`issue_comment`), or the end of a workflow a fork's
 * pull request started (`workflow_run`). A workflow on one of these runs attacker-influenced input with secrets.
 */
export const READER_TRIGGERS = ['pull_request_target', 'issue_comment', 'workflow_run'] as const;
/** Events anyone who can open an issue or a discussion causes; they matter when the workflow uses secrets. */
export const READER_TRIGGERS_WITH_SECRETS = ['issues', 'discussion', 'discussion_comment'] as const;

export interface WorkflowFacts {
  /** Every event named under `on:`, in the order written. */
  triggers: string[];
  /** Secrets named in expressions (`secrets.NAME`, `secrets['NAME']`), without GITHUB_TOKEN; sorted. */
  secrets: string[];
  /** `secrets: inherit` or the whole `secrets` context (`toJSON(secrets)`): every secret of the repository. */
  allSecrets: boolean;
  /** Deployment environments its jobs run in (`jobs.<id>.environment`). */
  environments: string[];
  /** The triggers of READER_TRIGGERS (and, with secrets, READER_TRIGGERS_WITH_SECRETS) it runs on. */
  readerTriggers: string[];
}

export type WorkflowRead = { ok: true; facts: WorkflowFacts } | { ok: false; issue: InputIssue };

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The workflow's YAML text: the file itself, or the contents API's answer for it (base64 decoded). */
export function workflowText(path: string, text: string): { ok: true; text: string } | { ok: false; issue: InputIssue } {
  if (!/\.json$/i.test(path)) return { ok: true, text };
  let parsed: unknown;
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    return { ok: false, issue: jsonSyntaxIssue(json, error, { file: path }) };
  }
  const result = contentFileSchema.safeParse(parsed);
  if (!result.success) {
    const bad = result.error.issues[0]!;
    return { ok: false, issue: { file: path, path: `$${bad.path.map((p) => `.${String(p)}`).join('')}`, message: bad.message, expected: 'the contents API answer for a workflow file ({"type": "file", "encoding": "base64", "content": ...})', found: bad.path.length > 0 ? bad.message : typeof parsed } };
  }
  try {
    const binary = atob(result.data.content.replace(/\s+/g, ''));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, issue: { file: path, path: '$.content', message: 'not base64-encoded UTF-8 text', expected: 'the workflow file in base64', found: 'undecodable content' } };
  }
}

/** The event names of an `on:` value in any of its forms: `push`, `[push, pull_request_target]`, or a map. */
function eventNames(on: unknown): string[] | undefined {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.every((e) => typeof e === 'string') ? (on as string[]) : undefined;
  if (isRecord(on)) return Object.keys(on);
  return undefined;
}

const SECRET_REFERENCE = /\bsecrets\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"]([^'"\]]+)['"]\s*\])/g;
const WHOLE_SECRETS = /\btoJSON\s*\(\s*secrets\s*\)|\bsecrets\s*\[\s*[^'"\s]/i;

/** Every string inside a parsed YAML value (keys excluded), where expressions live. */
function strings(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 64) return out;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out, depth + 1);
  else if (isRecord(value)) for (const item of Object.values(value)) strings(item, out, depth + 1);
  return out;
}

/**
 * Reads one workflow file. Its `on:` key may be a string, a list or a map; anything else, and YAML that does not
 * parse (or that blastmap refuses to expand: too deep, alias bombs), is an input issue naming the file and line.
 */
export function readWorkflow(path: string, text: string): WorkflowRead {
  const read = readYaml(text, { file: path, what: 'a GitHub Actions workflow file' });
  if (!read.ok) return { ok: false, issue: read.issues[0]! };
  const doc = read.value;
  const expected = 'a workflow with `on:` as an event name, a list of event names or a map of events';
  if (!isRecord(doc)) return { ok: false, issue: { file: path, path: '$', line: read.lineAt('$'), message: 'not a workflow', expected, found: doc === null ? 'an empty document' : Array.isArray(doc) ? 'a list' : typeof doc } };
  if (!Object.hasOwn(doc, 'on')) return { ok: false, issue: { file: path, path: '$.on', line: read.lineAt('$'), message: 'no `on:` key', expected, found: 'none' } };
  const triggers = eventNames(doc.on);
  if (!triggers) return { ok: false, issue: { file: path, path: '$.on', line: read.lineAt('$.on'), message: 'events not readable', expected, found: Array.isArray(doc.on) ? 'a list with something else than event names' : doc.on === null ? 'null' : typeof doc.on } };

  const secretNames = new Set<string>();
  let allSecrets = false;
  for (const value of strings(doc.jobs)) {
    for (const match of value.matchAll(SECRET_REFERENCE)) {
      const name = (match[1] ?? match[2] ?? '').toUpperCase();
      if (name && name !== 'GITHUB_TOKEN') secretNames.add(name);
    }
    if (WHOLE_SECRETS.test(value)) allSecrets = true;
  }
  const environments = new Set<string>();
  if (isRecord(doc.jobs)) {
    for (const job of Object.values(doc.jobs)) {
      if (!isRecord(job)) continue;
      if (job.secrets === 'inherit') allSecrets = true;
      const environment = isRecord(job.environment) ? job.environment.name : job.environment;
      // An environment named by an expression (`${{ inputs.env }}`) cannot be told from the file.
      if (typeof environment === 'string' && environment && !environment.includes('${{')) environments.add(environment);
    }
  }
  const usesSecrets = allSecrets || secretNames.size > 0 || environments.size > 0;
  const readerTriggers = triggers.filter((event) => (READER_TRIGGERS as readonly string[]).includes(event)
    || (usesSecrets && (READER_TRIGGERS_WITH_SECRETS as readonly string[]).includes(event)));
  return {
    ok: true,
    facts: { triggers, secrets: [...secretNames].sort(), allSecrets, environments: [...environments].sort(), readerTriggers },
  };
}
