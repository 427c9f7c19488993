// The lesson check's run-time part (issue 15 point 4): every cell of one language runs top to
// bottom in a kernel — the author's browser worker, or KernelRuntime in Node for CI. Code and SQL
// cells must not error; each exercise's starter must fail its browser check and its solution must
// pass it (the starter runs first, as a student would, then the solution in the same scope).
// The kernel is behind a one-method interface so the same rules run in both places.
import type { NotebookDocument } from "@/lib/notebook/types";
import type { LessonLocale } from "./bundle";
import type { CheckProblem } from "./check";

export interface CellRun {
  status: "ok" | "error" | "interrupted";
  /** Exercises: the browser check's verdict. */
  check?: "passed" | "failed";
  /** The error's text, when there was one. */
  error: string;
}

export interface CheckKernel {
  run(cell: { id: string; kind: "code" | "sql" | "exercise"; source: string; check?: string }): Promise<CellRun>;
}

export interface KernelCheckOptions {
  /** Cells not to run here (those that need a browser API Node lacks), with the reason. */
  skip?: ReadonlyMap<string, string>;
  /** Called before each cell runs (progress in the editor). */
  onCell?: (cellId: string, index: number, total: number) => void;
}

export async function kernelCheck(doc: NotebookDocument, locale: LessonLocale, kernel: CheckKernel, options: KernelCheckOptions = {}): Promise<CheckProblem[]> {
  const out: CheckProblem[] = [];
  const runnable = doc.cells.filter((c) => c.kind === "code" || c.kind === "sql" || c.kind === "exercise");
  for (const [i, cell] of runnable.entries()) {
    if (options.skip?.has(cell.id)) continue;
    options.onCell?.(cell.id, i, runnable.length);
    const at = { cellId: cell.id as string, locale };
    if (cell.kind === "code" || cell.kind === "sql") {
      const r = await kernel.run({ id: cell.id, kind: cell.kind, source: cell.source });
      if (r.status !== "ok") out.push({ ...at, key: "cellError", params: { message: r.error }, message: `the cell fails: ${r.error}` });
      continue;
    }
    if (cell.kind !== "exercise") continue;
    const starter = await kernel.run({ id: cell.id, kind: "exercise", source: cell.starter, check: cell.check });
    if (starter.check === "passed") out.push({ ...at, key: "starterPassesCheck", params: {}, message: "the starter already passes the browser check" });
    const solution = await kernel.run({ id: cell.id, kind: "exercise", source: cell.solution, check: cell.check });
    if (solution.check !== "passed") out.push({ ...at, key: "solutionFailsCheck", params: { message: solution.error }, message: `the solution does not pass the browser check: ${solution.error}` });
  }
  return out;
}
