// Field-for-field comparison of two compiled graphs, as snapshot tests need it: typed arrays element for element
// (and each a plain array of its own, never a view into a read buffer), records and edge properties with their
// key order, the id index entry for entry.
import { expect } from 'vitest';
import type { CompactGraph } from '../../engine/store/compact.ts';

export function expectSameGraph(actual: CompactGraph, expected: CompactGraph): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const key of Object.keys(expected) as (keyof CompactGraph)[]) {
    const a = actual[key] as unknown;
    const b = expected[key] as unknown;
    if (ArrayBuffer.isView(b)) {
      expect(Object.getPrototypeOf(a), key).toBe(Object.getPrototypeOf(b));
      expect((a as Uint8Array).byteLength, key).toBe((a as Uint8Array).buffer.byteLength);
      expect([...(a as Uint8Array)], key).toEqual([...(b as Uint8Array)]);
    } else if (key === 'indexOf') {
      expect((a as object).constructor, key).toBe((b as object).constructor);
      expect([...(a as ReadonlyMap<string, number>)], key).toEqual([...(b as ReadonlyMap<string, number>)]);
      for (const node of expected.nodes) expect((a as ReadonlyMap<string, number>).get(node.id), node.id).toBe((b as ReadonlyMap<string, number>).get(node.id));
    } else if (key === 'edgeAttrs') {
      expect((a as unknown[]).length).toBe((b as unknown[]).length);
      for (let e = 0; e < expected.edgeCount; e++) expect(JSON.stringify(actual.edgeAttrs[e])).toBe(JSON.stringify(expected.edgeAttrs[e]));
    } else {
      expect(JSON.stringify(a), key).toBe(JSON.stringify(b));
    }
  }
}
