// The key path's first run, rehearsed in idle time (issue 15 point 11): the first ~40 keys of an
// editing session cost 2–3× the later ones — the engine runs the store's update path (reducer,
// editLessonCell, the row snapshots) cold — so once the editor is idle, a detached store over the
// same bundle takes the edits a session's first keys make and undoes them. The live store, its
// undo history and autosave never see it: the bundle is immutable and the copy is dropped.
import type { Cell } from "@/lib/notebook/types";
import { createAuthorStore } from "./author-store";
import { bundleLocales, type LessonBundle, type LessonLocale } from "./bundle";
import { editLessonCell } from "./edit";

/**
 * The texts of `source` typed into at the end of its middle line, one character more each (the
 * characters are the source's own), `steps` of them: what a session's first keys produce.
 */
export function typingSteps(source: string, steps: number): string[] {
  const lines = source.split("\n");
  const mid = Math.floor((lines.length - 1) / 2);
  const at = lines.slice(0, mid + 1).join("\n").length;
  const chars = source.replace(/\n/g, " ") || "x";
  const out: string[] = [];
  let typed = "";
  for (let i = 0; i < steps; i++) {
    typed += chars[i % chars.length];
    out.push(source.slice(0, at) + typed + source.slice(at));
  }
  return out;
}

/** The first cell of `kinds` in the bundle's first language (any cell when none is), with its language. */
export function sampleCell(bundle: LessonBundle, kinds: readonly Cell["kind"][]): { cell: Cell; locale: LessonLocale } | null {
  const locale = bundleLocales(bundle)[0];
  const cells = locale ? bundle.docs[locale]!.cells : [];
  const cell = cells.find((c) => kinds.includes(c.kind)) ?? cells[0];
  return cell && locale ? { cell, locale } : null;
}

/**
 * Runs an editing session's first `steps` edits of a code cell (the first one marks the other
 * language outdated and records an undo entry, as a real session's does), reads the row's
 * snapshot after each as the row does, then undoes it — on a store of its own. Returns the
 * number of edits made (0 for a lesson without cells).
 */
export function rehearseEdits(bundle: LessonBundle, steps = 40): number {
  const sample = sampleCell(bundle, ["code", "sql", "markdown"]);
  if (!sample || !("source" in sample.cell)) return 0;
  const { cell, locale } = sample;
  const store = createAuthorStore(bundle);
  const unsubscribe = store.subscribeRow(cell.id, () => store.row(cell.id));
  let edits = 0;
  for (const source of typingSteps(cell.source, steps)) {
    const continuing = edits > 0;
    store.dispatch({ type: "apply", f: (b) => editLessonCell(b, locale, cell.id, { source }, continuing), record: !continuing });
    edits++;
  }
  store.dispatch({ type: "undo" });
  unsubscribe();
  if (store.getState().bundle !== bundle) throw new Error("the rehearsal's undo did not restore the bundle");
  return edits;
}
