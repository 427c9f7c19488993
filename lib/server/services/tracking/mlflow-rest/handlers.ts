// One handler per MLflow REST 2.0 endpoint: read the request fields, call the service, shape
// the response. `p` is the query string (GET) or the JSON body (POST).
import type { SignedInContext } from "@/lib/server/services/context";
import { listArtifactChildren } from "../artifacts";
import * as experiments from "../experiments";
import { logInputs } from "../inputs";
import * as logging from "../logging";
import * as metrics from "../metrics";
import * as runs from "../runs";
import { toInt, type KeyValue, type ViewType } from "../values";
import { MlflowError } from "./errors";
import { experimentJson, metricJson, runInfoJson, runJson } from "./serialize";

export type Params = Record<string, unknown>;
export interface HandlerArgs {
  ctx: SignedInContext;
  p: Params;
  headers: Headers;
}
export type Handler = (a: HandlerArgs) => Promise<unknown>;

const missing = (name: string) =>
  new MlflowError("INVALID_PARAMETER_VALUE", `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`);

function str(p: Params, name: string, opts: { required: true }): string;
function str(p: Params, name: string, opts?: { required?: boolean }): string | undefined;
function str(p: Params, name: string, opts: { required?: boolean } = {}): string | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === "") {
    if (opts.required) throw missing(name);
    return undefined;
  }
  if (typeof v !== "string") throw new MlflowError("INVALID_PARAMETER_VALUE", `Invalid value ${JSON.stringify(v)} for parameter '${name}' supplied: expected a string.`);
  return v;
}

function experimentId(p: Params, name = "experiment_id", required = true): number | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === "") {
    if (required) throw missing(name);
    return undefined;
  }
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw new MlflowError("INVALID_PARAMETER_VALUE", `Invalid value ${JSON.stringify(v)} for parameter '${name}': expected an experiment id`);
  return n;
}

/**
 * An experiment id of a request, where MLflow's "0" (its Default experiment) means the caller's
 * own Default experiment, created on first use (see ensureDefaultExperiment).
 */
async function experimentRef(ctx: SignedInContext, p: Params, name = "experiment_id"): Promise<number> {
  return withDefault(ctx, experimentId(p, name)!);
}
const withDefault = async (ctx: SignedInContext, id: number) => (id === 0 ? (await experiments.ensureDefaultExperiment(ctx)).id : id);

function list(p: Params, name: string): unknown[] | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v : [v];
}

function strList(p: Params, name: string): string[] | undefined {
  const l = list(p, name);
  if (l && !l.every((x) => typeof x === "string")) throw new MlflowError("INVALID_PARAMETER_VALUE", `Parameter '${name}' must be a list of strings`);
  return l as string[] | undefined;
}

function keyValues(p: Params, name: string): KeyValue[] | undefined {
  const l = list(p, name);
  return l?.map((t) => {
    const o = (t ?? {}) as { key?: unknown; value?: unknown };
    return { key: o.key as string, value: o.value as string };
  });
}

function viewType(p: Params, name: string): ViewType | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === "") return undefined;
  if (v === "ACTIVE_ONLY" || v === "DELETED_ONLY" || v === "ALL") return v;
  throw new MlflowError("INVALID_PARAMETER_VALUE", `Invalid value ${JSON.stringify(v)} for parameter '${name}'. Valid values are ACTIVE_ONLY, DELETED_ONLY, ALL`);
}

const runId = (p: Params) => str(p, "run_id") ?? str(p, "run_uuid", { required: true }) ?? "";

/** `cuaderno.lesson_slug` (+ `class_id`) without an experiment id: the lesson's experiment. */
async function lessonExperimentId(ctx: HandlerArgs["ctx"], p: Params): Promise<number | undefined> {
  const c = p.cuaderno;
  if (c === undefined || c === null || typeof c !== "object") return undefined;
  const lessonSlug = str(c as Params, "lesson_slug");
  const classId = str(c as Params, "class_id");
  if (!lessonSlug) {
    if (classId) throw new MlflowError("INVALID_PARAMETER_VALUE", "'cuaderno.class_id' needs 'cuaderno.lesson_slug'");
    return undefined;
  }
  return (await experiments.ensureLessonExperiment(ctx, { lessonSlug, classId: classId ?? null })).id;
}

