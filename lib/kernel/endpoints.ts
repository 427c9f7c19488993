// The `endpoints` global: the class's model endpoints from a notebook (issue 13 point 2), same
// origin with the session cookie as `challenge`. `list()` names the endpoints the student may call
// (their own and those shared with their classes), `predict(name, rows)` posts rows to the TF
// Serving route (/v1/models/<name>:predict) and returns its `predictions`, `deploy(name, …)`
// changes how the owner's endpoint is served (the `endpoints` tRPC router); `request` is predict
// with the request id that `feedback(requestId, labels)` sends ground truth under, `rollback` and
// `promote` finish a rollout, `stats` and `events` read live monitoring and the audit log; a page
// without a signed-in student says so through `signedIn()`. `registerModel` (on
// a tracking run) registers a logged model through the MLflow registry REST with its serving
// signature and, optionally, a bounded training reference for drift monitoring.

import type { TableDataset } from "@/lib/datasets/types";

export interface EndpointsApiOptions {
  fetch?: typeof fetch;
  /** Prefix of the app's routes; "" means same origin. */
  baseUrl?: string;
  /** Whether the page's student is signed in (the notebook's context); unknown: assumed signed in. */
  signedIn?: () => boolean;
}

export interface EndpointSummary {
  /** As the caller addresses it (`name` for their own, `<ownerId>/<name>` for others'). */
  name: string;
  ownerId: string;
  mine: boolean;
  visibility: string;
  mode: string;
  versions: number[];
  servingVersion: number | null;
  stableVersion: number | null;
  candidateVersion: number | null;
}

export interface DeployOptions {
  /** single: the version to serve (default: the newest). */
  version?: number;
  mode?: "single" | "canary" | "shadow" | "ab" | "blue-green";
  candidateVersion?: number;
  /** canary: share of requests to the candidate; A/B: share of callers in arm B (0–100). */
  percent?: number;
}

/** One prediction request's answer with the id its `x-request-id` header carried (for `feedback`). */
export interface PredictionRequest {
  requestId: string | null;
  predictions: unknown[];
}

export interface FeedbackItem {
  requestId: string;
  /** One 0/1 label per row of the request. */
  labels: number[];
}

export interface FeedbackOutcome {
  accepted: number;
  /** Each item's result, in order: the id, and the server's refusal when it was refused. */
  results: { requestId: string; error?: string }[];
}

/** Limits of the feedback route (lib/server/services/serving/monitoring.ts FEEDBACK_LIMITS). */
export const FEEDBACK_ITEMS_PER_CALL = 1000;

export interface DeploymentEventSummary {
  id: number | string;
  action: string;
  actorId: string;
  timestamp: number;
  from: Record<string, unknown> | null;
  to: Record<string, unknown> | null;
}

export interface EndpointsApi {
  /** Whether the server's endpoints can be used from this page (a signed-in student). */
  signedIn(): boolean;
  list(): Promise<EndpointSummary[]>;
  predict(name: string, rows: unknown, options?: { version?: number }): Promise<unknown[]>;
  /** As predict, with the request id ground truth is later sent under. */
  request(name: string, rows: unknown, options?: { version?: number }): Promise<PredictionRequest>;
  /** Ground truth for earlier requests (POST /api/serving/feedback). */
  feedback(requestId: string | readonly FeedbackItem[], labels?: readonly number[]): Promise<FeedbackOutcome>;
  deploy(name: string, options?: DeployOptions): Promise<EndpointSummary>;
  /** The owner's rollback: undoes the last deployment change (endpoints.rollback). */
  rollback(name: string): Promise<EndpointSummary>;
  /** The candidate (blue/green: the live color) becomes the single version. */
  promote(name: string): Promise<EndpointSummary>;
  /** Live monitoring of the endpoint's versions (monitoring.endpointStats). */
  stats(name: string, options?: { windowSeconds?: number }): Promise<unknown>;
  /** The audit log, newest first. */
  events(name: string, options?: { limit?: number }): Promise<DeploymentEventSummary[]>;
}

type FetchFn = typeof fetch;

const NAME_RE = /^[^\s:]{1,513}$/u;

