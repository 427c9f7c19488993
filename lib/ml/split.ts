/**
 * Data splitting, following `sklearn.model_selection`: {@link trainTestSplit},
 * {@link trainValTestSplit} and the cross-validation index generators {@link kFold},
 * {@link stratifiedKFold}, {@link groupKFold} and {@link timeSeriesSplit}.
 *
 * Without shuffling, the indices equal scikit-learn's exactly. Shuffling uses the seeded
 * generator from `./random` (not numpy's), so shuffled splits are reproducible for a given
 * `seed` but differ from scikit-learn's for the same number.
 *
 * @packageDocumentation
 */
import { isTensorLike, lengthOf, take, type TensorLike } from "./array";
import { createRng, type Rng } from "./random";

/** One cross-validation fold: sorted row indices for training and testing. */
export interface Fold {
  train: number[];
  test: number[];
}

/** Something with rows: an array, typed array or tensor (rows come back as plain arrays). */
export type Splittable = ArrayLike<unknown> | TensorLike;

type Rows<A> = A extends TensorLike ? unknown[] : A extends ArrayLike<infer E> ? E[] : unknown[];
type Pairs<A extends readonly unknown[]> = A extends readonly [infer H, ...infer R] ? [Rows<H>, Rows<H>, ...Pairs<R>] : unknown[][];
type Triples<A extends readonly unknown[]> = A extends readonly [infer H, ...infer R] ? [Rows<H>, Rows<H>, Rows<H>, ...Triples<R>] : unknown[][];

/** Indices attached to a split result. */
export interface SplitIndices {
  trainIndex: number[];
  testIndex: number[];
}

/** Result of {@link trainTestSplit}: `[aTrain, aTest, bTrain, bTest, …]` plus the indices. */
export type TrainTestSplitResult<A extends readonly unknown[]> = Pairs<A> & SplitIndices;

/** Result of {@link trainValTestSplit}: `[aTrain, aVal, aTest, bTrain, …]` plus the indices. */
export type TrainValTestSplitResult<A extends readonly unknown[]> = Triples<A> & SplitIndices & { valIndex: number[] };

/** Options for {@link trainTestSplit}. */
export interface TrainTestSplitOptions {
  /** Fraction (0, 1) or absolute number of test rows. Default 0.25 when `trainSize` is unset too. */
  testSize?: number;
  /** Fraction (0, 1) or absolute number of training rows. Default: the complement of `testSize`. */
  trainSize?: number;
  /** Shuffle before splitting. Default true. */
  shuffle?: boolean;
  /** Seed for the shuffle. Default 0. */
  seed?: number;
  /** Class labels to stratify by (keeps each class's share in both parts). Needs `shuffle`. */
  stratify?: ArrayLike<number | string> | TensorLike;
}

function rowsOf(a: Splittable): ArrayLike<unknown> {
  if (isTensorLike(a)) {
    const v = a.arraySync();
    if (!Array.isArray(v)) throw new TypeError("split: a tensor must have at least one dimension");
    return v;
  }
  return a;
}

function resolveSizes(n: number, testSize: number | undefined, trainSize: number | undefined): [number, number] {
  if (testSize === undefined && trainSize === undefined) testSize = 0.25;
  const check = (v: number | undefined, name: string) => {
    if (v === undefined) return;
    if (Number.isInteger(v) ? v <= 0 || v >= n : v <= 0 || v >= 1) {
      throw new Error(`${name}=${v} should be a fraction in (0, 1) or an integer in [1, ${n - 1}]`);
    }
  };
  check(testSize, "testSize");
  check(trainSize, "trainSize");
  let nTest = testSize === undefined ? undefined : Number.isInteger(testSize) ? testSize : Math.ceil(testSize * n);
  let nTrain = trainSize === undefined ? undefined : Number.isInteger(trainSize) ? trainSize : Math.floor(trainSize * n);
  if (nTrain === undefined) nTrain = n - (nTest as number);
  if (nTest === undefined) nTest = n - nTrain;
  if (nTrain + nTest > n) throw new Error(`trainSize + testSize = ${nTrain + nTest} exceeds the number of samples ${n}`);
  if (nTrain === 0) throw new Error(`with n_samples=${n}, the resulting train set would be empty`);
  return [nTrain, nTest];
}

