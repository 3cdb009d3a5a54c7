import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEMA } from '../../engine/schema/index.ts';

describe('schema', () => {
  it('declares the edge kinds of graph-model.md', () => {
    expect(Object.keys(DEFAULT_SCHEMA.edgeKinds)).toContain('CONTAINS_CREDENTIAL');
  });
});
