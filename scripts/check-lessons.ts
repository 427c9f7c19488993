// Runs every lesson notebook in Node with the real kernel core (lib/kernel/runtime.ts: same
// transpiler, scope and globals as the browser worker) and reports what fails. Developer tool and
// benchmark; not part of `npm test`.
//
//   npx tsx scripts/check-lessons.ts [slug...] [--lang es|en] [--backend wasm|cpu] [--json FILE]
//                                    [--cell-timeout SECONDS] [--quiet] [--outputs]
//
// For each lesson (content/lessons/<slug>/{meta.json,es.md,en.md}) and language, top to bottom:
//   - code cells run as the page runs them;
//   - an exercise cell runs its STARTER + check first (it must FAIL), then its SOLUTION + check
//     (it must pass). The starter runs in the scope the solution will see; afterwards the scope's
//     bindings are restored (names the starter added are removed, names it reassigned get their
//     old values back), so the solution does not lean on the starter. In-place mutations of
//     objects by a starter are not undone (a student running the starter first sees them too).
//   - SQL cells run on DuckDB-Wasm's Node build (@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs);
//     if it cannot start they are reported as "not run in Node".
// Datasets come from content/datasets/ through lib/datasets' loader (hash-checked), exactly the
// files the app serves. tfjs uses the wasm backend by default (setWasmPaths to the package's dist/);
// "indexeddb://" and "localstorage://" model URLs are served from memory (the browser stores).
// The kernel runs signed out (no server): cells that need one (content/lessons/deployment-monitoring's
// server cells) must say so and pass.
//
// Exit status: 0 when every cell ran, every solution passed and every starter failed; 1 otherwise;
// 2 on bad arguments.
//
// Per-lesson full-run times (benchmark): the "wall" figure per lesson × language is one full run in
// a fresh kernel (tfjs and DuckDB start-up are paid once per process, by the first lesson; the
// "setup" line reports that). `--json FILE` writes {lesson, lang, wallMs, cells:[{id, kind, ms,
// status}]...} for bench/ (bench/lessons-node.mjs wraps it and prints p50 over repeats).

// `track` keeps a signed-out student's runs in IndexedDB, as the browser does; Node has none.
import "fake-indexeddb/auto";
import { readFile, readdir, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import type { Cell, NotebookDocument } from "@/lib/notebook/types";
import { KernelRuntime, type SqlEngine, type TfLike } from "@/lib/kernel/runtime";
import type { KernelEvent, RunKind } from "@/lib/kernel/protocol";
import { arrowToDataset, tableIdentifier, toCsv } from "@/lib/kernel/sql";
import { loadDataset, type FetchFn } from "@/lib/datasets/load";
import type { Dataset } from "@/lib/datasets/types";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const LESSONS_DIR = path.join(ROOT, "content/lessons");
const DATASETS_DIR = path.join(ROOT, "content/datasets");
const require_ = createRequire(import.meta.url);

type Lang = "es" | "en";
type Backend = "wasm" | "cpu";

interface Options {
  slugs: string[];
  langs: Lang[];
  backend: Backend;
  json?: string;
  cellTimeoutS: number;
  quiet: boolean;
  /** Print each run's text outputs (results, displays, console), to check the prose's numbers. */
  outputs: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { slugs: [], langs: ["es", "en"], backend: "wasm", cellTimeoutS: 180, quiet: false, outputs: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === "--lang") {
      const v = next();
      if (v !== "es" && v !== "en") usage(`--lang must be es or en`);
      o.langs = [v];
    } else if (a === "--backend") {
      const v = next();
      if (v !== "wasm" && v !== "cpu") usage(`--backend must be wasm or cpu`);
      o.backend = v;
    } else if (a === "--json") o.json = next();
    else if (a === "--cell-timeout") o.cellTimeoutS = Number(next());
    else if (a === "--quiet") o.quiet = true;
    else if (a === "--outputs") o.outputs = true;
    else if (a === "-h" || a === "--help") usage();
    else if (a.startsWith("-")) usage(`unknown option ${a}`);
    else o.slugs.push(a);
  }
  return o;
}

function usage(error?: string): never {
  if (error) console.error(`check-lessons: ${error}`);
  console.error("usage: npx tsx scripts/check-lessons.ts [slug...] [--lang es|en] [--backend wasm|cpu] [--json FILE] [--cell-timeout S] [--quiet] [--outputs]");
  process.exit(error ? 2 : 0);
}

// ---------------------------------------------------------------------------------------------
// Environment: tfjs, datasets and DuckDB in Node.