/** sklearn's `_approximate_mode`: integer draws per class closest to proportional, random ties. */
function approximateMode(counts: number[], nDraws: number, rng: Rng): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const cont = counts.map((c) => (c / total) * nDraws);
  const floored = cont.map(Math.floor);
  let need = nDraws - floored.reduce((a, b) => a + b, 0);
  if (need > 0) {
    const rem = cont.map((c, i) => c - floored[i]);
    const values = Array.from(new Set(rem)).sort((a, b) => b - a);
    for (const v of values) {
      const inds = rng.shuffle(rem.map((r, i) => (r === v ? i : -1)).filter((i) => i >= 0));
      const add = Math.min(inds.length, need);
      for (let k = 0; k < add; k++) floored[inds[k]] += 1;
      need -= add;
      if (need === 0) break;
    }
  }
  return floored;
}

function groupIndices(y: ArrayLike<unknown>): { classes: unknown[]; members: number[][] } {
  const map = new Map<unknown, number[]>();
  for (let i = 0; i < y.length; i++) {
    const k = y[i];
    if (!map.has(k)) map.set(k, []);
    (map.get(k) as number[]).push(i);
  }
  const classes = Array.from(map.keys()).sort(compareValues);
  return { classes, members: classes.map((c) => map.get(c) as number[]) };
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function splitIndices(n: number, options: TrainTestSplitOptions): SplitIndices {
  const [nTrain, nTest] = resolveSizes(n, options.testSize, options.trainSize);
  const shuffle = options.shuffle ?? true;
  if (!shuffle) {
    if (options.stratify !== undefined) throw new Error("stratified train/test split is not implemented for shuffle=false (as sklearn)");
    return {
      trainIndex: Array.from({ length: nTrain }, (_, i) => i),
      testIndex: Array.from({ length: nTest }, (_, i) => nTrain + i),
    };
  }
  const rng = createRng(options.seed ?? 0);
  if (options.stratify === undefined) {
    const perm = rng.permutation(n);
    return { testIndex: perm.slice(0, nTest), trainIndex: perm.slice(nTest, nTest + nTrain) };
  }
  const strat = rowsOf(options.stratify);
  if (strat.length !== n) throw new Error(`stratify has ${strat.length} rows but the arrays have ${n}`);
  const { classes, members } = groupIndices(strat);
  const counts = members.map((m) => m.length);
  if (Math.min(...counts) < 2) throw new Error("stratify: the least populated class has only 1 member; every class needs at least 2");
  if (nTrain < classes.length) throw new Error(`stratify: the train size ${nTrain} should be >= the number of classes ${classes.length}`);
  if (nTest < classes.length) throw new Error(`stratify: the test size ${nTest} should be >= the number of classes ${classes.length}`);
  const nI = approximateMode(counts, nTrain, rng);
  const tI = approximateMode(counts.map((c, i) => c - nI[i]), nTest, rng);
  const train: number[] = [];
  const test: number[] = [];
  members.forEach((m, k) => {
    const perm = rng.shuffle([...m]);
    train.push(...perm.slice(0, nI[k]));
    test.push(...perm.slice(nI[k], nI[k] + tI[k]));
  });
  return { trainIndex: rng.shuffle(train), testIndex: rng.shuffle(test) };
}

function checkLengths(arrays: readonly Splittable[]): number {
  if (arrays.length === 0) throw new Error("split: at least one array is required");
  const n = lengthOf(arrays[0] as never);
  arrays.forEach((a, i) => {
    const m = lengthOf(a as never);
    if (m !== n) throw new Error(`split: array ${i} has ${m} rows but array 0 has ${n}`);
  });
  return n;
}

/**
 * Splits arrays into random train and test subsets (as `train_test_split`).
 *
 * @param arrays - arrays with the same number of rows, e.g. `[X, y]`.
 * @returns `[aTrain, aTest, bTrain, bTest, …]` (sklearn's order), with `trainIndex` and
 *   `testIndex` properties holding the row indices used.
 *
 * @example
 * ```ts
 * const [Xtr, Xte, ytr, yte] = ml.split.trainTestSplit([X, y], { testSize: 0.2, seed: 0, stratify: y });
 * ```
 */
export function trainTestSplit<A extends Splittable[] | []>(arrays: A, options: TrainTestSplitOptions = {}): TrainTestSplitResult<A> {
  const n = checkLengths(arrays);
  const idx = splitIndices(n, options);
  const out: unknown[][] = [];
  for (const a of arrays) {
    const rows = rowsOf(a);
    out.push(take(rows, idx.trainIndex), take(rows, idx.testIndex));
  }
  return Object.assign(out, idx) as unknown as TrainTestSplitResult<A>;
}

/** Options for {@link trainValTestSplit}. */
export interface TrainValTestSplitOptions {
  /** Fraction (0, 1) of all rows, or absolute count, for validation. Default 0.2. */
  valSize?: number;
  /** Fraction (0, 1) of all rows, or absolute count, for testing. Default 0.2. */
  testSize?: number;
  /** Shuffle before splitting. Default true. */
  shuffle?: boolean;
  /** Seed. Default 0. */
  seed?: number;
  /** Class labels to stratify by. */
  stratify?: ArrayLike<number | string> | TensorLike;
}

/**
 * Three-way split: test rows are split off first, then validation rows from the rest.
 *
 * @returns `[aTrain, aVal, aTest, bTrain, bVal, bTest, …]` with `trainIndex`, `valIndex`
 *   and `testIndex` properties.
 *
 * @example
 * ```ts
 * const [Xtr, Xval, Xte, ytr, yval, yte] = ml.split.trainValTestSplit([X, y], { valSize: 0.15, testSize: 0.15, seed: 1 });
 * ```
 */
export function trainValTestSplit<A extends Splittable[] | []>(arrays: A, options: TrainValTestSplitOptions = {}): TrainValTestSplitResult<A> {
  const n = checkLengths(arrays);
  const abs = (v: number) => (Number.isInteger(v) ? v : Math.ceil(v * n));
  const nTest = abs(options.testSize ?? 0.2);
  const nVal = abs(options.valSize ?? 0.2);
  if (nTest + nVal >= n) throw new Error(`trainValTestSplit: valSize + testSize leave no training rows (n=${n})`);
  const strat = options.stratify === undefined ? undefined : rowsOf(options.stratify);
  const first = splitIndices(n, { testSize: nTest, shuffle: options.shuffle, seed: options.seed, stratify: strat as ArrayLike<number> });
  const rest = first.trainIndex;
  const second = splitIndices(rest.length, {
    testSize: nVal,
    shuffle: options.shuffle,
    seed: (options.seed ?? 0) + 1,
    stratify: strat === undefined ? undefined : (take(strat, rest) as number[]),
  });
  const trainIndex = take(rest, second.trainIndex);
  const valIndex = take(rest, second.testIndex);
  const testIndex = first.testIndex;
  const out: unknown[][] = [];
  for (const a of arrays) {
    const rows = rowsOf(a);
    out.push(take(rows, trainIndex), take(rows, valIndex), take(rows, testIndex));
  }
  return Object.assign(out, { trainIndex, valIndex, testIndex }) as unknown as TrainValTestSplitResult<A>;
}

/** Options for {@link kFold} and {@link stratifiedKFold}. */
export interface KFoldOptions {
  /** Number of folds, at least 2. Default 5. */
  nSplits?: number;
  /** Shuffle before folding. Default false. */
  shuffle?: boolean;
  /** Seed used when `shuffle` is true. Default 0. */
  seed?: number;
}

function complement(n: number, test: number[]): number[] {
  const inTest = new Uint8Array(n);
  for (const i of test) inTest[i] = 1;
  const train: number[] = [];
  for (let i = 0; i < n; i++) if (!inTest[i]) train.push(i);
  return train;
}

function checkSplits(nSplits: number, n: number, fn: string) {
  if (!Number.isInteger(nSplits) || nSplits < 2) throw new Error(`${fn}: nSplits must be an integer >= 2, got ${nSplits}`);
  if (nSplits > n) throw new Error(`${fn}: cannot have nSplits=${nSplits} greater than the number of samples n=${n}`);
}

/**
 * K-fold cross-validation indices (as `KFold`): consecutive folds, the first `n % nSplits`
 * folds one row larger.
 *
 * @param n - number of rows, or an array whose length is used.
 */
export function kFold(n: number | Splittable, options: KFoldOptions = {}): Fold[] {
  const size = typeof n === "number" ? n : lengthOf(n as never);
  const nSplits = options.nSplits ?? 5;
  checkSplits(nSplits, size, "kFold");
  const order = Array.from({ length: size }, (_, i) => i);
  if (options.shuffle) createRng(options.seed ?? 0).shuffle(order);
  const folds: Fold[] = [];
  let start = 0;
  for (let k = 0; k < nSplits; k++) {
    const len = Math.floor(size / nSplits) + (k < size % nSplits ? 1 : 0);
    const test = order.slice(start, start + len).sort((a, b) => a - b);
    start += len;
    folds.push({ train: complement(size, test), test });
  }
  return folds;
}

/**
 * Stratified K-fold indices (as `StratifiedKFold`, same algorithm): each fold keeps the
 * class proportions of `y`.
 */
export function stratifiedKFold(y: ArrayLike<number | string> | TensorLike, options: KFoldOptions = {}): Fold[] {
  const labels = rowsOf(y);
  const n = labels.length;
  const nSplits = options.nSplits ?? 5;
  checkSplits(nSplits, n, "stratifiedKFold");
  // classes numbered in order of first appearance (sklearn's y_encoded)
  const code = new Map<unknown, number>();
  const enc = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    if (!code.has(labels[i])) code.set(labels[i], code.size);
    enc[i] = code.get(labels[i]) as number;
  }
  const nClasses = code.size;
  const counts = new Array<number>(nClasses).fill(0);
  enc.forEach((c) => counts[c]++);
  if (Math.max(...counts) < nSplits) throw new Error(`stratifiedKFold: nSplits=${nSplits} is greater than the number of members in each class`);
  const sorted = [...enc].sort((a, b) => a - b);
  const allocation = Array.from({ length: nSplits }, (_, f) => {
    const row = new Array<number>(nClasses).fill(0);
    for (let i = f; i < n; i += nSplits) row[sorted[i]]++;
    return row;
  });
  const rng = options.shuffle ? createRng(options.seed ?? 0) : null;
  const testFold = new Array<number>(n);
  for (let k = 0; k < nClasses; k++) {
    const foldsForClass: number[] = [];
    for (let f = 0; f < nSplits; f++) for (let r = 0; r < allocation[f][k]; r++) foldsForClass.push(f);
    if (rng) rng.shuffle(foldsForClass);
    let j = 0;
    for (let i = 0; i < n; i++) if (enc[i] === k) testFold[i] = foldsForClass[j++];
  }
  return Array.from({ length: nSplits }, (_, f) => {
    const test: number[] = [];
    for (let i = 0; i < n; i++) if (testFold[i] === f) test.push(i);
    return { train: complement(n, test), test };
  });
}

