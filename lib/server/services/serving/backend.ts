// The ServingBackend (lib/serving/protocols/answer-request.ts) over the registry and one serving
// engine per process: findModel reads the caller's view of a registered model (cached 1 s per
// caller and name, so a burst of predictions costs no query each and a registry change shows
// within a second), predict registers a version with the engine on its first use — keyed by
// ModelVersion.id, loaded from the run's artifacts — and runs the rows through it.
// Single version for now: "latest" is the highest AVAILABLE version number (no routeLatest).
import type { Db } from "@/lib/server/db";
import type { SessionUser } from "@/lib/server/auth";
import { processWide } from "@/lib/server/process-wide";
import { createServingEngine, type ModelConfig, type ServingEngine } from "@/lib/serving/engine/engine";
import { ServingError } from "@/lib/serving/engine/errors";
import type { ServingBackend } from "@/lib/serving/protocols/answer-request";
import type { ServedModel } from "@/lib/serving/protocols/model";
import { findServedEndpoint, loadVersionBytes, type ServedEndpoint, type Storage, type VersionSource } from "./served-models";

export interface ServingServiceOptions {
  db: Db;
  storage: Storage;
  /** The engine; default: one per process (processWide), its workers started on first use from process.cwd(). */
  engine?: () => ServingEngine;
  /** How long a caller's view of a model is reused, ms (default 1,000). */
  cacheMs?: number;
}

export interface ServingService {
  /** The backend answering one caller's request. */
  backendFor(user: SessionUser): ServingBackend;
}

/** The process's serving engine (Next's bundle and the lean layer share it). */
export const processServingEngine = (): ServingEngine => processWide("servingEngine", () => createServingEngine({ root: process.cwd() }));

const CACHE_MAX = 10_000;

export function createServingService(opts: ServingServiceOptions): ServingService {
  const engineOf = opts.engine ?? processServingEngine;
  const cacheMs = opts.cacheMs ?? 1000;
  const cache = new Map<string, { at: number; value: Promise<ServedEndpoint | null> }>();
  const endpointOf = new WeakMap<ServedModel, ServedEndpoint>();
  /** What each engine key was registered with, to reconfigure it when the signature or the batching tags change. */
  const registered = new Map<string, { inputWidth: number | undefined; settings: string }>();

  function find(user: SessionUser, name: string): Promise<ServedEndpoint | null> {
    const key = `${user.id}\n${name}`;
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && now - hit.at < cacheMs) return hit.value;
    const value = findServedEndpoint(opts.db, opts.storage, user, name).then((e) => {
      if (e) endpointOf.set(e.model, e);
      return e;
    });
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(key, { at: now, value });
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

  return {
    backendFor(user) {
      return {
        findModel: (name) => find(user, name).then((e) => e?.model ?? null),
        async predict(model, version, rows) {
          const endpoint = endpointOf.get(model);
          const src = endpoint?.sources.get(version.version);
          if (!endpoint || !src) throw new ServingError("not-found", `Version ${version.version} of ${model.name} is not served`);
          const engine = engineOf();
          ensureRegistered(engine, endpoint, src);
          return (await engine.predict(src.id, rows)).outputs;
        },
      };
    },
  };
}
