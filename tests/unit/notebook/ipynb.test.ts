import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fromIpynb, toIpynb, toIpynbJson, toMultiline, type IpynbCell, type IpynbFormatError } from "@/lib/notebook/ipynb";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import { CellId, type NotebookDocument } from "@/lib/notebook/types";
import { table, line, images, tensor } from "@/lib/show";

const PY = "/usr/bin/python3";
const VALIDATOR = "scripts/fixtures/validate_ipynb.py";
const hasNbformat = spawnSync(PY, ["-c", "import nbformat"]).status === 0;
if (!hasNbformat) console.warn(`SKIPPING nbformat validation: ${PY} cannot import nbformat (pip install nbformat)`);

const lesson = parseLessonMarkdown(
  `# Lección

Texto con $x$.

\`\`\`ts id=load
const fraud = await data.load("fraud");
\`\`\`

\`\`\`sql id=count
SELECT count(*) FROM fraud
\`\`\`

Enunciado.

~~~exercise id=ex
--- starter
const t = 0.5;
--- check
check(t < 0.5, "menor");
--- hint
Pista 1
--- hint
Pista 2
--- solution
const t = 0.1;
~~~

~~~quiz id=q
? ¿Pregunta?
- [ ] no
- [x] sí
> porque sí
~~~
`,
  { locale: "es", lessonSlug: "demo", datasets: ["fraud"] },
);

function withOutputs(doc: NotebookDocument): NotebookDocument {
  const cells = doc.cells.map((c) => {
    if (c.id === "load" && c.kind === "code") {
      return {
        ...c,
        executionCount: 3,
        outputs: [
          { type: "stream" as const, name: "stdout" as const, text: "cargando\nlisto\n" },
          { type: "display" as const, data: table([{ a: 1, b: "<x>" }], { title: "T" }), displayId: "d-1" },
          { type: "display" as const, data: line({ series: { loss: [3, 2, 1] } }) },
          { type: "display" as const, data: images({ shape: [2, 3, 3], data: new Array(18).fill(0.5) }) },
          { type: "result" as const, data: tensor({ shape: [2], dtype: "float32", values: [1, 2] }) },
        ],
      };
    }
    if (c.id === "ex" && c.kind === "exercise") {
      return {
        ...c,
        source: "const t = 0.7; // edited",
        executionCount: 4,
        outputs: [{ type: "error" as const, name: "CheckError", message: "menor", line: 2, column: 1, stack: "CheckError: menor\n    at cell ex:2:1" }],
      };
    }
    if (c.id === "count" && c.kind === "sql") {
      return { ...c, executionCount: 5, outputs: [{ type: "error" as const, name: "Error", message: "no table" }] };
    }
    return c;
  });
  return {
    ...doc,
    cells: [
      ...cells,
      { id: CellId.of("weird id!"), kind: "markdown", source: "", metadata: { tags: ["x"] } },
      { id: CellId.of("raw-1"), kind: "markdown", source: "raw\ntext\n", raw: true },
      { id: CellId.create(), kind: "code", source: "", outputs: [], executionCount: null },
    ],
  };
}

