// Run state, kept apart from the document (marimo's cellRuntime): statuses, timings and check
// results live only in memory and are never saved.
export type CellStatus = "idle" | "queued" | "running" | "done" | "error" | "stale";

export interface CellRuntime {
  status: CellStatus;
  durationMs?: number;
  /** Exercise cells: the last check's verdict. */
  check?: "passed" | "failed";
  /** The source as it was when the cell last ran (an edit after that makes dependants stale). */
  ranSource?: string;
}

export type RuntimeMap = Record<string, CellRuntime>;
