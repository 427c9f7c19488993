// Batch prediction (issue 13 point 6): a CSV of rows predicted by a registered model's version in
// the background, in chunks through the same backend and engine as the online endpoint, with
// progress, and its predictions kept as a CSV for the job's owner. Jobs live in this process's
// memory (processWide), bounded in rows, bytes, count, and time (an hour after they are created).
import { randomUUID } from "node:crypto";
import type { SessionUser } from "@/lib/server/auth";
import { processWide } from "@/lib/server/process-wide";
import { parseCsv } from "@/lib/datasets/csv";
import type { ServingBackend } from "@/lib/serving/protocols/answer-request";
import { resolveServedVersionOrThrow, rowWidth, type ServedModel, type ServedVersion } from "@/lib/serving/protocols/model";

export const BATCH_LIMITS = {
  rows: 100_000,
  bytes: 10 * 1024 * 1024,
  /** Rows per call to the engine. */
  chunkRows: 1000,
  /** A job (and its predictions) is forgotten this long after it was created. */
  ttlMs: 60 * 60 * 1000,
  /** Jobs kept at once in this process, and per user still running. */
  jobs: 200,
  runningPerUser: 3,
} as const;

export type BatchState = "running" | "done" | "failed";

export interface BatchJob {
  id: string;
  ownerId: string;
  model: string;
  version: number;
  createdAt: number;
  total: number;
  done: number;
  state: BatchState;
  error: string | null;
  /** The predictions CSV once done. */
  csv: string | null;
}

/** A refused upload: the HTTP status and a message for the caller. */
export class BatchError extends Error {
  constructor(
    readonly status: 400 | 404 | 413 | 429,
    message: string,
  ) {
    super(message);
  }
}

export interface BatchJobs {
  jobs: Map<string, BatchJob>;
}

export const processBatchJobs = (): BatchJobs => processWide("servingBatchJobs", () => ({ jobs: new Map<string, BatchJob>() }));

function sweep(store: BatchJobs, now: number): void {
  for (const [id, j] of store.jobs) if (now - j.createdAt >= BATCH_LIMITS.ttlMs) store.jobs.delete(id);
}

/** The job as its owner sees it; anyone else (and an expired or unknown id) gets null. */
export function batchJobFor(user: SessionUser, id: string, store: BatchJobs = processBatchJobs(), now = Date.now()): BatchJob | null {
  sweep(store, now);
  const j = store.jobs.get(id);
  return j && j.ownerId === user.id ? j : null;
}

export interface ParsedBatch {
  ids: string[];
  rows: number[][];
}

const ID_COLUMNS = ["id", "ID", "Id"];

/** The feature matrix of a CSV, in the model's feature order; every refusal names the row and column. */
export function parseBatchCsv(text: string, features: readonly string[]): ParsedBatch {
  let parsed;
  try {
    parsed = parseCsv(text, { infer: false });
  } catch (e) {
    throw new BatchError(400, (e as Error).message);
  }
  if (parsed.columns.length === 0) throw new BatchError(400, "The CSV is empty: it needs a header row with the model's feature names");
  const missing = features.filter((f) => !parsed.columns.includes(f));
  if (missing.length)
    throw new BatchError(400, `The CSV has no column ${missing.slice(0, 10).map((m) => `"${m}"`).join(", ")}${missing.length > 10 ? ` (and ${missing.length - 10} more)` : ""}; the model's features are: ${features.join(", ")}`);
  if (parsed.rows.length === 0) throw new BatchError(400, "The CSV has a header but no rows");
  if (parsed.rows.length > BATCH_LIMITS.rows) throw new BatchError(413, `The CSV has ${parsed.rows.length} rows; a batch takes at most ${BATCH_LIMITS.rows}`);
  const idColumn = ID_COLUMNS.find((c) => parsed.columns.includes(c) && !features.includes(c));
  const rows = new Array<number[]>(parsed.rows.length);
  const ids = new Array<string>(parsed.rows.length);
  for (let r = 0; r < parsed.rows.length; r++) {
    const row = parsed.rows[r];
    const out = new Array<number>(features.length);
    for (let f = 0; f < features.length; f++) {
      const raw = String(row[features[f]] ?? "").trim();
      const v = raw === "" ? NaN : Number(raw);
      if (!Number.isFinite(v)) {
        const what = raw === "" ? "is empty" : /^[+-]?(nan|inf(inity)?)$/i.test(raw) ? `is ${raw}` : `"${raw.slice(0, 40)}" is not a number`;
        throw new BatchError(400, `Row ${r + 1}, column "${features[f]}": ${what} (every feature must be a finite number)`);
      }
      out[f] = v;
    }
    rows[r] = out;
    ids[r] = idColumn ? String(row[idColumn] ?? "") : String(r + 1);
  }
  return { ids, rows };
}

