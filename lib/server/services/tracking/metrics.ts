// Metric histories: every point of a key, in step order, paginated like MLflow's get-history.
import { DomainError } from "@/lib/server/errors";
import type { SignedInContext } from "@/lib/server/services/context";
import { runNotFound, visibleRunWhere } from "./access";
import { decodePageToken, encodePageToken } from "./page-token";
import { decodeMetricValue, type MetricPoint } from "./values";

export const HISTORY_DEFAULT_RESULTS = 25_000;

async function assertReadable(ctx: SignedInContext, runId: string) {
  const n = await ctx.db.run.count({ where: { id: runId, ...visibleRunWhere(ctx.user.id) } });
  if (!n) throw runNotFound(runId);
}

const pointSelect = { key: true, value: true, isNan: true, step: true, timestamp: true } as const;
const toPoint = (r: { key: string; value: number | null; isNan: boolean; step: bigint; timestamp: bigint }): MetricPoint => ({
  key: r.key,
  value: decodeMetricValue(r.value, r.isNan),
  step: Number(r.step),
  timestamp: Number(r.timestamp),
});

export async function getMetricHistory(
  ctx: SignedInContext,
  input: { runId: string; key: string; maxResults?: number; pageToken?: string },
): Promise<{ metrics: MetricPoint[]; nextPageToken?: string }> {
  if (!input.key) throw new DomainError("invalidInput", "Missing value for required parameter 'metric_key'.");
  await assertReadable(ctx, input.runId);
  const max = input.maxResults ?? HISTORY_DEFAULT_RESULTS;
  if (!Number.isSafeInteger(max) || max < 1 || max > HISTORY_DEFAULT_RESULTS)
    throw new DomainError("invalidInput", `max_results must be between 1 and ${HISTORY_DEFAULT_RESULTS}`);
  const offset = decodePageToken(input.pageToken);
  const rows = await ctx.db.metric.findMany({
    where: { runId: input.runId, key: input.key },
    select: pointSelect,
    orderBy: [{ step: "asc" }, { timestamp: "asc" }, { id: "asc" }],
    skip: offset,
    take: max + 1,
  });
  const more = rows.length > max;
  return { metrics: rows.slice(0, max).map(toPoint), nextPageToken: more ? encodePageToken(offset + max) : undefined };
}

/** Every metric of a run (or of the given keys), grouped by key, for the run page and charts. */
export async function getMetricHistories(ctx: SignedInContext, input: { runId: string; keys?: string[] }): Promise<Record<string, MetricPoint[]>> {
  await assertReadable(ctx, input.runId);
  const rows = await ctx.db.metric.findMany({
    where: { runId: input.runId, ...(input.keys ? { key: { in: input.keys } } : {}) },
    select: pointSelect,
    orderBy: [{ key: "asc" }, { step: "asc" }, { timestamp: "asc" }, { id: "asc" }],
  });
  const out: Record<string, MetricPoint[]> = {};
  for (const r of rows) (out[r.key] ??= []).push(toPoint(r));
  return out;
}
