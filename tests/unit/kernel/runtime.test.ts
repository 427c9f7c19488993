import { describe, expect, it } from "vitest";
// `track` keeps its outbox in IndexedDB.
import "fake-indexeddb/auto";
import { KernelRuntime, type TfLike } from "@/lib/kernel/runtime";
import type { KernelEvent, RunEvent, RunKind } from "@/lib/kernel/protocol";

function makeKernel(opts: { fetch?: typeof fetch } = {}) {
  const events: KernelEvent[] = [];
  const rt = new KernelRuntime({
    emit: (e) => events.push(e),
    loadTf: async () => {
      const tf = await import("@tensorflow/tfjs");
      await tf.setBackend("cpu");
      await tf.ready();
      return tf as unknown as TfLike;
    },
    loadShow: () => import("@/lib/show"),
    fetch: opts.fetch,
  });
  let n = 0;
  const run = async (source: string, kind: RunKind = "code", check?: string) => {
    const runId = `r${++n}`;
    const done = await rt.run({ runId, cellId: `cell-${n}`, source, kind, check });
    const mine = events.filter((e): e is RunEvent => "runId" in e && e.runId === runId);
    return { done, events: mine, outputs: mine.filter((e) => e.type !== "start" && e.type !== "done") };
  };
  return { rt, events, run };
}

const text = (e: RunEvent) => (e.type === "result" || e.type === "display" ? String(e.data["text/plain"]) : "");

