// Dynamic batching for one model version (TF Serving's max_batch_size / batch_timeout): requests
// that arrive within maxLatencyMs of the oldest waiting one are merged, up to maxBatchSize rows,
// into one model.predict; each caller gets its own slice of the outputs back. A request larger
// than maxBatchSize runs alone (never split); maxBatchSize 1 turns batching off.

export interface BatchSettings {
  /** Rows merged into one predict call at most (default 64; 1 = no batching). */
  maxBatchSize: number;
  /** How long the oldest waiting request may wait for others, ms (default 2; 0 = only those arriving in the same tick). */
  maxLatencyMs: number;
}

export const DEFAULT_BATCH_SETTINGS: BatchSettings = { maxBatchSize: 64, maxLatencyMs: 2 };

export interface BatchOutput {
  /** Row-major: nRows × outputWidth. */
  outputs: Float32Array;
  outputWidth: number;
}

/** Runs one merged batch (rows × width, row-major). */
export type RunBatch = (rows: Float32Array, nRows: number) => Promise<BatchOutput>;

interface Waiting {
  rows: Float32Array;
  nRows: number;
  resolve: (out: BatchOutput) => void;
  reject: (e: unknown) => void;
}

export class Batcher {
  private queue: Waiting[] = [];
  private queuedRows = 0;
  private timer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | null = null;

  /**
   * @param isolate For an error of a merged batch that may come from one request's rows (the model
   *   threw on them), true: each request of that batch is run again alone, so only the one at fault fails.
   */
  constructor(
    private settings: BatchSettings,
    private readonly run: RunBatch,
    private readonly isolate: (error: unknown) => boolean = () => false,
  ) {}

  /** Settings change for the next batch (the endpoint's settings were edited). */
  configure(settings: BatchSettings): void {
    this.settings = settings;
  }

  get waiting(): number {
    return this.queue.length;
  }

  add(rows: Float32Array, nRows: number): Promise<BatchOutput> {
    return new Promise<BatchOutput>((resolve, reject) => this.enqueue(rows, nRows, resolve, reject));
  }

  /**
   * add() with callbacks instead of a promise of its own: a caller that wraps the answer in its own
   * promise (the engine: with a timeout) creates no second one (every promise is paid again by the
   * AsyncLocalStorage hooks that Next's code in the same process enables). Exactly one of them is called.
   */
  enqueue(rows: Float32Array, nRows: number, resolve: (out: BatchOutput) => void, reject: (e: unknown) => void): void {
    this.queue.push({ rows, nRows, resolve, reject });
    this.queuedRows += nRows;
    if (this.settings.maxBatchSize <= 1 || this.queuedRows >= this.settings.maxBatchSize) this.flushFull();
    else this.arm();
  }

  /** Answers everything waiting with `error` (the engine is closing or the model was removed). */
  failAll(error: unknown): void {
    this.disarm();
    for (const w of this.queue.splice(0)) w.reject(error);
    this.queuedRows = 0;
  }

  private arm(): void {
    if (this.timer || !this.queue.length) return;
    const fire = () => {
      this.timer = null;
      this.flushAll();
    };
    this.timer = this.settings.maxLatencyMs > 0 ? setTimeout(fire, this.settings.maxLatencyMs) : setImmediate(fire);
  }

  private disarm(): void {
    if (!this.timer) return;
    clearTimeout(this.timer as ReturnType<typeof setTimeout>);
    clearImmediate(this.timer as ReturnType<typeof setImmediate>);
    this.timer = null;
  }

  /** Sends full batches now; what is left keeps waiting on the timer (the oldest's deadline). */
  private flushFull(): void {
    while (this.queue.length && (this.settings.maxBatchSize <= 1 || this.queuedRows >= this.settings.maxBatchSize)) this.sendOne();
    if (!this.queue.length) this.disarm();
    else this.arm();
  }

  private flushAll(): void {
    while (this.queue.length) this.sendOne();
  }

  private sendOne(): void {
    const max = Math.max(1, this.settings.maxBatchSize);
    let n = 0;
    let rows = 0;
    while (n < this.queue.length && (n === 0 || rows + this.queue[n].nRows <= max)) rows += this.queue[n++].nRows;
    const batch = this.queue.splice(0, n);
    this.queuedRows -= rows;
    let packed: Float32Array;
    if (batch.length === 1) packed = batch[0].rows;
    else {
      packed = new Float32Array(batch.reduce((s, w) => s + w.rows.length, 0));
      let at = 0;
      for (const w of batch) {
        packed.set(w.rows, at);
        at += w.rows.length;
      }
    }
    this.run(packed, rows).then(
      ({ outputs, outputWidth }) => {
        let row = 0;
        for (const w of batch) {
          w.resolve({ outputs: batch.length === 1 ? outputs : outputs.slice(row * outputWidth, (row + w.nRows) * outputWidth), outputWidth });
          row += w.nRows;
        }
      },
      (e: unknown) => {
        if (batch.length > 1 && this.isolate(e)) {
          for (const w of batch) this.run(w.rows, w.nRows).then(w.resolve, w.reject);
        } else for (const w of batch) w.reject(e);
      },
    );
  }
}
