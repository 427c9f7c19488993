// Runs: create, read, update, soft-delete, share with the class, and search with MLflow's
// filter grammar. Reads return a run with its params, tags and latest value of each metric.
import { randomBytes } from "node:crypto";
import { Prisma } from "@/prisma/generated/sqlite/client";
import type { Db } from "@/lib/server/db";
import { DomainError } from "@/lib/server/errors";
import type { SignedInContext } from "@/lib/server/services/context";
import { getRunForWriteOrThrow, invalidateRunCache, runNotFound, visibleExperimentWhere, visibleRunWhere, experimentNotFound } from "./access";
import { ensureDefaultExperiment } from "./experiments";
import { datasetNarrowing, datasetSearchable, hasDatasetClause, loadInputs, type DatasetInput } from "./inputs";
import { decodePageToken, encodePageToken } from "./page-token";
import { compileFilter, compileOrder, parseFilter, parseOrderBy, type Searchable } from "./search-filter";
import { sqlNarrowing } from "./search-sql";
import { decodeMetricValue, LIMITS, RUN_STATUSES, validateTag, type KeyValue, type MetricPoint, type RunStatus, type ViewType } from "./values";

export interface RunInfo {
  runId: string;
  experimentId: number;
  userId: string;
  userName: string;
  runName: string;
  status: string;
  startTime: number;
  endTime: number | null;
  artifactUri: string;
  lifecycleStage: string;
  classId: string | null;
  lessonSlug: string | null;
  source: string | null;
  backend: string | null;
  device: string | null;
  datasetName: string | null;
  datasetHash: string | null;
  seed: number | null;
  sharedWithClass: boolean;
  /** The run is in its owner's Default experiment (MLflow's "0"; only the owner sees such runs). */
  inDefaultExperiment: boolean;
}
export interface RunWithData {
  info: RunInfo;
  params: KeyValue[];
  tags: KeyValue[];
  /** Latest point per key (highest step, then timestamp, then value — as MLflow). */
  metrics: MetricPoint[];
  /** Datasets logged with runs/log-inputs, in logging order. */
  inputs: DatasetInput[];
}

/** Extra run fields Cuaderno records; the REST API also accepts them as `cuaderno.*` tags. */
export interface RunProvenance {
  source?: string | null; // the cells that produced the run
  backend?: string | null; // tfjs backend: webgpu | webgl | wasm | cpu
  device?: string | null;
  datasetName?: string | null;
  datasetHash?: string | null;
  seed?: number | null;
}
const PROVENANCE_TAGS: Record<string, keyof RunProvenance> = {
  "cuaderno.source": "source",
  "cuaderno.backend": "backend",
  "cuaderno.device": "device",
  "cuaderno.dataset.name": "datasetName",
  "cuaderno.dataset.hash": "datasetHash",
  "cuaderno.seed": "seed",
};

export const runInfoSelect = {
  id: true,
  experimentId: true,
  userId: true,
  user: { select: { name: true } },
  name: true,
  status: true,
  startTime: true,
  endTime: true,
  artifactUri: true,
  lifecycleStage: true,
  classId: true,
  lessonSlug: true,
  source: true,
  backend: true,
  device: true,
  datasetName: true,
  datasetHash: true,
  seed: true,
  sharedWithClass: true,
  experiment: { select: { defaultForUserId: true } },
} as const;
const runDataSelect = {
  ...runInfoSelect,
  params: { select: { key: true, value: true }, orderBy: { key: "asc" } },
  tags: { select: { key: true, value: true }, orderBy: { key: "asc" } },
} as const;
type RunInfoRow = Prisma.RunGetPayload<{ select: typeof runInfoSelect }>;
type RunDataRow = Prisma.RunGetPayload<{ select: typeof runDataSelect }>;

export function toRunInfo(r: RunInfoRow): RunInfo {
  return {
    runId: r.id,
    experimentId: r.experimentId,
    userId: r.userId,
    userName: r.user.name,
    runName: r.name,
    status: r.status,
    startTime: Number(r.startTime),
    endTime: r.endTime === null ? null : Number(r.endTime),
    artifactUri: r.artifactUri,
    lifecycleStage: r.lifecycleStage,
    classId: r.classId,
    lessonSlug: r.lessonSlug,
    source: r.source,
    backend: r.backend,
    device: r.device,
    datasetName: r.datasetName,
    datasetHash: r.datasetHash,
    seed: r.seed,
    sharedWithClass: r.sharedWithClass,
    inDefaultExperiment: r.experiment.defaultForUserId !== null,
  };
}

