/**
 * Ensembles built from any `ml.models` classifier: bagging, AdaBoost (SAMME) and stacking,
 * following scikit-learn's `BaggingClassifier`, `AdaBoostClassifier(algorithm="SAMME")`
 * and `StackingClassifier`.
 *
 * @packageDocumentation
 */

import { take, toArray1D, toArray2D, type Matrix } from "./array";
import { argmax, decisionTree, encodeLabels, logisticRegression, type Classifier, type ClassifierFactory } from "./models";
import { createRng } from "./random";
import { resolveFolds } from "./select";
import type { Fold } from "./split";

function accuracyOf(pred: number[], y: number[]): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) ok++;
  return ok / y.length;
}

/** Probabilities of a member whose classes may be a subset, spread over `classes`. */
function alignedProba(est: Classifier, X: number[][], classes: number[]): number[][] {
  const P = est.predictProba(X);
  const cols = est.classes.map((c) => classes.indexOf(c));
  return P.map((row) => {
    const out = new Array<number>(classes.length).fill(0);
    row.forEach((v, j) => (out[cols[j]] += v));
    return out;
  });
}

function checkFitted(classes: number[], where: string): void {
  if (classes.length === 0) throw new Error(`${where}: call fit(X, y) before predicting`);
}

// ---------------------------------------------------------------------------------------
// Bagging

/** Options for {@link bagging} (scikit-learn `BaggingClassifier`). */
export interface BaggingOptions {
  /** Number of members. Default 10. */
  nEstimators?: number;
  /** Rows drawn per member: fraction of the rows (≤ 1) or a count. Default 1.0. */
  maxSamples?: number;
  /** Draw with replacement. Default true. */
  bootstrap?: boolean;
  /** Same seed, same ensemble. Default 0. */
  seed?: number;
}

/** A bagging ensemble. */
export interface Bagging extends Classifier {
  /** The fitted members. */
  readonly estimators: Classifier[];
  /** Row indices each member was trained on. */
  readonly samples: number[][];
}

/**
 * Bagging: fits each member on a bootstrap sample and averages their class
 * probabilities (a member that never saw a class gives it probability 0).
 *
 * @param factory - builds one unfitted member, e.g. `() => ml.models.decisionTree()`.
 *
 * @example
 * ```ts
 * const bag = ml.ensemble.bagging(() => ml.models.decisionTree(), { nEstimators: 25, seed: 1 }).fit(X, y);
 * ```
 */
export function bagging(factory: ClassifierFactory, options: BaggingOptions = {}): Bagging {
  const nEstimators = options.nEstimators ?? 10;
  const bootstrap = options.bootstrap ?? true;
  if (!(Number.isInteger(nEstimators) && nEstimators >= 1)) throw new Error(`bagging: nEstimators must be a positive integer, got ${nEstimators}`);
  let classes: number[] = [];
  let estimators: Classifier[] = [];
  let samples: number[][] = [];
  const model: Bagging = {
    get classes() {
      return classes;
    },
    get estimators() {
      return estimators;
    },
    get samples() {
      return samples;
    },
    fit(Xin, yin) {
      const X = toArray2D(Xin, "X");
      const y = toArray1D(yin, "y");
      if (X.length !== y.length) throw new Error(`bagging.fit: X has ${X.length} rows but y has ${y.length}`);
      const n = X.length;
      const ms = options.maxSamples ?? 1;
      const m = ms <= 1 ? Math.max(1, Math.round(ms * n)) : Math.min(ms, bootstrap ? Infinity : n);
      const rng = createRng(options.seed ?? 0);
      estimators = [];
      samples = [];
      for (let e = 0; e < nEstimators; e++) {
        const r = rng.fork();
        const idx = bootstrap ? Array.from({ length: m }, () => r.int(n)) : r.permutation(n).slice(0, m);
        samples.push(idx);
        estimators.push(factory().fit(take(X, idx), take(y, idx)));
      }
      classes = encodeLabels(y).classes;
      return model;
    },
    predictProba(Xin) {
      checkFitted(classes, "bagging");
      const X = toArray2D(Xin, "X");
      const acc = X.map(() => new Array<number>(classes.length).fill(0));
      for (const est of estimators) {
        alignedProba(est, X, classes).forEach((row, i) => row.forEach((v, k) => (acc[i][k] += v / estimators.length)));
      }
      return acc;
    },
    predict(Xin) {
      return model.predictProba(Xin).map((p) => classes[argmax(p)]);
    },
    score(Xin, yin) {
      return accuracyOf(model.predict(Xin), toArray1D(yin, "y"));
    },
  };
  return model;
}

// ---------------------------------------------------------------------------------------
// AdaBoost (SAMME)

/** Options for {@link adaBoost} (scikit-learn `AdaBoostClassifier(algorithm="SAMME")`). */
export interface AdaBoostOptions {
  /** Maximum number of boosting rounds. Default 50. */
  nEstimators?: number;
  /** Shrinks each member's weight. Default 1. */
  learningRate?: number;
  /**
   * Builds a weak learner that honours `fit(X, y, sampleWeight)`. Default: a stump,
   * `() => ml.models.decisionTree({ maxDepth: 1 })`.
   */
  estimator?: ClassifierFactory;
}

