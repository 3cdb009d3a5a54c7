// A lone surrogate in text handed over as a string reads as the file would: U+FFFD, on both import paths.
import { describe, expect, it } from 'vitest';
import { streamNdjsonChunks } from '../../cli/ndjson-stream.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { toFragment } from '../../engine/store/compact.ts';
import { parseNative } from '../../importers/native/index.ts';
import { allTargets, chunked } from './inputs.ts';

describe('a lone surrogate in native text', () => {
  it('gives the same names on the whole-file path and the streamed path (the counterexample fast-check found)', () => {
    const seed = allTargets().find((t) => t.name === 'native-ndjson')!.seeds[0]!;
    const text = seed.text.replace('"svc-export"', `"${String.fromCharCode(0xd800)}svc-export"`);
    expect(text).not.toBe(seed.text);
    const parsed = parseNative(text, { file: 'in.ndjson' });
    if (!parsed.ok) throw new Error('the seed with a lone surrogate should parse');
    const names = (graph: Parameters<typeof toFragment>[0]) => toFragment(graph).nodes.map((node) => node.name).sort();
    const whole = names(assembleGraph([parsed.value]).graph);
    expect(whole).toEqual(names(streamNdjsonChunks(chunked(text, 97), { file: 'in.ndjson' }).graph));
    expect(whole).toContain('\ufffdsvc-export');
  });
});
