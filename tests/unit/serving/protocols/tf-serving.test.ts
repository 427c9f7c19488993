// Conformance of the TF Serving REST layer: requests and answers taken from TF Serving's own
// documentation and tests (tensorflow/serving tensorflow_serving/g3doc/api_rest.md,
// model_servers/http_rest_api_handler_test.cc, util/json_tensor.cc,
// servables/tensorflow/testdata/saved_model_half_plus_two_2_versions_metadata.json), run through
// the protocol functions with real arithmetic standing in for the model.
import { describe, expect, it } from "vitest";
import { ProtocolError } from "@/lib/serving/protocols/errors";
import { MAX_PREDICT_BODY_BYTES } from "@/lib/serving/protocols/json-body";
import { featureSignature, resolveServedVersionOrThrow, type ModelSignature, type ServedModel } from "@/lib/serving/protocols/model";
import { parseTfServingPathOrThrow } from "@/lib/serving/protocols/paths";
import { modelMetadataBodyOrThrow, modelStatusBodyOrThrow } from "@/lib/serving/protocols/tf-model-status";
import {
  decodePredictBodyOrThrow,
  float32JsonNumber,
  predictResponseBody,
  splitOutputsOrThrow,
  unsupportedMethodError,
  type OutputMatrix,
} from "@/lib/serving/protocols/tf-predict";

type Reply = { status: number; body: unknown };

/** What the HTTP layer will do: decode, run the model on the rows, answer (or the error reply). */
function predict(text: string, signature: ModelSignature, model: (rows: number[][]) => number[][], byteLength = Buffer.byteLength(text)): Reply {
  try {
    const { format, rows } = decodePredictBodyOrThrow(text, byteLength, signature);
    const out = model(rows);
    const width = out[0].length;
    const matrix: OutputMatrix = { batch: out.length, width, data: Float32Array.from(out.flat()) };
    return { status: 200, body: predictResponseBody(format, splitOutputsOrThrow(matrix, signature.outputs)) };
  } catch (e) {
    if (e instanceof ProtocolError) return { status: e.status, body: e.body };
    throw e;
  }
}

function replyOf(fn: () => unknown): Reply {
  try {
    return { status: 200, body: fn() };
  } catch (e) {
    if (e instanceof ProtocolError) return { status: e.status, body: e.body };
    throw e;
  }
}

const halfPlusThree = (rows: number[][]) => rows.map((r) => r.map((x) => x / 2 + 3));
const halfPlusTwo = (rows: number[][]) => rows.map((r) => r.map((x) => x / 2 + 2));
const never = () => {
  throw new Error("the model must not run on a bad request");
};

// half_plus_two's serving_default: x [-1,1] → y [-1,1] (the testdata metadata file).
const halfPlusTwoSignature: ModelSignature = { inputs: [{ name: "x", dtype: "DT_FLOAT", shape: [-1, 1] }], outputs: [{ name: "y", dtype: "DT_FLOAT", shape: [-1, 1] }] };
// A scalar-per-instance model as in api_rest.md's half_plus_three example (3 scalars in, 3 out).
const scalarSignature: ModelSignature = { inputs: [{ name: "x", dtype: "DT_FLOAT", shape: [-1] }], outputs: [{ name: "y", dtype: "DT_FLOAT", shape: [-1] }] };
// An element-wise model of width 2 (http_rest_api_handler_test.cc Predict: [[1,2],[3,4]] → [[2.5,3],[3.5,4]]).
const pairSignature: ModelSignature = { inputs: [{ name: "x", dtype: "DT_FLOAT", shape: [-1, 2] }], outputs: [{ name: "y", dtype: "DT_FLOAT", shape: [-1, 2] }] };

