// Experiments: user-created ones (MLflow's experiments/create), a per-user "Default", and one
// per class and lesson (owned by the class's instructor) that every student's runs go into.
import type { Prisma } from "@/prisma/generated/sqlite/client";
import { DomainError } from "@/lib/server/errors";
import type { SignedInContext } from "@/lib/server/services/context";
import { assertMemberOrInstructor } from "@/lib/server/services/classes";
import { experimentNotFound, visibleExperimentWhere } from "./access";
import { compileFilter, compileOrder, EXPERIMENT_ATTRIBUTES, parseFilter, parseOrderBy, type Searchable } from "./search-filter";
import { decodePageToken, encodePageToken } from "./page-token";
import { LIMITS, validateTag, type KeyValue, type ViewType } from "./values";

export interface ExperimentInfo {
  id: number;
  name: string;
  artifactLocation: string;
  lifecycleStage: string;
  creationTime: number;
  lastUpdateTime: number;
  tags: KeyValue[];
  ownerId: string;
  classId: string | null;
  lessonSlug: string | null;
}

const experimentSelect = {
  id: true,
  name: true,
  artifactLocation: true,
  lifecycleStage: true,
  creationTime: true,
  lastUpdateTime: true,
  ownerId: true,
  classId: true,
  lessonSlug: true,
  tags: { select: { key: true, value: true } },
} as const;
type ExperimentRow = Prisma.ExperimentGetPayload<{ select: typeof experimentSelect }>;

const toInfo = (r: ExperimentRow): ExperimentInfo => ({
  ...r,
  creationTime: Number(r.creationTime),
  lastUpdateTime: Number(r.lastUpdateTime),
});

export const DEFAULT_EXPERIMENT_NAME = "Default";

function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";
}

async function insertExperiment(
  ctx: SignedInContext,
  data: { name: string; ownerId: string; classId?: string | null; lessonSlug?: string | null; artifactLocation?: string; tags?: KeyValue[] },
): Promise<ExperimentInfo> {
  const now = BigInt(Date.now());
  const row = await ctx.db.$transaction(async (tx) => {
    const created = await tx.experiment.create({
      data: {
        name: data.name,
        ownerId: data.ownerId,
        classId: data.classId ?? null,
        lessonSlug: data.lessonSlug ?? null,
        artifactLocation: data.artifactLocation ?? "",
        creationTime: now,
        lastUpdateTime: now,
        tags: data.tags?.length ? { createMany: { data: data.tags } } : undefined,
      },
      select: { id: true },
    });
    // MLflow derives the location from the id, which exists only after the insert.
    return tx.experiment.update({
      where: { id: created.id },
      data: { artifactLocation: data.artifactLocation || `mlflow-artifacts:/${created.id}` },
      select: experimentSelect,
    });
  });
  return toInfo(row);
}

export async function createExperiment(
  ctx: SignedInContext,
  input: { name: string; artifactLocation?: string; tags?: KeyValue[] },
): Promise<ExperimentInfo> {
  const name = typeof input.name === "string" ? input.name.trim() : "";
  if (!name) throw new DomainError("invalidInput", "Invalid experiment name: ''. Expects a non-empty string.");
  if (name.length > LIMITS.experimentNameLength) throw new DomainError("invalidInput", `Experiment name exceeds ${LIMITS.experimentNameLength} characters`);
  if (input.artifactLocation && !/^(mlflow-artifacts|cuaderno):/.test(input.artifactLocation))
    throw new DomainError("invalidInput", "artifact_location must be left empty or use the mlflow-artifacts: scheme");
  const tags = (input.tags ?? []).map(validateTag);
  try {
    return await insertExperiment(ctx, { name, ownerId: ctx.user.id, artifactLocation: input.artifactLocation, tags });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError("conflict", `Experiment '${name}' already exists.`);
    throw e;
  }
}

export async function getExperiment(ctx: SignedInContext, experimentId: number): Promise<ExperimentInfo> {
  if (!Number.isSafeInteger(experimentId)) throw new DomainError("invalidInput", `Invalid experiment id ${experimentId}`);
  const row = await ctx.db.experiment.findFirst({ where: { id: experimentId, ...visibleExperimentWhere(ctx.user.id) }, select: experimentSelect });
  if (!row) throw experimentNotFound(experimentId);
  return toInfo(row);
}

/** The caller's own experiment of that name first, else a visible class experiment. */
export async function getExperimentByName(ctx: SignedInContext, name: string): Promise<ExperimentInfo> {
  const own = await ctx.db.experiment.findUnique({ where: { ownerId_name: { ownerId: ctx.user.id, name } }, select: experimentSelect });
  if (own) return toInfo(own);
  const shared = await ctx.db.experiment.findFirst({ where: { name, ...visibleExperimentWhere(ctx.user.id) }, select: experimentSelect, orderBy: { id: "asc" } });
  if (!shared) throw new DomainError("notFound", `Could not find experiment with name '${name}'`);
  return toInfo(shared);
}

