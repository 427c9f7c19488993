// The serving engine: models registered by key (one key per immutable model version), loaded
// lazily into a pool of TensorFlow.js worker threads, requests validated and scaled here, merged
// per model by a Batcher, answered with outputs and optional class labels. A model that fails
// answers its own requests with a typed ServingError; every other model keeps answering.
// No HTTP and no database here: the endpoints call predict() with a version's key.
import { Batcher, DEFAULT_BATCH_SETTINGS, type BatchOutput, type BatchSettings } from "./batcher";
import { Deadlines, type Deadline } from "./deadlines";
import { ServingError } from "./errors";
import { checkModelSizeOrThrow, readModelShapeOrThrow, type ModelBytes } from "./model-spec";
import { checkScalingOrThrow, inverseScales, labelRows, type Label, type OutputLabels, type StandardScaling } from "./preprocess";
import type { BackendName, WorkerStats } from "./protocol";
import { packRowsOrThrow } from "./validate";
import { WorkerPool, type WorkerPoolOptions } from "./worker-pool";

export interface ModelConfig {
  /** The model's files (model.json text + weights.bin); called on first use, and again after every worker unloaded it. */
  load: () => Promise<ModelBytes> | ModelBytes;
  batching?: Partial<BatchSettings>;
  /** Standard scaling applied to each row before predict. */
  scaling?: StandardScaling;
  /** Class labels from the outputs (threshold for one output, argmax for several). */
  output?: OutputLabels;
  /** Features the registry declares; a model whose input shape disagrees fails to load. */
  inputWidth?: number;
}

export interface ServingEngineOptions extends Omit<WorkerPoolOptions, "bytesFor" | "onUnloaded"> {
  /** Per model, weights + model.json (default 50 MB). */
  maxModelBytes?: number;
  /** Rows in one predict call (default 10,000). */
  maxRowsPerRequest?: number;
  /** Requests waiting (in batchers and the pool) past this are refused "overloaded" (default 10,000). */
  maxPendingRequests?: number;
  /** A request not answered in this time rejects "timeout" (default 10 s). */
  requestTimeoutMs?: number;
  /** Batching for models that do not set their own (default 64 rows / 2 ms). */
  defaultBatching?: Partial<BatchSettings>;
}

export interface Prediction {
  /** One array of outputWidth values per input row. */
  outputs: number[][];
  outputWidth: number;
  /** Present when the model has output labels configured. */
  labels?: Label[];
}

export interface ModelInfo {
  inputWidth: number | null;
  outputWidth: number | null;
  bytes: number;
}

interface Entry {
  config: ModelConfig;
  batching: BatchSettings;
  batcher: Batcher;
  bytes: ModelBytes | null;
  fetching: Promise<ModelBytes> | null;
  inputWidth: number | null;
  outputWidth: number | null;
  inverseScale: Float64Array | undefined;
  /** A deterministic failure (bad files, too large): answered at once until the model is registered again. */
  failed: ServingError | null;
  pending: number;
  /** Every worker unloaded it while requests were waiting: drop the bytes once they are answered. */
  releaseWhenIdle: boolean;
}

export class ServingEngine {
  readonly pool: WorkerPool;
  private readonly models = new Map<string, Entry>();
  private readonly maxModelBytes: number;
  private readonly maxRows: number;
  private readonly maxPending: number;
  private readonly requestTimeoutMs: number;
  private readonly defaultBatching: BatchSettings;
  private pending = 0;
  private closed = false;
  /** Every request's timeout, on one timer (not one setTimeout per request). */
  private readonly deadlines = new Deadlines();

  constructor(options: ServingEngineOptions = {}) {
    this.maxModelBytes = options.maxModelBytes ?? 50 * 1024 * 1024;
    this.maxRows = options.maxRowsPerRequest ?? 10_000;
    this.maxPending = options.maxPendingRequests ?? 10_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.defaultBatching = { ...DEFAULT_BATCH_SETTINGS, ...options.defaultBatching };
    this.pool = new WorkerPool({
      ...options,
      bytesFor: (key) => this.models.get(key)?.bytes ?? undefined,
      onUnloaded: (key) => this.releaseBytes(key),
    });
  }

  /** Registers (or replaces) the model served under `key`; nothing loads until its first request. */
  register(key: string, config: ModelConfig): void {
    if (this.models.has(key)) this.unregister(key);
    if (config.scaling) checkScalingOrThrow(config.scaling, config.inputWidth ?? null);
    const batching = this.batchingOf(config);
    const entry: Entry = {
      config,
      batching,
      batcher: null as unknown as Batcher,
      bytes: null,
      fetching: null,
      inputWidth: null,
      outputWidth: null,
      inverseScale: config.scaling ? inverseScales(config.scaling) : undefined,
      failed: null,
      pending: 0,
      releaseWhenIdle: false,
    };
    entry.batcher = new Batcher(
      batching,
      (rows, nRows) => this.runBatch(key, entry, rows, nRows),
      // A model that throws on some rows (an embedding index out of range): only their request fails.
      (e) => e instanceof ServingError && e.code === "predict-failed",
    );
    this.models.set(key, entry);
  }

