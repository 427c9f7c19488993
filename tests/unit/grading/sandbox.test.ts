// The grading sandbox through its real pool: child processes running QuickJS. The escape suite
// runs every attack beside an innocent submission and checks the attack is contained with a
// clear message, the innocent grade is right, and the pool still answers afterwards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createSandboxPool, type SandboxPool } from "@/lib/grading/sandbox/pool";
import { gradeFunctionExercise, gradeValueExercise, referenceCases, type FunctionExercise, type GradeWithDetail } from "@/lib/grading/exercises";
import type { SandboxLimit } from "@/lib/grading/sandbox/protocol";

const root = fileURLToPath(new URL("../../..", import.meta.url));

const RECALL_CASES = [
  { name: "mixed", args: [[1, 0, 1, 1, 0], [1, 0, 0, 1, 1]] },
  { name: "all found", args: [[1, 1, 0], [1, 1, 1]] },
  { name: "none found", args: [[1, 1, 0], [0, 0, 0]] },
];
const RIGHT_RECALL = `function recall(yTrue, yPred) {
  let tp = 0, fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] === 1 && yPred[i] === 1) tp++;
    else if (yTrue[i] === 1) fn++;
  }
  return tp + fn === 0 ? 0 : tp / (tp + fn);
}`;
// Precision instead of recall: right by chance on "mixed" (there it equals recall) and "none found".
const WRONG_RECALL = `function recall(yTrue, yPred) {
  let tp = 0, fp = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] === 1 && yPred[i] === 1) tp++;
    else if (yPred[i] === 1) fp++;
  }
  return tp + fp === 0 ? 0 : tp / (tp + fp);
}`;
const EXERCISE: FunctionExercise = {
  functionName: "recall",
  cases: [
    { name: "mixed", args: RECALL_CASES[0]!.args, expected: 2 / 3 },
    { name: "all found", args: RECALL_CASES[1]!.args, expected: 1 },
    { name: "none found", args: RECALL_CASES[2]!.args, expected: 0 },
  ],
};

let pool: SandboxPool;

beforeAll(async () => {
  // Two children, so an attack and the innocent submission beside it run at the same time. The
  // wall-clock watchdog is loose here (the test machine is shared and loaded) so each attack ends
  // by the limit it aims at; a separate pool below checks the watchdog itself.
  pool = createSandboxPool({ size: 2, root, limits: { wallMs: 15_000 } });
  await pool.warm();
}, 120_000);

afterAll(async () => {
  await pool?.close();
});

const innocent = () => gradeFunctionExercise(pool, RIGHT_RECALL, EXERCISE);

function expectInnocentGraded(result: GradeWithDetail) {
  expect(result.grade.status, result.grade.message).toBe("graded");
  expect(result.grade.passed).toBe(3);
  expect(result.grade.score).toBe(1);
}

/** The attack, an innocent submission beside it, then one more innocent one: the pool still answers. */
async function besideInnocent<T>(attack: () => Promise<T>): Promise<T> {
  const [attacked, bystander] = await Promise.all([attack(), innocent()]);
  expectInnocentGraded(bystander);
  expectInnocentGraded(await innocent());
  return attacked;
}

const values = (source: string, names: string[]) =>
  gradeValueExercise(pool, source, { values: names.map((name) => ({ name, expected: null })) });
/** What a value exercise's named value was, as copied out (the escape probes report through it). */
async function probe(source: string, name: string): Promise<unknown> {
  const { detail } = await besideInnocent(() => values(source, [name]));
  expect(detail.status).toBe("ok");
  const out = detail.outputs[0]!;
  expect(out.error).toBeUndefined();
  return JSON.parse(out.json!);
}
async function expectLimit(source: string, limits: SandboxLimit[], message: RegExp) {
  const { grade, detail } = await besideInnocent(() => values(source, ["x"]));
  expect(grade.status).toBe("limit");
  expect(limits).toContain(grade.limit);
  expect(grade.message).toMatch(message);
  expect(grade.score).toBe(0);
  return detail;
}