/** The model's feature names (its signature's named inputs), or a refusal for a model without them. */
export function featureNamesOf(version: ServedVersion, model: string): string[] {
  const inputs = version.signature.inputs;
  if (inputs.some((s) => rowWidth(s) !== 1))
    throw new BatchError(400, `Version ${version.version} of "${model}" has no feature names; register it with a signature (features) to predict from a CSV`);
  return inputs.map((s) => s.name);
}

/** Output column names: an output of width k gives k columns (`name_0` …). */
export function outputColumns(version: ServedVersion): string[] {
  return version.signature.outputs.flatMap((s) => {
    const w = rowWidth(s);
    return w === 1 ? [s.name] : Array.from({ length: w }, (_, i) => `${s.name}_${i}`);
  });
}

const csvField = (s: string) => (/[",\r\n]/.test(s) || s.trim() !== s ? `"${s.replace(/"/g, '""')}"` : s);

export interface StartBatchInput {
  user: SessionUser;
  backend: ServingBackend;
  model: string;
  version?: number;
  csv: string;
}

/**
 * Checks the upload and starts the job (its chunks run after this returns). The version: the one
 * named, else the endpoint's serving choice (routeLatest, once for the whole job), else the newest.
 */
export async function startBatchJob(input: StartBatchInput, store: BatchJobs = processBatchJobs(), now = Date.now()): Promise<BatchJob> {
  sweep(store, now);
  const running = [...store.jobs.values()].filter((j) => j.ownerId === input.user.id && j.state === "running").length;
  if (running >= BATCH_LIMITS.runningPerUser) throw new BatchError(429, `You have ${running} batch jobs running; wait for one to finish`);
  if (store.jobs.size >= BATCH_LIMITS.jobs) throw new BatchError(429, "Too many batch jobs on this server; try again later");
  const model: ServedModel | null = await input.backend.findModel(input.model);
  let version: ServedVersion;
  try {
    version =
      input.version !== undefined
        ? resolveServedVersionOrThrow(model, input.model, { kind: "version", version: input.version })
        : ((model && input.backend.routeLatest?.(model)) ?? resolveServedVersionOrThrow(model, input.model, { kind: "latest" }));
  } catch (e) {
    throw new BatchError(404, (e as Error).message);
  }
  const features = featureNamesOf(version, input.model);
  const parsed = parseBatchCsv(input.csv, features);
  const job: BatchJob = {
    id: randomUUID(),
    ownerId: input.user.id,
    model: input.model,
    version: version.version,
    createdAt: now,
    total: parsed.rows.length,
    done: 0,
    state: "running",
    error: null,
    csv: null,
  };
  store.jobs.set(job.id, job);
  void runJob(job, input.backend, model!, version, parsed);
  return job;
}

async function runJob(job: BatchJob, backend: ServingBackend, model: ServedModel, version: ServedVersion, parsed: ParsedBatch): Promise<void> {
  const columns = outputColumns(version);
  const lines: string[] = [["id", ...columns].map(csvField).join(",")];
  try {
    for (let start = 0; start < parsed.rows.length; start += BATCH_LIMITS.chunkRows) {
      const chunk = parsed.rows.slice(start, start + BATCH_LIMITS.chunkRows);
      const out = await backend.predict(model, version, chunk);
      if (out.length !== chunk.length) throw new Error(`The model answered ${out.length} rows for ${chunk.length}`);
      for (let i = 0; i < out.length; i++) lines.push([csvField(parsed.ids[start + i]), ...Array.from(out[i], (v) => String(v))].join(","));
      job.done = start + chunk.length;
    }
    job.csv = `${lines.join("\n")}\n`;
    job.state = "done";
  } catch (e) {
    job.state = "failed";
    job.error = (e as Error).message || "The model failed";
  }
}

/** What GET /api/serving/batch/<id> answers. */
export const batchJobView = (j: BatchJob) => ({ id: j.id, model: j.model, version: j.version, state: j.state, done: j.done, total: j.total, error: j.error, expiresAt: j.createdAt + BATCH_LIMITS.ttlMs });
