/**
 * Rebalancing classes, following imbalanced-learn (`RandomOverSampler`,
 * `RandomUnderSampler`, `SMOTE`) and scikit-learn's `compute_class_weight`.
 *
 * Random draws use the seeded generator from `./random`, so results are reproducible for a
 * given `seed` but differ from imbalanced-learn's for the same number. The number of samples
 * per class after resampling equals imbalanced-learn's.
 *
 * @packageDocumentation
 */
import { toArray1D, toArray2D, type Matrix, type Vector } from "./array";
import { createRng } from "./random";

/**
 * Target class sizes, as imbalanced-learn's `sampling_strategy`:
 * - `"auto"`: over-sampling → `"not majority"`; under-sampling → `"not minority"`.
 * - `"minority" | "majority" | "not minority" | "not majority" | "all"`: which classes to resample
 *   (to the majority size when over-sampling, the minority size when under-sampling).
 * - a number (binary only): desired ratio minority / majority after resampling.
 * - an object `{ [class]: count }`: desired number of samples per class.
 */
export type SamplingStrategy = "auto" | "minority" | "majority" | "not minority" | "not majority" | "all" | number | Record<number, number>;

/** Options for {@link randomOversample} and {@link randomUndersample}. */
export interface ResampleOptions {
  /** Which classes to resample and to what size. Default `"auto"`. */
  samplingStrategy?: SamplingStrategy;
  /** Seed. Default 0. */
  seed?: number;
}

/** Options for {@link smote}. */
export interface SmoteOptions extends ResampleOptions {
  /** Nearest minority neighbours to interpolate towards. Default 5. */
  kNeighbors?: number;
}

/** Result of a resampler: the new rows and labels. */
export interface ResampleResult {
  X: number[][];
  y: number[];
  /**
   * For random samplers, the original row of each output row. For SMOTE, the original rows
   * followed by `-1` for every synthetic row.
   */
  sampleIndices: number[];
}

function classCounts(y: number[]): Map<number, number[]> {
  const m = new Map<number, number[]>();
  y.forEach((v, i) => {
    if (!m.has(v)) m.set(v, []);
    (m.get(v) as number[]).push(i);
  });
  return new Map(Array.from(m.entries()).sort((a, b) => a[0] - b[0]));
}

/** Number of samples to add (over) or keep (under) per class, as imbalanced-learn computes it. */
function targets(members: Map<number, number[]>, strategy: SamplingStrategy, kind: "over" | "under"): Map<number, number> {
  const counts = new Map(Array.from(members.entries()).map(([k, v]) => [k, v.length]));
  const sizes = Array.from(counts.values());
  const maxN = Math.max(...sizes);
  const minN = Math.min(...sizes);
  const majority = Array.from(counts.entries()).find(([, c]) => c === maxN)?.[0] as number;
  const minority = Array.from(counts.entries()).find(([, c]) => c === minN)?.[0] as number;
  const out = new Map<number, number>();
  if (typeof strategy === "number") {
    if (counts.size !== 2) throw new Error("samplingStrategy as a number is only supported for binary targets");
    if (!(strategy > 0 && strategy <= 1)) throw new Error("samplingStrategy as a number must be in (0, 1]");
    if (kind === "over") {
      const add = Math.trunc(maxN * strategy - minN);
      if (add < 0) throw new Error("samplingStrategy ratio would require removing samples; use an under-sampler");
      out.set(minority, add);
    } else {
      const keep = Math.trunc(minN / strategy);
      if (keep > maxN) throw new Error("samplingStrategy ratio would require generating samples; use an over-sampler");
      out.set(majority, keep);
    }
    return out;
  }
  if (typeof strategy === "object") {
    for (const [k, target] of Object.entries(strategy)) {
      const cls = Number(k);
      const c = counts.get(cls);
      if (c === undefined) throw new Error(`samplingStrategy: class ${cls} is not in y`);
      if (kind === "over") {
        if (target < c) throw new Error(`samplingStrategy: over-sampling cannot shrink class ${cls} from ${c} to ${target}`);
        out.set(cls, target - c);
      } else {
        if (target > c) throw new Error(`samplingStrategy: under-sampling cannot grow class ${cls} from ${c} to ${target}`);
        out.set(cls, target);
      }
    }
    return out;
  }
  const s = strategy === "auto" ? (kind === "over" ? "not majority" : "not minority") : strategy;
  const pick = (cls: number): boolean => {
    switch (s) {
      case "minority": return cls === minority;
      case "majority": return cls === majority;
      case "not minority": return cls !== minority;
      case "not majority": return cls !== majority;
      case "all": return true;
      default: throw new Error(`unknown samplingStrategy "${s}"`);
    }
  };
  if (kind === "over" && s === "majority") throw new Error('"majority" is not a valid over-sampling strategy');
  if (kind === "under" && s === "minority") throw new Error('"minority" is not a valid under-sampling strategy');
  for (const [cls, c] of counts) if (pick(cls)) out.set(cls, kind === "over" ? maxN - c : minN);
  return out;
}

function inputs(X: Matrix, y: Vector): [number[][], number[]] {
  const Xa = toArray2D(X, "X");
  const ya = toArray1D(y, "y");
  if (Xa.length !== ya.length) throw new Error(`X has ${Xa.length} rows but y has ${ya.length}`);
  if (ya.length === 0) throw new Error("empty input");
  return [Xa, ya];
}

