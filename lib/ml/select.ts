/**
 * Model selection: cross-validated scores, grid and random hyper-parameter search (as
 * scikit-learn's `cross_val_score`, `GridSearchCV`, `RandomizedSearchCV`) and an
 * early-stopping tracker that also works as a tfjs `model.fit` callback.
 *
 * @packageDocumentation
 */

import { toArray1D, toArray2D, take, type Matrix, type Vector } from "./array";
import { accuracy, averagePrecision, f1, logLoss, mae, mse, precision, r2, recall, rocAuc } from "./metrics";
import type { Classifier } from "./models";
import { createRng, type Rng } from "./random";
import { kFold, stratifiedKFold, type Fold } from "./split";

// ---------------------------------------------------------------------------------------
// Scoring

/** Anything with `predict` (and optionally `predictProba` / `classes`) can be scored. */
export interface Predictor {
  predict(X: number[][]): ArrayLike<number>;
  predictProba?(X: number[][]): number[][];
  readonly classes?: number[];
}

/** A scorer in scikit-learn's sense: greater is better. */
export type ScorerFn = (estimator: Predictor, X: number[][], y: number[]) => number;

/**
 * Built-in scorer names (scikit-learn's spellings; camelCase also accepted). Binary
 * `precision`/`recall`/`f1` use positive label 1; `roc_auc`, `average_precision` and
 * `neg_log_loss` need `predictProba`.
 */
export type ScoringName =
  | "accuracy"
  | "precision"
  | "recall"
  | "f1"
  | "f1_macro"
  | "roc_auc"
  | "average_precision"
  | "neg_log_loss"
  | "r2"
  | "neg_mean_squared_error"
  | "neg_mean_absolute_error"
  | "f1Macro"
  | "rocAuc"
  | "averagePrecision"
  | "negLogLoss"
  | "negMeanSquaredError"
  | "negMeanAbsoluteError";

/** A scorer name or function. */
export type Scoring = ScoringName | ScorerFn;

function positiveScores(est: Predictor, X: number[][], where: string): number[] {
  if (!est.predictProba) throw new Error(`${where} needs an estimator with predictProba`);
  const P = est.predictProba(X);
  if (P[0] && P[0].length !== 2) throw new Error(`${where} is for two classes; got ${P[0].length}`);
  return P.map((r) => r[1]);
}

/**
 * Turns a scoring name or function into a scorer `(estimator, X, y) → number`
 * (greater is better, so losses are negated as in scikit-learn).
 */
export function getScorer(scoring: Scoring = "accuracy"): ScorerFn {
  if (typeof scoring === "function") return scoring;
  const key = scoring.replace(/_/g, "").toLowerCase();
  const pred = (e: Predictor, X: number[][]) => Array.from(e.predict(X));
  switch (key) {
    case "accuracy":
      return (e, X, y) => accuracy(y, pred(e, X));
    case "precision":
      return (e, X, y) => precision(y, pred(e, X));
    case "recall":
      return (e, X, y) => recall(y, pred(e, X));
    case "f1":
      return (e, X, y) => f1(y, pred(e, X));
    case "f1macro":
      return (e, X, y) => f1(y, pred(e, X), { average: "macro" });
    case "rocauc":
      return (e, X, y) => rocAuc(y, positiveScores(e, X, "roc_auc"));
    case "averageprecision":
      return (e, X, y) => averagePrecision(y, positiveScores(e, X, "average_precision"));
    case "neglogloss":
      return (e, X, y) => {
        if (!e.predictProba) throw new Error("neg_log_loss needs an estimator with predictProba");
        return -logLoss(y, e.predictProba(X), e.classes ? { labels: e.classes } : {});
      };
    case "r2":
      return (e, X, y) => r2(y, pred(e, X));
    case "negmeansquarederror":
      return (e, X, y) => -mse(y, pred(e, X));
    case "negmeanabsoluteerror":
      return (e, X, y) => -mae(y, pred(e, X));
    default:
      throw new Error(`unknown scoring "${scoring}"`);
  }
}