describe("grading sandbox: function and value exercises", () => {
  it("grades a right function 3/3 and a wrong one by named cases, without hidden inputs or expectations", async () => {
    expectInnocentGraded(await innocent());
    const wrong = await gradeFunctionExercise(pool, WRONG_RECALL, EXERCISE);
    expect(wrong.grade.status).toBe("graded");
    expect(wrong.grade.cases).toEqual([
      { name: "mixed", passed: true, verdict: "passed" },
      { name: "all found", passed: false, verdict: "wrong" },
      { name: "none found", passed: true, verdict: "passed" },
    ]);
    expect(wrong.grade.passed).toBe(2);
    const shown = JSON.stringify(wrong.grade);
    expect(shown).not.toContain("[1,0,1,1,0]");
    expect(shown).not.toContain("[1,1,0]");
    expect(shown).not.toContain("expected");
  });

  it("reports a missing function, a syntax error and a throwing case clearly", async () => {
    const missing = await gradeFunctionExercise(pool, "function recal() {}", EXERCISE);
    expect(missing.grade.status).toBe("error");
    expect(missing.grade.message).toMatch(/No function named recall/);
    const syntax = await gradeFunctionExercise(pool, "function recall( {", EXERCISE);
    expect(syntax.grade.message).toMatch(/SyntaxError/);
    // QuickJS throws null when out of memory; a student's own `throw null` is not taken for that.
    const thrownNull = await gradeFunctionExercise(pool, "throw null;", EXERCISE);
    expect(thrownNull.grade.status).toBe("error");
    expect(thrownNull.grade.message).toMatch(/failed before grading: null/);
    const throwing = await gradeFunctionExercise(pool, "function recall(t) { if (t.length === 3) throw new Error('boom ' + t); return 2/3; }", EXERCISE);
    expect(throwing.grade.cases.map((c) => c.verdict)).toEqual(["passed", "threw", "threw"]);
    // The thrown message quotes a hidden argument: it stays in the detail, out of the grade.
    expect(JSON.stringify(throwing.grade)).not.toContain("boom");
    expect(throwing.detail.outputs[1]!.error).toMatch(/boom 1,1,0/);
  });

  it("grades named values within a tolerance and finds `const` and `function` declarations", async () => {
    const source = "const threshold = 0.3049; let preds = [1, 0, 1]; var metric = { f1: 0.5 }; const typed = new Float64Array([0.25, 0.5]);";
    const { grade } = await gradeValueExercise(pool, source, {
      values: [
        { name: "threshold", expected: 0.3, tolerance: { abs: 0.01 } },
        { name: "preds", expected: [1, 0, 1] },
        { name: "metric", expected: { f1: 0.5 } },
        { name: "typed", expected: [0.25, 0.5] },
        { name: "absent", expected: 1 },
      ],
    });
    expect(grade.cases.map((c) => c.verdict)).toEqual(["passed", "passed", "passed", "passed", "missing"]);
  });

  it("has the pure ml library inside, and a reference solution run through the same sandbox gives the expectations", async () => {
    const viaMl = "function recall(yTrue, yPred) { return ml.metrics.recall(yTrue, yPred); }";
    const cases = await referenceCases(pool, viaMl, "recall", RECALL_CASES);
    expect(cases.map((c) => c.expected)).toEqual([2 / 3, 1, 0]);
    const graded = await gradeFunctionExercise(pool, RIGHT_RECALL, { functionName: "recall", cases });
    expect(graded.grade.passed).toBe(3);
    const f1 = await gradeValueExercise(pool, "const f1 = ml.metrics.f1([1,0,1,1],[1,0,0,1]); const names = Object.keys(ml).sort();", {
      values: [{ name: "f1", expected: 0.8 }],
    });
    expect(f1.grade.passed).toBe(1);
  });

  it("answers every one of 500 submissions sent at once (queued, not dropped), the event loop free meanwhile", async () => {
    // The student code runs in the children: this process only queues and parses, so its event
    // loop keeps turning (a generous bound: the test machine is shared and loaded).
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) => gradeFunctionExercise(pool, i % 2 ? RIGHT_RECALL : WRONG_RECALL, EXERCISE)),
    );
    delay.disable();
    expect(delay.max / 1e6).toBeLessThan(1000);
    expect(results.map((r) => r.grade.status).every((s) => s === "graded")).toBe(true);
    expect(results.map((r) => r.grade.passed)).toEqual(Array.from({ length: 500 }, (_, i) => (i % 2 ? 3 : 2)));
  }, 240_000);
});

