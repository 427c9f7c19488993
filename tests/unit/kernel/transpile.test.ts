import { describe, expect, it } from "vitest";
import { CellSyntaxError, TranspileCache, transpileCell } from "@/lib/kernel/transpile";
import { KernelScope } from "@/lib/kernel/scope";

type Fn = (...a: unknown[]) => Promise<unknown>;
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (...a: string[]) => Fn;

/** Runs cells in order against one scope, the way the executor does (minus events). */
function makeRunner() {
  const scope = new KernelScope();
  return {
    scope,
    async run(source: string) {
      const t = transpileCell(source, { isScopeName: (n) => scope.has(n) });
      const fn = new AsyncFunction("__$s", "__$r", "__$a", t.body);
      const value = await fn(scope.values, scope.checked, (v: unknown) => v);
      scope.recordDefinitions("c", t.declared);
      return value;
    },
  };
}

describe("transpileCell", () => {
  it("strips types and keeps line numbers", () => {
    const src = "interface P {\n  a: number;\n}\nconst p: P = { a: 1 };\np.a";
    const t = transpileCell(src);
    expect(t.body.split("\n")).toHaveLength(src.split("\n").length);
    expect(t.body.split("\n")[3]).toContain("__$s.p = { a: 1 }");
    expect(t.declared).toEqual(["p"]);
    expect(t.hasResult).toBe(true);
  });

  it("returns the last expression, supports top-level await", async () => {
    const r = makeRunner();
    expect(await r.run("const a = await Promise.resolve(20);\na + 1")).toBe(21);
    expect(await r.run("(a)")).toBe(20);
    expect(await r.run("await new Promise((res) => setTimeout(() => res(5), 1))")).toBe(5);
  });

  it("does not return assignments or declarations", async () => {
    const r = makeRunner();
    expect(await r.run("let x = 1")).toBeUndefined();
    expect(await r.run("x = 2")).toBeUndefined();
    expect(r.scope.values.x).toBe(2);
  });

  it("lets later cells use earlier names and re-running redefines const", async () => {
    const r = makeRunner();
    await r.run("const x = 1;");
    expect(await r.run("x * 10")).toBe(10);
    await r.run("const x = 2;");
    expect(await r.run("x * 10")).toBe(20);
  });

  it("handles destructuring (nested, defaults, rest) and declarations without init", async () => {
    const r = makeRunner();
    await r.run("const {a, b: [c, d = 4], ...rest} = {a: 1, b: [3], e: 5, f: 6};\nlet u, v = 7\nvar [h, ...t] = [8, 9, 10]");
    expect(r.scope.values).toMatchObject({ a: 1, c: 3, d: 4, rest: { e: 5, f: 6 }, u: undefined, v: 7, h: 8, t: [9, 10] });
    expect(r.scope.userNames().sort()).toEqual(["a", "c", "d", "h", "rest", "t", "u", "v"]);
  });

  it("closures see later redefinitions; functions are hoisted; classes persist", async () => {
    const r = makeRunner();
    await r.run("const k = 2;\nconst twice = () => k * 2;\nconst early = hoisted();\nfunction hoisted() { return 'h'; }");
    expect(r.scope.values.early).toBe("h");
    expect(await r.run("twice()")).toBe(4);
    await r.run("const k = 10;");
    expect(await r.run("twice()")).toBe(20);
    await r.run("class Point { constructor(x) { this.x = x } norm() { return Math.abs(this.x) } }");
    expect(await r.run("new Point(-3).norm()")).toBe(3);
  });

  it("a function may refer to a name defined by a later cell", async () => {
    const r = makeRunner();
    await r.run("function f() { return later + 1; }");
    await expect(r.run("f()")).rejects.toThrow(/later is not defined/);
    await r.run("const later = 41;");
    expect(await r.run("f()")).toBe(42);
  });

  it("keeps locals, parameters, labels, property names and typeof as they are", async () => {
    const r = makeRunner();
    await r.run("const x = 'outer';");
    expect(await r.run("function g(x) { const y = { x }; return y.x; }\ng('param')")).toBe("param");
    expect(await r.run("let s = 0;\nouter: for (let i = 0; i < 5; i++) { for (const x of [1, 2]) { if (i === 3) break outer; s += x; } }\ns")).toBe(9);
    expect(await r.run("typeof notDefinedAnywhere")).toBe("undefined");
    expect(await r.run("({ x }).x")).toBe("outer");
    expect(await r.run("try { throw new Error('e') } catch (x) { x.message }")).toBeUndefined();
  });

  it("object shorthand uses the scope value", async () => {
    const r = makeRunner();
    await r.run("const n = 3");
    expect(await r.run("({ n, m: n + 1 })")).toEqual({ n: 3, m: 4 });
  });

  it("reading or assigning an undeclared name is a ReferenceError", async () => {
    const r = makeRunner();
    await expect(r.run("nope + 1")).rejects.toThrow(ReferenceError);
    await expect(r.run("nope = 1")).rejects.toThrow(/nope is not defined/);
  });

  it("leaves host globals alone", async () => {
    const r = makeRunner();
    expect(await r.run("Math.max(1, 2) + JSON.parse('3')")).toBe(5);
  });

  it("wraps every await with the interrupt hook", () => {
    const t = transpileCell("const a = await f();\nawait g()", { isScopeName: () => true });
    expect(t.body).toContain("__$a(await __$s.f())");
    expect(t.body).toContain("return (__$a(await __$s.g()))");
  });

  it("reports syntax errors with the cell line", () => {
    try {
      transpileCell("const a = 1;\nconst b = ;\n");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CellSyntaxError);
      expect((e as CellSyntaxError).line).toBe(2);
      expect((e as Error).message).toMatch(/\(line 2\)$/);
    }
    expect(() => transpileCell("let q = 1;\n\nfoo(,)")).toThrow(/line 3/);
  });

  it("rejects import and export with a clear message", () => {
    expect(() => transpileCell("const a = 1;\nimport x from 'y';")).toThrow(/import statements are not supported in cells.*\(line 2\)/);
    expect(() => transpileCell("export const a = 1;")).toThrow(/export is not supported/);
    // dynamic import() is an expression, not a statement: allowed
    expect(() => transpileCell("const m = import('./x.js')")).not.toThrow();
  });

  it("does not join a declaration with a following parenthesised line", async () => {
    const r = makeRunner();
    expect(await r.run("let y\n(y)")).toBeUndefined();
    expect(await r.run("let z = 1\n;[z] = [5]\nz")).toBe(5);
  });

  it("async arrows and async functions keep their keyword", async () => {
    const r = makeRunner();
    expect(await r.run("const f = async (a: number) => a + 1;\nasync function g() { return 2 }\nconst o = { async m() { return 3 } };\n(await f(0)) + (await g()) + (await o.m())")).toBe(6);
  });

  it("TypeScript enums and generics work", async () => {
    const r = makeRunner();
    expect(await r.run("enum Color { Red, Green }\nconst id = <T,>(v: T): T => v;\nid(Color.Green)")).toBe(1);
  });
});

