// Messages between the engine (web server's thread) and its worker threads (worker.mjs). Only
// structured-clone data crosses: rows and outputs as Float32Array, transferred, not copied.

export type BackendChoice = "auto" | "wasm" | "cpu";
export type BackendName = "wasm" | "cpu";

export interface WorkerInit {
  type: "init";
  backend: BackendChoice;
  /** Folder holding tfjs-backend-wasm's .wasm files (read from disk: no network). */
  wasmDir: string;
  /** Models a worker keeps loaded, in bytes of weights + model.json; least recently used go first. */
  memoryBudgetBytes: number;
}

export interface WorkerPredict {
  type: "predict";
  id: number;
  key: string;
  rows: Float32Array;
  nRows: number;
  /** Sent when the engine believes this worker has not loaded the model. */
  model?: { modelJson: string; weights: ArrayBuffer };
}

export interface WorkerStatsRequest {
  type: "stats";
  id: number;
}

export interface WorkerUnload {
  type: "unload";
  key: string;
}

export type ToWorker = WorkerInit | WorkerPredict | WorkerStatsRequest | WorkerUnload;

export interface WorkerStats {
  backend: BackendName;
  /** model.predict calls (one per batch) since the worker started. */
  predictCalls: number;
  rowsPredicted: number;
  loads: number;
  evictions: number;
  /** Loaded models, least recently used first. */
  models: { key: string; bytes: number }[];
  bytes: number;
  memoryBudgetBytes: number;
}

export type FromWorker =
  | { type: "ready"; backend: BackendName }
  | { type: "init-failed"; message: string }
  | { type: "result"; id: number; ok: true; outputs: Float32Array; outputWidth: number; inputWidth: number; evicted: string[] }
  | {
      type: "result";
      id: number;
      ok: false;
      /** "missing": the worker had evicted or never got the model; the engine sends it again. */
      code: "load-failed" | "predict-failed" | "bad-input" | "missing";
      message: string;
      evicted: string[];
    }
  | { type: "stats"; id: number; stats: WorkerStats };
