// The `track` global that notebook cells call. Every logging call returns at once (points go to
// the TrackingClient's batches); keys and params are checked here, at the call, so a typo fails
// the student's line instead of a whole batch later on the server.

import { metricValueOut, type TrackingClient } from "./client";
import type { KeyValue, RunProvenance, RunStatus } from "./types";

export interface TrackHooks {
  /** Provenance at run start: the running cell's source, backend, device, dataset. */
  provenance?(params: Record<string, unknown>): Promise<RunProvenance> | RunProvenance;
  /** Throws when the running cell was interrupted. */
  checkInterrupt?(): void;
  /** `run.registerModel`: registers a model the run logged (the kernel's lib/kernel/register-model.ts). */
  registerModel?(run: TrackRun, name: string, options: unknown): Promise<unknown>;
}

// MLflow's key rule (see lib/server/services/tracking/values.ts).
const KEY_RE = /^[\w\-. /:]+$/u;
const PARAM_VALUE_MAX = 6000;

function checkKey(kind: "metric" | "param" | "tag", key: unknown): string {
  if (typeof key !== "string" || !key) throw new TypeError(`track: a ${kind} name must be a non-empty string`);
  if (key.length > 250) throw new RangeError(`track: ${kind} name "${key.slice(0, 40)}…" is longer than 250 characters`);
  if (kind !== "tag" && !KEY_RE.test(key))
    throw new TypeError(`track: invalid ${kind} name "${key}" — use letters, digits, _ - . space : /`);
  if (key.startsWith("/") || key.split("/").includes("..")) throw new TypeError(`track: invalid ${kind} name "${key}"`);
  return key;
}

function paramText(value: unknown): string {
  let s: string;
  if (typeof value === "string") s = value;
  else if (value === undefined) s = "undefined";
  else if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint" || value === null) s = String(value);
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = String(value);
    }
  }
  return s.length > PARAM_VALUE_MAX ? `${s.slice(0, PARAM_VALUE_MAX - 1)}…` : s;
}

function toNumber(key: string, value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  // A scalar tensor (or anything with dataSync): its value.
  const v = value as { dataSync?: () => ArrayLike<number>; size?: number };
  if (v && typeof v.dataSync === "function" && (v.size === undefined || v.size === 1)) return Number(v.dataSync()[0]);
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (typeof value === "string" && !Number.isNaN(n)) return n;
  throw new TypeError(`track: metric "${key}" must be a number, got ${typeof value}`);
}

/** What `run.logModel` needs from a tfjs model: `save(handler)`. */
interface SavableModel {
  // `any`: tfjs types the handler as its IOHandler; this module does not depend on tfjs.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  save(handler: any, config?: any): Promise<unknown>;
}
interface ModelArtifactsLike {
  modelTopology?: unknown;
  weightSpecs?: unknown[];
  weightData?: ArrayBuffer | ArrayBuffer[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: unknown;
  signature?: unknown;
  userDefinedMetadata?: unknown;
  modelInitializer?: unknown;
}

function concatBuffers(data: ArrayBuffer | ArrayBuffer[] | undefined): ArrayBuffer {
  if (!data) return new ArrayBuffer(0);
  if (!Array.isArray(data)) return data;
  const total = data.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out.buffer;
}

export interface FitCallbackOptions {
  /** Only these keys of the epoch logs (default: all: loss, acc, val_loss, …). */
  metrics?: string[];
  /** Also log every batch's logs with step = global batch number, under "batch/<key>". */
  batches?: boolean;
}

export class TrackRun {
  /** Local id (the server id arrives when the run was uploaded; see `serverId()`). */
  readonly id: string;
  readonly name: string;
  private ended = false;
  private readonly params = new Map<string, string>();
  private readonly steps = new Map<string, number>();

  constructor(
    private readonly client: TrackingClient,
    id: string,
    name: string,
    private readonly hooks: TrackHooks,
  ) {
    this.id = id;
    this.name = name;
  }

  private live(): void {
    if (this.ended) throw new Error(`track: run "${this.name}" has ended`);
    this.hooks.checkInterrupt?.();
  }

