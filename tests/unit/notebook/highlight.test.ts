// The line-by-line highlighter of the cell's text area (components/notebook/highlight.ts): what it
// shows equals highlightCode's whole-text pass, and an edit re-highlights from scratch the same.
import { describe, expect, it } from "vitest";
import { highlightCode, highlightLines, type HighlightedLines } from "@/components/notebook/highlight";
import { createRng } from "@/lib/ml/random";

const unescape = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

/** What a highlighted HTML shows: its text and each character's class ("" for none). */
function visible(html: string): { text: string; classes: string } {
  let text = "";
  let classes = "";
  const re = /<span class="tk-([a-z])">([^<]*)<\/span>|([^<]+)/g;
  let at = 0;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    if (m.index !== at) throw new Error(`unexpected markup at ${at}: ${html.slice(at, at + 40)}`);
    at = m.index + m[0].length;
    const t = unescape(m[2] ?? m[3]);
    if (m[2] !== undefined && t === "") throw new Error("empty span");
    text += t;
    // A newline takes no colour: only the characters shown are compared.
    classes += [...t].map((c) => (c === "\n" ? "." : m![1] ?? "-")).join("");
  }
  if (at !== html.length) throw new Error(`unexpected markup at ${at}`);
  return { text, classes };
}

function expectSameAsWhole(result: HighlightedLines, lang: "ts" | "sql") {
  const whole = visible(highlightCode(result.source, lang));
  const lines = visible(result.lines.map((l) => l.html).join("\n"));
  expect(lines.text).toBe(result.source);
  expect(lines).toEqual(whole);
}

const PIECES = {
  ts: ["/*", "*/", "`", "${", "}", "\\", "'", '"', "\n", "\n", "\n", "//", "const ", "x", "tf", "12", "1.5e3", " ", "  ", "=", ";", "<b>", "&", "return ", "a_b", "$", "*", "/"],
  sql: ["/*", "*/", "'", "''", '"', "--", "\n", "\n", "\n", "select ", "FROM ", "x", "12", "3.5", " ", ",", "(", ")", "<", "&", "count", "where "],
};
const START = {
  ts: "// setup\nconst a = tf.tensor([1, 2, 3]);\n/* a block\n   comment */\nconst s = `line ${a}\nnext`;\nfor (let i = 0; i < 3; i++) {\n  show('x' + \"y\");\n}\n",
  sql: "-- query\nselect a, count(*) as n\nfrom t /* note\n spanning */ where b = 'it''s\nmultiline' and c = \"Col\"\ngroup by a;\n",
};

describe("highlightLines", () => {
  it("shows what highlightCode shows, tokens across lines cut per line", () => {
    for (const lang of ["ts", "sql"] as const) expectSameAsWhole(highlightLines(START[lang], lang), lang);
    const r = highlightLines("/* a\n\nb */ x", "ts");
    expect(r.lines.map((l) => l.html)).toEqual(['<span class="tk-c">/* a</span>', "", '<span class="tk-c">b */</span> x']);
    expect(r.lines.map((l) => l.free)).toEqual([true, false, false]);
  });

  for (const lang of ["ts", "sql"] as const) {
    it(`${lang}: after random edits, incremental = from scratch = the whole-text highlight`, () => {
      const gen = createRng(lang === "ts" ? 7 : 11);
      const rand = () => gen.next();
      const pieces = PIECES[lang];
      let source = START[lang];
      let prev = highlightLines(source, lang);
      let reused = 0;
      for (let n = 0; n < 3000; n++) {
        const at = Math.floor(rand() * (source.length + 1));
        const del = rand() < 0.4 ? Math.floor(rand() * 6) : 0;
        const ins = rand() < 0.75 ? pieces[Math.floor(rand() * pieces.length)] : "";
        source = source.slice(0, at) + ins + source.slice(at + del);
        if (source.length > 600) source = source.slice(0, 400);
        const next = highlightLines(source, lang, prev);
        const scratch = highlightLines(source, lang);
        expect(next.lines).toEqual(scratch.lines);
        expectSameAsWhole(next, lang);
        reused += next.lines.filter((l) => prev.lines.includes(l)).length;
        prev = next;
      }
      // It does reuse lines (else the test would not test the incremental path).
      expect(reused).toBeGreaterThan(3000);
    });
  }

  it("an edit below re-highlights an opener above that found, or lost, its end", () => {
    const base = "const a = 1; /* open\nconst b = 2;\nconst c = 3;\n";
    const r1 = highlightLines(base, "ts");
    expect(r1.lines[1].html).toContain("tk-k");
    const closed = highlightLines(base + "x */ y", "ts", r1);
    expect(closed.lines[1].html).toBe('<span class="tk-c">const b = 2;</span>');
    expectSameAsWhole(closed, "ts");
    const reopened = highlightLines(base + "x * y", "ts", closed);
    expect(reopened.lines).toEqual(highlightLines(base + "x * y", "ts").lines);
    expect(reopened.lines[0].html).toContain('<span class="tk-k">const</span>');
    const tpl = highlightLines("let s = `a\nb c\n", "ts");
    const tplClosed = highlightLines("let s = `a\nb c\n`", "ts", tpl);
    expect(tplClosed.lines[1].html).toBe('<span class="tk-s">b c</span>');
    expectSameAsWhole(tplClosed, "ts");
  });

  it("a key on one line of a long cell makes only that line new", () => {
    const lines = Array.from({ length: 60 }, (_, i) => `const v${i} = [${i}, ${i + 1}].map((x) => x * ${i}); // n`);
    const before = highlightLines(lines.join("\n"), "ts");
    lines[30] = lines[30].replace("map", "mapx");
    const after = highlightLines(lines.join("\n"), "ts", before);
    expect(after.lines.filter((l, i) => l !== before.lines[i]).length).toBe(1);
    const enter = highlightLines(lines.slice(0, 31).join("\n") + "\n\n" + lines.slice(31).join("\n"), "ts", after);
    expect(enter.lines.filter((l) => !after.lines.includes(l)).length).toBe(2);
  });

  it("markdown: escaped text per line", () => {
    const r = highlightLines("# T <b>\n\n& x", "markdown");
    expect(r.lines.map((l) => l.html)).toEqual(["# T &lt;b&gt;", "", "&amp; x"]);
  });
});
