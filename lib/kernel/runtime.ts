// The kernel without its Worker wrapper: the scope, the executor and the globals cells see
// (lib/kernel/globals.ts's list, and console). The environment says how to load the heavy
// parts, so the same core runs in the worker and in Node tests.

import type { Dataset } from "@/lib/datasets/types";
import type { MimeBundle } from "@/lib/notebook/types";
import { createChallengeApi, type ChallengeApi } from "./challenge";
import { createEndpointsApi, type EndpointsApi } from "./endpoints";
import { createDataApi, type DataApi, type DatasetLoader } from "./data";
import { CellExecutor, CheckError, KernelInterrupt, type RunContext, type RunCellRequest } from "./executor";
import { formatConsoleArgs } from "./format";
import { KERNEL_GLOBALS, SHOW_METHODS, type KernelGlobalName } from "./globals";
import type { TrackingClient } from "@/lib/tracking-client/client";
import type { TrackApi } from "@/lib/tracking-client/notebook-api";
import type { NotebookContext, RunProvenance } from "@/lib/tracking-client/types";
import type { BackendInfo, DoneEvent, KernelEvent } from "./protocol";
import { KernelScope } from "./scope";

// Shape of the parts of tfjs the kernel touches; cells get the full module.
export interface TfLike {
  nextFrame(): Promise<void>;
  LayersModel?: { prototype: { fit: (...args: unknown[]) => Promise<unknown> } };
  [key: string]: unknown;
}

export type ShowModule = Record<string, unknown> & {
  formatValue?(value: unknown): MimeBundle;
};

export interface SqlEngine {
  query(text: string, params?: unknown[]): Promise<unknown>;
  registerDataset(dataset: Dataset): Promise<void>;
}

export interface KernelEnvironment {
  emit(event: KernelEvent): void;
  /** tfjs with a backend set. */
  loadTf(): Promise<TfLike>;
  loadMl?(): Promise<unknown>;
  loadShow?(): Promise<ShowModule>;
  loadSql?(): Promise<SqlEngine>;
  fetch?: typeof fetch;
  datasetLoader?: DatasetLoader;
  datasetBaseUrl?: string;
  /** `track`: where runs go (defaults: same-origin fetch, the global IndexedDB) and the backend in use. */
  tracking?: {
    fetch?: typeof fetch;
    baseUrl?: string;
    indexedDB?: IDBFactory;
    dbName?: string;
    backendInfo?(): Promise<BackendInfo | null>;
    /** Options passed on to the TrackingClient (batching, retries). */
    clientOptions?: Record<string, unknown>;
  };
}

/** The `show` builders (one list, in lib/kernel/globals.ts). */
export { SHOW_METHODS };

// tfjs is one module per realm; its patched fit asks the runtime that runs cells now.
let activeRuntime: KernelRuntime | null = null;

export class KernelRuntime {
  readonly scope = new KernelScope();
  readonly executor: CellExecutor;
  readonly data: DataApi;
  readonly challenge: ChallengeApi;
  readonly endpoints: EndpointsApi;
  private readonly env: KernelEnvironment;
  private showModule: ShowModule | null = null;
  private sqlEngine: SqlEngine | null = null;
  private sqlLoading: Promise<SqlEngine> | null = null;
  private readonly tables = new Map<string, Dataset>();
  /** The page's context (lesson, sign-in) for `track`. */
  private notebookContext: NotebookContext = { signedIn: false };
  /** Source of each cell as last run, for the runs it produces. */
  private readonly cellSources = new Map<string, string>();
  private lastDataset: Dataset | null = null;
  private tracker: Promise<{ client: TrackingClient; api: TrackApi }> | null = null;