// ---------------------------------------------------------------------------------------
// Cross-validation

/** Options shared by the cross-validation helpers. */
export interface CrossValidationOptions {
  /** Number of folds (stratified for classifiers, as sklearn) or explicit folds. Default 5. */
  cv?: number | Fold[];
  /** Scorer name or function. Default `"accuracy"`. */
  scoring?: Scoring;
  /** Shuffle rows before building folds. Default false (sklearn's default). */
  shuffle?: boolean;
  /** Seed for the shuffle. Default 0. */
  seed?: number;
  /** Use plain (not stratified) K-fold, e.g. for regression. Default false. */
  plainKFold?: boolean;
}

/**
 * The folds a search uses: `StratifiedKFold(cv)` over `y` (sklearn's choice for
 * classifiers), plain `KFold` when asked, or the folds given.
 */
export function resolveFolds(y: number[], options: CrossValidationOptions = {}): Fold[] {
  const cv = options.cv ?? 5;
  if (Array.isArray(cv)) return cv;
  const o = { nSplits: cv, shuffle: options.shuffle ?? false, seed: options.seed ?? 0 };
  return options.plainKFold ? kFold(y.length, o) : stratifiedKFold(y, o);
}

/** Something that builds a fresh unfitted estimator, here from a parameter set. */
export type EstimatorFactory<P> = (params: P) => Classifier;

/**
 * Cross-validated scores of a freshly built estimator, one per fold (as
 * `cross_val_score`).
 *
 * @example
 * ```ts
 * ml.select.crossValScore(() => ml.models.knn({ nNeighbors: 3 }), X, y, { cv: 5 });
 * ```
 */
export function crossValScore(factory: () => Classifier, X: Matrix, y: Vector, options: CrossValidationOptions = {}): number[] {
  const Xr = toArray2D(X, "X");
  const yr = toArray1D(y, "y");
  if (Xr.length !== yr.length) throw new Error(`crossValScore: X has ${Xr.length} rows but y has ${yr.length}`);
  const scorer = getScorer(options.scoring);
  return resolveFolds(yr, options).map(({ train, test }) => {
    const est = factory().fit(take(Xr, train), take(yr, train));
    return scorer(est, take(Xr, test), take(yr, test));
  });
}

// ---------------------------------------------------------------------------------------
// Grid and random search

/** A parameter grid: each key lists the values to try. */
export type ParamGrid = Record<string, readonly unknown[]>;

/**
 * All parameter combinations of a grid (or list of grids) in scikit-learn's
 * `ParameterGrid` order: keys sorted, the last key varying fastest.
 */
export function parameterGrid<P = Record<string, unknown>>(grid: ParamGrid | ParamGrid[]): P[] {
  const grids = Array.isArray(grid) ? grid : [grid];
  const out: P[] = [];
  for (const g of grids) {
    const keys = Object.keys(g).sort();
    for (const k of keys) {
      if (!Array.isArray(g[k]) || g[k].length === 0) throw new Error(`parameterGrid: "${k}" must be a non-empty array`);
    }
    const idx = new Array<number>(keys.length).fill(0);
    for (;;) {
      const p: Record<string, unknown> = {};
      keys.forEach((k, j) => (p[k] = g[k][idx[j]]));
      out.push(p as P);
      let j = keys.length - 1;
      while (j >= 0 && ++idx[j] === g[keys[j]].length) idx[j--] = 0;
      if (j < 0) break;
    }
  }
  return out;
}

/** One candidate's cross-validation outcome. */
export interface SearchCandidate<P> {
  params: P;
  /** Mean of the fold scores. */
  meanScore: number;
  /** Population standard deviation of the fold scores (numpy's `std`). */
  stdScore: number;
  /** Score per fold. */
  scores: number[];
  /** 1 for the best mean score; ties share the smaller rank (sklearn's `rank_test_score`). */
  rank: number;
}

