// The web server's side of the grading sandbox: a queue and a pool of child processes
// (worker.mjs), each running QuickJS under OS limits. Student code never runs in this process;
// here there is only a queue, pipes, timers and JSON.parse of bounded lines, so grading never
// blocks the server's event loop. A child that hits any limit is killed and replaced.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { delimiter, join } from "node:path";
import type { Readable } from "node:stream";
import { buildMlNamespaces } from "./ml-bundle";
import {
  DEFAULT_SANDBOX_LIMITS,
  SANDBOX_NAME,
  type ChildJobMessage,
  type ChildReply,
  type SandboxJob,
  type SandboxLimit,
  type SandboxLimits,
  type SandboxResult,
} from "./protocol";

export interface SandboxPoolOptions {
  /** Child processes; default: the machine's cores. */
  size?: number;
  limits?: Partial<SandboxLimits>;
  /** Jobs waiting past this are answered "busy" at once (default 10,000: a burst is queued, not dropped). */
  maxQueue?: number;
  /** The project's root (default: process.cwd()), where lib/grading/sandbox/worker.mjs and lib/ml live. */
  root?: string;
  /** A child is replaced after this much CPU time (its RLIMIT_CPU is twice this), default 30 s. */
  recycleAfterCpuMs?: number;
  /** Pure `ml` namespaces for the sandbox; default: bundled from lib/ml on first use. */
  mlNamespaces?: Record<string, string>;
}

export interface SandboxPoolStats {
  children: number;
  busy: number;
  queued: number;
  /** Children started since the pool was created (replacements included). */
  started: number;
}

interface Pending {
  job: SandboxJob;
  resolve: (result: SandboxResult) => void;
}

interface Child {
  process: ChildProcess;
  ready: boolean;
  /**
   * Jobs written to the child, oldest first: the head is running, the next one waits in its
   * pipe so the child starts it without a round trip. Only the head is timed and answers for a
   * limit; the others are put back at the front of the queue if the child dies.
   */
  inFlight: (Pending & { id: number })[];
  /** The head's wall-clock watchdog. */
  wall: NodeJS.Timeout | null;
  /** Why the parent killed it, so the exit reports the right limit. */
  killedFor: SandboxLimit | null;
  buffer: string;
  stderr: string;
}

const RSS_POLL_MS = 100;
/** Jobs written ahead to a child (1 = none ahead). */
const PIPELINE_DEPTH = 2;