  constructor(env: KernelEnvironment) {
    this.env = env;
    this.executor = new CellExecutor(this.scope, {
      emit: (event) => env.emit(event),
      formatValue: (value) => {
        if (this.showModule?.formatValue) return this.showModule.formatValue(value);
        throw new Error("no formatter");
      },
      runSql: async (source) => (await this.getSql()).query(source),
    });
    this.challenge = createChallengeApi({ fetch: env.fetch, baseUrl: env.datasetBaseUrl });
    this.endpoints = createEndpointsApi({ fetch: env.fetch, baseUrl: env.datasetBaseUrl, signedIn: () => this.notebookContext.signedIn });
    this.data = createDataApi({
      fetch: env.fetch,
      baseUrl: env.datasetBaseUrl,
      loader: env.datasetLoader,
      challengeLoader: (name) => this.challenge.features(name.slice("challenge:".length)),
      onLoad: (ds) => this.onDataset(ds),
    });
    this.installGlobals();
  }

  run(request: RunCellRequest): Promise<DoneEvent> {
    activeRuntime = this;
    this.cellSources.set(request.cellId, request.source);
    return this.prepare().then(() => this.executor.run(request));
  }

  private prepared: Promise<void> | null = null;
  /** lib/show is small and formats every result: load it before the first run. */
  private prepare(): Promise<void> {
    this.prepared ??= (async () => {
      try {
        this.showModule = (await this.env.loadShow?.()) ?? null;
      } catch {
        this.showModule = null;
      }
    })();
    return this.prepared;
  }

  private context(): RunContext {
    const ctx = this.executor.activeContext;
    if (!ctx) throw new Error("No cell is running");
    return ctx;
  }

  private installGlobals(): void {
    const scope = this.scope;
    const print = (name: "stdout" | "stderr") => (...args: unknown[]) => {
      const ctx = this.executor.activeContext;
      if (ctx) ctx.stream(name, formatConsoleArgs(args));
    };
    scope.setBuiltin("console", {
      log: print("stdout"),
      info: print("stdout"),
      debug: print("stdout"),
      warn: print("stderr"),
      error: print("stderr"),
    });
    // One entry per kernel global: the compiler holds this record to exactly lib/kernel/globals.ts's list.
    const globals: Record<KernelGlobalName, { value: unknown } | { load: () => Promise<unknown> }> = {
      tf: { load: async () => this.wrapTf(await this.env.loadTf()) },
      ml: {
        load: async () => {
          if (!this.env.loadMl) throw new Error("ml is not available in this kernel");
          return this.env.loadMl();
        },
      },
      data: {
        value: {
          load: (name: string) => {
            this.context().checkInterrupt();
            return this.data.load(name);
          },
          list: () => this.data.list(),
        },
      },
      sql: {
        load: async () => {
          const engine = await this.getSql();
          return (strings: TemplateStringsArray | string, ...values: unknown[]) => {
            this.context().checkInterrupt();
            if (typeof strings === "string") return engine.query(strings);
            // Interpolated values become bound parameters, never SQL text.
            return engine.query(strings.join("?"), values);
          };
        },
      },
      show: {
        load: async () => {
          await this.prepare();
          return this.createShow();
        },
      },
      track: { load: async () => (await this.getTracker()).api },
      check: {
        value: (condition: unknown, message?: string) => {
          if (!condition) throw new CheckError(message ?? "Check failed");
        },
      },
      challenge: {
        value: {
          submit: (id: string, predictions: unknown) => {
            this.context().checkInterrupt();
            return this.challenge.submit(id, predictions);
          },
          list: () => {
            this.context().checkInterrupt();
            return this.challenge.list();
          },
        },
      },
      // Every method of the API (lib/kernel/endpoints.ts), each stopping at an interrupt first:
      // a method added there reaches cells, and their declarations, with nothing else to change.
      endpoints: { value: this.interruptible(this.endpoints) },
    };
    for (const name of KERNEL_GLOBALS) {
      const g = globals[name];
      if ("load" in g) scope.setLazyBuiltin(name, g.load);
      else scope.setBuiltin(name, g.value);
    }
  }

