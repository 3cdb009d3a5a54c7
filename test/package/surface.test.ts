// The library's public surface is what docs/library.md documents, no more and no less: every value the two entry
// points export is listed in its Reference section and every listed value is exported (types: test/package/pack.test.ts
// compiles a consumer that imports each listed type from the packed package).
import { describe, expect, it } from 'vitest';
import * as engine from '../../engine/index.ts';
import * as importers from '../../importers/index.ts';
import { libraryReference } from './library-reference.ts';

const reference = libraryReference();
const sorted = (names: Iterable<string>) => [...names].sort();

describe('the documented library surface', () => {
  it('lists the three entry points, each name once', () => {
    expect(sorted(reference.keys())).toEqual(['blastmap', 'blastmap/engine', 'blastmap/importers']);
    for (const [entry, { values, types }] of reference) {
      expect(values.length, entry).toBeGreaterThan(0);
      expect(new Set(values).size, `${entry}: a value listed twice`).toBe(values.length);
      expect(new Set(types).size, `${entry}: a type listed twice`).toBe(types.length);
    }
  });

  it('`blastmap` and `blastmap/engine` export exactly the documented values', () => {
    expect(sorted(Object.keys(engine))).toEqual(sorted(reference.get('blastmap')!.values));
  });

  it('`blastmap/importers` exports exactly the documented values', () => {
    expect(sorted(Object.keys(importers))).toEqual(sorted(reference.get('blastmap/importers')!.values));
  });
});
