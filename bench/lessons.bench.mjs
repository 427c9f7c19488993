// Full-run time of every lesson notebook in headless Chromium, per language: on the WASM backend
// (pinned through the kernel bar, as tests/e2e/lessons.e2e.ts does) and, with --calibrated, on the
// backend the kernel's calibration picks; with --node, the Node figure from scripts/check-lessons.ts
// (--json wallMs) beside it. Prints figures, never pass/fail; a lesson with failing cells is still
// timed and flagged. Target: under 60 s per lesson on a 2-core machine without a GPU.
//
//   node bench/lessons.bench.mjs [slug...] [--lang es|en] [--url URL] [--port 3230] [--repeat N]
//                                [--calibrated] [--node]
//
// A "full run" is what a student does after opening the lesson: every exercise gets its solution
// ("show solution" → "use solution"), then Run all, timed from the click until no cell is queued or
// running. tfjs is already loaded on the pinned backend when the clock starts (that load is printed
// apart as "backend ready"); DuckDB-Wasm loads inside the run, on the first SQL cell. Each run uses
// a fresh browser context (no cached calibration, no saved notebook). Without --url it starts its
// own server (bench/lib/server.mjs: `node scripts/start.mjs` with a temp database; build folder
// `.next-e2e-<port>` unless CUADERNO_DIST_DIR says otherwise).
import { chromium } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { CHROMIUM_ARGS, chromiumPath, INSTALL_HINT } from "../tests/browser.mjs";
import { root, startServer } from "./lib/server.mjs";

const argv = process.argv.slice(2);
const opts = { slugs: [], langs: ["es", "en"], url: null, port: 3230, repeat: 1, calibrated: false, node: false };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--lang") opts.langs = [argv[++i]];
  else if (a === "--url") opts.url = argv[++i];
  else if (a === "--port") opts.port = Number(argv[++i]);
  else if (a === "--repeat") opts.repeat = Math.max(1, Number(argv[++i]));
  else if (a === "--calibrated") opts.calibrated = true;
  else if (a === "--node") opts.node = true;
  else if (a.startsWith("-")) {
    console.error(`unknown option ${a}`);
    process.exit(2);
  } else opts.slugs.push(a);
}

const lessonsDir = join(root, "content", "lessons");
const lessons = readdirSync(lessonsDir)
  .filter((s) => existsSync(join(lessonsDir, s, "meta.json")))
  .map((s) => JSON.parse(readFileSync(join(lessonsDir, s, "meta.json"), "utf8")))
  .sort((a, b) => a.order - b.order)
  .filter((m) => opts.slugs.length === 0 || opts.slugs.includes(m.slug));

const load = () => loadavg().map((l) => l.toFixed(1)).join(" ");
const secs = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : "n/a");
const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] : NaN);
const TARGET_MS = 60_000;
const TICK_MS = 10; // USER_HZ is 100 on Linux

/**
 * CPU time (ms) of this process's descendants, the browser's processes, excluding the server's
 * subtree (scripts/start.mjs and its `next start`): what the lesson cost the machine, a figure that
 * moves much less with the load than wall time. Linux only; NaN elsewhere.
 */
function browserCpuMs() {
  try {
    const procs = new Map();
    for (const d of readdirSync("/proc")) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const stat = readFileSync(`/proc/${d}/stat`, "utf8");
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const cmd = readFileSync(`/proc/${d}/cmdline`, "utf8");
        procs.set(Number(d), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) * TICK_MS, server: cmd.includes("start.mjs") });
      } catch {
        // the process ended meanwhile
      }
    }
    const children = new Map();
    for (const [pid, p] of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
    let total = 0;
    const stack = [...(children.get(process.pid) ?? [])];
    while (stack.length) {
      const pid = stack.pop();
      const p = procs.get(pid);
      if (!p || p.server) continue;
      total += p.cpu;
      stack.push(...(children.get(pid) ?? []));
    }
    return total;
  } catch {
    return NaN;
  }
}
const RUN_TIMEOUT_MS = 15 * 60_000;

/** One full run of a lesson in a fresh context. backend: "wasm" pins it; null leaves calibration on. */
async function browserRun(browser, baseUrl, slug, lang, backend) {
  const context = await browser.newContext({ baseURL: baseUrl, locale: lang === "es" ? "es-AR" : "en-US" });
  const page = await context.newPage();
  page.on("dialog", (d) => void d.accept());
  try {
    const tOpen = Date.now();
    await page.goto(`/${lang}/lessons/${slug}`);
    await page.waitForSelector('[data-testid="notebook"][data-loaded="true"]', { timeout: 60_000 });
    if (backend) {
      await page.getByTestId("kernel-backend-select").selectOption(backend);
      await page.waitForSelector(`[data-testid="kernel-backend"][data-backend="${backend}"]`, { timeout: 120_000 });
    }
    const readyMs = Date.now() - tOpen;
    // Every exercise gets its solution, so Run all goes top to bottom.
    const exercises = page.locator('[data-testid="cell"][data-kind="exercise"]');
    for (let i = 0; i < (await exercises.count()); i++) {
      const ex = exercises.nth(i);
      const reveal = ex.getByTestId("exercise-show-solution");
      if (!(await reveal.count())) continue;
      await reveal.click();
      await ex.getByTestId("exercise-solution").getByRole("button").click();
    }
    const cpu0 = browserCpuMs();
    const t0 = await page.evaluate(() => performance.now());
    await page.getByTestId("run-all").click();
    await page.waitForFunction(
      () => {
        const statuses = [...document.querySelectorAll('[data-testid="cell-status"]')].map((e) => e.getAttribute("data-status"));
        return statuses.length > 0 && !statuses.some((s) => s === "queued" || s === "running") && statuses.some((s) => s !== "idle");
      },
      null,
      { timeout: RUN_TIMEOUT_MS, polling: 250 },
    );
    const runMs = (await page.evaluate(() => performance.now())) - t0;
    const cpuMs = browserCpuMs() - cpu0;
    const cells = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="cell"]')]
        .map((cell) => {
          const status = cell.querySelector('[data-testid="cell-status"]');
          if (!status) return null;
          // the header shows the run's duration ("850 ms", "12.3 s") in a span beside the status
          const texts = [...(status.parentElement?.children ?? [])].map((e) => (e.textContent ?? "").trim());
          const m = texts.map((t) => /^(\d+(?:\.\d+)?) (ms|s)$/.exec(t)).find(Boolean);
          return { id: cell.getAttribute("data-cell-id"), status: status.getAttribute("data-status"), ms: m ? Number(m[1]) * (m[2] === "s" ? 1000 : 1) : NaN };
        })
        .filter(Boolean),
    );
    const failed = cells.filter((c) => c.status !== "done");
    const backendUsed = await page.getByTestId("kernel-backend").getAttribute("data-backend");
    return { readyMs, runMs, cpuMs, cells, failed, backendUsed };
  } finally {
    await context.close();
  }
}