  /** The API's methods, each checking for an interrupt of the running cell before it starts. */
  private interruptible<Api extends object>(api: Api): Api {
    const out: Record<string, unknown> = {};
    for (const [key, fn] of Object.entries(api)) {
      if (typeof fn !== "function") continue;
      out[key] = (...args: unknown[]) => {
        this.context().checkInterrupt();
        return (fn as (...a: unknown[]) => unknown).apply(api, args);
      };
    }
    return out as Api;
  }

  private getSql(): Promise<SqlEngine> {
    if (this.sqlEngine) return Promise.resolve(this.sqlEngine);
    this.sqlLoading ??= (async () => {
      if (!this.env.loadSql) throw new Error("SQL is not available in this kernel");
      const engine = await this.env.loadSql();
      for (const ds of this.tables.values()) await engine.registerDataset(ds);
      this.sqlEngine = engine;
      return engine;
    })();
    this.sqlLoading.catch(() => (this.sqlLoading = null));
    return this.sqlLoading;
  }

  /** The lesson the page shows, if any (an instructor's lesson's own datasets are loaded through it). */
  get lessonSlug(): string | null {
    return this.notebookContext.lessonSlug ?? null;
  }

  /** The page's context; a signed-in page also uploads runs a guest left in this browser. */
  setContext(context: NotebookContext): void {
    this.notebookContext = { ...context };
    if (this.tracker) void this.tracker.then((t) => t.client.setContext(this.notebookContext), () => undefined);
    else if (context.signedIn) void this.getTracker().catch(() => undefined);
  }

  /** The tracking client and the `track` global, created on first need. */
  getTracker(): Promise<{ client: TrackingClient; api: TrackApi }> {
    this.tracker ??= (async () => {
      const [{ TrackingClient }, { createTrackApi }] = await Promise.all([
        import("@/lib/tracking-client/client"),
        import("@/lib/tracking-client/notebook-api"),
      ]);
      const t = this.env.tracking ?? {};
      const client = new TrackingClient({
        ...(t.clientOptions ?? {}),
        fetch: t.fetch ?? this.env.fetch,
        baseUrl: t.baseUrl,
        indexedDB: t.indexedDB,
        dbName: t.dbName,
        context: this.notebookContext,
        onNotice: (message) => this.executor.activeContext?.stream("stderr", `${message}\n`),
      });
      await client.outbox;
      client.kick(); // anything a closed tab or an offline session left behind
      const api = createTrackApi(client, {
        provenance: (params) => this.trackProvenance(params),
        checkInterrupt: () => this.executor.activeContext?.checkInterrupt(),
        registerModel: async (run, name, options) => {
          const { registerModel } = await import("./register-model");
          return registerModel(
            {
              fetch: t.fetch ?? this.env.fetch ?? ((input, init) => fetch(input, init)),
              baseUrl: t.baseUrl,
              serverRunId: async () => {
                // The model's files must be on the server before a version can point at them.
                const flushed = await client.flush();
                if (!flushed.uploaded)
                  throw new Error(`registerModel: the run's files are not all on the server yet (${flushed.pending} uploads waiting); check the connection and sign-in, then try again`);
                return run.serverId();
              },
            },
            name,
            options as Parameters<typeof registerModel>[2],
          );
        },
      });
      return { client, api };
    })();
    this.tracker.catch(() => (this.tracker = null));
    return this.tracker;
  }

  /** What a run records about where it came from: the running cell, backend, dataset, seed. */
  private async trackProvenance(params: Record<string, unknown>): Promise<RunProvenance> {
    const out: RunProvenance = {};
    const ctx = this.executor.activeContext;
    const source = ctx ? this.cellSources.get(ctx.cellId) : undefined;
    if (source !== undefined) out.source = source.length > 100_000 ? `${source.slice(0, 100_000)}\n// …` : source;
    const info = await this.env.tracking?.backendInfo?.().catch(() => null);
    if (info) {
      out.backend = info.name;
      out.device = info.device;
    }
    // The dataset the params name, else the last one loaded.
    const named =
      typeof params.dataset === "string" && this.data.list().includes(params.dataset) ? await this.data.load(params.dataset).catch(() => null) : null;
    const ds = named ?? this.lastDataset;
    if (ds) {
      out.datasetName = ds.name;
      try {
        const { getDatasetHash } = await import("@/lib/datasets/load");
        out.datasetHash = getDatasetHash(ds) ?? null;
      } catch {
        // no hash for hand-made datasets
      }
    }
    if (typeof params.seed === "number" && Number.isSafeInteger(params.seed)) out.seed = params.seed;
    return out;
  }

