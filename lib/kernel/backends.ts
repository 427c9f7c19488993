// tfjs backends in the kernel worker: load tfjs lazily, register webgpu / webgl / wasm / cpu,
// calibrate (time a small MLP's training steps on each, keep the fastest) and describe the device.
// The page caches the calibration (KernelClient, localStorage) and passes the choice back.

import type { BackendInfo, BackendName, CalibrationResult } from "./protocol";
import type { TfLike } from "./runtime";
import { routeHelperWorkersTo, startWasm, THREADED_GLUE_FILE, THREADED_WASM_START_MS, threadSupport, type ThreadSupport } from "./wasm-threads";
import { withTimeout } from "./timeout";

type Tf = typeof import("@tensorflow/tfjs");

export const BACKEND_ORDER: BackendName[] = ["webgpu", "webgl", "wasm", "cpu"];
/** Self-hosted assets, copied by scripts/copy-vendor-assets.mjs. */
export const VENDOR_BASE = "/vendor";

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; description?: string; device?: string; isFallbackAdapter?: boolean };
  requestAdapterInfo?: () => Promise<{ vendor?: string; architecture?: string; description?: string }>;
}
interface NavigatorGpu {
  gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> };
}

/** Times fitting a 64-32-1 MLP on 2,000×30 rows: one warm-up epoch, then two timed batches. */
export async function timeTrainingStep(tf: Tf): Promise<number> {
  const x = tf.randomNormal([2000, 30], 0, 1, "float32", 7);
  const y = tf.randomUniform([2000, 1], 0, 1, "float32", 8).round();
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 64, activation: "relu", inputShape: [30] }),
      tf.layers.dense({ units: 32, activation: "relu" }),
      tf.layers.dense({ units: 1, activation: "sigmoid" }),
    ],
  });
  try {
    model.compile({ optimizer: tf.train.adam(0.01), loss: "binaryCrossentropy" });
    await model.fit(x, y, { batchSize: 1000, epochs: 1, shuffle: false, verbose: 0 });
    const t0 = performance.now();
    const h = await model.fit(x, y, { batchSize: 1000, epochs: 1, shuffle: false, verbose: 0 });
    if (!Number.isFinite(Number(h.history.loss[0]))) throw new Error("training produced a non-finite loss");
    return performance.now() - t0;
  } finally {
    model.dispose();
    x.dispose();
    y.dispose();
  }
}

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|software rasterizer/i;

/**
 * The software renderer named in a GPU's description ("google swiftshader", "ANGLE (… SwiftShader
 * Device …)", "llvmpipe"), or null for a hardware GPU. Such a "GPU" runs on the CPU, slower than
 * wasm, and takes seconds to compile its shaders: calibration does not time it.
 */
export function softwareRenderer(description: string, fallbackAdapter = false): string | null {
  const m = SOFTWARE_RENDERERS.exec(description);
  if (m) return m[0];
  return fallbackAdapter ? "fallback adapter" : null;
}

/** For webgpu and webgl: the software renderer behind them here, if that is what they are. */
async function softwareGpu(name: BackendName): Promise<string | null> {
  try {
    if (name === "webgpu") {
      const adapter = await (globalThis.navigator as NavigatorGpu | undefined)?.gpu?.requestAdapter();
      if (!adapter) return null;
      const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
      const i = info as NonNullable<GpuAdapterLike["info"]>;
      return softwareRenderer([i.vendor, i.architecture, i.description, i.device].join(" "), adapter.isFallbackAdapter === true || i.isFallbackAdapter === true);
    }
    if (name === "webgl" && typeof OffscreenCanvas !== "undefined") {
      const canvas = new OffscreenCanvas(1, 1);
      const gl = (canvas.getContext("webgl2") ?? canvas.getContext("webgl")) as WebGLRenderingContext | null;
      if (!gl) return null;
      const ext = gl.getExtension("WEBGL_debug_renderer_info");
      const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
      gl.getExtension("WEBGL_lose_context")?.loseContext();
      return softwareRenderer(renderer);
    }
  } catch {
    // unknown: time it
  }
  return null;
}

