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
// Without --url it starts its own server (`node scripts/start.mjs`, temp SQLite, build folder
// .next-e2e-<port>, built when sources changed).
import { chromium } from "@playwright/test";
import { loadavg } from "node:os";
import { CHROMIUM_ARGS, chromiumPath, INSTALL_HINT } from "../tests/browser.mjs";
import { startServer } from "./lib/server.mjs";

const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
};
const REPEAT = Number(arg("repeat", 5));
const KEYS = Number(arg("keys", 200));
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const TASK = "ThreadControllerImpl::RunTask";
const ms = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);

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
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
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
    const ctx = await browser.newContext({ storageState: state });
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
  const text = "Una oración escrita a velocidad humana para medir cada tecla. ".repeat(10).slice(0, KEYS);
  const typeAndMeasure = async (p, fieldIndex, testId, { monaco }) => {
    await p.evaluate((mode) => {
      const w = window;
      w.__keys = [];
      w.__mode = mode;
      if (w.__installed) return;
      w.__installed = true;
      let t0 = 0;
      let pending = false;
      const record = (t1, start) => requestAnimationFrame(() => w.__keys.push({ dom: t1 - start, frame: performance.now() - start }));
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
    await p.waitForTimeout(300);
    // CPU time of the page's main thread (trace thread time: what a loaded machine inflates least).
    const cdp = await p.context().newCDPSession(p);
    const events = [];
    cdp.on("Tracing.dataCollected", (e) => events.push(...e.value));
    const complete = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
    await cdp.send("Tracing.start", { categories: "toplevel,devtools.timeline,__metadata", transferMode: "ReportEvents" });
    await p.keyboard.type(text, { delay: 40 });
    await p.waitForTimeout(200);
    await cdp.send("Tracing.end");
    await complete;
    await cdp.detach();
    const mains = new Set(events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`));
    const onMain = (e) => e.ph === "X" && mains.has(`${e.pid}:${e.tid}`) && typeof e.tdur === "number";
    // The busiest renderer main thread is the page typed into.
    const perThread = new Map();
    for (const e of events) if (onMain(e) && e.name === TASK) perThread.set(`${e.pid}:${e.tid}`, (perThread.get(`${e.pid}:${e.tid}`) ?? 0) + e.tdur);
    const [busiest] = [...perThread.entries()].sort((a, b) => b[1] - a[1])[0] ?? [null];
    const sum = (name) => events.filter((e) => onMain(e) && `${e.pid}:${e.tid}` === busiest && e.name === name).reduce((a, e) => a + e.tdur, 0) / 1000 / text.length;
    const taskMs = sum(TASK);
    if (process.env.BENCH_BREAKDOWN) {
      const by = new Map();
      for (const e of events) if (onMain(e) && `${e.pid}:${e.tid}` === busiest) by.set(e.name, (by.get(e.name) ?? 0) + e.tdur);
      console.log([...by.entries()].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([n, t]) => `${n} ${(t / 1000 / text.length).toFixed(2)}`).join("; "));
    }
    const scriptMs = sum("EventDispatch");
    const keys = await p.evaluate(() => window.__keys);
    const dom = keys.map((k) => k.dom);
    const frame = keys.map((k) => k.frame);
    await p.keyboard.press("Escape");
    return { keys: keys.length, dom, frame, taskMs, scriptMs };
  };
  const report = (label, r) =>
    console.log(
      `${label} (${r.keys} keys): keydown → DOM updated p50 ${ms(quantile(r.dom, 0.5))}, p99 ${ms(quantile(r.dom, 0.99))}, max ${ms(Math.max(...r.dom))}; → next frame p50 ${ms(quantile(r.frame, 0.5))}, p99 ${ms(quantile(r.frame, 0.99))}; main-thread CPU ${r.taskMs.toFixed(2)} ms/key (in key/input event handlers ${r.scriptMs.toFixed(2)})  (load ${load()})`,
    );
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
  const dom = [...area.dom, ...areaText.dom];
  console.log(`targets: open ≤ 1.5 s (warm median ${ms(quantile(warm, 0.5))}), keystroke < 16.7 ms (p99 ${ms(quantile(dom, 0.99))})`);
} finally {
  await browser.close();
  await server.stop();
}