describe("grading sandbox: escape suite", () => {
  it("constructor.constructor('return process')() finds no process", async () => {
    const { grade, detail } = await besideInnocent(() =>
      gradeFunctionExercise(pool, "function recall() { return constructor.constructor('return process')().pid; }", EXERCISE),
    );
    expect(grade.cases.every((c) => c.verdict === "threw")).toBe(true);
    expect(detail.outputs[0]!.error).toMatch(/'process' is not defined/);
  });

  it("this.constructor.constructor('return this')() is the sandbox's own global, with no process or require", async () => {
    const got = await probe(
      "const g = this.constructor.constructor('return this')(); const x = [g === globalThis, typeof g.process, typeof g.require, typeof g.module];",
      "x",
    );
    expect(got).toEqual([true, "undefined", "undefined", "undefined"]);
  });

  it("prototype pollution stays inside its own submission (host and the next context are clean)", async () => {
    const got = await probe(
      "Object.prototype.polluted = 'yes'; Array.prototype.push = null; JSON.parse = () => 1; const x = ({}).polluted;",
      "x",
    );
    expect(got).toBe("yes");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Both children: whichever ran the attack, a fresh context each time.
    const after = await Promise.all([1, 2].map(() => probe("const x = [typeof ({}).polluted, typeof [].push, JSON.parse('2')];", "x")));
    for (const a of after) expect(a).toEqual(["undefined", "function", 2]);
  });

  it("__proto__ in returned JSON pollutes nothing on the host and does not pass the comparison", async () => {
    const { grade } = await besideInnocent(() =>
      gradeFunctionExercise(pool, `function recall() { return JSON.parse('{"__proto__": {"polluted": true}, "valueOf": 1}'); }`, EXERCISE),
    );
    expect(grade.passed).toBe(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("while(true){} ends at the CPU limit", async () => {
    await expectLimit("while (true) {}", ["time"], /Time limit/);
  });

  it("an endless loop with Date.now frozen still ends at the CPU limit (the clock it reads is the host's)", async () => {
    await expectLimit("Date.now = () => 0; performance = undefined; for (;;) {}", ["time"], /Time limit/);
  });

  it("memory bomb, quickjs-emscripten #271/#255 shape: many 1 MB strings, each under QuickJS's limit", async () => {
    await expectLimit('const c = []; while (true) c.push("x".repeat(1024 * 1024) + c.length);', ["memory"], /Memory limit/);
  });

  it("memory bomb, #271 shape: retained typed arrays outside QuickJS's accounting", async () => {
    await expectLimit("const k = []; for (let i = 0; i < 5000; i++) { const b = new Uint8Array(512 * 1024); b[0] = 1; k.push(b); }", ["memory"], /Memory limit/);
  });

  it("memory bomb, isolated-vm #107 shape: [...'.'.repeat(1e9)] and new Array(6e7).fill()", async () => {
    await expectLimit("[...'.'.repeat(1e9)];", ["memory"], /Memory limit/);
    await expectLimit("void new Array(1024 * 1024 * 60).fill();", ["memory"], /Memory limit/);
  });

  it("memory bomb: an array of small objects and strings growing without end", async () => {
    await expectLimit("const a = []; for (let i = 0; ; i++) a.push({ i, s: 'item ' + i, t: [i, i] });", ["memory", "time"], /Memory limit|Time limit/);
  });

  it("a 100 MB string", async () => {
    await expectLimit('const x = "x".repeat(1e8);', ["memory"], /Memory limit/);
  });

  it("deep recursion fails its case with a stack message, the other cases still run", async () => {
    const { grade, detail } = await besideInnocent(() =>
      gradeFunctionExercise(pool, "function recall(t, p) { return t.length === 5 ? recall(t, p) : 1; }", EXERCISE),
    );
    expect(grade.cases.map((c) => c.verdict)).toEqual(["limit", "passed", "wrong"]);
    expect(detail.outputs[0]!.error).toMatch(/stack overflow/);
  });

  it("nesting deeper than QuickJS checks (JSON of a 100,000-deep array) costs its own child only", async () => {
    const started = pool.stats().started;
    await expectLimit("let x = []; for (let i = 0; i < 100000; i++) x = [x];", ["stack", "crash"], /Stack limit|stopped/);
    // Replaced (the exit may be seen after the innocent jobs on the other child are done).
    for (let i = 0; i < 250 && pool.stats().started === started; i++) await new Promise((r) => setTimeout(r, 20));
    expect(pool.stats().started).toBeGreaterThan(started);
  });

  it("Date and Math.random tampering affects neither the host nor the next submission", async () => {
    const hostNow = Date.now();
    await probe("Date.now = () => 0; Date.prototype.getTime = () => 0; Math.random = () => 0.5; const x = Math.random();", "x");
    expect(Date.now()).toBeGreaterThanOrEqual(hostNow);
    expect(Math.random()).not.toBe(0.5);
    const after = await Promise.all([1, 2].map(() => probe("const x = [Date.now() > 1.7e12, Math.random() !== 0.5 || Math.random() !== 0.5];", "x")));
    for (const a of after) expect(a).toEqual([true, true]);
  });

  it("import() cannot load a module, nor can a static import (QuickJS reads it as a module), require does not exist", async () => {
    const dynamic = await probe("let x = 'pending'; import('fs').then(() => { x = 'loaded'; }, (e) => { x = String(e); });", "x");
    expect(dynamic).toMatch(/could not load module 'fs'/);
    const { grade: staticImport } = await besideInnocent(() => values("import fs from 'fs'; const x = 1;", ["x"]));
    expect(staticImport.status).toBe("error");
    expect(staticImport.message).toMatch(/could not load module 'fs'/);
    const { grade: required } = await besideInnocent(() => values("const x = require('fs');", ["x"]));
    expect(required.message).toMatch(/'require' is not defined/);
  });

  it("globalThis holds only the language's globals plus console and ml", async () => {
    const names = (await probe("const x = Object.getOwnPropertyNames(globalThis);", "x")) as string[];
    for (const forbidden of ["process", "require", "module", "fetch", "XMLHttpRequest", "WebSocket", "setTimeout", "setInterval", "setImmediate", "queueMicrotask", "std", "os", "Deno", "Bun", "WebAssembly", "Buffer", "__cuadernoWrite", "__cuadernoMl"]) {
      expect(names).not.toContain(forbidden);
    }
    const standard = /^(Object|Function|Array|Number|parseFloat|parseInt|Infinity|NaN|undefined|Boolean|String|Symbol|Date|Promise|RegExp|Error|AggregateError|EvalError|RangeError|ReferenceError|SyntaxError|TypeError|URIError|InternalError|globalThis|JSON|Math|Intl|ArrayBuffer|SharedArrayBuffer|Atomics|DataView|Map|BigInt|Set|WeakMap|WeakSet|WeakRef|FinalizationRegistry|Proxy|Reflect|Iterator|decodeURI|decodeURIComponent|encodeURI|encodeURIComponent|escape|unescape|eval|isFinite|isNaN|BigInt64Array|BigUint64Array|Float16Array|Float32Array|Float64Array|Int8Array|Int16Array|Int32Array|Uint8Array|Uint16Array|Uint32Array|Uint8ClampedArray|console|ml)$/;
    expect(names.filter((n) => !standard.test(n))).toEqual([]);
  });

  it("a Proxy that claims to be anything is copied as what JSON sees, and fails", async () => {
    const { grade } = await besideInnocent(() =>
      gradeFunctionExercise(pool, "function recall() { return new Proxy({}, { get: () => 0.75, has: () => true, getPrototypeOf: () => Number.prototype }); }", EXERCISE),
    );
    expect(grade.passed).toBe(0);
    expect(grade.cases.map((c) => c.verdict)).toEqual(["wrong", "wrong", "wrong"]);
  });

  it("valueOf that answers right only on its second call, toString and Symbol.toPrimitive tricks all fail", async () => {
    for (const trick of [
      "let n = 0; return { valueOf() { n++; return n === 2 ? 2 / 3 : -1; } };",
      "return { toString() { return String(2 / 3); }, [Symbol.toPrimitive]() { return 2 / 3; } };",
      "const o = Object.create(Number.prototype); o.valueOf = () => 2 / 3; return o;",
    ]) {
      const { grade } = await besideInnocent(() => gradeFunctionExercise(pool, `function recall() { ${trick} }`, EXERCISE));
      expect(grade.cases[0]!.verdict).toBe("wrong");
    }
  });

  it("a getter that answers right only when read twice is read once, inside the sandbox", async () => {
    const { grade } = await besideInnocent(() =>
      gradeValueExercise(pool, "let reads = 0; const metric = { get f1() { reads++; return reads >= 2 ? 0.8 : 0; } };", {
        values: [{ name: "metric", expected: { f1: 0.8 } }],
      }),
    );
    expect(grade.cases[0]!.verdict).toBe("wrong");
  });

  it("replacing JSON.stringify, Reflect.apply or Function.prototype.apply does not change what the harness copies", async () => {
    const { grade } = await besideInnocent(() =>
      gradeFunctionExercise(
        pool,
        "JSON.stringify = () => String(2 / 3); Reflect.apply = () => 2 / 3; Function.prototype.apply = () => 2 / 3; function recall() { return 0; }",
        EXERCISE,
      ),
    );
    expect(grade.cases.map((c) => c.verdict)).toEqual(["wrong", "wrong", "passed"]);
  });

  it("an output flood past 1 MB of console ends at the output limit; a 2 MB result is refused", async () => {
    await expectLimit('for (;;) console.log("x".repeat(1000));', ["output"], /Output limit/);
    const { grade } = await besideInnocent(() => gradeFunctionExercise(pool, 'function recall() { return "x".repeat(2e6); }', EXERCISE));
    expect(grade.cases.map((c) => c.verdict)).toEqual(["not-plain-data", "not-plain-data", "not-plain-data"]);
  });

  it("a child killed in the middle of a job: that job reports it, the pool replaces the child, queued jobs finish", async () => {
    const slow = values("const x = 1; for (let i = 0; i < 1e12; i++) {}", ["x"]);
    // Wait until the slow job runs, then queue more: some go to the other child, some wait in the
    // slow one's pipe and must be handed to another child when it dies.
    for (let i = 0; i < 500 && pool.stats().busy === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const [slowPid] = pool.pids("busy");
    expect(slowPid).toBeTypeOf("number");
    const queued = Array.from({ length: 10 }, () => innocent());
    // Killed from outside, as the OOM killer or an operator would.
    process.kill(slowPid!, "SIGKILL");
    const killed = await slow;
    expect(killed.grade.status).toBe("limit");
    expect(killed.grade.message).toMatch(/stopped unexpectedly/);
    for (const r of await Promise.all(queued)) expectInnocentGraded(r);
    expectInnocentGraded(await innocent());
    for (let i = 0; i < 250 && pool.stats().children < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(pool.stats().children).toBe(2);
  });
});

describe("grading sandbox: the pool's own limits", () => {
  it("answers past a full queue with 'busy' at once, and grades what it queued", async () => {
    const small = createSandboxPool({ size: 1, root, maxQueue: 2 });
    try {
      const jobs = Array.from({ length: 4 }, () => gradeFunctionExercise(small, RIGHT_RECALL, EXERCISE));
      const grades = (await Promise.all(jobs)).map((r) => r.grade.status);
      expect(grades).toEqual(["graded", "graded", "busy", "busy"]);
    } finally {
      await small.close();
    }
  }, 60_000);

  it("answers queued jobs with an error when its children cannot start, instead of retrying forever", async () => {
    const broken = createSandboxPool({ size: 1, root: fileURLToPath(new URL(".", import.meta.url)), mlNamespaces: {} });
    try {
      const { grade } = await gradeFunctionExercise(broken, RIGHT_RECALL, EXERCISE);
      expect(grade.status).toBe("error");
      expect(grade.message).toMatch(/could not start/);
    } finally {
      await broken.close();
    }
  }, 60_000);

  it("with the default limits, costly native calls that the CPU interrupt sees too rarely end at the wall-clock limit", async () => {
    // QuickJS checks its interrupt handler every ~10,000 operations; when each one scans a 1 MB
    // string that is minutes between checks. The parent's SIGKILL does not depend on it.
    const defaults = createSandboxPool({ size: 1, root });
    try {
      await defaults.warm();
      const t = performance.now();
      const { grade } = await gradeValueExercise(defaults, 'const s = "x".repeat(1 << 20); for (;;) s.indexOf("y");', {
        values: [{ name: "s", expected: 1 }],
      });
      expect(grade.limit).toBe("time");
      expect(grade.message).toMatch(/more than 2.5 s/);
      expect(performance.now() - t).toBeLessThan(10_000);
      expectInnocentGraded(await gradeFunctionExercise(defaults, RIGHT_RECALL, EXERCISE));
    } finally {
      await defaults.close();
    }
  }, 60_000);

  it("kills a child that runs past the wall-clock limit even when the CPU limit is far away", async () => {
    const watched = createSandboxPool({ size: 1, root, limits: { wallMs: 1000, cpuMs: 60_000 } });
    try {
      await watched.warm();
      const [looping, next] = await Promise.all([
        gradeValueExercise(watched, "while (true) {}", { values: [{ name: "x", expected: 1 }] }),
        gradeFunctionExercise(watched, RIGHT_RECALL, EXERCISE),
      ]);
      expect(looping.grade.limit).toBe("time");
      expect(looping.grade.message).toMatch(/more than 1 s/);
      expectInnocentGraded(next);
      expect(watched.stats().started).toBe(2);
    } finally {
      await watched.close();
    }
  }, 60_000);
});
