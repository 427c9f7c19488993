// The tracking client: logging calls return at once; points are batched in memory (a batch is
// written every `flushMs` or `maxBatchPoints` points) into the IndexedDB outbox with a batch id
// made once, and a single sender drains the outbox to the MLflow REST API with backoff. The
// server applies a batch id at most once, so retries never duplicate; guests' runs wait in the
// outbox and are uploaded (created, then replayed) once the page says someone is signed in.

import { webLocksLiveness, type Liveness } from "./liveness";
import { Outbox } from "./outbox";
import { MlflowTransport, TransportError, type FetchFn } from "./transport";
import type { KeyValue, LocalRun, MetricOut, NotebookContext, Op, RunProvenance, RunStatus } from "./types";

export interface TrackingClientOptions {
  fetch?: FetchFn;
  baseUrl?: string;
  /** Defaults to the global indexedDB (browser, worker). */
  indexedDB?: IDBFactory;
  dbName?: string;
  context?: NotebookContext;
  flushMs?: number;
  maxBatchPoints?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  requestTimeoutMs?: number;
  /** Things the student should know (a refused batch, a lost session). */
  onNotice?(message: string): void;
  /** Takes a cross-tab lock around draining; defaults to navigator.locks when there is one. */
  lock?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Tells live clients from dead ones (runs of a dead one are marked KILLED); defaults to Web Locks. */
  liveness?: Liveness | null;
  /** When to look for runs cut off by a dead client, after the outbox opens (ms). */
  reapDelaysMs?: number[];
}

// MLflow's batch limits are 1000 metrics, 100 params, 100 tags; stay well inside them.
const MAX_PARAMS = 100;
const MAX_TAGS = 100;

interface Buffer {
  metrics: MetricOut[];
  params: KeyValue[];
  tags: KeyValue[];
}

export const newId = (): string =>
  typeof crypto !== "undefined" && typeof crypto.randomUUID === "function"
    ? crypto.randomUUID()
    : `${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}-${Math.random().toString(16).slice(2)}`;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resolves when `p` settles or after `ms`, whichever is first, leaving no timer behind. */
function settleWithin(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    p.then(
      () => (clearTimeout(t), resolve()),
      () => (clearTimeout(t), resolve()),
    );
  });
}

function defaultLock(): TrackingClientOptions["lock"] {
  const locks = (globalThis.navigator as { locks?: { request(name: string, cb: () => Promise<unknown>): Promise<unknown> } } | undefined)?.locks;
  if (!locks) return undefined;
  return <T>(fn: () => Promise<T>) => locks.request("cuaderno-tracking-outbox", fn) as Promise<T>;
}

