// Proves the kernel worker in a real browser: bundles lib/kernel/worker.ts and a tiny page with
// esbuild, serves them (plus public/vendor and content/datasets) on 127.0.0.1 with COOP/COEP,
// and drives Chromium with Playwright. Prints what it checked; exits 1 on a failed check.
//   node scripts/copy-vendor-assets.mjs && node tests/e2e/kernel-harness/run.mjs
// Bundles are minified, closer to the production build (MINIFY=0 for readable stack traces).
// esbuild's minifier happens not to break tfjs-wasm's stringified pthread factory the way Next's
// does, so threads under the real minified build are checked by tests/e2e/notebook.e2e.ts.
import { build } from "esbuild";
import { createServer } from "node:http";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const out = mkdtempSync(join(tmpdir(), "kernel-harness-"));

// `@/x` → repo root; a module another engineer has not written yet becomes a stub that throws.
const alias = {
  name: "alias",
  setup(b) {
    b.onResolve({ filter: /^@\// }, (args) => {
      const base = join(root, args.path.slice(2));
      for (const cand of [base + ".ts", base + ".tsx", join(base, "index.ts"), base]) {
        if (existsSync(cand) && statSync(cand).isFile()) return { path: cand };
      }
      return { path: args.path, namespace: "missing" };
    });
    b.onLoad({ filter: /.*/, namespace: "missing" }, (args) => ({
      contents: `throw new Error(${JSON.stringify(args.path + " is not written yet")});`,
      loader: "js",
    }));
  },
};

const common = {
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  plugins: [alias],
  logLevel: "warning",
  external: ["fs", "path", "worker_threads", "perf_hooks", "os", "crypto"],
  define: { "process.env.NODE_ENV": '"production"' },
  minify: process.env.MINIFY !== "0",
};
await build({ ...common, entryPoints: [join(root, "lib/kernel/worker.ts")], outfile: join(out, "kernel-worker.js") });
await build({ ...common, entryPoints: [join(root, "tests/e2e/kernel-harness/page.ts")], outfile: join(out, "page.js") });