/** MLflow's artifacts/list: the direct children of `path` (folders collapsed). */
async function listRunArtifacts(ctx: HandlerArgs["ctx"], p: Params) {
  const id = runId(p);
  const run = await runs.getRun(ctx, id);
  const children = await listArtifactChildren(ctx, { runId: id, dir: str(p, "path") });
  return { root_uri: run.info.artifactUri, files: children.map((c) => ({ path: c.path, is_dir: c.isDir, ...(c.isDir ? {} : { file_size: c.size }) })) };
}

/** Cuaderno's optional extension of runs/create: provenance the notebook knows. */
function provenance(p: Params): runs.RunProvenance {
  const c = p.cuaderno;
  if (c === undefined || c === null) return {};
  if (typeof c !== "object") throw new MlflowError("INVALID_PARAMETER_VALUE", "'cuaderno' must be an object");
  const o = c as Params;
  return {
    source: str(o, "source"),
    backend: str(o, "backend"),
    device: str(o, "device"),
    datasetName: str(o, "dataset_name"),
    datasetHash: str(o, "dataset_hash"),
    seed: toInt(o.seed, "seed"),
  };
}

export const BATCH_ID_HEADER = logging.BATCH_ID_HEADER;
function batchId(p: Params, headers: Headers): string | undefined {
  const h = headers.get(BATCH_ID_HEADER) ?? undefined;
  const b = str(p, "batch_id");
  if (h && b && h !== b) throw new MlflowError("INVALID_PARAMETER_VALUE", `${BATCH_ID_HEADER} and batch_id disagree`);
  return h ?? b;
}

