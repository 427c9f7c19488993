// Author mode in headless Chromium, measured (issue 15 point 11): a 60-cell lesson (30 text cells,
// 20 TypeScript cells of 12 lines, 5 exercises with hidden tests, 5 quizzes; Spanish and English
// side by side, so 120 cell forms) opening in the editor — navigation → the editor hydrated and
// taking keys (performance mark "author-ready"), cold (fresh context) and warm, median — and the
// cost of each keystroke typed at human speed into a field in the middle (the students' editor: its
// text area, then Monaco; see below), p50/p99 over 200 keys each. Prints figures, never pass/fail.
// Targets: opening ≤ 1.5 s, a keystroke under one frame (16.7 ms).
//
//   node bench/teach-editor.bench.mjs [--url http://localhost:3000] [--port 3160] [--repeat 5] [--keys 200]
//
// Diagnostics: BENCH_BREAKDOWN=1 prints the trace's main-thread time by event; BENCH_SLOW=1 the
// keys over a frame and what ran then, the CPU of each key's own task (p50/p99) and every task's
// self time by event and by origin (BENCH_SLOW=profile adds a sampled JS profile);
// BENCH_CATEGORIES sets the trace's categories (e.g. add blink,v8 for Blink's own events) and
// BENCH_TRACE_OUT=PREFIX writes the typing traces to PREFIX-<cell>-<editor>.json; BENCH_STAGES=1
// prints the mean of each EventLatency stage for keys within a frame and past it, and the five keys
// with the most main-thread work (and, in Monaco, the keys that made the cell taller);
// BENCH_EDITOR_OPTIONS=JSON gives Monaco options before its typing.
// Each field also prints keys 1–40 (a session's first keys) apart from the rest: each key's own task
// CPU (the task dispatching its keydown; p50/p99, over a frame) and keydown → DOM, and key 1's task.
//
// Without --url it starts its own server (`node scripts/start.mjs`, temp SQLite, build folder
// .next-e2e-<port>, built when sources changed).
import { chromium } from "@playwright/test";
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { CHROMIUM_ARGS, chromiumPath, INSTALL_HINT } from "../tests/browser.mjs";
import { startServer } from "./lib/server.mjs";
import { REAL_WINDOW, WINDOW_ARGS } from "./lib/window.mjs";
import { bareTextAreaLatencies } from "./lib/key-floor.mjs";
import { describeKeyLatencies, describeStages, EVENT_LATENCY_CATEGORIES, FRAME_MS, keyPressLatencies, keyCosts, mergeKeyLatencies, recordTrace, threadNames } from "./lib/trace.mjs";

const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
};
const REPEAT = Number(arg("repeat", 5));
const KEYS = Number(arg("keys", 200));
/** What each field gets typed, at Playwright's `delay` (ms between a key's down and up, and again before the next key: ~80 ms a key). */
const TYPED = "Una oración escrita a velocidad humana para medir cada tecla. ".repeat(10).slice(0, KEYS);
const KEY_DELAY = 40;
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const TASK = "ThreadControllerImpl::RunTask";
const SLOW = process.env.BENCH_SLOW;
// The first keys of an editing session (JIT warm-up, the first key's translation mark and undo
// entry) are reported apart from the rest.
const WARM = 40;
const ms = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);

