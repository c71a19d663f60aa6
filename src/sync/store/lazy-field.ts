// A property computed on its first read. Decoding a mapping item runs on every poll of a link, while
// the hashes its stored form leaves out are only read when the item is planned: those are defined
// as lazy fields. Such a field is enumerable and, once read or assigned, becomes a plain data field,
// so spreading, structuredClone, JSON and assignment see an ordinary property.

/** `compute` run once, its result kept. */
export function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

function settle(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Defines `target[key]` as the value of `compute`, computed when first read (a key keeps its position). */
export function defineLazy(target: object, key: string, compute: () => unknown): void {
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = compute();
      settle(target, key, value);
      return value;
    },
    set(value: unknown) {
      settle(target, key, value);
    },
  });
}
