// The lesson check's kernel part (lib/teach/kernel-check.ts) in Node with the worker's own kernel
// core (KernelRuntime, TensorFlow.js on wasm, datasets from content/datasets): a cell that errors, a
// starter that passes its check and a solution that fails it are each reported on their cell; and
// the same check passes over built-in lessons, top to bottom (CI's run of "check lesson").
import "fake-indexeddb/auto";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadDataset, type FetchFn } from "@/lib/datasets/load";
import type { KernelEvent, RunEvent } from "@/lib/kernel/protocol";
import { KernelRuntime } from "@/lib/kernel/runtime";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import { kernelCheck, type CheckKernel } from "@/lib/teach/kernel-check";
import { loadNodeTf } from "../support/node-tf";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const diskFetch: FetchFn = async (input) => new Response(readFileSync(join(root, "content", "datasets", basename(input.split("?")[0]!))));

function nodeKernel(): CheckKernel {
  const events: KernelEvent[] = [];
  const rt = new KernelRuntime({
    emit: (e) => events.push(e),
    loadTf: () => loadNodeTf(),
    loadShow: () => import("@/lib/show"),
    loadMl: () => import("@/lib/ml"),
    datasetLoader: (name) => loadDataset(name, diskFetch),
  });
  let n = 0;
  return {
    async run(cell) {
      const runId = `r${++n}`;
      if (cell.kind === "sql") return { status: "error", error: "SQL is not run in this Node check" };
      const done = await rt.run({ runId, cellId: cell.id, source: cell.source, kind: cell.kind, ...(cell.check !== undefined ? { check: cell.check } : {}) });
      const error = events
        .filter((e): e is RunEvent => "runId" in e && e.runId === runId && e.type === "error")
        .map((e) => String((e as { message?: unknown }).message ?? ""))
        .join(" | ");
      return { status: done.status, ...(done.check ? { check: done.check } : {}), error };
    },
  };
}

const LESSON = `# Prueba

\`\`\`ts id=ok
const xs = [1, 2, 3];
\`\`\`

\`\`\`ts id=broken
xs.nope();
\`\`\`

~~~exercise id=too-easy
--- starter
const total = 6;
--- check
check(total === 6, "total");
--- solution
const total = xs.reduce((a, b) => a + b, 0);
~~~

~~~exercise id=wrong-solution
--- starter
const mean = 0;
--- check
check(mean === 2, "mean debe ser 2");
--- solution
const mean = 3;
~~~

~~~exercise id=fine
--- starter
const biggest = 0;
--- check
check(biggest === 3, "biggest");
--- solution
const biggest = Math.max(...xs);
~~~
`;

describe("lesson check in a kernel", () => {
  it("reports an erroring cell, a starter that passes and a solution that fails, each on its cell", async () => {
    const problems = await kernelCheck(parseLessonMarkdown(LESSON), "es", nodeKernel());
    expect(problems.map((p) => [p.key, p.cellId])).toEqual([
      ["cellError", "broken"],
      ["starterPassesCheck", "too-easy"],
      ["solutionFailsCheck", "wrong-solution"],
    ]);
    expect(problems[0]!.message).toMatch(/nope/);
    expect(problems[2]!.message).toMatch(/mean debe ser 2/);
  });

  for (const slug of (process.env.TEACH_ALL ? ["mlops-intro", "metrics-baselines", "splits-leakage", "imbalance", "augmentation", "model-development", "deployment-monitoring"] : ["mlops-intro", "metrics-baselines"])) {
    it(`passes over the built-in lesson "${slug}" top to bottom`, async () => {
      const doc = parseLessonMarkdown(readFileSync(join(root, "content", "lessons", slug, "es.md"), "utf8"));
      const sql = new Map(doc.cells.filter((c) => c.kind === "sql").map((c) => [c.id as string, "SQL runs in the browser check"]));
      expect(await kernelCheck(doc, "es", nodeKernel(), { skip: sql })).toEqual([]);
    }, 300_000);
  }
});
