// Experiments: user-created ones (MLflow's experiments/create), a per-user "Default", and one
// per class and lesson (owned by the class's instructor) that every student's runs go into.
// Only the owner renames, tags, deletes or restores one; deleting marks its runs deleted too,
// and restoring brings them all back, as MLflow's SQL store does.
import type { Prisma } from "@/prisma/generated/sqlite/client";
import { listLessons } from "@/lib/content/lessons";
import { DomainError } from "@/lib/server/errors";
import type { SignedInContext } from "@/lib/server/services/context";
import { assertMemberOrInstructor } from "@/lib/server/services/classes";
import { experimentNotFound, invalidateRunCache, visibleExperimentWhere } from "./access";
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
  /** The owner's id when this is their Default experiment (MLflow's experiment "0"), else null. */
  defaultForUserId: string | null;
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
  defaultForUserId: true,
  tags: { select: { key: true, value: true } },
} as const;
type ExperimentRow = Prisma.ExperimentGetPayload<{ select: typeof experimentSelect }>;

const toInfo = (r: ExperimentRow): ExperimentInfo => ({
  ...r,
  creationTime: Number(r.creationTime),
  lastUpdateTime: Number(r.lastUpdateTime),
});

export const DEFAULT_EXPERIMENT_NAME = "Default";
// MLflow's experiment limits (mlflow/utils/validation.py): experiment tag values are shorter
// than run tag values.
export const EXPERIMENT_TAG_VALUE_LENGTH = 5000;

function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";
}

