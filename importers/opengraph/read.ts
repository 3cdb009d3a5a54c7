// Reads an OpenGraph payload as a stream of text chunks and hands over one element at a time (metadata, each node,
// each edge), so a file of any size is read with memory bounded by its largest element. Pure: the caller brings
// the bytes (a file, a zip entry, a browser upload).
import Assembler from 'stream-json/core/assembler.js';
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import { BlastmapError, type InputIssue } from '../../engine/errors.ts';
import { scrubInput } from '../../engine/secrets.ts';

/** stream-json's "no value" marker: passed to the tokenizer, it flushes what is left. */
const NONE = Symbol.for('object-stream.none');

export interface OpenGraphElementSink {
  metadata(value: unknown): void;
  node(value: unknown, index: number): void;
  edge(value: unknown, index: number): void;
}

type Role = 'root' | 'graph' | 'nodes' | 'edges' | 'other';

interface Frame { role: Role; key?: string | undefined }

/** A value being read whole (an element, the metadata) or passed over (anything else). */
interface Capture {
  target: 'metadata' | 'nodes' | 'edges' | 'skip';
  assembler?: Assembler;
  depth: number;
}

const OPENING = new Set(['startObject', 'startArray']);
const CLOSING = new Set(['endObject', 'endArray']);

/**
 * Feed text with `write`, then call `end`. Structural problems (not an object, no `graph`, `graph.nodes` not an
 * array) are collected in `issues`; malformed JSON throws a BlastmapError naming the file.
 */
export class OpenGraphReader {
  readonly issues: InputIssue[] = [];
  private readonly tokenize = jsonParser({ streamValues: false });
  private readonly stack: Frame[] = [];
  private capture: Capture | undefined;
  private sawRoot = false;
  private sawGraph = false;
  private finished = false;
  private readonly counts = { nodes: 0, edges: 0 };
  private charsRead = 0;

  constructor(private readonly file: string, private readonly sink: OpenGraphElementSink) {}

  get nodesRead(): number { return this.counts.nodes; }
  get edgesRead(): number { return this.counts.edges; }

  write(text: string): void {
    if (text.length === 0) return;
    this.charsRead += text.length;
    this.feed(text);
  }

  end(): void {
    this.feed(NONE);
    if (!this.sawRoot) this.issues.push({ file: this.file, path: '$', message: 'empty document', expected: 'an OpenGraph document {"graph": {"nodes": [...], "edges": [...]}}', found: 'nothing' });
    else if (!this.sawGraph && this.issues.length === 0) this.issues.push({ file: this.file, path: '$.graph', message: 'no graph', expected: 'a "graph" object with "nodes" and "edges"', found: 'nothing' });
  }

  private feed(input: string | typeof NONE): void {
    let result: unknown;
    try {
      result = (this.tokenize as (chunk: unknown) => unknown)(input);
    } catch (error) {
      throw new BlastmapError('INVALID_INPUT', `${this.file} is not valid JSON (near character ${this.charsRead}): ${(error as Error).message}`, {
        issues: [{ file: this.file, path: '$', message: 'not valid JSON', expected: 'a JSON document', found: `malformed JSON near character ${this.charsRead} (${(error as Error).message})` }],
        cause: error,
      });
    }
    if (result === NONE || result === undefined) return;
    const tokens = (result as { values?: Token[] }).values;
    if (tokens) for (const token of tokens) this.token(token);
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  private startCapture(target: Capture['target'], token: Token): void {
    const capture: Capture = { target, depth: 0 };
    if (target !== 'skip') capture.assembler = new Assembler();
    this.capture = capture;
    this.feedCapture(token);
  }

  private feedCapture(token: Token): void {
    const capture = this.capture!;
    if (OPENING.has(token.name)) capture.depth++;
    else if (CLOSING.has(token.name)) capture.depth--;
    capture.assembler?.consume(token);
    if (capture.depth > 0) return;
    this.capture = undefined;
    if (capture.target === 'skip') return;
    const value = capture.assembler!.current;
    // The input boundary: every key and value of an element is scrubbed before the mapping reads or lower-cases it.
    const clean = scrubInput(value);
    if (capture.target === 'metadata') this.sink.metadata(clean);
    else if (capture.target === 'nodes') this.sink.node(clean, this.counts.nodes++);
    else this.sink.edge(clean, this.counts.edges++);
  }

  private structural(path: string, expected: string, found: string): void {
    this.issues.push({ file: this.file, path, message: `expected ${expected}`, expected, found });
  }

  private token(token: Token): void {
    if (this.capture) { this.feedCapture(token); return; }
    if (this.finished) return;
    const top = this.top();
    const opening = OPENING.has(token.name);
    if (!top) {
      this.sawRoot = true;
      if (token.name === 'startObject') { this.stack.push({ role: 'root' }); return; }
      this.structural('$', 'an object {"graph": ...}', token.name === 'startArray' ? 'an array' : 'a single value');
      this.finished = true;
      if (opening) this.startCapture('skip', token);
      return;
    }
    if (token.name === 'keyValue') { top.key = token.value; return; }
    if (CLOSING.has(token.name)) {
      this.stack.pop();
      if (this.stack.length === 0) this.finished = true;
      return;
    }
    if (top.role === 'nodes' || top.role === 'edges') {
      // Every element, well-formed or not, is read whole and checked by the element's own schema.
      if (opening) this.startCapture(top.role, token);
      else if (top.role === 'nodes') this.sink.node(scrubInput((token as { value?: unknown }).value ?? null), this.counts.nodes++);
      else this.sink.edge(scrubInput((token as { value?: unknown }).value ?? null), this.counts.edges++);
      return;
    }
    if (top.role === 'root' && top.key === 'metadata') {
      if (opening) this.startCapture('metadata', token);
      else this.sink.metadata(scrubInput((token as { value?: unknown }).value ?? null));
      return;
    }
    if (top.role === 'root' && top.key === 'graph') {
      this.sawGraph = true;
      if (token.name === 'startObject') { this.stack.push({ role: 'graph' }); return; }
      this.structural('$.graph', 'an object with "nodes" and "edges"', token.name === 'startArray' ? 'an array' : 'a single value');
      if (opening) this.startCapture('skip', token);
      return;
    }
    if (top.role === 'graph' && (top.key === 'nodes' || top.key === 'edges')) {
      if (token.name === 'startArray') { this.stack.push({ role: top.key }); return; }
      this.structural(`$.graph.${top.key}`, 'an array', token.name === 'startObject' ? 'an object' : 'a single value');
      if (opening) this.startCapture('skip', token);
      return;
    }
    // Anything else (other top-level keys, other graph keys) is passed over.
    if (opening) this.startCapture('skip', token);
  }
}

/** Reads a whole document given as text (tests, small files, the browser). */
export function readOpenGraphText(text: string, file: string, sink: OpenGraphElementSink): InputIssue[] {
  const reader = new OpenGraphReader(file, sink);
  // A leading byte order mark (Windows tools write one) is not content, as the CLI's TextDecoder already drops it.
  reader.write(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  reader.end();
  return reader.issues;
}
