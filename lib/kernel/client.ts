// The page's side of the kernel: starts the worker (ready handshake), sends typed requests with
// timeouts, routes each run's events, and restarts the worker when a cell will not stop. Run
// state (status, variables) lives here in memory only; the notebook document is elsewhere.

import type { DatasetPayload, KernelConfig } from "./handlers";
import { createMailbox, readMailbox } from "./mailbox";
import type {
  BackendInfo,
  BackendName,
  CalibrationResult,
  DoneEvent,
  HandlerName,
  HandlerResult,
  KernelEvent,
  KernelNotice,
  KernelStatus,
  RunEvent,
  RunKind,
  WorkerMessage,
  WorkerRequest,
} from "./protocol";
import type { VariableInfo } from "./scope";
import type { NotebookContext } from "@/lib/tracking-client/types";

export interface KernelClientOptions {
  /** Defaults to the bundled kernel worker. Tests and harnesses may pass their own. */
  createWorker?: () => Worker;
  /** For ordinary requests (not `run`, which may take as long as the cell does). */
  requestTimeoutMs?: number;
  /** How long the worker may take to load and say it is ready. */
  readyTimeoutMs?: number;
  /** After an interrupt, how long a cell may take to stop before the worker is replaced. */
  interruptGraceMs?: number;
  /** Where the backend calibration is cached; null disables caching. Defaults to localStorage. */
  storage?: Pick<Storage, "getItem" | "setItem"> | null;
}

export interface RunHandle {
  runId: string;
  cellId: string;
  /** This run's events in order, ending with `done`. */
  events: AsyncIterable<RunEvent>;
  done: Promise<DoneEvent>;
}

export interface RestartResult {
  restarted: boolean;
  /** Variables that existed before and are gone now. */
  lostVariables: string[];
}

interface RunState {
  cellId: string;
  startedAt: number;
  declares: string[];
  /** How many of its events were dispatched (messages and the mailbox deliver the same ones). */
  delivered: number;
  onEvent?: (e: RunEvent) => void;
  push(e: RunEvent): void;
  resolveDone(e: DoneEvent): void;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer?: ReturnType<typeof setTimeout>;
}

export class KernelRequestError extends Error {}

function defaultWorker(): Worker {
  return new Worker(new URL("../../lib/kernel/worker.ts", import.meta.url), { type: "module" });
}

function defaultStorage(): Pick<Storage, "getItem" | "setItem"> | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

/** Events pushed by the worker, read with `for await`. */
class EventQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiters: ((r: IteratorResult<T>) => void)[] = [];
  private closed = false;
  push(item: T) {
    const w = this.waiters.shift();
    if (w) w({ value: item, done: false });
    else this.items.push(item);
  }
  close() {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w({ value: undefined as never, done: true });
  }
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length) return Promise.resolve({ value: this.items.shift() as T, done: false });
        if (this.closed) return Promise.resolve({ value: undefined as never, done: true });
        return new Promise((resolve) => this.waiters.push(resolve));
      },
    };
  }
}

let idCounter = 0;
const MAILBOX_FRAMES = 4;

export class KernelClient {
  status: KernelStatus = "starting";
  /** Resolves when the current worker has said it is ready. */
  ready!: Promise<void>;
  private worker!: Worker;
  private readonly options: Required<Omit<KernelClientOptions, "storage">> & {
    storage: Pick<Storage, "getItem" | "setItem"> | null;
  };
  private pending = new Map<number, Pending>();
  private runs = new Map<string, RunState>();
  private listeners = new Set<(e: KernelEvent) => void>();
  /** name → cell that defined it, from done events: what a restart loses. */
  private variables = new Map<string, string>();
  private datasets = new Map<string, DatasetPayload>();
  private context: NotebookContext | null = null;
  private nextId = 1;
  private disposed = false;
  private generation = 0;
  /** True once the current worker is ready and configured: requests are then posted synchronously. */
  private readyNow = false;
  /** Shared with every worker generation (mailbox.ts); null where the page is not isolated. */
  private readonly mailbox = createMailbox();
  private mailboxSeen = 0;
  private mailboxFrame: number | null = null;
  /** Frames left to look in: the held messages flow again once the first frame after a click is drawn. */
  private mailboxFramesLeft = 0;
  /** Runs finished through the mailbox whose messages are still on their way (ignored on arrival). */
  private mailed = new Set<string>();