  /** Validates params (immutable once logged, as in MLflow) and returns them as key/values. */
  checkParams(obj: Record<string, unknown>): KeyValue[] {
    if (obj === null || typeof obj !== "object") throw new TypeError("track: params must be an object");
    const out: KeyValue[] = [];
    for (const [k, v] of Object.entries(obj)) {
      const key = checkKey("param", k);
      const value = paramText(v);
      const prev = this.params.get(key);
      if (prev !== undefined && prev !== value)
        throw new Error(`track: param "${key}" was already logged as "${prev}"; params cannot change within a run (start a new run)`);
      if (prev === undefined) out.push({ key, value });
      this.params.set(key, value);
    }
    return out;
  }

  logParams(obj: Record<string, unknown>): void {
    this.live();
    const kv = this.checkParams(obj);
    if (kv.length) this.client.log(this.id, { params: kv });
  }

  logParam(key: string, value: unknown): void {
    this.logParams({ [key]: value });
  }

  /** One point; `step` defaults to the number of points of that key logged before. */
  logMetric(key: string, value: unknown, step?: number): void {
    this.logMetrics({ [key]: value } as Record<string, unknown>, step);
  }

  logMetrics(obj: Record<string, unknown>, step?: number): void {
    this.live();
    if (step !== undefined && !Number.isSafeInteger(step)) throw new TypeError(`track: step must be an integer, got ${step}`);
    const timestamp = Date.now();
    const metrics = Object.entries(obj).map(([k, v]) => {
      const key = checkKey("metric", k);
      const s = step ?? this.steps.get(key) ?? 0;
      this.steps.set(key, Math.max(s + 1, this.steps.get(key) ?? 0));
      return { key, value: metricValueOut(toNumber(key, v)), timestamp, step: s };
    });
    if (metrics.length) this.client.log(this.id, { metrics });
  }

  setTag(key: string, value: unknown): void {
    this.live();
    this.client.log(this.id, { tags: [{ key: checkKey("tag", key), value: String(value ?? "") }] });
  }

  /** A tfjs callback: `model.fit(x, y, { callbacks: [run.fitCallback()] })` logs every epoch (step = epoch). */
  fitCallback(options: FitCallbackOptions = {}) {
    let batch = 0;
    const pick = (logs: Record<string, unknown> = {}) => {
      const out: Record<string, number> = {};
      for (const [k, v] of Object.entries(logs)) {
        if (options.metrics && !options.metrics.includes(k)) continue;
        const n = typeof v === "number" ? v : Number((v as { dataSync?: () => ArrayLike<number> })?.dataSync?.()[0] ?? v);
        if (typeof n === "number") out[k] = n;
      }
      return out;
    };
    return {
      onEpochEnd: async (epoch: number, logs?: Record<string, unknown>) => {
        const m = pick(logs);
        if (Object.keys(m).length) this.logMetrics(m, epoch);
      },
      ...(options.batches
        ? {
            onBatchEnd: async (_b: number, logs?: Record<string, unknown>) => {
              const m = pick(logs);
              const prefixed: Record<string, number> = {};
              for (const [k, v] of Object.entries(m)) if (k !== "batch" && k !== "size") prefixed[`batch/${k}`] = v;
              if (Object.keys(prefixed).length) this.logMetrics(prefixed, batch);
              batch++;
            },
          }
        : {}),
    };
  }

  /** Any bytes as an artifact of this run (uploaded after the points logged before it). */
  async logArtifact(path: string, data: ArrayBuffer | ArrayBufferView | string, contentType?: string): Promise<void> {
    this.live();
    let buf: ArrayBuffer;
    if (typeof data === "string") buf = new TextEncoder().encode(data).buffer as ArrayBuffer;
    else if (data instanceof ArrayBuffer) buf = data;
    else buf = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice().buffer;
    await this.client.logArtifact(this.id, path, buf, contentType ?? (typeof data === "string" ? "text/plain; charset=utf-8" : "application/octet-stream"));
  }

