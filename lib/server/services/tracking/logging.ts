// Writing to a run: metrics (append-only), params (immutable once logged), tags (overwrite),
// and idempotent batches — a batch id seen once is never applied twice (LogBatchReceipt).
import { DomainError } from "@/lib/server/errors";
import { dbProvider, type Db } from "@/lib/server/db";
import { createGroupCommit } from "@/lib/server/group-commit";
import type { SignedInContext } from "@/lib/server/services/context";
import { getRunForWriteOrThrow, invalidateRunCache } from "./access";
import { insertMetricRows, insertMetricRowsOnce, type MetricRow } from "./metric-insert";
import { encodeMetricValue, validateBatchSizes, validateMetric, validateMetrics, validateParam, validateTag, type KeyValue, type MetricInput } from "./values";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export const BATCH_ID_HEADER = "x-cuaderno-batch-id";
const BATCH_ID_RE = /^[\w\-:.]{1,128}$/;

const metricRow = (runId: string, m: MetricInput): MetricRow => ({ runId, key: m.key, ...encodeMetricValue(m.value), step: m.step ?? 0, timestamp: m.timestamp });

// Single log-metric calls are group-committed: the rows of concurrent requests go in with one
// statement, and each request answers after that statement committed (lib/server/group-commit).
// SQLite has one connection, so one write at a time; on PostgreSQL up to four overlap, as each
// waits mostly on its commit (WAL fsync) and the pool has connections to spare.
const metricCommitters = new WeakMap<Db, (row: MetricRow) => Promise<void>>();
function commitMetric(db: Db, row: MetricRow): Promise<void> {
  let submit = metricCommitters.get(db);
  if (!submit) {
    const provider = dbProvider(db);
    submit = createGroupCommit<MetricRow>((rows) => insertMetricRows(db, provider, rows), { maxInFlight: provider === "postgresql" ? 4 : 1 });
    metricCommitters.set(db, submit);
  }
  return submit(row);
}

function paramChanged(runId: string, key: string, old: string, value: string) {
  return new DomainError(
    "invalidInput",
    `Changing param values is not allowed. Param with key='${key}' was already logged with value='${old}' for run ID='${runId}'. Attempted logging new value '${value}'.`,
  );
}

/** Inserts params that are new, accepts identical re-logs, rejects changed values (nothing written). */
async function writeParams(tx: Tx, runId: string, params: KeyValue[]): Promise<void> {
  if (!params.length) return;
  const existing = await tx.param.findMany({ where: { runId, key: { in: params.map((p) => p.key) } }, select: { key: true, value: true } });
  const old = new Map(existing.map((p) => [p.key, p.value]));
  const fresh = params.filter((p) => {
    const prev = old.get(p.key);
    if (prev !== undefined && prev !== p.value) throw paramChanged(runId, p.key, prev, p.value);
    return prev === undefined;
  });
  if (fresh.length) await tx.param.createMany({ data: fresh.map((p) => ({ runId, ...p })) });
}

async function writeTags(tx: Tx, runId: string, tags: KeyValue[]): Promise<void> {
  if (!tags.length) return;
  await tx.runTag.deleteMany({ where: { runId, key: { in: tags.map((t) => t.key) } } });
  await tx.runTag.createMany({ data: tags.map((t) => ({ runId, ...t })) });
  const name = tags.findLast((t) => t.key === "mlflow.runName");
  if (name?.value.trim()) await tx.run.update({ where: { id: runId }, data: { name: name.value.trim() }, select: { id: true } });
}

/** Last value wins for a key repeated within one request; a param repeated with two values is an error. */
function dedupe(kind: "param" | "tag", items: KeyValue[]): KeyValue[] {
  const seen = new Map<string, string>();
  for (const it of items) {
    const prev = seen.get(it.key);
    if (kind === "param" && prev !== undefined && prev !== it.value)
      throw new DomainError("invalidInput", `Duplicate parameter keys have been submitted: '${it.key}' with different values. Please ensure the request contains only one param value per param key.`);
    seen.set(it.key, it.value);
  }
  return [...seen].map(([key, value]) => ({ key, value }));
}

export async function logMetric(ctx: SignedInContext, input: { runId: string } & Record<keyof MetricInput, unknown>): Promise<void> {
  const m = validateMetric(input);
  await getRunForWriteOrThrow(ctx, input.runId);
  await commitMetric(ctx.db, metricRow(input.runId, m));
}

