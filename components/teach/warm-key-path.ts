// Author mode's key path warmed in idle time (issue 15 point 11): the first ~40 keys of a session
// in a field's text area ran 2–3× slower than the later ones (the engine running the highlighter,
// the line patcher and the store's update path cold). Once the editor is idle, each piece does the
// work of a session's first keys on the lesson's own code, detached: the highlighted lines go to a
// <code> element on no page, the edits to a store of their own (lib/teach/warm-up.ts). Nothing
// the author sees, undoes or saves changes. Each piece is its own idle job (a few ms each).
import { patchLines } from "@/components/notebook/draft-editor";
import { highlightLines, type HighlightedLines } from "@/components/notebook/highlight";
import { whenIdle } from "@/components/notebook/idle-queue";
import type { LessonBundle } from "@/lib/teach/bundle";
import { rehearseEdits, sampleCell, typingSteps } from "@/lib/teach/warm-up";

const STEPS = 40;

/** Highlights and patches the texts a session's first keys make in `source`, into a detached element. */
function rehearseHighlight(source: string, language: "ts" | "sql" | "markdown"): void {
  const code = document.createElement("code");
  let shown: HighlightedLines | null = null;
  for (const text of [source, ...typingSteps(source, STEPS)]) {
    const next = highlightLines(text, language, shown);
    patchLines(code, shown?.lines ?? null, next.lines);
    shown = next;
  }
}

/** Queues the warm-up; `cancel` drops what has not run yet. */
export function warmKeyPath(bundle: LessonBundle): { cancel(): void } {
  const jobs = [
    whenIdle(() => {
      const s = sampleCell(bundle, ["code"]);
      if (s && "source" in s.cell) rehearseHighlight(s.cell.source, "ts");
    }),
    whenIdle(() => {
      const s = sampleCell(bundle, ["markdown"]);
      if (s && "source" in s.cell) rehearseHighlight(s.cell.source, "markdown");
    }),
    whenIdle(() => void rehearseEdits(bundle, STEPS)),
  ];
  return { cancel: () => jobs.forEach((j) => j.cancel()) };
}