describe("TranspileCache", () => {
  it("reuses a cell's output while the scope answers for its names are the same", () => {
    const cache = new TranspileCache();
    const scope = new Set<string>();
    const opts = { isScopeName: (n: string) => scope.has(n) };
    const first = cache.transpile("total + 1", opts);
    expect(first).toEqual(transpileCell("total + 1", opts));
    expect(first.body).toContain("__$r.total");
    expect(cache.transpile("total + 1", opts)).toBe(first);
    scope.add("total");
    const second = cache.transpile("total + 1", opts);
    expect(second).not.toBe(first);
    expect(second.body).toContain("__$s.total");
    expect(cache.transpile("total + 1", opts)).toBe(second);
  });

  it("re-checks host globals, keeps at most `limit` sources and does not cache syntax errors", () => {
    const cache = new TranspileCache(2);
    const hosts = new Set(["Math"]);
    const opts = { isHostGlobal: (n: string) => hosts.has(n) };
    const a = cache.transpile("Math.max(1, 2)", opts);
    expect(a.body).not.toContain("__$r.Math");
    hosts.delete("Math");
    expect(cache.transpile("Math.max(1, 2)", opts).body).toContain("__$r.Math");
    cache.transpile("1", opts);
    cache.transpile("2", opts);
    expect(cache.size).toBe(2);
    expect(() => cache.transpile("let = ;")).toThrow(CellSyntaxError);
    expect(cache.size).toBe(2);
  });
});
