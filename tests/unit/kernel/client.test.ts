import { describe, expect, it } from "vitest";
import { KernelClient } from "@/lib/kernel/client";
import { createKernelHandlers } from "@/lib/kernel/handlers";
import { BackendController } from "@/lib/kernel/backends";
import { RunMailboxWriter } from "@/lib/kernel/mailbox";
import { KernelRuntime, type TfLike } from "@/lib/kernel/runtime";
import type { KernelEvent, RunOptions, WorkerMessage, WorkerRequest } from "@/lib/kernel/protocol";
import { transpileCell } from "@/lib/kernel/transpile";

/**
 * A stand-in for the Worker: the real handlers in-process, messages delivered asynchronously.
 * A cell containing `HANG` never yields (like `while (true) {}`): the fake stops answering.
 */
class FakeWorker {
  onmessage: ((ev: MessageEvent<WorkerMessage>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  terminated = false;
  private hung = false;
  private handlers: ReturnType<typeof createKernelHandlers>;
  /** With `holdEvents`, event messages wait here (as Chrome holds them after a click) until released. */
  held: WorkerMessage[] = [];
  static created = 0;

  constructor(private opts: { silent?: boolean; holdEvents?: boolean } = {}) {
    FakeWorker.created++;
    const mailbox = new RunMailboxWriter();
    const emit = (event: KernelEvent) => {
      this.send({ kind: "event", event });
      if ("runId" in event) mailbox.record(event);
    };
    const runtime = new KernelRuntime({
      emit,
      loadTf: async () => (await import("@tensorflow/tfjs")) as unknown as TfLike,
      loadShow: () => import("@/lib/show"),
    });
    this.handlers = createKernelHandlers(runtime, new BackendController(), mailbox);
    if (!opts.silent) setTimeout(() => this.send({ kind: "ready" }), 5);
  }
  private send(msg: WorkerMessage) {
    if (this.terminated || this.hung) return;
    if (this.opts.holdEvents && msg.kind === "event") return void this.held.push(msg);
    setTimeout(() => this.onmessage?.({ data: structuredClone(msg) } as MessageEvent<WorkerMessage>), 0);
  }
  postMessage(req: WorkerRequest) {
    if (this.terminated || this.hung) return;
    if (req.method === "run" && String(req.params[1]).includes("HANG")) {
      // What the real worker does before it runs the cell: announce it and its declarations.
      const [cellId, source, , options] = req.params;
      const declares = transpileCell(String(source).replace("HANG", "")).declared;
      const runId = (options as RunOptions).runId!;
      this.send({ kind: "event", event: { type: "start", runId, cellId, executionCount: 1, declares } });
      setTimeout(() => (this.hung = true), 1);
      return;
    }
    setTimeout(async () => {
      try {
        const fn = this.handlers[req.method] as (...a: unknown[]) => unknown;
        const result = await fn(...(req.params as unknown[]));
        this.send({ kind: "response", id: req.id, ok: true, result });
      } catch (e) {
        this.send({ kind: "response", id: req.id, ok: false, error: { name: "Error", message: String((e as Error).message) } });
      }
    }, 0);
  }
  release() {
    for (const msg of this.held.splice(0)) this.onmessage?.({ data: structuredClone(msg) } as MessageEvent<WorkerMessage>);
  }
  terminate() {
    this.terminated = true;
  }
}

const makeClient = (opts: ConstructorParameters<typeof KernelClient>[0] = {}) =>
  new KernelClient({ createWorker: () => new FakeWorker() as unknown as Worker, storage: null, ...opts });

describe("KernelClient", () => {
  it("handshakes, runs a cell and streams its events in order", async () => {
    const k = makeClient();
    await k.ready;
    const h = k.run("a", "console.log('hi');\n40 + 2");
    const types: string[] = [];
    for await (const e of h.events) types.push(e.type);
    expect(types).toEqual(["start", "stream", "result", "done"]);
    expect((await h.done).status).toBe("ok");
    expect(k.status).toBe("idle");
    k.dispose();
  });

  it("queues runs and keeps variables between them", async () => {
    const k = makeClient();
    const a = k.run("a", "const v = 2;");
    const b = k.run("b", "v * 21");
    const events: KernelEvent[] = [];
    for await (const e of b.events) events.push(e);
    expect((await a.done).defined).toEqual(["v"]);
    expect(events.find((e) => e.type === "result")).toMatchObject({ data: { "text/plain": "42" } });
    expect(await k.listVariables()).toEqual([{ name: "v", type: "number", cellId: "a" }]);
    k.dispose();
  });

  it("interrupt restarts a kernel that does not stop, reporting lost variables", async () => {
    const k = makeClient({ interruptGraceMs: 200 });
    await k.run("a", "const kept = 1;").done;
    const notices: KernelEvent[] = [];
    k.on((e) => notices.push(e));
    const hang = k.run("b", "let n = 0;\nHANG");
    await new Promise((r) => setTimeout(r, 30));
    const before = FakeWorker.created;
    const t0 = Date.now();
    const res = await k.interrupt();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(res.restarted).toBe(true);
    expect(res.lostVariables.sort()).toEqual(["kept", "n"]);
    const done = await hang.done;
    expect(done.status).toBe("interrupted");
    expect(FakeWorker.created).toBe(before + 1);
    expect(notices.some((e) => e.type === "restarted" && e.reason === "interrupt")).toBe(true);
    // the fresh kernel works and has no old variables
    const after = k.run("c", "typeof kept");
    const evs: KernelEvent[] = [];
    for await (const e of after.events) evs.push(e);
    expect(evs.find((e) => e.type === "result")).toMatchObject({ data: { "text/plain": "undefined" } });
    k.dispose();
  });

  it("a cooperative interrupt does not restart", async () => {
    const k = makeClient();
    const h = k.run("a", "while (true) { await new Promise((r) => setTimeout(r, 2)); }");
    await new Promise((r) => setTimeout(r, 50));
    const before = FakeWorker.created;
    expect(await k.interrupt()).toEqual({ restarted: false, lostVariables: [] });
    expect((await h.done).status).toBe("interrupted");
    expect(FakeWorker.created).toBe(before);
    k.dispose();
  });

  it("rejects when the worker never says ready, and times out requests", async () => {
    const silent = new KernelClient({
      createWorker: () => new FakeWorker({ silent: true }) as unknown as Worker,
      storage: null,
      readyTimeoutMs: 50,
    });
    await expect(silent.ready).rejects.toThrow(/did not start/);
    const k = makeClient({ requestTimeoutMs: 50 });
    k.run("a", "HANG");
    await expect(k.listVariables()).rejects.toThrow(/timed out/);
    k.dispose();
  });

  it("posts a run synchronously once ready; before that, after the handshake and configuration", async () => {
    const sent: string[] = [];
    const k = new KernelClient({
      createWorker: () => {
        const w = new FakeWorker();
        const post = w.postMessage.bind(w);
        w.postMessage = (req: WorkerRequest) => {
          sent.push(req.method);
          post(req);
        };
        return w as unknown as Worker;
      },
      storage: null,
    });
    const early = k.run("a", "1");
    expect(sent).toEqual([]);
    await k.ready;
    expect(sent).toEqual(["configure", "run"]);
    expect((await early.done).status).toBe("ok");
    const h = k.run("b", "1 + 1");
    expect(sent).toEqual(["configure", "run", "run"]);
    expect((await h.done).status).toBe("ok");
    // A restart starts a new worker: runs wait for its handshake and configuration again.
    sent.length = 0;
    const restarted = k.restart();
    const after = k.run("c", "2 + 2");
    expect(sent).toEqual([]);
    await restarted;
    expect(sent).toEqual(["configure", "run"]);
    expect((await after.done).status).toBe("ok");
    k.dispose();
  });

  it("restart() re-sends registered datasets", async () => {
    const k = makeClient();
    await k.registerDataset({ name: "toy", columns: ["a"], rows: [{ a: 1 }, { a: 2 }] });
    const r1 = k.run("a", "(await data.load('toy')).rows.length");
    await r1.done;
    const res = await k.restart();
    expect(res.restarted).toBe(true);
    const r2 = k.run("b", "(await data.load('toy')).column('a')");
    const evs: KernelEvent[] = [];
    for await (const e of r2.events) evs.push(e);
    expect(evs.find((e) => e.type === "result")).toMatchObject({ data: { "text/plain": expect.stringContaining("1") } });
    k.dispose();
  });
});

describe("KernelClient with a shared-memory mailbox (cross-origin isolated page)", () => {
  it("delivers a short run from the mailbox in an animation frame, and its late messages are not delivered twice", async () => {
    const g = globalThis as { crossOriginIsolated?: boolean; requestAnimationFrame?: unknown; cancelAnimationFrame?: unknown };
    const saved = { coi: g.crossOriginIsolated, raf: g.requestAnimationFrame, caf: g.cancelAnimationFrame };
    g.crossOriginIsolated = true;
    g.requestAnimationFrame = (cb: (t: number) => void) => setTimeout(() => cb(performance.now()), 16);
    g.cancelAnimationFrame = (id: ReturnType<typeof setTimeout>) => clearTimeout(id);
    try {
      let worker!: FakeWorker;
      const k = new KernelClient({ createWorker: () => (worker = new FakeWorker({ holdEvents: true })) as unknown as Worker, storage: null });
      await k.ready;
      const seen: string[] = [];
      k.on((e) => "runId" in e && seen.push(e.type));
      const h = k.run("a", "console.log('hi');\n40 + 2");
      const done = await h.done; // no message was let through: this came from the mailbox
      expect(worker.held.length).toBeGreaterThan(0);
      expect(done).toMatchObject({ type: "done", status: "ok", defined: [] });
      const events: string[] = [];
      for await (const e of h.events) events.push(e.type);
      expect(events).toEqual(["start", "stream", "result", "done"]);
      worker.release();
      expect(seen).toEqual(["start", "stream", "result", "done"]);
      expect(k.status).toBe("idle");

      // Two runs queued at once: the second, though mailed, waits for the first's messages (order kept).
      const order: string[] = [];
      const first = k.run("c", "for (let i = 0; i < 40; i++) console.log(i);\n1");
      const second = k.run("d", "2");
      void first.done.then(() => order.push("c"));
      void second.done.then(() => order.push("d"));
      await new Promise((r) => setTimeout(r, 150));
      expect(order).toEqual([]);
      worker.release();
      await second.done;
      expect(order).toEqual(["c", "d"]);

      // A run too long for the mailbox (more events than it keeps) still arrives, by message.
      const long = k.run("b", "for (let i = 0; i < 40; i++) console.log(i);\n'end'");
      await new Promise((r) => setTimeout(r, 150));
      worker.release();
      const longDone = await long.done;
      expect(longDone.status).toBe("ok");
      k.dispose();
    } finally {
      g.crossOriginIsolated = saved.coi;
      g.requestAnimationFrame = saved.raf;
      g.cancelAnimationFrame = saved.caf;
    }
  });
});
