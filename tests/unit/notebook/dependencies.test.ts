import { describe, expect, it } from "vitest";
import { analyzeCell, analyzeSql, analyzeTypeScript, dependencyGraph, staleAfter } from "@/lib/notebook/dependencies";
import { CellId, type Cell } from "@/lib/notebook/types";

const ts = (source: string) => analyzeTypeScript(source);
const code = (id: string, source: string): Cell => ({ id: CellId.of(id), kind: "code", source, outputs: [] });
const sqlCell = (id: string, source: string): Cell => ({ id: CellId.of(id), kind: "sql", source, outputs: [] });

describe("analyzeTypeScript", () => {
  it("finds top-level definitions of every kind", () => {
    const a = ts(`
      import def, { a as b, c } from "mod";
      import * as ns from "ns";
      import type { OnlyType } from "types";
      const { x, y: [z, ...rest], ...others } = obj;
      let [p = q, , r] = arr;
      var v = 1;
      function f(n: number): number { return n; }
      class K extends Base {}
      enum Color { Red, Green }
      interface I { field: number }
      type T = I;
      if (cond) { var hoisted = 1; let blockLocal = 2; }
    `);
    expect(a.error).toBeUndefined();
    expect(a.defs).toEqual(["def", "b", "c", "ns", "x", "z", "rest", "others", "p", "r", "v", "f", "K", "Color", "hoisted"]);
    expect(a.uses).toEqual(["obj", "arr", "q", "Base", "cond"]);
  });

  it("ignores locals, parameters, properties, types and globals", () => {
    const a = ts(`
      const model = tf.sequential();
      function train(epochs: number, { lr = defaultLr }: Opts = {}) {
        const loss = epochs * lr;
        for (let i = 0; i < epochs; i++) console.log(i, loss, Math.max(i, 1));
        try { risky(); } catch (err) { console.error(err.message); }
        return helper(loss);
      }
      const out = { model, [keyName]: 1, nested: { deep: value } };
      out.nested.deep;
      const cast = other as unknown as SomeType;
      const arrow = (m: Model<Generic>) => m.predict(xTest);
      class C { field = fieldInit; method(arg) { return arg + this.field + methodFree; } }
      const label = await data.load("fraud");
      show.table(label);
      check(true, "ok");
      JSON.stringify(new Map([[1, 2]]));
    `);
    expect(a.defs).toEqual(["model", "train", "out", "cast", "arrow", "C", "label"]);
    expect(a.uses).toEqual(["defaultLr", "risky", "helper", "keyName", "value", "other", "xTest", "fieldInit", "methodFree"]);
  });

  it("handles shadowing inside functions and blocks", () => {
    const a = ts(`
      function f() { const data2 = 1; return data2 + shadowed; }
      const g = (shadowed) => shadowed + 1;
      { const shadowed = 2; use1(shadowed); }
      const h = function named() { return named; };
      let later = usedBeforeDef; const usedBeforeDef = 1;
    `);
    expect(a.uses).toEqual(["shadowed", "use1"]);
    expect(a.defs).toEqual(["f", "g", "h", "later", "usedBeforeDef"]);
  });

  it("counts assignments to outer names and names in sql`` templates as uses", () => {
    const a = ts("counter = counter + 1; [first, second] = pair; const r = await sql`SELECT * FROM fraud JOIN users u ON u.id = fraud.uid`;");
    expect(a.uses).toEqual(["counter", "first", "second", "pair", "fraud", "users"]);
    expect(a.defs).toEqual(["r"]);
  });

  it("records tables made by data.load and sql`CREATE …` apart from variables", () => {
    const a = ts('const ds = await data.load("magnet-signals"); await sql`CREATE TABLE small AS SELECT * FROM fraud`;');
    expect(a.defs).toEqual(["ds"]);
    expect(a.tables).toEqual(["magnet-signals", "small"]);
    expect(a.uses).toEqual(["fraud"]);
    const g = dependencyGraph([
      code("load", 'const ds = await data.load("magnet-signals");'),
      sqlCell("q", 'SELECT label, count(*) FROM "magnet-signals" GROUP BY label'),
    ]);
    expect(g.byId["q"].dependsOn).toEqual(["load"]);
  });

  it("reports syntax errors without throwing", () => {
    const a = ts("const = 1");
    expect(a.defs).toEqual([]);
    expect(a.uses).toEqual([]);
    expect(a.error).toBeTruthy();
  });
});

