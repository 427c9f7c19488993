// Who may see and change what. A student sees their own runs and runs shared with a class
// they belong to; an instructor sees every run filed under a class they teach. Only the owner
// writes. Unreadable things are reported as missing, so ids don't leak existence.
import type { Prisma } from "@/prisma/generated/sqlite/client";
import type { Db } from "@/lib/server/db";
import { DomainError } from "@/lib/server/errors";
import { TtlCache } from "@/lib/server/ttl-cache";
import { processWide } from "@/lib/server/process-wide";
import type { SignedInContext } from "@/lib/server/services/context";

export function visibleRunWhere(userId: string): Prisma.RunWhereInput {
  return {
    OR: [
      { userId },
      { sharedWithClass: true, class: { members: { some: { userId } } } },
      { class: { instructorId: userId } },
    ],
  };
}

/** Experiments one may see and add runs to: one's own and those of one's classes. */
export function visibleExperimentWhere(userId: string): Prisma.ExperimentWhereInput {
  return {
    OR: [{ ownerId: userId }, { class: { instructorId: userId } }, { class: { members: { some: { userId } } } }],
  };
}

export const runNotFound = (runId: string) => new DomainError("notFound", `Run with id=${runId} not found`);
export const experimentNotFound = (id: string | number) => new DomainError("notFound", `No Experiment with id=${id} exists`);

// Run ownership and lifecycle are read on every logging call; a short cache keeps that off the
// database. Changes made through this process invalidate it at once (delete, restore, update),
// race-safely (lib/server/ttl-cache); another process sees them within RUN_CACHE_TTL_MS.
interface RunWriteInfo {
  id: string;
  userId: string;
  experimentId: number;
  lifecycleStage: string;
}
const RUN_CACHE_TTL_MS = 2_000;
const runCaches = processWide("runCaches", () => new WeakMap<Db, TtlCache<string, RunWriteInfo>>());
function runCache(db: Db) {
  let c = runCaches.get(db);
  if (!c) runCaches.set(db, (c = new TtlCache(RUN_CACHE_TTL_MS, 50_000)));
  return c;
}
export function invalidateRunCache(db: Db, runId: string): void {
  runCache(db).invalidate(runId);
}

/** The run if the caller owns it and it is active; throws notFound / forbidden / invalidInput. */
export async function getRunForWriteOrThrow(ctx: SignedInContext, runId: string): Promise<RunWriteInfo> {
  if (typeof runId !== "string" || !runId) throw new DomainError("invalidInput", "Missing value for required parameter 'run_id'.");
  const cache = runCache(ctx.db);
  let run = cache.get(runId);
  if (!run) {
    const ticket = cache.ticket();
    const row = await ctx.db.run.findUnique({ where: { id: runId }, select: { id: true, userId: true, experimentId: true, lifecycleStage: true } });
    if (!row) throw runNotFound(runId);
    run = row;
    cache.set(runId, run, ticket);
  }
  if (run.userId !== ctx.user.id) {
    const readable = await ctx.db.run.count({ where: { id: runId, ...visibleRunWhere(ctx.user.id) } });
    if (!readable) throw runNotFound(runId);
    throw new DomainError("forbidden", `Only the owner of run ${runId} may change it`);
  }
  if (run.lifecycleStage !== "active")
    throw new DomainError("invalidInput", `The run ${runId} must be in the 'active' state. Current state is ${run.lifecycleStage}.`);
  return run;
}