  /** Changes a model's batching, scaling or labels for the next requests. */
  configure(key: string, changes: Pick<ModelConfig, "batching" | "scaling" | "output">): void {
    const entry = this.entryOrThrow(key);
    if (changes.scaling) checkScalingOrThrow(changes.scaling, entry.inputWidth ?? entry.config.inputWidth ?? null);
    entry.config = { ...entry.config, ...changes };
    entry.inverseScale = entry.config.scaling ? inverseScales(entry.config.scaling) : undefined;
    entry.batching = this.batchingOf(entry.config);
    entry.batcher.configure(entry.batching);
  }

  unregister(key: string): void {
    const entry = this.models.get(key);
    if (!entry) return;
    this.models.delete(key);
    entry.batcher.failAll(new ServingError("not-found", "The model was removed"));
    this.pool.unload(key);
  }

  has(key: string): boolean {
    return this.models.has(key);
  }

  /** Loads the model's files (not into a worker) and tells its shape; load-failed if they are not a servable model. */
  async describe(key: string): Promise<ModelInfo> {
    const entry = this.entryOrThrow(key);
    const bytes = await this.bytesOf(entry);
    return { inputWidth: entry.inputWidth, outputWidth: entry.outputWidth, bytes: bytes.weights.byteLength + bytes.modelJson.length };
  }

  /**
   * Predicts `rows` (a list of rows, each a list of the model's input width of finite numbers).
   * Rejects with a ServingError: not-found, load-failed, bad-input, predict-failed, overloaded,
   * timeout, worker-crashed, closed.
   */
  predict(key: string, rows: unknown, options: { timeoutMs?: number } = {}): Promise<Prediction> {
    // Every request once the model's bytes are here: one promise, no await (each promise is paid
    // again by the AsyncLocalStorage hooks of Next's code in the same process); same answers as below.
    const entry = this.closed ? undefined : this.models.get(key);
    if (entry && entry.bytes && !entry.failed && this.pending < this.maxPending) return this.predictLoaded(key, entry, rows, options.timeoutMs ?? this.requestTimeoutMs);
    return this.predictOrLoad(key, rows, options);
  }

  /** predict() for a model whose bytes are loaded: rows checked and packed, batched, timed out, answered. */
  private predictLoaded(key: string, entry: Entry, rows: unknown, timeoutMs: number): Promise<Prediction> {
    this.pending++;
    entry.pending++;
    return new Promise<Prediction>((resolve, reject) => {
      let deadline: Deadline | undefined;
      let settled = false;
      const settle = () => {
        settled = true;
        deadline?.cancel();
        this.pending--;
        entry.pending--;
        if (entry.releaseWhenIdle) this.releaseBytes(key);
      };
      try {
        const width = entry.inputWidth ?? (Array.isArray(rows) && Array.isArray(rows[0]) ? rows[0].length : 0);
        const packed = packRowsOrThrow(rows, { width, maxRows: this.maxRows, mean: entry.config.scaling?.mean, inverseScale: entry.inverseScale });
        deadline = this.deadlines.add(timeoutMs, () => {
          if (settled) return;
          settle();
          reject(new ServingError("timeout", `No answer within ${timeoutMs} ms`));
        });
        entry.batcher.enqueue(
          packed,
          (rows as unknown[]).length,
          (out) => {
            if (settled) return;
            settle();
            try {
              resolve(this.toPrediction(entry, out));
            } catch (e) {
              reject(e);
            }
          },
          (e) => {
            if (settled) return;
            settle();
            reject(e);
          },
        );
      } catch (e) {
        if (!settled) settle();
        reject(e);
      }
    });
  }

  /** predict() before the model's bytes are here (or when it must answer an error): loads, then predictLoaded. */
  private async predictOrLoad(key: string, rows: unknown, options: { timeoutMs?: number }): Promise<Prediction> {
    if (this.closed) throw new ServingError("closed", "The serving engine is shutting down");
    const entry = this.entryOrThrow(key);
    if (entry.failed) throw entry.failed;
    if (this.pending >= this.maxPending) throw new ServingError("overloaded", `The server is busy (${this.pending} requests waiting); try again in a moment`);
    // The load counts as pending: a worker unloading the model meanwhile leaves its bytes here.
    this.pending++;
    entry.pending++;
    try {
      await this.bytesOf(entry);
      if (entry.failed) throw entry.failed;
      if (this.closed) throw new ServingError("closed", "The serving engine is shutting down");
    } catch (e) {
      this.pending--;
      entry.pending--;
      if (entry.releaseWhenIdle) this.releaseBytes(key);
      throw e;
    }
    // Handed over to predictLoaded in the same tick (it counts the request as pending again).
    this.pending--;
    entry.pending--;
    return this.predictLoaded(key, entry, rows, options.timeoutMs ?? this.requestTimeoutMs);
  }