const newRunId = () => randomBytes(16).toString("hex");

function checkStatus(status: string | undefined): RunStatus | undefined {
  if (status === undefined) return undefined;
  if (!(RUN_STATUSES as readonly string[]).includes(status))
    throw new DomainError("invalidInput", `Invalid value '${status}' for parameter 'status'. Valid values are ${RUN_STATUSES.join(", ")}`);
  return status as RunStatus;
}

export async function createRun(
  ctx: SignedInContext,
  input: { experimentId?: number | null; runName?: string; startTime?: number; tags?: KeyValue[] } & RunProvenance,
): Promise<RunWithData> {
  const tags = (input.tags ?? []).map(validateTag);
  const exp =
    input.experimentId === undefined || input.experimentId === null || input.experimentId === 0
      ? await ensureDefaultExperiment(ctx)
      : await ctx.db.experiment.findFirst({
          where: { id: input.experimentId, ...visibleExperimentWhere(ctx.user.id) },
          select: { id: true, lifecycleStage: true, artifactLocation: true, classId: true, lessonSlug: true },
        });
  if (!exp) throw experimentNotFound(input.experimentId!);
  if (exp.lifecycleStage !== "active") throw new DomainError("invalidInput", `The experiment ${exp.id} must be in the 'active' state.`);

  const provenance: RunProvenance = {};
  for (const t of tags) {
    const field = PROVENANCE_TAGS[t.key];
    if (field === "seed") provenance.seed = Number.isSafeInteger(Number(t.value)) ? Number(t.value) : null;
    else if (field) provenance[field] = t.value;
  }
  for (const k of Object.values(PROVENANCE_TAGS)) if (input[k] !== undefined) (provenance as Record<string, unknown>)[k] = input[k];
  if (provenance.seed !== undefined && provenance.seed !== null && !Number.isSafeInteger(provenance.seed))
    throw new DomainError("invalidInput", "seed must be an integer");

  const id = newRunId();
  const runName = (input.runName ?? tags.find((t) => t.key === "mlflow.runName")?.value ?? "").trim() || `run-${id.slice(0, 8)}`;
  if (runName.length > LIMITS.runNameLength) throw new DomainError("invalidInput", `run_name exceeds ${LIMITS.runNameLength} characters`);
  const allTags = new Map(tags.map((t) => [t.key, t.value]));
  allTags.set("mlflow.runName", runName);
  // MLflow clients send their own mlflow.user (the OS login, or one set on purpose); keep it.
  if (!allTags.has("mlflow.user")) allTags.set("mlflow.user", ctx.user.name);
  // The insert (run + tags) is one internal transaction; reading the relations back inside it
  // would run Prisma's joins concurrently on the transaction's single pg connection, so the
  // full row is read after the commit.
  await ctx.db.run.create({
    data: {
      id,
      experimentId: exp.id,
      userId: ctx.user.id,
      classId: exp.classId,
      lessonSlug: exp.lessonSlug,
      name: runName,
      startTime: BigInt(input.startTime ?? Date.now()),
      artifactUri: `${exp.artifactLocation}/${id}/artifacts`,
      ...provenance,
      tags: { createMany: { data: [...allTags].map(([key, value]) => ({ key, value })) } },
    },
    select: { id: true },
  });
  const row = await ctx.db.run.findUniqueOrThrow({ where: { id }, select: runDataSelect });
  return { info: toRunInfo(row), params: row.params, tags: row.tags, metrics: [], inputs: [] };
}

