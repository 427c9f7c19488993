// The caret hand-over from a cell's text area to Monaco (components/notebook/caret.ts).
import { describe, expect, it } from "vitest";
import { editorSelectionOf, indentAt, lineColumnAt, newlineAt, outdentBeforeClose } from "@/components/notebook/caret";

describe("lineColumnAt", () => {
  const text = "let a = 1;\n  a + 2\n\nend";
  it("maps offsets to 1-based line and column", () => {
    expect(lineColumnAt(text, 0)).toEqual({ lineNumber: 1, column: 1 });
    expect(lineColumnAt(text, 10)).toEqual({ lineNumber: 1, column: 11 }); // end of line 1, before "\n"
    expect(lineColumnAt(text, 11)).toEqual({ lineNumber: 2, column: 1 }); // just after the break
    expect(lineColumnAt(text, 14)).toEqual({ lineNumber: 2, column: 4 });
    expect(lineColumnAt(text, 19)).toEqual({ lineNumber: 3, column: 1 }); // the empty line
    expect(lineColumnAt(text, text.length)).toEqual({ lineNumber: 4, column: 4 });
  });
  it("clamps offsets outside the text, and an empty text is line 1 column 1", () => {
    expect(lineColumnAt(text, -5)).toEqual({ lineNumber: 1, column: 1 });
    expect(lineColumnAt(text, 999)).toEqual({ lineNumber: 4, column: 4 });
    expect(lineColumnAt(text, Number.NaN)).toEqual({ lineNumber: 4, column: 4 });
    expect(lineColumnAt("", 0)).toEqual({ lineNumber: 1, column: 1 });
  });
  it("counts UTF-16 units, as both a text area and Monaco do", () => {
    expect(lineColumnAt("x = '🙂';", 7)).toEqual({ lineNumber: 1, column: 8 });
  });
  it("treats \\r\\n as one break, never putting the caret between \\r and \\n", () => {
    expect(lineColumnAt("ab\r\ncd", 3)).toEqual({ lineNumber: 1, column: 3 });
    expect(lineColumnAt("ab\r\ncd", 4)).toEqual({ lineNumber: 2, column: 1 });
  });
});

describe("editorSelectionOf", () => {
  const text = "one\ntwo\nthree";
  it("a caret is an empty selection at that place", () => {
    expect(editorSelectionOf(text, { start: 6, end: 6 })).toEqual({ selectionStartLineNumber: 2, selectionStartColumn: 3, positionLineNumber: 2, positionColumn: 3 });
  });
  it("a forward selection keeps the caret at its end, a backward one at its start", () => {
    expect(editorSelectionOf(text, { start: 1, end: 9, direction: "forward" })).toEqual({ selectionStartLineNumber: 1, selectionStartColumn: 2, positionLineNumber: 3, positionColumn: 2 });
    expect(editorSelectionOf(text, { start: 1, end: 9, direction: "backward" })).toEqual({ selectionStartLineNumber: 3, selectionStartColumn: 2, positionLineNumber: 1, positionColumn: 2 });
    expect(editorSelectionOf(text, { start: 1, end: 9, direction: "none" })).toEqual({ selectionStartLineNumber: 1, selectionStartColumn: 2, positionLineNumber: 3, positionColumn: 2 });
  });
});

describe("indentAt", () => {
  it("is the leading whitespace of the caret's line, up to the caret", () => {
    const text = "if (x) {\n    y();\n\t\tz";
    expect(indentAt(text, 8)).toBe("");
    expect(indentAt(text, text.indexOf("y();") + 4)).toBe("    ");
    expect(indentAt(text, text.indexOf("    ") + 2)).toBe("  ");
    expect(indentAt(text, text.length)).toBe("\t\t");
    expect(indentAt("", 0)).toBe("");
  });
});

describe("newlineAt", () => {
  it("keeps the line's indentation, and adds a level after an opening bracket", () => {
    expect(newlineAt("let a = 1;", 10)).toBe("\n");
    expect(newlineAt("  a();", 6)).toBe("\n  ");
    expect(newlineAt("if (x) {", 8)).toBe("\n  ");
    expect(newlineAt("  const xs = [ ", 15)).toBe("\n    ");
    expect(newlineAt("f(", 2, "\t")).toBe("\n\t");
    expect(newlineAt("\n", 0)).toBe("\n");
  });
});

describe("outdentBeforeClose", () => {
  it("takes one level of indentation back when a closing bracket starts its line", () => {
    expect(outdentBeforeClose("{\n  ", 4)).toBe(2);
    expect(outdentBeforeClose("{\n    ", 6)).toBe(2);
    expect(outdentBeforeClose("{\n   ", 5)).toBe(1); // back to a multiple of two
    expect(outdentBeforeClose("{\n\t\t", 4)).toBe(1);
  });
  it("leaves it alone after code or at a line's start", () => {
    expect(outdentBeforeClose("{\n  x", 5)).toBe(0);
    expect(outdentBeforeClose("{\n", 2)).toBe(0);
    expect(outdentBeforeClose("", 0)).toBe(0);
  });
});
