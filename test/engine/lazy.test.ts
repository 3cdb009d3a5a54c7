import { describe, expect, it } from 'vitest';
import { lazyObject } from '../../engine/lazy.ts';
import { AWS_ACTIONS, AwsCatalogue, DEFAULT_CATALOGUE } from '../../importers/aws/catalog.ts';
import { scopeCatalogSchema } from '../../engine/schema/scopes.ts';
import actionsJson from '../../importers/aws/actions.json' with { type: 'json' };

describe('lazyObject', () => {
  it('builds nothing until read, then builds once and behaves as the object', () => {
    let built = 0;
    const lazy = lazyObject(() => {
      built += 1;
      return { platform: 'x', scopes: { a: { level: 'read' } }, list: [1, 2] };
    });
    expect(built).toBe(0);
    expect(lazy.platform).toBe('x');
    expect('scopes' in lazy).toBe(true);
    expect(Object.keys(lazy)).toEqual(['platform', 'scopes', 'list']);
    expect({ ...lazy }).toEqual({ platform: 'x', scopes: { a: { level: 'read' } }, list: [1, 2] });
    expect(JSON.stringify(lazy)).toBe('{"platform":"x","scopes":{"a":{"level":"read"}},"list":[1,2]}');
    expect(lazy).toEqual({ platform: 'x', scopes: { a: { level: 'read' } }, list: [1, 2] });
    expect(built).toBe(1);
  });

  it('refuses writes: the values it stands for are shared', () => {
    const lazy = lazyObject(() => ({ level: 'read' as string }));
    expect(() => { lazy.level = 'admin'; }).toThrow(TypeError);
    expect(() => Object.defineProperty(lazy, 'x', { value: 1 })).toThrow(TypeError);
    expect(() => { delete (lazy as { level?: string }).level; }).toThrow(TypeError);
    expect(lazy.level).toBe('read');
  });

  it('keeps class instances working: methods, prototype and instanceof', () => {
    class Counter {
      private count = 0;
      next(): number { return ++this.count; }
    }
    const lazy = lazyObject(() => new Counter());
    expect(lazy).toBeInstanceOf(Counter);
    expect(lazy.next()).toBe(1);
    expect(lazy.next()).toBe(2);
  });

  it('the lazy AWS catalogue equals the catalogue checked at once, and the default catalogue answers as a fresh one', () => {
    expect(AWS_ACTIONS).toEqual(scopeCatalogSchema.parse(actionsJson));
    const fresh = new AwsCatalogue();
    for (const action of ['s3:GetObject', 'iam:CreateAccessKey', 'ec2:RunInstances', 'made-up:Thing', 's3:getobject']) {
      expect(DEFAULT_CATALOGUE.action(action)).toEqual(fresh.action(action));
      expect(DEFAULT_CATALOGUE.canonical(action)).toBe(fresh.canonical(action));
    }
    expect(DEFAULT_CATALOGUE).toBeInstanceOf(AwsCatalogue);
  });
});
