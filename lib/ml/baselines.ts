/**
 * Baseline models to beat, following scikit-learn's `DummyClassifier` / `DummyRegressor`:
 * {@link zeroRule} (majority class or mean), {@link random} (uniform or stratified guesses)
 * and {@link thresholdHeuristic} (a one-feature rule). Each is a `fit` / `predict` object.
 *
 * @packageDocumentation
 */
import { lengthOf, toArray1D, toArray2D, unique, type Matrix, type Vector } from "./array";
import { createRng } from "./random";

function counts(y: number[]): { classes: number[]; prior: number[] } {
  const classes = unique(y);
  const c = classes.map((k) => y.filter((v) => v === k).length);
  return { classes, prior: c.map((v) => v / y.length) };
}

function rows(X: Matrix | number): number {
  return typeof X === "number" ? X : lengthOf(X);
}

/** Options for {@link zeroRule}. */
export interface ZeroRuleOptions {
  /** `"classification"` (default): predict the most frequent class; `"regression"`: the mean. */
  task?: "classification" | "regression";
}

/** The fitted zero-rule baseline (see {@link zeroRule}). */
export interface ZeroRule {
  /** Sorted classes (classification). */
  classes_: number[] | null;
  /** Class frequencies in the training labels (classification). */
  classPrior_: number[] | null;
  /** The constant prediction. */
  constant_: number | null;
  /** Learns the constant from `y` only; `X` is ignored and may be omitted (`null`). */
  fit(X: Matrix | null, y: Vector): ZeroRule;
  /** The constant for every row of `X` (or for `X` rows when `X` is a count). */
  predict(X: Matrix | number): number[];
  /** One-hot of the majority class per row, as sklearn's `most_frequent` (classification only). */
  predictProba(X: Matrix | number): number[][];
}

/**
 * Zero-rule baseline: always predicts the majority class (ties → smallest label), as
 * `DummyClassifier(strategy="most_frequent")`, or the training mean for regression, as
 * `DummyRegressor()`.
 *
 * @example
 * ```ts
 * const base = ml.baselines.zeroRule().fit(Xtrain, ytrain);
 * ml.metrics.accuracy(ytest, base.predict(Xtest));
 * ```
 */
export function zeroRule(options: ZeroRuleOptions = {}): ZeroRule {
  const task = options.task ?? "classification";
  const m: ZeroRule = {
    classes_: null,
    classPrior_: null,
    constant_: null,
    fit(_X, y) {
      const ya = toArray1D(y, "y");
      if (ya.length === 0) throw new Error("zeroRule: y is empty");
      if (task === "regression") {
        m.constant_ = ya.reduce((a, b) => a + b, 0) / ya.length;
        return m;
      }
      const { classes, prior } = counts(ya);
      m.classes_ = classes;
      m.classPrior_ = prior;
      let best = 0;
      prior.forEach((p, i) => {
        if (p > prior[best]) best = i;
      });
      m.constant_ = classes[best];
      return m;
    },
    predict(X) {
      if (m.constant_ === null) throw new Error("zeroRule is not fitted yet");
      return new Array<number>(rows(X)).fill(m.constant_);
    },
    predictProba(X) {
      if (task === "regression") throw new Error("zeroRule: predictProba is only defined for classification");
      if (!m.classes_) throw new Error("zeroRule is not fitted yet");
      const row = m.classes_.map((c) => (c === m.constant_ ? 1 : 0));
      return Array.from({ length: rows(X) }, () => [...row]);
    },
  };
  return m;
}

/** Options for {@link random}. */
export interface RandomBaselineOptions {
  /** `"uniform"`: every class equally likely; `"stratified"` (default): drawn with the training frequencies. */
  strategy?: "uniform" | "stratified";
  /** Seed; each `predict` call with the same seed gives the same guesses. Default 0. */
  seed?: number;
}

/** The random-guess baseline (see {@link random}). */
export interface RandomBaseline {
  classes_: number[] | null;
  classPrior_: number[] | null;
  fit(X: Matrix | null, y: Vector): RandomBaseline;
  predict(X: Matrix | number): number[];
  /** `"uniform"`: `1/k` for every class; `"stratified"`: one-hot of the drawn class (as sklearn). */
  predictProba(X: Matrix | number): number[][];
}

/**
 * Random-guess baseline, as `DummyClassifier(strategy="uniform" | "stratified")`.
 * Guesses come from the seeded generator, so they are reproducible but differ from sklearn's.
 */