describe("KernelRuntime (the worker's core, run in Node)", () => {
  it("shows a cell's last value and times the run", async () => {
    const k = makeKernel();
    const r = await k.run("1 + 1");
    expect(r.done.status).toBe("ok");
    expect(r.outputs).toHaveLength(1);
    expect(r.outputs[0]).toMatchObject({ type: "result" });
    expect(text(r.outputs[0])).toBe("2");
    expect(r.done.durationMs).toBeGreaterThanOrEqual(0);
    expect(r.done.executionCount).toBe(1);
  });

  it("a later cell uses an earlier variable", async () => {
    const k = makeKernel();
    const a = await k.run("const xs = [1, 2, 3];");
    expect(a.done.defined).toEqual(["xs"]);
    const b = await k.run("xs.reduce((s, v) => s + v, 0)");
    expect(text(b.outputs[0])).toBe("6");
    expect(k.rt.scope.listVariables()).toEqual([{ name: "xs", type: "Array(3)", cellId: "cell-1" }]);
  });

  it("streams console output in order, stdout and stderr apart", async () => {
    const k = makeKernel();
    const r = await k.run(
      "console.log('one', {a: 1, b: [1, 2]});\nconsole.warn('careful');\nawait new Promise((res) => setTimeout(res, 5));\nconsole.log('two');\n'end'",
    );
    const seq = r.outputs.map((e) => (e.type === "stream" ? `${e.name}:${e.text}` : `${e.type}:${text(e)}`));
    expect(seq).toEqual(["stdout:one { a: 1, b: [1, 2] }\n", "stderr:careful\n", "stdout:two\n", "result:end"]);
  });

  it("a bad cell shows its error with the line, and the next cell still runs", async () => {
    const k = makeKernel();
    await k.run("const f = 5;");
    const bad = await k.run("const a = 1;\nconst b = 2;\nf();");
    expect(bad.done.status).toBe("error");
    const err = bad.outputs.find((e) => e.type === "error");
    expect(err).toMatchObject({ type: "error", name: "TypeError", line: 3 });
    expect(err && err.type === "error" && err.message).toMatch(/is not a function \(line 3\)$/);
    const next = await k.run("a + b");
    expect(next.done.status).toBe("ok");
    expect(text(next.outputs[0])).toBe("3");
  });

  it("re-running a cell sees names defined since, and its errors keep their line", async () => {
    const k = makeKernel();
    const again = async (cellId: string, source: string, runId: string) => {
      const done = await k.rt.run({ runId, cellId, source, kind: "code" });
      return { done, outputs: k.events.filter((e): e is RunEvent => "runId" in e && e.runId === runId && e.type !== "start" && e.type !== "done") };
    };
    const before = await again("c", "later + 1", "x1");
    expect(before.outputs[0]).toMatchObject({ type: "error", name: "ReferenceError" });
    await again("d", "const later = 41;", "x2");
    const after = await again("c", "later + 1", "x3");
    expect(text(after.outputs[0])).toBe("42");
    await again("d", "const later = 1;", "x4");
    expect(text((await again("c", "later + 1", "x5")).outputs[0])).toBe("2");
    const bad = "const a = 1;\nnull.x";
    for (const runId of ["x6", "x7"]) {
      const r = await again("e", bad, runId);
      expect(r.outputs.find((e) => e.type === "error")).toMatchObject({ name: "TypeError", line: 2 });
    }
  });

  it("reports syntax errors with the cell line and runs nothing", async () => {
    const k = makeKernel();
    const r = await k.run("console.log('never');\nlet = ;");
    expect(r.outputs).toHaveLength(1);
    expect(r.outputs[0]).toMatchObject({ type: "error", name: "SyntaxError", line: 2 });
  });

  it("points at the defining cell when an earlier cell's function throws", async () => {
    const k = makeKernel();
    await k.run("function boom() {\n  return null.x;\n}");
    const r = await k.run("\nboom()");
    const err = r.outputs.find((e) => e.type === "error");
    expect(err && err.type === "error" && err.message).toMatch(/\(cell cell-1, line 2\)$/);
    expect(err && err.type === "error" && err.line).toBeUndefined();
  });

  it("check() passes and fails exercise cells", async () => {
    const k = makeKernel();
    const ok = await k.run("const threshold = 0.3;", "exercise", "check(threshold < 0.5, 'too high')");
    expect(ok.done).toMatchObject({ status: "ok", check: "passed" });
    const bad = await k.run("const threshold = 0.5;", "exercise", "check(threshold < 0.5, 'too high')");
    expect(bad.done).toMatchObject({ status: "error", check: "failed" });
    expect(bad.outputs.find((e) => e.type === "error")).toMatchObject({ name: "CheckError", message: "too high" });
  });

  it("show.* posts displays; track is the tracking API", async () => {
    const k = makeKernel();
    const r = await k.run("show.markdown('# hi');\nshow.line({ x: [1, 2], series: { a: [3, 4] } });");
    const displays = r.outputs.filter((e) => e.type === "display");
    expect(displays).toHaveLength(2);
    expect(displays[0].type === "display" && displays[0].data["text/markdown"]).toBe("# hi");
    expect(displays[1].type === "display" && displays[1].data["application/vnd.vegalite.v5+json"]).toBeTruthy();
    // Exercised end to end in tests/integration/track-client.integration.test.ts.
    const t = await k.run("[typeof track.run, typeof track.start, typeof track.flush].join()");
    expect(text(t.outputs[0])).toBe("function,function,function");
  });

  it("interrupt stops a cell at its next await and skips queued runs", async () => {
    const k = makeKernel();
    const p1 = k.run("let i = 0;\nwhile (true) { i++; await new Promise((r) => setTimeout(r, 1)); }");
    const p2 = k.run("console.log('queued')");
    await new Promise((r) => setTimeout(r, 50));
    expect(k.rt.executor.interrupt()).toBe(true);
    const [r1, r2] = await Promise.all([p1, p2]);
    expect(r1.done.status).toBe("interrupted");
    expect(r1.outputs.at(-1)).toMatchObject({ type: "error", name: "KernelInterrupt" });
    expect(r2.done.status).toBe("interrupted");
    expect(r2.outputs.some((e) => e.type === "stream")).toBe(false);
    const after = await k.run("i > 0");
    expect(text(after.outputs[0])).toBe("true");
  });

  it("data.load parses a served CSV into a TableDataset", async () => {
    const urls: string[] = [];
    const fakeFetch = (async (url: string) => {
      urls.push(String(url));
      return new Response("a,b,label\n1,x,true\n2,\"y,z\",false\n,w,true\n");
    }) as unknown as typeof fetch;
    const k = makeKernel({ fetch: fakeFetch });
    const r = await k.run("const d = await data.load('toy');\n[d.kind, d.columns, d.rows.length, d.column('b'), d.matrix(['a', 'label']).map((r) => r.map(String))]");
    expect(urls).toEqual(["/datasets/toy.csv"]);
    expect(JSON.parse(text(r.outputs[0]))).toEqual(["table", ["a", "b", "label"], 3, ["x", "y,z", "w"], [["1", "1"], ["2", "0"], ["NaN", "1"]]]);
  });

  it("tf (cpu) trains a tiny model and the loss falls; show.history updates one display", async () => {
    const k = makeKernel();
    const r = await k.run(`
const x = tf.randomNormal([256, 4], 0, 1, "float32", 1);
const w = tf.tensor2d([[1], [-2], [0.5], [3]]);
const y = x.matMul(w).add(0.3);
const model = tf.sequential();
model.add(tf.layers.dense({ units: 1, inputShape: [4] }));
model.compile({ optimizer: tf.train.adam(0.1), loss: "meanSquaredError" });
const h = await model.fit(x, y, { epochs: 15, batchSize: 64, verbose: 0, callbacks: [show.history({ title: "loss" })] });
h.history.loss`);
    expect(r.done.status).toBe("ok");
    const losses = JSON.parse(text(r.outputs.find((e) => e.type === "result")!)) as number[];
    expect(losses).toHaveLength(15);
    expect(losses[14]).toBeLessThan(losses[0] * 0.5);
    const displays = r.outputs.filter((e) => e.type === "display");
    expect(displays).toHaveLength(15);
    const ids = new Set(displays.map((d) => d.type === "display" && d.displayId));
    expect(ids.size).toBe(1);
    expect(displays.slice(1).every((d) => d.type === "display" && d.update)).toBe(true);
  }, 60_000);

  it("interrupt stops model.fit between batches", async () => {
    const k = makeKernel();
    const p = k.run(`
const model = tf.sequential();
model.add(tf.layers.dense({ units: 8, inputShape: [4] }));
model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
await model.fit(tf.ones([64, 4]), tf.ones([64, 8]), { epochs: 100000, batchSize: 8, verbose: 0 });`);
    await new Promise((r) => setTimeout(r, 1500));
    k.rt.executor.interrupt();
    const r = await p;
    expect(r.done.status).toBe("interrupted");
  }, 60_000);
});
