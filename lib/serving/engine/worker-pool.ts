// A pool of worker threads running TensorFlow.js (worker.mjs), so that predictions never block
// the web server's event loop. Jobs (one batch of one model each) queue here and go to an idle
// worker, preferably one that has the model loaded; the pool mirrors which models each worker
// holds, sends a model's bytes only to a worker that lacks it, and replaces a worker that dies
// or hangs (its job answers worker-crashed or timeout; jobs that had not reached it run elsewhere).
import { availableParallelism } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Worker } from "node:worker_threads";
import { ServingError } from "./errors";
import type { ModelBytes } from "./model-spec";
import type { BackendChoice, BackendName, FromWorker, WorkerPredict, WorkerStats } from "./protocol";

export interface WorkerPoolOptions {
  /** Worker threads; default: the machine's cores. */
  size?: number;
  /** "auto" (default): wasm, or cpu when wasm cannot start. */
  backend?: BackendChoice;
  /** Per worker: weights + model.json bytes kept loaded (default 256 MB); least recently used are unloaded. */
  memoryBudgetBytes?: number;
  /** Jobs waiting for a worker past this are refused "overloaded" (default 10,000). */
  maxQueue?: number;
  /** A worker that takes longer for one job is stopped and replaced (default 30 s). */
  jobTimeoutMs?: number;
  /** V8 heap per worker (tensors live in wasm memory, outside it), MB; default 512. */
  maxHeapMb?: number;
  /** The project's root (default process.cwd()), where lib/serving/engine/worker.mjs and node_modules are. */
  root?: string;
  /** The parent's copy of a model's bytes, sent to a worker that has not loaded it. */
  bytesFor: (key: string) => ModelBytes | undefined;
  /** A key is no longer loaded in any worker (evicted, or its worker died). */
  onUnloaded?: (key: string) => void;
}

export interface PoolJob {
  key: string;
  rows: Float32Array;
  nRows: number;
}

export interface PoolResult {
  outputs: Float32Array;
  outputWidth: number;
  inputWidth: number;
}

interface Job extends PoolJob {
  resolve: (r: PoolResult) => void;
  reject: (e: ServingError) => void;
  resent: boolean;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  backend: BackendName | null;
  models: Set<string>;
  job: (Job & { id: number }) | null;
  timer: NodeJS.Timeout | null;
  stderr: string;
  /** Why the pool stopped it, so the exit answers the job with the right error. */
  stoppedFor: ServingError | null;
}

export class WorkerPool {
  readonly size: number;
  private readonly options: Required<Omit<WorkerPoolOptions, "onUnloaded" | "size">> & Pick<WorkerPoolOptions, "onUnloaded">;
  private readonly wasmDir: string;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private readonly statsWaiters = new Map<number, (s: WorkerStats) => void>();
  private nextId = 1;
  private started = 0;
  private startFailures = 0;
  private closed = false;
  private readyWaiters: (() => void)[] = [];

  constructor(options: WorkerPoolOptions) {
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.options = {
      backend: options.backend ?? "auto",
      memoryBudgetBytes: options.memoryBudgetBytes ?? 256 * 1024 * 1024,
      maxQueue: options.maxQueue ?? 10_000,
      jobTimeoutMs: options.jobTimeoutMs ?? 30_000,
      maxHeapMb: options.maxHeapMb ?? 512,
      root: options.root ?? process.cwd(),
      bytesFor: options.bytesFor,
      onUnloaded: options.onUnloaded,
    };
    const require_ = createRequire(join(this.options.root, "package.json"));
    this.wasmDir = dirname(require_.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
    for (let i = 0; i < this.size; i++) this.spawn();
  }

  run(job: PoolJob): Promise<PoolResult> {
    if (this.closed) return Promise.reject(new ServingError("closed", "The serving engine is shutting down"));
    if (this.startFailures >= 3) return Promise.reject(new ServingError("worker-crashed", "The serving workers could not start"));
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.reject(new ServingError("overloaded", `The server is busy (${this.queue.length} batches waiting); try again in a moment`));
    }
    return new Promise<PoolResult>((resolve, reject) => {
      this.queue.push({ ...job, resolve, reject, resent: false });
      this.dispatch();
    });
  }

  /** Resolves when every worker has started its backend; the backends they run. */
  async ready(): Promise<BackendName[]> {
    while ([...this.slots].some((s) => !s.ready) && !this.closed && this.startFailures < 3) {
      await new Promise<void>((r) => this.readyWaiters.push(r));
    }
    return [...this.slots].map((s) => s.backend).filter((b): b is BackendName => b !== null);
  }

  /** Counters and loaded models of each ready worker. */
  async stats(): Promise<WorkerStats[]> {
    const replies = [...this.slots]
      .filter((s) => s.ready)
      .map(
        (s) =>
          new Promise<WorkerStats>((resolve) => {
            const id = this.nextId++;
            this.statsWaiters.set(id, resolve);
            s.worker.postMessage({ type: "stats", id });
          }),
      );
    return Promise.all(replies);
  }

  queued(): number {
    return this.queue.length;
  }

  /** Workers started since the pool was created, replacements included. */
  startedWorkers(): number {
    return this.started;
  }

  /** Unloads a model from every worker (it was removed or replaced). */
  unload(key: string): void {
    for (const s of this.slots) {
      if (s.models.delete(key)) s.worker.postMessage({ type: "unload", key });
    }
  }

  isLoadedAnywhere(key: string): boolean {
    for (const s of this.slots) if (s.models.has(key)) return true;
    return false;
  }