describe("predict: the documented examples", () => {
  it("api_rest.md: {instances: [1.0, 2.0, 5.0]} → {predictions: [3.5, 4.0, 5.5]}", () => {
    expect(predict('{"instances": [1.0,2.0,5.0]}', scalarSignature, halfPlusThree)).toEqual({ status: 200, body: { predictions: [3.5, 4.0, 5.5] } });
  });

  it("handler test: rows of two → predictions of two", () => {
    expect(predict('{"instances": [[1.0, 2.0], [3.0, 4.0]]}', pairSignature, halfPlusTwo)).toEqual({ status: 200, body: { predictions: [[2.5, 3.0], [3.5, 4.0]] } });
  });

  it("handler test: signature_name serving_default, row and columnar", () => {
    expect(predict('{"signature_name": "serving_default", "instances": [3.0, 4.0]}', scalarSignature, halfPlusTwo)).toEqual({ status: 200, body: { predictions: [3.5, 4.0] } });
    expect(predict('{"signature_name": "serving_default", "inputs": [3.0, 4.0]}', scalarSignature, halfPlusTwo)).toEqual({ status: 200, body: { outputs: [3.5, 4.0] } });
    expect(predict('{"signature_name": "", "inputs": [3.0]}', scalarSignature, halfPlusTwo)).toEqual({ status: 200, body: { outputs: [3.5] } });
  });

  it("a [-1,1] signature takes scalars per instance, and answers with [-1,1] rows", () => {
    expect(predict('{"instances": [1.0, 2.0]}', halfPlusTwoSignature, halfPlusTwo)).toEqual({ status: 200, body: { predictions: [[2.5], [3.0]] } });
    expect(predict('{"instances": [[1.0], [2.0]]}', halfPlusTwoSignature, halfPlusTwo)).toEqual({ status: 200, body: { predictions: [[2.5], [3.0]] } });
    expect(predict('{"inputs": [[1.0], [2.0]]}', halfPlusTwoSignature, halfPlusTwo)).toEqual({ status: 200, body: { outputs: [[2.5], [3.0]] } });
  });

  // api_rest.md "Specifying input tensors in row format" / "in column format": the same two
  // instances of named inputs (numeric ones; this server has no string tensors).
  const namedSignature: ModelSignature = {
    inputs: [
      { name: "signal", dtype: "DT_FLOAT", shape: [-1, 5] },
      { name: "sensor", dtype: "DT_FLOAT", shape: [-1, 2, 2] },
    ],
    outputs: [{ name: "sum", dtype: "DT_FLOAT", shape: [-1] }],
  };
  const sum = (rows: number[][]) => rows.map((r) => [r.reduce((a, b) => a + b, 0)]);
  const rowRequest = JSON.stringify({
    instances: [
      { signal: [1, 2, 3, 4, 5], sensor: [[1, 2], [3, 4]] },
      { signal: [3, 4, 1, 2, 5], sensor: [[4, 5], [6, 8]] },
    ],
  });
  const columnarRequest = JSON.stringify({ inputs: { signal: [[1, 2, 3, 4, 5], [3, 4, 1, 2, 5]], sensor: [[[1, 2], [3, 4]], [[4, 5], [6, 8]]] } });

  it("named inputs in row format and in columnar format decode to the same feature rows", () => {
    const expected = [
      [1, 2, 3, 4, 5, 1, 2, 3, 4],
      [3, 4, 1, 2, 5, 4, 5, 6, 8],
    ];
    expect(decodePredictBodyOrThrow(rowRequest, rowRequest.length, namedSignature)).toEqual({ format: "row", rows: expected });
    expect(decodePredictBodyOrThrow(columnarRequest, columnarRequest.length, namedSignature)).toEqual({ format: "columnar", rows: expected });
    expect(predict(rowRequest, namedSignature, sum)).toEqual({ status: 200, body: { predictions: [25, 38] } });
    expect(predict(columnarRequest, namedSignature, sum)).toEqual({ status: 200, body: { outputs: [25, 38] } });
  });

  it("doc: 'List of 2 tensors each of [1, 2] shape' is two instances of a [-1,1,2] input", () => {
    const sig: ModelSignature = { inputs: [{ name: "x", dtype: "DT_FLOAT", shape: [-1, 1, 2] }], outputs: [{ name: "y", dtype: "DT_FLOAT", shape: [-1, 2] }] };
    expect(predict('{"instances": [ [[1, 2]], [[3, 4]] ]}', sig, halfPlusTwo)).toEqual({ status: 200, body: { predictions: [[2.5, 3], [3.5, 4]] } });
  });
});

