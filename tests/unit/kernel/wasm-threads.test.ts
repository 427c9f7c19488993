// lib/kernel/wasm-threads: what tfjs's pthread helper workers run, and the fallback to one thread
// (real tfjs engine; only the "wasm" backend factory is a test double that can hang or fail).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import * as tf from "@tensorflow/tfjs";
import { afterEach, describe, expect, it } from "vitest";
import { helperWorkerSource, routeHelperWorkersTo, startWasm, THREADED_GLUE_FILE, threadSupport } from "@/lib/kernel/wasm-threads";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const FLAG = "WASM_HAS_MULTITHREAD_SUPPORT";

describe("threadSupport", () => {
  it("wants a cross-origin isolated scope with SharedArrayBuffer", () => {
    expect(threadSupport({ crossOriginIsolated: false, SharedArrayBuffer })).toEqual({ ok: false, reason: "not cross-origin isolated" });
    expect(threadSupport({ SharedArrayBuffer })).toEqual({ ok: false, reason: "not cross-origin isolated" });
    expect(threadSupport({ crossOriginIsolated: true })).toEqual({ ok: false, reason: "no SharedArrayBuffer" });
    expect(threadSupport({ crossOriginIsolated: true, SharedArrayBuffer })).toEqual({ ok: true });
  });
});

describe("routeHelperWorkersTo", () => {
  it("makes the Blob tfjs builds for a helper worker import the served glue, which defines the factory", async () => {
    const url = "http://localhost:3141/vendor/tfjs/tfjs-backend-wasm-threaded-simd.js";
    const factory = await routeHelperWorkersTo(url);
    try {
      // What tfjs-backend-wasm's init() hands the helpers (dist/backend_wasm.js), from the module it imports.
      const ns = (await import("@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js")) as { default?: object };
      expect(ns.default ?? ns).toBe(factory);
      const blobText = "var WasmBackendModuleThreadedSimd = " + (ns.default ?? ns).toString();
      expect(blobText).toBe("var WasmBackendModuleThreadedSimd = " + helperWorkerSource(url));

      // Run it as a classic worker would: importScripts evaluates the file copied to public/vendor.
      const out = mkdtempSync(join(tmpdir(), "vendor-"));
      execFileSync(process.execPath, [join(root, "scripts", "copy-vendor-assets.mjs"), "vendor"], { cwd: out, stdio: "ignore" });
      const glue = readFileSync(join(out, "vendor", "tfjs", THREADED_GLUE_FILE), "utf8");
      expect(glue).toBe(readFileSync(join(root, "node_modules/@tensorflow/tfjs-backend-wasm/wasm-out", THREADED_GLUE_FILE), "utf8"));
      const imported: string[] = [];
      const scope: Record<string, unknown> = {};
      scope.importScripts = (u: string) => {
        imported.push(u);
        vm.runInContext(glue, scope as vm.Context);
      };
      vm.createContext(scope);
      vm.runInContext(blobText, scope as vm.Context);
      expect(imported).toEqual([url]);
      expect(typeof scope.WasmBackendModuleThreadedSimd).toBe("function");
      expect(String(scope.WasmBackendModuleThreadedSimd)).toContain("ENVIRONMENT_IS_PTHREAD");
    } finally {
      delete (factory as { toString?: unknown }).toString;
    }
  });
});

describe("startWasm", () => {
  const starts: boolean[] = [];
  let started: tf.KernelBackend | null = null;
  /** A "wasm" backend whose threaded start does `threaded`; without threads it is a real cpu backend. */
  function registerFakeWasm(threaded: "hang" | "fail" | "ok", onStart: () => void = () => {}) {
    // Registered by tfjs-backend-wasm in a browser; this test does not load that package.
    if (!(FLAG in (tf.env() as unknown as { flagRegistry: object }).flagRegistry)) tf.env().registerFlag(FLAG, () => true);
    tf.env().set(FLAG, true);
    const cpu = tf.findBackendFactory("cpu")!;
    tf.registerBackend(
      "wasm",
      async () => {
        const withThreads = tf.env().getBool(FLAG);
        starts.push(withThreads);
        onStart();
        if (withThreads && threaded === "hang") return new Promise<never>(() => {});
        if (withThreads && threaded === "fail") throw new Error("helper worker: r is not defined");
        started = cpu() as tf.KernelBackend;
        return started;
      },
      2,
    );
  }
  afterEach(async () => {
    starts.length = 0;
    started = null;
    if (tf.findBackendFactory("wasm")) tf.removeBackend("wasm");
    await tf.setBackend("cpu");
  });

  it("keeps threads when the threaded start works", async () => {
    registerFakeWasm("ok");
    expect(await startWasm(tf, { ok: true }, { limitMs: 1_000 })).toEqual({ ok: true });
    expect(tf.getBackend()).toBe("wasm");
    expect(starts).toEqual([true]);
    expect(tf.env().getBool(FLAG)).toBe(true);
  });

  it("reports twice the wanted thread count as logical cores while the threaded module starts, then the real one", async () => {
    // The wasm code caps its pool at hardwareConcurrency / 2, read when the module starts. As in
    // browsers, the count is a getter on the navigator's prototype.
    const nav = Object.create({ get hardwareConcurrency() { return 2; } }) as { hardwareConcurrency: number };
    const had = Object.getOwnPropertyDescriptor(globalThis, "navigator");
    Object.defineProperty(globalThis, "navigator", { value: nav, configurable: true });
    try {
      const seen: number[] = [];
      registerFakeWasm("ok", () => seen.push(nav.hardwareConcurrency));
      await startWasm(tf, { ok: true }, { limitMs: 1_000, threadsCount: 2 });
      expect(seen).toEqual([4]);
      expect(nav.hardwareConcurrency).toBe(2);
      expect(Object.getOwnPropertyNames(nav)).toEqual([]);
    } finally {
      if (had) Object.defineProperty(globalThis, "navigator", had);
      else delete (globalThis as { navigator?: unknown }).navigator;
    }
  });

  it("starts single-threaded, and says why, when the threaded start hangs", async () => {
    registerFakeWasm("hang");
    const res = await startWasm(tf, { ok: true }, { limitMs: 200 });
    expect(res).toEqual({ ok: false, reason: "threads off, the threaded start took longer than 200 ms" });
    expect(tf.getBackend()).toBe("wasm");
    expect(starts).toEqual([true, false]);
    expect(tf.env().getBool(FLAG)).toBe(false);
    expect(tf.backend()).toBe(started);
  });

  it("starts single-threaded when the threaded start fails", async () => {
    registerFakeWasm("fail");
    const res = await startWasm(tf, { ok: true }, { limitMs: 1_000 });
    expect(res.ok).toBe(false);
    expect(starts).toEqual([true, false]);
    expect(tf.getBackend()).toBe("wasm");
  });

  it("does not try threads where the scope cannot have them", async () => {
    registerFakeWasm("ok");
    const res = await startWasm(tf, { ok: false, reason: "not cross-origin isolated" }, { limitMs: 1_000 });
    expect(res).toEqual({ ok: false, reason: "not cross-origin isolated" });
    expect(starts).toEqual([false]);
  });
});