export class BackendController {
  private tfPromise: Promise<Tf> | null = null;
  private preferred: BackendName | null = null;
  private info: BackendInfo | null = null;
  private onChange: (info: BackendInfo, calibration?: CalibrationResult) => void;

  constructor(onChange: (info: BackendInfo, calibration?: CalibrationResult) => void = () => {}) {
    this.onChange = onChange;
  }

  /** A backend chosen earlier (the page's cached calibration); used when tf loads. */
  setPreferred(name: BackendName | null): void {
    this.preferred = name;
  }

  get loaded(): boolean {
    return this.tfPromise !== null;
  }

  /** tfjs with a backend: the preferred one, or the calibrated fastest. The kernel's `tf` loader. */
  loadTf(): Promise<TfLike> {
    this.tfPromise ??= (async () => {
      const tf = await import("@tensorflow/tfjs");
      if (this.preferred) {
        try {
          await this.use(tf, this.preferred);
          return tf;
        } catch {
          // the cached choice no longer works here: measure again
        }
      }
      await this.calibrateWith(tf);
      return tf;
    })();
    this.tfPromise.catch(() => (this.tfPromise = null));
    return this.tfPromise as unknown as Promise<TfLike>;
  }

  private async tf(): Promise<Tf> {
    return (await this.loadTf()) as unknown as Tf;
  }

  async current(): Promise<BackendInfo | null> {
    if (!this.tfPromise) return null;
    await this.tfPromise;
    return this.info;
  }

  async setBackend(name: BackendName): Promise<BackendInfo> {
    this.preferred = name;
    if (!this.tfPromise) {
      this.tfPromise = import("@tensorflow/tfjs");
      this.tfPromise.catch(() => (this.tfPromise = null));
    }
    return this.use(await this.tfPromise, name);
  }

  async calibrate(): Promise<CalibrationResult> {
    if (!this.tfPromise) {
      this.tfPromise = import("@tensorflow/tfjs");
      this.tfPromise.catch(() => (this.tfPromise = null));
    }
    return this.calibrateWith(await this.tfPromise);
  }

  private async calibrateWith(tf: Tf): Promise<CalibrationResult> {
    const timings: CalibrationResult["timings"] = {};
    const errors: CalibrationResult["errors"] = {};
    const wallMs: NonNullable<CalibrationResult["wallMs"]> = {};
    for (const name of BACKEND_ORDER) {
      const t0 = performance.now();
      try {
        const software = name === "webgpu" || name === "webgl" ? await softwareGpu(name) : null;
        if (software) throw new Error(`a software renderer (${software}) on the CPU: not timed; it can still be chosen by hand`);
        await withTimeout(this.register(tf, name), 20_000, `loading ${name}`);
        // A backend whose start never settles must not hang the notebook's first `tf` cell
        // (threaded wasm has its own, shorter limit inside, then one try without threads).
        await withTimeout(this.start(tf, name), 20_000 + (name === "wasm" ? THREADED_WASM_START_MS : 0), `starting ${name}`);
        timings[name] = Math.round((await withTimeout(timeTrainingStep(tf), 30_000, `${name} training`)) * 10) / 10;
      } catch (err) {
        timings[name] = null;
        errors[name] = err instanceof Error ? err.message : String(err);
      }
      wallMs[name] = Math.round(performance.now() - t0);
    }
    const measured = BACKEND_ORDER.filter((n) => typeof timings[n] === "number");
    const best = measured.sort((a, b) => (timings[a] as number) - (timings[b] as number))[0] ?? "cpu";
    const info = await this.use(tf, best, false);
    const result: CalibrationResult = { best, info, timings, errors, wallMs };
    this.onChange(info, result);
    return result;
  }

