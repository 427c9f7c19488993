// Conformance of the Open Inference Protocol v2 layer: requests and answers from the protocol's
// text (kserve/open-inference-protocol specification/protocol/inference_rest.md: "Inference
// Request Examples", "Tensor Data", the metadata and health objects), error statuses as KServe's
// server gives them (kserve/kserve python/kserve/kserve/errors.py, protocol/rest/v2_endpoints.py).
import { describe, expect, it } from "vitest";
import { ProtocolError } from "@/lib/serving/protocols/errors";
import { featureSignature, type ModelSignature, type ServedModel } from "@/lib/serving/protocols/model";
import {
  decodeInferBodyOrThrow,
  oipInferResponseBody,
  oipModelMetadataBody,
  oipModelReadyBodyOrThrow,
  oipServerLiveReply,
  oipServerMetadataBody,
  oipServerReadyReply,
  resolveOipVersionOrThrow,
} from "@/lib/serving/protocols/oip";
import { splitOutputsOrThrow } from "@/lib/serving/protocols/tf-predict";

type Reply = { status: number; body: unknown };

function replyOf(fn: () => unknown): Reply {
  try {
    return { status: 200, body: fn() };
  } catch (e) {
    if (e instanceof ProtocolError) return { status: e.status, body: e.body };
    throw e;
  }
}

const matrixSig: ModelSignature = { inputs: [{ name: "input0", dtype: "DT_FLOAT", shape: [-1, 2] }], outputs: [{ name: "output0", dtype: "DT_FLOAT", shape: [-1, 2] }] };
const fraudSig = featureSignature({ featureCount: 3, featureNames: ["amount", "hour", "distance"], outputNames: ["probability"] });
const model: ServedModel = {
  name: "mymodel",
  versions: [
    { version: 1, state: "AVAILABLE", signature: matrixSig },
    { version: 2, state: "AVAILABLE", signature: matrixSig },
    { version: 3, state: "LOADING", signature: matrixSig },
  ],
};

/** The HTTP layer's infer: resolve, decode, run, answer. */
function infer(text: string, m: ServedModel | null, name: string, version: string | null, run: (rows: number[][]) => number[][]): Reply {
  return replyOf(() => {
    const v = resolveOipVersionOrThrow(m, name, version);
    const request = decodeInferBodyOrThrow(text, Buffer.byteLength(text), v.signature, name);
    const out = run(request.rows);
    const outputs = splitOutputsOrThrow({ batch: out.length, width: out[0].length, data: Float32Array.from(out.flat()) }, v.signature.outputs);
    return oipInferResponseBody({ modelName: name, version: v, request, outputs, fallbackId: "generated-id" });
  });
}

const never = () => {
  throw new Error("the model must not run on a bad request");
};

