/**
 * Feature preprocessing, following `sklearn.preprocessing` / `sklearn.impute` /
 * `sklearn.pipeline`: {@link standardScaler}, {@link minMaxScaler}, {@link simpleImputer},
 * {@link oneHot} and {@link pipeline}. Each transformer is a plain object with
 * `fit` / `transform` / `fitTransform` (and `inverseTransform` where it makes sense) whose
 * learned state is exposed with scikit-learn's names (`mean_`, `scale_`, …).
 *
 * @packageDocumentation
 */
import { isTensorLike, toArray2D, type Matrix } from "./array";

/** Anything with `fit` and `transform`, e.g. the transformers in this module. */
export interface Transformer {
  fit(X: any, y?: any): unknown;
  transform(X: any): any;
  fitTransform?(X: any, y?: any): any;
  inverseTransform?(X: any): any;
}

/** A final pipeline step: something with `fit` and usually `predict`. */
export interface Estimator {
  fit(X: any, y?: any): unknown;
  predict?(X: any): any;
  predictProba?(X: any): any;
  transform?(X: any): any;
}

function notFitted(name: string): never {
  throw new Error(`${name} is not fitted yet; call fit(X) first`);
}

function checkWidth(X: number[][], n: number, name: string) {
  if (X.length > 0 && X[0].length !== n) throw new Error(`${name}: X has ${X[0].length} features, but it was fitted with ${n}`);
}

// ----------------------------------------------------------------------------------------------

/** Options for {@link standardScaler}. */
export interface StandardScalerOptions {
  /** Centre to zero mean. Default true. */
  withMean?: boolean;
  /** Scale to unit variance. Default true. */
  withStd?: boolean;
}

/** A fitted-or-not standard scaler (see {@link standardScaler}). */
export interface StandardScaler extends Transformer {
  /** Per-feature mean of the training data (null before fit or when `withMean` is false). */
  mean_: number[] | null;
  /** Per-feature population variance (null before fit or when `withStd` is false). */
  var_: number[] | null;
  /** Per-feature scale: the standard deviation, with 1 for constant features. */
  scale_: number[] | null;
  /** Number of training rows seen. */
  nSamplesSeen_: number;
  fit(X: Matrix): StandardScaler;
  transform(X: Matrix): number[][];
  fitTransform(X: Matrix): number[][];
  inverseTransform(X: Matrix): number[][];
}

/**
 * Standardises features to zero mean and unit variance (as `StandardScaler`):
 * `z = (x − mean_) / scale_`.
 *
 * @example
 * ```ts
 * const scaler = ml.preprocess.standardScaler().fit(Xtrain);
 * const Xte = scaler.transform(Xtest);
 * ```
 */
export function standardScaler(options: StandardScalerOptions = {}): StandardScaler {
  const withMean = options.withMean ?? true;
  const withStd = options.withStd ?? true;
  const s: StandardScaler = {
    mean_: null,
    var_: null,
    scale_: null,
    nSamplesSeen_: 0,
    fit(X) {
      const A = toArray2D(X, "X");
      if (A.length === 0) throw new Error("standardScaler: cannot fit on an empty array");
      const d = A[0].length;
      const n = A.length;
      const mean = new Array<number>(d).fill(0);
      for (const r of A) for (let j = 0; j < d; j++) mean[j] += r[j];
      for (let j = 0; j < d; j++) mean[j] /= n;
      const v = new Array<number>(d).fill(0);
      for (const r of A) for (let j = 0; j < d; j++) v[j] += (r[j] - mean[j]) ** 2;
      for (let j = 0; j < d; j++) v[j] /= n;
      s.nSamplesSeen_ = n;
      s.mean_ = withMean ? mean : null;
      s.var_ = withStd ? v : null;
      // sklearn's _is_constant_feature: variances at rounding-noise level count as zero -> scale 1
      const constant = (x: number, m: number) => x <= n * Number.EPSILON * x + (n * m * Number.EPSILON) ** 2;
      s.scale_ = withStd ? v.map((x, j) => (constant(x, mean[j]) ? 1 : Math.sqrt(x))) : null;
      return s;
    },
    transform(X) {
      if (s.nSamplesSeen_ === 0) notFitted("standardScaler");
      const A = toArray2D(X, "X");
      const d = (s.mean_ ?? s.scale_ ?? []).length;
      if (d) checkWidth(A, d, "standardScaler");
      return A.map((r) => r.map((x, j) => (x - (s.mean_ ? s.mean_[j] : 0)) / (s.scale_ ? s.scale_[j] : 1)));
    },
    fitTransform(X) {
      return s.fit(X).transform(X);
    },
    inverseTransform(X) {
      if (s.nSamplesSeen_ === 0) notFitted("standardScaler");
      return toArray2D(X, "X").map((r) => r.map((z, j) => z * (s.scale_ ? s.scale_[j] : 1) + (s.mean_ ? s.mean_[j] : 0)));
    },
  };
  return s;
}