/** Latest point of every metric of the given runs, in one query. */
export async function latestMetrics(db: Db, runIds: string[]): Promise<Map<string, MetricPoint[]>> {
  const out = new Map<string, MetricPoint[]>();
  for (let i = 0; i < runIds.length; i += 5000) {
    const chunk = runIds.slice(i, i + 5000);
    const rows = await db.$queryRaw<{ runId: string; key: string; value: number | null; isNan: boolean | number; step: bigint | number; timestamp: bigint | number }[]>(
      Prisma.sql`SELECT "runId", "key", "value", "isNan", "step", "timestamp" FROM (
        SELECT m."runId", m."key", m."value", m."isNan", m."step", m."timestamp",
          ROW_NUMBER() OVER (PARTITION BY m."runId", m."key" ORDER BY m."step" DESC, m."timestamp" DESC, m."isNan" ASC, m."value" DESC) AS rn
        FROM "Metric" m WHERE m."runId" IN (${Prisma.join(chunk)})) latest WHERE rn = 1`,
    );
    for (const r of rows) {
      const list = out.get(r.runId) ?? [];
      list.push({ key: r.key, value: decodeMetricValue(r.value === null ? null : Number(r.value), Boolean(r.isNan)), step: Number(r.step), timestamp: Number(r.timestamp) });
      out.set(r.runId, list);
    }
  }
  for (const list of out.values()) list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out;
}

/** Rows with their latest metrics and, when asked (a page, or a datasets.* filter), their inputs. */
async function withData(db: Db, rows: RunDataRow[], opts: { inputs: boolean }): Promise<RunWithData[]> {
  const ids = rows.map((r) => r.id);
  const [latest, inputs] = await Promise.all([latestMetrics(db, ids), opts.inputs ? loadInputs(db, ids) : null]);
  return rows.map((r) => ({ info: toRunInfo(r), params: r.params, tags: r.tags, metrics: latest.get(r.id) ?? [], inputs: inputs?.get(r.id) ?? [] }));
}

export async function getRun(ctx: SignedInContext, runId: string): Promise<RunWithData> {
  const row = await ctx.db.run.findFirst({ where: { id: runId, ...visibleRunWhere(ctx.user.id) }, select: runDataSelect });
  if (!row) throw runNotFound(runId);
  return (await withData(ctx.db, [row], { inputs: true }))[0];
}

export async function updateRun(
  ctx: SignedInContext,
  input: { runId: string; status?: string; endTime?: number | null; runName?: string },
): Promise<RunInfo> {
  await getRunForWriteOrThrow(ctx, input.runId);
  const status = checkStatus(input.status);
  const runName = input.runName?.trim();
  if (runName !== undefined && (runName.length === 0 || runName.length > LIMITS.runNameLength))
    throw new DomainError("invalidInput", `run_name must have 1 to ${LIMITS.runNameLength} characters`);
  await ctx.db.$transaction(async (tx) => {
    if (runName) {
      await tx.runTag.upsert({
        where: { runId_key: { runId: input.runId, key: "mlflow.runName" } },
        create: { runId: input.runId, key: "mlflow.runName", value: runName },
        update: { value: runName },
      });
    }
    return tx.run.update({
      where: { id: input.runId },
      data: {
        ...(status ? { status } : {}),
        ...(input.endTime !== undefined ? { endTime: input.endTime === null ? null : BigInt(input.endTime) } : {}),
        ...(runName ? { name: runName } : {}),
      },
      select: { id: true },
    });
  });
  invalidateRunCache(ctx.db, input.runId);
  // Read after the commit: relations read inside a pg transaction run concurrently on its one connection.
  return toRunInfo(await ctx.db.run.findUniqueOrThrow({ where: { id: input.runId }, select: runInfoSelect }));
}

async function setLifecycle(ctx: SignedInContext, runId: string, stage: "active" | "deleted"): Promise<void> {
  const row = await ctx.db.run.findFirst({ where: { id: runId, ...visibleRunWhere(ctx.user.id) }, select: { userId: true } });
  if (!row) throw runNotFound(runId);
  if (row.userId !== ctx.user.id) throw new DomainError("forbidden", `Only the owner of run ${runId} may change it`);
  await ctx.db.run.update({ where: { id: runId }, data: { lifecycleStage: stage }, select: { id: true } });
  invalidateRunCache(ctx.db, runId);
}
export const deleteRun = (ctx: SignedInContext, runId: string) => setLifecycle(ctx, runId, "deleted");
export const restoreRun = (ctx: SignedInContext, runId: string) => setLifecycle(ctx, runId, "active");

/** Shares (or unshares) one's run with its class; only runs filed under a class can be shared. */
export async function setRunShared(ctx: SignedInContext, input: { runId: string; shared: boolean }): Promise<RunInfo> {
  const run = await getRunForWriteOrThrow(ctx, input.runId);
  const row = await ctx.db.run.findUnique({ where: { id: run.id }, select: { classId: true } });
  if (!row?.classId) throw new DomainError("invalidInput", "Only runs of a class lesson can be shared with the class");
  const updated = await ctx.db.run.update({ where: { id: run.id }, data: { sharedWithClass: input.shared }, select: runInfoSelect });
  return toRunInfo(updated);
}