let tfPromise: Promise<TfLike> | null = null;
function loadTf(backend: Backend): Promise<TfLike> {
  tfPromise ??= (async () => {
    const tf = await import("@tensorflow/tfjs");
    if (backend === "wasm") {
      const wasm = await import("@tensorflow/tfjs-backend-wasm");
      const dist = path.dirname(require_.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
      wasm.setWasmPaths(dist + path.sep);
    }
    if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not start`);
    await tf.ready();
    registerBrowserStorageStandIns(tf);
    return tf as unknown as TfLike;
  })();
  return tfPromise;
}

// The browser's model stores (`model.save("indexeddb://name")`, "localstorage://") do not exist in
// Node; lessons save and reload models with them. An in-memory store per URL stands in (the same
// ModelArtifacts round trip, without persistence across processes).
function registerBrowserStorageStandIns(tf: typeof import("@tensorflow/tfjs")): void {
  const store = new Map<string, import("@tensorflow/tfjs").io.ModelArtifacts>();
  const handlerFor = (url: string): import("@tensorflow/tfjs").io.IOHandler => ({
    async save(artifacts) {
      store.set(url, artifacts);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load() {
      const a = store.get(url);
      if (!a) throw new Error(`Cannot find model with path '${url}' (nothing was saved there in this run)`);
      return a;
    },
  });
  // tfjs asks every router and skips those that answer null (its IORouter type says IOHandler).
  const router = ((url: string | string[]) => {
    const u = Array.isArray(url) ? url[0] : url;
    return typeof u === "string" && /^(indexeddb|localstorage):\/\//.test(u) ? handlerFor(u) : null;
  }) as Parameters<typeof tf.io.registerSaveRouter>[0];
  tf.io.registerSaveRouter(router);
  tf.io.registerLoadRouter(router);
}

/** lib/datasets' FetchFn over content/datasets/ (the files the app serves under /datasets). */
const fileFetch: FetchFn = async (input) => {
  const url = new URL(input, "http://local/");
  const rel = decodeURIComponent(url.pathname.replace(/^\/datasets\//, ""));
  const file = path.join(DATASETS_DIR, rel);
  if (!file.startsWith(DATASETS_DIR + path.sep)) return new Response(null, { status: 403 });
  try {
    return new Response(await readFile(file));
  } catch {
    return new Response(null, { status: 404 });
  }
};

// Fresh per kernel, as in the browser (a new worker loads and hash-checks its datasets again).
const loadDatasetFromDisk = (name: string): Promise<Dataset> => loadDataset(name, fileFetch, { baseUrl: "/datasets" });

interface DuckNode {
  createDuckDB(bundles: object, logger: object, runtime: object): Promise<{
    instantiate(): Promise<unknown>;
    connect(): { query(text: string): unknown; prepare(text: string): { query(...p: unknown[]): unknown }; insertCSVFromPath(file: string, o: object): void };
    registerFileText(name: string, text: string): void;
    dropFile(name: string): void;
  }>;
  NODE_RUNTIME: object;
  VoidLogger: new () => object;
}

let duckPromise: Promise<DuckNode | null> | null = null;
let duckError = "";
async function duckModule(): Promise<DuckNode | null> {
  duckPromise ??= (async () => {
    try {
      return require_("@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs") as DuckNode;
    } catch (err) {
      duckError = (err as Error).message;
      return null;
    }
  })();
  return duckPromise;
}

/** The SqlEngine of lib/kernel/sql.ts, on DuckDB-Wasm's blocking Node build. */
async function createNodeDuckDb(): Promise<SqlEngine> {
  const duckdb = await duckModule();
  if (!duckdb) throw new Error(`DuckDB does not start in Node: ${duckError}`);
  const dist = path.dirname(require_.resolve("@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs"));
  const db = await duckdb.createDuckDB(
    {
      mvp: { mainModule: path.join(dist, "duckdb-mvp.wasm"), mainWorker: path.join(dist, "duckdb-node-mvp.worker.cjs") },
      eh: { mainModule: path.join(dist, "duckdb-eh.wasm"), mainWorker: path.join(dist, "duckdb-node-eh.worker.cjs") },
    },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME,
  );
  await db.instantiate();
  const conn = db.connect();
  type Arrow = Parameters<typeof arrowToDataset>[0];
  return {
    async query(text: string, params: unknown[] = []) {
      const result = params.length ? conn.prepare(text).query(...params) : conn.query(text);
      return arrowToDataset(result as Arrow);
    },
    async registerDataset(ds: Dataset) {
      if (ds.kind !== "table") return;
      const id = tableIdentifier(ds.name);
      const file = `${id}.csv`;
      try {
        conn.query(`DROP VIEW IF EXISTS "${ds.name.replace(/"/g, '""')}"`);
      } catch {
        // not a view
      }
      conn.query(`DROP TABLE IF EXISTS ${id}`);
      db.registerFileText(file, toCsv(ds.columns, ds.rows));
      conn.insertCSVFromPath(file, { name: id, header: true, detect: true });
      db.dropFile(file);
      if (id !== ds.name) conn.query(`CREATE VIEW "${ds.name.replace(/"/g, '""')}" AS SELECT * FROM ${id}`);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Running one notebook.

export interface CellResult {
  id: string;
  kind: "code" | "sql" | "exercise-starter" | "exercise-solution";
  status: "ok" | "error" | "interrupted" | "skipped";
  ms: number;
  /** For exercises: the check's verdict. */
  check?: "passed" | "failed";
  error?: { name: string; message: string; line?: number };
  /** Starter: fails as it must; solution: passes. */
  verdictOk?: boolean;
  note?: string;
}

export interface LessonRun {
  lesson: string;
  lang: Lang;
  wallMs: number;
  cells: CellResult[];
  failures: string[];
  sqlNotRun: number;
}

let currentKernel: KernelRuntime | null = null;

export async function runNotebook(
  lesson: string,
  lang: Lang,
  doc: NotebookDocument,
  opts: { backend: Backend; cellTimeoutS: number; sqlAvailable: boolean; log?: (s: string) => void; outputs?: boolean },
): Promise<LessonRun> {
  const events: KernelEvent[] = [];
  const kernel = new KernelRuntime({
    emit: (e) => events.push(e),
    loadTf: () => loadTf(opts.backend),
    loadMl: () => import("@/lib/ml"),
    loadShow: () => import("@/lib/show"),
    loadSql: opts.sqlAvailable ? () => createNodeDuckDb() : undefined,
    datasetLoader: loadDatasetFromDisk,
  });
  currentKernel = kernel;
  const log = opts.log ?? (() => {});
  const cells: CellResult[] = [];
  const failures: string[] = [];
  let sqlNotRun = 0;
  let n = 0;

  const run = async (cell: Cell, source: string, kind: RunKind, check?: string) => {
    const runId = `r${++n}`;
    const timer = setTimeout(() => kernel.executor.interrupt(), opts.cellTimeoutS * 1000);
    const t0 = performance.now();
    try {
      const done = await kernel.run({ runId, cellId: cell.id, source, kind, check });
      const ms = performance.now() - t0;
      const err = events.find((e) => e.type === "error" && "runId" in e && e.runId === runId) as
        | Extract<KernelEvent, { type: "error" }>
        | undefined;
      if (opts.outputs) {
        for (const e of events) {
          if (!("runId" in e) || e.runId !== runId) continue;
          const text =
            e.type === "stream" ? e.text.trimEnd() : e.type === "result" || e.type === "display" ? String(e.data["text/plain"] ?? "") : "";
          if (text && !(e.type === "display" && e.update)) log(text.split("\n").slice(0, 40).map((l) => `      | ${l}`).join("\n"));
        }
      }
      return { done, ms, err };
    } finally {
      clearTimeout(timer);
    }
  };

  const t0 = performance.now();
  for (const cell of doc.cells) {
    if (cell.kind === "markdown" || cell.kind === "quiz") continue;
    if (cell.kind === "sql" && !opts.sqlAvailable) {
      sqlNotRun++;
      cells.push({ id: cell.id, kind: "sql", status: "skipped", ms: 0, note: "not run in Node (DuckDB unavailable)" });
      continue;
    }
    if (cell.kind === "code" || cell.kind === "sql") {
      const r = await run(cell, cell.source, cell.kind);
      const res: CellResult = { id: cell.id, kind: cell.kind, status: r.done.status, ms: r.ms };
      if (r.err) res.error = { name: r.err.name, message: r.err.message, ...(r.err.line ? { line: r.err.line } : {}) };
      if (r.done.status === "interrupted") res.note = `stopped after ${opts.cellTimeoutS}s`;
      cells.push(res);
      if (r.done.status !== "ok") failures.push(`${cell.id}: ${res.error?.name ?? r.done.status}: ${res.error?.message ?? ""}`);
      log(`  ${fmtStatus(res)} ${cell.id} (${cell.kind}) ${fmtMs(r.ms)}${res.error ? `  ${res.error.name}: ${res.error.message}` : ""}`);
      continue;
    }
    // Exercise: starter (must fail) in the scope the solution will get, then restore and run the solution.
    const values = kernel.scope.values;
    const snapshot = new Map(Object.keys(values).map((k) => [k, values[k]]));
    const s = await run(cell, cell.starter, "exercise", cell.check);
    for (const k of Object.keys(values)) if (!snapshot.has(k)) delete values[k];
    for (const [k, v] of snapshot) values[k] = v;
    const starterFailed = s.done.status !== "ok";
    const sres: CellResult = {
      id: cell.id,
      kind: "exercise-starter",
      status: s.done.status,
      ms: s.ms,
      ...(s.done.check ? { check: s.done.check } : {}),
      ...(s.err ? { error: { name: s.err.name, message: s.err.message, ...(s.err.line ? { line: s.err.line } : {}) } } : {}),
      verdictOk: starterFailed && s.done.status !== "interrupted",
    };
    if (s.done.status === "interrupted") {
      sres.note = `starter ran past ${opts.cellTimeoutS}s`;
      failures.push(`${cell.id} [starter]: ran past ${opts.cellTimeoutS}s`);
    } else if (!starterFailed) failures.push(`${cell.id} [starter]: the starter PASSES its check (it must fail)`);
    cells.push(sres);
    log(
      `  ${sres.verdictOk ? "ok  " : "FAIL"} ${cell.id} (starter ${starterFailed ? "fails as it must" : "PASSES"}` +
        // A starter should fail on its check; another error (often a name an earlier failed cell did not define) is suspect.
        `${starterFailed && s.err && s.err.name !== "CheckError" ? ", but not on its check" : ""}) ${fmtMs(s.ms)}` +
        (s.err ? `  ${s.err.name}: ${s.err.message}` : ""),
    );

    const r = await run(cell, cell.solution, "exercise", cell.check);
    const res: CellResult = {
      id: cell.id,
      kind: "exercise-solution",
      status: r.done.status,
      ms: r.ms,
      ...(r.done.check ? { check: r.done.check } : {}),
      ...(r.err ? { error: { name: r.err.name, message: r.err.message, ...(r.err.line ? { line: r.err.line } : {}) } } : {}),
      verdictOk: r.done.status === "ok" && r.done.check === "passed",
    };
    if (!res.verdictOk) failures.push(`${cell.id} [solution]: ${res.error?.name ?? r.done.status}: ${res.error?.message ?? ""}`);
    cells.push(res);
    log(`  ${res.verdictOk ? "ok  " : "FAIL"} ${cell.id} (solution ${res.verdictOk ? "passes" : "FAILS"}) ${fmtMs(r.ms)}${r.err ? `  ${r.err.name}: ${r.err.message}` : ""}`);
  }
  const wallMs = performance.now() - t0;
  currentKernel = null;
  return { lesson, lang, wallMs, cells, failures, sqlNotRun };
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
function fmtStatus(r: CellResult): string {
  return r.status === "ok" ? "ok  " : r.status === "skipped" ? "skip" : "FAIL";
}

// ---------------------------------------------------------------------------------------------

export async function listLessons(): Promise<string[]> {
  const names = await readdir(LESSONS_DIR);
  const out: string[] = [];
  for (const n of names) if ((await stat(path.join(LESSONS_DIR, n))).isDirectory()) out.push(n);
  // meta.json order when present, then by name
  const order = async (slug: string) => {
    try {
      return Number(JSON.parse(await readFile(path.join(LESSONS_DIR, slug, "meta.json"), "utf8")).order) || 99;
    } catch {
      return 99;
    }
  };
  const keyed = await Promise.all(out.map(async (s) => [await order(s), s] as const));
  return keyed.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1])).map(([, s]) => s);
}