  constructor(options: KernelClientOptions = {}) {
    this.options = {
      createWorker: options.createWorker ?? defaultWorker,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
      interruptGraceMs: options.interruptGraceMs ?? 1_500,
      storage: options.storage === undefined ? defaultStorage() : options.storage,
    };
    this.start();
  }

  /** Every event: run events of all cells and kernel notices (backend, restarted, status). */
  on(listener: (e: KernelEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Queues a cell. Events arrive in order: start, stream/display/result/error…, done. */
  run(
    cellId: string,
    source: string,
    kind: RunKind = "code",
    options: { check?: string; onEvent?: (e: RunEvent) => void } = {},
  ): RunHandle {
    const runId = `run-${Date.now().toString(36)}-${++idCounter}`;
    const queue = new EventQueue<RunEvent>();
    let resolveDone!: (e: DoneEvent) => void;
    const done = new Promise<DoneEvent>((r) => (resolveDone = r));
    this.runs.set(runId, {
      cellId,
      startedAt: performance.now(),
      declares: [],
      delivered: 0,
      onEvent: options.onEvent,
      push: (e) => queue.push(e),
      resolveDone: (e) => {
        queue.close();
        resolveDone(e);
      },
    });
    this.setStatus("busy");
    this.call("run", [cellId, source, kind, { runId, check: options.check }], 0).catch(() => {
      // A restart settles the run itself (see hardRestart); nothing else can fail here.
    });
    this.mailboxFramesLeft = MAILBOX_FRAMES;
    this.watchMailbox();
    return { runId, cellId, events: queue, done };
  }

  /**
   * Stops the running cell: cooperatively first (at its next await), and if it has not stopped
   * within `interruptGraceMs` (a `while (true) {}`), replaces the worker.
   */
  async interrupt(): Promise<RestartResult> {
    if (this.runs.size === 0) return { restarted: false, lostVariables: [] };
    const dones = [...this.runs.keys()].map((runId) => this.waitForDone(runId));
    this.call("interrupt", [], this.options.interruptGraceMs).catch(() => undefined);
    const stopped = await Promise.race([
      Promise.all(dones).then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), this.options.interruptGraceMs)),
    ]);
    if (stopped) return { restarted: false, lostVariables: [] };
    return { restarted: true, lostVariables: this.hardRestart("interrupt") };
  }

  /** A fresh kernel: every variable is lost. */
  async restart(): Promise<RestartResult> {
    const lostVariables = this.hardRestart("restart");
    await this.ready;
    return { restarted: true, lostVariables };
  }

  listVariables(): Promise<VariableInfo[]> {
    return this.call("listVariables", []);
  }

  /** Switches tfjs backend (loads tf if needed); remembered for this browser. */
  async setBackend(name: BackendName): Promise<BackendInfo> {
    const info = await this.call("setBackend", [name], 120_000);
    this.saveCache({ ...(this.loadCache() ?? {}), choice: name });
    return info;
  }

  currentBackend(): Promise<BackendInfo | null> {
    return this.call("currentBackend", [], 120_000);
  }

  /** Times every backend and keeps the fastest; cached unless `force`. */
  async calibrate(options: { force?: boolean } = {}): Promise<CalibrationResult> {
    const cached = this.loadCache();
    if (!options.force && cached?.calibration) {
      const chosen = cached.choice ?? cached.calibration.best;
      const info = await this.call("setBackend", [chosen], 120_000);
      return { ...cached.calibration, best: chosen, info, cached: true };
    }
    const result = await this.call("calibrate", [], 300_000);
    this.saveCache({ calibration: result });
    return result;
  }

  /** Makes a dataset available to `data.load(name)` and SQL; re-sent after restarts. */
  async registerDataset(payload: DatasetPayload): Promise<void> {
    this.datasets.set(payload.name, payload);
    await this.call("registerDataset", [payload]);
  }

  /**
   * Tells the kernel where the notebook is open: `track` files runs under the lesson (and class),
   * and a signed-in page uploads runs made as a guest. Re-sent after restarts.
   */
  async setContext(context: NotebookContext): Promise<void> {
    this.context = { ...context };
    await this.call("setContext", [this.context]);
  }

  /** Names defined by cells, as far as the page knows (from finished runs). */
  knownVariables(): string[] {
    return [...this.variables.keys()];
  }

  dispose(): void {
    this.disposed = true;
    this.worker.terminate();
    if (this.mailboxFrame !== null) cancelAnimationFrame(this.mailboxFrame);
    this.failAll(new KernelRequestError("Kernel disposed"));
    this.setStatus("dead");
  }

  // --- internals ---

  private start(): void {
    const generation = ++this.generation;
    this.readyNow = false;
    this.setStatus("starting");
    const worker = this.options.createWorker();
    this.worker = worker;
    let readyResolve!: () => void;
    let readyReject!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    const timer = setTimeout(
      () => readyReject(new KernelRequestError(`Kernel did not start within ${this.options.readyTimeoutMs} ms`)),
      this.options.readyTimeoutMs,
    );
    worker.onmessage = (ev: MessageEvent<WorkerMessage>) => {
      if (generation !== this.generation) return;
      const msg = ev.data;
      if (msg.kind === "ready") {
        clearTimeout(timer);
        readyResolve();
      } else if (msg.kind === "response") this.settle(msg);
      else if (msg.kind === "event") this.dispatch(msg.event);
    };
    worker.onerror = (ev: ErrorEvent) => {
      if (generation !== this.generation) return;
      clearTimeout(timer);
      readyReject(new KernelRequestError(`Kernel worker failed: ${ev.message || "could not load"}`));
    };
    this.ready = ready.then(async () => {
      // Settings and datasets survive restarts; they are sent before anything else.
      const cache = this.loadCache();
      const preferredBackend = cache?.choice ?? cache?.calibration?.best ?? null;
      const config: KernelConfig = { preferredBackend, mailbox: this.mailbox };
      this.post({ kind: "request", id: this.nextId++, method: "configure", params: [config] });
      if (this.context && generation > 1) this.post({ kind: "request", id: this.nextId++, method: "setContext", params: [this.context] });
      for (const ds of this.datasets.values()) {
        this.post({ kind: "request", id: this.nextId++, method: "registerDataset", params: [ds] });
      }
      if (generation === this.generation) this.readyNow = true;
      if (this.runs.size === 0) this.setStatus("idle");
    });
    this.ready.catch(() => this.setStatus("dead"));
  }

  private post(req: WorkerRequest): void {
    this.worker.postMessage(req);
  }

  /**
   * Sends a request. Once the worker is ready the message is posted synchronously (a click's run
   * reaches the worker before the page renders anything); before that it waits for the handshake
   * and the configuration messages.
   */
  private call<K extends HandlerName>(
    method: K,
    params: Parameters<import("./handlers").KernelHandlers[K]>,
    timeoutMs = this.options.requestTimeoutMs,
  ): Promise<HandlerResult<K>> {
    if (this.disposed) return Promise.reject(new KernelRequestError("Kernel disposed"));
    if (this.readyNow) return this.send(method, params, timeoutMs);
    const generation = this.generation;
    return this.ready.then(() => {
      if (generation !== this.generation && method === "run") throw new KernelRequestError("Kernel restarted");
      return this.send(method, params, timeoutMs);
    });
  }

  private send<K extends HandlerName>(
    method: K,
    params: Parameters<import("./handlers").KernelHandlers[K]>,
    timeoutMs: number,
  ): Promise<HandlerResult<K>> {
    const id = this.nextId++;
    return new Promise<HandlerResult<K>>((resolve, reject) => {
      const p: Pending = { resolve: resolve as (v: unknown) => void, reject };
      if (timeoutMs > 0) {
        p.timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new KernelRequestError(`Kernel request ${method} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.pending.set(id, p);
      this.post({ kind: "request", id, method, params } as WorkerRequest);
    });
  }

  private settle(msg: Extract<WorkerMessage, { kind: "response" }>): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (p.timer) clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else {
      const err = new KernelRequestError(msg.error.message);
      err.name = msg.error.name;
      p.reject(err);
    }
  }

  /** After a run is posted, looks in the mailbox once per frame for a few frames (rAF runs even when tasks are held). */
  private watchMailbox(): void {
    if (!this.mailbox || this.mailboxFrame !== null || typeof requestAnimationFrame !== "function") return;
    this.mailboxFrame = requestAnimationFrame(() => {
      this.mailboxFrame = null;
      if (this.disposed || !this.mailbox) return;
      const mail = readMailbox(this.mailbox, this.mailboxSeen);
      if (mail) {
        this.mailboxSeen = mail.version;
        const run = this.runs.get(mail.run.runId);
        // Only the oldest run in flight: an earlier one's events are still on their way by message.
        if (run && this.runs.keys().next().value === mail.run.runId) {
          this.mailed.add(mail.run.runId);
          for (const e of mail.run.events.slice(run.delivered)) this.dispatch(e, "mailbox");
        }
      }
      if (this.runs.size > 0 && --this.mailboxFramesLeft > 0) this.watchMailbox();
    });
  }

  private dispatch(event: KernelEvent, via: "message" | "mailbox" = "message"): void {
    if ("runId" in event && via === "message" && this.mailed.has(event.runId)) {
      // already delivered from the mailbox
      if (event.type === "done") this.mailed.delete(event.runId);
      return;
    }
    if ("runId" in event) {
      const run = this.runs.get(event.runId);
      if (run) {
        run.delivered++;
        if (event.type === "start") run.declares = event.declares;
        run.onEvent?.(event);
        run.push(event);
        if (event.type === "done") {
          for (const name of event.defined) this.variables.set(name, event.cellId);
          this.runs.delete(event.runId);
          run.resolveDone(event);
          if (this.runs.size === 0) this.setStatus("idle");
        }
      }
    } else if (event.type === "backend" && event.calibration) {
      this.saveCache({ calibration: event.calibration });
    }
    this.emit(event);
  }

  private emit(event: KernelEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        console.error(err);
      }
    }
  }

  private setStatus(status: KernelStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.emit({ type: "status", status });
  }

  private waitForDone(runId: string): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.runs.has(runId) ? setTimeout(check, 20) : resolve());
      check();
    });
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
  }

  /** Terminates the worker, settles its runs as interrupted, starts a new one. */
  private hardRestart(reason: "interrupt" | "restart" | "crash"): string[] {
    const lost = new Set(this.variables.keys());
    for (const run of this.runs.values()) for (const n of run.declares) lost.add(n);
    this.variables.clear();
    this.setStatus("restarting");
    this.worker.terminate();
    this.mailed.clear();
    this.failAll(new KernelRequestError("Kernel restarted"));
    const runs = [...this.runs.entries()];
    this.runs.clear();
    for (const [runId, run] of runs) {
      const base = { runId, cellId: run.cellId };
      const error: RunEvent = {
        ...base,
        type: "error",
        name: "KernelRestarted",
        message:
          reason === "interrupt"
            ? `The cell did not stop within ${(this.options.interruptGraceMs / 1000).toFixed(1)} s, so the kernel was restarted`
            : "The kernel was restarted",
      };
      const done: DoneEvent = {
        ...base,
        type: "done",
        status: "interrupted",
        durationMs: Math.round(performance.now() - run.startedAt),
        executionCount: 0,
        defined: [],
      };
      for (const e of [error, done]) {
        run.onEvent?.(e);
        run.push(e);
        this.emit(e);
      }
      run.resolveDone(done);
    }
    const lostVariables = [...lost];
    this.start();
    const notice: KernelNotice = { type: "restarted", reason, lostVariables };
    this.emit(notice);
    return lostVariables;
  }

  private cacheKey(): string {
    const nav = typeof navigator === "undefined" ? undefined : navigator;
    return `cuaderno.kernel.backend.v1|${nav?.userAgent ?? "?"}|${nav && "gpu" in nav ? "gpu" : "nogpu"}`;
  }

  private loadCache(): { calibration?: CalibrationResult; choice?: BackendName } | null {
    try {
      const raw = this.options.storage?.getItem(this.cacheKey());
      return raw ? JSON.parse(raw) : null;
    } catch {
      return null;
    }
  }

  private saveCache(value: { calibration?: CalibrationResult; choice?: BackendName }): void {
    try {
      const prev = this.loadCache() ?? {};
      // A new calibration replaces an explicit choice; a choice keeps the calibration.
      const next = value.calibration && !value.choice ? { calibration: value.calibration } : { ...prev, ...value };
      this.options.storage?.setItem(this.cacheKey(), JSON.stringify(next));
    } catch {
      // storage full or disabled: calibrate again next time
    }
  }
}