describe("analyzeSql", () => {
  it("finds tables after FROM and JOIN, not CTEs, aliases or columns", () => {
    const a = analyzeSql(`
      -- FROM commented_out
      WITH recent AS (SELECT * FROM fraud WHERE amount > 10), agg (a, b) AS (SELECT 1, 2)
      SELECT r.*, 'FROM strings' AS s FROM recent r
      JOIN "magnet-signals" AS m ON m.id = r.id
      LEFT JOIN main.users u USING (id), extra
      WHERE x IN (SELECT id FROM blocked)
    `);
    expect(a.uses).toEqual(["fraud", "magnet-signals", "users", "blocked"]);
    expect(a.defs).toEqual([]);
    expect(analyzeSql("SELECT * FROM a, b AS bb, c WHERE 1").uses).toEqual(["a", "b", "c"]);
    expect(analyzeSql("SELECT * FROM read_csv('x.csv')").uses).toEqual([]);
  });

  it("defines CREATE TABLE / VIEW names", () => {
    expect(analyzeSql("CREATE OR REPLACE TABLE small AS SELECT * FROM fraud LIMIT 10")).toEqual({ defs: ["small"], uses: ["fraud"] });
    expect(analyzeSql("CREATE VIEW IF NOT EXISTS v AS SELECT 1; SELECT * FROM v")).toEqual({ defs: ["v"], uses: [] });
    expect(analyzeSql("INSERT INTO log SELECT * FROM src").uses).toEqual(["log", "src"]);
  });
});

describe("dependencyGraph and staleAfter", () => {
  const cells: Cell[] = [
    { id: CellId.of("intro"), kind: "markdown", source: "# x" },
    code("load", 'const fraud = await data.load("fraud"); const n = 10;'),
    code("split", "const [train, test] = ml.split.trainTest(fraud, { seed: n });"),
    sqlCell("counts", "SELECT is_fraud, count(*) FROM fraud GROUP BY 1"),
    code("model", "const model = makeModel(train); function makeModel(d) { return d; }"),
    code("redefine", "const n = 20;"),
    code("eval", "const score = model.evaluate(test) * n;"),
    {
      id: CellId.of("ex"),
      kind: "exercise",
      source: "const threshold = 0.5;",
      starter: "const threshold = 0.5;",
      check: "check(threshold < score, 'no');",
      hints: [],
      solution: "",
      outputs: [],
    },
    code("orphan", "print(nothing)"),
  ];
  const g = dependencyGraph(cells);

  it("links each use to the last earlier definer", () => {
    expect(g.byId["split"].dependsOn).toEqual(["load"]);
    expect(g.byId["counts"].dependsOn).toEqual(["load"]);
    expect(g.byId["model"].dependsOn).toEqual(["split"]);
    expect(g.byId["eval"].dependsOn).toEqual(["split", "model", "redefine"]);
    expect(g.byId["ex"].dependsOn).toEqual(["eval"]);
    expect(g.byId["ex"].uses).toEqual(["score"]);
    expect(g.byId["orphan"].unresolved).toEqual(["print", "nothing"]);
    expect(g.byId["intro"]).toMatchObject({ defs: [], uses: [], dependsOn: [] });
    expect(g.cells.map((c) => c.id)).toEqual(cells.map((c) => c.id));
  });

  it("propagates staleness transitively, in notebook order", () => {
    expect(staleAfter("load", g)).toEqual(["split", "counts", "model", "eval", "ex"]);
    expect(staleAfter("redefine", g)).toEqual(["eval", "ex"]);
    expect(staleAfter("model", g)).toEqual(["eval", "ex"]);
    expect(staleAfter("ex", g)).toEqual([]);
  });

  it("analyzeCell leaves markdown and quizzes alone", () => {
    expect(analyzeCell({ id: CellId.of("q"), kind: "quiz", source: "? x" })).toEqual({ defs: [], uses: [] });
  });
});
