// The MLflow Model Registry REST 2.0 endpoints (mlflow/protos/model_registry.proto), one handler
// per path and method, in MLflow's JSON shapes: versions as strings, times in ms, empty lists and
// unset fields left out as protobuf's JSON does. Served by handleMlflowCall beside tracking's
// routes, under /api/2.0/mlflow/ and /ajax-api/2.0/mlflow/, with the same tokens and errors.
// Cuaderno's extensions: `cuaderno.signature` on model-versions/create and update (echoed under
// `cuaderno` in each model version), and GET registered-models/alias-history.
import type { Handler, Params } from "@/lib/server/services/tracking/mlflow-rest/handlers";
import { MlflowError } from "@/lib/server/services/tracking/mlflow-rest/errors";
import { toInt } from "@/lib/server/services/tracking/values";
import * as aliases from "./aliases";
import * as models from "./models";
import * as versions from "./versions";
import type { ModelVersionInfo, RegisteredModelInfo } from "./views";

export type RegistryMethod = "GET" | "POST" | "PATCH" | "DELETE";

export const modelVersionJson = (v: ModelVersionInfo) => ({
  name: v.name,
  version: String(v.version),
  creation_timestamp: v.creationTimestamp,
  last_updated_timestamp: v.lastUpdatedTimestamp,
  user_id: v.userId,
  current_stage: v.currentStage,
  ...(v.description === null ? {} : { description: v.description }),
  source: v.source,
  ...(v.runId === null ? {} : { run_id: v.runId }),
  status: v.status,
  ...(v.tags.length ? { tags: v.tags } : {}),
  ...(v.runLink === null ? {} : { run_link: v.runLink }),
  ...(v.aliases.length ? { aliases: v.aliases } : {}),
  cuaderno: { artifact_path: v.artifactPath, ...(v.signature ? { signature: v.signature } : {}) },
});

export const registeredModelJson = (m: RegisteredModelInfo) => ({
  name: m.name,
  creation_timestamp: m.creationTimestamp,
  last_updated_timestamp: m.lastUpdatedTimestamp,
  user_id: m.ownerId,
  ...(m.description === null ? {} : { description: m.description }),
  ...(m.latestVersions.length ? { latest_versions: m.latestVersions.map(modelVersionJson) } : {}),
  ...(m.tags.length ? { tags: m.tags } : {}),
  ...(m.aliases.length ? { aliases: m.aliases.map((a) => ({ alias: a.alias, version: String(a.version) })) } : {}),
});

function str(p: Params, name: string): string | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string") throw new MlflowError("INVALID_PARAMETER_VALUE", `Invalid value for parameter '${name}' supplied: expected a string.`);
  return v;
}

function strList(p: Params, name: string): string[] | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  const l = Array.isArray(v) ? v : [v];
  if (!l.every((x) => typeof x === "string")) throw new MlflowError("INVALID_PARAMETER_VALUE", `Parameter '${name}' must be a list of strings`);
  return l as string[];
}

/** `cuaderno.signature`: undefined when not given, null to clear (update only). */
function signature(p: Params): unknown {
  const c = p.cuaderno;
  if (c === undefined || c === null) return undefined;
  if (typeof c !== "object" || Array.isArray(c)) throw new MlflowError("INVALID_PARAMETER_VALUE", "'cuaderno' must be an object");
  return (c as Params).signature;
}

const searchInput = (p: Params) => ({
  filter: str(p, "filter"),
  orderBy: strList(p, "order_by"),
  maxResults: toInt(p.max_results, "max_results"),
  pageToken: str(p, "page_token"),
});

const nameVersion = (p: Params) => ({ name: p.name, version: p.version });