export async function logParam(ctx: SignedInContext, input: { runId: string; key: unknown; value: unknown }): Promise<void> {
  const p = validateParam(input);
  await getRunForWriteOrThrow(ctx, input.runId);
  await ctx.db.$transaction((tx) => writeParams(tx, input.runId, [p]));
}

export async function setTag(ctx: SignedInContext, input: { runId: string; key: unknown; value: unknown }): Promise<void> {
  const t = validateTag(input);
  await getRunForWriteOrThrow(ctx, input.runId);
  await ctx.db.$transaction((tx) => writeTags(tx, input.runId, [t]));
}

export async function deleteTag(ctx: SignedInContext, input: { runId: string; key: string }): Promise<void> {
  await getRunForWriteOrThrow(ctx, input.runId);
  const { count } = await ctx.db.runTag.deleteMany({ where: { runId: input.runId, key: input.key } });
  if (!count) throw new DomainError("notFound", `No tag with name: ${input.key} in run with id ${input.runId}`);
  invalidateRunCache(ctx.db, input.runId);
}

export interface LogBatchInput {
  runId: string;
  metrics?: unknown[];
  params?: unknown[];
  tags?: unknown[];
  /** Client-chosen id (UUID); the same id twice for the same run is applied once. */
  batchId?: string | null;
}

const isUniqueViolation = (e: unknown) => typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";

/**
 * Logs metrics, params and tags in one transaction. With a batch id, a retry of a batch that
 * already committed is a no-op that still succeeds (`applied: false`); a batch that failed
 * half-way committed nothing, receipt included, so its retry applies it in full.
 */
export async function logBatch(ctx: SignedInContext, input: LogBatchInput): Promise<{ applied: boolean }> {
  const rawMetrics = input.metrics ?? [];
  const rawParams = input.params ?? [];
  const rawTags = input.tags ?? [];
  if (!Array.isArray(rawMetrics) || !Array.isArray(rawParams) || !Array.isArray(rawTags))
    throw new DomainError("invalidInput", "metrics, params and tags must be arrays");
  validateBatchSizes({ metrics: rawMetrics.length, params: rawParams.length, tags: rawTags.length });
  const metrics = validateMetrics(rawMetrics);
  const params = dedupe("param", rawParams.map((p) => validateParam((p ?? {}) as Record<string, unknown>)));
  const tags = dedupe("tag", rawTags.map((t) => validateTag((t ?? {}) as Record<string, unknown>)));
  const batchId = input.batchId ?? null;
  if (batchId !== null && !BATCH_ID_RE.test(batchId)) throw new DomainError("invalidInput", "batch_id must be 1 to 128 characters of [A-Za-z0-9_-:.]");
  const run = await getRunForWriteOrThrow(ctx, input.runId);
  const provider = dbProvider(ctx.db);
  // Receipts are per user, so one user's ids can never block another's.
  const receiptId = batchId === null ? null : `${ctx.user.id}:${batchId}`;

  const rows = metrics.map((m) => metricRow(run.id, m));

  // A batch already applied under this id: a no-op that succeeds, unless it was for another run.
  const seenBefore = async (): Promise<boolean> => {
    const seen = receiptId ? await ctx.db.logBatchReceipt.findUnique({ where: { id: receiptId }, select: { runId: true } }) : null;
    if (seen && seen.runId !== run.id) throw new DomainError("invalidInput", `batch_id '${batchId}' was already used for another run`);
    return seen !== null;
  };

  // Metrics alone (what training loops send): one statement, no interactive transaction.
  if (!params.length && !tags.length) {
    if (!receiptId) {
      await insertMetricRows(ctx.db, provider, rows);
      return { applied: true };
    }
    if (provider === "postgresql") {
      if (await insertMetricRowsOnce(ctx.db, { id: receiptId, runId: run.id, userId: ctx.user.id }, rows)) return { applied: true };
      if (await seenBefore()) return { applied: false };
      throw new Error(`log-batch: receipt ${receiptId} neither inserted nor found`); // unreachable: ON CONFLICT saw a committed row
    }
  }

  const attempt = () =>
    ctx.db.$transaction(async (tx) => {
      if (receiptId) await tx.logBatchReceipt.create({ data: { id: receiptId, runId: run.id, userId: ctx.user.id }, select: { id: true } });
      await writeParams(tx, run.id, params);
      await writeTags(tx, run.id, tags);
      await insertMetricRows(tx, provider, rows);
    });
  for (let tries = 0; ; tries++) {
    try {
      await attempt();
      return { applied: true };
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      if (await seenBefore()) return { applied: false };
      // A concurrent writer inserted the same param key first: retry once, now seeing it.
      if (tries >= 1) throw e;
    }
  }
}
