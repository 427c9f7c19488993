// Model versions: a registered model's numbered snapshots of a model logged by a run (tfjs
// `model.json` + weights under one folder of the run's artifacts), with what serving needs to
// predict (signature.ts). Numbers are never reused: RegisteredModel.lastVersion only grows.
import { DomainError } from "@/lib/server/errors";
import { nowOf, type SignedInContext } from "@/lib/server/services/context";
import { runNotFound, visibleRunWhere } from "@/lib/server/services/tracking/access";
import { safeArtifactPath } from "@/lib/server/services/tracking/artifacts/store";
import { decodePageToken, encodePageToken } from "@/lib/server/services/tracking/page-token";
import { compileFilter, compileOrder, parseFilter, parseOrderBy, type AttributeSet, type Searchable } from "@/lib/server/services/tracking/search-filter";
import { validateKey } from "@/lib/server/services/tracking/values";
import { readableModelIdOrThrow, readableModelWhere, writableModelIdOrThrow } from "./access";
import { aliasRemovalEvents } from "./aliases";
import { servedModelChanged } from "./changes";
import { parseSignatureOrThrow, signatureToText } from "./signature";
import { toVersionInfo, versionWithModelSelect, type ModelVersionInfo } from "./views";
import {
  optionalText,
  parseStage,
  parseVersion,
  REGISTRY_LIMITS,
  validateDescription,
  validateRegistryTag,
  validateRegistryTags,
  type Stage,
} from "./values";

export const versionNotFound = (name: string, version: number | string) =>
  new DomainError("notFound", `Model Version (name=${name.slice(0, 300)}, version=${version}) not found`);
const invalid = (message: string) => new DomainError("invalidInput", message);

export async function loadVersionInfo(ctx: SignedInContext, versionId: string): Promise<ModelVersionInfo> {
  const v = await ctx.db.modelVersion.findUniqueOrThrow({ where: { id: versionId }, select: versionWithModelSelect });
  return toVersionInfo(ctx, v.model, v);
}

/** The version's row id within a model the caller may read (write: owns). */
async function versionIdOrThrow(ctx: SignedInContext, input: { name: unknown; version: unknown }, mode: "read" | "write") {
  const version = parseVersion(input.version);
  const m = mode === "write" ? await writableModelIdOrThrow(ctx, input.name) : await readableModelIdOrThrow(ctx, input.name);
  const row = await ctx.db.modelVersion.findUnique({ where: { modelId_version: { modelId: m.id, version } }, select: { id: true } });
  if (!row) throw versionNotFound(String(input.name), version);
  return { model: m, versionId: row.id, version };
}

const MODEL_FILE = "model.json";

/**
 * Where a version's files are: `runs:/<run_id>/<path>`, or (with run_id) the run's artifact URI
 * followed by `/<path>`. The run must be one the caller can read, and `<path>/model.json` one of
 * its artifacts (what `run.logModel(model, path)` writes). A path naming model.json itself means
 * its folder.
 */
async function resolveSourceOrThrow(ctx: SignedInContext, source: string, runIdParam: string | undefined): Promise<{ runId: string; artifactPath: string }> {
  let runId: string;
  let path: string | null = null;
  if (source.startsWith("runs:/")) {
    const rest = source.slice("runs:/".length);
    const slash = rest.indexOf("/");
    runId = slash < 0 ? rest : rest.slice(0, slash);
    path = slash < 0 ? "" : rest.slice(slash + 1);
    if (!runId) throw invalid(`Invalid source '${source.slice(0, 200)}': expected runs:/<run_id>/<path>`);
    if (runIdParam && runIdParam !== runId) throw invalid(`The run_id '${runIdParam}' does not match the run of source '${source.slice(0, 200)}'`);
  } else if (runIdParam) runId = runIdParam;
  else throw invalid(`Invalid source '${source.slice(0, 200)}': give runs:/<run_id>/<path>, or the run's artifact URI and path with run_id`);

  const run = await ctx.db.run.findFirst({ where: { id: runId, ...visibleRunWhere(ctx.user.id) }, select: { id: true, artifactUri: true } });
  if (!run) throw runNotFound(runId);
  if (path === null) {
    if (source === run.artifactUri) path = "";
    else if (source.startsWith(`${run.artifactUri}/`)) path = source.slice(run.artifactUri.length + 1);
    else throw invalid(`Invalid source '${source.slice(0, 200)}': it is not inside the artifacts of run ${run.id} (${run.artifactUri})`);
  }
  let end = path.length;
  while (end > 0 && path[end - 1] === "/") end--; // not /\/+$/: quadratic on a run of slashes
  path = path.slice(0, end);
  if (path === MODEL_FILE) path = "";
  else if (path.endsWith(`/${MODEL_FILE}`)) path = path.slice(0, -MODEL_FILE.length - 1);
  let dir = "";
  if (path) {
    try {
      dir = safeArtifactPath(path);
    } catch (e) {
      throw invalid((e as Error).message);
    }
  }
  const file = dir ? `${dir}/${MODEL_FILE}` : MODEL_FILE;
  const found = await ctx.db.artifact.findUnique({ where: { runId_path: { runId: run.id, path: file } }, select: { path: true } });
  if (!found)
    throw invalid(`Run ${run.id} has no artifact '${file}': log the model first (run.logModel(model, ${JSON.stringify(dir || "model")}) in a notebook)`);
  return { runId: run.id, artifactPath: dir };
}

