// Row validation and packing, the model.json reading and the plain-data pre/post-processing.
import { describe, expect, it } from "vitest";
import { ServingError } from "@/lib/serving/engine/errors";
import { checkModelSizeOrThrow, readModelShapeOrThrow } from "@/lib/serving/engine/model-spec";
import { checkScalingOrThrow, inverseScales, labelRows } from "@/lib/serving/engine/preprocess";
import { packRowsOrThrow } from "@/lib/serving/engine/validate";

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof ServingError ? `${e.code}: ${e.message}` : `other: ${String(e)}`;
  }
  return "no error";
};

describe("packRowsOrThrow", () => {
  it("packs rows row-major and applies standard scaling in the same pass", () => {
    expect(Array.from(packRowsOrThrow([[1, 2], [3, 4]], { width: 2, maxRows: 10 }))).toEqual([1, 2, 3, 4]);
    const inv = inverseScales({ mean: [1, 2], scale: [2, 0] });
    expect(Array.from(packRowsOrThrow([[3, 5]], { width: 2, maxRows: 10, mean: [1, 2], inverseScale: inv }))).toEqual([1, 3]);
    expect(Array.from(packRowsOrThrow([new Float64Array([0.5, 1.5])], { width: 2, maxRows: 10 }))).toEqual([0.5, 1.5]);
  });

  it("refuses what is not rows of finite numbers of the right width", () => {
    const opts = { width: 2, maxRows: 3 };
    expect(codeOf(() => packRowsOrThrow({ a: 1 }, opts))).toBe("bad-input: Expected a list of rows (each a list of 2 numbers), got an object");
    expect(codeOf(() => packRowsOrThrow([[1, 2], [1]], opts))).toBe("bad-input: Row 1 has 1 values; the model takes 2 features");
    expect(codeOf(() => packRowsOrThrow([[1, null]], opts))).toBe("bad-input: Row 0, feature 1: expected a finite number, got null");
    expect(codeOf(() => packRowsOrThrow([[-Infinity, 1]], opts))).toBe("bad-input: Row 0, feature 0: expected a finite number, got -Infinity");
    expect(codeOf(() => packRowsOrThrow([[1, 2], [1, 2], [1, 2], [1, 2]], opts))).toBe("bad-input: 4 rows in one request; the limit is 3");
    expect(codeOf(() => packRowsOrThrow([[1, 2], "1,2"], opts))).toMatch(/^bad-input: Row 1 is the text "1,2"/);
    expect(codeOf(() => packRowsOrThrow([[]], { width: 0, maxRows: 3 }))).toBe("bad-input: Each row must be a list of at least one number");
  });
});

describe("model.json", () => {
  const sequential = (layers: unknown) => JSON.stringify({ modelTopology: { class_name: "Sequential", config: { name: "s", layers } }, weightsManifest: [] });

  it("reads the input width of Sequential and functional models", () => {
    expect(readModelShapeOrThrow(sequential([{ class_name: "Dense", config: { units: 16, batch_input_shape: [null, 30] } }, { class_name: "Dense", config: { units: 1 } }]))).toEqual({ inputWidth: 30, outputWidth: 1 });
    const functional = JSON.stringify({
      modelTopology: { class_name: "Model", config: { layers: [{ class_name: "InputLayer", name: "in", config: { name: "in", batch_input_shape: [null, 8] } }], input_layers: [["in", 0, 0]], output_layers: [["out", 0, 0]] } },
      weightsManifest: [],
    });
    expect(readModelShapeOrThrow(functional).inputWidth).toBe(8);
  });

  it("refuses what is not a servable layers model", () => {
    expect(codeOf(() => readModelShapeOrThrow("nope"))).toMatch(/^load-failed: model\.json is not valid JSON/);
    expect(codeOf(() => readModelShapeOrThrow("{}"))).toMatch(/^load-failed: model\.json has no modelTopology/);
    expect(codeOf(() => readModelShapeOrThrow(sequential([{ class_name: "Conv2D", config: { batch_input_shape: [null, 28, 28, 1] } }])))).toMatch(/input shape is \[null, 28, 28, 1\]/);
  });

  it("enforces the size limit", () => {
    const bytes = { modelJson: "{}", weights: new ArrayBuffer(2 * 1024 * 1024) };
    expect(codeOf(() => checkModelSizeOrThrow(bytes, 1024 * 1024))).toBe("load-failed: The model is 2.0 MB; the limit per model is 1.0 MB");
    expect(codeOf(() => checkModelSizeOrThrow(bytes, 3 * 1024 * 1024))).toBe("no error");
  });
});

describe("labels and scaling", () => {
  it("thresholds one output and takes the argmax of several", () => {
    expect(labelRows(new Float32Array([0.2, 0.7, 0.5]), 1, {})).toEqual([0, 1, 1]);
    expect(labelRows(new Float32Array([0.2, 0.7]), 1, { threshold: 0.8, labels: ["no", "yes"] })).toEqual(["no", "no"]);
    expect(labelRows(new Float32Array([0.1, 0.7, 0.2, 0.5, 0.3, 0.2]), 3, { labels: ["a", "b", "c"] })).toEqual(["b", "a"]);
  });

  it("checks the scaler against the width", () => {
    expect(codeOf(() => checkScalingOrThrow({ mean: [0, 0], scale: [1] }, null))).toBe("bad-input: Standard scaling has 2 means and 1 scales");
    expect(codeOf(() => checkScalingOrThrow({ mean: [0, Number.NaN], scale: [1, 1] }, 2))).toMatch(/feature 1: mean and scale must be finite/);
  });
});