// BENCH_SLOW=1: for the keys over a frame (keydown → DOM updated or → next frame), what ran on
// the page's main thread in that key's window (trace events of 0.3 ms and more, nested by depth)
// and where its JavaScript spent the time (a CPU profile sampled every 0.2 ms, self time by
// function); then the same self time summed over the slow keys beside the fast ones, per key.
/** Thread time of `tasks` by event, less what the events nested in each took (self time, µs). */
function selfTime(main, tasks) {
  const by = new Map();
  const sorted = [...main].sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  let from = 0;
  for (const t of tasks) {
    while (from < sorted.length && sorted[from].ts < t.ts) from++;
    const stack = [{ end: t.ts + t.dur, key: "(task)", self: t.tdur }];
    const close = (until) => {
      while (stack.length > 1 && stack.at(-1).end <= until) {
        const f = stack.pop();
        by.set(f.key, (by.get(f.key) ?? 0) + f.self);
      }
    };
    for (let i = from; i < sorted.length && sorted[i].ts < t.ts + t.dur; i++) {
      const e = sorted[i];
      if (e === t || e.ts + e.dur > t.ts + t.dur) continue;
      close(e.ts);
      stack.at(-1).self -= e.tdur ?? 0;
      stack.push({ end: e.ts + e.dur, key: `${e.name} ${e.args?.data?.type ?? ""}`.trim(), self: e.tdur ?? 0 });
    }
    close(Infinity);
    by.set(`(task)`, (by.get("(task)") ?? 0) + stack[0].self);
  }
  return by;
}

function slowKeys(keys, main, profile) {
  const downs = main.filter((e) => e.name === "EventDispatch" && e.args?.data?.type === "keydown").sort((a, b) => a.ts - b.ts);
  if (!downs.length || !keys.length) return console.log("  (no keydown in the trace)");
  // Trace time (µs) of performance.now() 0, from the first key (its keydown dispatch starts just before the listener ran).
  const origin = downs[0].ts - keys[0].at * 1000;
  const nodes = new Map((profile?.nodes ?? []).map((n) => [n.id, n]));
  const samples = [];
  let t = profile?.startTime ?? 0;
  (profile?.samples ?? []).forEach((id, i) => {
    t += profile.timeDeltas[i];
    const f = nodes.get(id)?.callFrame;
    samples.push({ t, name: f ? `${f.functionName || "(anon)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}` : "?" });
  });
  const selfIn = (a, b) => {
    const by = new Map();
    for (const s of samples) if (s.t >= a && s.t <= b && !/^\((idle|program|root)\)/.test(s.name)) by.set(s.name, (by.get(s.name) ?? 0) + 1);
    return by;
  };
  const slow = keys.map((k, i) => ({ ...k, i })).filter((k) => k.dom > 16.7 || k.frame > 16.7);
  const detail = (e) => {
    const d = e.args?.data ?? {};
    const b = e.args?.beginData;
    if (b?.dirtyObjects !== undefined) return `${b.dirtyObjects}/${b.totalObjects} objects${b.partialLayout ? " partial" : ""}`;
    if (e.args?.elementCount !== undefined) return `${e.args.elementCount} elements`;
    return d.type ?? d.functionName ?? (d.url ? d.url.split("/").pop() : "") ?? "";
  };
  const slowBy = new Map();
  const fastBy = new Map();
  keys.forEach((k, i) => {
    const a = origin + k.at * 1000;
    const into = slow.some((s) => s.i === i) ? slowBy : fastBy;
    for (const [n, c] of selfIn(a, a + k.frame * 1000)) into.set(n, (into.get(n) ?? 0) + c);
  });
  console.log(`  slow keys: ${slow.length} of ${keys.length}`);
  // The task each key ran in (the one dispatching its keydown): CPU time, and its self time by event.
  const tasks = main.filter((e) => e.name === TASK).sort((a, b) => a.ts - b.ts);
  const keyTasks = downs.map((d) => tasks.find((t) => t.ts <= d.ts && d.ts < t.ts + t.dur)).filter(Boolean);
  const cpu = keyTasks.map((t) => t.tdur / 1000);
  const selfBy = selfTime(main, keyTasks);
  const allSelf = selfTime(main, tasks);
  // Where the tasks were posted from (Chromium's source): e.g. autofill's FormControlDidChange.
  const bySource = new Map();
  for (const t of tasks) {
    const src = t.args?.src_func ? `${t.args.src_file?.split("/").pop()}:${t.args.src_func}` : "(unknown)";
    bySource.set(src, (bySource.get(src) ?? 0) + t.tdur);
  }
  console.log(`  tasks by origin, CPU ms/key: ${[...bySource].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([n, v]) => `${n} ${(v / 1000 / keys.length).toFixed(2)}`).join("; ")}`);
  console.log(`  all tasks while typing, self CPU ms/key: ${[...allSelf].sort((a, b) => b[1] - a[1]).slice(0, 16).map(([n, v]) => `${n} ${(v / 1000 / keys.length).toFixed(2)}`).join("; ")}`);
  for (const t of [...keyTasks].sort((a, b) => b.tdur - a.tdur).slice(0, 5)) {
    console.log(`  key task of CPU ${ms(t.tdur / 1000)} (key ${keyTasks.indexOf(t)}):`);
    const inside = main.filter((e) => e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e !== t && e.tdur >= 200).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const stack = [];
    for (const e of inside) {
      while (stack.length && stack.at(-1) <= e.ts) stack.pop();
      console.log(`    ${"  ".repeat(stack.length)}${e.name} ${detail(e)} CPU ${(e.tdur / 1000).toFixed(1)} ms`);
      stack.push(e.ts + e.dur);
    }
  }
  console.log(`  key task CPU p50 ${ms(quantile(cpu, 0.5))}, p90 ${ms(quantile(cpu, 0.9))}, p99 ${ms(quantile(cpu, 0.99))}, max ${ms(Math.max(...cpu))}; self ms/key: ${[...selfBy].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([n, v]) => `${n} ${(v / 1000 / keyTasks.length).toFixed(2)}`).join("; ")}`);
  for (const k of [...slow].sort((a, b) => b.frame - a.frame).slice(0, 8)) {
    const a = origin + k.at * 1000;
    const b = a + k.frame * 1000;
    console.log(`  key ${k.i}: dom ${ms(k.dom)}, frame ${ms(k.frame)}`);
    const inWin = main.filter((e) => e.ts < b && e.ts + e.dur > a - 5000 && e.dur >= 300).sort((x, y) => x.ts - y.ts || y.dur - x.dur);
    const stack = [];
    for (const e of inWin.slice(0, 40)) {
      while (stack.length && stack.at(-1) <= e.ts) stack.pop();
      console.log(`    ${((e.ts - a) / 1000).toFixed(1).padStart(6)} ${"  ".repeat(stack.length)}${e.name} ${detail(e)} ${(e.dur / 1000).toFixed(1)} ms (CPU ${((e.tdur ?? 0) / 1000).toFixed(1)})`);
      stack.push(e.ts + e.dur);
    }
    const top = [...selfIn(a - 5000, b)].sort((x, y) => y[1] - x[1]).slice(0, 8);
    if (top.length) console.log(`    JS self (×0.2 ms): ${top.map(([n, c]) => `${n} ${c}`).join("; ")}`);
  }
  const per = (by, n) => [...by].sort((x, y) => y[1] - x[1]).slice(0, 12).map(([f, c]) => `${f} ${((c * 0.2) / Math.max(1, n)).toFixed(2)}`).join("; ");
  console.log(`  JS self ms/key, slow keys: ${per(slowBy, slow.length)}`);
  console.log(`  JS self ms/key, other keys: ${per(fastBy, keys.length - slow.length)}`);
}

