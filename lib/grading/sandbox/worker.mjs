// A child process of the grading pool (pool.ts): runs untrusted student code in QuickJS compiled
// to WebAssembly, one job at a time, each in a fresh runtime and context. Plain JavaScript so
// production runs it with `node` alone (no TypeScript loader); it imports only quickjs-emscripten.
//
// Lines in (stdin, NDJSON): one `init`, then `job`s. Lines out (fd 3, NDJSON): `ready`, then one
// `result` per job. Types: protocol.ts. The parent adds the OS-level limits (RLIMIT_CPU, a V8
// heap cap, an RSS watchdog, a wall-clock SIGKILL); this file enforces QuickJS's own (memory,
// stack, CPU through the interrupt handler, output) and a fixed-size WebAssembly memory, the
// one bound on QuickJS's total that its allocation accounting cannot miss.
import { createInterface } from "node:readline";
import { Socket } from "node:net";
import { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC } from "quickjs-emscripten";

const NAME = /^[A-Za-z_$][A-Za-z0-9_$]{0,99}$/;
const WASM_PAGE = 65536;

const out = new Socket({ fd: 3, readable: false, writable: true });
const send = (message, then) => out.write(JSON.stringify(message) + "\n", then);

// Runs first in every context, before the student's code, so what it captures (JSON, Reflect,
// eval, String) is the untouched intrinsics; it hands the host functions it needs to a closure
// and deletes them from globalThis. It returns the harness object, which only the host holds.
const PRELUDE = String.raw`(function (MAX, ML_NAMES) {
  "use strict";
  const g = globalThis;
  const write = g.__cuadernoWrite, loadMl = g.__cuadernoMl;
  delete g.__cuadernoWrite;
  delete g.__cuadernoMl;
  const stringify = JSON.stringify, parse = JSON.parse, apply = Reflect.apply;
  const isView = ArrayBuffer.isView, arrayFrom = Array.from, toStr = String, indirectEval = eval;
  const defineProperty = Object.defineProperty, sliceStr = String.prototype.slice;
  const cut = (s, n) => (s.length > n ? apply(sliceStr, s, [0, n]) : s);

  // Never throws: a thrown value may be a Proxy or have hostile getters.
  function describe(e) {
    try {
      if (e !== null && typeof e === "object") {
        const name = e.name, message = e.message;
        if (typeof message === "string") return cut((typeof name === "string" ? name : "Error") + ": " + message, 500);
      }
      return cut("" + toStr(e), 500);
    } catch (_) {
      return "an exception that cannot be described";
    }
  }
  // Typed arrays travel as arrays (JSON would make them {"0":…} objects).
  function replacer(_key, value) {
    if (isView(value)) { try { return arrayFrom(value); } catch (_) { return value; } }
    return value;
  }
  // The value as JSON text, made here so that what the host compares is a snapshot of plain data.
  // V: JSON text; U: undefined; S: not serializable; L: too large.
  function copy(value) {
    let text;
    try { text = stringify(value, replacer); } catch (e) { return "S" + describe(e); }
    if (text === undefined) return "U";
    if (typeof text !== "string") return "Snot serializable";
    if (text.length > MAX) return "L";
    return "V" + text;
  }
  function format(x) {
    if (typeof x === "string") return x;
    try { const t = stringify(x, replacer); if (typeof t === "string") return t; } catch (_) {}
    try { return "" + toStr(x); } catch (_) { return "[unprintable]"; }
  }
  function log() {
    let line = "";
    for (let i = 0; i < arguments.length; i++) {
      line += (i ? " " : "") + format(arguments[i]);
      if (line.length > MAX) break;
    }
    write(cut(line, MAX + 1));
  }
  g.console = { log: log, info: log, warn: log, error: log, debug: log };

  // ml.<namespace> is evaluated on first use: the whole library costs ~100 ms per context in QuickJS.
  const ml = {};
  for (const name of ML_NAMES) {
    let ns;
    defineProperty(ml, name, {
      enumerable: true,
      get() {
        if (ns === undefined) ns = indirectEval("(function(){" + loadMl(name) + "\nreturn __cuadernoMlNamespace;})()");
        return ns;
      },
    });
  }
  g.ml = ml;

  return {
    describe: describe,
    copy: copy,
    call(fn, argsText) {
      const args = parse(argsText);
      let result;
      try { result = apply(fn, undefined, args); } catch (e) { return "T" + describe(e); }
      return copy(result);
    },
  };
})`;