export function searchableOf(r: RunWithData): Searchable {
  const i = r.info;
  return {
    datasets: datasetSearchable(r.inputs),
    attributes: {
      run_id: i.runId,
      run_name: i.runName,
      status: i.status,
      user_id: i.userId,
      artifact_uri: i.artifactUri,
      lifecycle_stage: i.lifecycleStage,
      experiment_id: String(i.experimentId),
      start_time: i.startTime,
      end_time: i.endTime,
      duration: i.endTime === null ? null : i.endTime - i.startTime,
      backend: i.backend,
      device: i.device,
      dataset_name: i.datasetName,
      dataset_hash: i.datasetHash,
      seed: i.seed,
      lesson_slug: i.lessonSlug,
      class_id: i.classId,
      shared: String(i.sharedWithClass),
    },
    params: Object.fromEntries(r.params.map((p) => [p.key, p.value])),
    tags: Object.fromEntries(r.tags.map((t) => [t.key, t.value])),
    metrics: Object.fromEntries(r.metrics.map((m) => [m.key, m.value])),
  };
}

export interface SearchRunsInput {
  experimentIds?: number[];
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
  viewType?: ViewType;
  /** Read the page's dataset inputs (default true; a caller that only counts runs skips them). */
  inputs?: boolean;
  /** Narrowing used by the app's views (not part of MLflow's request). */
  scope?: { classId?: string; lessonSlug?: string; userId?: string; runIds?: string[] };
}

/**
 * Runs visible to the caller in the given experiments, filtered and ordered with MLflow's
 * grammar. Filtering happens in memory over params, tags and latest metrics (what MLflow's
 * filter refers to); the candidate set is narrowed in SQL by visibility, experiment and scope.
 */
export async function searchRuns(ctx: SignedInContext, input: SearchRunsInput): Promise<{ runs: RunWithData[]; nextPageToken?: string }> {
  const clauses = parseFilter(input.filter);
  const order = parseOrderBy(input.orderBy);
  const max = input.maxResults ?? LIMITS.searchDefaultResults;
  if (!Number.isSafeInteger(max) || max < 1 || max > LIMITS.searchMaxResults)
    throw new DomainError("invalidInput", `Invalid value ${max} for parameter 'max_results' supplied. It must be at most ${LIMITS.searchMaxResults}`);
  const offset = decodePageToken(input.pageToken);
  const view = input.viewType ?? "ACTIVE_ONLY";
  const s = input.scope ?? {};
  const rows = await ctx.db.run.findMany({
    where: {
      AND: [
        visibleRunWhere(ctx.user.id),
        input.experimentIds ? { experimentId: { in: input.experimentIds } } : {},
        view === "ALL" ? {} : { lifecycleStage: view === "DELETED_ONLY" ? "deleted" : "active" },
        s.classId ? { classId: s.classId } : {},
        s.lessonSlug ? { lessonSlug: s.lessonSlug } : {},
        s.userId ? { userId: s.userId } : {},
        s.runIds ? { id: { in: s.runIds } } : {},
        ...sqlNarrowing(clauses),
        ...datasetNarrowing(clauses),
      ],
    },
    select: runDataSelect,
  });
  // Inputs are read for every candidate only when the filter looks at datasets, else for the page.
  const filterInputs = hasDatasetClause(clauses);
  const runs = (await withData(ctx.db, rows, { inputs: filterInputs })).map((r) => ({ r, s: searchableOf(r) }));
  const pass = compileFilter(clauses);
  const cmp = compileOrder([...order, { entity: "attribute", key: "start_time", asc: false }, { entity: "attribute", key: "run_id", asc: true }]);
  const sorted = runs.filter((x) => pass(x.s)).sort((a, b) => cmp(a.s, b.s));
  const page = sorted.slice(offset, offset + max).map((x) => x.r);
  if (!filterInputs && input.inputs !== false && page.length) {
    const inputs = await loadInputs(ctx.db, page.map((r) => r.info.runId));
    for (const r of page) r.inputs = inputs.get(r.info.runId) ?? [];
  }
  return { runs: page, nextPageToken: offset + max < sorted.length ? encodePageToken(offset + max) : undefined };
}