export async function createModelVersion(
  ctx: SignedInContext,
  input: { name: unknown; source: unknown; runId?: unknown; runLink?: unknown; description?: unknown; tags?: unknown; signature?: unknown },
): Promise<ModelVersionInfo> {
  const source = optionalText(input.source, "source", REGISTRY_LIMITS.sourceLength);
  if (!source) throw invalid("Missing value for required parameter 'source'.");
  const runIdParam = optionalText(input.runId, "run_id", 64);
  const runLink = optionalText(input.runLink, "run_link", REGISTRY_LIMITS.runLinkLength);
  const description = validateDescription(input.description);
  const tags = validateRegistryTags(input.tags);
  const signature = input.signature === undefined || input.signature === null ? null : signatureToText(parseSignatureOrThrow(input.signature));
  const m = await writableModelIdOrThrow(ctx, input.name);
  const { runId, artifactPath } = await resolveSourceOrThrow(ctx, source, runIdParam);
  const now = BigInt(nowOf(ctx).getTime());
  const created = await ctx.db.$transaction(async (tx) => {
    const { lastVersion } = await tx.registeredModel.update({ where: { id: m.id }, data: { lastVersion: { increment: 1 }, lastUpdatedTime: now }, select: { lastVersion: true } });
    return tx.modelVersion.create({
      data: {
        modelId: m.id,
        version: lastVersion,
        creationTime: now,
        lastUpdatedTime: now,
        userId: ctx.user.id,
        description: description ?? null,
        source,
        runId,
        artifactPath,
        runLink: runLink ?? null,
        signature,
        tags: { create: tags },
      },
      select: { id: true },
    });
  });
  servedModelChanged(m.id);
  return loadVersionInfo(ctx, created.id);
}

export async function getModelVersion(ctx: SignedInContext, input: { name: unknown; version: unknown }): Promise<ModelVersionInfo> {
  return loadVersionInfo(ctx, (await versionIdOrThrow(ctx, input, "read")).versionId);
}

/** Description and (Cuaderno) signature; a null signature clears it, an absent one keeps it. */
export async function updateModelVersion(ctx: SignedInContext, input: { name: unknown; version: unknown; description?: unknown; signature?: unknown }): Promise<ModelVersionInfo> {
  const description = validateDescription(input.description);
  const signature = input.signature === undefined ? undefined : input.signature === null ? null : signatureToText(parseSignatureOrThrow(input.signature));
  const { model, versionId } = await versionIdOrThrow(ctx, input, "write");
  await ctx.db.modelVersion.update({
    where: { id: versionId },
    data: { ...(description === undefined ? {} : { description }), ...(signature === undefined ? {} : { signature }), lastUpdatedTime: BigInt(nowOf(ctx).getTime()) },
  });
  if (signature !== undefined) servedModelChanged(model.id);
  return loadVersionInfo(ctx, versionId);
}

/** Deletes a version with its tags and aliases (each alias's removal recorded); its number is not reused. */
export async function deleteModelVersion(ctx: SignedInContext, input: { name: unknown; version: unknown }): Promise<void> {
  const { model, versionId } = await versionIdOrThrow(ctx, input, "write");
  const now = BigInt(nowOf(ctx).getTime());
  await ctx.db.$transaction(async (tx) => {
    await aliasRemovalEvents(tx, ctx, model, { versionId }, now);
    await tx.modelVersion.delete({ where: { id: versionId } });
    await tx.registeredModel.update({ where: { id: model.id }, data: { lastUpdatedTime: now } });
  });
  servedModelChanged(model.id);
}

export async function setModelVersionTag(ctx: SignedInContext, input: { name: unknown; version: unknown; key: unknown; value: unknown }): Promise<void> {
  const tag = validateRegistryTag({ key: input.key, value: input.value });
  const { versionId } = await versionIdOrThrow(ctx, input, "write");
  await ctx.db.modelVersionTag.upsert({ where: { versionId_key: { versionId, key: tag.key } }, create: { versionId, ...tag }, update: { value: tag.value } });
}