  /** Stops worker i at once, as a crash would (tests check that the pool recovers). */
  crashWorkerForTest(index: number): Promise<number> {
    const slot = [...this.slots][index];
    if (!slot) throw new Error(`no worker ${index}`);
    return slot.worker.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new ServingError("closed", "The serving engine is shutting down"));
    for (const r of this.readyWaiters.splice(0)) r();
    await Promise.all([...this.slots].map((s) => s.worker.terminate()));
  }

  private spawn(): void {
    if (this.closed) return;
    const worker = new Worker(join(this.options.root, "lib", "serving", "engine", "worker.mjs"), {
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb },
      stdout: true,
      stderr: true,
      // Nothing secret (database URL, auth secret) is needed to run a model.
      env: {},
    });
    const slot: Slot = { worker, ready: false, backend: null, models: new Set(), job: null, timer: null, stderr: "", stoppedFor: null };
    this.slots.add(slot);
    this.started++;
    worker.stdout.resume();
    worker.stderr.on("data", (chunk: Buffer) => {
      slot.stderr = (slot.stderr + chunk.toString("utf8")).slice(-4096);
    });
    worker.on("message", (m: FromWorker) => this.onMessage(slot, m));
    worker.on("error", (e) => {
      slot.stderr = (slot.stderr + "\n" + String(e?.message ?? e)).slice(-4096);
    });
    worker.on("exit", () => this.onExit(slot));
    worker.postMessage({ type: "init", backend: this.options.backend, wasmDir: this.wasmDir, memoryBudgetBytes: this.options.memoryBudgetBytes });
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (m.type === "ready") {
      slot.ready = true;
      slot.backend = m.backend;
      this.startFailures = 0;
      if ([...this.slots].every((s) => s.ready)) for (const r of this.readyWaiters.splice(0)) r();
      this.dispatch();
      return;
    }
    if (m.type === "init-failed") {
      slot.stderr += `\n${m.message}`;
      void slot.worker.terminate();
      return;
    }
    if (m.type === "stats") {
      this.statsWaiters.get(m.id)?.(m.stats);
      this.statsWaiters.delete(m.id);
      return;
    }
    const job = slot.job;
    if (!job || job.id !== m.id) return;
    slot.job = null;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    for (const key of m.evicted) this.dropFrom(slot, key);
    if (m.ok) job.resolve({ outputs: m.outputs, outputWidth: m.outputWidth, inputWidth: m.inputWidth });
    else if (m.code === "missing" && !job.resent) {
      // The mirror was wrong (it should not be): send it again with the model's bytes.
      this.dropFrom(slot, job.key);
      this.queue.unshift({ ...job, resent: true });
    } else {
      if (m.code === "load-failed" || m.code === "missing") this.dropFrom(slot, job.key);
      job.reject(new ServingError(m.code === "missing" ? "load-failed" : m.code, m.message));
    }
    this.dispatch();
  }

  private dropFrom(slot: Slot, key: string): void {
    if (slot.models.delete(key) && !this.isLoadedAnywhere(key)) this.options.onUnloaded?.(key);
  }

  private onExit(slot: Slot): void {
    this.slots.delete(slot);
    if (slot.timer) clearTimeout(slot.timer);
    for (const key of [...slot.models]) this.dropFrom(slot, key);
    const job = slot.job;
    slot.job = null;
    if (job) job.reject(slot.stoppedFor ?? new ServingError("worker-crashed", "The worker running this model stopped; it has been replaced, try again"));
    if (this.closed) return;
    if (!slot.ready) {
      this.startFailures++;
      if (this.startFailures >= 3) {
        const why = slot.stderr.trim().split("\n").slice(-3).join(" ").slice(0, 500);
        for (const j of this.queue.splice(0)) j.reject(new ServingError("worker-crashed", `The serving workers could not start${why ? `: ${why}` : ""}`));
        for (const r of this.readyWaiters.splice(0)) r();
        const delay = Math.min(30_000, 1000 * 2 ** (this.startFailures - 3));
        setTimeout(() => this.spawn(), delay).unref();
        return;
      }
    }
    this.spawn();
    this.dispatch();
  }

  private dispatch(): void {
    if (!this.queue.length) return;
    const idle = [...this.slots].filter((s) => s.ready && !s.job);
    while (this.queue.length && idle.length) {
      const job = this.queue.shift()!;
      let at = idle.findIndex((s) => s.models.has(job.key));
      if (at < 0) at = 0;
      const [slot] = idle.splice(at, 1);
      this.send(slot, job);
    }
  }

  private send(slot: Slot, job: Job): void {
    const id = this.nextId++;
    const message: WorkerPredict = { type: "predict", id, key: job.key, rows: job.rows, nRows: job.nRows };
    if (!slot.models.has(job.key)) {
      const bytes = this.options.bytesFor(job.key);
      if (!bytes) {
        job.reject(new ServingError("not-found", "The model was removed"));
        return this.dispatch();
      }
      message.model = { modelJson: bytes.modelJson, weights: bytes.weights };
      slot.models.add(job.key);
    }
    slot.job = { ...job, id };
    slot.timer = setTimeout(() => {
      slot.stoppedFor = new ServingError("timeout", `The model took more than ${this.options.jobTimeoutMs / 1000} s; its worker was restarted`);
      void slot.worker.terminate();
    }, this.options.jobTimeoutMs);
    // Rows are copied, not transferred: a job sent again after "missing" still has them.
    slot.worker.postMessage(message);
  }
}
