import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  changeCellKind,
  clearOutputs,
  contentHash,
  createCell,
  createNotebook,
  deleteCell,
  insertCell,
  insertCellAfter,
  moveCell,
  resetCell,
  resetNotebook,
  setOutputs,
  setSource,
  sha256Hex,
} from "@/lib/notebook/document";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import { NotebookFormatError, parseNotebookJson, parseNotebookOrThrow, serializeNotebook } from "@/lib/notebook/schema";
import { CellId, type NotebookDocument } from "@/lib/notebook/types";

const original = parseLessonMarkdown(
  "# T\n\n```ts id=a\nconst x = 1;\n```\n\n```sql id=b\nSELECT 1\n```\n\n~~~exercise id=ex\n--- starter\nlet y = 0;\n--- check\ncheck(y > 0, 'no');\n--- solution\nlet y = 1;\n~~~\n",
  { locale: "en" },
);
const ids = (d: NotebookDocument): string[] => d.cells.map((c) => c.id);

describe("document operations", () => {
  it("creates notebooks and cells", () => {
    const nb = createNotebook({ title: "Scratch" });
    expect(nb).toEqual({ format: 1, metadata: { title: "Scratch" }, cells: [] });
    const c = createCell("code", "1 + 1");
    expect(c).toMatchObject({ kind: "code", source: "1 + 1", outputs: [], executionCount: null });
    expect(c.id).toMatch(/^c-[0-9a-f]{12}$/);
    expect(createCell("code").id).not.toBe(c.id);
  });

  it("insert / move / delete return new documents and leave the input alone", () => {
    const frozen = structuredClone(original);
    const c = createCell("markdown", "nota", CellId.of("note"));
    const a = insertCell(original, c, 1);
    expect(ids(a)).toEqual(["md-a", "note", "a", "b", "md-ex", "ex"].filter((x) => ids(a).includes(x)));
    expect(ids(a).indexOf("note")).toBe(1);
    expect(insertCellAfter(original, c, "b").cells[ids(original).indexOf("b") + 1].id).toBe("note");
    expect(ids(insertCellAfter(original, c, null))[0]).toBe("note");
    expect(ids(insertCell(original, c, 99)).at(-1)).toBe("note");
    expect(() => insertCell(original, createCell("code", "", CellId.of("a")))).toThrow(/already exists/);
    const m = moveCell(original, "ex", 0);
    expect(ids(m)[0]).toBe("ex");
    expect(ids(m)).toHaveLength(original.cells.length);
    expect(moveCell(original, "a", ids(original).indexOf("a"))).toBe(original);
    const d = deleteCell(original, "b");
    expect(ids(d)).not.toContain("b");
    expect(() => deleteCell(original, "nope")).toThrow(/no cell with id "nope"/);
    expect(original).toEqual(frozen);
  });

  it("changes kind between markdown, code and sql", () => {
    const md = changeCellKind(original, "a", "markdown");
    expect(md.cells.find((c) => c.id === "a")).toEqual({ id: "a", kind: "markdown", source: "const x = 1;" });
    const back = changeCellKind(md, "a", "code");
    expect(back.cells.find((c) => c.id === "a")).toEqual({ id: "a", kind: "code", source: "const x = 1;", outputs: [], executionCount: null });
    expect(() => changeCellKind(original, "ex", "code")).toThrow(/exercise cell cannot change kind/);
  });

  it("clears outputs and resets to the original", () => {
    let doc = setOutputs(original, "a", [{ type: "stream", name: "stdout", text: "hi" }], 1);
    doc = setOutputs(doc, "ex", [{ type: "error", name: "Error", message: "no" }], 2);
    doc = setSource(doc, "ex", "let y = 5;");
    expect(doc.cells.find((c) => c.id === "a")).toMatchObject({ outputs: [{ text: "hi" }], executionCount: 1 });
    const one = clearOutputs(doc, "a");
    expect(one.cells.find((c) => c.id === "a")).toMatchObject({ outputs: [], executionCount: null });
    expect(one.cells.find((c) => c.id === "ex")).toMatchObject({ executionCount: 2 });
    const all = clearOutputs(doc);
    expect(all.cells.every((c) => !("outputs" in c) || c.outputs.length === 0)).toBe(true);
    expect(all.cells.find((c) => c.id === "ex")!.source).toBe("let y = 5;");
    const reset = resetCell(doc, "ex", original);
    expect(reset.cells.find((c) => c.id === "ex")).toMatchObject({ source: "let y = 0;", outputs: [], executionCount: null });
    expect(reset.cells.find((c) => c.id === "a")).toMatchObject({ executionCount: 1 });
    expect(() => resetCell(insertCell(doc, createCell("code", "", CellId.of("mine"))), "mine", original)).toThrow(/not in the original/);
    expect(resetNotebook(doc)).toEqual(original);
    expect(() => setOutputs(original, "md-a", [])).toThrow(/markdown cell has no outputs/);
  });
});

describe("serialization", () => {
  it("round-trips through JSON", () => {
    expect(parseNotebookJson(serializeNotebook(original))).toEqual(original);
  });

  it("rejects invalid documents with a path", () => {
    expect(() => parseNotebookJson("{")).toThrow(NotebookFormatError);
    expect(() => parseNotebookOrThrow({ format: 2, metadata: { title: "" }, cells: [] })).toThrow(/format/);
    expect(() =>
      parseNotebookOrThrow({ format: 1, metadata: { title: "" }, cells: [{ id: "a", kind: "code", source: "" }] }),
    ).toThrow(/cells\.0\.outputs/);
    expect(() =>
      parseNotebookOrThrow({ format: 1, metadata: { title: "" }, cells: [{ id: "a", kind: "video", source: "" }] }),
    ).toThrow(/cells\.0/);
    const dup = { format: 1, metadata: { title: "" }, cells: [{ id: "a", kind: "markdown", source: "" }, { id: "a", kind: "markdown", source: "" }] };
    expect(() => parseNotebookOrThrow(dup)).toThrow(/duplicate cell id "a"/);
  });
});

describe("contentHash", () => {
  it("sha256Hex matches node:crypto", () => {
    for (const s of ["", "abc", "x".repeat(55), "y".repeat(56), "z".repeat(1000), "ñandú 🦤"]) {
      const bytes = new TextEncoder().encode(s);
      expect(sha256Hex(bytes)).toBe(createHash("sha256").update(bytes).digest("hex"));
    }
  });

  it("ignores outputs and key order by default, sees source edits", () => {
    const h = contentHash(original);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    const ran = setOutputs(original, "a", [{ type: "stream", name: "stdout", text: "x" }], 3);
    expect(contentHash(ran)).toBe(h);
    expect(contentHash(ran, { outputs: true })).not.toBe(contentHash(original, { outputs: true }));
    expect(contentHash(setSource(original, "a", "const x = 2;"))).not.toBe(h);
    const reordered = {
      cells: original.cells.map((c) => Object.fromEntries(Object.entries(c).reverse())),
      metadata: { locale: "en", title: "T" },
      format: 1,
    } as unknown as NotebookDocument;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(original));
    expect(contentHash(reordered)).toBe(h);
  });
});