/** scripts/check-lessons.ts's own full-run time (wasm tfjs in Node), one fresh process. */
function nodeRun(slug, lang) {
  const tmp = mkdtempSync(join(tmpdir(), "lessons-bench-node-"));
  try {
    const out = join(tmp, "run.json");
    spawnSync(process.execPath, [join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/check-lessons.ts", slug, "--lang", lang, "--quiet", "--json", out], {
      cwd: root,
      stdio: "ignore",
    });
    if (!existsSync(out)) return null;
    const run = JSON.parse(readFileSync(out, "utf8")).runs?.[0];
    return run ? { ms: run.wallMs, failures: run.failures?.length ?? 0 } : null;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const executablePath = chromiumPath();
if (!executablePath) {
  console.error(INSTALL_HINT);
  process.exit(1);
}
console.log(`lessons.bench: ${lessons.length} lesson(s) × ${opts.langs.join("/")}, ${opts.repeat} run(s) each; load ${load()}`);
const server = await startServer({ url: opts.url, port: opts.port, log: (l) => console.log(`  [server] ${l}`) });
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
const rows = [];
try {
  const backends = ["wasm", ...(opts.calibrated ? [null] : [])];
  console.log(`${"lesson".padEnd(22)} lang  backend      run (p50)  browser CPU  backend ready  load           slowest cells`);
  for (const lesson of lessons) {
    for (const lang of opts.langs) {
      if (!existsSync(join(lessonsDir, lesson.slug, `${lang}.md`))) continue;
      for (const backend of backends) {
        const runs = [];
        let last = null;
        for (let r = 0; r < opts.repeat; r++) {
          try {
            last = await browserRun(browser, server.url, lesson.slug, lang, backend);
            runs.push(last);
          } catch (err) {
            console.log(`${lesson.slug.padEnd(22)} ${lang}    ${String(backend ?? "calibrated").padEnd(12)} did not finish: ${String(err?.message ?? err).split("\n")[0]}`);
          }
        }
        if (!runs.length) continue;
        const run = median(runs.map((x) => x.runMs));
        const ready = median(runs.map((x) => x.readyMs));
        const cpu = median(runs.map((x) => x.cpuMs));
        const slow = [...last.cells].filter((c) => Number.isFinite(c.ms)).sort((a, b) => b.ms - a.ms).slice(0, 3).map((c) => `${c.id} ${secs(c.ms)}`).join(", ");
        const label = backend ?? `auto→${last.backendUsed || "?"}`;
        const flag = last.failed.length ? `   [${last.failed.length} cell(s) not done: ${last.failed.map((c) => `${c.id}=${c.status}`).slice(0, 4).join(" ")}]` : "";
        const over = run > TARGET_MS ? "  (over 60 s)" : "";
        console.log(`${lesson.slug.padEnd(22)} ${lang}    ${label.padEnd(12)} ${secs(run).padStart(8)}${over}  ${secs(cpu).padStart(10)}  ${secs(ready).padStart(12)}  ${load().padEnd(14)} ${slow}${flag}`);
        rows.push({ slug: lesson.slug, lang, backend: label, runMs: run, cpuMs: cpu, failed: last.failed.length });
      }
      if (opts.node) {
        const n = nodeRun(lesson.slug, lang);
        console.log(`${lesson.slug.padEnd(22)} ${lang}    ${"node (wasm)".padEnd(12)} ${n ? secs(n.ms).padStart(8) : "     n/a"}${n?.failures ? `   [${n.failures} failure(s)]` : ""}`);
      }
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
const wasm = rows.filter((r) => r.backend === "wasm");
if (wasm.length) {
  const total = wasm.reduce((s, r) => s + r.runMs, 0);
  const cpu = wasm.reduce((s, r) => s + r.cpuMs, 0);
  console.log(`\nwasm: ${wasm.length} run(s), total ${secs(total)} (browser CPU ${secs(cpu)}), slowest ${secs(Math.max(...wasm.map((r) => r.runMs)))}; ${wasm.filter((r) => r.runMs > TARGET_MS).length} over the 60 s target; load ${load()}`);
}
