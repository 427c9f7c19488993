// Threads for the tfjs wasm backend (tfjs-backend-wasm 4.22) in a minified production bundle.
//
// tfjs starts each pthread helper worker by making it import
//   new Blob(["var WasmBackendModuleThreadedSimd = " + wasmFactoryThreadedSimd.toString()])
// (dist/backend_wasm.js, `init`; tfjs has no option for this `mainScriptUrlOrBlob`). Minified,
// that function's text refers to names declared outside it and renamed by the minifier, so every
// helper dies with "r is not defined" and the threaded start waits for them forever
// (tensorflow/tfjs#4107). The factory tfjs stringifies is the module imported in
// `routeHelperWorkersTo` (same file, so the same module object in the bundle): giving it its own
// `toString` turns the Blob into
//   var WasmBackendModuleThreadedSimd = (function () { importScripts("<origin>/vendor/tfjs/…"); … })()
// so the helpers load the untouched Emscripten glue that scripts/copy-vendor-assets.mjs copies from
// the same package, which defines that same global. The kernel worker itself keeps running the
// bundled factory; only the helpers' copy comes from /vendor.
//
// Thread count: the wasm code caps XNNPACK's pool at navigator.hardwareConcurrency / 2 (read once,
// when the module starts; it assumes two hyperthreads per core), whatever `setThreadsCount` asks,
// so a 2-core machine would get a "pool" of 1. `startWasm` reports twice the requested count while
// the module starts, which makes the cap the requested count (tfjs's own limit of 8 still holds).
//
// Should the threaded start still fail or hang, `startWasm` drops it and starts wasm again
// single-threaded (SIMD), and says why.

import { withTimeout } from "./timeout";

type Tf = typeof import("@tensorflow/tfjs");
/** The part of tfjs that starting wasm touches. */
export type WasmStartTf = Pick<Tf, "setBackend" | "ready" | "findBackendFactory" | "removeBackend" | "registerBackend" | "env" | "engine">;

/** The Emscripten glue of the threaded SIMD build, served as-is (copied by copy-vendor-assets). */
export const THREADED_GLUE_FILE = "tfjs-backend-wasm-threaded-simd.js";
/** How long the threaded start may take before wasm starts again without threads. */
export const THREADED_WASM_START_MS = 12_000;

export type ThreadSupport = { ok: true } | { ok: false; reason: string };

/** Whether this scope can run wasm threads at all, and if not, why in a few words. */
export function threadSupport(scope: { crossOriginIsolated?: boolean; SharedArrayBuffer?: unknown } = globalThis): ThreadSupport {
  if (scope.crossOriginIsolated !== true) return { ok: false, reason: "not cross-origin isolated" };
  if (typeof scope.SharedArrayBuffer !== "function") return { ok: false, reason: "no SharedArrayBuffer" };
  return { ok: true };
}

/** The script a helper worker runs in place of the stringified factory: load the glue by URL. */
export function helperWorkerSource(glueUrl: string): string {
  return `(function () { importScripts(${JSON.stringify(glueUrl)}); return WasmBackendModuleThreadedSimd; })()`;
}

/**
 * Makes tfjs's helper workers load `glueUrl`, which must be absolute: they start from a blob: URL,
 * against which a relative one cannot be resolved. Idempotent; returns the factory it changed.
 */
export async function routeHelperWorkersTo(glueUrl: string): Promise<object> {
  const mod = (await import("@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js")) as { default?: object };
  // tfjs takes `ns.default || ns` (dist/backend_wasm.js); so do we.
  const factory = (mod.default ?? mod) as object;
  const source = helperWorkerSource(glueUrl);
  Object.defineProperty(factory, "toString", { value: () => source, configurable: true, writable: true });
  return factory;
}

async function setBackend(tf: WasmStartTf, name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`Backend ${name} failed to initialise`);
  await tf.ready();
}

/**
 * Emscripten rethrows a helper worker's ErrorEvent in this scope ("worker sent an error!"): fail
 * the threaded start then instead of waiting out its time limit. Those errors are handled here, so
 * they are kept from the page (and the running cell) for a few seconds after a failure.
 */
function failOnHelperWorkerError<T>(p: Promise<T>): Promise<T> {
  type Listener = (ev: ErrorEvent) => void;
  const scope = globalThis as { addEventListener?: (t: "error", l: Listener) => void; removeEventListener?: (t: "error", l: Listener) => void };
  if (typeof scope.addEventListener !== "function" || typeof ErrorEvent === "undefined") return p;
  let fail: (err: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  const onError: Listener = (ev) => {
    const original = ev.error;
    if (!(original instanceof ErrorEvent)) return;
    // Cancelling both the rethrown error and the helper's own one keeps either from the page.
    original.preventDefault();
    ev.preventDefault();
    ev.stopImmediatePropagation();
    fail(new Error(`a helper worker failed (${(original.message || "no message").replace(/^Uncaught /, "").split(":")[0]})`));
  };
  const stop = () => scope.removeEventListener?.("error", onError);
  scope.addEventListener("error", onError);
  return Promise.race([p, failed]).then(
    (v) => (stop(), v),
    (err) => {
      setTimeout(stop, 5_000);
      throw err;
    },
  );
}

/** Forgets the failed or hung threaded wasm backend and registers it again, without threads. */
function registerWithoutThreads(tf: WasmStartTf): void {
  const factory = tf.findBackendFactory("wasm");
  const registry = (tf.engine() as unknown as { registryFactory?: Record<string, { priority?: number }> }).registryFactory;
  const priority = registry?.wasm?.priority ?? 2;
  // removeBackend also makes a still-pending init obsolete: tfjs ignores it if it ever settles.
  tf.removeBackend("wasm");
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  if (factory) tf.registerBackend("wasm", factory, priority);
}

/** Runs `start` while navigator.hardwareConcurrency reads `cores` (then restores the real one). */
async function withReportedCores<T>(cores: number | undefined, start: () => Promise<T>): Promise<T> {
  const nav = (globalThis as { navigator?: object }).navigator;
  if (!cores || !nav || Object.prototype.hasOwnProperty.call(nav, "hardwareConcurrency")) return start();
  Object.defineProperty(nav, "hardwareConcurrency", { value: cores, configurable: true });
  try {
    return await start();
  } finally {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/**
 * Switches tf to wasm. With `threads.ok` it tries the threaded build first (within `limitMs`),
 * letting `threadsCount` (what was passed to setThreadsCount) through the wasm code's cap; if that
 * fails or hangs it starts the single-threaded one. Returns the thread support that held.
 */
export async function startWasm(
  tf: WasmStartTf,
  threads: ThreadSupport,
  { limitMs = THREADED_WASM_START_MS, threadsCount }: { limitMs?: number; threadsCount?: number } = {},
): Promise<ThreadSupport> {
  if (threads.ok) {
    try {
      const start = withReportedCores(threadsCount && 2 * threadsCount, () => setBackend(tf, "wasm"));
      await withTimeout(failOnHelperWorkerError(start), limitMs, "the threaded start");
      return threads;
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      registerWithoutThreads(tf);
      await setBackend(tf, "wasm");
      return { ok: false, reason: `threads off, ${why.slice(0, 70)}` };
    }
  }
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  await setBackend(tf, "wasm");
  return threads;
}