async function insertExperiment(
  ctx: SignedInContext,
  data: {
    name: string;
    ownerId: string;
    classId?: string | null;
    lessonSlug?: string | null;
    artifactLocation?: string;
    tags?: KeyValue[];
    defaultForUserId?: string;
  },
): Promise<ExperimentInfo> {
  const now = BigInt(Date.now());
  const row = await ctx.db.$transaction(async (tx) => {
    const created = await tx.experiment.create({
      data: {
        name: data.name,
        ownerId: data.ownerId,
        classId: data.classId ?? null,
        lessonSlug: data.lessonSlug ?? null,
        defaultForUserId: data.defaultForUserId ?? null,
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

function checkedName(raw: unknown): string {
  const name = typeof raw === "string" ? raw.trim() : "";
  if (!name) throw new DomainError("invalidInput", "Invalid experiment name: ''. Expects a non-empty string.");
  if (name.length > LIMITS.experimentNameLength)
    throw new DomainError("invalidInput", `Experiment name exceeds the maximum length of ${LIMITS.experimentNameLength} characters`);
  return name;
}

function validateExperimentTag(t: { key?: unknown; value?: unknown }): KeyValue {
  const tag = validateTag(t);
  if (tag.value.length > EXPERIMENT_TAG_VALUE_LENGTH)
    throw new DomainError(
      "invalidInput",
      `Tag value '${tag.value.slice(0, 40)}...' had length ${tag.value.length}, which exceeded length limit of ${EXPERIMENT_TAG_VALUE_LENGTH}`,
    );
  return tag;
}

export async function createExperiment(
  ctx: SignedInContext,
  input: { name: string; artifactLocation?: string; tags?: KeyValue[] },
): Promise<ExperimentInfo> {
  const name = checkedName(input.name);
  if (input.artifactLocation && !/^(mlflow-artifacts|cuaderno):/.test(input.artifactLocation))
    throw new DomainError("invalidInput", "artifact_location must be left empty or use the mlflow-artifacts: scheme");
  const tags = (input.tags ?? []).map(validateExperimentTag);
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

/**
 * The caller's Default experiment, created on first use. MLflow has one experiment "0" named
 * "Default" that runs created without an experiment go into; here every user has their own
 * (a private row marked defaultForUserId), which the REST API shows to its owner as "0". A real
 * shared row 0 would need an owner and would mix everyone's runs; a per-user row keeps the
 * ownership and visibility rules of every other experiment. Renaming it keeps it the Default.
 */
export async function ensureDefaultExperiment(ctx: SignedInContext): Promise<ExperimentInfo> {
  const found = await ctx.db.experiment.findUnique({ where: { defaultForUserId: ctx.user.id }, select: experimentSelect });
  if (found) return toInfo(found);
  try {
    return await insertExperiment(ctx, { name: DEFAULT_EXPERIMENT_NAME, ownerId: ctx.user.id, defaultForUserId: ctx.user.id });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    // Another request created it meanwhile, or the caller already has a plain experiment named
    // "Default" (made with experiments/create): that one becomes the Default, as in MLflow.
    await ctx.db.experiment.updateMany({
      where: { ownerId: ctx.user.id, name: DEFAULT_EXPERIMENT_NAME, classId: null, lessonSlug: null, defaultForUserId: null },
      data: { defaultForUserId: ctx.user.id },
    });
    const again = await ctx.db.experiment.findUnique({ where: { defaultForUserId: ctx.user.id }, select: experimentSelect });
    if (again) return toInfo(again);
    throw e;
  }
}

// The course's lessons are files shipped with the app; read once per process.
let knownLessons: Set<string> | null = null;
const lessonSlugs = () => (knownLessons ??= new Set(listLessons().map((l) => l.slug)));

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
  const lessonSlug = typeof input.lessonSlug === "string" ? input.lessonSlug.trim() : "";
  if (!/^[a-z0-9][a-z0-9-]{0,99}$/.test(lessonSlug)) throw new DomainError("invalidInput", `Invalid lesson slug '${lessonSlug.slice(0, 100)}'`);
  // Only the course's lessons get an experiment: otherwise any student could create experiments
  // of any name in their instructor's account.
  if (!lessonSlugs().has(lessonSlug)) throw new DomainError("invalidInput", `Unknown lesson '${lessonSlug}': lesson_slug must name one of the course's lessons`);
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

interface WritableExperiment {
  id: number;
  name: string;
  lifecycleStage: string;
  lessonSlug: string | null;
}

/** The experiment if the caller may see it and owns it; notFound / forbidden otherwise. */
async function experimentForWriteOrThrow(ctx: SignedInContext, experimentId: number): Promise<WritableExperiment> {
  if (!Number.isSafeInteger(experimentId)) throw new DomainError("invalidInput", `Invalid experiment id ${experimentId}`);
  const row = await ctx.db.experiment.findFirst({
    where: { id: experimentId, ...visibleExperimentWhere(ctx.user.id) },
    select: { id: true, name: true, lifecycleStage: true, lessonSlug: true, ownerId: true },
  });
  if (!row) throw experimentNotFound(experimentId);
  if (row.ownerId !== ctx.user.id) throw new DomainError("forbidden", `Only the owner of experiment ${experimentId} may change it`);
  return row;
}

function assertActive(e: WritableExperiment): void {
  if (e.lifecycleStage !== "active")
    throw new DomainError("invalidInput", `The experiment ${e.id} must be in the 'active' state. Current state is ${e.lifecycleStage}.`);
}

/** MLflow's experiments/update: a new name for an active experiment the caller owns. */
export async function renameExperiment(ctx: SignedInContext, input: { experimentId: number; newName: string }): Promise<void> {
  const name = checkedName(input.newName);
  const exp = await experimentForWriteOrThrow(ctx, input.experimentId);
  // MLflow answers INVALID_STATE (HTTP 500, which its clients retry); a 400 says the same.
  if (exp.lifecycleStage !== "active") throw new DomainError("invalidInput", "Cannot rename a non-active experiment.");
  // A lesson's experiment is found by its name (lessonExperimentName) every time a run is filed.
  if (exp.lessonSlug) throw new DomainError("invalidInput", `Experiment ${exp.id} belongs to lesson '${exp.lessonSlug}'; its name is managed by Cuaderno`);
  if (name === exp.name) return;
  try {
    await ctx.db.experiment.update({ where: { id: exp.id }, data: { name, lastUpdateTime: BigInt(Date.now()) }, select: { id: true } });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError("conflict", `Experiment '${name}' already exists.`);
    throw e;
  }
}

/**
 * Soft-deletes (or restores) an experiment and, as MLflow's SQL store does, every run in it:
 * searches of that experiment then find its runs only with DELETED_ONLY or ALL, and logging to
 * them fails until the experiment is restored. Restoring brings back all of its runs.
 */
async function setExperimentLifecycle(ctx: SignedInContext, experimentId: number, stage: "active" | "deleted"): Promise<void> {
  const exp = await experimentForWriteOrThrow(ctx, experimentId);
  // MLflow looks the experiment up among active ones to delete it and deleted ones to restore it.
  if (exp.lifecycleStage === stage) throw experimentNotFound(experimentId);
  const runIds = await ctx.db.$transaction(async (tx) => {
    await tx.experiment.update({ where: { id: exp.id }, data: { lifecycleStage: stage, lastUpdateTime: BigInt(Date.now()) }, select: { id: true } });
    const runs = await tx.run.findMany({ where: { experimentId: exp.id }, select: { id: true } });
    await tx.run.updateMany({ where: { experimentId: exp.id }, data: { lifecycleStage: stage } });
    return runs.map((r) => r.id);
  });
  for (const id of runIds) invalidateRunCache(ctx.db, id);
}
export const deleteExperiment = (ctx: SignedInContext, experimentId: number) => setExperimentLifecycle(ctx, experimentId, "deleted");
export const restoreExperiment = (ctx: SignedInContext, experimentId: number) => setExperimentLifecycle(ctx, experimentId, "active");

export async function setExperimentTag(ctx: SignedInContext, input: { experimentId: number; key: unknown; value: unknown }): Promise<void> {
  const tag = validateExperimentTag({ key: input.key, value: input.value });
  const exp = await experimentForWriteOrThrow(ctx, input.experimentId);
  assertActive(exp);
  await ctx.db.experimentTag.upsert({
    where: { experimentId_key: { experimentId: exp.id, key: tag.key } },
    create: { experimentId: exp.id, ...tag },
    update: { value: tag.value },
    select: { key: true },
  });
}

export async function deleteExperimentTag(ctx: SignedInContext, input: { experimentId: number; key: string }): Promise<void> {
  const exp = await experimentForWriteOrThrow(ctx, input.experimentId);
  assertActive(exp);
  const { count } = await ctx.db.experimentTag.deleteMany({ where: { experimentId: exp.id, key: input.key } });
  if (!count) throw new DomainError("notFound", `No tag with name: ${input.key} in experiment with id ${input.experimentId}`);
}