  private registered = new Set<BackendName>();
  private async register(tf: Tf, name: BackendName): Promise<void> {
    if (this.registered.has(name)) return;
    if (name === "webgpu") {
      const gpu = (globalThis.navigator as NavigatorGpu | undefined)?.gpu;
      if (!gpu) throw new Error("WebGPU is not available (navigator.gpu is missing)");
      const adapter = await gpu.requestAdapter();
      if (!adapter) throw new Error("WebGPU is not available (no adapter)");
      await import("@tensorflow/tfjs-backend-webgpu");
    } else if (name === "wasm") {
      const wasm = await import("@tensorflow/tfjs-backend-wasm");
      wasm.setWasmPaths(`${VENDOR_BASE}/tfjs/`);
      // Threads where the page is cross-origin isolated, else single-threaded SIMD (see
      // wasm-threads.ts). XNNPACK's pool gets one thread per logical core (tfjs's own default is
      // half of them), at most the 8 helper workers tfjs's build starts.
      this.wasmThreads = await prepareWasmThreads(tf);
      this.wasmThreadsCount = Math.max(1, Math.min(8, globalThis.navigator?.hardwareConcurrency ?? 1));
      if (this.wasmThreads.ok) wasm.setThreadsCount(this.wasmThreadsCount);
    }
    if (!tf.findBackendFactory(name)) throw new Error(`${name} is not registered`);
    this.registered.add(name);
  }

  /** Whether wasm runs threaded; once threads fail in this kernel they stay off. */
  private wasmThreads: ThreadSupport = { ok: false, reason: "not checked" };
  private wasmThreadsCount = 1;

  private async start(tf: Tf, name: BackendName): Promise<void> {
    await this.register(tf, name);
    if (name === "wasm") {
      this.wasmThreads = await startWasm(tf, this.wasmThreads, { threadsCount: this.wasmThreadsCount });
      return;
    }
    if (!(await tf.setBackend(name))) throw new Error(`Backend ${name} failed to initialise`);
    await tf.ready();
  }

  private async use(tf: Tf, name: BackendName, notify = true): Promise<BackendInfo> {
    await this.start(tf, name);
    this.info = { name, device: await describeDevice(tf, name, this.wasmThreads.ok ? undefined : this.wasmThreads.reason) };
    if (notify) this.onChange(this.info);
    return this.info;
  }
}

/** Whether wasm may use threads here; if so, routes tfjs's helper workers to the served glue. */
async function prepareWasmThreads(tf: Tf): Promise<ThreadSupport> {
  const support = threadSupport();
  if (!support.ok) return support;
  if (!(await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"))) return { ok: false, reason: "no wasm threads in this browser" };
  const path = `${VENDOR_BASE}/tfjs/${THREADED_GLUE_FILE}`;
  const glueUrl = new URL(path, globalThis.location.href).href;
  if (!(await fetch(glueUrl, { method: "HEAD" }).then((r) => r.ok, () => false))) return { ok: false, reason: `${path} is not served` };
  await routeHelperWorkersTo(glueUrl);
  return { ok: true };
}

/** Human-readable device for the current backend; `threadsNote` says why wasm runs on one thread. */
export async function describeDevice(tf: Tf, name: BackendName, threadsNote?: string): Promise<string> {
  try {
    if (name === "webgpu") {
      const gpu = (globalThis.navigator as NavigatorGpu | undefined)?.gpu;
      const adapter = await gpu?.requestAdapter();
      const info = adapter?.info ?? (await adapter?.requestAdapterInfo?.());
      const parts = [info?.vendor, info?.architecture, info?.description].filter((s) => s && String(s).length);
      return `WebGPU${parts.length ? ` (${parts.join(" ")})` : ""}`;
    }
    if (name === "webgl") {
      const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
      if (!gl) return `WebGL ${tf.env().get("WEBGL_VERSION")}`;
      const ext = gl.getExtension("WEBGL_debug_renderer_info");
      const renderer = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
      return `WebGL ${tf.env().get("WEBGL_VERSION")} (${String(renderer)})`;
    }
    if (name === "wasm") {
      const wasm = await import("@tensorflow/tfjs-backend-wasm");
      const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
      const threads = (await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT")) ? wasm.getThreadsCount() : 1;
      const note = threads === 1 && threadsNote ? `: ${threadsNote}` : "";
      return `wasm (${simd ? "SIMD" : "no SIMD"}, ${threads} thread${threads === 1 ? "" : "s"}${note})`;
    }
  } catch {
    // fall through
  }
  return name === "cpu" ? "cpu (JavaScript)" : name;
}