/** Options for {@link groupKFold}. */
export interface GroupKFoldOptions {
  /** Number of folds, at least 2 and at most the number of groups. Default 5. */
  nSplits?: number;
}

/**
 * K-fold with non-overlapping groups (as `GroupKFold`): the same group never appears in
 * both train and test. Groups are assigned largest first to the lightest fold.
 */
export function groupKFold(groups: ArrayLike<number | string> | TensorLike, options: GroupKFoldOptions = {}): Fold[] {
  const g = rowsOf(groups);
  const n = g.length;
  const nSplits = options.nSplits ?? 5;
  const { classes, members } = groupIndices(g);
  if (nSplits > classes.length) throw new Error(`groupKFold: cannot have nSplits=${nSplits} greater than the number of groups ${classes.length}`);
  checkSplits(nSplits, n, "groupKFold");
  const sizes = members.map((m) => m.length);
  // numpy: argsort(sizes)[::-1]  (stable ascending sort, then reversed)
  const order = sizes.map((_, i) => i).sort((a, b) => sizes[a] - sizes[b] || a - b).reverse();
  const foldWeight = new Array<number>(nSplits).fill(0);
  const groupToFold = new Array<number>(classes.length);
  for (const gi of order) {
    let light = 0;
    for (let f = 1; f < nSplits; f++) if (foldWeight[f] < foldWeight[light]) light = f;
    foldWeight[light] += sizes[gi];
    groupToFold[gi] = light;
  }
  const rowFold = new Array<number>(n);
  members.forEach((m, gi) => m.forEach((i) => (rowFold[i] = groupToFold[gi])));
  return Array.from({ length: nSplits }, (_, f) => {
    const test: number[] = [];
    for (let i = 0; i < n; i++) if (rowFold[i] === f) test.push(i);
    return { train: complement(n, test), test };
  });
}