/**
 * Random over-sampling (as `RandomOverSampler`): duplicates randomly chosen rows (with
 * replacement) of the classes to grow. Original rows come first, then the duplicates.
 *
 * @example
 * ```ts
 * const { X: Xb, y: yb } = ml.resample.randomOversample(Xtrain, ytrain, { seed: 0 });
 * ```
 */
export function randomOversample(X: Matrix, y: Vector, options: ResampleOptions = {}): ResampleResult {
  const [Xa, ya] = inputs(X, y);
  const members = classCounts(ya);
  const add = targets(members, options.samplingStrategy ?? "auto", "over");
  const rng = createRng(options.seed ?? 0);
  const idx = ya.map((_, i) => i);
  for (const [cls, k] of add) {
    const m = members.get(cls) as number[];
    for (let j = 0; j < k; j++) idx.push(m[rng.int(m.length)]);
  }
  return { X: idx.map((i) => [...Xa[i]]), y: idx.map((i) => ya[i]), sampleIndices: idx };
}

/**
 * Random under-sampling (as `RandomUnderSampler`): keeps a random subset (without
 * replacement) of the classes to shrink. Rows are grouped by class, classes in sorted order.
 */
export function randomUndersample(X: Matrix, y: Vector, options: ResampleOptions = {}): ResampleResult {
  const [Xa, ya] = inputs(X, y);
  const members = classCounts(ya);
  const keep = targets(members, options.samplingStrategy ?? "auto", "under");
  const rng = createRng(options.seed ?? 0);
  const idx: number[] = [];
  for (const [cls, m] of members) {
    const k = keep.get(cls);
    if (k === undefined) idx.push(...m);
    else idx.push(...rng.shuffle([...m]).slice(0, k).sort((a, b) => a - b));
  }
  return { X: idx.map((i) => [...Xa[i]]), y: idx.map((i) => ya[i]), sampleIndices: idx };
}

function sqDist(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

/**
 * SMOTE over-sampling (as imbalanced-learn's `SMOTE`): each synthetic row is
 * `x + u·(x_nn − x)` with `x` a random row of the class, `x_nn` one of its `kNeighbors`
 * nearest rows of the same class (Euclidean) and `u` uniform in [0, 1). Original rows first.
 *
 * @example
 * ```ts
 * const { X: Xs, y: ys } = ml.resample.smote(Xtrain, ytrain, { kNeighbors: 5, seed: 42 });
 * ```
 */
export function smote(X: Matrix, y: Vector, options: SmoteOptions = {}): ResampleResult {
  const [Xa, ya] = inputs(X, y);
  const k = options.kNeighbors ?? 5;
  if (!Number.isInteger(k) || k < 1) throw new Error("smote: kNeighbors must be a positive integer");
  const members = classCounts(ya);
  const add = targets(members, options.samplingStrategy ?? "auto", "over");
  const rng = createRng(options.seed ?? 0);
  const outX = Xa.map((r) => [...r]);
  const outY = [...ya];
  const idx = ya.map((_, i) => i);
  for (const [cls, nNew] of add) {
    if (nNew === 0) continue;
    const m = members.get(cls) as number[];
    if (m.length < k + 1) throw new Error(`smote: class ${cls} has ${m.length} samples; kNeighbors=${k} needs at least ${k + 1}`);
    const pts = m.map((i) => Xa[i]);
    // k nearest neighbours inside the class, excluding the point itself (ties by position)
    const nn = pts.map((p, a) =>
      pts
        .map((q, b) => [sqDist(p, q), b] as const)
        .filter(([, b]) => b !== a)
        .sort((u, v) => u[0] - v[0] || u[1] - v[1])
        .slice(0, k)
        .map(([, b]) => b),
    );
    for (let s = 0; s < nNew; s++) {
      const r = rng.int(pts.length * k);
      const row = Math.floor(r / k);
      const col = r % k;
      const u = rng.next();
      const base = pts[row];
      const other = pts[nn[row][col]];
      outX.push(base.map((v, d) => v + u * (other[d] - v)));
      outY.push(cls);
      idx.push(-1);
    }
  }
  return { X: outX, y: outY, sampleIndices: idx };
}

/**
 * Class weights (as `compute_class_weight`): `"balanced"` gives `n / (nClasses · count)`.
 * The result is keyed by class value, the shape tfjs `model.fit({ classWeight })` expects
 * when classes are `0 … k−1`.
 *
 * @param classWeight - `"balanced"` (default) or explicit weights (classes missing get 1).
 *
 * @example
 * ```ts
 * await model.fit(xs, ys, { classWeight: ml.resample.classWeights(yTrain) });
 * ```
 */
export function classWeights(y: Vector, classWeight: "balanced" | Record<number, number> = "balanced"): Record<number, number> {
  const ya = toArray1D(y, "y");
  const members = classCounts(ya);
  const out: Record<number, number> = {};
  for (const [cls, m] of members) {
    out[cls] = classWeight === "balanced" ? ya.length / (members.size * m.length) : classWeight[cls] ?? 1;
  }
  return out;
}