export function random(options: RandomBaselineOptions = {}): RandomBaseline {
  const strategy = options.strategy ?? "stratified";
  const draw = (n: number): number[] => {
    if (!m.classes_ || !m.classPrior_) throw new Error("random baseline is not fitted yet");
    const rng = createRng(options.seed ?? 0);
    const classes = m.classes_;
    const prior = m.classPrior_;
    return Array.from({ length: n }, () => {
      if (strategy === "uniform") return rng.int(classes.length);
      let u = rng.next();
      for (let k = 0; k < prior.length; k++) {
        u -= prior[k];
        if (u < 0) return k;
      }
      return prior.length - 1;
    });
  };
  const m: RandomBaseline = {
    classes_: null,
    classPrior_: null,
    fit(_X, y) {
      const ya = toArray1D(y, "y");
      if (ya.length === 0) throw new Error("random baseline: y is empty");
      const { classes, prior } = counts(ya);
      m.classes_ = classes;
      m.classPrior_ = prior;
      return m;
    },
    predict(X) {
      const classes = m.classes_;
      return draw(rows(X)).map((k) => (classes as number[])[k]);
    },
    predictProba(X) {
      const n = rows(X);
      const k = (m.classes_ ?? []).length;
      if (strategy === "uniform") {
        if (!m.classes_) throw new Error("random baseline is not fitted yet");
        return Array.from({ length: n }, () => new Array<number>(k).fill(1 / k));
      }
      return draw(n).map((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0)));
    },
  };
  return m;
}

/** The one-feature rule (see {@link thresholdHeuristic}). */
export interface ThresholdHeuristic {
  feature: number;
  /** Decision threshold (learned in `fit` when not given). */
  threshold_: number | null;
  /** `">="`: positive when `x >= threshold`; `"<="`: positive when `x <= threshold`. */
  direction_: ">=" | "<=";
  /** `[negative, positive]` labels (from `y` in fit; `[0, 1]` by default). */
  classes_: number[];
  /**
   * Records the labels and, when no threshold was given, picks the threshold (and, when no
   * direction was given, the direction) with the best training accuracy.
   */
  fit(X: Matrix, y: Vector): ThresholdHeuristic;
  predict(X: Matrix): number[];
  /** Hard probabilities `[[1 − p, p]]` with p ∈ {0, 1}. */
  predictProba(X: Matrix): number[][];
}

/**
 * A hand-written rule on one feature ("flag when amount ≥ 500"), the simplest baseline that
 * uses the data. `X` may be a matrix (the `feature` column is used) or the column itself.
 *
 * @param feature - column index in `X`.
 * @param threshold - decision threshold; omit to learn it in `fit`.
 * @param direction - `">="` (default) or `"<="`; omit together with `threshold` to learn both.
 *
 * @example
 * ```ts
 * const rule = ml.baselines.thresholdHeuristic(3, 500).fit(Xtrain, ytrain);
 * ml.metrics.recall(ytest, rule.predict(Xtest));
 * ```
 */
export function thresholdHeuristic(feature: number, threshold?: number, direction?: ">=" | "<="): ThresholdHeuristic {
  const column = (X: Matrix): number[] => toArray2D(X, "X").map((r) => (r.length === 1 ? r[0] : r[feature]));
  const h: ThresholdHeuristic = {
    feature,
    threshold_: threshold ?? null,
    direction_: direction ?? ">=",
    classes_: [0, 1],
    fit(X, y) {
      const ya = toArray1D(y, "y");
      const cls = unique(ya);
      if (cls.length > 2) throw new Error("thresholdHeuristic: only binary targets are supported");
      if (cls.length === 2) h.classes_ = cls;
      else if (cls.length === 1 && !h.classes_.includes(cls[0])) h.classes_ = [cls[0] === 1 ? 0 : cls[0], cls[0]];
      if (threshold === undefined) {
        const x = column(X);
        if (x.length !== ya.length) throw new Error("thresholdHeuristic: X and y have different lengths");
        const pos = h.classes_[1];
        const cands = unique(x);
        let best = { acc: -1, t: cands[0], d: ">=" as ">=" | "<=" };
        for (const d of direction ? [direction] : ([">=", "<="] as const)) {
          for (const t of cands) {
            let ok = 0;
            for (let i = 0; i < x.length; i++) {
              const p = d === ">=" ? x[i] >= t : x[i] <= t;
              if (p === (ya[i] === pos)) ok++;
            }
            if (ok > best.acc) best = { acc: ok, t, d };
          }
        }
        h.threshold_ = best.t;
        h.direction_ = best.d;
      }
      return h;
    },
    predict(X) {
      const t = h.threshold_;
      if (t === null) throw new Error("thresholdHeuristic: no threshold; pass one or call fit(X, y)");
      const [neg, pos] = h.classes_;
      return column(X).map((v) => ((h.direction_ === ">=" ? v >= t : v <= t) ? pos : neg));
    },
    predictProba(X) {
      const pos = h.classes_[1];
      return h.predict(X).map((p) => (p === pos ? [0, 1] : [1, 0]));
    },
  };
  return h;
}
