// "Lesson updated" (issue 15 point 5): a student's copy started from one published version of a
// lesson and a newer one is out. Cells the student never touched take the new version; cells only
// the student changed keep the student's text; cells both changed are the student's choice, one
// by one. Documents here are the public ones (no hidden parts): this runs in the browser.
import { stableStringify } from "@/lib/notebook/document";
import type { Cell, NotebookDocument } from "@/lib/notebook/types";
import { sameAuthoredCell } from "./diff";

/** What a student writes in a cell of their copy (an exercise's code is its `source`). */
function studentText(cell: Cell): string {
  return cell.kind === "quiz" ? stableStringify(cell.questions) : cell.source;
}

export interface UpdateConflict {
  cellId: string;
  /** "changed": both changed it; "removed": the new version dropped a cell the student edited. */
  reason: "changed" | "removed";
  mine: Cell;
  theirs: Cell | null;
}

export interface LessonUpdatePlan {
  conflicts: UpdateConflict[];
  /** Cells the new version changes that the student had not touched (taken as they are). */
  taken: string[];
  /** Cells the student changed that the new version did not (kept). */
  kept: string[];
}

function edited(base: Cell | undefined, mine: Cell): boolean {
  return !base || base.kind !== mine.kind || studentText(base) !== studentText(mine);
}

export function planLessonUpdate(base: NotebookDocument, next: NotebookDocument, mine: NotebookDocument): LessonUpdatePlan {
  const baseById = new Map(base.cells.map((c) => [c.id as string, c]));
  const nextById = new Map(next.cells.map((c) => [c.id as string, c]));
  const plan: LessonUpdatePlan = { conflicts: [], taken: [], kept: [] };
  for (const cell of mine.cells) {
    const b = baseById.get(cell.id);
    const n = nextById.get(cell.id);
    const mineEdited = b ? edited(b, cell) : false;
    if (!b) continue; // the student's own cell: kept where it stands
    if (!n) {
      if (mineEdited) plan.conflicts.push({ cellId: cell.id, reason: "removed", mine: cell, theirs: null });
      continue;
    }
    const authorChanged = !sameAuthoredCell(b, n);
    if (mineEdited && authorChanged) plan.conflicts.push({ cellId: cell.id, reason: "changed", mine: cell, theirs: n });
    else if (mineEdited) plan.kept.push(cell.id);
    else if (authorChanged) plan.taken.push(cell.id);
  }
  for (const n of next.cells) if (!baseById.has(n.id) && !mine.cells.some((c) => c.id === n.id)) plan.taken.push(n.id);
  return plan;
}

/**
 * The student's copy on the new version: the new version's cells in its order, the student's
 * text where they keep it (an exercise keeps its new statement, check and starter, with the
 * student's code), their own cells after the cell they followed. `choices` defaults to "mine".
 */
export function applyLessonUpdate(base: NotebookDocument, next: NotebookDocument, mine: NotebookDocument, choices: Record<string, "mine" | "new"> = {}): NotebookDocument {
  const baseById = new Map(base.cells.map((c) => [c.id as string, c]));
  const mineById = new Map(mine.cells.map((c) => [c.id as string, c]));
  const plan = planLessonUpdate(base, next, mine);
  const conflict = new Map(plan.conflicts.map((c) => [c.cellId, c]));
  const keepMine = (id: string) => plan.kept.includes(id) || (conflict.has(id) && (choices[id] ?? "mine") === "mine");
  const cells: Cell[] = next.cells.map((n) => {
    const m = mineById.get(n.id);
    if (!m || m.kind !== n.kind) return n;
    if (keepMine(n.id)) return n.kind === "exercise" && m.kind === "exercise" ? { ...n, source: m.source, outputs: m.outputs, executionCount: m.executionCount } : m;
    // Untouched on both sides: the student's cell, with its outputs.
    const b = baseById.get(n.id);
    return b && sameAuthoredCell(b, n) && !edited(b, m) ? m : n;
  });
  // Cells the new version dropped but the student keeps, and the student's own cells, after the cell before them in their copy.
  const extra = mine.cells.filter((c) => !next.cells.some((n) => n.id === c.id) && (!baseById.has(c.id) || (conflict.get(c.id)?.reason === "removed" && (choices[c.id] ?? "mine") === "mine")));
  for (const c of extra) {
    const at = mine.cells.indexOf(c);
    let after = -1;
    for (let k = at - 1; k >= 0 && after < 0; k--) after = cells.findIndex((x) => x.id === mine.cells[k]!.id);
    cells.splice(after + 1, 0, c);
  }
  return { ...next, metadata: { ...next.metadata }, cells };
}
