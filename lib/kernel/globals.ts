// The globals the kernel gives every cell, in one place: their names (KERNEL_GLOBALS) feed the
// runtime, the dependency analysis (names no cell has to define) and the editor, and their types
// (KernelGlobals) are what scripts/notebook-types.mjs emits declarations from, TSDoc included —
// nothing about a global is written twice. A global added here without an implementation, or
// installed by the runtime without being listed, fails tests/unit/kernel/globals.test.ts.

import type * as TfModule from "@tensorflow/tfjs";
import type { ImageDataset, TableDataset } from "@/lib/datasets/types";
import type * as MlModule from "@/lib/ml";
import type * as ShowModule from "@/lib/show";
import type { HistoryOptions } from "@/lib/show";
import type { TrackApi } from "@/lib/tracking-client/notebook-api";
import type { ChallengeSubmitResult, ChallengeSummary } from "./challenge";
import type { EndpointsApi } from "./endpoints";

/* eslint-disable @typescript-eslint/no-explicit-any -- cells read server JSON freely (Loose) */

/** Datasets whose `data.load` gives images (content/datasets/catalog.json, kind "images"). */
export type ImageDatasetName = "digits";
export const IMAGE_DATASET_NAMES = ["digits"] as const satisfies readonly ImageDatasetName[];

/** The `show` builders a cell calls as `show.<name>(…)`; each appends an output to the running cell. */
export const SHOW_METHODS = ["table", "line", "scatter", "bar", "histogram", "confusion", "roc", "pr", "images", "markdown", "html", "json", "tensor"] as const;
export type ShowMethod = (typeof SHOW_METHODS)[number];

type Displayed<F> = F extends (...args: infer A) => unknown ? (...args: A) => void : never;

/** A tfjs callback (`onEpochEnd`, `onBatchEnd`) that redraws the training curves every epoch. */
export interface ShowHistoryCallback {
  onEpochEnd(epoch: number, logs?: Record<string, number>): Promise<void>;
  onBatchEnd(): Promise<void>;
}

/** `show`: outputs. Each call appends a table, chart or text to the running cell's outputs. */
export type ShowGlobal = { [K in keyof Pick<typeof ShowModule, ShowMethod>]: Displayed<(typeof ShowModule)[K]> } & {
  /** Live training curves: `await model.fit(x, y, { epochs: 20, callbacks: [show.history()] })`. */
  history(options?: HistoryOptions): ShowHistoryCallback;
};

/** `data`: the datasets Cuaderno serves (fraud, magnet-signals, split-200, digits, sales-daily, …). */
export interface DataGlobal {
  /** Loads an image dataset: `const digits = await data.load("digits")`. */
  load(name: ImageDatasetName): Promise<ImageDataset>;
  /** Loads a table by name (`"fraud"`, or `"challenge:<id>"` for a challenge's test features): `const fraud = await data.load("fraud")`. */
  load(name: string): Promise<TableDataset>;
  /** Names of the datasets loaded or registered so far. */
  list(): string[];
}

/** `challenge`: a class's model challenges; test features with `data.load("challenge:<id>")`, predictions scored on the server. */
export interface ChallengeGlobal {
  /** Predictions in the features file's order (numbers; 0/1 for F1-type metrics) or `{ id, prediction }` rows. A refused file throws and does not count. */
  submit(id: string, predictions: ArrayLike<number> | { id: string | number; prediction: number }[] | TfModule.Tensor): Promise<ChallengeSubmitResult>;
  /** The challenges of your classes. */
  list(): Promise<ChallengeSummary[]>;
}

/** Runs SQL on DuckDB-Wasm; loaded datasets are tables by name. Interpolated values are bound parameters: ``await sql`SELECT * FROM fraud WHERE amount > ${limit}` ``. */
export type SqlTag = (strings: TemplateStringsArray | string, ...values: unknown[]) => Promise<TableDataset>;

/** Throws `message` when `condition` is false: the checks of exercises. */
export type CheckFunction = (condition: unknown, message?: string) => asserts condition;

/** Server JSON as a notebook sees it: what a library types `unknown`, a cell may use as it likes (`any`). */
type Loose<T> = unknown extends T ? any : T extends readonly (infer U)[] ? Loose<U>[] : T;
type LooseResults<Api> = {
  [K in keyof Api]: Api[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => Promise<Loose<R>> : Api[K];
};

/** Model endpoints: `predict` answers with the model's outputs (TF Serving JSON). */
export type EndpointsGlobal = LooseResults<EndpointsApi>;

/** Every global a cell sees besides the language's own, with the type it has there. */
export interface KernelGlobals {
  /** TensorFlow.js 4 (`@tensorflow/tfjs`) on the calibrated backend (WebGPU, WebGL, WASM or CPU). */
  tf: typeof TfModule;
  /**
   * Cuaderno's ML library, in scikit-learn's argument order: `ml.metrics`, `ml.split`, `ml.resample`,
   * `ml.losses`, `ml.preprocess`, `ml.augment`, `ml.drift`, `ml.baselines`, `ml.select`, `ml.models`,
   * `ml.ensemble`, `ml.explain`, `ml.random`.
   */
  ml: typeof MlModule;
  /** The datasets Cuaderno serves: `const fraud = await data.load("fraud")`. */
  data: DataGlobal;
  /** SQL on DuckDB-Wasm over the loaded datasets: ``await sql`SELECT count(*) FROM fraud` ``. */
  sql: SqlTag;
  /** Outputs: tables, charts, images and text appended to the running cell. */
  show: ShowGlobal;
  /** Experiment tracking (MLflow-style runs): `await track.run("baseline", { lr: 0.01 }, async (run) => { … })`. */
  track: TrackApi;
  /** Throws `message` when `condition` is false (exercise checks). */
  check: CheckFunction;
  /** A class's model challenges: `await challenge.submit(id, predictions)`. */
  challenge: ChallengeGlobal;
  /** Model endpoints served by this app (TF Serving REST): yours and those shared with your classes. */
  endpoints: EndpointsGlobal;
}

export type KernelGlobalName = keyof KernelGlobals;

// A record, not an array, so the compiler holds it to exactly KernelGlobals' keys.
const NAMES = { tf: true, ml: true, data: true, sql: true, show: true, track: true, check: true, challenge: true, endpoints: true } satisfies Record<KernelGlobalName, true>;

/** The names of the kernel's globals, as cells see them. */
export const KERNEL_GLOBALS = Object.freeze(Object.keys(NAMES) as KernelGlobalName[]);

/** Host globals the kernel re-binds for cells (their type is the language's own: no declaration of ours). */
export const REBOUND_HOST_GLOBALS = Object.freeze(["console"] as const);
