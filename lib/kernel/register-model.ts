// `run.registerModel(name, { path, features, scaler?, threshold?, reference? })`: registers the
// tfjs model a tracking run logged (run.logModel) in the MLflow model registry (REST, same origin,
// the session cookie) with its serving signature, and — given training rows — stores a bounded
// training reference for drift monitoring (monitoring.setTrainingReference).

import type { TableDataset } from "@/lib/datasets/types";
import { trpcCall } from "./endpoints";

export interface RegisterModelOptions {
  /** The run's artifact folder `run.logModel(model, path)` wrote (default "model"). */
  path?: string;
  /** Input feature names, in the order of the model's input columns. */
  features: string[];
  outputs?: string[];
  /** A fitted standard scaler the server applies before the model: x' = (x - mean) / scale. */
  scaler?: { mean: ArrayLike<number>; scale: ArrayLike<number> };
  threshold?: number;
  /** Training rows (number[][] in feature order, or a table with the feature columns) to sample a drift reference from. */
  reference?: unknown;
  description?: string;
}

export interface RegisteredVersion {
  name: string;
  version: number;
  source: string;
  /** Values per feature stored as the training reference (0: none). */
  referenceSize: number;
}

export interface RegisterDeps {
  fetch: typeof fetch;
  baseUrl?: string;
  /** The run's server id, after its uploads (null: not uploaded — guest or offline). */
  serverRunId(): Promise<string | null>;
}

/** Sizes of the stored reference: ≤ 1,000 values per feature and ≤ 60,000 in all (the server's bound). */
export const REFERENCE_SAMPLE = { perFeature: 1000, total: 60_000, min: 20, seed: 42 } as const;

/** mulberry32: a small seeded generator, so a reference is the same sample every time. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function referenceRows(rows: unknown, features: readonly string[]): number[][] {
  const t = rows as TableDataset;
  if (t && typeof t === "object" && t.kind === "table" && typeof t.matrix === "function") {
    const missing = features.filter((f) => !t.columns.includes(f));
    if (missing.length) throw new Error(`registerModel: the reference table has no column ${missing.map((m) => `"${m}"`).join(", ")}`);
    return t.matrix([...features]);
  }
  let value = rows;
  if (value && typeof value === "object" && typeof (value as { arraySync?: unknown }).arraySync === "function") value = (value as { arraySync(): unknown }).arraySync();
  if (!Array.isArray(value)) throw new Error("registerModel: reference must be training rows (number[][]), a tensor or a table dataset");
  return value.map((r, n) => {
    const row = ArrayBuffer.isView(r) ? Array.from(r as unknown as ArrayLike<number>) : r;
    if (!Array.isArray(row) || row.length !== features.length) throw new Error(`registerModel: reference row ${n} must have ${features.length} numbers (one per feature)`);
    return row as number[];
  });
}

/** Per feature, a seeded sample of the training values (finite ones), bounded as REFERENCE_SAMPLE says. */
export function sampleTrainingReference(rows: unknown, features: readonly string[], seed: number = REFERENCE_SAMPLE.seed): { features: { name: string; sample: number[] }[] } {
  const all = referenceRows(rows, features);
  const size = Math.min(REFERENCE_SAMPLE.perFeature, Math.floor(REFERENCE_SAMPLE.total / Math.max(1, features.length)), all.length);
  // One seeded partial Fisher–Yates over row indices: every feature samples the same rows.
  const idx = all.map((_, i) => i);
  const rand = seeded(seed);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(rand() * (idx.length - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const picked = idx.slice(0, size);
  const out = features.map((name, f) => ({ name, sample: picked.map((r) => Number(all[r][f])).filter((v) => Number.isFinite(v)) }));
  const short = out.find((f) => f.sample.length < REFERENCE_SAMPLE.min);
  if (short) throw new Error(`registerModel: the reference needs at least ${REFERENCE_SAMPLE.min} finite values of "${short.name}" (got ${short.sample.length})`);
  return { features: out };
}

async function mlflow(deps: RegisterDeps, path: string, body: unknown): Promise<{ ok: boolean; status: number; json: Record<string, unknown> }> {
  const res = await deps.fetch(`${deps.baseUrl ?? ""}/api/2.0/mlflow/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify(body),
  });
  let json: Record<string, unknown> = {};
  try {
    json = (await res.json()) as Record<string, unknown>;
  } catch {
    json = {};
  }
  return { ok: res.ok, status: res.status, json };
}

const errorText = (r: { status: number; json: Record<string, unknown> }) =>
  `${typeof r.json.message === "string" ? r.json.message : `HTTP ${r.status}`}${typeof r.json.error_code === "string" ? ` (${r.json.error_code})` : ""}`;

export async function registerModel(deps: RegisterDeps, name: string, options: RegisterModelOptions): Promise<RegisteredVersion> {
  if (typeof name !== "string" || !name.trim() || name.includes("/")) throw new Error("registerModel: a model needs a name (no '/')");
  const o = options ?? ({} as RegisterModelOptions);
  const features = o.features;
  if (!Array.isArray(features) || features.length === 0 || features.some((f) => typeof f !== "string" || !f))
    throw new Error("registerModel: features must list the input feature names, in the model's column order");
  const path = (o.path ?? "model").replace(/\/+$/, "");
  const signature: Record<string, unknown> = { inputs: features, outputs: o.outputs ?? ["score"] };
  if (o.scaler) signature.preprocessing = { type: "standard_scaler", mean: Array.from(o.scaler.mean, Number), scale: Array.from(o.scaler.scale, Number) };
  if (o.threshold !== undefined) signature.threshold = o.threshold;
  // Sample first: a bad reference fails before anything is registered.
  const reference = o.reference === undefined ? null : sampleTrainingReference(o.reference, features);

  const runId = await deps.serverRunId();
  if (!runId) throw new Error("registerModel: the run is not on the server yet (sign in, and check the connection)");

  const created = await mlflow(deps, "registered-models/create", { name });
  if (!created.ok && created.json.error_code !== "RESOURCE_ALREADY_EXISTS") throw new Error(`registerModel: ${errorText(created)}`);
  const source = `runs:/${runId}/${path}`;
  const mv = await mlflow(deps, "model-versions/create", {
    name,
    source,
    run_id: runId,
    ...(o.description ? { description: o.description } : {}),
    cuaderno: { signature },
  });
  if (!mv.ok) throw new Error(`registerModel: ${errorText(mv)}`);
  const version = Number((mv.json.model_version as { version?: unknown } | undefined)?.version);
  if (!Number.isSafeInteger(version)) throw new Error("registerModel: the registry answered without a version");
  if (reference) {
    await trpcCall(deps.fetch, deps.baseUrl ?? "", "monitoring.setTrainingReference", { model: name, version, reference }, "mutation").catch((e: Error) => {
      throw new Error(`registerModel: version ${version} was registered, but its training reference was refused: ${e.message}`);
    });
  }
  return { name, version, source, referenceSize: reference ? reference.features[0].sample.length : 0 };
}