/** A boosted ensemble. */
export interface AdaBoost extends Classifier {
  /** The fitted weak learners. */
  readonly estimators: Classifier[];
  /** Weight (say) of each learner; zeros after an early stop (as sklearn). */
  readonly estimatorWeights: number[];
  /** Weighted training error of each learner. */
  readonly estimatorErrors: number[];
  /** SAMME decision values: `[n]` for two classes (positive favours `classes[1]`), else `[n, k]`. */
  decisionFunction(X: Matrix): number[] | number[][];
}

/**
 * AdaBoost with the SAMME rule: each round fits a weak learner on re-weighted rows and
 * up-weights the rows it got wrong. Matches scikit-learn's `AdaBoostClassifier` with
 * `algorithm="SAMME"` and a depth-1 tree when no two stumps tie.
 *
 * @example
 * ```ts
 * const ada = ml.ensemble.adaBoost({ nEstimators: 100, learningRate: 0.5 }).fit(X, y);
 * ada.estimatorWeights;
 * ```
 */
export function adaBoost(options: AdaBoostOptions = {}): AdaBoost {
  const nEstimators = options.nEstimators ?? 50;
  const learningRate = options.learningRate ?? 1;
  const make = options.estimator ?? (() => decisionTree({ maxDepth: 1 }));
  if (!(Number.isInteger(nEstimators) && nEstimators >= 1)) throw new Error(`adaBoost: nEstimators must be a positive integer, got ${nEstimators}`);
  if (!(learningRate > 0)) throw new Error(`adaBoost: learningRate must be positive, got ${learningRate}`);
  let classes: number[] = [];
  let estimators: Classifier[] = [];
  let weights: number[] = [];
  let errors: number[] = [];

  const decision = (X: number[][]): number[][] => {
    checkFitted(classes, "adaBoost");
    const K = classes.length;
    const pred = X.map(() => new Array<number>(K).fill(0));
    estimators.forEach((est, e) => {
      est.predict(X).forEach((label, i) => {
        const k = classes.indexOf(label);
        if (k >= 0) pred[i][k] += weights[e];
      });
    });
    const total = weights.reduce((a, b) => a + b, 0);
    return pred.map((row) => row.map((v) => v / total));
  };

  const model: AdaBoost = {
    get classes() {
      return classes;
    },
    get estimators() {
      return estimators;
    },
    get estimatorWeights() {
      return weights;
    },
    get estimatorErrors() {
      return errors;
    },
    fit(Xin, yin, sampleWeight) {
      const X = toArray2D(Xin, "X");
      const y = toArray1D(yin, "y");
      if (X.length !== y.length) throw new Error(`adaBoost.fit: X has ${X.length} rows but y has ${y.length}`);
      const n = X.length;
      const K = encodeLabels(y).classes.length;
      let w = sampleWeight ? Array.from(sampleWeight) : new Array<number>(n).fill(1);
      const s0 = w.reduce((a, b) => a + b, 0);
      w = w.map((v) => v / s0);
      estimators = [];
      weights = new Array<number>(nEstimators).fill(0);
      errors = new Array<number>(nEstimators).fill(1);
      for (let it = 0; it < nEstimators; it++) {
        const est = make().fit(X, y, w);
        const pred = est.predict(X);
        const incorrect = pred.map((p, i) => (p !== y[i] ? 1 : 0));
        let err = 0;
        let wsum = 0;
        for (let i = 0; i < n; i++) {
          err += w[i] * incorrect[i];
          wsum += w[i];
        }
        err /= wsum;
        if (err <= 0) {
          // A perfect learner: keep it with weight 1 and stop, as sklearn does.
          estimators.push(est);
          weights[it] = 1;
          errors[it] = 0;
          break;
        }
        if (err >= 1 - 1 / K) {
          // No better than chance: discard it and stop.
          if (estimators.length === 0) throw new Error("adaBoost: the first learner is no better than chance; boosting cannot start");
          break;
        }
        estimators.push(est);
        const alpha = learningRate * (Math.log((1 - err) / err) + Math.log(K - 1));
        weights[it] = alpha;
        errors[it] = err;
        if (it === nEstimators - 1) break;
        w = w.map((v, i) => (v > 0 ? Math.exp(Math.log(v) + alpha * incorrect[i]) : 0));
        const s = w.reduce((a, b) => a + b, 0);
        if (!(s > 0) || !Number.isFinite(s)) break;
        w = w.map((v) => v / s);
      }
      // Trim the unused tail so lengths match the members (sklearn keeps zeros; weights
      // of zero change nothing in the vote).
      weights = weights.slice(0, Math.max(estimators.length, 1));
      errors = errors.slice(0, Math.max(estimators.length, 1));
      classes = encodeLabels(y).classes;
      return model;
    },
    decisionFunction(Xin) {
      const d = decision(toArray2D(Xin, "X"));
      return classes.length === 2 ? d.map((r) => r[1] - r[0]) : d;
    },
    predictProba(Xin) {
      const d = decision(toArray2D(Xin, "X"));
      const K = classes.length;
      return d.map((row) => {
        const z = K === 2 ? [-(row[1] - row[0]) / 2, (row[1] - row[0]) / 2] : row.map((v) => v / (K - 1));
        const mx = Math.max(...z);
        const e = z.map((v) => Math.exp(v - mx));
        const t = e.reduce((a, b) => a + b, 0);
        return e.map((v) => v / t);
      });
    },
    predict(Xin) {
      const d = decision(toArray2D(Xin, "X"));
      return d.map((row) => (classes.length === 2 ? classes[row[1] - row[0] > 0 ? 1 : 0] : classes[argmax(row)]));
    },
    score(Xin, yin) {
      return accuracyOf(model.predict(Xin), toArray1D(yin, "y"));
    },
  };
  return model;
}

