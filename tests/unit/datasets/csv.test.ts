import { describe, expect, it } from "vitest";
import { formatCsv, parseCsv, roundTo } from "@/lib/datasets/csv";

describe("parseCsv", () => {
  it("types numeric, boolean and text columns as a whole", () => {
    const { columns, types, rows } = parseCsv("a,b,c,d\n1,true,x,007\n-2.5e3,FALSE,y,abc\n.5,true,z,12\n");
    expect(columns).toEqual(["a", "b", "c", "d"]);
    expect(types).toEqual({ a: "number", b: "boolean", c: "string", d: "string" });
    expect(rows[0]).toEqual({ a: 1, b: true, c: "x", d: "007" });
    expect(rows[1]).toEqual({ a: -2500, b: false, c: "y", d: "abc" });
    expect(rows[2].a).toBe(0.5);
  });

  it("handles quotes, escaped quotes, commas and newlines inside quotes", () => {
    const text = 'name,note\n"Smith, J.","said ""hi""\non two lines"\nplain,"x"\n';
    const { rows } = parseCsv(text);
    expect(rows).toEqual([
      { name: "Smith, J.", note: 'said "hi"\non two lines' },
      { name: "plain", note: "x" },
    ]);
  });

  it("reads CRLF, a BOM, and a missing final newline", () => {
    const { columns, rows } = parseCsv("\ufeffx,y\r\n1,2\r\n3,4");
    expect(columns).toEqual(["x", "y"]);
    expect(rows).toEqual([
      { x: 1, y: 2 },
      { x: 3, y: 4 },
    ]);
  });

  it("makes empty fields null, but keeps a quoted empty string in a text column", () => {
    const { rows, types } = parseCsv('n,s\n1,""\n,\n3,a\n');
    expect(types).toEqual({ n: "number", s: "string" });
    expect(rows).toEqual([
      { n: 1, s: "" },
      { n: null, s: null },
      { n: 3, s: "a" },
    ]);
  });

  it("treats a trailing comma as an empty last field", () => {
    expect(parseCsv("a,b\n1,").rows).toEqual([{ a: 1, b: null }]);
  });

  it("skips blank lines", () => {
    expect(parseCsv("a\n1\n\n2\n\n").rows).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it("keeps quoted numbers numeric when the column is numeric", () => {
    expect(parseCsv('a\n"1.5"\n2\n').rows).toEqual([{ a: 1.5 }, { a: 2 }]);
  });

  it("does not read Infinity, NaN, hex or padded numbers as numbers", () => {
    for (const v of ["Infinity", "NaN", "0x10", " 1"]) {
      expect(parseCsv(`a\n${v}\n`).types.a).toBe("string");
    }
  });

  it("honours forced column types", () => {
    const parsed = parseCsv("date,code,flag\n2024-01-01,42,1\n", {
      types: { date: "string", code: "string", flag: "boolean" },
    });
    expect(parsed.rows[0]).toEqual({ date: "2024-01-01", code: "42", flag: true });
    expect(() => parseCsv("x\nabc\n", { types: { x: "number" } })).toThrow(/not a number/);
    expect(parseCsv("x\n1\n", { infer: false }).rows[0].x).toBe("1");
  });

  it("returns an empty table for empty input and a header-only table", () => {
    expect(parseCsv("")).toEqual({ columns: [], types: {}, rows: [] });
    expect(parseCsv("a,b\n")).toEqual({ columns: ["a", "b"], types: { a: "string", b: "string" }, rows: [] });
  });

  it("reports malformed input", () => {
    expect(() => parseCsv("a,b\n1,2,3\n")).toThrow(/3 fields/);
    expect(() => parseCsv('a\n"open\n')).toThrow(/unterminated/);
    expect(() => parseCsv('a\n"x"y\n')).toThrow(/after closing quote/);
    expect(() => parseCsv('a\nx"y\n')).toThrow(/stray quote/);
    expect(() => parseCsv("a,a\n1,2\n")).toThrow(/duplicate/);
  });
});

describe("formatCsv", () => {
  it("round-trips through parseCsv, quoting only when needed", () => {
    const text = formatCsv(
      ["id", "name", "score"],
      [
        [1, "plain", 0.5],
        [2, 'has "quotes", commas', null],
        [3, "", -1],
        [4, " padded ", 1e-3],
      ],
    );
    expect(text.split("\n")[1]).toBe("1,plain,0.5");
    expect(parseCsv(text).rows).toEqual([
      { id: 1, name: "plain", score: 0.5 },
      { id: 2, name: 'has "quotes", commas', score: null },
      { id: 3, name: "", score: -1 },
      { id: 4, name: " padded ", score: 0.001 },
    ]);
  });

  it("rejects non-finite numbers and ragged records", () => {
    expect(() => formatCsv(["a"], [[NaN]])).toThrow(/non-finite/);
    expect(() => formatCsv(["a", "b"], [[1]])).toThrow(/expected 2/);
  });
});

describe("roundTo", () => {
  it("rounds and normalises negative zero", () => {
    expect(roundTo(1.23456, 2)).toBe(1.23);
    expect(Object.is(roundTo(-0.0001, 2), 0)).toBe(true);
    expect(String(roundTo(2.5, 3))).toBe("2.5");
  });
});
