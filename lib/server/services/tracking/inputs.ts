// A run's inputs: the datasets it used (MLflow's runs/log-inputs), each with input tags such as
// mlflow.data.context ("training", "eval"). Read back in run.inputs.dataset_inputs and searched
// with datasets.name / datasets.digest / datasets.context.
import type { Prisma } from "@/prisma/generated/sqlite/client";
import type { Db } from "@/lib/server/db";
import { DomainError } from "@/lib/server/errors";
import type { SignedInContext } from "@/lib/server/services/context";
import { getRunForWriteOrThrow } from "./access";
import type { Clause } from "./search-filter";
import type { KeyValue } from "./values";

export const DATASET_CONTEXT_TAG = "mlflow.data.context";

// MLflow's limits (mlflow/utils/validation.py); the profile is also bounded by the body size.
export const INPUT_LIMITS = {
  datasetsPerRequest: 1000,
  name: 500,
  digest: 36,
  sourceType: 500,
  source: 65_535,
  schema: 1_048_575,
  profile: 16_777_215,
  tagKey: 255,
  tagValue: 500,
  tagsPerInput: 100,
} as const;

export interface DatasetInfo {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema: string | null;
  profile: string | null;
}
export interface DatasetInput {
  dataset: DatasetInfo;
  tags: KeyValue[];
}

const invalid = (message: string) => new DomainError("invalidInput", message);

function field(o: Record<string, unknown>, name: string, what: string, limit: number, required: boolean): string | null {
  const v = o[name];
  if (v === undefined || v === null) {
    if (required) throw invalid(`${what} ${name} cannot be None`);
    return null;
  }
  if (typeof v !== "string") throw invalid(`${what} ${name} must be a string`);
  if (v.length > limit) throw invalid(`${what} ${name} exceeds the maximum length of ${limit}`);
  return v;
}

/** One `{dataset: {...}, tags: [{key, value}]}` of a log-inputs request, checked as MLflow does. */
export function validateDatasetInput(raw: unknown): DatasetInput {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw invalid("Each entry of 'datasets' must be an object with a 'dataset'");
  const r = raw as Record<string, unknown>;
  const d = r.dataset;
  if (typeof d !== "object" || d === null || Array.isArray(d)) throw invalid("Dataset cannot be None");
  const o = d as Record<string, unknown>;
  const L = INPUT_LIMITS;
  const dataset: DatasetInfo = {
    name: field(o, "name", "Dataset", L.name, true)!,
    digest: field(o, "digest", "Dataset", L.digest, true)!,
    sourceType: field(o, "source_type", "Dataset", L.sourceType, true)!,
    source: field(o, "source", "Dataset", L.source, true)!,
    schema: field(o, "schema", "Dataset", L.schema, false),
    profile: field(o, "profile", "Dataset", L.profile, false),
  };
  const rawTags = r.tags ?? [];
  if (!Array.isArray(rawTags)) throw invalid("Dataset input 'tags' must be a list");
  if (rawTags.length > L.tagsPerInput) throw invalid(`A dataset input can have at most ${L.tagsPerInput} tags`);
  const tags = new Map<string, string>();
  for (const t of rawTags) {
    if (typeof t !== "object" || t === null || Array.isArray(t)) throw invalid("InputTag cannot be None");
    const key = field(t as Record<string, unknown>, "key", "InputTag", L.tagKey, true)!;
    if (!key) throw invalid("InputTag key cannot be empty");
    tags.set(key, field(t as Record<string, unknown>, "value", "InputTag", L.tagValue, true)!);
  }
  return { dataset, tags: [...tags].map(([key, value]) => ({ key, value })) };
}

/**
 * Records datasets as inputs of the caller's active run. As MLflow: inputs with the same name and
 * digest are kept once (the first one, with its tags), also across calls.
 */
export async function logInputs(ctx: SignedInContext, input: { runId: string; datasets: unknown[] }): Promise<void> {
  if (input.datasets.length > INPUT_LIMITS.datasetsPerRequest)
    throw invalid(`A log-inputs request can contain at most ${INPUT_LIMITS.datasetsPerRequest} datasets. Got ${input.datasets.length}.`);
  const inputs = input.datasets.map(validateDatasetInput);
  const run = await getRunForWriteOrThrow(ctx, input.runId);
  if (!inputs.length) return;
  const unique = new Map<string, DatasetInput>();
  for (const i of inputs) {
    const k = JSON.stringify([i.dataset.name, i.dataset.digest]);
    if (!unique.has(k)) unique.set(k, i);
  }
  await ctx.db.$transaction(async (tx) => {
    const existing = await tx.runInput.findMany({ where: { runId: run.id }, select: { name: true, digest: true } });
    const seen = new Set(existing.map((e) => JSON.stringify([e.name, e.digest])));
    for (const [k, i] of unique) {
      if (seen.has(k)) continue;
      const d = i.dataset;
      const row = await tx.runInput.create({
        data: { runId: run.id, name: d.name, digest: d.digest, sourceType: d.sourceType, source: d.source, schema: d.schema, profile: d.profile },
        select: { id: true },
      });
      if (i.tags.length) await tx.runInputTag.createMany({ data: i.tags.map((t) => ({ inputId: row.id, ...t })) });
    }
  });
}

/** The dataset inputs of the given runs, in the order they were logged. */
export async function loadInputs(db: Db, runIds: string[]): Promise<Map<string, DatasetInput[]>> {
  const out = new Map<string, DatasetInput[]>();
  for (let i = 0; i < runIds.length; i += 5000) {
    const rows = await db.runInput.findMany({
      where: { runId: { in: runIds.slice(i, i + 5000) } },
      select: {
        runId: true,
        name: true,
        digest: true,
        sourceType: true,
        source: true,
        schema: true,
        profile: true,
        tags: { select: { key: true, value: true }, orderBy: { key: "asc" } },
      },
      orderBy: { id: "asc" },
    });
    for (const { runId, tags, ...dataset } of rows) {
      const list = out.get(runId) ?? [];
      list.push({ dataset, tags });
      out.set(runId, list);
    }
  }
  return out;
}

/** What a datasets.* filter clause looks at: one entry per input of the run. */
export const datasetSearchable = (inputs: DatasetInput[]) =>
  inputs.map((i) => ({ name: i.dataset.name, digest: i.dataset.digest, context: i.tags.find((t) => t.key === DATASET_CONTEXT_TAG)?.value ?? null }));

/** `=` and `IN` on datasets.* narrow the runs fetched (the full filter still runs in memory). */
export function datasetNarrowing(clauses: Clause[]): Prisma.RunWhereInput[] {
  const where: Prisma.RunWhereInput[] = [];
  for (const c of clauses) {
    if (c.entity !== "dataset") continue;
    const values = c.op === "=" && typeof c.value === "string" ? [c.value] : c.op === "IN" && Array.isArray(c.value) ? c.value : null;
    if (!values) continue;
    const value = values.length === 1 ? values[0] : { in: values };
    if (c.key === "name") where.push({ inputs: { some: { name: value } } });
    else if (c.key === "digest") where.push({ inputs: { some: { digest: value } } });
    else if (c.key === "context") where.push({ inputs: { some: { tags: { some: { key: DATASET_CONTEXT_TAG, value } } } } });
  }
  return where;
}

export const hasDatasetClause = (clauses: Clause[]) => clauses.some((c) => c.entity === "dataset");