/** Result of {@link gridSearch} and {@link randomSearch}. */
export interface SearchResult<P> {
  bestParams: P;
  bestScore: number;
  bestIndex: number;
  /** Every candidate, in the order tried. */
  results: SearchCandidate<P>[];
  /** The best candidate refitted on all the data (when `refit` is true). */
  bestEstimator?: Classifier;
}

/** Options for {@link gridSearch}. */
export interface GridSearchOptions extends CrossValidationOptions {
  /** Refit the best parameters on all rows and return `bestEstimator`. Default true. */
  refit?: boolean;
}

function evaluateCandidates<P>(factory: EstimatorFactory<P>, candidates: P[], X: Matrix, y: Vector, options: GridSearchOptions): SearchResult<P> {
  const Xr = toArray2D(X, "X");
  const yr = toArray1D(y, "y");
  if (Xr.length !== yr.length) throw new Error(`search: X has ${Xr.length} rows but y has ${yr.length}`);
  if (candidates.length === 0) throw new Error("search: no parameter candidates");
  const folds = resolveFolds(yr, options);
  const scorer = getScorer(options.scoring);
  const parts = folds.map(({ train, test }) => ({
    Xtr: take(Xr, train),
    ytr: take(yr, train),
    Xte: take(Xr, test),
    yte: take(yr, test),
  }));
  const results: SearchCandidate<P>[] = candidates.map((params) => {
    const scores = parts.map((f) => scorer(factory(params).fit(f.Xtr, f.ytr), f.Xte, f.yte));
    const meanScore = scores.reduce((a, b) => a + b, 0) / scores.length;
    const stdScore = Math.sqrt(scores.reduce((a, b) => a + (b - meanScore) ** 2, 0) / scores.length);
    return { params, meanScore, stdScore, scores, rank: 0 };
  });
  for (const r of results) {
    // NaN scores rank last, as in sklearn.
    r.rank = Number.isNaN(r.meanScore) ? results.length : 1 + results.filter((o) => o.meanScore > r.meanScore).length;
  }
  let bestIndex = 0;
  results.forEach((r, i) => {
    if (r.rank < results[bestIndex].rank) bestIndex = i;
  });
  const best = results[bestIndex];
  const out: SearchResult<P> = { bestParams: best.params, bestScore: best.meanScore, bestIndex, results };
  if (options.refit ?? true) out.bestEstimator = factory(best.params).fit(Xr, yr);
  return out;
}

/**
 * Exhaustive search over a parameter grid with cross-validation (as `GridSearchCV`:
 * stratified 5-fold, accuracy, candidates in `ParameterGrid` order, ties go to the first).
 *
 * @param factory - builds an unfitted estimator from one parameter set.
 * @param paramGrid - values to try per parameter (or a list of such grids).
 *
 * @example
 * ```ts
 * const search = ml.select.gridSearch(
 *   (p) => ml.models.knn(p),
 *   { nNeighbors: [1, 3, 5, 9], weights: ["uniform", "distance"] },
 *   X, y, { cv: 5 },
 * );
 * search.bestParams; // { nNeighbors: 5, weights: "distance" }
 * ```
 */
export function gridSearch<P = Record<string, unknown>>(
  factory: EstimatorFactory<P>,
  paramGrid: ParamGrid | ParamGrid[],
  X: Matrix,
  y: Vector,
  options: GridSearchOptions = {},
): SearchResult<P> {
  return evaluateCandidates(factory, parameterGrid<P>(paramGrid), X, y, options);
}

/** A distribution for {@link randomSearch}: a list to pick from, or a sampler. */
export type ParamDistribution = readonly unknown[] | ((rng: Rng) => unknown);

/** Uniform sampler on `[low, high)` for {@link randomSearch}. */
export function uniform(low: number, high: number): (rng: Rng) => number {
  return (rng) => low + (high - low) * rng.next();
}

/** Log-uniform sampler on `[low, high)` (good for `C`, learning rates). */
export function logUniform(low: number, high: number): (rng: Rng) => number {
  if (!(low > 0 && high > low)) throw new Error("logUniform: needs 0 < low < high");
  return (rng) => Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * rng.next());
}