// ----------------------------------------------------------------------------------------------

/** Options for {@link minMaxScaler}. */
export interface MinMaxScalerOptions {
  /** Target range. Default `[0, 1]`. */
  featureRange?: [number, number];
  /** Clip transformed values of new data to the range. Default false. */
  clip?: boolean;
}

/** A min–max scaler (see {@link minMaxScaler}). */
export interface MinMaxScaler extends Transformer {
  dataMin_: number[] | null;
  dataMax_: number[] | null;
  dataRange_: number[] | null;
  /** Per-feature multiplier: `(max − min of featureRange) / dataRange_` (1 for constant features). */
  scale_: number[] | null;
  /** Per-feature offset: `featureRange[0] − dataMin_ · scale_`. */
  min_: number[] | null;
  fit(X: Matrix): MinMaxScaler;
  transform(X: Matrix): number[][];
  fitTransform(X: Matrix): number[][];
  inverseTransform(X: Matrix): number[][];
}

/**
 * Rescales each feature to `featureRange` using the training minimum and maximum (as
 * `MinMaxScaler`): `x · scale_ + min_`.
 */
export function minMaxScaler(options: MinMaxScalerOptions = {}): MinMaxScaler {
  const [lo, hi] = options.featureRange ?? [0, 1];
  if (!(lo < hi)) throw new Error("minMaxScaler: featureRange must be [min, max] with min < max");
  const s: MinMaxScaler = {
    dataMin_: null,
    dataMax_: null,
    dataRange_: null,
    scale_: null,
    min_: null,
    fit(X) {
      const A = toArray2D(X, "X");
      if (A.length === 0) throw new Error("minMaxScaler: cannot fit on an empty array");
      const d = A[0].length;
      const mn = new Array<number>(d).fill(Infinity);
      const mx = new Array<number>(d).fill(-Infinity);
      for (const r of A) for (let j = 0; j < d; j++) {
        if (r[j] < mn[j]) mn[j] = r[j];
        if (r[j] > mx[j]) mx[j] = r[j];
      }
      const range = mx.map((v, j) => v - mn[j]);
      s.dataMin_ = mn;
      s.dataMax_ = mx;
      s.dataRange_ = range;
      s.scale_ = range.map((r) => (hi - lo) / (r === 0 ? 1 : r));
      s.min_ = mn.map((m, j) => lo - m * (s.scale_ as number[])[j]);
      return s;
    },
    transform(X) {
      if (!s.scale_ || !s.min_) notFitted("minMaxScaler");
      const A = toArray2D(X, "X");
      checkWidth(A, s.scale_.length, "minMaxScaler");
      const sc = s.scale_;
      const mi = s.min_;
      return A.map((r) =>
        r.map((x, j) => {
          const v = x * sc[j] + mi[j];
          return options.clip ? Math.min(hi, Math.max(lo, v)) : v;
        }),
      );
    },
    fitTransform(X) {
      return s.fit(X).transform(X);
    },
    inverseTransform(X) {
      if (!s.scale_ || !s.min_) notFitted("minMaxScaler");
      const sc = s.scale_;
      const mi = s.min_;
      return toArray2D(X, "X").map((r) => r.map((v, j) => (v - mi[j]) / sc[j]));
    },
  };
  return s;
}