describe("predict: a tabular model (the registry's description)", () => {
  // The fraud model as the registry describes it: 3 named features, one probability out.
  const fraud = featureSignature({ featureCount: 3, featureNames: ["amount", "hour", "distance"], outputNames: ["probability"] });
  // The same model without feature names: one input of [-1, 3].
  const plain = featureSignature({ featureCount: 3, inputName: "dense_input", outputNames: ["probability"] });
  const logistic = (rows: number[][]) => rows.map((r) => [1 / (1 + Math.exp(-(0.01 * r[0] - 0.1 * r[1] + 0.05 * r[2])))]);

  it("builds the signature from feature names or a feature count", () => {
    expect(fraud).toEqual({
      inputs: [
        { name: "amount", dtype: "DT_FLOAT", shape: [-1] },
        { name: "hour", dtype: "DT_FLOAT", shape: [-1] },
        { name: "distance", dtype: "DT_FLOAT", shape: [-1] },
      ],
      outputs: [{ name: "probability", dtype: "DT_FLOAT", shape: [-1] }],
    });
    expect(plain.inputs).toEqual([{ name: "dense_input", dtype: "DT_FLOAT", shape: [-1, 3] }]);
    expect(featureSignature({ featureCount: 2, outputNames: ["scores"], outputWidth: 3 }).outputs).toEqual([{ name: "scores", dtype: "DT_FLOAT", shape: [-1, 3] }]);
    expect(featureSignature({ featureCount: 2, outputNames: ["legit", "fraud"] }).outputs).toHaveLength(2);
    expect(() => featureSignature({ featureCount: 2, featureNames: ["a"] })).toThrow();
    expect(() => featureSignature({ featureCount: 2, featureNames: ["a", "a"] })).toThrow();
    expect(() => featureSignature({ featureCount: 0 })).toThrow();
    expect(() => featureSignature({ featureCount: 1, outputNames: ["a", "b"], outputWidth: 3 })).toThrow();
  });

  it("rows as objects keyed by feature name, in any key order, become rows in the signature's order", () => {
    const text = '{"instances": [{"hour": 3, "distance": 10.5, "amount": 120}, {"amount": 5, "hour": 23, "distance": 0}]}';
    expect(decodePredictBodyOrThrow(text, text.length, fraud)).toEqual({ format: "row", rows: [[120, 3, 10.5], [5, 23, 0]] });
    const reply = predict(text, fraud, logistic);
    expect(reply.status).toBe(200);
    const p = (reply.body as { predictions: number[] }).predictions;
    expect(p).toHaveLength(2);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-(1.2 - 0.3 + 0.525))), 6);
  });

  it("columns by feature name become the same rows", () => {
    const text = '{"inputs": {"amount": [120, 5], "hour": [3, 23], "distance": [10.5, 0], "ignored": "extra keys are not read"}}';
    expect(decodePredictBodyOrThrow(text, text.length, fraud)).toEqual({ format: "columnar", rows: [[120, 3, 10.5], [5, 23, 0]] });
  });

  it("plain rows for a model with one input", () => {
    const text = '{"instances": [[120, 3, 10.5], [5, 23, 0]]}';
    expect(decodePredictBodyOrThrow(text, text.length, plain)).toEqual({ format: "row", rows: [[120, 3, 10.5], [5, 23, 0]] });
    const objects = '{"instances": [{"dense_input": [120, 3, 10.5]}]}';
    expect(decodePredictBodyOrThrow(objects, objects.length, plain)).toEqual({ format: "row", rows: [[120, 3, 10.5]] });
    const columnar = '{"inputs": [[120, 3, 10.5]]}';
    expect(decodePredictBodyOrThrow(columnar, columnar.length, plain)).toEqual({ format: "columnar", rows: [[120, 3, 10.5]] });
    const named = '{"inputs": {"dense_input": [[120, 3, 10.5]]}}';
    expect(decodePredictBodyOrThrow(named, named.length, plain)).toEqual({ format: "columnar", rows: [[120, 3, 10.5]] });
  });

  it("several named outputs answer objects per instance (row) or an object of tensors (columnar)", () => {
    const two = featureSignature({ featureCount: 1, outputNames: ["legit", "fraud"] });
    const softmax = (rows: number[][]) => rows.map((r) => [1 - r[0], r[0]]);
    expect(predict('{"instances": [[0.25], [0.5]]}', two, softmax)).toEqual({ status: 200, body: { predictions: [{ legit: 0.75, fraud: 0.25 }, { legit: 0.5, fraud: 0.5 }] } });
    expect(predict('{"inputs": [[0.25], [0.5]]}', two, softmax)).toEqual({ status: 200, body: { outputs: { legit: [0.75, 0.5], fraud: [0.25, 0.5] } } });
    const wide = featureSignature({ featureCount: 1, outputNames: ["scores"], outputWidth: 2 });
    expect(predict('{"instances": [[0.25]]}', wide, softmax)).toEqual({ status: 200, body: { predictions: [[0.75, 0.25]] } });
    expect(predict('{"inputs": [[0.25]]}', wide, softmax)).toEqual({ status: 200, body: { outputs: [[0.75, 0.25]] } });
  });

  it("float32 outputs are written without noise digits, as TF Serving's WriteDecimal does", () => {
    expect(predict('{"instances": [[0.1], [0.2]]}', featureSignature({ featureCount: 1 }), (rows) => rows)).toEqual({ status: 200, body: { predictions: [0.1, 0.2] } });
    expect(float32JsonNumber(Math.fround(0.8765432))).toBe(0.8765432);
    expect(float32JsonNumber(Math.fround(1 / 3))).toBe(0.33333334);
    expect(Math.fround(float32JsonNumber(Math.fround(1e-7)))).toBe(Math.fround(1e-7));
    expect(float32JsonNumber(4)).toBe(4);
    expect(splitOutputsOrThrow({ batch: 1, width: 1, data: [0.1] }, [{ name: "y", dtype: "DT_DOUBLE", shape: [-1] }]).get("y")!.values).toEqual([0.1]);
  });

  it("a model answering the wrong width is an internal error, not a garbled answer", () => {
    expect(replyOf(() => splitOutputsOrThrow({ batch: 1, width: 2, data: [1, 2] }, fraud.outputs))).toEqual({ status: 500, body: { error: "The model returned 2 values per instance; its signature has 1" } });
    expect(replyOf(() => splitOutputsOrThrow({ batch: 2, width: 1, data: [1] }, fraud.outputs))).toEqual({ status: 500, body: { error: "The model returned 1 values for 2 instances of 1" } });
    expect(replyOf(() => predictResponseBody("row", new Map()))).toEqual({ status: 400, body: { error: "Cannot convert empty tensor map to JSON" } });
  });

  // Every bad body → exact error body and status; the model never runs.
  it.each<[string, string, ModelSignature, number, string]>([
    // http_rest_api_handler_test.cc PredictRequestErrors
    ["empty document", "", plain, 400, "JSON Parse error: The document is empty"],
    ["blank document", " \n", plain, 400, "JSON Parse error: The document is empty"],
    ["strings", '{ "instances": ["x", "y"] }', featureSignature({ featureCount: 1 }), 400, `Failed to process element: 0 of 'instances' list. Error: INVALID_ARGUMENT: JSON Value: "x" Type: String is not of expected type: float`],
    ["signature_name not a string", '{ "signature_name": 100 }', plain, 400, `JSON Value: {"signature_name": 100} not formatted correctly. 'signature_name' key must be a string value.`],
    // json_tensor.cc FillPredictRequestFromJson / ParseJson
    ["a top-level list", "[1, 2]", plain, 400, "JSON Value: [1, 2] Is not object"],
    ["both formats", '{"instances": [[1,2,3]], "inputs": [[1,2,3]]}', plain, 400, `JSON Value: {"instances": [[1, 2, 3]], "inputs": [[1, 2, 3]]} Not formatted correctly expecting only one of 'inputs' or 'instances' keys to exist `],
    ["neither format", '{"rows": [[1,2,3]]}', plain, 400, "Missing 'inputs' or 'instances' key"],
    ["instances not a list", '{"instances": {"a": 1}}', plain, 400, `JSON Value: {"instances": {"a": 1}} Expecting 'instances' to be an list/array`],
    ["empty instances", '{"instances": []}', plain, 400, `JSON Value: {"instances": []} No values in 'instances' array`],
    ["another signature", '{"signature_name": "classify", "instances": [[1,2,3]]}', plain, 400, 'Serving signature name: "classify" not found in signature def'],
    // FillTensorMapFromInstancesList
    ["ragged rows", '{"instances": [[1, 2, 3], [4, 5]]}', plain, 400, "Failed to process element: 1 of 'instances' list. Error: INVALID_ARGUMENT: Expecting tensor size: 3 but got: 2"],
    ["rows of another shape, same size", '{"instances": [[1, 2, 3, 4], [[1, 2], [3, 4]]]}', featureSignature({ featureCount: 4 }), 400, "Failed to process element: 1 of 'instances' list. Error: INVALID_ARGUMENT: Expecting shape [4] but got: [2,2]"],
    ["objects then a list", '{"instances": [{"dense_input": [1,2,3]}, [1,2,3]]}', plain, 400, "Expecting object but got list at item 1 of input list"],
    ["a list then objects", '{"instances": [[1,2,3], {"dense_input": [1,2,3]}]}', plain, 400, "Expecting value/list but got object at item 1 of input list"],
    ["an unknown named input", '{"instances": [{"x": [1,2,3]}]}', plain, 400, "Failed to process element: 0 key: x of 'instances' list. Error: INVALID_ARGUMENT: JSON object: does not have named input: x"],
    ["a missing feature", '{"instances": [{"amount": 1, "hour": 2}]}', fraud, 400, `Failed to process element: 0 of 'instances' list. JSON object: {"amount": 1, "hour": 2} keys must be equal to: amount,distance,hour`],
    ["plain rows for named features", '{"instances": [[1, 2, 3]]}', fraud, 400, "instances is a plain list, but expecting list of objects as multiple input tensors required as per tensorinfo_map"],
    ["a feature as text", '{"instances": [{"amount": "12", "hour": 2, "distance": 1}]}', fraud, 400, `Failed to process element: 0 key: amount of 'instances' list. Error: INVALID_ARGUMENT: JSON Value: "12" Type: String is not of expected type: float`],
    ["a null feature", '{"instances": [[1, null, 3]]}', plain, 400, "Failed to process element: 0 of 'instances' list. Error: INVALID_ARGUMENT: JSON Value: null Type: Null is not of expected type: float"],
    ["a boolean feature", '{"instances": [[1, true, 3]]}', plain, 400, "Failed to process element: 0 of 'instances' list. Error: INVALID_ARGUMENT: JSON Value: true Type: True is not of expected type: float"],
    // FillTensorMapFromInputsMap / FillTensorProto
    ["plain inputs for named features", '{"inputs": [[1, 2, 3]]}', fraud, 400, "inputs is a plain value/list, but expecting an object as multiple input tensors required as per tensorinfo_map"],
    ["a missing column", '{"inputs": {"amount": [1], "hour": [2]}}', fraud, 400, "Missing named input: distance in 'inputs' object."],
    ["ragged columnar rows", '{"inputs": [[1, 2, 3], [4, 5]]}', plain, 400, "Encountered list at unexpected size: 2 at level: 1 expected size: 3"],
    ["a value above its level", '{"inputs": [[1, 2, 3], 4]}', plain, 400, "JSON Value: 4 found at incorrect level: 2 in the JSON DOM. Expected at level: 2"],
    ["a list below the leaves", '{"inputs": [[1, [2], 3]]}', plain, 400, "Encountered list at unexpected level: 2 expected < 2"],
    // The signature's shapes (the model's feature count)
    ["too few features", '{"instances": [[1, 2]]}', plain, 400, "Input tensor dense_input has shape [1,2], but the signature needs [-1,3]: 3 values per instance"],
    ["too many features", '{"inputs": [[1, 2, 3, 4]]}', plain, 400, "Input tensor dense_input has shape [1,4], but the signature needs [-1,3]: 3 values per instance"],
    ["a scalar for a row model", '{"inputs": 5}', plain, 400, "Input tensor dense_input has shape [], but the signature needs [-1,3]: 3 values per instance"],
    ["a matrix per instance", '{"instances": [[[1, 2, 3], [4, 5, 6]]]}', plain, 400, "Input tensor dense_input has shape [1,2,3], but the signature needs [-1,3]: 3 values per instance"],
    ["a list for a scalar feature", '{"instances": [{"amount": [1, 2], "hour": 2, "distance": 1}]}', fraud, 400, "Input tensor amount has shape [1,2], but the signature needs [-1]: one value per instance"],
    ["no columnar instances", '{"inputs": []}', featureSignature({ featureCount: 1 }), 400, "Input tensor inputs has no instances (batch size 0)"],
    ["columns of different lengths", '{"inputs": {"amount": [1, 2], "hour": [2], "distance": [1]}}', fraud, 400, "Input tensor hour has inconsistent batch size: 1 expecting: 2 (the batch size of amount)"],
    // Not finite: refused (TF Serving would take the NaN token).
    ["a NaN token", '{"instances": [[1, NaN, 3]]}', plain, 400, "JSON Parse error: NaN at offset: 19 is not accepted; every value must be a finite number"],
    ["an -Infinity token", '{"inputs": [[-Infinity, 1, 2]]}', plain, 400, "JSON Parse error: -Infinity at offset: 13 is not accepted; every value must be a finite number"],
    ["a number too large for a double", '{"instances": [[1e999, 1, 2]]}', plain, 400, "Failed to process element: 0 of 'instances' list. Error: INVALID_ARGUMENT: JSON Value: Infinity Type: Number is not a finite number (expected type: float)"],
    // Nesting beyond any tensor this server takes, refused before parsing.
    ["deep nesting", `{"instances": ${"[".repeat(5000)}1${"]".repeat(5000)}}`, plain, 400, "JSON Parse error: The document nests deeper than 12 levels"],
  ])("%s", (_what, text, signature, status, error) => {
    expect(predict(text, signature, never)).toEqual({ status, body: { error } });
  });

  it("a NaN inside a string is only text", () => {
    expect(predict('{"instances": [["NaN", 1, 2]]}', plain, never)).toEqual({
      status: 400,
      body: { error: `Failed to process element: 0 of 'instances' list. Error: INVALID_ARGUMENT: JSON Value: "NaN" Type: String is not of expected type: float` },
    });
  });

  it("invalid JSON is a JSON Parse error", () => {
    const reply = predict("instances = [1, 2]", plain, never);
    expect(reply.status).toBe(400);
    expect((reply.body as { error: string }).error).toMatch(/^JSON Parse error: Unexpected token/);
  });

  it("a 10 MB body is refused by its byte length (413) before it is parsed", () => {
    const tenMb = 10 * 1024 * 1024;
    expect(predict("not even looked at", plain, never, tenMb)).toEqual({ status: 413, body: { error: `Request body of ${tenMb} bytes is larger than the limit of ${MAX_PREDICT_BODY_BYTES} bytes` } });
    // At the limit it is read.
    const rows = Array.from({ length: 1000 }, (_, i) => [i, i + 1, i + 2]);
    const text = JSON.stringify({ instances: rows });
    expect(decodePredictBodyOrThrow(text, MAX_PREDICT_BODY_BYTES, plain).rows).toEqual(rows);
  });

  it("error messages quote at most 256 characters of a value", () => {
    const big = JSON.stringify({ instances: [], pad: "x".repeat(10_000) });
    const reply = predict(big, plain, never);
    const error = (reply.body as { error: string }).error;
    expect(error.startsWith('JSON Value: {"instances": [], "pad": "xxx')).toBe(true);
    expect(error.length).toBeLessThan(256 + 60);
  });

  it("decodes 100-row batches of 30 features quickly (a walk per value)", () => {
    const wide = featureSignature({ featureCount: 30 });
    const text = JSON.stringify({ instances: Array.from({ length: 100 }, (_, r) => Array.from({ length: 30 }, (_, c) => r * 0.5 + c)) });
    const start = performance.now();
    for (let i = 0; i < 200; i++) decodePredictBodyOrThrow(text, text.length, wide);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it(":classify and :regress say that only :predict is served", () => {
    expect({ status: unsupportedMethodError("classify").status, body: unsupportedMethodError("classify").body }).toEqual({
      status: 400,
      body: { error: "Expected classification signature method_name to be tensorflow/serving/classify. Was: tensorflow/serving/predict (this server serves :predict only)" },
    });
    expect(unsupportedMethodError("regress").message).toBe("Expected regression signature method_name to be tensorflow/serving/regress. Was: tensorflow/serving/predict (this server serves :predict only)");
  });
});

