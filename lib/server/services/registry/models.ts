// Registered models: create, read, rename, describe, tag, delete, search (MLflow's filter grammar
// on `name` and `tags.*`, LIKE matched in linear time by the tracking search's matcher).
import type { Db } from "@/lib/server/db";
import { DomainError } from "@/lib/server/errors";
import { nowOf, type SignedInContext } from "@/lib/server/services/context";
import { decodePageToken, encodePageToken } from "@/lib/server/services/tracking/page-token";
import { compileFilter, compileOrder, parseFilter, parseOrderBy, type AttributeSet, type Searchable } from "@/lib/server/services/tracking/search-filter";
import { readableModelIdOrThrow, readableModelWhere, writableModelIdOrThrow } from "./access";
import { aliasRemovalEvents } from "./aliases";
import { servedModelChanged } from "./changes";
import { latestPerStage, modelSelect, toModelInfo, toVersionInfo, versionSelect, type ModelVersionInfo, type RegisteredModelInfo } from "./views";
import { parseStage, REGISTRY_LIMITS, validateDescription, validateModelName, validateRegistryTag, validateRegistryTags } from "./values";
import { validateKey } from "@/lib/server/services/tracking/values";

export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const isUniqueViolation = (e: unknown) => typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";
const alreadyExists = (name: string) => new DomainError("conflict", `Registered Model (name=${name}) already exists.`);

export async function loadModelInfo(ctx: SignedInContext, id: string): Promise<RegisteredModelInfo> {
  const row = await ctx.db.registeredModel.findUniqueOrThrow({ where: { id }, select: modelSelect });
  return toModelInfo(ctx, row);
}

export async function createRegisteredModel(ctx: SignedInContext, input: { name: unknown; description?: unknown; tags?: unknown }): Promise<RegisteredModelInfo> {
  const name = validateModelName(input.name);
  const description = validateDescription(input.description);
  const tags = validateRegistryTags(input.tags);
  const now = BigInt(nowOf(ctx).getTime());
  try {
    const created = await ctx.db.registeredModel.create({
      data: { ownerId: ctx.user.id, name, description: description ?? null, creationTime: now, lastUpdatedTime: now, tags: { create: tags } },
      select: { id: true },
    });
    return loadModelInfo(ctx, created.id);
  } catch (e) {
    if (isUniqueViolation(e)) throw alreadyExists(name);
    throw e;
  }
}

export async function getRegisteredModel(ctx: SignedInContext, name: unknown): Promise<RegisteredModelInfo> {
  return loadModelInfo(ctx, (await readableModelIdOrThrow(ctx, name)).id);
}

export async function renameRegisteredModel(ctx: SignedInContext, input: { name: unknown; newName: unknown }): Promise<RegisteredModelInfo> {
  const newName = validateModelName(input.newName, "new_name");
  const m = await writableModelIdOrThrow(ctx, input.name);
  try {
    await ctx.db.registeredModel.update({ where: { id: m.id }, data: { name: newName, lastUpdatedTime: BigInt(nowOf(ctx).getTime()) } });
  } catch (e) {
    if (isUniqueViolation(e)) throw alreadyExists(newName);
    throw e;
  }
  servedModelChanged(m.id);
  return loadModelInfo(ctx, m.id);
}

export async function updateRegisteredModel(ctx: SignedInContext, input: { name: unknown; description: unknown }): Promise<RegisteredModelInfo> {
  const description = validateDescription(input.description);
  const m = await writableModelIdOrThrow(ctx, input.name);
  await ctx.db.registeredModel.update({
    where: { id: m.id },
    data: { ...(description === undefined ? {} : { description }), lastUpdatedTime: BigInt(nowOf(ctx).getTime()) },
  });
  return loadModelInfo(ctx, m.id);
}

/** Deletes the model with its versions, tags and aliases; each removed alias is recorded in the history, which stays. */
export async function deleteRegisteredModel(ctx: SignedInContext, name: unknown): Promise<void> {
  const m = await writableModelIdOrThrow(ctx, name);
  const now = BigInt(nowOf(ctx).getTime());
  await ctx.db.$transaction(async (tx) => {
    await aliasRemovalEvents(tx, ctx, m, { modelId: m.id }, now);
    await tx.registeredModel.delete({ where: { id: m.id } });
  });
  servedModelChanged(m.id);
}

