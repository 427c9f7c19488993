import { describe, expect, it } from "vitest";
import { compileFilter, compileOrder, EXPERIMENT_ATTRIBUTES, parseFilter, parseOrderBy, type Searchable } from "@/lib/server/services/tracking/search-filter";

const run = (o: Partial<Searchable> & { id: string }): Searchable => ({
  attributes: { run_id: o.id, status: "FINISHED", start_time: 0, ...(o.attributes ?? {}) },
  params: o.params ?? {},
  tags: o.tags ?? {},
  metrics: o.metrics ?? {},
});

describe("parseFilter", () => {
  it("parses MLflow's documented example", () => {
    expect(parseFilter("metrics.acc > 0.9 and params.lr = '0.01' and tags.x != 'y' and attributes.status = 'FINISHED'")).toEqual([
      { entity: "metric", key: "acc", op: ">", value: 0.9 },
      { entity: "param", key: "lr", op: "=", value: "0.01" },
      { entity: "tag", key: "x", op: "!=", value: "y" },
      { entity: "attribute", key: "status", op: "=", value: "FINISHED" },
    ]);
  });

  it("handles quoted keys, LIKE/ILIKE, IN lists, IS NULL and aliases", () => {
    expect(parseFilter('metrics."val loss" <= -1.5e-3 AND tags.`mlflow.user` LIKE \'ana%\'')).toEqual([
      { entity: "metric", key: "val loss", op: "<=", value: -1.5e-3 },
      { entity: "tag", key: "mlflow.user", op: "LIKE", value: "ana%" },
    ]);
    expect(parseFilter("run.status IN ('FINISHED', 'FAILED') and param.opt ILIKE \"ADAM\" and tags.note IS NOT NULL")).toEqual([
      { entity: "attribute", key: "status", op: "IN", value: ["FINISHED", "FAILED"] },
      { entity: "param", key: "opt", op: "ILIKE", value: "ADAM" },
      { entity: "tag", key: "note", op: "IS NOT NULL", value: null },
    ]);
    expect(parseFilter("attributes.run_name != 'x'")[0].key).toBe("run_name");
  });

  it.each([
    ["metrics.acc > 'high'", /numeric/],
    ["params.lr > 0.1", /comparator|quoted/],
    ["metrics.acc LIKE '0.9'", /comparator/],
    ["attributes.nope = 'x'", /attribute key/],
    ["foo.bar = 'x'", /entity type/],
    ["metrics.acc > 0.9 or metrics.acc < 0.1", /AND/],
    ["params.lr = '0.1", /unterminated/],
    ["metrics.acc > 0.9 and", /dangling/],
  ])("rejects %s", (f, msg) => {
    expect(() => parseFilter(f)).toThrow(msg);
  });

  it("parses experiment filters with their own attributes", () => {
    expect(parseFilter("name LIKE 'lesson/%'", EXPERIMENT_ATTRIBUTES)).toEqual([{ entity: "attribute", key: "name", op: "LIKE", value: "lesson/%" }]);
    expect(() => parseFilter("attributes.status = 'x'", EXPERIMENT_ATTRIBUTES)).toThrow();
  });
});

describe("compileFilter / compileOrder", () => {
  const runs = [
    run({ id: "a", metrics: { acc: 0.95 }, params: { lr: "0.01", opt: "Adam" }, tags: { x: "y" } }),
    run({ id: "b", metrics: { acc: 0.8 }, params: { lr: "0.01", opt: "sgd" }, tags: { x: "z" } }),
    run({ id: "c", metrics: { acc: NaN }, params: { lr: "0.1" }, attributes: { status: "FAILED", start_time: 5 } }),
    run({ id: "d", params: { lr: "0.01" } }),
  ];
  const ids = (f: string) => runs.filter(compileFilter(parseFilter(f))).map((r) => r.attributes.run_id);

  it("evaluates like MLflow: missing keys never match, LIKE is case-sensitive and ILIKE not", () => {
    expect(ids("metrics.acc > 0.9")).toEqual(["a"]);
    expect(ids("params.lr = '0.01' and tags.x != 'y'")).toEqual(["b"]);
    expect(ids("params.opt LIKE 'a%'")).toEqual([]);
    expect(ids("params.opt ILIKE 'a%'")).toEqual(["a"]);
    expect(ids("params.opt LIKE '_gd'")).toEqual(["b"]);
    expect(ids("attributes.status = 'FAILED'")).toEqual(["c"]);
    expect(ids("metrics.acc IS NULL")).toEqual(["d"]);
    expect(ids("attributes.status NOT IN ('FAILED')")).toEqual(["a", "b", "d"]);
  });

  it("orders by metrics with missing and NaN values last, either direction", () => {
    const sortIds = (o: string[]) => [...runs].sort(compileOrder(parseOrderBy(o))).map((r) => r.attributes.run_id);
    expect(sortIds(["metrics.acc DESC"])).toEqual(["a", "b", "c", "d"]);
    expect(sortIds(["metrics.acc ASC"])).toEqual(["b", "a", "c", "d"]);
    expect(sortIds(["attributes.start_time DESC", "params.lr"])).toEqual(["c", "a", "b", "d"]);
    expect(() => parseOrderBy(["metrics.acc sideways"])).toThrow();
  });
});
