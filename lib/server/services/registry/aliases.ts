// Aliases (`champion`, `challenger`, any name) point at one version of a model. Every move is
// kept in ModelAliasEvent — set, moved, deleted, and removed with its version or model — with
// who and when, in the same transaction as the change; the history outlives the model.
import type { Prisma } from "@/prisma/generated/sqlite/client";
import { DomainError } from "@/lib/server/errors";
import { nowOf, type SignedInContext } from "@/lib/server/services/context";
import { readableModelIdOrThrow, writableModelIdOrThrow } from "./access";
import { servedModelChanged } from "./changes";
import type { Tx } from "./models";
import { loadVersionInfo, versionNotFound } from "./versions";
import type { ModelVersionInfo } from "./views";
import { parseVersion, validateAlias } from "./values";

export interface AliasEvent {
  alias: string;
  /** null: the alias was new. */
  fromVersion: number | null;
  /** null: the alias was deleted (by itself, or with its version or model). */
  toVersion: number | null;
  userId: string;
  timestamp: number;
}

type ModelRef = { id: string; ownerId: string; name: string };

/** Records the removal of every alias matching `where` (call before deleting them, in the same transaction). */
export async function aliasRemovalEvents(tx: Tx, ctx: SignedInContext, m: ModelRef, where: Prisma.ModelAliasWhereInput, now: bigint): Promise<void> {
  const gone = await tx.modelAlias.findMany({ where, select: { alias: true, version: { select: { version: true } } } });
  if (!gone.length) return;
  await tx.modelAliasEvent.createMany({
    data: gone.map((a) => ({ ownerId: m.ownerId, modelId: m.id, modelName: m.name, alias: a.alias, fromVersion: a.version.version, toVersion: null, actorId: ctx.user.id, createdAt: now })),
  });
}

export async function setRegisteredModelAlias(ctx: SignedInContext, input: { name: unknown; alias: unknown; version: unknown }): Promise<void> {
  const alias = validateAlias(input.alias);
  const version = parseVersion(input.version);
  const m = await writableModelIdOrThrow(ctx, input.name);
  const now = BigInt(nowOf(ctx).getTime());
  await ctx.db.$transaction(async (tx) => {
    const target = await tx.modelVersion.findUnique({ where: { modelId_version: { modelId: m.id, version } }, select: { id: true } });
    if (!target) throw versionNotFound(String(input.name), version);
    const before = await tx.modelAlias.findUnique({ where: { modelId_alias: { modelId: m.id, alias } }, select: { version: { select: { version: true } } } });
    const from = before?.version.version ?? null;
    if (from === version) return;
    await tx.modelAlias.upsert({ where: { modelId_alias: { modelId: m.id, alias } }, create: { modelId: m.id, alias, versionId: target.id }, update: { versionId: target.id } });
    await tx.modelAliasEvent.create({
      data: { ownerId: m.ownerId, modelId: m.id, modelName: m.name, alias, fromVersion: from, toVersion: version, actorId: ctx.user.id, createdAt: now },
    });
    await tx.registeredModel.update({ where: { id: m.id }, data: { lastUpdatedTime: now } });
  });
  servedModelChanged(m.id);
}

/** Deleting an alias that is not set changes nothing (as MLflow's SQL store). */
export async function deleteRegisteredModelAlias(ctx: SignedInContext, input: { name: unknown; alias: unknown }): Promise<void> {
  const alias = validateAlias(input.alias);
  const m = await writableModelIdOrThrow(ctx, input.name);
  const now = BigInt(nowOf(ctx).getTime());
  await ctx.db.$transaction(async (tx) => {
    await aliasRemovalEvents(tx, ctx, m, { modelId: m.id, alias }, now);
    const { count } = await tx.modelAlias.deleteMany({ where: { modelId: m.id, alias } });
    if (count) await tx.registeredModel.update({ where: { id: m.id }, data: { lastUpdatedTime: now } });
  });
  servedModelChanged(m.id);
}

export async function getModelVersionByAlias(ctx: SignedInContext, input: { name: unknown; alias: unknown }): Promise<ModelVersionInfo> {
  const alias = validateAlias(input.alias);
  const m = await readableModelIdOrThrow(ctx, input.name);
  const row = await ctx.db.modelAlias.findUnique({ where: { modelId_alias: { modelId: m.id, alias } }, select: { versionId: true } });
  if (!row) throw new DomainError("notFound", `Registered model alias ${alias} not found.`);
  return loadVersionInfo(ctx, row.versionId);
}

/** The alias history of a model the caller may read, oldest first; one alias's when `alias` is given. */
export async function aliasHistory(ctx: SignedInContext, input: { name: unknown; alias?: unknown }): Promise<AliasEvent[]> {
  const alias = input.alias === undefined || input.alias === null || input.alias === "" ? undefined : validateAlias(input.alias);
  const m = await readableModelIdOrThrow(ctx, input.name);
  const rows = await ctx.db.modelAliasEvent.findMany({
    where: { modelId: m.id, ...(alias ? { alias } : {}) },
    orderBy: { id: "asc" },
    take: 10_000,
    select: { alias: true, fromVersion: true, toVersion: true, actorId: true, createdAt: true },
  });
  return rows.map((r) => ({ alias: r.alias, fromVersion: r.fromVersion, toVersion: r.toVersion, userId: r.actorId, timestamp: Number(r.createdAt) }));
}