export const routes: Record<string, { method: "GET" | "POST" | "GET|POST"; handle: Handler }> = {
  "experiments/create": {
    method: "POST",
    handle: async ({ ctx, p }) => {
      const e = await experiments.createExperiment(ctx, { name: str(p, "name", { required: true }), artifactLocation: str(p, "artifact_location"), tags: keyValues(p, "tags") });
      return { experiment_id: String(e.id) };
    },
  },
  "experiments/get": {
    method: "GET",
    handle: async ({ ctx, p }) => ({ experiment: experimentJson(await experiments.getExperiment(ctx, await experimentRef(ctx, p))) }),
  },
  "experiments/get-by-name": {
    method: "GET",
    handle: async ({ ctx, p }) => ({ experiment: experimentJson(await experiments.getExperimentByName(ctx, str(p, "experiment_name", { required: true }))) }),
  },
  "experiments/search": {
    method: "GET|POST",
    handle: async ({ ctx, p }) => {
      const r = await experiments.searchExperiments(ctx, {
        filter: str(p, "filter"),
        orderBy: strList(p, "order_by"),
        maxResults: toInt(p.max_results, "max_results"),
        pageToken: str(p, "page_token"),
        viewType: viewType(p, "view_type"),
      });
      return { experiments: r.experiments.map(experimentJson), ...(r.nextPageToken ? { next_page_token: r.nextPageToken } : {}) };
    },
  },
  "experiments/update": {
    method: "POST",
    handle: async ({ ctx, p }) => {
      const newName = str(p, "new_name", { required: true });
      await experiments.renameExperiment(ctx, { experimentId: await experimentRef(ctx, p), newName });
      return {};
    },
  },
  "experiments/delete": { method: "POST", handle: async ({ ctx, p }) => (await experiments.deleteExperiment(ctx, await experimentRef(ctx, p)), {}) },
  "experiments/restore": { method: "POST", handle: async ({ ctx, p }) => (await experiments.restoreExperiment(ctx, await experimentRef(ctx, p)), {}) },
  "experiments/set-experiment-tag": {
    method: "POST",
    handle: async ({ ctx, p }) => {
      const key = str(p, "key", { required: true });
      const value = str(p, "value") ?? "";
      await experiments.setExperimentTag(ctx, { experimentId: await experimentRef(ctx, p), key, value });
      return {};
    },
  },
  "experiments/delete-experiment-tag": {
    method: "POST",
    handle: async ({ ctx, p }) => {
      const key = str(p, "key", { required: true });
      await experiments.deleteExperimentTag(ctx, { experimentId: await experimentRef(ctx, p), key });
      return {};
    },
  },
  "runs/create": {
    method: "POST",
    handle: async ({ ctx, p }) => {
      const run = await runs.createRun(ctx, {
        experimentId: experimentId(p, "experiment_id", false) ?? (await lessonExperimentId(ctx, p)),
        runName: str(p, "run_name"),
        startTime: toInt(p.start_time, "start_time"),
        tags: keyValues(p, "tags"),
        ...provenance(p),
      });
      return { run: runJson(run) };
    },
  },
  "runs/get": { method: "GET", handle: async ({ ctx, p }) => ({ run: runJson(await runs.getRun(ctx, runId(p))) }) },
  "runs/update": {
    method: "POST",
    handle: async ({ ctx, p }) => ({
      run_info: runInfoJson(
        await runs.updateRun(ctx, { runId: runId(p), status: str(p, "status"), endTime: toInt(p.end_time, "end_time"), runName: str(p, "run_name") }),
      ),
    }),
  },
  "runs/delete": { method: "POST", handle: async ({ ctx, p }) => (await runs.deleteRun(ctx, runId(p)), {}) },
  "runs/restore": { method: "POST", handle: async ({ ctx, p }) => (await runs.restoreRun(ctx, runId(p)), {}) },
  "runs/search": {
    method: "POST",
    handle: async ({ ctx, p }) => {
      const given = list(p, "experiment_ids")?.map((v, i) => experimentId({ v }, "v") ?? i);
      const defaultId = given?.includes(0) ? await withDefault(ctx, 0) : 0;
      const ids = given?.map((id) => (id === 0 ? defaultId : id));
      const r = await runs.searchRuns(ctx, {
        experimentIds: ids,
        filter: str(p, "filter"),
        orderBy: strList(p, "order_by"),
        maxResults: toInt(p.max_results, "max_results"),
        pageToken: str(p, "page_token"),
        viewType: viewType(p, "run_view_type"),
      });
      return { runs: r.runs.map(runJson), ...(r.nextPageToken ? { next_page_token: r.nextPageToken } : {}) };
    },
  },
  "runs/log-metric": {
    method: "POST",
    handle: async ({ ctx, p, headers }) => {
      const id = batchId(p, headers);
      const m = { key: p.key, value: p.value, timestamp: p.timestamp, step: p.step };
      if (id) await logging.logBatch(ctx, { runId: runId(p), metrics: [m], batchId: id });
      else await logging.logMetric(ctx, { runId: runId(p), ...m });
      return {};
    },
  },
  "runs/log-parameter": { method: "POST", handle: async ({ ctx, p }) => (await logging.logParam(ctx, { runId: runId(p), key: p.key, value: p.value }), {}) },
  "runs/set-tag": { method: "POST", handle: async ({ ctx, p }) => (await logging.setTag(ctx, { runId: runId(p), key: p.key, value: p.value }), {}) },
  "runs/delete-tag": { method: "POST", handle: async ({ ctx, p }) => (await logging.deleteTag(ctx, { runId: runId(p), key: str(p, "key", { required: true }) }), {}) },
  "runs/log-batch": {
    method: "POST",
    handle: async ({ ctx, p, headers }) => {
      const arr = (name: string) => {
        const v = p[name];
        if (v === undefined || v === null) return [];
        if (!Array.isArray(v)) throw new MlflowError("INVALID_PARAMETER_VALUE", `Parameter '${name}' must be a list`);
        return v;
      };
      await logging.logBatch(ctx, { runId: runId(p), metrics: arr("metrics"), params: arr("params"), tags: arr("tags"), batchId: batchId(p, headers) });
      return {};
    },
  },
  "runs/log-inputs": {
    method: "POST",
    handle: async ({ ctx, p }) => {
      const datasets = list(p, "datasets") ?? [];
      if (p.datasets !== undefined && p.datasets !== null && !Array.isArray(p.datasets)) throw new MlflowError("INVALID_PARAMETER_VALUE", "Parameter 'datasets' must be a list");
      if ((list(p, "models") ?? []).length) throw new MlflowError("INVALID_PARAMETER_VALUE", "Logged model inputs ('models') are not supported");
      await logInputs(ctx, { runId: runId(p), datasets });
      return {};
    },
  },
  "artifacts/list": { method: "GET", handle: async ({ ctx, p }) => listRunArtifacts(ctx, p) },
  "metrics/get-history": {
    method: "GET",
    handle: async ({ ctx, p }) => {
      const r = await metrics.getMetricHistory(ctx, {
        runId: runId(p),
        key: str(p, "metric_key", { required: true }),
        maxResults: toInt(p.max_results, "max_results"),
        pageToken: str(p, "page_token"),
      });
      return { metrics: r.metrics.map(metricJson), ...(r.nextPageToken ? { next_page_token: r.nextPageToken } : {}) };
    },
  },
};
