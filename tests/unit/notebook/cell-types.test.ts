// The editor's types of cells (lib/notebook/cell-types.ts) through a real TypeScript language
// service over the generated declarations: earlier cells' names have their inferred types (the
// latest definition wins), top-level await and re-declaration give no false errors, `ml`, `show`
// and `tf` have their real members and docs, and go to definition leads back to the cell.
import { beforeAll, describe, expect, it } from "vitest";
import { cellModule, cellModulePath, cellModules, cellPrelude, cellTypeFiles, definitionOffset, PRELUDE_PATH, type TypedCellInput } from "@/lib/notebook/cell-types";
import { analyzeTypeScript } from "@/lib/notebook/dependencies";
import { addParamNote, documentedDefault } from "@/scripts/notebook-types.mjs";
import { CellTypeChecker } from "./cell-typecheck";

const typed = (sources: string[]): TypedCellInput[] => sources.map((source, i) => ({ id: `c${i}`, source, analysis: analyzeTypeScript(source) }));

describe("defaults carried into the declarations' docs (scripts/notebook-types.mjs)", () => {
  it("reads a field's documented default", () => {
    expect(documentedDefault("The positive class. Default 1.")).toBe("1");
    expect(documentedDefault("The threshold. Default 0.5.")).toBe("0.5");
    expect(documentedDefault("Averaging: `\"binary\"` (default) reports only `posLabel`.")).toBe('`"binary"`');
    expect(documentedDefault("Return the fraction (default true) or the count.")).toBe("true");
    expect(documentedDefault("Row order. Default: sorted union of `yTrue` and `yPred`.")).toBe("sorted union of `yTrue` and `yPred`");
    expect(documentedDefault("Seed.", [{ name: "defaultValue", text: [{ text: "42" }] }])).toBe("42");
    expect(documentedDefault("Maximise F-beta with this beta (default objective, beta = 1).")).toBeNull();
    expect(documentedDefault("How many trees.")).toBeNull();
  });

  it("adds the note to the parameter's @param tag, or adds the tag", () => {
    expect(addParamNote("\n * Scores.\n * @param seed - the seed.\n * @example\n * f(1)\n ", "seed", "Default `0`.")).toBe(" * Scores.\n * @param seed - the seed. Default `0`.\n * @example\n * f(1)");
    expect(addParamNote("\n * Scores.\n * @returns a number\n ", "seed", "Default `0`.")).toBe(" * Scores.\n * @param seed - Default `0`.\n * @returns a number");
    expect(addParamNote("", "seed", "Default `0`.")).toBe(" * @param seed - Default `0`.");
    // A doc that already states the default is left as it is.
    const said = "\n * @param seed - any number. Defaults to 0.\n ";
    expect(addParamNote(said, "seed", "Default `0`.")).toBe(said);
  });
});

describe("cell modules and the prelude", () => {
  it("imports each earlier name from its latest definer and exports the cell's own names", () => {
    const cells = typed(["const a = 1; let b = 2;", "const a = 'x';\ninterface Row { y: number }", "class Model {}\nconst c = a + b;"]);
    expect(cellModule(cells, 2)).toBe(`import { b } from "./c0"; import { a, Row } from "./c1";\nclass Model {}\nconst c = a + b;\n;export { Model, c };\n`);
    const prelude = cellPrelude(cells, 3);
    expect(prelude.text).toContain(`declare const a: CuadernoWidened<typeof import("./c1").a>;`);
    expect(prelude.text).toContain(`declare let b: typeof import("./c0").b;`);
    expect(prelude.text).toContain(`type Row = import("./c1").Row;`);
    expect(prelude.text).toContain(`declare const Model: typeof import("./c2").Model; type Model = import("./c2").Model;`);
    const line = prelude.text.split("\n").findIndex((l) => l.startsWith("declare const a:"));
    expect(prelude.lines[line]).toEqual({ name: "a", cellId: "c1" });
  });

  it("builds every module in one pass exactly as one cellModule call each", () => {
    const cells = typed(["const a = 1; let b = 2;", "const a = 'x';\ninterface Row { y: number }", "class Model {}\nconst c = a + b;", "type Row = string;\nfunction b() {}", "const d = [a, b, c];"]);
    for (let end = 0; end <= cells.length + 1; end++) {
      const expected = Object.fromEntries(cells.slice(0, end).map((_, i) => [cellModulePath(i), cellModule(cells, i)]));
      expect(cellModules(cells, end)).toEqual(expected);
    }
    const { files } = cellTypeFiles(cells, 4);
    expect(Object.keys(files)).toEqual([...[0, 1, 2, 3].map(cellModulePath), PRELUDE_PATH]);
    expect(files[cellModulePath(4)]).toBeUndefined();
  });

  it("finds where a cell declares a name", () => {
    const src = "// data\nconst fraud = await data.load('fraud');\nasync function train(x) {}\nconst { a, b } = obj;";
    expect(definitionOffset(src, "fraud")).toBe(src.indexOf("fraud ="));
    expect(definitionOffset(src, "train")).toBe(src.indexOf("train("));
    expect(definitionOffset(src, "b")).toBe(src.indexOf("b }"));
    expect(definitionOffset(src, "missing")).toBeNull();
  });
});

