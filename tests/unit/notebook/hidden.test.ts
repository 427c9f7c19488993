import { describe, expect, it } from "vitest";
import { hasHiddenParts, publicLessonDocument } from "@/lib/notebook/hidden";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";

const LESSON = `# T

~~~exercise id=graded
--- starter
function f(x: number): number { return 0; }
--- check
check(f(1) === 2, "f(1) should be 2");
--- hint
Double it.
--- hint
Multiply by two.
--- solution
function f(x: number): number { return 2 * x; }
--- tests
function f
case "one": 1
case "big": 123456
~~~

~~~exercise id=browser-only
--- starter
const y = 0;
--- check
check(y === 1, "no");
--- solution
const y = 1;
~~~
`;

describe("publicLessonDocument", () => {
  const full = parseLessonMarkdown(LESSON);
  const pub = publicLessonDocument(full);

  it("leaves tests, hints and solutions out, saying how many hints there are and which exercises are graded", () => {
    expect(hasHiddenParts(full)).toBe(true);
    expect(hasHiddenParts(pub)).toBe(false);
    const text = JSON.stringify(pub);
    for (const hidden of ["123456", "Double it.", "Multiply by two.", "return 2 * x", "const y = 1;", "case "]) expect(text).not.toContain(hidden);
    expect(pub.cells.map((c) => (c.kind === "exercise" ? { id: c.id, hintCount: c.hintCount, graded: c.graded, starter: c.starter, check: c.check } : null)).filter(Boolean)).toEqual([
      { id: "graded", hintCount: 2, graded: true, starter: "function f(x: number): number { return 0; }", check: 'check(f(1) === 2, "f(1) should be 2");' },
      { id: "browser-only", hintCount: 0, graded: false, starter: "const y = 0;", check: 'check(y === 1, "no");' },
    ]);
  });

  it("is idempotent: a document already public (a student's stored copy) keeps its counts", () => {
    expect(publicLessonDocument(pub)).toEqual(pub);
  });

  it("leaves the original untouched", () => {
    const again = parseLessonMarkdown(LESSON);
    expect(full).toEqual(again);
  });
});