export const metricValueOut = (v: number): number | string => (Number.isFinite(v) ? v : Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");

export class TrackingClient {
  readonly transport: MlflowTransport;
  private context: NotebookContext;
  private readonly options: Required<Pick<TrackingClientOptions, "flushMs" | "maxBatchPoints" | "retryBaseMs" | "retryMaxMs">> & TrackingClientOptions;
  private readonly outboxPromise: Promise<Outbox>;
  private buffers = new Map<string, Buffer>();
  private bufferedPoints = 0;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** Writes to the outbox happen one after another, so op order is call order. */
  private writes: Promise<void> = Promise.resolve();
  private draining: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private authBlocked = false;
  private closed = false;
  /** localId → server run id, also after the outbox forgot a finished run. */
  private readonly serverIds = new Map<string, string>();
  /** This client's id: its runs carry it, and it is "alive" (liveness) until the client closes. */
  readonly holderId = newId();
  private readonly liveness: Liveness | null;
  private readonly releaseHold: () => void;
  private reapTimers: ReturnType<typeof setTimeout>[] = [];

  constructor(options: TrackingClientOptions = {}) {
    this.options = { flushMs: 500, maxBatchPoints: 200, retryBaseMs: 500, retryMaxMs: 15_000, ...options };
    this.context = options.context ?? { signedIn: false };
    this.transport = new MlflowTransport({ fetch: options.fetch, baseUrl: options.baseUrl, timeoutMs: options.requestTimeoutMs });
    this.liveness = options.liveness === undefined ? webLocksLiveness() : options.liveness;
    this.releaseHold = this.liveness?.hold(this.holderId) ?? (() => undefined);
    this.outboxPromise = Outbox.open(options.indexedDB, options.dbName);
    this.outboxPromise.catch(() => undefined);
    // A restarted kernel's old worker may release its lock a moment after this one starts: look twice.
    const delays = options.reapDelaysMs ?? [0, 3_000];
    void this.outboxPromise.then(() => {
      if (this.closed) return;
      for (const ms of delays) this.reapTimers.push(setTimeout(() => void this.reapOrphans().catch(() => undefined), ms));
    }, () => undefined);
  }

  /**
   * Ends, as KILLED, every run still open in the outbox whose client is dead (its kernel was
   * restarted or its tab closed mid-run): otherwise it would stay RUNNING on the server forever.
   * Returns how many it ended.
   */
  async reapOrphans(): Promise<number> {
    if (!this.liveness || this.closed) return 0;
    const outbox = await this.outboxPromise;
    let reaped = 0;
    for (const run of await outbox.runs()) {
      if (run.ended || run.holder === this.holderId) continue;
      if (run.holder && (await this.liveness.isAlive(run.holder))) continue;
      await this.endRun(run.localId, "KILLED");
      reaped++;
    }
    return reaped;
  }

  get outbox(): Promise<Outbox> {
    return this.outboxPromise;
  }

  getContext(): NotebookContext {
    return this.context;
  }

  /** The page's context changed (sign-in, lesson); a sign-in uploads pending guest runs. */
  setContext(context: NotebookContext): void {
    this.context = { ...context };
    this.authBlocked = false;
    this.failures = 0;
    this.kick();
  }

  private owner(): string {
    if (!this.context.signedIn) return "guest";
    return this.context.userId ?? "user";
  }

  /** Whether the current person may upload this run (theirs, or a guest's on this browser). */
  private eligible(run: LocalRun): boolean {
    if (!this.context.signedIn || this.authBlocked) return false;
    if (run.owner === "guest" || run.owner === "user") return true;
    return !this.context.userId || run.owner === this.context.userId;
  }

  /** Records a new run locally (durably) and schedules its creation on the server. */
  async startRun(input: { name: string; startTime?: number; provenance?: RunProvenance; params?: KeyValue[]; tags?: KeyValue[] }): Promise<LocalRun> {
    const run: LocalRun = {
      localId: newId(),
      owner: this.owner(),
      name: input.name,
      startTime: input.startTime ?? Date.now(),
      lessonSlug: this.context.lessonSlug ?? null,
      classId: this.context.classId ?? null,
      provenance: input.provenance ?? {},
      serverRunId: null,
      createAttempts: 0,
      ended: false,
      holder: this.holderId,
    };
    await this.serial(async (outbox) => outbox.putRun(run));
    if (input.params?.length || input.tags?.length) this.log(run.localId, { params: input.params, tags: input.tags });
    this.kick();
    return run;
  }

  /** Buffers points; returns at once. */
  log(localId: string, data: { metrics?: MetricOut[]; params?: KeyValue[]; tags?: KeyValue[] }): void {
    if (this.closed) throw new Error("The tracking client is closed");
    let b = this.buffers.get(localId);
    if (!b) this.buffers.set(localId, (b = { metrics: [], params: [], tags: [] }));
    if (data.metrics) b.metrics.push(...data.metrics);
    if (data.params) b.params.push(...data.params);
    if (data.tags) b.tags.push(...data.tags);
    this.bufferedPoints += (data.metrics?.length ?? 0) + (data.params?.length ?? 0) + (data.tags?.length ?? 0);
    if (this.bufferedPoints >= this.options.maxBatchPoints) void this.flushBuffers();
    else this.flushTimer ??= setTimeout(() => void this.flushBuffers(), this.options.flushMs);
  }

  /** Queues an artifact upload after everything logged so far. */
  async logArtifact(localId: string, path: string, data: ArrayBuffer, contentType = "application/octet-stream"): Promise<void> {
    await this.flushBuffers();
    await this.serial((outbox) => outbox.addOps([{ kind: "artifact", localId, path, data, contentType, createdAt: Date.now() }]));
    this.kick();
  }

  /** Writes the run's last points and its end to the outbox (not waiting for the server). */
  async endRun(localId: string, status: RunStatus = "FINISHED", endTime = Date.now()): Promise<void> {
    await this.flushBuffers();
    await this.serial(async (outbox) => {
      await outbox.addOps([{ kind: "update", localId, status, endTime, createdAt: Date.now() }]);
      await outbox.updateRun(localId, { ended: true });
    });
    this.kick();
  }

  /** Moves buffered points into the outbox as batches, each with its id made here, once. */
  flushBuffers(): Promise<void> {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    const buffers = this.buffers;
    this.buffers = new Map();
    this.bufferedPoints = 0;
    if (buffers.size === 0) return this.writes;
    const ops: Op[] = [];
    const now = Date.now();
    const maxMetrics = Math.max(1, this.options.maxBatchPoints);
    for (const [localId, b] of buffers) {
      let { metrics, params, tags } = b;
      while (metrics.length || params.length || tags.length) {
        ops.push({
          kind: "batch",
          localId,
          batchId: newId(),
          metrics: metrics.slice(0, maxMetrics),
          params: params.slice(0, MAX_PARAMS),
          tags: tags.slice(0, MAX_TAGS),
          createdAt: now,
        });
        metrics = metrics.slice(maxMetrics);
        params = params.slice(MAX_PARAMS);
        tags = tags.slice(MAX_TAGS);
      }
    }
    const written = this.serial((outbox) => outbox.addOps(ops));
    void written.then(() => this.kick(), () => undefined);
    return written;
  }

  private serial(fn: (outbox: Outbox) => Promise<unknown>): Promise<void> {
    const next = this.writes.then(async () => {
      await fn(await this.outboxPromise);
    });
    this.writes = next.catch((err) => this.options.onNotice?.(`Tracking could not save to IndexedDB: ${(err as Error)?.message ?? err}`));
    return next;
  }

  /** Starts the sender if it is not running (it re-reads the outbox when it finishes). */
  kick(): void {
    if (this.closed) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = (async () => {
      try {
        do {
          this.again = false;
          const lock = this.options.lock ?? defaultLock();
          await (lock ? lock(() => this.drain()) : this.drain());
        } while (this.again && !this.closed);
      } catch (err) {
        this.options.onNotice?.(`Tracking sender stopped: ${(err as Error)?.message ?? err}`);
      } finally {
        this.draining = null;
      }
    })();
  }

  /** Sends every eligible run's ops in order; returns when nothing is left or sending must wait. */
  private async drain(): Promise<void> {
    const outbox = await this.outboxPromise;
    for (;;) {
      if (this.closed || !this.context.signedIn || this.authBlocked) return;
      let progressed = false;
      let waiting = false;
      try {
        for (const run of await outbox.runs()) {
          if (!this.eligible(run)) continue;
          const r = await this.sendRun(outbox, run);
          if (r === "progress") progressed = true;
        }
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        if (err.kind === "auth") {
          this.authBlocked = true;
          this.options.onNotice?.("Tracking is paused: the session has ended. Runs are kept in this browser and upload after you sign in again.");
          return;
        }
        waiting = true; // retry
      }
      if (waiting) {
        this.failures++;
        const delay = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** Math.min(this.failures - 1, 16));
        await sleep(delay * (0.5 + Math.random() * 0.5));
        continue;
      }
      this.failures = 0;
      if (!progressed) return;
    }
  }

  /** One run: create it if needed, then its ops in order. "progress" when anything was acknowledged. */
  private async sendRun(outbox: Outbox, run: LocalRun): Promise<"progress" | "idle"> {
    const ops = await outbox.opsFor(run.localId);
    if (run.serverRunId && ops.length === 0) {
      if (run.ended) await outbox.deleteRun(run.localId);
      return "idle";
    }
    let serverRunId = run.serverRunId;
    if (serverRunId) this.serverIds.set(run.localId, serverRunId);
    let progress = false;
    if (!serverRunId) {
      // A create whose answer was lost may have committed: look for it before creating again.
      if (run.createAttempts > 0) serverRunId = await this.transport.findRun(run.localId);
      if (!serverRunId) {
        await outbox.updateRun(run.localId, { createAttempts: run.createAttempts + 1 });
        try {
          serverRunId = await this.transport.createRun(run);
        } catch (err) {
          if (err instanceof TransportError && (err.kind === "reject" || err.kind === "gone")) {
            await outbox.dropRun(run.localId, err.message);
            this.options.onNotice?.(`Run "${run.name}" could not be created on the server: ${err.message}`);
            return "progress";
          }
          throw err;
        }
      }
      await outbox.updateRun(run.localId, { serverRunId, owner: this.context.userId ?? run.owner });
      this.serverIds.set(run.localId, serverRunId);
      progress = true;
    }
    for (const op of ops) {
      try {
        await this.sendOp(serverRunId, op);
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        if (err.kind === "gone") {
          await outbox.dropRun(run.localId, err.message);
          this.options.onNotice?.(`Run "${run.name}" no longer exists on the server; its unsent points were set aside.`);
          return "progress";
        }
        if (err.kind === "reject") {
          await outbox.reject(op, err.message);
          this.options.onNotice?.(`Tracking: the server refused part of run "${run.name}": ${err.message}`);
          progress = true;
          continue;
        }
        throw err;
      }
      await outbox.deleteOp(op.seq!);
      progress = true;
    }
    return progress ? "progress" : "idle";
  }

  private sendOp(runId: string, op: Op): Promise<void> {
    if (op.kind === "batch") return this.transport.logBatch(runId, op.batchId, { metrics: op.metrics, params: op.params, tags: op.tags });
    if (op.kind === "update") return this.transport.updateRun(runId, op.status, op.endTime);
    return this.transport.putArtifact(runId, op.path, op.data, op.contentType);
  }

  /** Ops still owed to the server (all owners). */
  async pending(): Promise<number> {
    return (await this.outboxPromise).countOps();
  }

  /**
   * Writes buffered points and waits until the server has everything the current person may
   * upload, or `timeoutMs` passes. Returns how many ops are still waiting (0: all sent).
   */
  async flush(timeoutMs = 30_000): Promise<{ pending: number; uploaded: boolean }> {
    await this.flushBuffers();
    await this.writes;
    const deadline = Date.now() + timeoutMs;
    const outbox = await this.outboxPromise;
    for (;;) {
      if (!this.context.signedIn) {
        const pending = await outbox.countOps();
        return { pending, uploaded: pending === 0 };
      }
      this.kick();
      if (this.draining) await settleWithin(this.draining, Math.max(0, deadline - Date.now()));
      const runs = (await outbox.runs()).filter((r) => this.eligible(r));
      let owed = 0;
      for (const r of runs) owed += (await outbox.opsFor(r.localId)).length + (r.serverRunId ? 0 : 1);
      if (owed === 0) return { pending: await outbox.countOps(), uploaded: true };
      if (Date.now() >= deadline || !this.context.signedIn || this.authBlocked) return { pending: await outbox.countOps(), uploaded: false };
      await sleep(Math.min(50, Math.max(0, deadline - Date.now())));
    }
  }

  /** The server run id of a local run, once it was created. */
  async serverRunId(localId: string): Promise<string | null> {
    return this.serverIds.get(localId) ?? (await (await this.outboxPromise).getRun(localId))?.serverRunId ?? null;
  }

  /** Stops sending (tests: a "closed tab"); what is not in the outbox yet is written first. */
  async close(): Promise<void> {
    await this.flushBuffers().catch(() => undefined);
    await this.writes;
    this.closed = true;
    for (const t of this.reapTimers.splice(0)) clearTimeout(t);
    this.releaseHold();
    await this.draining?.catch(() => undefined);
    (await this.outboxPromise.catch(() => null))?.close();
  }
}
