import { describe, expect, it } from "vitest";
import { toTableDataset } from "@/lib/datasets/table";

const rows = [
  { x: 1, flag: true, cat: "a", y: 0 },
  { x: 2.5, flag: false, cat: "b", y: 1 },
  { x: null, flag: true, cat: "a", y: 0 },
];

describe("toTableDataset", () => {
  const ds = toTableDataset("toy", ["x", "flag", "cat", "y"], rows);

  it("exposes the contract's fields", () => {
    expect(ds.kind).toBe("table");
    expect(ds.name).toBe("toy");
    expect(ds.columns).toEqual(["x", "flag", "cat", "y"]);
    expect(ds.rows).toBe(rows);
  });

  it("column() returns a fresh array of one column", () => {
    expect(ds.column("cat")).toEqual(["a", "b", "a"]);
    const col = ds.column("y");
    col[0] = 99;
    expect(ds.column("y")).toEqual([0, 1, 0]);
    expect(() => ds.column("nope")).toThrow(/no column "nope".*Columns: x, flag, cat, y/);
  });

  it("matrix() is row-major, maps booleans to 0/1 and nulls to NaN", () => {
    expect(ds.matrix(["x", "flag"])).toEqual([
      [1, 1],
      [2.5, 0],
      [NaN, 1],
    ]);
    expect(ds.matrix([])).toEqual([[], [], []]);
  });

  it("matrix() refuses text and unknown columns", () => {
    expect(() => ds.matrix(["x", "cat"])).toThrow(/"cat" is not numeric/);
    expect(() => ds.matrix(["zzz"])).toThrow(/no column "zzz"/);
  });

  it("rejects duplicate column names", () => {
    expect(() => toTableDataset("dup", ["a", "a"], [])).toThrow(/duplicate/);
  });
});