export const registryRoutes: Record<string, Partial<Record<RegistryMethod, Handler>>> = {
  "registered-models/create": {
    POST: async ({ ctx, p }) => ({ registered_model: registeredModelJson(await models.createRegisteredModel(ctx, { name: p.name, description: p.description, tags: p.tags })) }),
  },
  "registered-models/get": {
    GET: async ({ ctx, p }) => ({ registered_model: registeredModelJson(await models.getRegisteredModel(ctx, p.name)) }),
  },
  "registered-models/rename": {
    POST: async ({ ctx, p }) => ({ registered_model: registeredModelJson(await models.renameRegisteredModel(ctx, { name: p.name, newName: p.new_name })) }),
  },
  "registered-models/update": {
    PATCH: async ({ ctx, p }) => ({ registered_model: registeredModelJson(await models.updateRegisteredModel(ctx, { name: p.name, description: p.description })) }),
  },
  "registered-models/delete": { DELETE: async ({ ctx, p }) => (await models.deleteRegisteredModel(ctx, p.name), {}) },
  "registered-models/search": {
    GET: async ({ ctx, p }) => {
      const r = await models.searchRegisteredModels(ctx, searchInput(p));
      return { ...(r.models.length ? { registered_models: r.models.map(registeredModelJson) } : {}), ...(r.nextPageToken ? { next_page_token: r.nextPageToken } : {}) };
    },
  },
  "registered-models/get-latest-versions": Object.fromEntries(
    (["GET", "POST"] as const).map((method) => [
      method,
      (async ({ ctx, p }) => {
        const list = await models.getLatestVersions(ctx, { name: p.name, stages: strList(p, "stages") });
        return list.length ? { model_versions: list.map(modelVersionJson) } : {};
      }) satisfies Handler,
    ]),
  ),
  "registered-models/set-tag": { POST: async ({ ctx, p }) => (await models.setRegisteredModelTag(ctx, { name: p.name, key: p.key, value: p.value }), {}) },
  "registered-models/delete-tag": { DELETE: async ({ ctx, p }) => (await models.deleteRegisteredModelTag(ctx, { name: p.name, key: p.key }), {}) },
  "registered-models/alias": {
    POST: async ({ ctx, p }) => (await aliases.setRegisteredModelAlias(ctx, { name: p.name, alias: p.alias, version: p.version }), {}),
    DELETE: async ({ ctx, p }) => (await aliases.deleteRegisteredModelAlias(ctx, { name: p.name, alias: p.alias }), {}),
    GET: async ({ ctx, p }) => ({ model_version: modelVersionJson(await aliases.getModelVersionByAlias(ctx, { name: p.name, alias: p.alias })) }),
  },
  "registered-models/alias-history": {
    GET: async ({ ctx, p }) => {
      const events = await aliases.aliasHistory(ctx, { name: p.name, alias: p.alias });
      return {
        events: events.map((e) => ({
          alias: e.alias,
          ...(e.fromVersion === null ? {} : { from_version: String(e.fromVersion) }),
          ...(e.toVersion === null ? {} : { to_version: String(e.toVersion) }),
          user_id: e.userId,
          timestamp: e.timestamp,
        })),
      };
    },
  },
  "model-versions/create": {
    POST: async ({ ctx, p }) => ({
      model_version: modelVersionJson(
        await versions.createModelVersion(ctx, {
          name: p.name,
          source: p.source,
          runId: p.run_id,
          runLink: p.run_link,
          description: p.description,
          tags: p.tags,
          signature: signature(p) ?? undefined,
        }),
      ),
    }),
  },
  "model-versions/get": { GET: async ({ ctx, p }) => ({ model_version: modelVersionJson(await versions.getModelVersion(ctx, nameVersion(p))) }) },
  "model-versions/update": {
    PATCH: async ({ ctx, p }) => ({
      model_version: modelVersionJson(await versions.updateModelVersion(ctx, { ...nameVersion(p), description: p.description, signature: signature(p) })),
    }),
  },
  "model-versions/delete": { DELETE: async ({ ctx, p }) => (await versions.deleteModelVersion(ctx, nameVersion(p)), {}) },
  "model-versions/search": {
    GET: async ({ ctx, p }) => {
      const r = await versions.searchModelVersions(ctx, searchInput(p));
      return { ...(r.versions.length ? { model_versions: r.versions.map(modelVersionJson) } : {}), ...(r.nextPageToken ? { next_page_token: r.nextPageToken } : {}) };
    },
  },
  "model-versions/set-tag": { POST: async ({ ctx, p }) => (await versions.setModelVersionTag(ctx, { ...nameVersion(p), key: p.key, value: p.value }), {}) },
  "model-versions/delete-tag": { DELETE: async ({ ctx, p }) => (await versions.deleteModelVersionTag(ctx, { ...nameVersion(p), key: p.key }), {}) },
  "model-versions/transition-stage": {
    POST: async ({ ctx, p }) => ({
      model_version: modelVersionJson(
        await versions.transitionModelVersionStage(ctx, { ...nameVersion(p), stage: p.stage, archiveExistingVersions: p.archive_existing_versions }),
      ),
    }),
  },
  "model-versions/get-download-uri": { GET: async ({ ctx, p }) => ({ artifact_uri: await versions.getModelVersionDownloadUri(ctx, nameVersion(p)) }) },
};
