// The few MLflow REST calls the tracking client makes, with every failure sorted into what the
// sender should do about it: retry later, wait for a sign-in, forget the run, or set the op aside.

import { artifactUrl } from "./artifact-url";
import type { KeyValue, LocalRun, MetricOut, RunStatus } from "./types";

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * retry: network down, timeout, 5xx, 429 — try again with backoff.
 * auth: not signed in (any more) — keep everything, wait for the page to say so.
 * gone: the run does not exist on the server (deleted) — its ops can never land.
 * reject: the server refused this request's content — retrying cannot help.
 */
export type FailureKind = "retry" | "auth" | "gone" | "reject";

export class TransportError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

export const BATCH_ID_HEADER = "X-Cuaderno-Batch-Id";
/** Tag holding the client's run id, so a create whose answer was lost is found again. */
export const CLIENT_RUN_TAG = "cuaderno.client_run_id";

export interface TransportOptions {
  fetch?: FetchFn;
  /** "" for the same origin (the notebook's worker). */
  baseUrl?: string;
  /** Per-request limit; a request that takes longer counts as a network failure. */
  timeoutMs?: number;
}

export class MlflowTransport {
  private readonly doFetch: FetchFn;
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(options: TransportOptions = {}) {
    this.doFetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.base = (options.baseUrl ?? "").replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  private async request(method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}): Promise<unknown> {
    const controller = typeof AbortController === "undefined" ? null : new AbortController();
    const timer = controller ? setTimeout(() => controller.abort(), this.timeoutMs) : null;
    let res: Response;
    try {
      res = await this.doFetch(`${this.base}${path}`, {
        method,
        body: init.body,
        headers: init.headers,
        credentials: "same-origin",
        ...(controller ? { signal: controller.signal } : {}),
      });
    } catch (err) {
      throw new TransportError("retry", `Network error: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      if (timer) clearTimeout(timer);
    }
    const text = await res.text().catch(() => "");
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = null;
    }
    if (res.ok) {
      if (json === null) throw new TransportError("retry", `Unreadable answer from ${path} (HTTP ${res.status})`, res.status);
      return json;
    }
    const body = (json ?? {}) as { error_code?: string; message?: string };
    const message = `${path}: HTTP ${res.status}${body.error_code ? ` ${body.error_code}` : ""}${body.message ? ` — ${body.message}` : ""}`;
    if (res.status === 401) throw new TransportError("auth", message, res.status);
    if (res.status === 408 || res.status === 429 || res.status >= 500 || json === null) throw new TransportError("retry", message, res.status);
    if (res.status === 404 && body.error_code === "RESOURCE_DOES_NOT_EXIST") throw new TransportError("gone", message, res.status);
    throw new TransportError("reject", message, res.status);
  }

  private postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
    return this.request("POST", `/api/2.0/mlflow/${path}`, {
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", ...headers },
    });
  }

  /** Creates the server run for a local one; returns its id. */
  async createRun(run: LocalRun): Promise<string> {
    const p = run.provenance;
    const r = (await this.postJson("runs/create", {
      run_name: run.name,
      start_time: run.startTime,
      tags: [{ key: CLIENT_RUN_TAG, value: run.localId }],
      cuaderno: {
        source: p.source ?? undefined,
        backend: p.backend ?? undefined,
        device: p.device ?? undefined,
        dataset_name: p.datasetName ?? undefined,
        dataset_hash: p.datasetHash ?? undefined,
        seed: p.seed ?? undefined,
        lesson_slug: run.lessonSlug ?? undefined,
        class_id: run.classId ?? undefined,
      },
    })) as { run?: { info?: { run_id?: string } } };
    const id = r.run?.info?.run_id;
    if (!id) throw new TransportError("retry", "runs/create answered without a run id");
    return id;
  }

  /** The server run created earlier for this local run, if an earlier create got through. */
  async findRun(localId: string): Promise<string | null> {
    const r = (await this.postJson("runs/search", {
      filter: `tags.\`${CLIENT_RUN_TAG}\` = '${localId.replace(/'/g, "")}'`,
      max_results: 2,
      run_view_type: "ALL",
    })) as { runs?: { info: { run_id: string } }[] };
    return r.runs?.[0]?.info.run_id ?? null;
  }

  async logBatch(runId: string, batchId: string, batch: { metrics: MetricOut[]; params: KeyValue[]; tags: KeyValue[] }): Promise<void> {
    await this.postJson("runs/log-batch", { run_id: runId, ...batch }, { [BATCH_ID_HEADER]: batchId });
  }

  async updateRun(runId: string, status: RunStatus, endTime: number): Promise<void> {
    await this.postJson("runs/update", { run_id: runId, status, end_time: endTime });
  }

  /** MLflow's artifact proxy: PUT /api/2.0/mlflow-artifacts/artifacts/<run_id>/<path>. */
  async putArtifact(runId: string, path: string, data: ArrayBuffer, contentType: string): Promise<void> {
    await this.request("PUT", artifactUrl(runId, path), {
      body: new Uint8Array(data),
      headers: { "Content-Type": contentType },
    });
  }
}
