// The ServingBackend (lib/serving/protocols/answer-request.ts) over the registry and one serving
// engine per process: findModel reads the caller's view of a registered model (cached 1 s per
// caller and name, so a burst of predictions costs no query each and a registry change shows
// within a second), predict registers a version with the engine on its first use — keyed by
// ModelVersion.id, loaded from the run's artifacts — and runs the rows through it.
// A request naming no version goes where the endpoint's traffic policy sends it (routeLatest,
// lib/serving/traffic.ts; the policy is read with the model, so it is at most 1 s old); in shadow
// mode the candidate gets a copy after the answer is ready, compared and counted in ./shadow.ts.
// Without a policy, "latest" is the highest AVAILABLE version number.
import type { Db } from "@/lib/server/db";
import type { SessionUser } from "@/lib/server/auth";
import { processWide } from "@/lib/server/process-wide";
import { createServingEngine, type ModelConfig, type Prediction, type ServingEngine } from "@/lib/serving/engine/engine";
import { ServingError } from "@/lib/serving/engine/errors";
import type { ServingBackend } from "@/lib/serving/protocols/answer-request";
import type { ServedModel } from "@/lib/serving/protocols/model";
import { routeVersion, warmVersions } from "@/lib/serving/traffic";
import { processPolicyInvalidations, type PolicyInvalidations } from "./invalidation";
import { recordShadowAnswer, recordShadowError } from "./shadow";
import { findServedEndpoint, loadVersionBytes, type ServedEndpoint, type Storage, type VersionSource } from "./served-models";

export interface ServingServiceOptions {
  db: Db;
  storage: Storage;
  /** The engine; default: one per process (processWide), its workers started on first use from process.cwd(). */
  engine?: () => ServingEngine;
  /** How long a caller's view of a model is reused, ms (default 1,000). */
  cacheMs?: number;
  /** Draws in [0, 1) for canary routing (tests seed it); default Math.random. */
  random?: () => number;
  /** Endpoint changes that drop a model's cached views at once (./invalidation.ts); default the process's (Redis when REDIS_URL is set). */
  invalidations?: PolicyInvalidations;
}

export interface ServingService {
  /** The backend answering one caller's request (one per request: it remembers the request's shadow copy). */
  backendFor(user: SessionUser): ServingBackend;
}

/** The process's serving engine (Next's bundle and the lean layer share it). */
export const processServingEngine = (): ServingEngine => processWide("servingEngine", () => createServingEngine({ root: process.cwd() }));

const CACHE_MAX = 10_000;

