// The key path's idle rehearsal (lib/teach/warm-up.ts): it makes a session's edits on a store of
// its own and leaves the lesson — and a live store over it — as they were.
import { describe, expect, it } from "vitest";
import type { Cell } from "@/lib/notebook/types";
import { createAuthorStore } from "@/lib/teach/author-store";
import type { LessonBundle, LessonLocale } from "@/lib/teach/bundle";
import { rehearseEdits, sampleCell, typingSteps } from "@/lib/teach/warm-up";

function lesson(cells: Cell[]): LessonBundle {
  const doc = (locale: LessonLocale) => ({ format: 1 as const, metadata: { title: "T", locale }, cells: cells.map((c) => ({ ...c })) });
  return { meta: { title: { es: "T", en: "T" }, summary: { es: "", en: "" }, datasets: [], tags: [] }, docs: { es: doc("es"), en: doc("en") }, outdated: { es: [], en: [] } } as LessonBundle;
}

const md = { id: "c-000000000001", kind: "markdown", source: "## Uno" } as unknown as Cell;
const code = { id: "c-000000000002", kind: "code", source: "const a = 1;\nconst b = 2;\nconst c = 3;", outputs: [], executionCount: null } as unknown as Cell;

describe("typingSteps", () => {
  it("adds one character a step at the end of the middle line, the source's own characters", () => {
    const steps = typingSteps("ab\ncd\nef", 3);
    expect(steps).toEqual(["ab\ncda\nef", "ab\ncdab\nef", "ab\ncdab \nef"]);
  });
  it("types into an empty source too", () => {
    expect(typingSteps("", 2)).toEqual(["x", "xx"]);
  });
});

describe("sampleCell", () => {
  it("finds the first cell of the kinds asked, else any cell, else none", () => {
    const b = lesson([md, code]);
    expect(sampleCell(b, ["code"])?.cell.id).toBe(code.id);
    expect(sampleCell(b, ["quiz"])?.cell.id).toBe(md.id);
    expect(sampleCell(lesson([]), ["code"])).toBeNull();
  });
});

describe("rehearseEdits", () => {
  it("makes the edits on a detached store and leaves the bundle and a live store unchanged", () => {
    const b = lesson([md, code]);
    const before = JSON.stringify(b);
    const live = createAuthorStore(b);
    let told = 0;
    live.subscribe(() => told++);
    const liveRow = live.row(code.id);
    expect(rehearseEdits(b, 40)).toBe(40);
    expect(JSON.stringify(b)).toBe(before);
    expect(live.getState()).toEqual({ bundle: b, past: [], future: [] });
    expect(live.getState().bundle).toBe(b);
    expect(live.row(code.id)).toBe(liveRow);
    expect(told).toBe(0);
  });
  it("does nothing for a lesson without cells", () => {
    expect(rehearseEdits(lesson([]))).toBe(0);
  });
});
