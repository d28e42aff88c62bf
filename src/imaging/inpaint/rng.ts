/**
 * A small seeded pseudo-random generator (mulberry32), so that PatchMatch's random initialisation and
 * random search give the same result for the same seed on every machine. Math.random cannot be seeded.
 *
 * @example
 * const rng = createRng(42);
 * const x = rng.int(10); // 0..9, the same sequence for seed 42 every time
 */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
}

export function createRng(seed: number): Rng {
  // Mix the seed once so that nearby seeds (1, 2, 3) start from unrelated states.
  let state = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n) };
}