  /**
   * Saves a tfjs model as artifacts `<name>/model.json` and `<name>/weights.bin` (tfjs's layers
   * format: `tf.loadLayersModel` reads it back from the artifact URL).
   */
  async logModel(model: SavableModel, name = "model"): Promise<{ path: string; weightBytes: number }> {
    this.live();
    if (!model || typeof model.save !== "function") throw new TypeError("track: logModel needs a tfjs model (something with save())");
    const dir = name.replace(/^\/+|\/+$/g, "") || "model";
    let saved: { json: string; weights: ArrayBuffer } | null = null;
    await model.save({
      save: async (artifacts: ModelArtifactsLike) => {
        const weights = concatBuffers(artifacts.weightData);
        const json: Record<string, unknown> = {
          modelTopology: artifacts.modelTopology,
          format: artifacts.format,
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy ?? null,
          weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }],
        };
        for (const k of ["trainingConfig", "signature", "userDefinedMetadata", "modelInitializer"] as const) if (artifacts[k] !== undefined) json[k] = artifacts[k];
        saved = { json: JSON.stringify(json), weights };
        return {
          modelArtifactsInfo: {
            dateSaved: new Date(),
            modelTopologyType: "JSON",
            modelTopologyBytes: saved.json.length,
            weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
            weightDataBytes: weights.byteLength,
          },
        };
      },
    });
    if (!saved) throw new Error("track: the model did not save");
    const { json, weights } = saved as { json: string; weights: ArrayBuffer };
    await this.client.logArtifact(this.id, `${dir}/model.json`, new TextEncoder().encode(json).buffer as ArrayBuffer, "application/json");
    await this.client.logArtifact(this.id, `${dir}/weights.bin`, weights, "application/octet-stream");
    return { path: dir, weightBytes: weights.byteLength };
  }

  /** Registers a model this run logged (`logModel`) in the model registry, with its serving signature. */
  registerModel(name: string, options: unknown): Promise<unknown> {
    this.hooks.checkInterrupt?.();
    if (!this.hooks.registerModel) return Promise.reject(new Error("track: registering models is not available here"));
    return this.hooks.registerModel(this, name, options);
  }

  /** Ends the run (FINISHED unless told otherwise); its last points are saved locally first. */
  async end(status: RunStatus = "FINISHED"): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.client.endRun(this.id, status);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** The server's run id once the run was uploaded (null for guests and while offline). */
  serverId(): Promise<string | null> {
    return this.client.serverRunId(this.id);
  }
}

export interface TrackApi {
  run<T>(name: string, params: Record<string, unknown> | ((run: TrackRun) => Promise<T> | T), body?: (run: TrackRun) => Promise<T> | T): Promise<T>;
  start(name: string, params?: Record<string, unknown>): Promise<TrackRun>;
  flush(timeoutMs?: number): Promise<{ pending: number; uploaded: boolean }>;
  pending(): Promise<number>;
}

const isInterrupt = (err: unknown) => (err as Error)?.name === "KernelInterrupt";

export function createTrackApi(client: TrackingClient, hooks: TrackHooks = {}): TrackApi {
  const start = async (name: string, params: Record<string, unknown> = {}): Promise<TrackRun> => {
    hooks.checkInterrupt?.();
    if (typeof name !== "string" || !name.trim()) throw new TypeError("track: a run needs a name");
    if (name.length > 250) throw new RangeError("track: run names have at most 250 characters");
    const probe = new TrackRun(client, "", name, {});
    const kv = probe.checkParams(params ?? {});
    const provenance = { ...((await hooks.provenance?.(params ?? {})) ?? {}) };
    const seed = (params ?? {}).seed;
    if (provenance.seed === undefined && typeof seed === "number" && Number.isSafeInteger(seed)) provenance.seed = seed;
    const local = await client.startRun({ name: name.trim(), provenance, params: kv });
    const run = new TrackRun(client, local.localId, name.trim(), hooks);
    run.checkParams(params ?? {});
    return run;
  };

  return {
    start,
    async run<T>(
      name: string,
      paramsOrBody: Record<string, unknown> | ((run: TrackRun) => Promise<T> | T),
      maybeBody?: (run: TrackRun) => Promise<T> | T,
    ): Promise<T> {
      const body = typeof paramsOrBody === "function" ? paramsOrBody : maybeBody;
      const params = typeof paramsOrBody === "function" ? {} : (paramsOrBody ?? {});
      if (typeof body !== "function") throw new TypeError("track.run(name, params, async (run) => { ... }) needs a function");
      const run = await start(name, params);
      let result: T;
      try {
        result = await body(run);
      } catch (err) {
        await run.end(isInterrupt(err) ? "KILLED" : "FAILED").catch(() => undefined);
        throw err;
      }
      await run.end("FINISHED");
      return result;
    },
    flush: (timeoutMs?: number) => client.flush(timeoutMs),
    pending: () => client.pending(),
  };
}