export async function ensureDefaultExperiment(ctx: SignedInContext): Promise<ExperimentInfo> {
  const found = await ctx.db.experiment.findUnique({ where: { ownerId_name: { ownerId: ctx.user.id, name: DEFAULT_EXPERIMENT_NAME } }, select: experimentSelect });
  if (found) return toInfo(found);
  try {
    return await insertExperiment(ctx, { name: DEFAULT_EXPERIMENT_NAME, ownerId: ctx.user.id });
  } catch (e) {
    if (isUniqueViolation(e)) return ensureDefaultExperiment(ctx);
    throw e;
  }
}

export const lessonExperimentName = (lessonSlug: string, classId: string | null) =>
  classId ? `lesson/${lessonSlug} · class ${classId}` : `lesson/${lessonSlug}`;

/**
 * The experiment a lesson's runs go into: with a class, one shared per class and lesson (owned
 * by the instructor, so they see every student's runs); without, the caller's own.
 */
export async function ensureLessonExperiment(
  ctx: SignedInContext,
  input: { classId?: string | null; lessonSlug: string },
): Promise<ExperimentInfo> {
  const lessonSlug = input.lessonSlug.trim();
  if (!/^[a-z0-9][a-z0-9-]{0,99}$/.test(lessonSlug)) throw new DomainError("invalidInput", `Invalid lesson slug '${lessonSlug}'`);
  const classId = input.classId ?? null;
  let ownerId = ctx.user.id;
  if (classId) {
    await assertMemberOrInstructor(ctx, classId);
    const cls = await ctx.db.class.findUnique({ where: { id: classId }, select: { instructorId: true } });
    ownerId = cls!.instructorId;
  }
  const name = lessonExperimentName(lessonSlug, classId);
  const found = await ctx.db.experiment.findUnique({ where: { ownerId_name: { ownerId, name } }, select: experimentSelect });
  if (found) return toInfo(found);
  try {
    return await insertExperiment(ctx, { name, ownerId, classId, lessonSlug, tags: [{ key: "cuaderno.lesson", value: lessonSlug }] });
  } catch (e) {
    if (isUniqueViolation(e)) {
      const again = await ctx.db.experiment.findUnique({ where: { ownerId_name: { ownerId, name } }, select: experimentSelect });
      if (again) return toInfo(again);
    }
    throw e;
  }
}

export async function searchExperiments(
  ctx: SignedInContext,
  input: { filter?: string; orderBy?: string[]; maxResults?: number; pageToken?: string; viewType?: ViewType } = {},
): Promise<{ experiments: ExperimentInfo[]; nextPageToken?: string }> {
  const clauses = parseFilter(input.filter, EXPERIMENT_ATTRIBUTES);
  const order = parseOrderBy(input.orderBy, EXPERIMENT_ATTRIBUTES);
  const max = input.maxResults ?? LIMITS.searchDefaultResults;
  if (!Number.isSafeInteger(max) || max < 1 || max > LIMITS.searchMaxResults)
    throw new DomainError("invalidInput", `Invalid value ${max} for parameter 'max_results' supplied. It must be at most ${LIMITS.searchMaxResults}`);
  const offset = decodePageToken(input.pageToken);
  const view = input.viewType ?? "ACTIVE_ONLY";
  const rows = await ctx.db.experiment.findMany({
    where: {
      ...visibleExperimentWhere(ctx.user.id),
      ...(view === "ALL" ? {} : { lifecycleStage: view === "DELETED_ONLY" ? "deleted" : "active" }),
    },
    select: experimentSelect,
  });
  const items = rows.map((r) => {
    const info = toInfo(r);
    const s: Searchable = {
      attributes: {
        name: info.name,
        lifecycle_stage: info.lifecycleStage,
        creation_time: info.creationTime,
        last_update_time: info.lastUpdateTime,
        experiment_id: info.id,
        lesson_slug: info.lessonSlug,
        class_id: info.classId,
      },
      params: {},
      metrics: {},
      tags: Object.fromEntries(info.tags.map((t) => [t.key, t.value])),
    };
    return { info, s };
  });
  const pass = compileFilter(clauses);
  const cmp = compileOrder([...order, { entity: "attribute", key: "creation_time", asc: false }, { entity: "attribute", key: "experiment_id", asc: true }]);
  const sorted = items.filter((x) => pass(x.s)).sort((a, b) => cmp(a.s, b.s));
  const page = sorted.slice(offset, offset + max).map((x) => x.info);
  return { experiments: page, nextPageToken: offset + max < sorted.length ? encodePageToken(offset + max) : undefined };
}