function checkName(where: string, name: unknown): string {
  if (typeof name !== "string" || !NAME_RE.test(name)) throw new Error(`${where}: "${String(name)}" is not an endpoint name (see endpoints.list())`);
  return name;
}

/** tRPC over HTTP (superjson envelope `{json}`): a query as GET, a mutation as POST. */
export async function trpcCall<T>(doFetch: FetchFn, base: string, path: string, input: unknown, kind: "query" | "mutation"): Promise<T> {
  const url = `${base}/api/trpc/${path}`;
  const res =
    kind === "query"
      ? await doFetch(input === undefined ? url : `${url}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { credentials: "same-origin" })
      : await doFetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, credentials: "same-origin", body: JSON.stringify({ json: input ?? null }) });
  type Envelope = { result?: { data?: { json?: unknown } }; error?: { json?: { message?: string }; message?: string } };
  let body: Envelope | null = null;
  try {
    body = (await res.json()) as Envelope;
  } catch {
    body = null;
  }
  if (!res.ok || !body?.result) {
    const message = body?.error?.json?.message ?? body?.error?.message ?? `HTTP ${res.status}`;
    throw new Error(message);
  }
  return body.result.data?.json as T;
}

/** The `error` text of a TF Serving–style answer, else the HTTP status. */
async function servingError(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: unknown; message?: unknown };
    if (typeof body.error === "string") return body.error;
    if (typeof body.message === "string") return body.message;
  } catch {
    // not JSON
  }
  return `HTTP ${res.status}`;
}

const modelPath = (name: string) => `/v1/models/${encodeURIComponent(name)}`;

/** The model's input names in signature order (one name: a single [-1, n] input). */
async function inputNames(doFetch: FetchFn, base: string, name: string, version?: number): Promise<string[]> {
  const res = await doFetch(`${base}${modelPath(name)}${version ? `/versions/${version}` : ""}/metadata`, { credentials: "same-origin" });
  if (!res.ok) throw new Error(`endpoints.predict: ${await servingError(res)}`);
  const body = (await res.json()) as { metadata?: { signature_def?: { signature_def?: Record<string, { inputs?: Record<string, unknown> }> } } };
  const defs = body.metadata?.signature_def?.signature_def ?? {};
  const def = defs.serving_default ?? Object.values(defs)[0];
  return Object.keys(def?.inputs ?? {});
}

const isTable = (v: unknown): v is TableDataset =>
  !!v && typeof v === "object" && (v as TableDataset).kind === "table" && Array.isArray((v as TableDataset).columns) && typeof (v as TableDataset).matrix === "function";

/** JSON has no NaN or Infinity: send them as text so the server's error names the row. */
const jsonNumber = (v: number): number | string => (Number.isFinite(v) ? v : String(v));

/** Rows as number[][]: a list of rows, a tensor (arraySync) or a typed-array row list. */
function numberRows(rows: unknown): unknown[] {
  let value = rows;
  if (value && typeof value === "object" && typeof (value as { arraySync?: unknown }).arraySync === "function") value = (value as { arraySync(): unknown }).arraySync();
  if (!Array.isArray(value)) throw new Error("endpoints.predict: rows must be a list of rows (number[][]), a tensor, or a table dataset");
  if (value.length === 0) throw new Error("endpoints.predict: no rows to predict");
  return value.map((r) => (ArrayBuffer.isView(r) ? Array.from(r as unknown as ArrayLike<number>) : r));
}

/**
 * The `instances` body for the model's inputs: with named feature inputs, one object per row
 * (from a table's columns of those names, or an array row in signature order); with one input,
 * the rows as they are.
 */
export function instancesFor(rows: unknown, inputs: readonly string[]): unknown[] {
  const named = inputs.length > 1 || (isTable(rows) && inputs.length === 1 && rows.columns.includes(inputs[0]));
  if (isTable(rows)) {
    if (named) {
      const missing = inputs.filter((n) => !rows.columns.includes(n));
      if (missing.length) throw new Error(`endpoints.predict: the table "${rows.name}" has no column ${missing.map((m) => `"${m}"`).join(", ")} (the model's features: ${inputs.join(", ")})`);
      return rows.matrix([...inputs]).map((r) => Object.fromEntries(inputs.map((n, i) => [n, jsonNumber(r[i])])));
    }
    throw new Error("endpoints.predict: this model has a single unnamed input; pass rows as number[][] (e.g. table.matrix(featureColumns))");
  }
  const list = numberRows(rows);
  if (!named) return list.map((r) => (Array.isArray(r) ? r.map((v) => (typeof v === "number" ? jsonNumber(v) : v)) : r));
  return list.map((r, n) => {
    if (!Array.isArray(r)) return r; // objects pass through; the server checks their keys
    if (r.length !== inputs.length) throw new Error(`endpoints.predict: row ${n} has ${r.length} values, the model takes ${inputs.length} (${inputs.join(", ")})`);
    return Object.fromEntries(inputs.map((name, i) => [name, typeof r[i] === "number" ? jsonNumber(r[i]) : r[i]]));
  });
}