describe("which version serves a request", () => {
  const sig = featureSignature({ featureCount: 1 });
  const model: ServedModel = {
    name: "fraud",
    versions: [
      { version: 1, state: "AVAILABLE", signature: sig },
      { version: 2, state: "AVAILABLE", signature: sig },
      { version: 3, state: "LOADING", signature: sig },
      { version: 4, state: "END", error: { code: "UNKNOWN", message: "model.json is not a tfjs layers model" }, signature: sig },
    ],
    labels: { champion: 1, challenger: 2, broken: 4 },
  };
  const resolve = (m: ServedModel | null, path: string) => replyOf(() => resolveServedVersionOrThrow(m, "fraud", parseTfServingPathOrThrow("POST", path).selector).version);

  it("latest is the newest AVAILABLE version; a version or label names one", () => {
    expect(resolve(model, "/v1/models/fraud:predict")).toEqual({ status: 200, body: 2 });
    expect(resolve(model, "/v1/models/fraud/versions/1:predict")).toEqual({ status: 200, body: 1 });
    expect(resolve(model, "/v1/models/fraud/labels/champion:predict")).toEqual({ status: 200, body: 1 });
  });

  it("answers TF Serving's errors for what is not served", () => {
    // api_rest.md: POST /v1/models/half:predict → 404 { "error": "Servable not found for request: Latest(half)" }
    expect(replyOf(() => resolveServedVersionOrThrow(null, "half", { kind: "latest" }))).toEqual({ status: 404, body: { error: "Servable not found for request: Latest(half)" } });
    expect(resolve(model, "/v1/models/fraud/versions/50:predict")).toEqual({ status: 404, body: { error: "Servable not found for request: Specific(fraud, 50)" } });
    expect(resolve(model, "/v1/models/fraud/versions/3:predict")).toEqual({ status: 404, body: { error: "Servable not found for request: Specific(fraud, 3)" } });
    expect(resolve(model, "/v1/models/fraud/labels/broken:predict")).toEqual({ status: 404, body: { error: "Servable not found for request: Specific(fraud, 4)" } });
    expect(resolve(model, "/v1/models/fraud/labels/nonexistent:predict")).toEqual({ status: 400, body: { error: "Unrecognized servable version label: nonexistent" } });
    expect(resolve(model, "/v1/models/fraud/labels/__proto__:predict")).toEqual({ status: 400, body: { error: "Unrecognized servable version label: __proto__" } });
    expect(resolve({ ...model, versions: [model.versions[2]] }, "/v1/models/fraud:predict")).toEqual({ status: 404, body: { error: "Servable not found for request: Latest(fraud)" } });
  });
});

