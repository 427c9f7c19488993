// Every lesson exercise behaves in the notebook kernel (content/lessons/README.md: "A solution must
// pass its check; the starter must not"): for each exercise, the cells it depends on run first
// (static dependencies, lib/notebook/dependencies.ts), then its starter runs with its `--- check`
// and must not pass, then its solution must. The kernel is the worker's own core (KernelRuntime)
// in Node, TensorFlow.js on the wasm backend (tests/unit/support/node-tf.ts), datasets read from content/datasets through the
// catalog loader. tests/e2e/lessons.e2e.ts runs the same in a browser on wasm, every cell; this
// one is quick enough for every change to a lesson.
import "fake-indexeddb/auto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadDataset, type FetchFn } from "@/lib/datasets/load";
import type { KernelEvent, RunEvent } from "@/lib/kernel/protocol";
import { KernelRuntime } from "@/lib/kernel/runtime";
import { analyzeTypeScript } from "@/lib/notebook/dependencies";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import type { Cell } from "@/lib/notebook/types";
import { loadNodeTf } from "../support/node-tf";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const lessonsDir = join(root, "content", "lessons");
const slugs = readdirSync(lessonsDir).filter((d) => statSync(join(lessonsDir, d)).isDirectory()).sort();

/** The app serves content/datasets at /datasets; here the same files come from disk. */
const diskFetch: FetchFn = async (input) => new Response(readFileSync(join(root, "content", "datasets", basename(input.split("?")[0]!))));

function kernel() {
  const events: KernelEvent[] = [];
  const rt = new KernelRuntime({
    emit: (e) => events.push(e),
    loadTf: () => loadNodeTf(),
    loadShow: () => import("@/lib/show"),
    loadMl: () => import("@/lib/ml"),
    datasetLoader: (name) => loadDataset(name, diskFetch),
  });
  let n = 0;
  return async (cellId: string, source: string, kind: "code" | "exercise", check?: string) => {
    const runId = `r${++n}`;
    const done = await rt.run({ runId, cellId, source, kind, ...(check !== undefined ? { check } : {}) });
    const errors = events.filter((e): e is RunEvent => "runId" in e && e.runId === runId && e.type === "error");
    return { done, error: errors.map((e) => String((e as { message?: unknown }).message ?? "")).join(" | ").slice(0, 300) };
  };
}

type Runnable = Extract<Cell, { kind: "code" | "exercise" }>;

/** Names a cell defines and uses; an exercise defines what its solution defines and uses what any of its parts use. */
function names(c: Runnable): { defs: string[]; uses: string[]; tables: string[] } {
  if (c.kind === "code") {
    const a = analyzeTypeScript(c.source);
    return { defs: a.defs, uses: a.uses, tables: a.tables ?? [] };
  }
  const parts = [c.solution, c.check, c.starter].map(analyzeTypeScript);
  const defs = parts[0]!.defs;
  return { defs, uses: [...new Set(parts.flatMap((p) => p.uses))].filter((u) => !defs.includes(u)), tables: [] };
}

/**
 * Code cells that need a browser API Node does not have, with the reason. They and the exercises
 * depending on them run only in tests/e2e/lessons.e2e.ts; the list is exact (checked below), so
 * it cannot grow unnoticed.
 */
const BROWSER_ONLY_CELLS: Record<string, Record<string, string>> = {
  "deployment-monitoring": { "save-load": "tf.io saves the model to indexeddb://, a browser save handler" },
};

describe.each(slugs)("lesson %s", (slug) => {
  it.each(["es", "en"])("%s: every exercise's starter fails its check and its solution passes it", async (lang) => {
    const doc = parseLessonMarkdown(readFileSync(join(lessonsDir, slug, `${lang}.md`), "utf8"));
    const cells = doc.cells.filter((c): c is Runnable => c.kind === "code" || c.kind === "exercise");
    const info = cells.map(names);
    for (const c of cells) expect(analyzeTypeScript(c.kind === "code" ? c.source : c.solution).error, `${c.id} parses`).toBeUndefined();
    // The exercises and, transitively, the last earlier definer of every name they use.
    const deps = info.map((x, i) =>
      x.uses.flatMap((u) => {
        for (let j = i - 1; j >= 0; j--) if (info[j]!.defs.includes(u) || info[j]!.tables.includes(u)) return [j];
        return [];
      }),
    );
    const needed = new Set<number>();
    const need = (i: number) => {
      if (needed.has(i)) return;
      needed.add(i);
      deps[i]!.forEach(need);
    };
    cells.forEach((c, i) => c.kind === "exercise" && need(i));
    expect(cells.some((c) => c.kind === "exercise"), "the lesson has exercises").toBe(true);
    const browserOnly = BROWSER_ONLY_CELLS[slug] ?? {};
    const blocked = new Set<number>();
    cells.forEach((c, i) => {
      if (c.id in browserOnly || deps[i]!.some((j) => blocked.has(j))) blocked.add(i);
    });
    expect(cells.filter((c) => c.id in browserOnly).map((c) => c.id), "the browser-only cells exist").toEqual(Object.keys(browserOnly));
    // A graded exercise never depends on a browser-only cell (the server grades it without one).
    const blockedExercises = cells.filter((c, i) => c.kind === "exercise" && blocked.has(i));
    expect(blockedExercises.filter((c) => c.kind === "exercise" && c.tests !== undefined).map((c) => c.id), "graded exercises left to the browser").toEqual([]);

    const run = kernel();
    const failures: string[] = [];
    for (let i = 0; i < cells.length; i++) {
      if (!needed.has(i) || blocked.has(i)) continue;
      const c = cells[i]!;
      if (c.kind === "code") {
        const r = await run(c.id, c.source, "code");
        if (r.done.status !== "ok") failures.push(`${c.id} (a cell an exercise needs) failed: ${r.error}`);
        continue;
      }
      const starter = await run(c.id, c.starter, "exercise", c.check);
      if (starter.done.check === "passed") failures.push(`${c.id}: the starter passes its check`);
      const solution = await run(c.id, c.solution, "exercise", c.check);
      if (solution.done.check !== "passed") failures.push(`${c.id}: the solution does not pass its check (${solution.done.status}): ${solution.error}`);
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