const summaryOf = (e: Record<string, unknown>, mine: boolean): EndpointSummary => ({
  name: String(e.name),
  ownerId: String(e.ownerId),
  mine,
  visibility: String(e.visibility),
  mode: String(e.mode),
  versions: (e.versions as number[]) ?? [],
  servingVersion: (e.servingVersion as number | null) ?? null,
  stableVersion: (e.stableVersion as number | null) ?? null,
  candidateVersion: (e.candidateVersion as number | null) ?? null,
});

export function createEndpointsApi(options: EndpointsApiOptions = {}): EndpointsApi {
  const doFetch: FetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const base = options.baseUrl ?? "";
  /** One TF Serving predict request: the model's input names from its metadata, then the rows. */
  async function send(where: string, name: string, rows: unknown, opts: { version?: number }): Promise<PredictionRequest> {
    const model = checkName(where, name);
    const version = opts.version;
    if (version !== undefined && !(Number.isSafeInteger(version) && version >= 1)) throw new Error(`${where}: version must be a positive integer, got ${String(version)}`);
    const inputs = await inputNames(doFetch, base, model, version).catch((e: Error) => {
      throw new Error(e.message.replace(/^endpoints\.predict:/, `${where}:`));
    });
    const instances = instancesFor(rows, inputs);
    const res = await doFetch(`${base}${modelPath(model)}${version ? `/versions/${version}` : ""}:predict`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ instances }),
    });
    if (!res.ok) throw new Error(`${where}: ${await servingError(res)}`);
    const body = (await res.json()) as { predictions?: unknown[] };
    if (!Array.isArray(body.predictions)) throw new Error(`${where}: the answer has no predictions`);
    return { requestId: res.headers?.get?.("x-request-id") ?? null, predictions: body.predictions };
  }
  const mutate = (where: string, path: string, input: Record<string, unknown>) =>
    trpcCall<Record<string, unknown>>(doFetch, base, `endpoints.${path}`, input, "mutation").catch((e: Error) => {
      throw new Error(`${where}: ${e.message}`);
    });
  return {
    async list() {
      const rows = await trpcCall<(Record<string, unknown> & { mine?: boolean })[]>(doFetch, base, "endpoints.listCallable", undefined, "query").catch((e: Error) => {
        throw new Error(`endpoints.list: ${e.message}`);
      });
      return rows.map((e) => summaryOf(e, e.mine === true));
    },
    signedIn: () => options.signedIn?.() ?? true,
    async predict(name, rows, opts = {}) {
      return (await send("endpoints.predict", name, rows, opts)).predictions;
    },
    request(name, rows, opts = {}) {
      return send("endpoints.request", name, rows, opts);
    },
    async feedback(first, labels) {
      const where = "endpoints.feedback";
      const items: readonly FeedbackItem[] = typeof first === "string" ? [{ requestId: first, labels: labels === undefined ? [] : [...labels] }] : first;
      if (!Array.isArray(items) || items.length === 0) throw new Error(`${where}: give a request id and its labels, or a list of { requestId, labels }`);
      if (items.length > FEEDBACK_ITEMS_PER_CALL) throw new Error(`${where}: at most ${FEEDBACK_ITEMS_PER_CALL} requests per call (got ${items.length})`);
      const body = items.map((item, i) => {
        if (!item || typeof item.requestId !== "string" || !item.requestId) throw new Error(`${where}: item ${i} has no requestId (endpoints.request(...) gives it)`);
        const ls = Array.from(item.labels ?? [], Number);
        if (ls.length === 0 || ls.some((l) => l !== 0 && l !== 1)) throw new Error(`${where}: the labels of ${item.requestId} must be 0 or 1, one per row`);
        return { request_id: item.requestId, labels: ls };
      });
      const res = await doFetch(`${base}/api/serving/feedback`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({ feedback: body }),
      });
      if (!res.ok) throw new Error(`${where}: ${await servingError(res)}`);
      const answer = (await res.json()) as { accepted?: number; results?: { request_id: string; error?: string }[] };
      return {
        accepted: Number(answer.accepted ?? 0),
        results: (answer.results ?? []).map((r) => ({ requestId: r.request_id, ...(r.error ? { error: r.error } : {}) })),
      };
    },
    async deploy(name, opts = {}) {
      const model = checkName("endpoints.deploy", name);
      const mode = opts.mode ?? "single";
      const call = (path: string, input: Record<string, unknown>) =>
        trpcCall<Record<string, unknown>>(doFetch, base, `endpoints.${path}`, { name: model, ...input }, "mutation").catch((e: Error) => {
          throw new Error(`endpoints.deploy: ${e.message}`);
        });
      const need = (v: number | undefined, what: string): number => {
        if (v === undefined) throw new Error(`endpoints.deploy: mode "${mode}" needs ${what}`);
        return v;
      };
      let view: Record<string, unknown>;
      if (mode === "single") {
        let version = opts.version;
        if (version === undefined) {
          const current = await trpcCall<Record<string, unknown>>(doFetch, base, "endpoints.get", { name: model }, "query");
          const versions = (current.versions as number[]) ?? [];
          if (!versions.length) throw new Error(`endpoints.deploy: "${model}" has no ready version`);
          version = versions[versions.length - 1];
        }
        view = await call("deploy", { version });
      } else if (mode === "canary") view = await call("startCanary", { candidateVersion: need(opts.candidateVersion, "candidateVersion"), percent: need(opts.percent, "percent") });
      else if (mode === "shadow") view = await call("startShadow", { candidateVersion: need(opts.candidateVersion, "candidateVersion") });
      else if (mode === "ab") view = await call("startAb", { candidateVersion: need(opts.candidateVersion, "candidateVersion"), ...(opts.percent === undefined ? {} : { percent: opts.percent }) });
      else if (mode === "blue-green") view = await call("switchBlueGreen", opts.version === undefined ? {} : { version: opts.version });
      else throw new Error(`endpoints.deploy: unknown mode "${String(mode)}" (single, canary, shadow, ab, blue-green)`);
      return summaryOf(view, true);
    },
    async rollback(name) {
      return summaryOf(await mutate("endpoints.rollback", "rollback", { name: checkName("endpoints.rollback", name) }), true);
    },
    async promote(name) {
      return summaryOf(await mutate("endpoints.promote", "promote", { name: checkName("endpoints.promote", name) }), true);
    },
    async stats(name, opts = {}) {
      const model = checkName("endpoints.stats", name);
      const windowSeconds = opts.windowSeconds ?? 600;
      if (!(Number.isSafeInteger(windowSeconds) && windowSeconds >= 10 && windowSeconds <= 600)) throw new Error(`endpoints.stats: windowSeconds must be a whole number from 10 to 600, got ${String(windowSeconds)}`);
      return trpcCall<unknown>(doFetch, base, "monitoring.endpointStats", { model, windowSeconds }, "query").catch((e: Error) => {
        throw new Error(`endpoints.stats: ${e.message}`);
      });
    },
    async events(name, opts = {}) {
      const model = checkName("endpoints.events", name);
      const limit = opts.limit ?? 100;
      if (!(Number.isSafeInteger(limit) && limit >= 1 && limit <= 1000)) throw new Error(`endpoints.events: limit must be a whole number from 1 to 1000, got ${String(limit)}`);
      return trpcCall<DeploymentEventSummary[]>(doFetch, base, "endpoints.events", { name: model, limit }, "query").catch((e: Error) => {
        throw new Error(`endpoints.events: ${e.message}`);
      });
    },
  };
}