/** Alias of {@link adaBoost}: the course's "boosting" is AdaBoost (SAMME) on stumps. */
export const boosting = adaBoost;

// ---------------------------------------------------------------------------------------
// Stacking

/** Options for {@link stacking} (scikit-learn `StackingClassifier`). */
export interface StackingOptions {
  /** Meta-learner fitted on the out-of-fold predictions. Default logistic regression. */
  finalEstimator?: ClassifierFactory;
  /** Folds for the out-of-fold predictions: count (stratified) or explicit folds. Default 5. */
  cv?: number | Fold[];
  /** Also give the meta-learner the original features. Default false. */
  passthrough?: boolean;
  /** Shuffle rows before building folds. Default false. */
  shuffle?: boolean;
  /** Seed for the shuffle. Default 0. */
  seed?: number;
}

/** A stacked ensemble. */
export interface Stacking extends Classifier {
  /** Base members refitted on all rows. */
  readonly estimators: Classifier[];
  /** The fitted meta-learner. */
  readonly finalEstimator: Classifier;
  /** Meta-features for `X`: each member's probabilities (only the positive column for two classes). */
  transform(X: Matrix): number[][];
}

/**
 * Stacking: the meta-learner learns how to combine the members' class probabilities,
 * trained on out-of-fold predictions so it never sees a member's training-set optimism.
 * Members are then refitted on all rows.
 *
 * @param estimators - factories of the base members.
 *
 * @example
 * ```ts
 * const st = ml.ensemble.stacking([
 *   () => ml.models.knn({ nNeighbors: 7 }),
 *   () => ml.models.decisionTree({ maxDepth: 4 }),
 * ]).fit(X, y);
 * ```
 */
export function stacking(estimators: ClassifierFactory[], options: StackingOptions = {}): Stacking {
  if (!Array.isArray(estimators) || estimators.length === 0) throw new Error("stacking: needs at least one base estimator factory");
  const makeFinal = options.finalEstimator ?? (() => logisticRegression());
  let classes: number[] = [];
  let members: Classifier[] = [];
  let final: Classifier | null = null;

  const metaRows = (P: number[][][], X: number[][]): number[][] =>
    X.map((row, i) => {
      const feats: number[] = [];
      for (const p of P) {
        if (classes.length === 2) feats.push(p[i][1]);
        else feats.push(...p[i]);
      }
      return options.passthrough ? feats.concat(row) : feats;
    });

  const model: Stacking = {
    get classes() {
      return classes;
    },
    get estimators() {
      return members;
    },
    get finalEstimator() {
      if (!final) throw new Error("stacking: not fitted");
      return final;
    },
    fit(Xin, yin) {
      const X = toArray2D(Xin, "X");
      const y = toArray1D(yin, "y");
      if (X.length !== y.length) throw new Error(`stacking.fit: X has ${X.length} rows but y has ${y.length}`);
      classes = encodeLabels(y).classes;
      const folds = resolveFolds(y, { cv: options.cv ?? 5, shuffle: options.shuffle, seed: options.seed });
      const oof: number[][][] = estimators.map(() => new Array(X.length));
      for (const { train, test } of folds) {
        const Xtr = take(X, train);
        const ytr = take(y, train);
        const Xte = take(X, test);
        estimators.forEach((make, e) => {
          const P = alignedProba(make().fit(Xtr, ytr), Xte, classes);
          test.forEach((row, j) => (oof[e][row] = P[j]));
        });
      }
      for (const o of oof) for (let i = 0; i < X.length; i++) if (!o[i]) throw new Error("stacking: the folds do not cover every row");
      members = estimators.map((make) => make().fit(X, y));
      final = makeFinal().fit(metaRows(oof, X), y);
      return model;
    },
    transform(Xin) {
      checkFitted(classes, "stacking");
      const X = toArray2D(Xin, "X");
      return metaRows(members.map((m) => alignedProba(m, X, classes)), X);
    },
    predictProba(Xin) {
      return model.finalEstimator.predictProba(model.transform(Xin));
    },
    predict(Xin) {
      return model.finalEstimator.predict(model.transform(Xin));
    },
    score(Xin, yin) {
      return accuracyOf(model.predict(Xin), toArray1D(yin, "y"));
    },
  };
  return model;
}