const dir = mkdtempSync(join(tmpdir(), "cuaderno-ipynb-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function validate(paths: string[]): string {
  return execFileSync(PY, [VALIDATOR, ...paths], { encoding: "utf8" });
}

describe("ipynb export", () => {
  const doc = withOutputs(lesson);
  const nb = toIpynb(doc);

  it("uses Deno's TypeScript kernelspec and nbformat 4.5 with cell ids", () => {
    expect(nb.nbformat).toBe(4);
    expect(nb.nbformat_minor).toBe(5);
    expect(nb.metadata.kernelspec).toEqual({ name: "deno", display_name: "Deno", language: "typescript" });
    expect((nb.metadata.language_info as { name: string }).name).toBe("typescript");
    expect(nb.cells.every((c) => typeof c.id === "string" && /^[a-zA-Z0-9-_]{1,64}$/.test(c.id))).toBe(true);
    expect(new Set(nb.cells.map((c) => c.id)).size).toBe(nb.cells.length);
  });

  it("maps cells and outputs to Jupyter's shapes", () => {
    const byId: Record<string, IpynbCell> = Object.fromEntries(nb.cells.map((c) => [c.id as string, c]));
    expect(byId["count"].source).toEqual(["%%sql\n", "SELECT count(*) FROM fraud"]);
    expect(byId["count"].metadata).toEqual({ cuaderno: { kind: "sql" } });
    const outs = byId["load"].outputs!;
    expect(outs.map((o) => o.output_type)).toEqual(["stream", "display_data", "display_data", "display_data", "execute_result"]);
    expect(outs[0].text).toEqual(["cargando\n", "listo\n"]);
    const tableData = outs[1].data as Record<string, unknown>;
    expect(tableData["text/html"]).toBeTruthy();
    expect((tableData["text/html"] as string[]).join("")).toContain("&lt;x&gt;");
    expect((outs[2].data as Record<string, unknown>)["application/vnd.vegalite.v5+json"]).toHaveProperty("mark");
    expect(typeof (outs[3].data as Record<string, unknown>)["image/png"]).toBe("string");
    expect(outs[4].execution_count).toBe(3);
    const err = byId["ex"].outputs![0];
    expect(err).toEqual({ output_type: "error", ename: "CheckError", evalue: "menor", traceback: ["CheckError: menor", "    at cell ex:2:1"] });
    expect([byId["q"].source].flat().join("")).not.toContain("[x]"); // answers stay in metadata only
    expect(nb.cells.find((c) => c.cell_type === "raw")).toBeTruthy();
    const noSolution = toIpynb(doc, { omitSolutions: true }).cells.find((c) => c.id === "ex")!;
    expect((noSolution.metadata.cuaderno as Record<string, unknown>).solution).toBeUndefined();
  });

  it("round-trips every cell and field", () => {
    const back = fromIpynb(JSON.parse(toIpynbJson(doc)));
    expect(back.cells.map((c) => c.id)).toEqual(doc.cells.map((c) => c.id));
    // Bundles gain Jupyter fallbacks (text/html for tables); everything else is identical.
    const strip = (d: NotebookDocument) =>
      JSON.parse(
        JSON.stringify(d, (k, v) => (k === "text/html" && typeof v === "string" && v.startsWith("<table>") ? undefined : v)),
      );
    expect(strip(back)).toEqual(strip(doc));
    expect(back.cells.find((c) => c.id === "ex")).toMatchObject({ source: "const t = 0.7; // edited", starter: "const t = 0.5;", hints: ["Pista 1", "Pista 2"] });
  });

  it.skipIf(!hasNbformat)("is valid against the official nbformat schema", () => {
    const paths = [doc, lesson, { format: 1 as const, metadata: { title: "" }, cells: [] }].map((d, i) => {
      const p = join(dir, `export-${i}.ipynb`);
      writeFileSync(p, toIpynbJson(d));
      return p;
    });
    const out = validate(paths);
    expect(out.trim().split("\n")).toEqual(paths.map((p) => `ok ${p}`));
  });

  it.skipIf(!hasNbformat)("the validator does reject a broken notebook", () => {
    const bad = toIpynb(doc);
    delete (bad.cells[1] as { outputs?: unknown }).outputs;
    const p = join(dir, "bad.ipynb");
    writeFileSync(p, JSON.stringify(bad));
    const r = spawnSync(PY, [VALIDATOR, p], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^invalid /);
  });
});

describe("ipynb import of foreign notebooks", () => {
  const raw = readFileSync("tests/fixtures/ipynb/python-foreign.ipynb", "utf8");
  const doc = fromIpynb(raw);

  it("keeps every cell, joining multiline sources", () => {
    expect(doc.cells.map((c) => [c.id, c.kind])).toEqual([
      ["cell-1", "markdown"],
      ["cell-2", "code"],
      ["cell-3", "markdown"],
      ["cell-4", "code"],
      ["cell-5", "sql"],
    ]);
    expect(doc.cells[0].source).toBe("# A Python notebook\n\nMade by Jupyter, not by Cuaderno.");
    expect(doc.cells[1]).toMatchObject({
      source: "print('hello')\nprint('world')\n42",
      executionCount: 3,
      metadata: { tags: ["parameters"], collapsed: false },
      outputs: [
        { type: "stream", name: "stdout", text: "hello\nworld\n" },
        { type: "display", data: { "text/html": "<b>bold</b>", "text/plain": "<IPython.core.display.HTML object>" } },
        { type: "result", data: { "text/plain": "42" } },
      ],
    });
    expect(doc.cells[2]).toMatchObject({ kind: "markdown", raw: true, source: "raw text, not rendered" });
    expect(doc.cells[3]).toMatchObject({ outputs: [{ type: "error", name: "ZeroDivisionError", message: "division by zero" }] });
    expect(doc.cells[4].source).toBe("SELECT * FROM penguins");
  });

  it("survives export → import unchanged, and the export is valid", () => {
    const again = fromIpynb(toIpynb(doc));
    expect(again).toEqual(doc);
    if (hasNbformat) {
      const p = join(dir, "foreign-roundtrip.ipynb");
      writeFileSync(p, toIpynbJson(doc));
      expect(validate([p]).trim()).toBe(`ok ${p}`);
    }
  });

  it("rejects what is not a notebook", () => {
    expect(() => fromIpynb("{")).toThrow(/invalid JSON/);
    expect(() => fromIpynb({ nbformat: 3, cells: [] })).toThrow(/nbformat 4/);
    expect(() => fromIpynb({ nbformat: 4, cells: [{ cell_type: "weird", source: "", metadata: {} }] })).toThrow(/unknown cell_type/);
    // each with a code and parameters the UI translates
    const codeOf = (input: unknown) => {
      try {
        fromIpynb(input);
      } catch (e) {
        return { code: (e as IpynbFormatError).code, params: (e as IpynbFormatError).params };
      }
    };
    expect(codeOf("{")).toEqual({ code: "invalidJson", params: {} });
    expect(codeOf({ nbformat: 4 })).toEqual({ code: "noCells", params: {} });
    expect(codeOf({ nbformat: 3, cells: [] })).toEqual({ code: "version", params: { version: "3" } });
    expect(codeOf({ nbformat: 4, cells: [{ cell_type: "markdown", source: "", metadata: {} }, { cell_type: "weird", source: "", metadata: {} }] })).toMatchObject({ code: "cellType", params: { cell: 2, type: "weird" } });
  });

  it("toMultiline matches Jupyter's convention", () => {
    expect(toMultiline("a\nb\n")).toEqual(["a\n", "b\n"]);
    expect(toMultiline("a")).toEqual(["a"]);
    expect(toMultiline("")).toEqual([]);
  });
});
