// Bounded histograms for live traffic: a log-linear latency histogram (HdrHistogram's layout with
// 16 linear sub-buckets per power of two, so a percentile read from it is within 1/32 of the true
// value) and a fixed 20-bin histogram of scores in [0, 1]. Both are plain count arrays that merge
// by addition, so a time window's histogram is the sum of its buckets'.

/** Linear sub-buckets per power of two: a bucket is at most 1/16 of its lower bound wide. */
const SUB = 16;
const SUB_BITS = 4;
/** Latencies are counted in microseconds, up to 2^27 µs (~134 s); longer ones land in the last bin. */
const MAX_EXPONENT = 27;
export const LATENCY_BINS = SUB + (MAX_EXPONENT - SUB_BITS) * SUB;

/** The bin of a latency in milliseconds. */
export function latencyBin(ms: number): number {
  const us = Number.isFinite(ms) && ms > 0 ? Math.floor(ms * 1000) : 0;
  if (us < SUB) return us;
  const k = 31 - Math.clz32(Math.min(us, 2 ** MAX_EXPONENT - 1)); // floor(log2), >= SUB_BITS
  const shift = k - SUB_BITS;
  return SUB + shift * SUB + ((Math.min(us, 2 ** MAX_EXPONENT - 1) >>> shift) - SUB);
}

/** The [low, high) range of a latency bin, in milliseconds. */
export function latencyBinRange(bin: number): [number, number] {
  if (bin < SUB) return [bin / 1000, (bin + 1) / 1000];
  const shift = Math.floor((bin - SUB) / SUB);
  const low = (SUB + ((bin - SUB) % SUB)) * 2 ** shift;
  return [low / 1000, (low + 2 ** shift) / 1000];
}

/**
 * The q-quantile (0..1) of the latencies counted in `counts` (length LATENCY_BINS), as the
 * midpoint of the bin holding the rank ⌈q·n⌉ value (the "nearest rank" definition); null when empty.
 */
export function latencyQuantile(counts: ArrayLike<number>, q: number): number | null {
  let n = 0;
  for (let i = 0; i < counts.length; i++) n += counts[i];
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, q)) * n));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i];
    if (seen >= rank) {
      const [lo, hi] = latencyBinRange(i);
      return (lo + hi) / 2;
    }
  }
  return null;
}

/** Bins of the score histogram over [0, 1]. */
export const SCORE_BINS = 20;

/** The bin of a score in [0, 1] (1 goes in the last bin); -1 outside (a regression output). */
export function scoreBin(x: number): number {
  if (!(x >= 0 && x <= 1)) return -1;
  return Math.min(SCORE_BINS - 1, Math.floor(x * SCORE_BINS));
}

/** Adds `from` into `into`, element by element. */
export function addCounts(into: Uint32Array | number[], from: ArrayLike<number>): void {
  for (let i = 0; i < from.length; i++) into[i] += from[i];
}
