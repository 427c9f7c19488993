// datasets.name / datasets.digest / datasets.context in run filters: a run matches when any one of
// its dataset inputs does (MLflow joins the inputs), never through a run without inputs.
import { describe, expect, it } from "vitest";
import { compileFilter, EXPERIMENT_ATTRIBUTES, parseFilter, parseOrderBy, type Searchable } from "@/lib/server/services/tracking/search-filter";

const run = (datasets?: Searchable["datasets"]): Searchable => ({ attributes: {}, params: {}, tags: {}, metrics: {}, datasets });
const mnistRun = run([
  { name: "mnist", digest: "a1", context: "training" },
  { name: "mnist-test", digest: "b2", context: "eval" },
]);
const noContext = run([{ name: "iris", digest: "c3", context: null }]);
const plain = run();
const matches = (filter: string) => [mnistRun, noContext, plain].map(compileFilter(parseFilter(filter)));

describe("datasets.* filters", () => {
  it("parses dataset and datasets as the entity, with MLflow's three keys", () => {
    expect(parseFilter("datasets.name = 'mnist' AND dataset.digest IN ('a1', 'b2') AND datasets.context LIKE 'train%'")).toEqual([
      { entity: "dataset", key: "name", op: "=", value: "mnist" },
      { entity: "dataset", key: "digest", op: "IN", value: ["a1", "b2"] },
      { entity: "dataset", key: "context", op: "LIKE", value: "train%" },
    ]);
  });

  it("matches a run when any of its inputs satisfies the clause", () => {
    expect(matches("datasets.name = 'mnist-test'")).toEqual([true, false, false]);
    expect(matches("datasets.context = 'eval'")).toEqual([true, false, false]);
    expect(matches("datasets.digest IN ('c3', 'zz')")).toEqual([false, true, false]);
    expect(matches("datasets.name ILIKE 'MNIST%'")).toEqual([true, false, false]);
    // != holds through the other input; a run without inputs, or an input without a context, never matches.
    expect(matches("datasets.name != 'mnist'")).toEqual([true, true, false]);
    expect(matches("datasets.context != 'eval'")).toEqual([true, false, false]);
    expect(matches("datasets.name NOT IN ('mnist', 'mnist-test')")).toEqual([false, true, false]);
  });

  it.each([
    ["datasets.size = '3'", /dataset key/],
    ["datasets.name > 3", /comparator|quoted/],
    ["datasets.name IS NULL", /comparator/],
    ["datasets.name = 3", /quoted/],
  ])("refuses %s", (filter, message) => {
    expect(() => parseFilter(filter)).toThrow(message);
  });

  it("is for runs only, and runs are not ordered by datasets", () => {
    expect(() => parseFilter("datasets.name = 'x'", EXPERIMENT_ATTRIBUTES)).toThrow(/runs only/);
    expect(() => parseOrderBy(["datasets.name ASC"])).toThrow(/datasets/);
  });
});