let QuickJS;
let limits;
let mlNamespaces = {};
let wasmMemory;
let wasmMaxBytes = 0;

async function init(message) {
  limits = message.limits;
  mlNamespaces = message.mlNamespaces ?? {};
  const pages = Math.max(256, Math.ceil(limits.wasmMemoryBytes / WASM_PAGE));
  wasmMaxBytes = pages * WASM_PAGE;
  wasmMemory = new WebAssembly.Memory({ initial: 256, maximum: pages });
  QuickJS = await newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmMemory }));
}

const cpuMsSince = (start) => {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
};

const LIMIT_MESSAGES = {
  time: () => `Time limit: the code ran for more than ${limits.cpuMs / 1000} s of CPU (an endless loop?)`,
  memory: () => `Memory limit: the code needed more than ${Math.round(limits.memoryBytes / 2 ** 20)} MB`,
  stack: () => "Stack limit: the recursion or nesting went too deep",
  output: () => `Output limit: console output and results exceeded ${Math.round(limits.outputBytes / 1024)} KB`,
  crash: () => "The sandbox stopped unexpectedly; the submission was not graded",
};

function runJob(job) {
  const cpuStart = process.cpuUsage();
  let stop = null; // "time" | "output": makes the interrupt handler end the run
  let logs = "";
  let used = 0;
  const outputs = [];
  const handles = [];
  const keep = (h) => (handles.push(h), h);
  let recycle = false;
  let rt;
  let ctx;
  const finish = (status, message, limit) => {
    if (limit) recycle = true;
    return { status, ...(limit ? { limit } : {}), message, outputs, logs, cpuMs: Math.round(cpuMsSince(cpuStart)) };
  };
  // QuickJS throws `null` when it runs out of memory while building the error itself; a student
  // may throw null too, so null counts as the memory limit only when memory is nearly spent.
  const memoryPressure = () => {
    if (wasmMemory.buffer.byteLength >= 0.9 * wasmMaxBytes) return true;
    try {
      const h = rt.computeMemoryUsage();
      const usage = ctx.dump(h);
      h.dispose();
      return !(usage?.memory_used_size < 0.9 * limits.memoryBytes);
    } catch {
      return true;
    }
  };
  const limitOf = (text) =>
    stop ??
    (/^InternalError: out of memory/.test(text)
      ? "memory"
      : /^InternalError: interrupted/.test(text)
        ? "time"
        : (text === "null" || text === "an exception that cannot be described") && memoryPressure()
          ? "memory"
          : null);

  try {
    rt = QuickJS.newRuntime();
    rt.setMemoryLimit(limits.memoryBytes);
    rt.setMaxStackSize(limits.stackBytes);
    rt.setInterruptHandler(() => {
      if (stop) return true;
      if (cpuMsSince(cpuStart) > limits.cpuMs) stop = "time";
      return stop !== null;
    });
    ctx = rt.newContext();

    const write = keep(
      ctx.newFunction("write", (h) => {
        const s = ctx.getString(h);
        const room = limits.outputBytes - used;
        if (s.length + 1 > room) {
          logs += s.slice(0, Math.max(0, room));
          used = limits.outputBytes;
          stop = "output";
          return;
        }
        logs += s + "\n";
        used += s.length + 1;
      }),
    );
    const loadMl = keep(
      ctx.newFunction("ml", (h) => {
        const name = ctx.getString(h);
        return Object.hasOwn(mlNamespaces, name) ? ctx.newString(mlNamespaces[name]) : ctx.newString("var __cuadernoMlNamespace;");
      }),
    );
    ctx.setProp(ctx.global, "__cuadernoWrite", write);
    ctx.setProp(ctx.global, "__cuadernoMl", loadMl);
    const preludeFn = keep(ctx.unwrapResult(ctx.evalCode(PRELUDE, "cuaderno-prelude.js")));
    const harness = keep(
      ctx.unwrapResult(
        ctx.callFunction(preludeFn, ctx.undefined, keep(ctx.newNumber(limits.outputBytes)), keep(jsonHandle(ctx, Object.keys(mlNamespaces)))),
      ),
    );
    const describeFn = keep(ctx.getProp(harness, "describe"));
    const copyFn = keep(ctx.getProp(harness, "copy"));
    const callFn = keep(ctx.getProp(harness, "call"));
    const describe = (errHandle) => {
      const r = ctx.callFunction(describeFn, ctx.undefined, errHandle);
      if (r.error) {
        r.error.dispose();
        return describeOnHost(ctx, errHandle);
      }
      const s = ctx.typeof(r.value) === "string" ? ctx.getString(r.value) : "an exception";
      r.value.dispose();
      return s;
    };

    // The student's script: global code, so `function f` and `const f` are both reachable by name.
    const evaluated = ctx.evalCode(String(job.source), "submission.js");
    if (evaluated.error) {
      const text = describe(keep(evaluated.error));
      const limit = limitOf(text);
      return limit ? finish("limit", LIMIT_MESSAGES[limit](), limit) : finish("error", `Your code failed before grading: ${text}`);
    }
    keep(evaluated.value);
    // Promise callbacks the script queued run now (bounded by the same interrupt handler).
    const pending = rt.executePendingJobs(10_000);
    if (pending.error) keep(pending.error);
    if (stop) return finish("limit", LIMIT_MESSAGES[stop](), stop);

    const lookUp = (name) => {
      if (!NAME.test(name)) return { error: `"${name}" is not a JavaScript name` };
      const r = ctx.evalCode(name, "lookup.js");
      if (r.error) {
        const text = describe(keep(r.error));
        return { error: /ReferenceError/.test(text) ? `${name} is not defined` : text, limitText: text };
      }
      return { value: keep(r.value) };
    };
    // Reads the harness's one-letter-tagged answer (see PRELUDE's copy).
    const take = (name, r) => {
      if (r.error) {
        const text = describe(keep(r.error));
        return { limit: limitOf(text) ?? "crash", text };
      }
      const tagged = ctx.typeof(r.value) === "string" ? ctx.getString(r.value) : "S";
      r.value.dispose();
      const tag = tagged[0];
      const body = tagged.slice(1);
      let output;
      if (tag === "V") output = { name, json: body };
      else if (tag === "U") output = { name, json: "undefined" };
      else if (tag === "L") output = { name, error: "the value is too large to copy out", errorKind: "too-large" };
      else if (tag === "T") {
        const limit = limitOf(body);
        if (limit === "memory" || limit === "time") return { limit, text: body };
        output = /^InternalError: stack overflow/.test(body)
          ? { name, error: "stack overflow: the recursion went too deep", errorKind: "limit" }
          : { name, error: body, errorKind: "threw" };
      } else output = { name, error: `the value cannot be copied as plain data (${body || "not serializable"})`, errorKind: "not-serializable" };
      used += (output.json ?? output.error).length;
      if (used > limits.outputBytes) return { limit: "output", text: "" };
      return { output };
    };

    if (job.kind === "function") {
      const fnName = String(job.functionName);
      const found = lookUp(fnName);
      if (found.error) {
        const limit = found.limitText ? limitOf(found.limitText) : null;
        return limit ? finish("limit", LIMIT_MESSAGES[limit](), limit) : finish("error", `No function named ${fnName}: ${found.error}`);
      }
      if (ctx.typeof(found.value) !== "function") return finish("error", `${fnName} is not a function (define function ${fnName}(...) { ... })`);
      for (const c of job.cases) {
        const argsText = keep(ctx.newString(JSON.stringify(c.args ?? [])));
        const r = take(String(c.name), ctx.callFunction(callFn, ctx.undefined, found.value, argsText));
        if (r.limit) return finish("limit", LIMIT_MESSAGES[r.limit](), r.limit);
        outputs.push(r.output);
      }
    } else if (job.kind === "values") {
      for (const rawName of job.names) {
        const name = String(rawName);
        const found = lookUp(name);
        if (found.error) {
          const limit = found.limitText ? limitOf(found.limitText) : null;
          if (limit) return finish("limit", LIMIT_MESSAGES[limit](), limit);
          outputs.push({ name, error: found.error, errorKind: "missing" });
          continue;
        }
        const r = take(name, ctx.callFunction(copyFn, ctx.undefined, found.value));
        if (r.limit) return finish("limit", LIMIT_MESSAGES[r.limit](), r.limit);
        outputs.push(r.output);
      }
    } else {
      return finish("error", "Unknown job kind");
    }
    if (stop) return finish("limit", LIMIT_MESSAGES[stop](), stop);
    return finish("ok", "Ran");
  } catch (e) {
    // A host-side failure: V8's own stack overflowed inside QuickJS (deep nesting QuickJS does not
    // check), or the WebAssembly instance aborted. The runtime cannot be trusted any more.
    recycle = true;
    const hostStack = e instanceof RangeError && /call stack/i.test(String(e.message));
    return finish("limit", LIMIT_MESSAGES[hostStack ? "stack" : "crash"](), hostStack ? "stack" : "crash");
  } finally {
    try {
      for (const h of handles.reverse()) if (h.alive) h.dispose();
      ctx?.dispose();
      rt?.dispose();
    } catch {
      recycle = true;
    }
    runJob.recycle = recycle;
  }
}

