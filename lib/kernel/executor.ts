// Runs cells one at a time against a KernelScope and reports what happens as RunEvents. No
// Worker and no DOM here, so it runs in Node tests as it runs in the kernel worker.

import type { MimeBundle } from "@/lib/notebook/types";
import { inspect } from "./format";
import type { DoneEvent, RunEvent, RunKind, RunStatus } from "./protocol";
import type { KernelScope } from "./scope";
import { AWAIT_PARAM, CellSyntaxError, CHECKED_PARAM, SCOPE_PARAM, TranspileCache } from "./transpile";

/** Thrown at the next await point (or training callback) after an interrupt. */
export class KernelInterrupt extends Error {
  constructor() {
    super("Interrupted");
    this.name = "KernelInterrupt";
  }
}

/** What `check(cond, msg)` throws. */
export class CheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckError";
  }
}

export interface RunContext {
  runId: string;
  cellId: string;
  interrupted: boolean;
  emit(event: RunEvent): void;
  stream(name: "stdout" | "stderr", text: string): void;
  display(data: MimeBundle, displayId?: string, update?: boolean): void;
  /** Throws KernelInterrupt when this run was interrupted. */
  checkInterrupt(): void;
  nextDisplayId(): string;
}

export interface ExecutorOptions {
  emit(event: RunEvent): void;
  /** A value → MIME bundle (lib/show's formatValue once loaded); falls back to text. */
  formatValue?(value: unknown): MimeBundle;
  /** SQL cells. */
  runSql?(source: string): Promise<unknown>;
  now?(): number;
}

export interface RunCellRequest {
  runId: string;
  cellId: string;
  source: string;
  kind: RunKind;
  check?: string;
}

