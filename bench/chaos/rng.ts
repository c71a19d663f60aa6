// A seeded pseudo-random source (mulberry32), so a chaos run can be repeated with `--seed`.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  /** `k` distinct elements of `items`, in random order. */
  sample<T>(items: readonly T[], k: number): T[];
  /** An independent stream derived from this one (for a consumer that draws at its own pace). */
  fork(): Rng;
}

export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    sample<T>(items: readonly T[], k: number): T[] {
      const pool = [...items];
      for (let i = pool.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [pool[i], pool[j]] = [pool[j]!, pool[i]!];
      }
      return pool.slice(0, Math.min(k, pool.length));
    },
    fork: () => seededRng(Math.floor(next() * 4_294_967_296)),
  };
  return rng;
}