const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html", ".csv": "text/csv" };
const server = createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  let file;
  if (url.pathname === "/") file = null;
  else if (url.pathname.startsWith("/vendor/")) file = join(root, "public", normalize(url.pathname));
  else if (url.pathname.startsWith("/datasets/")) file = join(root, "content", normalize(url.pathname));
  else file = join(out, normalize(url.pathname));
  // `/?isolated=0`: the same page without COOP/COEP (no SharedArrayBuffer, so no wasm threads).
  const isolated = !(url.pathname === "/" && url.searchParams.get("isolated") === "0");
  const headers = isolated
    ? { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp", "Cross-Origin-Resource-Policy": "same-origin" }
    : { "Cross-Origin-Resource-Policy": "same-origin" };
  if (file === null) {
    res.writeHead(200, { ...headers, "Content-Type": "text/html" });
    res.end('<!doctype html><meta charset="utf-8"><title>kernel harness</title><script type="module" src="/page.js"></script>');
    return;
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, headers);
    res.end("not found");
    return;
  }
  res.writeHead(200, { ...headers, "Content-Type": types[extname(file)] ?? "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--enable-unsafe-webgpu",
    "--enable-features=Vulkan",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
const page = await browser.newPage();
const external = [];
page.on("request", (r) => {
  const u = r.url();
  if (!u.startsWith(base) && !u.startsWith(`blob:${base}`) && !u.startsWith("data:")) external.push(u);
});
page.on("pageerror", (e) => console.log("pageerror:", e.message));
// CONSOLE=1 prints the page's and its workers' console (tfjs and Emscripten warnings land there).
if (process.env.CONSOLE === "1") page.on("console", (m) => console.log(`console.${m.type()}:`, m.text().slice(0, 300)));
await page.goto(base);
await page.waitForFunction(() => window.kernel);

let failures = 0;
const check = (ok, label, detail = "") => {
  console.log(`${ok ? "PASS" : "FAIL"}  ${label}${detail ? "  — " + detail : ""}`);
  if (!ok) failures++;
};
const run = (id, src, kind = "code") => page.evaluate(([i, s, k]) => window.runCell(i, s, k), [id, src, kind]);
const resultText = (events) => events.find((e) => e.type === "result")?.data?.["text/plain"];
const doneOf = (events) => events.find((e) => e.type === "done");

// 1. 1+1
let ev = await run("one", "1 + 1");
check(resultText(ev) === "2" && doneOf(ev).status === "ok", "1 + 1 shows 2", `${doneOf(ev).durationMs} ms`);

// 2. variables across cells, error with line
await run("def", "const k = 21;\nfunction twice() { return k * 2 }");
ev = await run("use", "twice()");
check(resultText(ev) === "42", "a later cell uses an earlier function");
ev = await run("bad", "const a = 1;\nundefinedFn();");
const err = ev.find((e) => e.type === "error");
check(err?.line === 2 && /undefinedFn is not defined \(line 2\)/.test(err.message), "error reports the cell line", err && `${err.name}: ${err.message}`);

// 3. infinite loop: interrupt → restart within 2 s; page stays responsive
const t0 = Date.now();
const loop = await page.evaluate(async () => {
  const k = window.kernel;
  const h = k.run("loop", "let n = 0;\nwhile (true) { n++ }");
  await new Promise((r) => setTimeout(r, 300));
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  const t = performance.now();
  const res = await k.interrupt();
  const done = await h.done;
  clearInterval(timer);
  return { res, done, ms: performance.now() - t, ticks };
});
check(
  loop.res.restarted && loop.done.status === "interrupted" && loop.ms < 2000 && loop.res.lostVariables.includes("k"),
  "while(true){} is stopped by a restart within 2 s",
  `${Math.round(loop.ms)} ms, lost ${JSON.stringify(loop.res.lostVariables)}, page timer ticked ${loop.ticks}×`,
);
check(loop.ticks > 50, "the page never froze during the loop");
ev = await run("after", "typeof k");
check(resultText(ev) === "undefined", "after the restart the kernel is fresh and works", `typeof k → ${resultText(ev)}`);

// 4. cooperative interrupt of an async loop (no restart)
const coop = await page.evaluate(async () => {
  const k = window.kernel;
  const h = k.run("async-loop", "while (true) { await new Promise((r) => setTimeout(r, 5)); }");
  await new Promise((r) => setTimeout(r, 300));
  const res = await k.interrupt();
  return { res, done: await h.done };
});
check(!coop.res.restarted && coop.done.status === "interrupted", "an awaiting loop stops cooperatively without a restart");

// 5. calibration and training on wasm and webgpu
const train = `
const x = tf.randomNormal([512, 8], 0, 1, "float32", 3);
const y = x.matMul(tf.randomNormal([8, 1], 0, 1, "float32", 4)).greater(0).cast("float32");
const model = tf.sequential({ layers: [tf.layers.dense({ units: 16, activation: "relu", inputShape: [8] }), tf.layers.dense({ units: 1, activation: "sigmoid" })] });
model.compile({ optimizer: tf.train.adam(0.05), loss: "binaryCrossentropy" });
const h = await model.fit(x, y, { epochs: 12, batchSize: 128, verbose: 0, callbacks: [show.history()] });
[tf.getBackend(), h.history.loss[0], h.history.loss[11]]`;
const cal = process.env.SKIP_CALIBRATION ? { timings: { cpu: 0 }, best: "x", info: { name: "x", device: "skipped" } } : await page.evaluate(() => window.kernel.calibrate({ force: true }));
console.log("      calibration:", JSON.stringify(cal));
check(typeof cal.timings.cpu === "number" && cal.info.name === cal.best, "calibration timed the backends and picked one", `best ${cal.best} (${cal.info.device})`);
for (const backend of (process.env.BACKENDS ?? "wasm,webgpu,webgl").split(",")) {
  let info;
  try {
    info = await page.evaluate((b) => window.kernel.setBackend(b), backend);
  } catch (e) {
    check(backend === "webgl", `${backend} available`, String(e.message).split("\n")[0]);
    continue;
  }
  ev = await run(`train-${backend}`, train);
  const r = JSON.parse(resultText(ev) ?? "null");
  const displays = ev.filter((e) => e.type === "display");
  check(
    r && r[0] === backend && r[2] < r[1] && displays.length === 12 && new Set(displays.map((d) => d.displayId)).size === 1,
    `tfjs trains on ${backend} with falling loss`,
    `${info.device}; loss ${r && r[1].toFixed(3)} → ${r && r[2].toFixed(3)}, ${doneOf(ev).durationMs} ms`,
  );
  if (backend === "wasm") {
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const threads = Number(/(\d+) threads?/.exec(info.device)?.[1] ?? 0);
    check(threads > 1 || cores < 2, "wasm runs threaded on the cross-origin isolated page", `${info.device}; ${cores} logical cores`);
  }
}

// 5b. the same page without cross-origin isolation: wasm falls back to one thread, says why, trains
{
  const plain = await browser.newPage();
  plain.on("pageerror", (e) => console.log("pageerror (not isolated):", e.message));
  await plain.goto(`${base}/?isolated=0`);
  await plain.waitForFunction(() => window.kernel);
  const isolated = await plain.evaluate(() => self.crossOriginIsolated);
  const info = await plain.evaluate(() => window.kernel.setBackend("wasm"));
  const pev = await plain.evaluate(([s]) => window.runCell("train-plain", s), [train]);
  const r = JSON.parse(pev.find((e) => e.type === "result")?.data?.["text/plain"] ?? "null");
  check(
    !isolated && /1 thread: not cross-origin isolated/.test(info.device) && r && r[0] === "wasm" && r[2] < r[1],
    "without isolation wasm trains single-threaded and says why",
    `crossOriginIsolated ${isolated}; ${info.device}; loss ${r && r[1].toFixed(3)} → ${r && r[2].toFixed(3)}`,
  );
  await plain.close();
}

// 6. DuckDB counts rows of a served dataset and of an inline query
ev = await run("load", "const fraud = await data.load('fraud');\nfraud.rows.length");
const n = Number(resultText(ev));
ev = await run("count", "SELECT count(*) AS n FROM fraud", "sql");
const table = ev.find((e) => e.type === "result")?.data;
if (!table) console.log("      sql events:", JSON.stringify(ev).slice(0, 1500));
const counted = JSON.stringify(table ?? {}).match(/"rows":\[\[(\d+)\]\]/);
check(n > 0 && counted && Number(counted[1]) === n, "DuckDB counts the rows of data.load('fraud')", `${n} rows; sql → ${counted?.[1]}`);
ev = await run("sqlts", "const r = await sql`SELECT ${2} * 21 AS answer`;\nr.rows[0].answer");
check(resultText(ev) === "42", "sql tagged template with a bound parameter", resultText(ev));

// 7. console streams in order while running
const streamed = await page.evaluate(async () => {
  const seen = [];
  const h = window.kernel.run("stream", "for (let i = 0; i < 3; i++) { console.log('tick', i); await new Promise((r) => setTimeout(r, 200)); }");
  for await (const e of h.events) if (e.type === "stream") seen.push({ text: e.text, at: performance.now() });
  return seen;
});
check(
  streamed.map((s) => s.text).join("") === "tick 0\ntick 1\ntick 2\n" && streamed.length === 3 && streamed[2].at - streamed[0].at > 300,
  "console.log streams as it happens, in order",
);

ev = await run("env", "[self.crossOriginIsolated, navigator.hardwareConcurrency, typeof ml.metrics]");
console.log("      worker crossOriginIsolated, cores, typeof ml.metrics:", resultText(ev) ?? JSON.stringify(ev.find((e) => e.type === "error")));
ev = await run("digits", "const digits = await data.load('digits');\n[digits.kind, digits.count, digits.height, digits.width]");
check(/"images",\s*\d+,\s*28,\s*28/.test(resultText(ev) ?? ""), "data.load('digits') gives an ImageDataset", resultText(ev) ?? JSON.stringify(ev.find((e) => e.type === "error")));

const vars = await page.evaluate(() => window.kernel.listVariables());
check(vars.some((v) => v.name === "fraud" && /TableDataset/.test(v.type)), "listVariables describes variables", vars.map((v) => `${v.name}: ${v.type}`).join(", "));
check(external.length === 0, "nothing was fetched from outside 127.0.0.1", external.slice(0, 3).join(" "));

await browser.close();
server.close();
console.log(failures ? `${failures} check(s) failed` : "all checks passed");
process.exit(failures ? 1 : 0);
