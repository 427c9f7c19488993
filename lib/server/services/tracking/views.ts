// What the app's tracking pages need, built on the same services and filter grammar as the
// REST API: experiment list, runs table, run detail, comparison, and the instructor's class view.
import { DomainError } from "@/lib/server/errors";
import type { SignedInContext } from "@/lib/server/services/context";
import { assertTeaches } from "@/lib/server/services/classes";
import { visibleExperimentWhere } from "./access";
import { listArtifacts, type ArtifactInfo } from "./artifacts";
import { getMetricHistories } from "./metrics";
import { getRun, searchRuns, type RunInfo, type RunWithData } from "./runs";
import type { MetricPoint } from "./values";

export interface ExperimentListItem {
  id: number;
  name: string;
  classId: string | null;
  lessonSlug: string | null;
  runCount: number;
  lastUpdateTime: number;
  mine: boolean;
}

export async function listExperiments(ctx: SignedInContext, input: { classId?: string; lessonSlug?: string } = {}): Promise<ExperimentListItem[]> {
  const rows = await ctx.db.experiment.findMany({
    where: {
      AND: [
        visibleExperimentWhere(ctx.user.id),
        { lifecycleStage: "active" },
        input.classId ? { classId: input.classId } : {},
        input.lessonSlug ? { lessonSlug: input.lessonSlug } : {},
      ],
    },
    select: { id: true, name: true, classId: true, lessonSlug: true, lastUpdateTime: true, ownerId: true },
    orderBy: { lastUpdateTime: "desc" },
  });
  // Count only the runs the caller can see (a student never learns how many private runs others have).
  const counts = new Map<number, number>();
  if (rows.length) {
    const { runs } = await searchRuns(ctx, { experimentIds: rows.map((r) => r.id), maxResults: 50_000, inputs: false });
    for (const r of runs) counts.set(r.info.experimentId, (counts.get(r.info.experimentId) ?? 0) + 1);
  }
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    classId: r.classId,
    lessonSlug: r.lessonSlug,
    runCount: counts.get(r.id) ?? 0,
    lastUpdateTime: Number(r.lastUpdateTime),
    mine: r.ownerId === ctx.user.id,
  }));
}

export interface RunsTableRow {
  info: RunInfo;
  params: Record<string, string>;
  metrics: Record<string, number>;
  tags: Record<string, string>;
}
export interface RunsTable {
  paramKeys: string[];
  metricKeys: string[];
  rows: RunsTableRow[];
  nextPageToken?: string;
}

function toRow(r: RunWithData): RunsTableRow {
  return {
    info: r.info,
    params: Object.fromEntries(r.params.map((p) => [p.key, p.value])),
    metrics: Object.fromEntries(r.metrics.map((m) => [m.key, m.value])),
    tags: Object.fromEntries(r.tags.filter((t) => !t.key.startsWith("mlflow.")).map((t) => [t.key, t.value])),
  };
}
function table(runs: RunWithData[], nextPageToken?: string): RunsTable {
  const pk = new Set<string>();
  const mk = new Set<string>();
  for (const r of runs) {
    r.params.forEach((p) => pk.add(p.key));
    r.metrics.forEach((m) => mk.add(m.key));
  }
  return { paramKeys: [...pk].sort(), metricKeys: [...mk].sort(), rows: runs.map(toRow), nextPageToken };
}

/** Runs of some experiments as table rows, with the MLflow filter and order_by grammar. */
export async function runsTable(
  ctx: SignedInContext,
  input: { experimentIds?: number[]; filter?: string; orderBy?: string[]; maxResults?: number; pageToken?: string; includeDeleted?: boolean },
): Promise<RunsTable> {
  const r = await searchRuns(ctx, {
    experimentIds: input.experimentIds,
    filter: input.filter,
    orderBy: input.orderBy,
    maxResults: input.maxResults ?? 200,
    pageToken: input.pageToken,
    viewType: input.includeDeleted ? "ALL" : "ACTIVE_ONLY",
  });
  return table(r.runs, r.nextPageToken);
}

export interface RunDetail extends RunWithData {
  histories: Record<string, MetricPoint[]>;
  artifacts: ArtifactInfo[];
  mine: boolean;
}

export async function runDetail(ctx: SignedInContext, runId: string): Promise<RunDetail> {
  const run = await getRun(ctx, runId);
  const [histories, artifacts] = await Promise.all([getMetricHistories(ctx, { runId }), listArtifacts(ctx, { runId })]);
  return { ...run, histories, artifacts, mine: run.info.userId === ctx.user.id };
}

/** 2–10 runs side by side: their params/latest metrics plus full histories of shared metric keys. */
export async function compareRuns(ctx: SignedInContext, input: { runIds: string[] }): Promise<RunsTable & { histories: Record<string, Record<string, MetricPoint[]>> }> {
  const ids = [...new Set(input.runIds)];
  if (ids.length < 2 || ids.length > 10) throw new DomainError("invalidInput", "Compare 2 to 10 runs");
  const { runs } = await searchRuns(ctx, { scope: { runIds: ids }, viewType: "ALL", maxResults: 10 });
  if (runs.length !== ids.length) throw new DomainError("notFound", "Some runs do not exist or are not visible to you");
  const t = table(runs);
  const histories: Record<string, Record<string, MetricPoint[]>> = {};
  for (const r of runs) histories[r.info.runId] = await getMetricHistories(ctx, { runId: r.info.runId, keys: t.metricKeys });
  return { ...t, histories };
}

/** Instructor view: every student's runs of one lesson in a class taught by the caller. */
export async function classLessonRuns(
  ctx: SignedInContext,
  input: { classId: string; lessonSlug?: string; filter?: string; orderBy?: string[]; maxResults?: number; pageToken?: string },
): Promise<RunsTable> {
  await assertTeaches(ctx, input.classId);
  const r = await searchRuns(ctx, {
    scope: { classId: input.classId, lessonSlug: input.lessonSlug },
    filter: input.filter,
    orderBy: input.orderBy,
    maxResults: input.maxResults ?? 500,
    pageToken: input.pageToken,
  });
  return table(r.runs, r.nextPageToken);
}
