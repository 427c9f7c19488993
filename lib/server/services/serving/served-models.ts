// A registered model as the serving protocols describe it (lib/serving/protocols/model.ts), for one
// caller: ./access.ts decides who sees it (its owner by `name`, another reader — the instructor of
// a class a version's run is filed under or the owner is a student of, and classmates when the
// owner shares the endpoint with the class — by `<ownerId>/<name>`); the endpoint's traffic policy
// (./policy.ts) comes with it; versions
// READY in the registry are AVAILABLE; aliases are labels; each version's inputs come from its
// registry signature (named features) or, without one, from the input width in its model.json.
import type { Db } from "@/lib/server/db";
import type { SessionUser } from "@/lib/server/auth";
import { parseModelRef } from "@/lib/server/services/registry/access";
import type { ModelSignature as RegistrySignature } from "@/lib/server/services/registry/signature";
import { asArtifactStorage, type ArtifactStorage } from "@/lib/server/services/tracking/artifacts/storage";
import type { ArtifactStore } from "@/lib/server/services/tracking/artifacts/store";
import type { BatchSettings } from "@/lib/serving/engine/batcher";
import { ServingError } from "@/lib/serving/engine/errors";
import { readModelShapeOrThrow, type ModelBytes } from "@/lib/serving/engine/model-spec";
import { featureSignature, type ServedModel, type ServedVersion } from "@/lib/serving/protocols/model";
import { REGISTRY_LIMITS } from "@/lib/server/services/registry/values";
import type { TrafficPolicy } from "@/lib/serving/traffic";
import { servableModelWhere } from "./access";
import { trafficPolicyOf } from "./policy";
import { batchingFromTags } from "./settings";

/** Where a served version's files are and how its rows are prepared. */
export interface VersionSource {
  /** ModelVersion.id: the engine key (versions are immutable; a new upload is a new version). */
  id: string;
  runId: string | null;
  artifactPath: string;
  signature: RegistrySignature | null;
  /** The model.json input width, when there is no signature. */
  inputWidth: number | null;
}

export interface ServedEndpoint {
  /** The registered model's id (the endpoint's id). */
  modelId: string;
  model: ServedModel;
  /** How requests naming no version are routed; null: the newest available version. */
  policy: TrafficPolicy | null;
  /** By version number. */
  sources: ReadonlyMap<number, VersionSource>;
  batching: Partial<BatchSettings>;
}

export type Storage = ArtifactStore | ArtifactStorage;

/** One artifact's bytes (the model's owner registered the version; the registry checked the run then). */
export async function readVersionFile(db: Db, storage: Storage, src: Pick<VersionSource, "runId" | "artifactPath">, file: string): Promise<Uint8Array | null> {
  if (!src.runId) return null;
  const path = `${src.artifactPath}/${file}`;
  const row = await db.artifact.findUnique({ where: { runId_path: { runId: src.runId, path } }, select: { storage: true } });
  if (!row) return null;
  const store = asArtifactStorage(storage).forKind(row.storage);
  if (!store) throw new Error(`Artifact '${src.runId}/${path}' is kept in '${row.storage}' storage, which is not configured`);
  return store.get(`${src.runId}/${path}`);
}

/** model.json + weights.bin of a version, for the engine's load(). */
export async function loadVersionBytes(db: Db, storage: Storage, src: VersionSource): Promise<ModelBytes> {
  const [json, weights] = await Promise.all([readVersionFile(db, storage, src, "model.json"), readVersionFile(db, storage, src, "weights.bin")]);
  if (!json) throw new ServingError("load-failed", `The version's model.json is missing from the run's artifacts (${src.artifactPath}/model.json)`);
  if (!weights) throw new ServingError("load-failed", `The version's weights.bin is missing from the run's artifacts (${src.artifactPath}/weights.bin)`);
  const copy = new Uint8Array(weights.byteLength);
  copy.set(weights);
  return { modelJson: new TextDecoder().decode(json), weights: copy.buffer };
}