type AsyncFn = (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (...args: string[]) => AsyncFn;

let lineOffsetPromise: Promise<number> | null = null;
/** How many lines the engine puts before a Function body (2 in V8), measured once. */
function engineLineOffset(): Promise<number> {
  lineOffsetPromise ??= (async () => {
    try {
      await new AsyncFunction("throw new Error('probe')\n//# sourceURL=cuaderno-probe.js")();
    } catch (err) {
      const m = /cuaderno-probe\.js:(\d+)/.exec(String((err as Error).stack));
      if (m) return Number(m[1]) - 1;
    }
    return 2;
  })();
  return lineOffsetPromise;
}

function sanitize(id: string): string {
  return id.replace(/[^\w-]/g, "_").slice(0, 60);
}

export class CellExecutor {
  readonly scope: KernelScope;
  private readonly options: ExecutorOptions;
  private queue: Promise<unknown> = Promise.resolve();
  private current: RunContext | null = null;
  private last: RunContext | null = null;
  private pending = new Set<RunContext>();
  private executionCount = 0;
  private sourceCounter = 0;
  /** sourceURL → the cell it came from, to point errors at cell lines. */
  private readonly sources = new Map<string, string>();
  /** Re-running a cell reuses its transpiled body and compiled function (keyed by cell and body). */
  private readonly transpiled = new TranspileCache();
  private readonly compiled = new Map<string, { fn: AsyncFn; url: string }>();
  private streamBuffer: { ctx: RunContext; name: "stdout" | "stderr"; text: string } | null = null;
  private lastFlush = 0;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(scope: KernelScope, options: ExecutorOptions) {
    this.scope = scope;
    this.options = options;
  }

  /** The run that console, show and the training callbacks write to (the last one when idle). */
  get activeContext(): RunContext | null {
    return this.current ?? this.last;
  }

  get busy(): boolean {
    return this.current !== null;
  }

  /** Queues a run; resolves with its done event. Runs never overlap. */
  run(request: RunCellRequest): Promise<DoneEvent> {
    const ctx = this.createContext(request.runId, request.cellId);
    this.pending.add(ctx);
    const result = this.queue.then(() => this.execute(request, ctx));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Cooperative interrupt: the running cell stops at its next await; queued runs are skipped. */
  interrupt(): boolean {
    let any = false;
    for (const ctx of this.pending) {
      ctx.interrupted = true;
      any = true;
    }
    return any;
  }

  private createContext(runId: string, cellId: string): RunContext {
    const self = this;
    let displays = 0;
    const ctx: RunContext = {
      runId,
      cellId,
      interrupted: false,
      emit: (event) => {
        self.flushStream();
        self.options.emit(event);
      },
      stream: (name, text) => self.stream(ctx, name, text),
      display: (data, displayId, update = false) =>
        ctx.emit({ type: "display", runId, cellId, data, ...(displayId ? { displayId } : {}), update }),
      checkInterrupt: () => {
        if (ctx.interrupted) throw new KernelInterrupt();
      },
      nextDisplayId: () => `${runId}-d${++displays}`,
    };
    return ctx;
  }

  // Consecutive chunks of one stream are merged, but never held back longer than ~50 ms, so a
  // cell's prints reach the page while it still runs.
  private stream(ctx: RunContext, name: "stdout" | "stderr", text: string): void {
    const buf = this.streamBuffer;
    if (buf && (buf.ctx !== ctx || buf.name !== name)) this.flushStream();
    if (this.streamBuffer) this.streamBuffer.text += text;
    else this.streamBuffer = { ctx, name, text };
    const now = Date.now();
    if (now - this.lastFlush > 50 || this.streamBuffer.text.length > 16_384) this.flushStream();
    else this.flushTimer ??= setTimeout(() => this.flushStream(), 0);
  }

  flushStream(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    const buf = this.streamBuffer;
    this.lastFlush = Date.now();
    if (!buf) return;
    this.streamBuffer = null;
    this.options.emit({ type: "stream", runId: buf.ctx.runId, cellId: buf.ctx.cellId, name: buf.name, text: buf.text });
  }

  private format(value: unknown): MimeBundle {
    try {
      if (this.options.formatValue) return this.options.formatValue(value);
    } catch {
      // fall through to text
    }
    return { "text/plain": inspect(value) };
  }

  private async execute(request: RunCellRequest, ctx: RunContext): Promise<DoneEvent> {
    const now = this.options.now ?? (() => performance.now());
    const started = now();
    const executionCount = ++this.executionCount;
    const { runId, cellId } = request;
    let status: RunStatus = "ok";
    let check: DoneEvent["check"];
    let declared: string[] = [];
    this.current = ctx;
    this.last = ctx;
    try {
      if (ctx.interrupted) throw new KernelInterrupt();
      if (request.kind === "sql") {
        ctx.emit({ type: "start", runId, cellId, executionCount, declares: [] });
        if (!this.options.runSql) throw new Error("SQL is not available in this kernel");
        const value = await this.options.runSql(request.source);
        ctx.checkInterrupt();
        ctx.emit({ type: "result", runId, cellId, data: this.format(value) });
      } else {
        const compiled = this.compile(request.source, cellId);
        const checkCompiled = request.kind === "exercise" && request.check ? this.compile(request.check, cellId) : null;
        declared = compiled.declared;
        ctx.emit({ type: "start", runId, cellId, executionCount, declares: declared });
        await this.scope.ensureLoaded([...compiled.uses, ...(checkCompiled?.uses ?? [])]);
        ctx.checkInterrupt();
        const value = await this.invoke(compiled.fn, ctx);
        ctx.checkInterrupt();
        if (compiled.hasResult && value !== undefined) {
          ctx.emit({ type: "result", runId, cellId, data: this.format(value) });
        }
        if (checkCompiled) {
          check = "failed";
          try {
            await this.invoke(checkCompiled.fn, ctx);
          } catch (err) {
            if (err instanceof KernelInterrupt) throw err;
            // The check code is hidden from the student: no line numbers into it.
            const e = err as Error;
            status = "error";
            ctx.emit({
              type: "error",
              runId,
              cellId,
              name: e instanceof CheckError ? "CheckError" : (e?.name ?? "Error"),
              message: e?.message ?? String(err),
            });
          }
          if (status === "ok") check = "passed";
        }
      }
    } catch (err) {
      status = err instanceof KernelInterrupt ? "interrupted" : "error";
      ctx.emit({ type: "error", runId, cellId, ...(await this.describeError(err, cellId)) });
    } finally {
      this.current = null;
      this.pending.delete(ctx);
    }
    const defined = this.scope.recordDefinitions(cellId, declared);
    const done: DoneEvent = {
      type: "done",
      runId,
      cellId,
      status,
      durationMs: Math.round((now() - started) * 10) / 10,
      executionCount,
      defined,
      ...(check ? { check } : {}),
    };
    ctx.emit(done);
    return done;
  }

  private compile(source: string, cellId: string) {
    const t = this.transpiled.transpile(source, {
      isScopeName: (name) => this.scope.has(name),
    });
    const key = `${cellId}\0${t.body}`;
    let c = this.compiled.get(key);
    if (!c) {
      const url = `cell-${sanitize(cellId)}-${++this.sourceCounter}.js`;
      c = { fn: new AsyncFunction(SCOPE_PARAM, CHECKED_PARAM, AWAIT_PARAM, `${t.body}\n//# sourceURL=${url}`), url };
      this.sources.set(url, cellId);
      this.compiled.set(key, c);
      // Old functions go; their sourceURLs stay known (a late error may still come from one).
      if (this.compiled.size > 200) this.compiled.delete(this.compiled.keys().next().value!);
    }
    return { fn: c.fn, declared: t.declared, uses: t.uses, hasResult: t.hasResult };
  }

  private invoke(fn: AsyncFn, ctx: RunContext): Promise<unknown> {
    const awaitHook = (value: unknown) => {
      if (ctx.interrupted && this.current === ctx) throw new KernelInterrupt();
      return value;
    };
    return fn(this.scope.values, this.scope.checked, awaitHook);
  }

  private async describeError(
    err: unknown,
    cellId: string,
  ): Promise<{ name: string; message: string; line?: number; column?: number; stack?: string }> {
    if (err instanceof CellSyntaxError) {
      return { name: "SyntaxError", message: err.message, line: err.line, column: err.column };
    }
    if (err instanceof KernelInterrupt) return { name: "KernelInterrupt", message: "Interrupted" };
    if (!(err instanceof Error)) {
      return { name: "Error", message: `Uncaught ${inspect(err)}` };
    }
    const offset = await engineLineOffset();
    const frames: string[] = [];
    let line: number | undefined;
    let column: number | undefined;
    let where: string | undefined;
    for (const m of String(err.stack ?? "").matchAll(/(?:at (?:async )?([^\s(]+) \()?(cell-[\w-]+?-\d+\.js):(\d+):(\d+)/g)) {
      const from = this.sources.get(m[2]);
      if (!from) continue;
      const l = Number(m[3]) - offset;
      const c = Number(m[4]);
      if (line === undefined) {
        line = l;
        column = c;
        where = from;
      }
      const fname = m[1] && m[1] !== "eval" && m[1] !== "anonymous" ? `${m[1]} ` : "";
      frames.push(`    at ${fname}(cell ${from}, line ${l})`);
    }
    const name = err.name || "Error";
    let message = err.message;
    if (line !== undefined) message += where === cellId ? ` (line ${line})` : ` (cell ${where}, line ${line})`;
    return {
      name,
      message,
      ...(line !== undefined && where === cellId ? { line, column } : {}),
      ...(frames.length ? { stack: `${name}: ${err.message}\n${frames.join("\n")}` } : {}),
    };
  }
}
