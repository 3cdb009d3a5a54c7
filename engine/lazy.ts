// Values that are costly to build and that most runs never read (the AWS action catalogue: 1.5 MB of JSON checked
// by its schema) are built on first use, so that start-up (`blastmap --help`) does not pay for them.

/**
 * An object that is built by `make` the first time anything reads it, and behaves as that object from then on
 * (property reads, `in`, keys, spreading, prototype; methods run with the object itself as `this`). It cannot be
 * written to from outside: the values it stands for are shared, read-only data.
 */
export function lazyObject<T extends object>(make: () => T): T {
  let value: T | undefined;
  const real = (): T => (value ??= make());
  const refuse = (): never => {
    throw new TypeError('a shared catalogue is read-only');
  };
  // Methods run on the object itself, so that a class instance can keep its own caches.
  const methods = new Map<PropertyKey, { of: unknown; bound: unknown }>();
  const method = (key: PropertyKey, of: (...args: unknown[]) => unknown): unknown => {
    let found = methods.get(key);
    if (found?.of !== of) {
      found = { of, bound: of.bind(real()) };
      methods.set(key, found);
    }
    return found.bound;
  };
  return new Proxy({} as T, {
    get: (_target, key) => {
      const value: unknown = Reflect.get(real(), key);
      return typeof value === 'function' ? method(key, value as (...args: unknown[]) => unknown) : value;
    },
    has: (_target, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      // The proxy's own target is empty: a property can only be reported as configurable.
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    set: refuse,
    defineProperty: refuse,
    deleteProperty: refuse,
    setPrototypeOf: refuse,
  });
}
