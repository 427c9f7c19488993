// The grading sandbox's wire contract: what the web server (pool.ts) asks a child process
// (worker.mjs) to run, and what comes back. Only plain JSON crosses; every value a student's
// code produced crosses as JSON *text* made inside the sandbox, so nothing the host later
// compares can be a Proxy, a getter or an object with its own valueOf.

/** Hard limits of one job. Defaults: `DEFAULT_SANDBOX_LIMITS` (issue 12, point 3). */
export interface SandboxLimits {
  /** QuickJS's own allocation limit (`runtime.setMemoryLimit`). */
  memoryBytes: number;
  /**
   * Size of the WebAssembly memory QuickJS lives in. QuickJS's limit does not bound the total
   * (quickjs-emscripten issues 271 and 255: strings and typed arrays escape its accounting); a
   * fixed-maximum WebAssembly.Memory does, whatever the engine counts.
   */
  wasmMemoryBytes: number;
  /** QuickJS's stack limit (`runtime.setMaxStackSize`); the child runs with a larger V8 stack. */
  stackBytes: number;
  /** CPU time of one job, measured in the child (interrupt handler). */
  cpuMs: number;
  /** Wall-clock watchdog in the parent: past it the child is killed (SIGKILL) and replaced. */
  wallMs: number;
  /** console output plus results, in UTF-16 code units (≈ bytes for ASCII). */
  outputBytes: number;
  /** Resident memory of a child process past which the parent kills it (Linux /proc). */
  rssBytes: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  memoryBytes: 64 * 1024 * 1024,
  wasmMemoryBytes: 96 * 1024 * 1024,
  stackBytes: 1024 * 1024,
  cpuMs: 2000,
  wallMs: 2500,
  outputBytes: 1024 * 1024,
  rssBytes: 384 * 1024 * 1024,
};

/** A JavaScript identifier a job may name (the student's function, a value). */
export const SANDBOX_NAME = /^[A-Za-z_$][A-Za-z0-9_$]{0,99}$/;

/** One hidden case of a function exercise: a name the student may see, arguments they may not. */
export interface SandboxCase {
  name: string;
  /** Plain JSON arguments; parsed afresh inside the sandbox for every case. */
  args: unknown[];
}

/**
 * Run `source` (a script: the student's cell, plain JavaScript) in a fresh context, then call
 * its function `functionName` once per case. Each call's return value comes back as JSON text.
 */
export interface FunctionJob {
  kind: "function";
  source: string;
  functionName: string;
  cases: SandboxCase[];
}

/** Run `source`, then copy out the named top-level values (`const threshold = ...`) as JSON text. */
export interface ValuesJob {
  kind: "values";
  source: string;
  names: string[];
}

export type SandboxJob = FunctionJob | ValuesJob;

/** Which limit ended a job. "crash": the child process died for a reason the parent did not cause. */
export type SandboxLimit = "time" | "memory" | "stack" | "output" | "crash";

/**
 * What one call (a case) or one named value produced: `json` is the JSON text of the value
 * (`"undefined"` when there was none), `error` says why there is none. `error` may quote the
 * student's own exception, which may quote the hidden arguments: show it to the instructor, never
 * as-is to the student (lib/grading/exercises.ts keeps only its kind).
 */
export interface SandboxOutput {
  name: string;
  json?: string;
  error?: string;
  errorKind?: "threw" | "not-serializable" | "too-large" | "limit" | "missing";
}

export interface SandboxResult {
  /**
   * "ok": the source ran and every case or value was attempted (each may still carry an error);
   * "error": the source itself failed (syntax error, exception at top level, missing function);
   * "limit": a limit ended the job (`limit` says which); "busy": the queue was full, nothing ran.
   */
  status: "ok" | "error" | "limit" | "busy";
  limit?: SandboxLimit;
  /** A clear one-line message for the status (English; the UI maps status/limit to its own text). */
  message: string;
  outputs: SandboxOutput[];
  /** console.* output, capped; may contain hidden arguments the student's code printed. */
  logs: string;
  /** CPU milliseconds the job used in its child (0 when it never ran). */
  cpuMs: number;
}

// ---- parent ⇄ child lines (NDJSON: one JSON object per line) ----

export interface ChildInit {
  type: "init";
  limits: SandboxLimits;
  /** Pure `ml` namespaces, each a script that leaves the namespace in `__cuadernoMlNamespace`. */
  mlNamespaces: Record<string, string>;
}

export interface ChildJobMessage {
  type: "job";
  id: number;
  job: SandboxJob;
}

export type ChildReply =
  | { type: "ready" }
  | {
      type: "result";
      id: number;
      result: SandboxResult;
      /** The child cannot be trusted with another job (a limit hit, a broken runtime). */
      recycle: boolean;
      /** The child's cumulative CPU time, for recycling before its RLIMIT_CPU. */
      totalCpuMs: number;
    };