function parseStoredSignature(text: string | null): RegistrySignature | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as RegistrySignature;
  } catch {
    return null;
  }
}

/** model.json's input/output widths per version id (immutable files), or the reason it cannot be served. */
const shapeCache = new Map<string, { inputWidth: number | null; outputWidth: number | null } | { error: string }>();
const SHAPE_CACHE_MAX = 10_000;

async function modelShape(db: Db, storage: Storage, src: VersionSource) {
  const cached = shapeCache.get(src.id);
  if (cached) return cached;
  let shape: { inputWidth: number | null; outputWidth: number | null } | { error: string };
  try {
    const json = await readVersionFile(db, storage, src, "model.json");
    shape = json ? readModelShapeOrThrow(new TextDecoder().decode(json)) : { error: `model.json is missing (${src.artifactPath}/model.json)` };
  } catch (e) {
    if (!(e instanceof ServingError)) throw e; // a failing store is not the model's fault: not remembered
    shape = { error: e.message };
  }
  if (shapeCache.size >= SHAPE_CACHE_MAX) shapeCache.clear();
  shapeCache.set(src.id, shape);
  return shape;
}

async function servedVersion(db: Db, storage: Storage, number: number, status: string, src: VersionSource): Promise<ServedVersion> {
  const sig = src.signature;
  if (sig) {
    const signature = featureSignature({ featureCount: sig.inputs.length, featureNames: sig.inputs, outputNames: sig.outputs });
    return { version: number, state: status === "READY" ? "AVAILABLE" : "LOADING", signature };
  }
  const shape = await modelShape(db, storage, src);
  if ("error" in shape || !shape.inputWidth || shape.inputWidth < 1) {
    const message = "error" in shape ? shape.error : "model.json does not say the model's input width; register the version with a signature (cuaderno.signature.inputs)";
    return { version: number, state: "END", error: { code: "FAILED_PRECONDITION", message }, signature: featureSignature({ featureCount: 1 }) };
  }
  src.inputWidth = shape.inputWidth;
  const width = shape.outputWidth ?? 1;
  return { version: number, state: status === "READY" ? "AVAILABLE" : "LOADING", signature: featureSignature({ featureCount: shape.inputWidth, outputWidth: width, outputNames: ["outputs"] }) };
}

/** The endpoint a requested name means for this caller, or null when unknown or not readable by them. */
export async function findServedEndpoint(db: Db, storage: Storage, user: SessionUser, requested: string): Promise<ServedEndpoint | null> {
  if (!requested || requested.length > REGISTRY_LIMITS.nameLength * 2 + 1) return null;
  const ref = parseModelRef({ db, user }, requested);
  const row = await db.registeredModel.findFirst({
    where: { ownerId: ref.ownerId, name: ref.name, ...(ref.ownerId === user.id ? {} : servableModelWhere(user.id)) },
    select: {
      id: true,
      endpoint: { select: { visibility: true, mode: true, stableVersion: true, candidateVersion: true, canaryPercent: true, abPercent: true, liveColor: true } },
      tags: { select: { key: true, value: true } },
      versions: { select: { id: true, version: true, status: true, runId: true, artifactPath: true, signature: true } },
      aliases: { select: { alias: true, version: { select: { version: true } } } },
    },
  });
  if (!row) return null;
  const sources = new Map<number, VersionSource>();
  const versions: ServedVersion[] = [];
  for (const v of row.versions) {
    const src: VersionSource = { id: v.id, runId: v.runId, artifactPath: v.artifactPath, signature: parseStoredSignature(v.signature), inputWidth: null };
    sources.set(v.version, src);
    versions.push(await servedVersion(db, storage, v.version, v.status, src));
  }
  const labels: Record<string, number> = {};
  for (const a of row.aliases) labels[a.alias] = a.version.version;
  return { modelId: row.id, model: { name: requested, versions, labels }, policy: trafficPolicyOf(row.id, row.endpoint), sources, batching: batchingFromTags(row.tags) };
}