// When describing the error inside failed too (out of memory, interrupted): read an engine
// error's own name and message from here, touching nothing the student could have defined.
function describeOnHost(ctx, errHandle) {
  try {
    if (ctx.typeof(errHandle) !== "object") return "an exception that cannot be described";
    const read = (key) => {
      const h = ctx.getProp(errHandle, key);
      const v = ctx.typeof(h) === "string" ? ctx.getString(h) : "";
      h.dispose();
      return v;
    };
    const message = read("message");
    return message ? `${read("name") || "Error"}: ${message.slice(0, 500)}` : "an exception that cannot be described";
  } catch {
    return "an exception that cannot be described";
  }
}

function jsonHandle(ctx, value) {
  const r = ctx.evalCode(`(${JSON.stringify(value)})`, "data.js");
  return ctx.unwrapResult(r);
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
let ready = false;
let busy = Promise.resolve();
lines.on("line", (line) => {
  busy = busy.then(async () => {
    const message = JSON.parse(line);
    if (message.type === "init" && !ready) {
      await init(message);
      // A few throwaway jobs let V8 tier up QuickJS's WebAssembly before the first real one.
      for (let i = 0; i < 5; i++) runJob({ kind: "function", source: "function f(a) { return [a, a * 2]; }", functionName: "f", cases: [{ name: "w", args: [i] }] });
      ready = true;
      send({ type: "ready" });
      return;
    }
    if (message.type !== "job" || !ready) return;
    runJob.recycle = false;
    const result = runJob(message.job);
    const recycle = runJob.recycle;
    const total = process.cpuUsage();
    await new Promise((resolve) =>
      send({ type: "result", id: message.id, result, recycle, totalCpuMs: Math.round((total.user + total.system) / 1000) }, resolve),
    );
    // The parent also kills a recycled child; leaving first frees its slot sooner.
    if (recycle) process.exit(0);
  });
});
lines.on("close", () => process.exit(0));
