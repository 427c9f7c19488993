// The typed boundary between the page and the kernel worker. Requests are derived from the
// handler object (lib/kernel/handlers.ts), so adding a handler adds its message type; events are
// what a run streams back. Only structured-clone data crosses.

import type { MimeBundle } from "@/lib/notebook/types";
import type { KernelHandlers } from "./handlers";

export type RunKind = "code" | "sql" | "exercise";
export type RunStatus = "ok" | "error" | "interrupted";
export type BackendName = "webgpu" | "webgl" | "wasm" | "cpu";

export interface RunOptions {
  /** Chosen by the page so that it can match events before `run` answers. */
  runId?: string;
  /** Exercise cells: the check code, run after the student's code in the same scope. */
  check?: string;
}

interface RunEventBase {
  runId: string;
  cellId: string;
}

export type RunEvent =
  | (RunEventBase & { type: "start"; executionCount: number; declares: string[] })
  | (RunEventBase & { type: "stream"; name: "stdout" | "stderr"; text: string })
  | (RunEventBase & { type: "display"; data: MimeBundle; displayId?: string; update: boolean })
  | (RunEventBase & { type: "result"; data: MimeBundle })
  | (RunEventBase & {
      type: "error";
      name: string;
      /** Readable, with the cell line when known: "x is not a function (line 3)". */
      message: string;
      line?: number;
      column?: number;
      stack?: string;
    })
  | DoneEvent;

export interface DoneEvent extends RunEventBase {
  type: "done";
  status: RunStatus;
  durationMs: number;
  executionCount: number;
  /** Top-level names this run defined (now on the kernel scope). */
  defined: string[];
  /** Exercise cells only. */
  check?: "passed" | "failed";
}

export interface BackendInfo {
  name: BackendName;
  /** "NVIDIA ampere", "ANGLE (…)", "wasm (SIMD, 4 threads)", "cpu". */
  device: string;
}

export interface CalibrationResult {
  best: BackendName;
  info: BackendInfo;
  /** Milliseconds for the timed training steps; null where the backend failed. */
  timings: Partial<Record<BackendName, number | null>>;
  /** Milliseconds each backend took in all: loading, starting, the warm-up and the timed step. */
  wallMs?: Partial<Record<BackendName, number>>;
  errors: Partial<Record<BackendName, string>>;
  /** Whether this came from a cache instead of a measurement. */
  cached?: boolean;
}

/** Events not tied to a run. */
export type KernelNotice =
  | { type: "backend"; info: BackendInfo; calibration?: CalibrationResult }
  | { type: "restarted"; reason: "interrupt" | "restart" | "crash"; lostVariables: string[] }
  | { type: "status"; status: KernelStatus };

export type KernelStatus = "starting" | "idle" | "busy" | "restarting" | "dead";
export type KernelEvent = RunEvent | KernelNotice;

// --- messages derived from the handler object (marimo style) ---

export type HandlerName = keyof KernelHandlers;

export type WorkerRequest = {
  [K in HandlerName]: { kind: "request"; id: number; method: K; params: Parameters<KernelHandlers[K]> };
}[HandlerName];

export type HandlerResult<K extends HandlerName> = Awaited<ReturnType<KernelHandlers[K]>>;

export type WorkerMessage =
  | { kind: "ready" }
  | { kind: "response"; id: number; ok: true; result: unknown }
  | { kind: "response"; id: number; ok: false; error: { name: string; message: string } }
  | { kind: "event"; event: KernelEvent };