describe("model status and metadata", () => {
  const sig: ModelSignature = halfPlusTwoSignature;
  const model: ServedModel = {
    name: "saved_model_half_plus_two_2_versions",
    versions: [
      { version: 123, state: "AVAILABLE", signature: sig },
      { version: 124, state: "END", error: { code: "UNKNOWN", message: "model.json is not a tfjs layers model" }, signature: sig },
    ],
    labels: { stable: 123 },
  };
  const status = (m: ServedModel | null, path: string) => {
    const route = parseTfServingPathOrThrow("GET", path);
    return replyOf(() => modelStatusBodyOrThrow(m, route.name, route.selector));
  };
  const ok123 = { version: "123", state: "AVAILABLE", status: { error_code: "OK", error_message: "" } };

  it("api_rest.md: GET /v1/models/{name} → model_version_status, newest first", () => {
    const one = { ...model, versions: [model.versions[0]] };
    expect(status(one, "/v1/models/saved_model_half_plus_two_2_versions")).toEqual({ status: 200, body: { model_version_status: [ok123] } });
    expect(status(model, "/v1/models/saved_model_half_plus_two_2_versions")).toEqual({
      status: 200,
      body: { model_version_status: [{ version: "124", state: "END", status: { error_code: "UNKNOWN", error_message: "model.json is not a tfjs layers model" } }, ok123] },
    });
  });

  it("handler test: status of one version, by number or label", () => {
    expect(status(model, "/v1/models/saved_model_half_plus_two_2_versions/versions/123")).toEqual({ status: 200, body: { model_version_status: [ok123] } });
    expect(status(model, "/v1/models/saved_model_half_plus_two_2_versions/labels/stable")).toEqual({ status: 200, body: { model_version_status: [ok123] } });
  });

  it("get_model_status_impl.cc: NOT_FOUND texts", () => {
    expect(status(model, "/v1/models/saved_model_half_plus_two_2_versions/versions/9")).toEqual({ status: 404, body: { error: "Could not find version 9 of model saved_model_half_plus_two_2_versions" } });
    expect(status(null, "/v1/models/foo")).toEqual({ status: 404, body: { error: "Could not find any versions of model foo" } });
    expect(status(model, "/v1/models/saved_model_half_plus_two_2_versions/labels/nope")).toEqual({ status: 400, body: { error: "Unrecognized servable version label: nope" } });
  });

  // servables/tensorflow/testdata/saved_model_half_plus_two_2_versions_metadata.json: model_spec and serving_default.
  const servingDefault = {
    inputs: { x: { dtype: "DT_FLOAT", tensor_shape: { dim: [{ size: "-1", name: "" }, { size: "1", name: "" }], unknown_rank: false }, name: "x:0" } },
    outputs: { y: { dtype: "DT_FLOAT", tensor_shape: { dim: [{ size: "-1", name: "" }, { size: "1", name: "" }], unknown_rank: false }, name: "y:0" } },
    method_name: "tensorflow/serving/predict",
    defaults: {},
  };

  it("GET .../metadata → model_spec and metadata.signature_def.signature_def as in TF Serving's test file", () => {
    const route = parseTfServingPathOrThrow("GET", "/v1/models/saved_model_half_plus_two_2_versions/metadata");
    expect(replyOf(() => modelMetadataBodyOrThrow(model, route.name, route.selector))).toEqual({
      status: 200,
      body: {
        model_spec: { name: "saved_model_half_plus_two_2_versions", signature_name: "", version: "123" },
        metadata: { signature_def: { signature_def: { serving_default: servingDefault } } },
      },
    });
  });

  it("metadata of a version that is not serving is not found", () => {
    expect(replyOf(() => modelMetadataBodyOrThrow(model, model.name, { kind: "version", version: 124 }))).toEqual({ status: 404, body: { error: `Servable not found for request: Specific(${model.name}, 124)` } });
    expect(replyOf(() => modelMetadataBodyOrThrow(null, "foo", { kind: "latest" }))).toEqual({ status: 404, body: { error: "Servable not found for request: Latest(foo)" } });
  });

  it("a tabular model's metadata lists its named features in order", () => {
    const fraud: ServedModel = { name: "fraud", versions: [{ version: 1, state: "AVAILABLE", signature: featureSignature({ featureCount: 2, featureNames: ["amount", "hour"], outputNames: ["probability"] }) }] };
    const body = modelMetadataBodyOrThrow(fraud, "fraud", { kind: "latest" });
    const def = body.metadata.signature_def.signature_def.serving_default;
    expect(Object.keys(def.inputs)).toEqual(["amount", "hour"]);
    expect(def.inputs.amount).toEqual({ dtype: "DT_FLOAT", tensor_shape: { dim: [{ size: "-1", name: "" }], unknown_rank: false }, name: "amount:0" });
    expect(Object.keys(def.outputs)).toEqual(["probability"]);
  });
});
