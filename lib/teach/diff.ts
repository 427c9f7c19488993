// A cell diff between two versions of a lesson document (issue 15 point 5): cells matched by id,
// each one added, removed, changed (which fields) or unchanged, in the newer version's order with
// removed cells placed where they stood.
import { stableStringify } from "@/lib/notebook/document";
import type { Cell, NotebookDocument } from "@/lib/notebook/types";

export type CellChange =
  | { id: string; status: "added"; kind: Cell["kind"] }
  | { id: string; status: "removed"; kind: Cell["kind"] }
  | { id: string; status: "changed"; kind: Cell["kind"]; fields: string[]; moved: boolean }
  | { id: string; status: "unchanged"; kind: Cell["kind"]; moved: boolean };

/** What an author writes in a cell: outputs, run counts and the student's current code are not part of it. */
export function authoredFields(cell: Cell): Record<string, unknown> {
  switch (cell.kind) {
    case "markdown":
      return { kind: cell.kind, source: cell.source };
    case "code":
    case "sql":
      return { kind: cell.kind, source: cell.source };
    case "exercise":
      return { kind: cell.kind, starter: cell.starter, check: cell.check, hints: cell.hints, solution: cell.solution, tests: cell.tests ?? null };
    case "quiz":
      return { kind: cell.kind, questions: cell.questions };
  }
}

export function sameAuthoredCell(a: Cell, b: Cell): boolean {
  return stableStringify(authoredFields(a)) === stableStringify(authoredFields(b));
}

export function diffCells(older: NotebookDocument, newer: NotebookDocument): CellChange[] {
  const olderById = new Map(older.cells.map((c, i) => [c.id as string, { cell: c, index: i }]));
  const newerIds = new Set(newer.cells.map((c) => c.id as string));
  // Relative order of the cells both versions hold: a cell is "moved" when its rank among them changed.
  const commonOld = older.cells.filter((c) => newerIds.has(c.id)).map((c) => c.id as string);
  const commonNew = newer.cells.filter((c) => olderById.has(c.id)).map((c) => c.id as string);
  const rankOld = new Map(commonOld.map((id, i) => [id, i]));
  const rankNew = new Map(commonNew.map((id, i) => [id, i]));
  const out: CellChange[] = [];
  const removedBefore = (upTo: number) => {
    for (let i = 0; i < upTo; i++) {
      const c = older.cells[i];
      if (!newerIds.has(c.id) && !out.some((o) => o.id === c.id)) out.push({ id: c.id, status: "removed", kind: c.kind });
    }
  };
  for (const cell of newer.cells) {
    const before = olderById.get(cell.id);
    if (!before) {
      out.push({ id: cell.id, status: "added", kind: cell.kind });
      continue;
    }
    removedBefore(before.index);
    const moved = rankOld.get(cell.id) !== rankNew.get(cell.id);
    const a = authoredFields(before.cell);
    const b = authoredFields(cell);
    const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => stableStringify(a[k]) !== stableStringify(b[k]));
    out.push(fields.length ? { id: cell.id, status: "changed", kind: cell.kind, fields, moved } : { id: cell.id, status: "unchanged", kind: cell.kind, moved });
  }
  removedBefore(older.cells.length);
  return out;
}
