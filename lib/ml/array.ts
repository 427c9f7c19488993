/**
 * Conversions shared by the `ml` namespaces: plain arrays, typed arrays and tensors
 * (anything with `arraySync()`, e.g. a tfjs `tf.Tensor`) become `number[]` / `number[][]`.
 * tfjs is never imported here; tensors are recognised by duck typing.
 *
 * @packageDocumentation
 */

/** Anything that behaves like a tfjs tensor for reading values. */
export interface TensorLike {
  arraySync(): unknown;
  shape?: readonly number[];
}

/** A 1-D input: array, typed array or 1-D tensor. Booleans count as 0/1. */
export type Vector = ArrayLike<number> | ArrayLike<boolean> | TensorLike;

/** A 2-D input: array of rows, 2-D tensor, or a 1-D input treated as one column. */
export type Matrix = ArrayLike<ArrayLike<number>> | TensorLike | Vector;

/** True when `x` looks like a tensor (has an `arraySync` method). */
export function isTensorLike(x: unknown): x is TensorLike {
  return typeof x === "object" && x !== null && typeof (x as TensorLike).arraySync === "function";
}

function toNum(v: unknown, where: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "bigint") return Number(v);
  throw new TypeError(`${where}: expected numbers, got ${typeof v}`);
}

/**
 * Converts a 1-D input to a fresh `number[]`. A 2-D input with a single column (shape
 * `[n, 1]`) is flattened, as tfjs model outputs often have that shape.
 *
 * @param x - array, typed array or tensor.
 * @param name - argument name used in error messages.
 */
export function toArray1D(x: Vector | Matrix, name = "array"): number[] {
  const v: unknown = isTensorLike(x) ? x.arraySync() : x;
  if (typeof v === "number") return [v];
  if (v == null || typeof (v as ArrayLike<unknown>).length !== "number") {
    throw new TypeError(`${name}: expected an array, typed array or tensor`);
  }
  const a = v as ArrayLike<unknown>;
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) {
    const e = a[i];
    if (e !== null && typeof e === "object" && typeof (e as ArrayLike<unknown>).length === "number") {
      const row = e as ArrayLike<unknown>;
      if (row.length !== 1) throw new TypeError(`${name}: expected a 1-D array, got rows of length ${row.length}`);
      out[i] = toNum(row[0], name);
    } else {
      out[i] = toNum(e, name);
    }
  }
  return out;
}

/**
 * Converts a 2-D input to a fresh `number[][]` (rows). A 1-D input becomes one column
 * (`[[a], [b], …]`), like scikit-learn's `reshape(-1, 1)`.
 *
 * @param x - array of rows, typed arrays, or a tensor.
 * @param name - argument name used in error messages.
 */
export function toArray2D(x: Matrix, name = "X"): number[][] {
  const v: unknown = isTensorLike(x) ? x.arraySync() : x;
  if (v == null || typeof (v as ArrayLike<unknown>).length !== "number") {
    throw new TypeError(`${name}: expected a 2-D array, typed array or tensor`);
  }
  const a = v as ArrayLike<unknown>;
  const out: number[][] = new Array(a.length);
  let width = -1;
  for (let i = 0; i < a.length; i++) {
    const e = a[i];
    let row: number[];
    if (e !== null && typeof e === "object" && typeof (e as ArrayLike<unknown>).length === "number") {
      const r = e as ArrayLike<unknown>;
      row = new Array(r.length);
      for (let j = 0; j < r.length; j++) row[j] = toNum(r[j], name);
    } else {
      row = [toNum(e, name)];
    }
    if (width === -1) width = row.length;
    else if (row.length !== width) throw new TypeError(`${name}: ragged rows (${width} vs ${row.length})`);
    out[i] = row;
  }
  return out;
}

/** Number of rows (samples) of a 1-D or 2-D input without copying plain arrays. */
export function lengthOf(x: Vector | Matrix): number {
  if (isTensorLike(x)) {
    if (x.shape && x.shape.length > 0) return x.shape[0];
    const v = x.arraySync();
    return Array.isArray(v) ? v.length : 1;
  }
  return (x as ArrayLike<unknown>).length;
}

/** Picks rows of `arr` by index (works for any array of values). */
export function take<T>(arr: ArrayLike<T>, idx: ArrayLike<number>): T[] {
  const out = new Array<T>(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = arr[idx[i]];
  return out;
}

/** Sorted unique values of a numeric array. */
export function unique(a: ArrayLike<number>): number[] {
  return Array.from(new Set(Array.from(a))).sort((p, q) => p - q);
}

/** Throws when two arrays have different lengths. */
export function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what = "arrays"): void {
  if (a.length !== b.length) throw new Error(`${what} have different lengths: ${a.length} vs ${b.length}`);
}

/** Sum of a numeric array. */
export function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/** Arithmetic mean (NaN for an empty array). */
export function mean(a: ArrayLike<number>): number {
  return a.length === 0 ? NaN : sum(a) / a.length;
}

/** Median with linear interpolation (numpy's default). NaN for an empty array. */
export function median(a: ArrayLike<number>): number {
  return quantile(a, 0.5);
}

/** Quantile `q` in [0, 1] with linear interpolation, like `numpy.quantile` (default method). */
export function quantile(a: ArrayLike<number>, q: number): number {
  return quantileOfSorted(Array.from(a).sort((p, r) => p - r), q);
}

/** Like {@link quantile} for an already ascending-sorted array (no copy, no sort). */
export function quantileOfSorted(s: ArrayLike<number>, q: number): number {
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (lo === hi) return s[lo];
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** `[0, 1, …, n-1]`. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