// ----------------------------------------------------------------------------------------------

/** Options for {@link simpleImputer}. */
export interface SimpleImputerOptions {
  /** How to fill: column `"mean"` (default), `"median"`, `"most_frequent"` or a `"constant"`. */
  strategy?: "mean" | "median" | "most_frequent" | "constant";
  /** Value used with `"constant"`. Default 0. */
  fillValue?: number;
  /**
   * Keep features that are entirely missing during fit (filled with 0 / `fillValue`).
   * Default false: such features are dropped, as in scikit-learn.
   */
  keepEmptyFeatures?: boolean;
}

/** A simple imputer (see {@link simpleImputer}). */
export interface SimpleImputer extends Transformer {
  /** Per-feature fill value learned in fit (NaN for entirely missing features). */
  statistics_: number[] | null;
  fit(X: Matrix | ArrayLike<ArrayLike<number | null | undefined>>): SimpleImputer;
  transform(X: Matrix | ArrayLike<ArrayLike<number | null | undefined>>): number[][];
  fitTransform(X: Matrix | ArrayLike<ArrayLike<number | null | undefined>>): number[][];
}

const isMissing = (v: unknown) => v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));

function toRowsWithMissing(X: unknown): number[][] {
  const v: unknown = isTensorLike(X) ? X.arraySync() : X;
  const rows = Array.from(v as ArrayLike<unknown>, (r) =>
    r !== null && typeof r === "object" ? Array.from(r as ArrayLike<unknown>, (x) => (isMissing(x) ? NaN : Number(x))) : [isMissing(r) ? NaN : Number(r)],
  );
  return rows;
}

/**
 * Fills missing values (`NaN`, `null`, `undefined`) per column (as `SimpleImputer`).
 * `"most_frequent"` breaks ties towards the smallest value.
 */
export function simpleImputer(options: SimpleImputerOptions = {}): SimpleImputer {
  const strategy = options.strategy ?? "mean";
  const fill = options.fillValue ?? 0;
  let valid: number[] = [];
  const s: SimpleImputer = {
    statistics_: null,
    fit(X) {
      const A = toRowsWithMissing(X);
      if (A.length === 0) throw new Error("simpleImputer: cannot fit on an empty array");
      const d = A[0].length;
      const stats: number[] = [];
      for (let j = 0; j < d; j++) {
        const col = A.map((r) => r[j]).filter((x) => !Number.isNaN(x));
        if (strategy === "constant") stats.push(fill);
        else if (col.length === 0) stats.push(NaN);
        else if (strategy === "mean") stats.push(col.reduce((a, b) => a + b, 0) / col.length);
        else if (strategy === "median") {
          col.sort((a, b) => a - b);
          const m = col.length >> 1;
          stats.push(col.length % 2 ? col[m] : (col[m - 1] + col[m]) / 2);
        } else if (strategy === "most_frequent") {
          const c = new Map<number, number>();
          col.forEach((x) => c.set(x, (c.get(x) ?? 0) + 1));
          let best = NaN;
          let bc = -1;
          for (const [x, k] of c) if (k > bc || (k === bc && x < best)) [best, bc] = [x, k];
          stats.push(best);
        } else throw new Error(`simpleImputer: unknown strategy "${strategy}"`);
      }
      s.statistics_ = stats;
      valid = stats.map((v, j) => (Number.isNaN(v) && !options.keepEmptyFeatures ? -1 : j)).filter((j) => j >= 0);
      return s;
    },
    transform(X) {
      const st = s.statistics_;
      if (!st) return notFitted("simpleImputer");
      const A = toRowsWithMissing(X);
      checkWidth(A, st.length, "simpleImputer");
      const fillOf = (j: number) => (Number.isNaN(st[j]) ? (strategy === "constant" ? fill : 0) : st[j]);
      return A.map((r) => valid.map((j) => (Number.isNaN(r[j]) ? fillOf(j) : r[j])));
    },
    fitTransform(X) {
      return s.fit(X).transform(X);
    },
  };
  return s;
}

