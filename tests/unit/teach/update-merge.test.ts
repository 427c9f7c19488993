import { describe, expect, it } from "vitest";
import { publicLessonDocument } from "@/lib/notebook/hidden";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import type { ExerciseCell, NotebookDocument } from "@/lib/notebook/types";
import { applyLessonUpdate, planLessonUpdate } from "@/lib/teach/update-merge";

const V1 = "# L\n\n```ts id=a\nconst a = 1;\n```\n\n```ts id=b\nconst b = 1;\n```\n\n```ts id=c\nconst c = 1;\n```\n\n~~~exercise id=ex\n--- starter\nlet y = 0;\n--- check\ncheck(y === 2, \"no\");\n--- solution\nlet y = 2;\n~~~\n";
const doc = (text: string) => publicLessonDocument(parseLessonMarkdown(text));
const edit = (d: NotebookDocument, id: string, source: string): NotebookDocument => ({ ...d, cells: d.cells.map((c) => (c.id === id ? { ...c, source } : c)) });

describe("lesson updated: the student's copy on a new version", () => {
  const base = doc(V1);
  // The author changes a and ex's check, removes c and adds d.
  const next = doc(V1.replace("const a = 1;", "const a = 10;").replace('"no"', '"todavía no"').replace("```ts id=c\nconst c = 1;\n```\n\n", "").replace("# L\n", "# L\n\n```ts id=d\nconst d = 1;\n```\n"));
  // The student edited a, b, c and their exercise code.
  let mine = edit(edit(edit(edit(base, "a", "const a = 2;"), "b", "const b = 2;"), "c", "const c = 2;"), "ex", "let y = 2;");

  it("plans: both-changed and removed-but-edited cells are choices, the rest is decided", () => {
    const plan = planLessonUpdate(base, next, mine);
    expect(plan.conflicts.map((c) => [c.cellId, c.reason])).toEqual([
      ["a", "changed"],
      ["c", "removed"],
      ["ex", "changed"],
    ]);
    expect(plan.kept).toEqual(["b"]);
    expect(plan.taken).toContain("d");
  });

  it("keeps the student's edits by default and takes the new version where chosen", () => {
    const kept = applyLessonUpdate(base, next, mine);
    const src = (d: NotebookDocument, id: string) => d.cells.find((c) => c.id === id)?.source;
    expect(kept.cells.map((c) => c.id)).toEqual(["md-d", "d", "a", "b", "c", "ex"]);
    expect([src(kept, "a"), src(kept, "b"), src(kept, "c"), src(kept, "ex")]).toEqual(["const a = 2;", "const b = 2;", "const c = 2;", "let y = 2;"]);
    // The exercise keeps the student's code with the new check.
    expect((kept.cells.find((c) => c.id === "ex") as ExerciseCell).check).toContain("todavía no");
    const chosen = applyLessonUpdate(base, next, mine, { a: "new", c: "new", ex: "new" });
    expect(chosen.cells.map((c) => c.id)).toEqual(["md-d", "d", "a", "b", "ex"]);
    expect([src(chosen, "a"), src(chosen, "b"), src(chosen, "ex")]).toEqual(["const a = 10;", "const b = 2;", "let y = 0;"]);
    mine = base;
    expect(applyLessonUpdate(base, next, mine).cells).toEqual(next.cells);
  });
});
