// The kernel worker's handler object. protocol.ts derives the request messages from it, so a
// new capability is one new method here (marimo's worker pattern).

import type { Dataset, Row } from "@/lib/datasets/types";
import type { NotebookContext } from "@/lib/tracking-client/types";
import type { BackendController } from "./backends";
import { parseCsvDataset, toTableDataset } from "./data";
import type { BackendInfo, BackendName, CalibrationResult, DoneEvent, RunKind, RunOptions } from "./protocol";
import type { RunMailboxWriter } from "./mailbox";
import type { KernelRuntime } from "./runtime";
import type { VariableInfo } from "./scope";

/** What the page may hand the kernel as a dataset (structured-clone data). */
export type DatasetPayload =
  | { kind?: "table"; name: string; columns: string[]; rows: Row[] }
  | { kind?: "csv"; name: string; csv: string }
  | { kind: "images"; name: string; count: number; height: number; width: number; images: Float32Array; labels: Int32Array };

export interface KernelConfig {
  /** The page's cached calibration: used instead of measuring when tf first loads. */
  preferredBackend?: BackendName | null;
  /** Shared memory for finished runs' events (mailbox.ts); null when the page is not isolated. */
  mailbox?: SharedArrayBuffer | null;
}

let runCounter = 0;

export function createKernelHandlers(runtime: KernelRuntime, backends: BackendController, mailbox?: RunMailboxWriter) {
  return {
    ping(): "pong" {
      return "pong";
    },
    configure(config: KernelConfig): void {
      if (config.preferredBackend !== undefined) backends.setPreferred(config.preferredBackend);
      if (config.mailbox !== undefined) mailbox?.attach(config.mailbox);
    },
    /** Where the notebook is open (lesson, class, sign-in): `track` files runs with it. */
    setContext(context: NotebookContext): void {
      runtime.setContext(context);
    },
    run(cellId: string, source: string, kind: RunKind = "code", options: RunOptions = {}): Promise<DoneEvent> {
      return runtime.run({ runId: options.runId ?? `w${++runCounter}`, cellId, source, kind, check: options.check });
    },
    /** Cooperative: the running cell stops at its next await; queued runs are dropped. */
    interrupt(): { interrupted: boolean } {
      return { interrupted: runtime.executor.interrupt() };
    },
    listVariables(): VariableInfo[] {
      return runtime.scope.listVariables();
    },
    setBackend(name: BackendName): Promise<BackendInfo> {
      return backends.setBackend(name);
    },
    currentBackend(): Promise<BackendInfo | null> {
      return backends.current();
    },
    calibrate(): Promise<CalibrationResult> {
      return backends.calibrate();
    },
    registerDataset(payload: DatasetPayload): { name: string; kind: "table" | "images" } {
      let ds: Dataset;
      if (payload.kind === "images") ds = { ...payload, kind: "images" };
      else if ("csv" in payload) ds = parseCsvDataset(payload.name, payload.csv);
      else ds = toTableDataset(payload.name, payload.columns, payload.rows);
      runtime.data.register(ds);
      return { name: ds.name, kind: ds.kind };
    },
  };
}

export type KernelHandlers = ReturnType<typeof createKernelHandlers>;