/** `prlimit` (util-linux) when installed: RLIMIT_CPU for each child as a backstop to the timers. */
function findPrlimit(): string | null {
  for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(delimiter)) {
    const candidate = join(dir, "prlimit");
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

const limitMessages = (limits: SandboxLimits): Record<SandboxLimit, string> => ({
  time: `Time limit: the code ran for more than ${limits.wallMs / 1000} s`,
  memory: `Memory limit: the code needed more than ${Math.round(limits.memoryBytes / 2 ** 20)} MB`,
  stack: "Stack limit: the recursion or nesting went too deep",
  output: `Output limit: console output and results exceeded ${Math.round(limits.outputBytes / 1024)} KB`,
  crash: "The sandbox stopped unexpectedly; the submission was not graded",
});

function refuse(job: SandboxJob): string | null {
  const names = job.kind === "function" ? [job.functionName] : job.kind === "values" ? job.names : null;
  if (!names) return "Unknown job kind";
  for (const name of names) if (typeof name !== "string" || !SANDBOX_NAME.test(name)) return `"${String(name)}" is not a JavaScript name`;
  if (typeof job.source !== "string") return "The source must be text";
  return null;
}

export class SandboxPool {
  readonly limits: SandboxLimits;
  private readonly size: number;
  private readonly maxQueue: number;
  private readonly root: string;
  private readonly recycleAfterCpuMs: number;
  private readonly prlimit = findPrlimit();
  private readonly children = new Set<Child>();
  private readonly queue: Pending[] = [];
  private namespaces: Promise<Record<string, string>>;
  private nextId = 1;
  private started = 0;
  private closed = false;
  private rssTimer: NodeJS.Timeout | null = null;
  /** Children that died before becoming ready, in a row: a broken install must not spin. */
  private startFailures = 0;

  constructor(options: SandboxPoolOptions = {}) {
    this.limits = { ...DEFAULT_SANDBOX_LIMITS, ...options.limits };
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.maxQueue = options.maxQueue ?? 10_000;
    this.root = options.root ?? process.cwd();
    this.recycleAfterCpuMs = options.recycleAfterCpuMs ?? 30_000;
    this.namespaces = options.mlNamespaces ? Promise.resolve(options.mlNamespaces) : buildMlNamespaces(this.root);
    // Children start at once so the first submission does not pay for start-up.
    for (let i = 0; i < this.size; i++) this.spawnChild();
  }

  /** Runs a job; always resolves (limits and crashes are results, not rejections). */
  run(job: SandboxJob): Promise<SandboxResult> {
    const refused = refuse(job);
    if (refused) return Promise.resolve({ status: "error", message: refused, outputs: [], logs: "", cpuMs: 0 });
    if (this.startFailures >= 3) {
      return Promise.resolve({ status: "error", message: "The grading sandbox could not start", outputs: [], logs: "", cpuMs: 0 });
    }
    if (this.closed || this.queue.length >= this.maxQueue) {
      return Promise.resolve({ status: "busy", message: "The grader is busy; try again in a moment", outputs: [], logs: "", cpuMs: 0 });
    }
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.dispatch();
    });
  }

  stats(): SandboxPoolStats {
    let busy = 0;
    for (const c of this.children) if (c.inFlight.length) busy++;
    return { children: this.children.size, busy, queued: this.queue.length, started: this.started };
  }

  /** Process ids of the children, or of those running a job (tests kill one to check the pool recovers). */
  pids(which: "all" | "busy" = "all"): number[] {
    return [...this.children]
      .filter((c) => which === "all" || c.inFlight.length > 0)
      .map((c) => c.process.pid)
      .filter((p): p is number => typeof p === "number");
  }

  /** Resolves once every child has loaded QuickJS (benchmarks wait for it before timing). */
  async warm(): Promise<void> {
    await Promise.all(Array.from({ length: this.size }, () => this.run({ kind: "values", source: "const ok = 1;", names: ["ok"] })));
  }

  /** Stops the children; jobs still queued are answered "busy". */
  async close(): Promise<void> {
    this.closed = true;
    if (this.rssTimer) clearInterval(this.rssTimer);
    for (const p of this.queue.splice(0)) p.resolve({ status: "busy", message: "The grader is shutting down", outputs: [], logs: "", cpuMs: 0 });
    const exits = [...this.children].map((c) => new Promise<void>((resolve) => (c.process.exitCode !== null || c.process.signalCode !== null ? resolve() : c.process.once("exit", () => resolve()))));
    for (const c of this.children) c.process.kill("SIGKILL");
    await Promise.all(exits);
  }

  private spawnChild(): void {
    if (this.closed) return;
    const worker = join(this.root, "lib", "grading", "sandbox", "worker.mjs");
    // V8's own heap stays small (QuickJS lives in a fixed WebAssembly memory outside it); a larger
    // V8 stack lets QuickJS's stack check (setMaxStackSize) fire before V8's does.
    const nodeArgs = ["--max-old-space-size=64", "--stack-size=3900", worker];
    const cpuSeconds = Math.ceil((2 * this.recycleAfterCpuMs) / 1000);
    const [command, args]: [string, string[]] = this.prlimit
      ? [this.prlimit, [`--cpu=${cpuSeconds}:${cpuSeconds + 5}`, "--core=0", "--", process.execPath, ...nodeArgs]]
      : [process.execPath, nodeArgs];
    // No environment beyond NODE_ENV: nothing secret (database URL, auth secret) is in reach even after an escape.
    const proc: ChildProcess = spawn(command, args, { cwd: this.root, env: { NODE_ENV: "production" }, stdio: ["pipe", "ignore", "pipe", "pipe"] });
    const child: Child = { process: proc, ready: false, inFlight: [], wall: null, killedFor: null, buffer: "", stderr: "" };
    this.children.add(child);
    this.started++;
    const maxLine = 2 * this.limits.outputBytes + 64 * 1024;
    const results = proc.stdio[3] as Readable;
    // Decoded as a stream, so a character split across chunks stays whole.
    results.setEncoding("utf8");
    results.on("data", (chunk: string | Buffer) => {
      child.buffer += typeof chunk === "string" ? chunk : chunk.toString("utf8");
      let nl: number;
      while ((nl = child.buffer.indexOf("\n")) >= 0) {
        const line = child.buffer.slice(0, nl);
        child.buffer = child.buffer.slice(nl + 1);
        this.onLine(child, line);
      }
      // A child that talks past its output cap is not the worker we wrote.
      if (child.buffer.length > maxLine) this.kill(child, "output");
    });
    proc.stderr!.on("data", (chunk: Buffer) => {
      child.stderr = (child.stderr + chunk.toString("utf8")).slice(-4096);
    });
    proc.stdin!.on("error", () => {}); // EPIPE after a child died: its exit handler answers the job
    proc.on("error", () => this.kill(child, "crash"));
    proc.on("exit", () => this.onExit(child));
    void this.namespaces.then((mlNamespaces) => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.stdin!.write(JSON.stringify({ type: "init", limits: this.limits, mlNamespaces }) + "\n");
      }
    });
  }

  private onLine(child: Child, line: string): void {
    let reply: ChildReply;
    try {
      reply = JSON.parse(line) as ChildReply;
    } catch {
      this.kill(child, "crash");
      return;
    }
    if (reply.type === "ready") {
      child.ready = true;
      this.startFailures = 0;
      this.dispatch();
      return;
    }
    const done = child.inFlight[0];
    if (reply.type !== "result" || !done || reply.id !== done.id) return;
    child.inFlight.shift();
    this.disarm(child);
    done.resolve(reply.result);
    if (reply.recycle || reply.totalCpuMs > this.recycleAfterCpuMs) {
      // What waits in its pipe goes back to the queue first (a job is pure computation: one the
      // child may have begun is safe to run again elsewhere).
      this.queue.unshift(...child.inFlight.splice(0).map(({ job, resolve }) => ({ job, resolve })));
      this.kill(child, null);
      this.dispatch();
      return;
    }
    // The next job in the pipe is running now: its watchdog starts.
    if (child.inFlight.length) this.arm(child);
    this.dispatch();
  }

  private onExit(child: Child): void {
    this.children.delete(child);
    this.disarm(child);
    const [current, ...waiting] = child.inFlight.splice(0);
    if (current) {
      const limit = child.killedFor ?? "crash";
      current.resolve({ status: "limit", limit, message: limitMessages(this.limits)[limit], outputs: [], logs: "", cpuMs: 0 });
    }
    // Jobs that never started in it go first to the next child: they did nothing wrong.
    this.queue.unshift(...waiting.map(({ job, resolve }) => ({ job, resolve })));
    if (this.closed) return;
    if (!child.ready && child.killedFor === null && !current) {
      // It never started: answer what waits rather than letting it wait on a loop of failures.
      this.startFailures++;
      if (this.startFailures >= 3) {
        const why = child.stderr.trim().split("\n").slice(-3).join(" ").slice(0, 500);
        for (const p of this.queue.splice(0)) {
          p.resolve({ status: "error", message: `The grading sandbox could not start${why ? `: ${why}` : ""}`, outputs: [], logs: "", cpuMs: 0 });
        }
      }
      const delay = Math.min(30_000, 1000 * 2 ** Math.max(0, this.startFailures - 3));
      setTimeout(() => {
        this.spawnChild();
        this.dispatch();
      }, this.startFailures >= 3 ? delay : 0).unref();
      return;
    }
    this.spawnChild();
    this.dispatch();
  }

  private send(child: Child): void {
    const next = this.queue.shift()!;
    const id = this.nextId++;
    child.inFlight.push({ ...next, id });
    if (child.inFlight.length === 1) this.arm(child);
    const message: ChildJobMessage = { type: "job", id, job: next.job };
    child.process.stdin!.write(JSON.stringify(message) + "\n");
  }

  private arm(child: Child): void {
    this.disarm(child);
    child.wall = setTimeout(() => this.kill(child, "time"), this.limits.wallMs);
  }

  private disarm(child: Child): void {
    if (child.wall) clearTimeout(child.wall);
    child.wall = null;
  }

  /** SIGKILL, at once: a child past a limit gets no chance to finish anything. */
  private kill(child: Child, reason: SandboxLimit | null): void {
    if (child.killedFor === null) child.killedFor = reason;
    child.ready = false;
    child.process.kill("SIGKILL");
  }

  private dispatch(): void {
    // First one job per idle child; only what is left waits in a busy child's pipe (a backlog,
    // where waiting is inevitable anyway), so a job beside a slow one is not parked behind it
    // while another child is free.
    for (const child of this.children) {
      if (!this.queue.length) break;
      if (child.ready && !child.inFlight.length) this.send(child);
    }
    // Not while a child is starting: it takes the next job soon, and a job piped behind an attack
    // would wait for the attack's limit (its grade would still be right, only late).
    if (!this.queue.length || [...this.children].some((c) => !c.ready)) return this.watchMemory();
    for (const child of this.children) {
      while (child.inFlight.length < PIPELINE_DEPTH && this.queue.length) this.send(child);
    }
    this.watchMemory();
  }

  // QuickJS's memory is bounded by its fixed WebAssembly memory and V8's by --max-old-space-size;
  // this catches anything else (Linux only). RLIMIT_AS cannot: V8 reserves ~10 GB of address
  // space for any WebAssembly memory, so a useful address-space limit stops the child at start.
  private watchMemory(): void {
    if (this.rssTimer || process.platform !== "linux") return;
    this.rssTimer = setInterval(() => {
      let busy = 0;
      for (const child of this.children) {
        if (!child.inFlight.length || !child.process.pid) continue;
        busy++;
        readFile(`/proc/${child.process.pid}/status`, "utf8").then(
          (status) => {
            const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
            if (kb * 1024 > this.limits.rssBytes && child.inFlight.length) this.kill(child, "memory");
          },
          () => {},
        );
      }
      if (!busy && this.rssTimer) {
        clearInterval(this.rssTimer);
        this.rssTimer = null;
      }
    }, RSS_POLL_MS);
    this.rssTimer.unref();
  }
}

export function createSandboxPool(options: SandboxPoolOptions = {}): SandboxPool {
  return new SandboxPool(options);
}