/** Integer sampler on `[low, high)` (as `scipy.stats.randint`). */
export function randInt(low: number, high: number): (rng: Rng) => number {
  return (rng) => low + rng.int(high - low);
}

/** Options for {@link randomSearch}. */
export interface RandomSearchOptions extends GridSearchOptions {
  /** Number of parameter sets tried. Default 10. */
  nIter?: number;
}

/**
 * Random search with cross-validation (as `RandomizedSearchCV`). When every distribution
 * is a list, sets are drawn without replacement from the grid (all of it if smaller than
 * `nIter`); otherwise each parameter is sampled independently (keys in sorted order).
 * The same `seed` always tries the same sets.
 *
 * @example
 * ```ts
 * ml.select.randomSearch(
 *   (p) => ml.models.randomForest({ ...p, seed: 0 }),
 *   { maxDepth: [2, 4, 8, null], nEstimators: ml.select.randInt(10, 100) },
 *   X, y, { nIter: 8, seed: 1 },
 * );
 * ```
 */
export function randomSearch<P = Record<string, unknown>>(
  factory: EstimatorFactory<P>,
  paramDistributions: Record<string, ParamDistribution>,
  X: Matrix,
  y: Vector,
  options: RandomSearchOptions = {},
): SearchResult<P> {
  const nIter = options.nIter ?? 10;
  if (!(Number.isInteger(nIter) && nIter >= 1)) throw new Error(`randomSearch: nIter must be a positive integer, got ${nIter}`);
  const rng = createRng(options.seed ?? 0);
  const keys = Object.keys(paramDistributions).sort();
  let candidates: P[];
  if (keys.every((k) => Array.isArray(paramDistributions[k]))) {
    const grid = parameterGrid<P>(paramDistributions as ParamGrid);
    candidates = take(grid, rng.permutation(grid.length).slice(0, Math.min(nIter, grid.length)));
  } else {
    candidates = [];
    for (let i = 0; i < nIter; i++) {
      const p: Record<string, unknown> = {};
      for (const k of keys) {
        const d = paramDistributions[k];
        p[k] = typeof d === "function" ? d(rng) : d[rng.int(d.length)];
      }
      candidates.push(p as P);
    }
  }
  return evaluateCandidates(factory, candidates, X, y, options);
}

// ---------------------------------------------------------------------------------------
// Early stopping

/** Options for {@link earlyStopping}. */
export interface EarlyStoppingOptions {
  /** Epochs without improvement tolerated before stopping. Default 0 (as Keras). */
  patience?: number;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** `"min"` for losses (default), `"max"` for accuracies. */
  mode?: "min" | "max";
  /** A value the metric must beat before anything counts as improvement. */
  baseline?: number;
}

/** What {@link EarlyStopping.update} reports after each epoch. */
export interface EarlyStoppingState {
  /** True once patience ran out. */
  stop: boolean;
  /** Best value seen so far (±Infinity before any improvement). */
  best: number;
  /** Epoch (0-based update count) of the best value; -1 before any improvement. */
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
  /** Whether this update improved on the best. */
  improved: boolean;
}

/** Options for {@link EarlyStopping.callback}. */
export interface EarlyStoppingCallbackOptions {
  /** Log key to watch. Default `"val_loss"`. */
  monitor?: string;
  /**
   * The model being trained. Required: tfjs wraps plain callback objects without handing
   * them the model, so the callback must be told which model to stop.
   */
  model: StoppableModel;
  /** Put back the best epoch's weights when training stops. Default false. */
  restoreBestWeights?: boolean;
}

interface WeightLike {
  clone(): WeightLike;
  dispose(): void;
}

/** The part of a tfjs `LayersModel` the callback needs. */
export interface StoppableModel {
  stopTraining: boolean;
  getWeights?(): WeightLike[];
  setWeights?(weights: WeightLike[]): void;
}