  private onDataset(ds: Dataset): void {
    this.lastDataset = ds;
    if (ds.kind !== "table") return;
    this.tables.set(ds.name, ds);
    // Loaded tables are SQL tables by name; registration waits for DuckDB to be needed.
    if (this.sqlEngine) void this.sqlEngine.registerDataset(ds);
  }

  private wrapTf(tf: TfLike): TfLike {
    const proto = tf.LayersModel?.prototype as
      | ({ fit: (...args: unknown[]) => Promise<unknown>; __cuadernoPatched?: boolean } & object)
      | undefined;
    if (proto && !proto.__cuadernoPatched) {
      const fit = proto.fit;
      // An interrupt stops model.fit at the next batch even when the cell only awaits fit.
      proto.fit = function (this: unknown, x: unknown, y: unknown, args: Record<string, unknown> = {}) {
        const ctx = activeRuntime?.executor.activeContext;
        const stop = () => {
          if (ctx?.interrupted) throw new KernelInterrupt();
        };
        const cbs = args.callbacks;
        const list = cbs === undefined ? [] : Array.isArray(cbs) ? cbs : [cbs];
        const instances = list.length > 0 && typeof (list[0] as { setParams?: unknown }).setParams === "function";
        const guard = { onBatchEnd: stop, onEpochEnd: stop };
        const CustomCallback = tf.CustomCallback as (new (a: object) => object) | undefined;
        const extra = instances && CustomCallback ? new CustomCallback(guard) : guard;
        return fit.call(this, x, y, { ...args, callbacks: [...list, extra] });
      } as (...args: unknown[]) => Promise<unknown>;
      proto.__cuadernoPatched = true;
    }
    const nextFrame = async () => {
      await tf.nextFrame();
      this.executor.activeContext?.checkInterrupt();
    };
    // The module namespace is frozen: cells get a copy with the kernel's nextFrame.
    return Object.assign(Object.create(null), tf, { nextFrame }) as TfLike;
  }

  private createShow(): Record<string, unknown> {
    const mod = this.showModule;
    const show: Record<string, unknown> = {};
    for (const name of SHOW_METHODS) {
      show[name] = (...args: unknown[]) => {
        const ctx = this.context();
        ctx.checkInterrupt();
        const builder = mod?.[name];
        if (typeof builder !== "function") throw new Error(`show.${name} is not available yet`);
        ctx.display((builder as (...a: unknown[]) => MimeBundle)(...args));
      };
    }
    show.history = (opts: { metrics?: string[]; title?: string } = {}) => {
      const ctx = this.context();
      const displayId = ctx.nextDisplayId();
      const entries: { epoch: number; logs: Record<string, number> }[] = [];
      const build = (): MimeBundle => {
        const builder = mod?.history;
        if (typeof builder === "function") return (builder as (e: typeof entries, o: typeof opts) => MimeBundle)(entries, opts);
        const last = entries[entries.length - 1];
        return { "text/plain": last ? `epoch ${last.epoch}: ${JSON.stringify(last.logs)}` : "no epochs yet" };
      };
      return {
        onEpochEnd: async (epoch: number, logs: Record<string, number> = {}) => {
          ctx.checkInterrupt();
          const clean: Record<string, number> = {};
          for (const [k, v] of Object.entries(logs)) clean[k] = Number(v);
          entries.push({ epoch: epoch + 1, logs: clean });
          ctx.display(build(), displayId, entries.length > 1);
        },
        onBatchEnd: async () => ctx.checkInterrupt(),
      };
    };
    return show;
  }
}
