// What of a lesson a browser may see (issue 12, point 1). A lesson exercise's hidden tests, its
// hints and its solution stay on the server: hints and the solution are handed out one at a time
// by the grading service, which records each (they cap the score). The browser `check` stays, as
// instant feedback that is never a grade. Every document the server sends for a lesson — the page,
// its RSC payload, notebook procedures, ipynb exports — goes through `publicLessonDocument`.
import type { Cell, NotebookDocument } from "./types";

function publicCell(cell: Cell): Cell {
  if (cell.kind !== "exercise") return cell;
  const { tests, hints, solution: _solution, ...rest } = cell;
  // Idempotent: a document already made public (a student's stored copy) keeps its counts.
  return { ...rest, hints: [], solution: "", hintCount: hints.length || (rest.hintCount ?? 0), graded: tests !== undefined || rest.graded === true };
}

/** The lesson document without hidden tests, hints or solutions. */
export function publicLessonDocument(doc: NotebookDocument): NotebookDocument {
  return { ...doc, cells: doc.cells.map(publicCell) };
}

/** True when a lesson document still holds a hidden part (tests, a hint or a solution). */
export function hasHiddenParts(doc: NotebookDocument): boolean {
  return doc.cells.some((c) => c.kind === "exercise" && (c.tests !== undefined || c.hints.length > 0 || c.solution !== ""));
}
