/**
 * Seeded pseudo-random numbers shared by every `ml` namespace.
 *
 * The generator is mulberry32 (32-bit state, period 2^32) seeded through a splitmix32
 * scramble so that nearby seeds give unrelated streams. It is deterministic across
 * browsers, workers and Node: the same seed always yields the same sequence. It does NOT
 * reproduce numpy's Mersenne Twister, so results of random steps differ from
 * scikit-learn's even with the same seed number.
 *
 * @packageDocumentation
 */

/** A seeded random number generator. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). Throws when `n` is not a positive integer. */
  int(n: number): number;
  /** Standard normal sample (mean 0, standard deviation 1), Box–Muller. */
  normal(): number;
  /** Shuffles `arr` in place (Fisher–Yates) and returns it. */
  shuffle<T>(arr: T[]): T[];
  /** A random permutation of `0 … n-1`. */
  permutation(n: number): number[];
  /** A child generator whose stream is independent of this one's future draws. */
  fork(): Rng;
}

function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Creates a seeded generator. Same seed → same sequence.
 *
 * @param seed - any finite number; non-integers are hashed by their bits. Defaults to 0.
 *
 * @example
 * ```ts
 * const rng = ml.random.createRng(42);
 * rng.next(); // 0.… in [0, 1)
 * rng.shuffle([1, 2, 3]);
 * ```
 */
export function createRng(seed: number = 0): Rng {
  if (!Number.isFinite(seed)) throw new Error(`createRng: seed must be a finite number, got ${seed}`);
  let s: number;
  if (Number.isInteger(seed) && Math.abs(seed) < 2 ** 53) {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 2 ** 32) >>> 0;
    s = splitmix32(lo ^ splitmix32(hi));
  } else {
    const f = new Float64Array([seed]);
    const u = new Uint32Array(f.buffer);
    s = splitmix32(u[0] ^ splitmix32(u[1]));
  }
  let state = s >>> 0;
  let spare: number | null = null;

  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  const int = (n: number): number => {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(next() * n);
  };

  const normal = (): number => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };

  const shuffle = <T>(arr: T[]): T[] => {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = int(i + 1);
      const tmp = arr[i];
      arr[i] = arr[j];
      arr[j] = tmp;
    }
    return arr;
  };

  const permutation = (n: number): number[] => shuffle(Array.from({ length: n }, (_, i) => i));

  const fork = (): Rng => createRng(Math.floor(next() * 4294967296));

  return { next, int, normal, shuffle, permutation, fork };
}
