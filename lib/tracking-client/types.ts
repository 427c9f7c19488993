// Shapes shared by the tracking client's parts (outbox, transport, sender, notebook API) and the
// kernel, which passes the page's context through.

/** What the page tells the kernel about where the notebook is open. */
export interface NotebookContext {
  /** Set on lesson pages: runs go into the lesson's experiment. */
  lessonSlug?: string | null;
  /** A class the student works in; the lesson's runs are filed under it. */
  classId?: string | null;
  locale?: string | null;
  signedIn: boolean;
  /** When known, pending runs of another account on this browser are never uploaded as this one. */
  userId?: string | null;
}

/** Where a run came from (Cuaderno's extension of runs/create). */
export interface RunProvenance {
  source?: string | null;
  backend?: string | null;
  device?: string | null;
  datasetName?: string | null;
  datasetHash?: string | null;
  seed?: number | null;
}

export type RunStatus = "RUNNING" | "FINISHED" | "FAILED" | "KILLED";

export interface KeyValue {
  key: string;
  value: string;
}

/** A metric point as MLflow's log-batch takes it; non-finite values as "NaN" / "Infinity". */
export interface MetricOut {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
}

/** A run as the outbox keeps it until the server has all of it. */
export interface LocalRun {
  localId: string;
  /** "guest", a user id, or "user" (signed in, id unknown). */
  owner: string;
  name: string;
  startTime: number;
  lessonSlug: string | null;
  classId: string | null;
  provenance: RunProvenance;
  /** Set once the server created it. */
  serverRunId: string | null;
  /** Creation requests sent so far: after one, a retry first looks the run up (no duplicates). */
  createAttempts: number;
  ended: boolean;
  /** The tracking client (one per kernel worker) that started it: while that client lives, the run is its own. */
  holder?: string;
}

interface OpBase {
  /** Outbox key (autoincrement): the order ops are sent in. */
  seq?: number;
  localId: string;
  createdAt: number;
}
export type Op =
  | (OpBase & { kind: "batch"; batchId: string; metrics: MetricOut[]; params: KeyValue[]; tags: KeyValue[] })
  | (OpBase & { kind: "artifact"; path: string; data: ArrayBuffer; contentType: string })
  | (OpBase & { kind: "update"; status: RunStatus; endTime: number });

/** An op the server refused for good (bad input); kept for inspection, never retried. */
export interface RejectedOp {
  id?: number;
  op: Op;
  error: string;
  at: number;
}