export function createServingService(opts: ServingServiceOptions): ServingService {
  const engineOf = opts.engine ?? processServingEngine;
  const cacheMs = opts.cacheMs ?? 1000;
  /** `endpoint` once read (`modelId` then set too): answered without a promise. */
  const cache = new Map<string, { at: number; value: Promise<ServedEndpoint | null>; modelId?: string | null; endpoint?: ServedEndpoint | null }>();
  const endpointOf = new WeakMap<ServedModel, ServedEndpoint>();
  /** What each engine key was registered with, to reconfigure it when the signature or the batching tags change. */
  const registered = new Map<string, { inputWidth: number | undefined; settings: string }>();

  /** The caller's view of a model: the endpoint itself when the cache holds it read, else a promise of it. */
  function find(user: SessionUser, name: string): ServedEndpoint | null | Promise<ServedEndpoint | null> {
    const key = `${user.id}\n${name}`;
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && now - hit.at < cacheMs) return hit.endpoint !== undefined ? hit.endpoint : hit.value;
    const entry: { at: number; value: Promise<ServedEndpoint | null>; modelId?: string | null; endpoint?: ServedEndpoint | null } = { at: now, value: null! };
    entry.value = findServedEndpoint(opts.db, opts.storage, user, name).then((e) => {
      if (e) endpointOf.set(e.model, e);
      entry.modelId = e?.modelId ?? null;
      entry.endpoint = e;
      return e;
    });
    const value = entry.value;
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(key, entry);
    value.catch(() => cache.delete(key));
    return value;
  }

  function ensureRegistered(engine: ServingEngine, endpoint: ServedEndpoint, src: VersionSource): void {
    const sig = src.signature;
    const scaling = sig?.preprocessing ? { mean: sig.preprocessing.mean, scale: sig.preprocessing.scale } : undefined;
    const inputWidth = sig ? sig.inputs.length : (src.inputWidth ?? undefined);
    const settings = JSON.stringify([scaling ?? null, endpoint.batching]);
    const before = registered.get(src.id);
    if (before?.settings === settings) return;
    if (!before || before.inputWidth !== inputWidth) {
      const config: ModelConfig = {
        load: () => loadVersionBytes(opts.db, opts.storage, src),
        batching: endpoint.batching,
        ...(scaling ? { scaling } : {}),
        ...(inputWidth ? { inputWidth } : {}),
      };
      engine.register(src.id, config);
    } else engine.configure(src.id, { batching: endpoint.batching, scaling, output: undefined });
    registered.set(src.id, { inputWidth, settings });
  }

  // A change to an endpoint drops every view of its model, and views still being read (they may predate it).
  (opts.invalidations ?? processPolicyInvalidations()).subscribe((modelId) => {
    // also views of a model not found (null): the change may be its creation or rename
    for (const [key, entry] of cache) if (entry.modelId === modelId || entry.modelId === undefined || entry.modelId === null) cache.delete(key);
  });

  return {
    backendFor(user) {
      /** The shadow copy routeLatest decided for this request: sent once the answer is ready. */
      let shadow: { model: ServedModel; version: number; shadowVersion: number } | null = null;
      return {
        findModel: (name) => {
          const found = find(user, name);
          return found instanceof Promise ? found.then((e) => e?.model ?? null) : (found?.model ?? null);
        },
        routeLatest(model) {
          const endpoint = endpointOf.get(model);
          if (!endpoint?.policy) return null;
          const available = new Set(model.versions.filter((v) => v.state === "AVAILABLE").map((v) => v.version));
          const decision = routeVersion(endpoint.policy, { explicit: false, callerKey: user.id, available, random: opts.random });
          const chosen = decision.version === null ? undefined : model.versions.find((v) => v.version === decision.version);
          if (!chosen) return null;
          shadow = decision.shadowVersion === null ? null : { model, version: chosen.version, shadowVersion: decision.shadowVersion };
          return chosen;
        },
        // No async function: a .then on the engine's promise (each promise of a request is paid
        // again by the AsyncLocalStorage hooks Next enables in this process); throws become rejections.
        predict(model, version, rows) {
          const endpoint = endpointOf.get(model);
          const src = endpoint?.sources.get(version.version);
          if (!endpoint || !src) return Promise.reject(new ServingError("not-found", `Version ${version.version} of ${model.name} is not served`));
          const engine = engineOf();
          let answer: Promise<Prediction>;
          try {
            ensureRegistered(engine, endpoint, src);
            for (const warm of warmVersions(endpoint.policy)) {
              const other = endpoint.sources.get(warm);
              if (other && other !== src) ensureRegistered(engine, endpoint, other); // blue/green: the idle color stays registered
            }
            answer = engine.predict(src.id, rows);
          } catch (e) {
            return Promise.reject(e);
          }
          return answer.then(({ outputs }) => {
            const copy = shadow && shadow.model === model && shadow.version === version.version ? shadow : null;
            shadow = null;
            const shadowSrc = copy ? endpoint.sources.get(copy.shadowVersion) : undefined;
            if (copy && shadowSrc) {
              // fire and forget: the caller's answer is already decided and is not delayed
              const { shadowVersion } = copy;
              const threshold = src.signature?.threshold ?? undefined;
              try {
                ensureRegistered(engine, endpoint, shadowSrc);
                engine.predict(shadowSrc.id, rows).then(
                  (r) => recordShadowAnswer(endpoint.modelId, version.version, shadowVersion, outputs, r.outputs, threshold),
                  () => recordShadowError(endpoint.modelId, version.version, shadowVersion),
                );
              } catch {
                recordShadowError(endpoint.modelId, version.version, shadowVersion);
              }
            }
            return outputs;
          });
        },
      };
    },
  };
}