export async function deleteModelVersionTag(ctx: SignedInContext, input: { name: unknown; version: unknown; key: unknown }): Promise<void> {
  const key = validateKey("tag", input.key);
  const { versionId } = await versionIdOrThrow(ctx, input, "write");
  await ctx.db.modelVersionTag.deleteMany({ where: { versionId, key } });
}

/** MLflow's (deprecated) stages: moving a version to Staging/Production may archive the others there. */
export async function transitionModelVersionStage(
  ctx: SignedInContext,
  input: { name: unknown; version: unknown; stage: unknown; archiveExistingVersions?: unknown },
): Promise<ModelVersionInfo> {
  const stage: Stage = parseStage(input.stage);
  const archive = input.archiveExistingVersions === true || input.archiveExistingVersions === "true";
  const { model, versionId } = await versionIdOrThrow(ctx, input, "write");
  const now = BigInt(nowOf(ctx).getTime());
  await ctx.db.$transaction(async (tx) => {
    if (archive && (stage === "Staging" || stage === "Production"))
      await tx.modelVersion.updateMany({ where: { modelId: model.id, currentStage: stage, id: { not: versionId } }, data: { currentStage: "Archived", lastUpdatedTime: now } });
    await tx.modelVersion.update({ where: { id: versionId }, data: { currentStage: stage, lastUpdatedTime: now } });
  });
  return loadVersionInfo(ctx, versionId);
}

/** Where the version's files are: the run's artifact URI and the model's folder. */
export async function getModelVersionDownloadUri(ctx: SignedInContext, input: { name: unknown; version: unknown }): Promise<string> {
  const { versionId } = await versionIdOrThrow(ctx, input, "read");
  const v = await ctx.db.modelVersion.findUniqueOrThrow({ where: { id: versionId }, select: { source: true, artifactPath: true, run: { select: { artifactUri: true } } } });
  if (!v.run) return v.source;
  return v.artifactPath ? `${v.run.artifactUri}/${v.artifactPath}` : v.run.artifactUri;
}

const VERSION_ATTRIBUTES: AttributeSet = {
  numeric: new Set(["version_number", "creation_timestamp", "last_updated_timestamp"]),
  string: new Set(["name", "run_id", "source", "user_id", "current_stage", "status"]),
};

/** Versions of the models the caller may read that pass the filter (name ASC, version DESC by default). */
export async function searchModelVersions(
  ctx: SignedInContext,
  input: { filter?: string; orderBy?: string[]; maxResults?: number; pageToken?: string } = {},
): Promise<{ versions: ModelVersionInfo[]; nextPageToken?: string }> {
  const clauses = parseFilter(input.filter, VERSION_ATTRIBUTES);
  const bad = clauses.find((c) => c.entity !== "attribute" && c.entity !== "tag");
  if (bad) throw invalid(`Invalid filter '${input.filter}': only attributes and tags.<key> can be searched here, not ${bad.entity}s`);
  const order = parseOrderBy(input.orderBy, VERSION_ATTRIBUTES);
  if (order.some((o) => o.entity !== "attribute")) throw invalid("Model versions can be ordered by name, version_number, creation_timestamp and last_updated_timestamp");
  const max = input.maxResults ?? REGISTRY_LIMITS.versionSearchDefault;
  if (!Number.isSafeInteger(max) || max < 1 || max > REGISTRY_LIMITS.versionSearchMax)
    throw invalid(`Invalid value for request parameter max_results. It must be at most ${REGISTRY_LIMITS.versionSearchMax}, but got value ${max}`);
  const offset = decodePageToken(input.pageToken);
  const rows = await ctx.db.modelVersion.findMany({ where: { model: readableModelWhere(ctx.user.id) }, select: versionWithModelSelect });
  const items = rows.map((r) => {
    const info = toVersionInfo(ctx, r.model, r);
    const s: Searchable = {
      attributes: {
        name: info.name,
        version_number: info.version,
        run_id: info.runId,
        source: info.source,
        user_id: info.userId,
        current_stage: info.currentStage,
        status: info.status,
        creation_timestamp: info.creationTimestamp,
        last_updated_timestamp: info.lastUpdatedTimestamp,
      },
      params: {},
      metrics: {},
      tags: Object.fromEntries(info.tags.map((t) => [t.key, t.value])),
    };
    return { info, s };
  });
  const pass = compileFilter(clauses);
  const cmp = compileOrder([...order, { entity: "attribute", key: "name", asc: true }, { entity: "attribute", key: "version_number", asc: false }]);
  const sorted = items.filter((x) => pass(x.s)).sort((a, b) => cmp(a.s, b.s));
  const page = sorted.slice(offset, offset + max).map((x) => x.info);
  return { versions: page, nextPageToken: offset + max < sorted.length ? encodePageToken(offset + max) : undefined };
}