export async function setRegisteredModelTag(ctx: SignedInContext, input: { name: unknown; key: unknown; value: unknown }): Promise<void> {
  const tag = validateRegistryTag({ key: input.key, value: input.value });
  const m = await writableModelIdOrThrow(ctx, input.name);
  await ctx.db.$transaction([
    ctx.db.registeredModelTag.upsert({ where: { modelId_key: { modelId: m.id, key: tag.key } }, create: { modelId: m.id, ...tag }, update: { value: tag.value } }),
    ctx.db.registeredModel.update({ where: { id: m.id }, data: { lastUpdatedTime: BigInt(nowOf(ctx).getTime()) } }),
  ]);
  servedModelChanged(m.id);
}

/** Deleting a tag that is not there changes nothing (as MLflow's SQL store). */
export async function deleteRegisteredModelTag(ctx: SignedInContext, input: { name: unknown; key: unknown }): Promise<void> {
  const key = validateKey("tag", input.key);
  const m = await writableModelIdOrThrow(ctx, input.name);
  const { count } = await ctx.db.registeredModelTag.deleteMany({ where: { modelId: m.id, key } });
  if (count) servedModelChanged(m.id);
}

const MODEL_ATTRIBUTES: AttributeSet = {
  numeric: new Set(["creation_timestamp", "last_updated_timestamp"]),
  string: new Set(["name"]),
};

function registryClausesOrThrow(filter: string | undefined, attrs: AttributeSet) {
  const clauses = parseFilter(filter, attrs);
  const bad = clauses.find((c) => c.entity !== "attribute" && c.entity !== "tag");
  if (bad) throw new DomainError("invalidInput", `Invalid filter '${filter}': only attributes and tags.<key> can be searched here, not ${bad.entity}s`);
  return clauses;
}

function maxResultsOrThrow(v: number | undefined, def: number, max: number): number {
  const n = v ?? def;
  if (!Number.isSafeInteger(n) || n < 1 || n > max)
    throw new DomainError("invalidInput", `Invalid value for request parameter max_results. It must be at most ${max}, but got value ${n}`);
  return n;
}

/** The models the caller may read that pass the filter, ordered (name ASC breaks ties), one page. */
export async function searchRegisteredModels(
  ctx: SignedInContext,
  input: { filter?: string; orderBy?: string[]; maxResults?: number; pageToken?: string } = {},
): Promise<{ models: RegisteredModelInfo[]; nextPageToken?: string }> {
  const clauses = registryClausesOrThrow(input.filter, MODEL_ATTRIBUTES);
  const order = parseOrderBy(input.orderBy, MODEL_ATTRIBUTES);
  if (order.some((o) => o.entity !== "attribute")) throw new DomainError("invalidInput", "Registered models can be ordered by name, creation_timestamp and last_updated_timestamp");
  const max = maxResultsOrThrow(input.maxResults, REGISTRY_LIMITS.modelSearchDefault, REGISTRY_LIMITS.modelSearchMax);
  const offset = decodePageToken(input.pageToken);
  const rows = await ctx.db.registeredModel.findMany({ where: readableModelWhere(ctx.user.id), select: modelSelect });
  const items = rows.map((r) => {
    const info = toModelInfo(ctx, r);
    const s: Searchable = {
      attributes: { name: info.name, creation_timestamp: info.creationTimestamp, last_updated_timestamp: info.lastUpdatedTimestamp },
      params: {},
      metrics: {},
      tags: Object.fromEntries(info.tags.map((t) => [t.key, t.value])),
    };
    return { info, s };
  });
  const pass = compileFilter(clauses);
  const cmp = compileOrder([...order, { entity: "attribute", key: "name", asc: true }]);
  const sorted = items.filter((x) => pass(x.s)).sort((a, b) => cmp(a.s, b.s));
  const page = sorted.slice(offset, offset + max).map((x) => x.info);
  return { models: page, nextPageToken: offset + max < sorted.length ? encodePageToken(offset + max) : undefined };
}

/** MLflow's (deprecated) get-latest-versions: the highest version per stage, optionally of given stages. */
export async function getLatestVersions(ctx: SignedInContext, input: { name: unknown; stages?: unknown[] }): Promise<ModelVersionInfo[]> {
  const stages = input.stages?.length ? input.stages.map(parseStage) : undefined;
  const ref = await readableModelIdOrThrow(ctx, input.name);
  const row = await ctx.db.registeredModel.findUniqueOrThrow({ where: { id: ref.id }, select: { ownerId: true, name: true, versions: { select: versionSelect } } });
  return latestPerStage(
    row.versions.map((v) => toVersionInfo(ctx, row, v)),
    stages,
  );
}
