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

type Computations = Record<string, () => unknown>;

/**
 * Where an object keeps the computations of its lazy fields: not enumerable, so no copy sees it
 * (a WeakMap from object to computations cost decoding more than the hashes it saved).
 */
const pendingKey = Symbol('lazy fields');

function settle(target: object, key: string, value: unknown): unknown {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

// One accessor pair per key, shared by every object: objects of one shape then share V8's map,
// which keeps defining and reading them cheap.
const accessors = new Map<string, PropertyDescriptor>();

function accessorOf(key: string): PropertyDescriptor {
  let accessor = accessors.get(key);
  if (!accessor) {
    accessor = {
      enumerable: true,
      configurable: true,
      get(this: { [pendingKey]?: Computations }) {
        return settle(this, key, this[pendingKey]?.[key]?.());
      },
      set(this: object, value: unknown) {
        settle(this, key, value);
      },
    };
    accessors.set(key, accessor);
  }
  return accessor;
}

/** Defines `target[key]` as the value of `compute`, computed when first read (a key keeps its position). */
export function defineLazy(target: object, key: string, compute: () => unknown): void {
  const holder = target as { [pendingKey]?: Computations };
  let pending = holder[pendingKey];
  if (!pending) {
    pending = {};
    Object.defineProperty(target, pendingKey, { value: pending });
  }
  pending[key] = compute;
  Object.defineProperty(target, key, accessorOf(key));
}