/** Options for {@link timeSeriesSplit}. */
export interface TimeSeriesSplitOptions {
  /** Number of splits. Default 5. */
  nSplits?: number;
  /** Rows per test fold. Default `floor(n / (nSplits + 1))`. */
  testSize?: number;
  /** Rows dropped between the end of train and the start of test. Default 0. */
  gap?: number;
  /** Keep at most this many most recent training rows. */
  maxTrainSize?: number;
}

/**
 * Time-ordered splits (as `TimeSeriesSplit`): each test fold follows its training rows, and
 * training sets grow (or slide, with `maxTrainSize`).
 *
 * @param n - number of rows, or an array whose length is used.
 */
export function timeSeriesSplit(n: number | Splittable, options: TimeSeriesSplitOptions = {}): Fold[] {
  const size = typeof n === "number" ? n : lengthOf(n as never);
  const nSplits = options.nSplits ?? 5;
  const gap = options.gap ?? 0;
  if (!Number.isInteger(nSplits) || nSplits < 2) throw new Error(`timeSeriesSplit: nSplits must be an integer >= 2`);
  const nFolds = nSplits + 1;
  const testSize = options.testSize ?? Math.floor(size / nFolds);
  if (nFolds > size) throw new Error(`timeSeriesSplit: cannot have nFolds=${nFolds} greater than the number of samples ${size}`);
  if (size - gap - testSize * nSplits <= 0) {
    throw new Error(`timeSeriesSplit: too many splits=${nSplits} for number of samples=${size} with testSize=${testSize} and gap=${gap}`);
  }
  const folds: Fold[] = [];
  for (let start = size - nSplits * testSize; start < size; start += testSize) {
    const trainEnd = start - gap;
    const from = options.maxTrainSize !== undefined && options.maxTrainSize < trainEnd ? trainEnd - options.maxTrainSize : 0;
    folds.push({
      train: Array.from({ length: trainEnd - from }, (_, i) => from + i),
      test: Array.from({ length: Math.min(testSize, size - start) }, (_, i) => start + i),
    });
  }
  return folds;
}