export async function checkLessons(opts: Options): Promise<{ runs: LessonRun[]; problems: string[] }> {
  const slugs = opts.slugs.length ? opts.slugs : await listLessons();
  const runs: LessonRun[] = [];
  const problems: string[] = [];
  const log = opts.quiet ? () => {} : (s: string) => console.log(s);

  // Start-up (paid once per process): tfjs backend, DuckDB.
  const s0 = performance.now();
  await loadTf(opts.backend);
  let sqlAvailable = false;
  try {
    const engine = await createNodeDuckDb();
    await engine.query("SELECT 42 AS answer");
    sqlAvailable = true;
  } catch (err) {
    duckError ||= (err as Error).message;
  }
  console.log(
    `setup: tfjs ${opts.backend} + ${sqlAvailable ? "DuckDB (Node)" : `no DuckDB (${duckError})`} in ${fmtMs(performance.now() - s0)}; ` +
      `load average ${(await loadAverage()).join(" ")}`,
  );

  for (const slug of slugs) {
    const dir = path.join(LESSONS_DIR, slug);
    let meta: { slug?: string; datasets?: string[] } = {};
    try {
      meta = JSON.parse(await readFile(path.join(dir, "meta.json"), "utf8"));
    } catch (err) {
      problems.push(`${slug}: meta.json missing or invalid (${(err as Error).message.split("\n")[0]})`);
    }
    const ids: Partial<Record<Lang, string[]>> = {};
    for (const lang of opts.langs) {
      let text: string;
      try {
        text = await readFile(path.join(dir, `${lang}.md`), "utf8");
      } catch {
        problems.push(`${slug}/${lang}: ${lang}.md missing`);
        console.log(`\n== ${slug} [${lang}]: ${lang}.md missing`);
        continue;
      }
      let doc: NotebookDocument;
      try {
        doc = parseLessonMarkdown(text, { locale: lang, lessonSlug: slug, datasets: meta.datasets });
      } catch (err) {
        problems.push(`${slug}/${lang}: does not parse: ${(err as Error).message}`);
        console.log(`\n== ${slug} [${lang}]: does not parse: ${(err as Error).message}`);
        continue;
      }
      ids[lang] = doc.cells.filter((c) => c.kind !== "markdown").map((c) => c.id);
      console.log(`\n== ${slug} [${lang}]`);
      const r = await runNotebook(slug, lang, doc, { backend: opts.backend, cellTimeoutS: opts.cellTimeoutS, sqlAvailable, log, outputs: opts.outputs });
      runs.push(r);
      const ran = r.cells.filter((c) => c.status !== "skipped");
      const ex = r.cells.filter((c) => c.kind === "exercise-solution");
      const st = r.cells.filter((c) => c.kind === "exercise-starter");
      console.log(
        `-- ${slug} [${lang}]: ${ran.length} runs (${r.cells.filter((c) => c.kind === "code").length} code, ` +
          `${r.cells.filter((c) => c.kind === "sql" && c.status !== "skipped").length} sql` +
          (r.sqlNotRun ? `, ${r.sqlNotRun} sql not run in Node` : "") +
          `), exercises: ${ex.filter((c) => c.verdictOk).length}/${ex.length} solutions pass, ` +
          `${st.filter((c) => c.verdictOk).length}/${st.length} starters fail; ` +
          `${r.failures.length} failure(s); wall ${fmtMs(r.wallMs)}; load ${(await loadAverage()).join(" ")}`,
      );
      for (const f of r.failures) console.log(`   ! ${f}`);
    }
    if (ids.es && ids.en && ids.es.join(",") !== ids.en.join(",")) {
      problems.push(`${slug}: es and en have different non-markdown cells/ids (es: ${ids.es.length}, en: ${ids.en.length})`);
    }
  }
  return { runs, problems };
}