/** The CPU time (ms) of each key's own task — the task dispatching its keydown — in key order. */
function keyTaskCpu(main) {
  const downs = main.filter((e) => e.name === "EventDispatch" && e.args?.data?.type === "keydown").sort((a, b) => a.ts - b.ts);
  const tasks = main.filter((e) => e.name === TASK).sort((a, b) => a.ts - b.ts);
  return downs.map((d) => tasks.find((t) => t.ts <= d.ts && d.ts < t.ts + t.dur)).filter(Boolean).map((t) => t.tdur / 1000);
}

function lessonBundle() {
  const cells = [];
  for (let i = 0; i < 60; i++) {
    const id = `c-${String(i).padStart(12, "0")}`;
    const k = i % 12;
    if (k < 6) cells.push({ id, kind: "markdown", source: `## Paso ${i}\n\nTexto con $x_${i}^2$ y **negrita**, una lista:\n\n- uno\n- dos\n- tres` });
    else if (k < 10) cells.push({ id, kind: "code", source: Array.from({ length: 12 }, (_, l) => `const v${i}_${l} = [${l}, ${l + 1}, ${l + 2}].map((x) => x * ${i});`).join("\n"), outputs: [], executionCount: null });
    else if (k === 10) cells.push({ id, kind: "exercise", source: "let y = 0;", starter: "let y = 0;", check: 'check(y === 2, "y");', hints: ["Pista"], solution: "let y = 2;", tests: "values y", outputs: [], executionCount: null });
    else cells.push({ id, kind: "quiz", source: "", questions: [{ prompt: "¿Sí?", options: [{ text: "sí", correct: true }, { text: "no", correct: false }], explanation: "Porque sí." }] });
  }
  const doc = (locale) => ({ format: 1, metadata: { title: "Banco", locale }, cells: cells.map((c) => ({ ...c })) });
  return { meta: { title: { es: "Banco de 60 celdas", en: "60-cell bench" }, summary: { es: "", en: "" }, datasets: [], tags: [] }, docs: { es: doc("es"), en: doc("en") }, outdated: { es: [], en: [] } };
}

