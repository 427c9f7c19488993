// Entry of the kernel Web Worker (one per open notebook). It owns the runtime and answers the
// page's requests; it never touches the DOM. Created by KernelClient with
// `new Worker(new URL("../../lib/kernel/worker.ts", import.meta.url), { type: "module" })`.

/// <reference lib="webworker" />

import { BackendController } from "./backends";
import { formatConsoleArgs } from "./format";
import { createKernelHandlers } from "./handlers";
import { RunMailboxWriter } from "./mailbox";
import type { KernelEvent, WorkerMessage, WorkerRequest } from "./protocol";
import { KernelRuntime } from "./runtime";
import { createDuckDbEngine } from "./sql";
import type { Dataset } from "@/lib/datasets/types";

declare const self: DedicatedWorkerGlobalScope;

const post = (message: WorkerMessage) => self.postMessage(message);
// Finished short runs are also written to shared memory, which the page reads in its next frame.
const mailbox = new RunMailboxWriter();
const emit = (event: KernelEvent) => {
  post({ kind: "event", event });
  if ("runId" in event) mailbox.record(event);
};

const backends = new BackendController((info, calibration) =>
  emit({ type: "backend", info, ...(calibration ? { calibration } : {}) }),
);

const runtime: KernelRuntime = new KernelRuntime({
  emit,
  loadTf: () => backends.loadTf(),
  // Lazy: lib/ml may still be growing; a cell that does not use `ml` never loads it.
  loadMl: () => import("@/lib/ml"),
  loadShow: () => import("@/lib/show"),
  loadSql: () => createDuckDbEngine(),
  // Catalog datasets (tables and images, hash-checked) via lib/datasets, loaded on first use.
  // An instructor's lesson may load its instructor's own CSVs by name (lib/teach/dataset-loader.ts).
  datasetLoader: async (name): Promise<Dataset> => {
    const teach = await import("@/lib/teach/dataset-loader");
    if (teach.isTeachDataset(name, runtime.lessonSlug)) return teach.loadTeachDataset(name, runtime.lessonSlug!, (url) => fetch(url, { credentials: "same-origin" }));
    return (await import("@/lib/datasets/load")).loadDataset(name);
  },
  // `track`: same-origin REST with the session cookie, outbox in this origin's IndexedDB.
  tracking: { backendInfo: () => backends.current() },
});

// Library code (tfjs warnings, lib/ml) that logs through the real console lands in the running cell.
const original = { ...console };
for (const [method, stream] of [
  ["log", "stdout"],
  ["info", "stdout"],
  ["warn", "stderr"],
  ["error", "stderr"],
] as const) {
  console[method] = (...args: unknown[]) => {
    const ctx = runtime.executor.activeContext;
    if (ctx && runtime.executor.busy) ctx.stream(stream, formatConsoleArgs(args));
    else original[method](...args);
  };
}

// Errors thrown later by a cell's timers or promises: shown in the cell that is (or was last) running.
const reportLate = (err: unknown) => {
  const ctx = runtime.executor.activeContext;
  if (!ctx) return false;
  const e = err as Error;
  ctx.stream("stderr", `Uncaught ${e?.name ?? "Error"}: ${e?.message ?? String(err)}\n`);
  return true;
};
self.addEventListener("error", (ev) => {
  if (reportLate(ev.error ?? ev.message)) ev.preventDefault();
});
self.addEventListener("unhandledrejection", (ev) => {
  if (reportLate(ev.reason)) ev.preventDefault();
});

const handlers = createKernelHandlers(runtime, backends, mailbox);

self.onmessage = async (ev: MessageEvent<WorkerRequest>) => {
  const req = ev.data;
  if (!req || req.kind !== "request") return;
  try {
    const handler = handlers[req.method] as (...args: unknown[]) => unknown;
    if (typeof handler !== "function") throw new Error(`Unknown kernel method ${String(req.method)}`);
    const result = await handler(...(req.params as unknown[]));
    post({ kind: "response", id: req.id, ok: true, result });
  } catch (err) {
    const e = err as Error;
    post({ kind: "response", id: req.id, ok: false, error: { name: e?.name ?? "Error", message: e?.message ?? String(err) } });
  }
};

post({ kind: "ready" });