  /** Resolves when every worker has started; the backend each runs. */
  ready(): Promise<BackendName[]> {
    return this.pool.ready();
  }

  async workerStats(): Promise<WorkerStats[]> {
    return this.pool.stats();
  }

  stats(): { models: number; pendingRequests: number; queuedBatches: number; workersStarted: number } {
    return { models: this.models.size, pendingRequests: this.pending, queuedBatches: this.pool.queued(), workersStarted: this.pool.startedWorkers() };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.models.values()) entry.batcher.failAll(new ServingError("closed", "The serving engine is shutting down"));
    await this.pool.close();
  }

  private entryOrThrow(key: string): Entry {
    const entry = this.models.get(key);
    if (!entry) throw new ServingError("not-found", `No model is served as "${key}"`);
    return entry;
  }

  private batchingOf(config: ModelConfig): BatchSettings {
    const b = { ...this.defaultBatching, ...config.batching };
    if (!Number.isInteger(b.maxBatchSize) || b.maxBatchSize < 1) throw new ServingError("bad-input", "maxBatchSize must be a whole number ≥ 1");
    if (!Number.isFinite(b.maxLatencyMs) || b.maxLatencyMs < 0) throw new ServingError("bad-input", "maxLatencyMs must be ≥ 0");
    return b;
  }

  /** The model's bytes in this thread (fetched once however many requests wait), checked. */
  private bytesOf(entry: Entry): Promise<ModelBytes> {
    if (entry.bytes) return Promise.resolve(entry.bytes);
    entry.fetching ??= (async () => {
      try {
        const bytes = await entry.config.load();
        if (!bytes || typeof bytes.modelJson !== "string" || !(bytes.weights instanceof ArrayBuffer)) {
          throw new ServingError("load-failed", "The model's files are missing (model.json text and weights.bin bytes)");
        }
        try {
          checkModelSizeOrThrow(bytes, this.maxModelBytes);
          const shape = readModelShapeOrThrow(bytes.modelJson);
          const declared = entry.config.inputWidth;
          if (declared !== undefined && shape.inputWidth !== null && declared !== shape.inputWidth) {
            throw new ServingError("load-failed", `The model takes ${shape.inputWidth} features; ${declared} are declared`);
          }
          entry.inputWidth = shape.inputWidth ?? entry.inputWidth;
          entry.outputWidth = shape.outputWidth ?? entry.outputWidth;
          if (entry.config.scaling) checkScalingOrThrow(entry.config.scaling, entry.inputWidth);
        } catch (e) {
          // The files themselves are wrong: the same answer until the model is registered again.
          if (e instanceof ServingError) entry.failed = new ServingError("load-failed", e.message);
          throw entry.failed ?? e;
        }
        entry.bytes = bytes;
        return bytes;
      } catch (e) {
        if (e instanceof ServingError) throw e;
        // The store failed (not the model): not remembered, the next request tries again.
        throw new ServingError("load-failed", `The model's files could not be read: ${(e as Error)?.message ?? String(e)}`);
      } finally {
        entry.fetching = null;
      }
    })();
    return entry.fetching;
  }

  private async runBatch(key: string, entry: Entry, rows: Float32Array, nRows: number): Promise<BatchOutput> {
    try {
      const r = await this.pool.run({ key, rows, nRows });
      entry.inputWidth = r.inputWidth;
      entry.outputWidth = r.outputWidth;
      return r;
    } catch (e) {
      if (e instanceof ServingError && e.code === "load-failed" && this.models.get(key) === entry) entry.failed = e;
      throw e;
    }
  }

  /** Drops this thread's copy of a model's bytes once no worker holds it (evicted, or its worker died) and nothing waits for it. */
  private releaseBytes(key: string): void {
    const entry = this.models.get(key);
    if (!entry || this.pool.isLoadedAnywhere(key)) return;
    if (entry.pending > 0 || entry.fetching) entry.releaseWhenIdle = true;
    else {
      entry.bytes = null;
      entry.releaseWhenIdle = false;
    }
  }

  private toPrediction(entry: Entry, { outputs, outputWidth }: BatchOutput): Prediction {
    const n = outputs.length / outputWidth;
    const rows: number[][] = new Array(n);
    for (let r = 0; r < n; r++) rows[r] = Array.from(outputs.subarray(r * outputWidth, (r + 1) * outputWidth));
    const prediction: Prediction = { outputs: rows, outputWidth };
    if (entry.config.output) prediction.labels = labelRows(outputs, outputWidth, entry.config.output);
    return prediction;
  }
}

export function createServingEngine(options: ServingEngineOptions = {}): ServingEngine {
  return new ServingEngine(options);
}