// ----------------------------------------------------------------------------------------------

/** A categorical value: number or string. */
export type Category = number | string;

/** Options for {@link oneHot}. */
export interface OneHotOptions {
  /** `"error"` (default) throws on a category not seen in fit; `"ignore"` encodes it as all zeros. */
  handleUnknown?: "error" | "ignore";
  /** Categories per column, instead of learning them (sorted unique values) in fit. */
  categories?: Category[][];
}

/** A one-hot encoder (see {@link oneHot}). */
export interface OneHotEncoder extends Transformer {
  /** Sorted categories of each input column. */
  categories_: Category[][] | null;
  fit(X: ArrayLike<ArrayLike<Category>> | ArrayLike<Category> | Matrix): OneHotEncoder;
  transform(X: ArrayLike<ArrayLike<Category>> | ArrayLike<Category> | Matrix): number[][];
  fitTransform(X: ArrayLike<ArrayLike<Category>> | ArrayLike<Category> | Matrix): number[][];
  /** Back to categories; an all-zero block (unknown) gives `null`. */
  inverseTransform(X: Matrix): (Category | null)[][];
  /** Output column names, `x0_red`-style (as `get_feature_names_out`). */
  featureNamesOut(inputFeatures?: string[]): string[];
}

function toCategoryRows(X: unknown): Category[][] {
  const v: unknown = isTensorLike(X) ? X.arraySync() : X;
  return Array.from(v as ArrayLike<unknown>, (r) =>
    r !== null && typeof r === "object" ? (Array.from(r as ArrayLike<unknown>) as Category[]) : [r as Category],
  );
}

function sortCategories(a: Category[]): Category[] {
  return [...new Set(a)].sort((p, q) => (typeof p === "number" && typeof q === "number" ? p - q : String(p) < String(q) ? -1 : String(p) > String(q) ? 1 : 0));
}

/**
 * One-hot encodes categorical columns (as `OneHotEncoder`, dense output). A 1-D input is
 * treated as a single column.
 *
 * @example
 * ```ts
 * const enc = ml.preprocess.oneHot({ handleUnknown: "ignore" }).fit([["red"], ["blue"]]);
 * enc.transform([["blue"], ["green"]]); // [[1, 0], [0, 0]]
 * ```
 */
export function oneHot(options: OneHotOptions = {}): OneHotEncoder {
  const handle = options.handleUnknown ?? "error";
  let maps: Map<Category, number>[] = [];
  const s: OneHotEncoder = {
    categories_: null,
    fit(X) {
      const A = toCategoryRows(X);
      if (A.length === 0) throw new Error("oneHot: cannot fit on an empty array");
      const d = A[0].length;
      s.categories_ = options.categories
        ? options.categories.map((c) => sortCategories(c))
        : Array.from({ length: d }, (_, j) => sortCategories(A.map((r) => r[j])));
      maps = s.categories_.map((c) => new Map(c.map((v, i) => [v, i])));
      return s;
    },
    transform(X) {
      const cats = s.categories_;
      if (!cats) return notFitted("oneHot");
      const A = toCategoryRows(X);
      const width = cats.reduce((a, c) => a + c.length, 0);
      return A.map((r, i) => {
        if (r.length !== cats.length) throw new Error(`oneHot: X has ${r.length} features, but it was fitted with ${cats.length}`);
        const out = new Array<number>(width).fill(0);
        let off = 0;
        r.forEach((v, j) => {
          const k = maps[j].get(v);
          if (k === undefined) {
            if (handle === "error") throw new Error(`oneHot: found unknown category ${JSON.stringify(v)} in column ${j} (row ${i}) during transform`);
          } else out[off + k] = 1;
          off += cats[j].length;
        });
        return out;
      });
    },
    fitTransform(X) {
      return s.fit(X).transform(X);
    },
    inverseTransform(X) {
      const cats = s.categories_;
      if (!cats) return notFitted("oneHot");
      return toArray2D(X, "X").map((r) => {
        let off = 0;
        return cats.map((c) => {
          let best = -1;
          for (let k = 0; k < c.length; k++) if (r[off + k] > 0 && (best < 0 || r[off + k] > r[off + best])) best = k;
          off += c.length;
          return best < 0 ? null : c[best];
        });
      });
    },
    featureNamesOut(inputFeatures) {
      const cats = s.categories_;
      if (!cats) return notFitted("oneHot");
      return cats.flatMap((c, j) => c.map((v) => `${inputFeatures?.[j] ?? `x${j}`}_${v}`));
    },
  };
  return s;
}