describe("what the editor's TypeScript service sees", () => {
  let tc: CellTypeChecker;
  beforeAll(() => {
    tc = new CellTypeChecker();
  }, 120_000);

  it("types a name from an earlier cell by inference: const answerToAll: number", () => {
    tc.edit(["const answerToAll = 41"], "answerToAll + 1");
    expect(tc.hover("answerToAll")?.text).toBe("const answerToAll: number");
    expect(tc.errors()).toEqual([]);
  });

  it("the latest definition wins, a let stays assignable, and the cell may redefine a name without errors", () => {
    tc.edit(["let answerToAll = 41", "const answerToAll = 'forty-two'", "let counter = 0"], "answerToAll.toUpperCase();\ncounter = counter + 1;\nconst other = answerToAll;");
    expect(tc.hover("answerToAll")?.text).toBe("const answerToAll: string");
    expect(tc.errors()).toEqual([]);
    tc.edit(["const answerToAll = 41"], "const answerToAll = 'mine';\nanswerToAll.length;");
    expect(tc.errors()).toEqual([]);
  });

  it("datasets, models, classes and types from earlier cells keep their types; top-level await is fine", () => {
    tc.edit(
      ["const fraud = await data.load('fraud');\nconst digits = await data.load('digits');", "const model = tf.sequential();\nclass Scaler { mean = 0 }\ninterface Row { amount: number }"],
      "const rows: Row[] = [];\nconst s = new Scaler();\nawait tf.nextFrame();\nmodel.add(tf.layers.dense({ units: 1 }));\nfraud.columns; digits.labels;",
    );
    expect(tc.hover("fraud")?.text).toBe("const fraud: TableDataset");
    expect(tc.hover("digits")?.text).toBe("const digits: ImageDataset");
    expect(tc.hover("model")?.text).toMatch(/^const model: (tf\.)?Sequential$/);
    expect(tc.hover("s =")?.text).toBe("const s: Scaler");
    expect(tc.errors()).toEqual([]);
  });

  it("a wrong type is one error in the cell", () => {
    tc.edit([], 'const n: number = "text";');
    const errors = tc.errors();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 2322, line: 1 });
  });

  it("ml.metrics. completes every metric, with signature help and TSDoc", () => {
    tc.edit([], "ml.metrics.f1Score([1, 0], [1, 1]);");
    const names = tc.completions("f1Score");
    for (const n of ["f1Score", "f1", "recall", "precision", "rocAuc", "accuracy", "confusionMatrix"]) expect(names).toContain(n);
    const sig = tc.signature("[1, 0]");
    expect(sig?.parameters[0]).toMatch(/^yTrue: /);
    expect(sig?.parameters[1]).toMatch(/^yPred: /);
    expect(sig?.parameters[2]).toMatch(/^options\?: /);
    expect(tc.hover("f1Score", 1)?.docs).toMatch(/F1 score/);
    expect(tc.errors()).toEqual([]);
  });

  it("signature help names each parameter and its default, carried from the source's initializers and documented field defaults", () => {
    tc.edit([], "ml.metrics.f1Score([1, 0], [1, 1], { average: 'macro' });\nml.resample.classWeights([0, 1], 'balanced');\nml.select.getScorer('f1');\nml.metrics.accuracy([1], [1], {});");
    const f1 = tc.signature("{ average");
    expect(f1?.active).toBe(2);
    expect(f1?.parameters[2]).toMatch(/^options\?: ClassificationScoreOptions/);
    // `options = {}` in the source: the defaults of its fields ("Default 1." in their docs).
    expect(f1?.docs[2]).toContain("Defaults: `posLabel` 1, `average` `\"binary\"`, `zeroDivision` 0.");
    // A parameter's own initializer.
    const scorer = tc.signature("'f1'");
    expect(scorer?.parameters[0]).toMatch(/^scoring\?: /);
    expect(scorer?.docs[0]).toContain('Default `"accuracy"`.');
    expect(tc.signature("{})")?.docs[2]).toContain("Defaults: `normalize` true.");
    expect(tc.errors()).toEqual([]);
  });

  it("show, track, sql, check, challenge, endpoints and tf have their real types", () => {
    tc.edit(
      [],
      [
        "show.table([{ a: 1 }]);",
        "const t = await sql`SELECT 1 AS one`;",
        "check(t.rows.length === 1, 'one row');",
        "await track.run('r', { lr: 0.1 }, async (run) => run.logMetric('loss', 0.5));",
        "const list = await challenge.list();",
        "const eps = await endpoints.list();",
        "const x = tf.tensor2d([[1, 2]]); x.square();",
      ].join("\n"),
    );
    expect(tc.hover("t =")?.text).toBe("const t: TableDataset");
    expect(tc.hover("x =")?.text).toMatch(/^const x: (tf\.)?Tensor2D$/);
    expect(tc.errors()).toEqual([]);
    tc.edit([], "show.table(42, 'x');\nml.metrics.nope();");
    expect(tc.errors().map((e) => e.line)).toEqual([1, 2]);
  });

  it("go to definition of an earlier name leads to the prelude line that names its cell", () => {
    tc.edit(["const a = 1", "const answerToAll = 41"], "answerToAll;");
    const defs = tc.definition("answerToAll");
    expect(defs).toHaveLength(1);
    expect(defs[0]!.fileName).toBe(PRELUDE_PATH);
    const prelude = cellPrelude(typed(["const a = 1", "const answerToAll = 41"]), 2);
    expect(prelude.lines[defs[0]!.line - 1]).toEqual({ name: "answerToAll", cellId: "c1" });
  });

  it("a cell below the edited one is checked with the errors its own editor would show (its header's count)", () => {
    const cases: string[][] = [
      ["const a = 1", "const b: string = a;"],
      ['const a = "x"', "const b: string = a;"],
      ["let counter = 0\nconst answerToAll = 41", "const fraud = await data.load('fraud');", "counter = counter + 1;\nconst answerToAll = 'mine';\nanswerToAll.length;\nawait tf.nextFrame();\nfraud.columns;"],
      ["const model = tf.sequential();\ninterface Row { amount: number }", "const rows: Row[] = [{ amount: '1' }];\nmodel.nope();\nml.metrics.f1Score([1], [1]);"],
      ["const a = 41", "const a = 'redefined'", "const n: number = a;\nconst s: string = a;"],
      ["", "const x = ;"],
    ];
    for (const sources of cases) {
      const k = sources.length - 1;
      tc.edit(sources.slice(0, k), sources[k]);
      const asEdited = tc.errors();
      // Meanwhile the first cell is the one being edited: its prelude is the global one.
      tc.edit([], sources[0]);
      expect(tc.checkBelow(sources, k), sources.join(" | ")).toEqual(asEdited);
    }
    expect(tc.checkBelow(["const a = 1", "const b: string = a;"], 1).map((e) => e.code)).toEqual([2322]);
    expect(tc.checkBelow(['const a = "x"', "const b: string = a;"], 1)).toEqual([]);
    expect(tc.checkBelow(["const a = 41", "const a = 'redefined'", "const n: number = a;\nconst s: string = a;"], 2).map((e) => e.line)).toEqual([1]);
  });
});