/** The tfjs `CustomCallbackArgs` shape returned by {@link EarlyStopping.callback}. */
export interface EarlyStoppingCallback {
  onTrainBegin(logs?: unknown): void;
  onEpochEnd(epoch: number, logs?: Record<string, number>): void;
  onTrainEnd(logs?: unknown): void;
}

/** A pure early-stopping tracker. */
export interface EarlyStopping {
  /** Records one epoch's value and says whether to stop. */
  update(value: number): EarlyStoppingState;
  /** The latest state. */
  readonly state: EarlyStoppingState;
  /** Forgets everything seen. */
  reset(): void;
  /**
   * The same rule as a tfjs callback: `model.fit(x, y, { callbacks: [es.callback({ model })] })`
   * sets `model.stopTraining` when patience runs out. Resets at each `fit`.
   */
  callback(options: EarlyStoppingCallbackOptions): EarlyStoppingCallback;
}

/**
 * Early stopping with Keras semantics: an epoch improves when it beats the best by more
 * than `minDelta`; training stops after `patience` epochs in a row without improvement.
 *
 * @example
 * ```ts
 * const es = ml.select.earlyStopping({ patience: 3, mode: "min" });
 * for (const loss of losses) if (es.update(loss).stop) break;
 * await model.fit(x, y, { validationSplit: 0.2, callbacks: [es.callback({ model, monitor: "val_loss" })] });
 * ```
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): EarlyStopping {
  const patience = options.patience ?? 0;
  const minDelta = Math.abs(options.minDelta ?? 0);
  const mode = options.mode ?? "min";
  if (mode !== "min" && mode !== "max") throw new Error(`earlyStopping: mode must be "min" or "max", got ${mode}`);
  if (!(Number.isInteger(patience) && patience >= 0)) throw new Error(`earlyStopping: patience must be a non-negative integer`);
  const sign = mode === "min" ? 1 : -1;
  const fresh = (): EarlyStoppingState => ({
    stop: false,
    best: options.baseline ?? sign * Infinity,
    bestEpoch: -1,
    wait: 0,
    improved: false,
  });
  let state = fresh();
  let epoch = 0;

  const tracker: EarlyStopping = {
    get state() {
      return { ...state };
    },
    reset() {
      state = fresh();
      epoch = 0;
    },
    update(value) {
      if (typeof value !== "number" || Number.isNaN(value)) throw new Error(`earlyStopping.update: expected a number, got ${value}`);
      const improved = sign * (value - state.best) < -minDelta;
      if (improved) state = { ...state, best: value, bestEpoch: epoch, wait: 0, improved: true };
      else state = { ...state, wait: state.wait + 1, improved: false };
      if (state.wait >= patience && !improved) state.stop = true;
      epoch++;
      return { ...state };
    },
    callback(cbOptions) {
      const monitor = cbOptions.monitor ?? "val_loss";
      const restore = cbOptions.restoreBestWeights ?? false;
      let bestWeights: WeightLike[] | null = null;
      const model = cbOptions?.model;
      if (!model || typeof model !== "object") throw new Error("earlyStopping.callback: pass the model being trained, { model }");
      const dropWeights = () => {
        bestWeights?.forEach((w) => w.dispose());
        bestWeights = null;
      };
      return {
        onTrainBegin() {
          tracker.reset();
          dropWeights();
        },
        onEpochEnd(_epoch, logs) {
          const value = logs?.[monitor];
          if (value === undefined) throw new Error(`earlyStopping.callback: logs have no "${monitor}" (have: ${Object.keys(logs ?? {}).join(", ")})`);
          const s = tracker.update(value);
          if (restore && s.improved && model.getWeights) {
            dropWeights();
            bestWeights = model.getWeights().map((w) => w.clone());
          }
          if (s.stop) model.stopTraining = true;
        },
        onTrainEnd() {
          if (restore && bestWeights && tracker.state.stop && model.setWeights) model.setWeights(bestWeights);
          dropWeights();
        },
      };
    },
  };
  return tracker;
}