describe("inference", () => {
  it("'Tensor Data': a [2,2] matrix, natural or flattened, is the same two rows", () => {
    const natural = '{"inputs": [{"name": "input0", "shape": [2, 2], "datatype": "FP32", "data": [[1, 2], [4, 5]]}]}';
    const flat = '{"inputs": [{"name": "input0", "shape": [2, 2], "datatype": "FP32", "data": [1, 2, 4, 5]}]}';
    for (const text of [natural, flat]) {
      expect(decodeInferBodyOrThrow(text, text.length, matrixSig, "mymodel")).toEqual({
        id: null,
        tensors: new Map([["input0", { shape: [2, 2], values: [1, 2, 4, 5] }]]),
        rows: [
          [1, 2],
          [4, 5],
        ],
        outputs: null,
      });
    }
  });

  it("'Inference Request Examples': id 42 and output0 asked for → the response object, data flattened", () => {
    // The spec's response: output0 of shape [3, 2], FP32, data [1.0, 1.1, 2.0, 2.1, 3.0, 3.1].
    const text = JSON.stringify({ id: "42", inputs: [{ name: "input0", shape: [3, 2], datatype: "FP32", data: [1, 1.1, 2, 2.1, 3, 3.1] }], outputs: [{ name: "output0" }] });
    expect(infer(text, model, "mymodel", null, (rows) => rows)).toEqual({
      status: 200,
      body: { model_name: "mymodel", model_version: "2", id: "42", outputs: [{ name: "output0", shape: [3, 2], datatype: "FP32", data: [1.0, 1.1, 2.0, 2.1, 3.0, 3.1] }] },
    });
  });

  it("a version in the path serves that version; no id → a generated one", () => {
    const text = '{"inputs": [{"name": "input0", "shape": [1, 2], "datatype": "FP64", "data": [0.5, 1.5]}]}';
    expect(infer(text, model, "mymodel", "1", (rows) => rows.map((r) => r.map((x) => x * 2)))).toEqual({
      status: 200,
      body: { model_name: "mymodel", model_version: "1", id: "generated-id", outputs: [{ name: "output0", shape: [1, 2], datatype: "FP32", data: [1, 3] }] },
    });
  });

  it("a tabular model: one [N] input per feature, INT32/INT64/BOOL coerced to numbers, outputs in the order asked", () => {
    const fraud: ServedModel = { name: "fraud", versions: [{ version: 1, state: "AVAILABLE", signature: featureSignature({ featureCount: 3, featureNames: ["amount", "hour", "distance"], outputNames: ["legit", "fraud"] }) }] };
    const text = JSON.stringify({
      inputs: [
        { name: "hour", shape: [2], datatype: "INT32", data: [3, 23] },
        { name: "amount", shape: [2, 1], datatype: "FP32", data: [[120], [5]] },
        { name: "distance", shape: [2], datatype: "BOOL", data: [true, false], parameters: { note: "coerced", weight: 1, flag: true } },
      ],
      outputs: [{ name: "fraud" }, { name: "legit" }],
      parameters: { trace: false },
    });
    const request = decodeInferBodyOrThrow(text, text.length, fraud.versions[0].signature, "fraud");
    expect(request.rows).toEqual([
      [120, 3, 1],
      [5, 23, 0],
    ]);
    expect(infer(text, fraud, "fraud", null, (rows) => rows.map((r) => [0.75, r[2] * 0.25]))).toEqual({
      status: 200,
      body: {
        model_name: "fraud",
        model_version: "1",
        id: "generated-id",
        outputs: [
          { name: "fraud", shape: [2], datatype: "FP32", data: [0.25, 0] },
          { name: "legit", shape: [2], datatype: "FP32", data: [0.75, 0.75] },
        ],
      },
    });
  });

  const one = (input: object) => JSON.stringify({ inputs: [{ name: "input0", shape: [1, 2], datatype: "FP32", data: [1, 2], ...input }] });
  it.each<[string, string, ModelSignature, number, string]>([
    // The spec's own example inputs: UINT32 and a BOOL [3] with one value.
    ["the spec example's UINT32", one({ datatype: "UINT32", data: [1, 2] }), matrixSig, 400, 'Unsupported datatype "UINT32" of input \'input0\': this server takes FP32, FP64, INT32, INT64, BOOL'],
    ["a shape the data does not fill", one({ shape: [3], datatype: "BOOL", data: [true] }), matrixSig, 400, "input 'input0' has 1 values, but its shape [3] holds 3"],
    ["more data than the shape holds", one({ shape: [1, 2], data: [1, 2, 3] }), matrixSig, 400, "input 'input0' has more values than its shape holds (2)"],
    ["wrong feature count", one({ shape: [1, 3], data: [1, 2, 3] }), matrixSig, 400, "Input tensor input0 has shape [1,3], but the signature needs [-1,2]: 2 values per instance"],
    ["strings", one({ data: ["1", 2] }), matrixSig, 400, `input 'input0': value "1" is not of datatype FP32 (a finite number)`],
    ["an overflowing number", '{"inputs": [{"name": "input0", "shape": [1, 2], "datatype": "FP32", "data": [1e999, 2]}]}', matrixSig, 400, "input 'input0': value Infinity is not of datatype FP32 (a finite number)"],
    ["NaN", '{"inputs": [{"name": "input0", "shape": [1, 2], "datatype": "FP32", "data": [NaN, 2]}]}', matrixSig, 400, "JSON Parse error: NaN at offset: 77 is not accepted; every value must be a finite number"],
    ["a fraction as INT32", one({ datatype: "INT32", data: [1.5, 2] }), matrixSig, 400, "input 'input0': value 1.5 is not of datatype INT32"],
    ["an INT32 out of range", one({ datatype: "INT32", data: [2147483648, 2] }), matrixSig, 400, "input 'input0': value 2147483648 is not of datatype INT32"],
    ["an unsafe INT64", one({ datatype: "INT64", data: [9007199254740993, 2] }), matrixSig, 400, "input 'input0': value 9007199254740992 is not of datatype INT64"],
    ["a number as BOOL", one({ datatype: "BOOL", data: [1, 0] }), matrixSig, 400, "input 'input0': value 1 is not of datatype BOOL"],
    ["a negative dimension", one({ shape: [-1, 2] }), matrixSig, 400, "'shape' of input 'input0' must be a list of at most 8 non-negative integers, got [-1, 2]"],
    ["a rank past 8", one({ shape: [1, 1, 1, 1, 1, 1, 1, 1, 2] }), matrixSig, 400, "'shape' of input 'input0' must be a list of at most 8 non-negative integers, got [1, 1, 1, 1, 1, 1, 1, 1, 2]"],
    ["no data", one({ data: undefined }), matrixSig, 400, "'data' of input 'input0' must be a list, got null"],
    ["bad parameters", one({ parameters: { a: [1] } }), matrixSig, 400, "Parameter 'a' of input 'input0' must be a string, number or boolean, got [1]"],
    ["an unknown input", one({ name: "x" }), matrixSig, 400, "Unexpected inference input 'x' for model 'mymodel': it takes 'input0'"],
    ["a missing input", JSON.stringify({ inputs: [{ name: "amount", shape: [1], datatype: "FP32", data: [1] }] }), fraudSig, 400, "Expected 3 inputs but got 1 inputs for model 'mymodel': missing 'hour', 'distance'"],
    ["an input twice", JSON.stringify({ inputs: [JSON.parse(one({})).inputs[0], JSON.parse(one({})).inputs[0]] }), matrixSig, 400, "input 'input0' is given more than once"],
    ["different batch sizes", JSON.stringify({ inputs: [{ name: "amount", shape: [2], datatype: "FP32", data: [1, 2] }, { name: "hour", shape: [1], datatype: "FP32", data: [1] }, { name: "distance", shape: [2], datatype: "FP32", data: [1, 2] }] }), fraudSig, 400, "Input tensor hour has inconsistent batch size: 1 expecting: 2 (the batch size of amount)"],
    ["an empty batch", one({ shape: [0, 2], data: [] }), matrixSig, 400, "Input tensor input0 has no instances (batch size 0)"],
    ["no inputs", '{"inputs": []}', matrixSig, 400, "'inputs' must be a non-empty list of input tensors, got []"],
    ["inputs as TF Serving's instances", '{"instances": [[1, 2]]}', matrixSig, 400, "'inputs' must be a non-empty list of input tensors, got null"],
    ["an input not an object", '{"inputs": [[1, 2]]}', matrixSig, 400, "inputs[0] must be an object, got [1, 2]"],
    ["a nameless input", '{"inputs": [{"shape": [1, 2], "datatype": "FP32", "data": [1, 2]}]}', matrixSig, 400, "'name' of inputs[0] must be a string"],
    ["an id not a string", '{"id": 42, "inputs": []}', matrixSig, 400, "'id' must be a string, got 42"],
    ["request parameters not an object", '{"parameters": [1], "inputs": []}', matrixSig, 400, "'parameters' of the request must be an object, got [1]"],
    ["an unknown output asked for", JSON.stringify({ ...JSON.parse(one({})), outputs: [{ name: "output9" }] }), matrixSig, 400, "Unexpected inference output 'output9' for model 'mymodel': it gives 'output0'"],
    ["outputs not a list", JSON.stringify({ ...JSON.parse(one({})), outputs: { name: "output0" } }), matrixSig, 400, `'outputs' must be a list of requested outputs, got {"name": "output0"}`],
    ["a top-level list", "[]", matrixSig, 400, "JSON Value: [] Is not object"],
    ["an empty body", "", matrixSig, 400, "JSON Parse error: The document is empty"],
    ["deep nesting", `{"inputs": [{"name": "input0", "shape": [1, 2], "datatype": "FP32", "data": ${"[".repeat(100)}1${"]".repeat(100)}}]}`, matrixSig, 400, "JSON Parse error: The document nests deeper than 12 levels"],
  ])("%s", (_what, text, signature, status, error) => {
    expect(replyOf(() => decodeInferBodyOrThrow(text, Buffer.byteLength(text), signature, "mymodel"))).toEqual({ status, body: { error } });
  });

  it("a 10 MB body is refused by its byte length (413)", () => {
    expect(replyOf(() => decodeInferBodyOrThrow("{}", 10 * 1024 * 1024, matrixSig, "mymodel"))).toEqual({ status: 413, body: { error: "Request body of 10485760 bytes is larger than the limit of 8388608 bytes" } });
  });

  it("unknown models and versions are 404, versions not loaded 503 (KServe's ModelNotFound / ModelNotReady)", () => {
    const body = one({});
    expect(infer(body, null, "nope", null, never)).toEqual({ status: 404, body: { error: "Model with name nope does not exist." } });
    expect(infer(body, model, "mymodel", "9", never)).toEqual({ status: 404, body: { error: "Model with name mymodel has no version 9." } });
    expect(infer(body, model, "mymodel", "v1", never)).toEqual({ status: 404, body: { error: "Model with name mymodel has no version v1." } });
    expect(infer(body, model, "mymodel", "3", never)).toEqual({ status: 503, body: { error: "Model with name mymodel is not ready." } });
    expect(infer(body, { ...model, versions: [model.versions[2]] }, "mymodel", null, never)).toEqual({ status: 503, body: { error: "Model with name mymodel is not ready." } });
  });
});