// ----------------------------------------------------------------------------------------------

/** A pipeline step: an object, or a `[name, object]` pair. */
export type PipelineStep = Transformer | Estimator | [string, Transformer | Estimator];

/** A chain of transformers ending in a transformer or an estimator (see {@link pipeline}). */
export interface Pipeline {
  /** The steps as `[name, object]` pairs (unnamed steps are called `step0`, `step1`, …). */
  steps: [string, Transformer | Estimator][];
  /** Steps by name. */
  namedSteps: Record<string, Transformer | Estimator>;
  /** Fits every step on the training data only, each on the output of the previous one. */
  fit(X: any, y?: any): Pipeline;
  /** Applies every step's `transform` (the final step too, when it has one). */
  transform(X: any): any;
  fitTransform(X: any, y?: any): any;
  /** Transforms with all but the last step, then calls the last step's `predict`. */
  predict(X: any): any;
  /** Transforms with all but the last step, then calls the last step's `predictProba`. */
  predictProba(X: any): any;
}

/**
 * Chains preprocessing steps and an optional final estimator (as `sklearn.pipeline.Pipeline`).
 * `fit` learns every statistic from the data it is given (the training split), and
 * `transform` / `predict` reuse those statistics on new data — no leakage from test data.
 *
 * @example
 * ```ts
 * const pipe = ml.preprocess.pipeline([["impute", ml.preprocess.simpleImputer()], ["scale", ml.preprocess.standardScaler()]]);
 * pipe.fit(Xtrain);
 * const XteScaled = pipe.transform(Xtest);
 * ```
 */
export function pipeline(steps: PipelineStep[]): Pipeline {
  if (steps.length === 0) throw new Error("pipeline: needs at least one step");
  const named: [string, Transformer | Estimator][] = steps.map((s, i) => (Array.isArray(s) ? [s[0], s[1]] : [`step${i}`, s]));
  const names = new Set(named.map(([n]) => n));
  if (names.size !== named.length) throw new Error("pipeline: step names must be unique");
  const through = (X: any, upto: number) => {
    let Xt = X;
    for (let i = 0; i < upto; i++) {
      const t = named[i][1];
      if (typeof t.transform !== "function") throw new Error(`pipeline: step "${named[i][0]}" has no transform`);
      Xt = (t as Transformer).transform(Xt);
    }
    return Xt;
  };
  const p: Pipeline = {
    steps: named,
    namedSteps: Object.fromEntries(named),
    fit(X, y) {
      let Xt = X;
      for (let i = 0; i < named.length - 1; i++) {
        const t = named[i][1] as Transformer;
        if (typeof t.transform !== "function") throw new Error(`pipeline: intermediate step "${named[i][0]}" must have transform`);
        Xt = typeof t.fitTransform === "function" ? t.fitTransform(Xt, y) : (t.fit(Xt, y), t.transform(Xt));
      }
      named[named.length - 1][1].fit(Xt, y);
      return p;
    },
    transform(X) {
      return through(X, named.length);
    },
    fitTransform(X, y) {
      return p.fit(X, y).transform(X);
    },
    predict(X) {
      const last = named[named.length - 1][1] as Estimator;
      if (typeof last.predict !== "function") throw new Error("pipeline: the last step has no predict");
      return last.predict(through(X, named.length - 1));
    },
    predictProba(X) {
      const last = named[named.length - 1][1] as Estimator;
      if (typeof last.predictProba !== "function") throw new Error("pipeline: the last step has no predictProba");
      return last.predictProba(through(X, named.length - 1));
    },
  };
  return p;
}