async function loadAverage(): Promise<string[]> {
  const os = await import("node:os");
  return os.loadavg().map((l) => l.toFixed(1));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  // Errors thrown later by a cell's timers or promises: attribute them to the running cell, as the worker does.
  const late = (err: unknown) => {
    const ctx = currentKernel?.executor.activeContext;
    const e = err as Error;
    const msg = `Uncaught ${e?.name ?? "Error"}: ${e?.message ?? String(err)}`;
    if (ctx) ctx.stream("stderr", msg + "\n");
    console.error(`  (late error${ctx ? ` in ${ctx.cellId}` : ""}) ${msg}`);
  };
  process.on("unhandledRejection", late);
  process.on("uncaughtException", late);

  const t0 = performance.now();
  const { runs, problems } = await checkLessons(opts);
  console.log("\n== summary");
  for (const r of runs) {
    console.log(`${r.failures.length ? "FAIL" : "ok  "} ${r.lesson.padEnd(24)} ${r.lang}  ${fmtMs(r.wallMs).padStart(8)}  ${r.failures.length} failure(s)`);
  }
  for (const p of problems) console.log(`FAIL ${p}`);
  console.log(`total ${fmtMs(performance.now() - t0)}`);
  if (opts.json) {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(opts.json, JSON.stringify({ backend: opts.backend, runs, problems }, null, 2));
  }
  const failed = problems.length > 0 || runs.some((r) => r.failures.length > 0);
  process.exit(failed ? 1 : 0);
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