describe("metadata and health", () => {
  it("$metadata_model_response: name, versions, platform, inputs and outputs with -1 for the batch", () => {
    expect(oipModelMetadataBody(model, model.versions[1])).toEqual({
      name: "mymodel",
      versions: ["1", "2", "3"],
      platform: "tensorflowjs_layers",
      inputs: [{ name: "input0", datatype: "FP32", shape: [-1, 2] }],
      outputs: [{ name: "output0", datatype: "FP32", shape: [-1, 2] }],
    });
    const fraud: ServedModel = { name: "fraud", platform: "tensorflowjs_graph", versions: [{ version: 7, state: "AVAILABLE", signature: fraudSig }] };
    expect(oipModelMetadataBody(fraud, fraud.versions[0])).toEqual({
      name: "fraud",
      versions: ["7"],
      platform: "tensorflowjs_graph",
      inputs: [
        { name: "amount", datatype: "FP32", shape: [-1] },
        { name: "hour", datatype: "FP32", shape: [-1] },
        { name: "distance", datatype: "FP32", shape: [-1] },
      ],
      outputs: [{ name: "probability", datatype: "FP32", shape: [-1] }],
    });
  });

  it("model ready: $ready_model_response, or 404 / 503", () => {
    expect(replyOf(() => oipModelReadyBodyOrThrow(model, "mymodel", null))).toEqual({ status: 200, body: { name: "mymodel", ready: true } });
    expect(replyOf(() => oipModelReadyBodyOrThrow(model, "mymodel", "1"))).toEqual({ status: 200, body: { name: "mymodel", ready: true } });
    expect(replyOf(() => oipModelReadyBodyOrThrow(model, "mymodel", "3"))).toEqual({ status: 503, body: { error: "Model with name mymodel is not ready." } });
    expect(replyOf(() => oipModelReadyBodyOrThrow(null, "x", null))).toEqual({ status: 404, body: { error: "Model with name x does not exist." } });
  });

  it("server ready and live, server metadata", () => {
    expect(oipServerReadyReply(true)).toEqual({ status: 200, body: { ready: true } });
    expect(oipServerReadyReply(false)).toEqual({ status: 503, body: { ready: false } });
    expect(oipServerLiveReply(true)).toEqual({ status: 200, body: { live: true } });
    expect(oipServerMetadataBody("cuaderno", "0.1.0")).toEqual({ name: "cuaderno", version: "0.1.0", extensions: [] });
  });
});