async function trpc(ctx, path, input) {
  const r = await ctx.post(`/api/trpc/${path}`, { data: { json: input } });
  const body = await r.json();
  if (!r.ok()) throw new Error(`${path}: ${JSON.stringify(body)}`);
  return body.result.data.json;
}

const executablePath = chromiumPath();
if (!executablePath) throw new Error(INSTALL_HINT);
const server = await startServer({ url: arg("url", null), port: Number(arg("port", 3160)), log: (l) => console.log(`  [server] ${l}`) });
const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, ...WINDOW_ARGS] });
try {
  const setup = await browser.newContext({ baseURL: server.url, extraHTTPHeaders: { origin: server.url } });
  const email = `bench.${Date.now()}@example.test`;
  const signUp = await setup.request.post("/api/auth/sign-up/email", { data: { email, password: "bench-password-1", name: "Bench Autora", role: "instructor" } });
  if (!signUp.ok()) throw new Error(await signUp.text());
  const { slug } = await trpc(setup.request, "teach.createBlank", { title: "Banco", locale: "es" });
  await trpc(setup.request, "teach.saveDraft", { slug, baseRevision: 1, bundle: lessonBundle() });
  const state = await setup.storageState();
  const url = `${server.url}/es/teach/lessons/${slug}`;
  console.log(`teach editor bench — ${url}, load ${load()}`);

  const openOnce = async (ctx) => {
    const page = await ctx.newPage();
    await page.goto(url);
    await page.waitForSelector('[data-testid="author-editor"][data-ready="true"]', { timeout: 60_000 });
    const t = await page.evaluate(() => performance.getEntriesByName("author-ready")[0]?.startTime ?? NaN);
    // All 60 rows there and hydrated (the server renders the first rows, the rest follow in idle
    // time; rows are Suspense boundaries hydrated after the editor): React's fiber key on each
    // row's element, polled each 20 ms.
    const all = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const done = () => document.querySelectorAll('[data-testid="author-cell"]').length === 60 && [...document.querySelectorAll('[data-testid="author-cell"]')].every((el) => Object.keys(el).some((k) => k.startsWith("__reactFiber$")));
          const poll = () => (done() ? resolve(performance.now()) : setTimeout(poll, 20));
          poll();
        }),
    );
    const cells = await page.locator('[data-testid="author-cell"]').count();
    if (cells !== 60) throw new Error(`expected 60 cells, got ${cells}`);
    return { page, t, all };
  };
  const cold = [];
  const warm = [];
  const hydrated = [];
  let page = null;
  for (let r = 0; r < REPEAT; r++) {
    const ctx = await browser.newContext({ storageState: state, ...REAL_WINDOW });
    const a = await openOnce(ctx);
    cold.push(a.t);
    hydrated.push(a.all);
    await a.page.close();
    const b = await openOnce(ctx);
    warm.push(b.t);
    hydrated.push(b.all);
    if (r < REPEAT - 1) await ctx.close();
    else page = b.page;
  }
  console.log(`open 60 cells (120 forms) → author-ready: cold median ${ms(quantile(cold, 0.5))} [${cold.map(ms).join(", ")}], warm median ${ms(quantile(warm, 0.5))} [${warm.map(ms).join(", ")}]; every row hydrated median ${ms(quantile(hydrated, 0.5))} [${hydrated.map(ms).join(", ")}]  (load ${load()})`);

  // Keystrokes at human speed into a field in the middle of the lesson. Fields are the students'
  // editor (components/notebook/code-area): a text area from the click, then Monaco.
  //  - text area: Monaco's loader blocked (a fresh page in the same context), so the text area stays
  //    the editor: keydown → the end of the input event's dispatch (React has updated the DOM), and
  //    → the next animation frame;
  //  - Monaco: after it has taken over: keydown → the next animation frame after the field's DOM
  //    changed (Monaco renders its lines in a frame).
  // Beside the wall-clock figures, the page's main-thread CPU time per key (a trace's thread time
  // of every task while typing, divided by the keys, and of the key/input event dispatches alone):
  // on a loaded machine the wall clock waits for a core, the thread time does not.
  const typeAndMeasure = async (p, fieldIndex, testId, { monaco }) => {
    await p.evaluate((mode) => {
      const w = window;
      w.__keys = [];
      w.__mode = mode;
      if (w.__installed) return;
      w.__installed = true;
      let t0 = 0;
      let pending = false;
      const record = (t1, start) => requestAnimationFrame(() => w.__keys.push({ at: start, dom: t1 - start, frame: performance.now() - start }));
      window.addEventListener("keydown", () => ((t0 = performance.now()), (pending = true)), true);
      window.addEventListener("input", () => {
        if (w.__mode !== "input" || !pending) return;
        pending = false;
        record(performance.now(), t0);
      });
      w.__observe = (el) =>
        new MutationObserver(() => {
          if (w.__mode !== "mutation" || !pending) return;
          pending = false;
          record(performance.now(), t0);
        }).observe(el, { subtree: true, childList: true, characterData: true });
    }, monaco ? "mutation" : "input");
    const field = p.locator('[data-testid="author-cell"]').nth(fieldIndex).getByTestId(testId);
    await field.click();
    if (monaco) {
      await field.getByTestId("cell-draft").waitFor({ state: "hidden", timeout: 60_000 });
      await field.evaluate((el) => window.__observe(el.querySelector('[data-testid="cell-monaco"]')));
    } else {
      await field.getByTestId("cell-draft").waitFor({ timeout: 10_000 });
    }
    await p.keyboard.press(monaco ? "ControlOrMeta+End" : "End");
    // BENCH_EDITOR_OPTIONS='{"quickSuggestions":false}': Monaco's options for the typing (an experiment).
    if (monaco && process.env.BENCH_EDITOR_OPTIONS) await p.evaluate((o) => window.monaco.editor.getEditors().forEach((e) => e.updateOptions(o)), JSON.parse(process.env.BENCH_EDITOR_OPTIONS));
    // BENCH_STAGES: Monaco's content height at each keydown, to tell the keys that made the cell taller.
    if (monaco && process.env.BENCH_STAGES)
      await p.evaluate(() => {
        window.__heights = [];
        window.addEventListener("keydown", () => window.__heights.push(window.monaco.editor.getEditors().find((e) => e.hasTextFocus())?.getContentHeight() ?? 0), true);
      });
    await p.waitForTimeout(300);
    // CPU time of the page's main thread (trace thread time: what a loaded machine inflates least).
    const cdp = await p.context().newCDPSession(p);
    const { result: profile, events } = await recordTrace(cdp, `${process.env.BENCH_CATEGORIES ?? "toplevel,devtools.timeline,__metadata"},${EVENT_LATENCY_CATEGORIES}`, async () => {
      if (SLOW === "profile") await cdp.send("Profiler.enable").then(() => cdp.send("Profiler.setSamplingInterval", { interval: 200 })).then(() => cdp.send("Profiler.start"));
      await p.keyboard.type(TYPED, { delay: KEY_DELAY });
      await p.waitForTimeout(200);
      return SLOW === "profile" ? (await cdp.send("Profiler.stop")).profile : null;
    });
    await cdp.detach();
    const mains = new Set([...threadNames(events)].filter(([, name]) => name === "CrRendererMain").map(([k]) => k));
    const onMain = (e) => e.ph === "X" && mains.has(`${e.pid}:${e.tid}`) && typeof e.tdur === "number";
    // The busiest renderer main thread is the page typed into.
    const perThread = new Map();
    for (const e of events) if (onMain(e) && e.name === TASK) perThread.set(`${e.pid}:${e.tid}`, (perThread.get(`${e.pid}:${e.tid}`) ?? 0) + e.tdur);
    const [busiest] = [...perThread.entries()].sort((a, b) => b[1] - a[1])[0] ?? [null];
    const sum = (name) => events.filter((e) => onMain(e) && `${e.pid}:${e.tid}` === busiest && e.name === name).reduce((a, e) => a + e.tdur, 0) / 1000 / TYPED.length;
    const taskMs = sum(TASK);
    if (process.env.BENCH_BREAKDOWN) {
      const by = new Map();
      for (const e of events) if (onMain(e) && `${e.pid}:${e.tid}` === busiest) by.set(e.name, (by.get(e.name) ?? 0) + e.tdur);
      console.log([...by.entries()].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([n, t]) => `${n} ${(t / 1000 / TYPED.length).toFixed(2)}`).join("; "));
    }
    const scriptMs = sum("EventDispatch");
    const keys = await p.evaluate(() => window.__keys);
    // Each key's own task (the one dispatching its keydown): its CPU time, keys 1–40 (a session's
    // warm-up) apart from the rest.
    const mainEvents = events.filter((e) => onMain(e) && `${e.pid}:${e.tid}` === busiest);
    const ownTaskCpu = keyTaskCpu(mainEvents);
    if (process.env.BENCH_TRACE_OUT) writeFileSync(`${process.env.BENCH_TRACE_OUT}-${fieldIndex}-${monaco ? "monaco" : "area"}.json`, JSON.stringify({ keys: await p.evaluate(() => window.__keys), busiest, events: events.filter((e) => `${e.pid}:${e.tid}` === busiest) }));
    if (SLOW) slowKeys(keys, events.filter((e) => onMain(e) && `${e.pid}:${e.tid}` === busiest), profile);
    const dom = keys.map((k) => k.dom);
    const frame = keys.map((k) => k.frame);
    await p.keyboard.press("Escape");
    // Key press → the presented frame showing it (Chrome's EventLatency, µs precision).
    const presented = keyPressLatencies(events);
    if (monaco && process.env.BENCH_STAGES) {
      const h = await p.evaluate(() => [...window.__heights, window.monaco.editor.getEditors().find((e) => e.hasTextFocus())?.getContentHeight() ?? 0]);
      presented.grew = h.slice(0, -1).map((x, i) => h[i + 1] > x);
    }
    return { keys: keys.length, dom, frame, taskMs, scriptMs, ownTaskCpu, presented };
  };
  const report = (label, r) => {
    console.log(
      `${label} (${r.keys} keys): keydown → DOM updated p50 ${ms(quantile(r.dom, 0.5))}, p99 ${ms(quantile(r.dom, 0.99))}, max ${ms(Math.max(...r.dom))}; → next frame p50 ${ms(quantile(r.frame, 0.5))}, p99 ${ms(quantile(r.frame, 0.99))}; main-thread CPU ${r.taskMs.toFixed(2)} ms/key (in key/input event handlers ${r.scriptMs.toFixed(2)})  (load ${load()})`,
    );
    const part = (name, cpu, dom) =>
      cpu.length === 0 ? `${name} (0)` : `${name} (${cpu.length}): own task CPU p50 ${ms(quantile(cpu, 0.5))} p99 ${ms(quantile(cpu, 0.99))} max ${ms(Math.max(...cpu))}, over a frame ${cpu.filter((c) => c > 16.7).length}; keydown → DOM p50 ${ms(quantile(dom, 0.5))} p99 ${ms(quantile(dom, 0.99))}`;
    for (const line of describeKeyLatencies(r.presented)) console.log(`  ${line}`);
    if (process.env.BENCH_STAGES) {
      for (const line of describeStages(r.presented)) console.log(`    ${line}`);
      // The five keys with the most main-thread work (in the order keys reached a frame).
      const k = r.presented;
      const top = k.workCpu.map((c, i) => [c ?? 0, i]).sort((a, b) => b[0] - a[0]).slice(0, 5);
      console.log(`    most main-thread work: ${top.map(([c, i]) => `#${i + 1} ${c.toFixed(1)} ms CPU (wall ${k.work[i]?.toFixed(1)}, handling ${k.stages[i].RendererMainProcessing?.toFixed(1)} ms${k.grew?.[i] ? ", made the cell taller" : ""})`).join(", ")}`);
      if (k.grew) console.log(`    keys that made the cell taller (of ${k.grew.length} keydowns; ${k.latencies.length} keys reached a frame): ${k.grew.map((g, i) => (g ? `#${i + 1}` : null)).filter(Boolean).join(", ")}`);
    }
    console.log(`  ${part(`keys 1–${WARM}`, r.ownTaskCpu.slice(0, WARM), r.dom.slice(0, WARM))}; ${part(`keys ${WARM + 1}+`, r.ownTaskCpu.slice(WARM), r.dom.slice(WARM))}; key 1 own task CPU ${ms(r.ownTaskCpu[0] ?? NaN)}`);
  };
  // Cell 30 is a TypeScript cell, cell 24 a text cell (see lessonBundle).
  const blocked = await page.context().newPage();
  await blocked.route("**/vendor/monaco/vs/loader.js", () => undefined);
  await blocked.goto(url);
  await blocked.waitForSelector('[data-testid="author-editor"][data-ready="true"]', { timeout: 60_000 });
  const area = await typeAndMeasure(blocked, 30, "source-es", { monaco: false });
  report("keystroke, TypeScript cell, text area", area);
  const areaText = await typeAndMeasure(blocked, 24, "source-es", { monaco: false });
  report("keystroke, text cell, text area", areaText);
  await blocked.close();
  const mon = await typeAndMeasure(page, 30, "source-es", { monaco: true });
  report("keystroke, TypeScript cell, Monaco", mon);
  // The same keys at the same pace into a bare text area on an empty page: this browser's floor.
  const floor = await bareTextAreaLatencies(browser, TYPED, KEY_DELAY);
  console.log(`floor, a bare text area on an empty page (${floor.latencies.length} keys):`);
  for (const line of describeKeyLatencies(floor)) console.log(`  ${line}`);
  const typed = mergeKeyLatencies([area, areaText, mon].map((r) => r.presented));
  const work = typed.work.filter((x) => x !== null);
  const cpu = typed.workCpu.filter((x) => x !== null);
  const { cost: costs, missed } = keyCosts(typed);
  console.log(
    `targets: open ≤ 1.5 s (warm median ${ms(quantile(warm, 0.5))}); each keystroke under one frame (${FRAME_MS} ms) — main-thread work of a key (its handling + the main frame after it) in CPU: max ${ms(Math.max(...cpu))}, ${cpu.filter((v) => v >= FRAME_MS).length} of ${cpu.length} keys over (wall: max ${ms(Math.max(...work))}, ${work.filter((v) => v >= FRAME_MS).length} over); its handling + the frame that showed it (less the wait for that frame's vsync): max ${ms(Math.max(...costs))}, ${costs.filter((v) => v >= FRAME_MS).length} of ${costs.length} over, ${missed} shown after a frame that could have carried them`,
  );
} finally {
  await browser.close();
  await server.stop();
}
