// @vitest-environment jsdom
// The text area's highlighted copy (components/notebook/draft-editor.tsx): patched line by line, it
// ends as the whole text highlighted afresh would be, and a key rewrites only the lines it changed.
import { describe, expect, it } from "vitest";
import { patchLines } from "@/components/notebook/draft-editor";
import { highlightLines, type HighlightedLines } from "@/components/notebook/highlight";

const fresh = (r: HighlightedLines) => r.lines.map((l) => `<span>${l.html}\n</span>`).join("");

describe("patchLines", () => {
  it("after random edits, the DOM equals the text highlighted afresh; untouched lines keep their elements", () => {
    let s = 3;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pieces = ["\n", "\n", "/*", "*/", "`", "const ", "x", " ", "1", "'", "<", "&", "\n\n"];
    const code = document.createElement("code");
    let source = "const a = 1;\n/* c\n d */\nlet s = `t\n${a}`;\n";
    let prev: HighlightedLines | null = null;
    for (let n = 0; n < 1500; n++) {
      const next = highlightLines(source, "ts", prev);
      const before = [...code.childNodes];
      patchLines(code, prev?.lines ?? null, next.lines);
      expect(code.innerHTML).toBe(fresh(highlightLines(source, "ts")));
      expect(code.textContent).toBe(source + "\n");
      if (prev) {
        // The elements of the lines both before and after the change are the same nodes.
        let a = 0;
        while (a < Math.min(prev.lines.length, next.lines.length) && prev.lines[a].html === next.lines[a].html) a++;
        for (let i = 0; i < a; i++) expect(code.childNodes[i]).toBe(before[i]);
        let b = 0;
        while (b < Math.min(prev.lines.length, next.lines.length) - a && prev.lines.at(-1 - b)!.html === next.lines.at(-1 - b)!.html) b++;
        for (let i = 1; i <= b; i++) expect(code.childNodes[code.childNodes.length - i]).toBe(before[before.length - i]);
      }
      prev = next;
      const at = Math.floor(rand() * (source.length + 1));
      const del = rand() < 0.4 ? Math.floor(rand() * 8) : 0;
      source = source.slice(0, at) + (rand() < 0.7 ? pieces[Math.floor(rand() * pieces.length)] : "") + source.slice(at + del);
      if (source.length > 300) source = source.slice(100);
    }
  });

  it("a key in the middle of a cell rewrites one line element", () => {
    const lines = Array.from({ length: 12 }, (_, i) => `const v${i} = [${i}].map((x) => x * 2);`);
    const code = document.createElement("code");
    const first = highlightLines(lines.join("\n"), "ts");
    patchLines(code, null, first.lines);
    const nodes = [...code.childNodes];
    const htmlBefore = nodes.map((n) => (n as Element).innerHTML);
    lines[6] += "a";
    const second = highlightLines(lines.join("\n"), "ts", first);
    patchLines(code, first.lines, second.lines);
    expect(code.childNodes.length).toBe(12);
    expect(nodes.filter((n, i) => code.childNodes[i] !== n)).toEqual([]);
    const rewritten = [...code.childNodes].flatMap((n, i) => ((n as Element).innerHTML !== htmlBefore[i] ? [i] : []));
    expect(rewritten).toEqual([6]);
    expect(code.childNodes[6].textContent).toBe(lines[6] + "\n");
  });
});
