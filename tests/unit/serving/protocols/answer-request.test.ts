// A request answered end to end through answerServingRequest, with a backend that computes a real
// logistic model on the decoded rows, and failures from the serving engine's own ServingError.
import { describe, expect, it } from "vitest";
import { ServingError } from "@/lib/serving/engine/errors";
import { answerServingRequest, engineErrorToProtocol, type ServingBackend } from "@/lib/serving/protocols/answer-request";
import { ProtocolError } from "@/lib/serving/protocols/errors";
import { bodyOverLimitError, MAX_PREDICT_BODY_BYTES } from "@/lib/serving/protocols/json-body";
import { featureSignature, type ServedModel } from "@/lib/serving/protocols/model";

const signature = featureSignature({ featureCount: 2, featureNames: ["amount", "hour"], outputNames: ["probability"] });
const fraud: ServedModel = {
  name: "fraud-detector",
  versions: [
    { version: 1, state: "AVAILABLE", signature },
    { version: 2, state: "AVAILABLE", signature },
  ],
  labels: { champion: 1 },
};
const weights: Record<number, [number, number]> = { 1: [0.5, -1], 2: [1, 1] };
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function backend(overrides: Partial<ServingBackend> = {}): ServingBackend & { calls: { version: number; rows: number[][] }[] } {
  const calls: { version: number; rows: number[][] }[] = [];
  return {
    calls,
    findModel: (name) => (name === fraud.name ? fraud : null),
    predict: async (_model, version, rows) => {
      calls.push({ version: version.version, rows });
      const [a, b] = weights[version.version];
      return rows.map((r) => [sigmoid(a * r[0] + b * r[1])]);
    },
    ...overrides,
  };
}

function request(method: string, url: string, body = "") {
  return { method, url, body: async () => ({ text: body, byteLength: Buffer.byteLength(body) }) };
}
const options = { newId: () => "id-1", server: { name: "cuaderno", version: "1.2.3" } };
const f32 = (x: number) => Number(Math.fround(x).toPrecision(9));

describe("answerServingRequest", () => {
  it("TF Serving predict, row and columnar, on the newest version, a version or a label", async () => {
    const b = backend();
    const rows = '{"instances": [{"amount": 2, "hour": 1}, {"amount": 0, "hour": 0}]}';
    const reply = await answerServingRequest(request("POST", "/v1/models/fraud-detector:predict?trace=1", rows), b, options);
    expect(reply.status).toBe(200);
    const p = (reply.body as { predictions: number[] }).predictions;
    expect(p.map(f32)).toEqual([f32(sigmoid(3)), 0.5]);
    expect(b.calls).toEqual([{ version: 2, rows: [[2, 1], [0, 0]] }]);

    const v1 = await answerServingRequest(request("POST", "/v1/models/fraud-detector/labels/champion:predict", '{"inputs": {"amount": [2], "hour": [1]}}'), b, options);
    expect(v1.status).toBe(200);
    expect((v1.body as { outputs: number[] }).outputs.map(f32)).toEqual([0.5]);
    expect(b.calls[1].version).toBe(1);
  });

  it("latest goes where the deployment policy routes it", async () => {
    const b = backend({ routeLatest: (m) => m.versions[0] });
    await answerServingRequest(request("POST", "/v1/models/fraud-detector:predict", '{"instances": [{"amount": 1, "hour": 1}]}'), b, options);
    await answerServingRequest(request("POST", "/v2/models/fraud-detector/infer", '{"inputs": [{"name": "amount", "shape": [1], "datatype": "FP32", "data": [1]}, {"name": "hour", "shape": [1], "datatype": "FP32", "data": [1]}]}'), b, options);
    expect(b.calls.map((c) => c.version)).toEqual([1, 1]);
  });

  it("status and metadata do not read the body", async () => {
    const b = backend();
    const noBody = { method: "GET", url: "/v1/models/fraud-detector", body: () => Promise.reject(new Error("read")) };
    expect(await answerServingRequest(noBody, b, options)).toEqual({
      status: 200,
      body: {
        model_version_status: [
          { version: "2", state: "AVAILABLE", status: { error_code: "OK", error_message: "" } },
          { version: "1", state: "AVAILABLE", status: { error_code: "OK", error_message: "" } },
        ],
      },
    });
    const meta = await answerServingRequest({ ...noBody, url: "/v1/models/fraud-detector/versions/1/metadata" }, b, options);
    expect(meta.status).toBe(200);
    expect((meta.body as { model_spec: unknown }).model_spec).toEqual({ name: "fraud-detector", signature_name: "", version: "1" });
  });

  it("OIP infer, metadata, ready and health", async () => {
    const b = backend();
    const body = JSON.stringify({ id: "r1", inputs: [{ name: "amount", shape: [1], datatype: "FP32", data: [0] }, { name: "hour", shape: [1], datatype: "INT64", data: [0] }] });
    expect(await answerServingRequest(request("POST", "/v2/models/fraud-detector/versions/1/infer", body), b, options)).toEqual({
      status: 200,
      body: { model_name: "fraud-detector", model_version: "1", id: "r1", outputs: [{ name: "probability", shape: [1], datatype: "FP32", data: [0.5] }] },
    });
    expect(await answerServingRequest(request("GET", "/v2/models/fraud-detector"), b, options)).toMatchObject({ status: 200, body: { name: "fraud-detector", versions: ["1", "2"] } });
    expect(await answerServingRequest(request("GET", "/v2/models/fraud-detector/ready"), b, options)).toEqual({ status: 200, body: { name: "fraud-detector", ready: true } });
    expect(await answerServingRequest(request("GET", "/v2/health/ready"), b, options)).toEqual({ status: 200, body: { ready: true } });
    expect(await answerServingRequest(request("GET", "/v2/health/ready"), backend({ serverReady: () => false }), options)).toEqual({ status: 503, body: { ready: false } });
    expect(await answerServingRequest(request("GET", "/v2/health/live"), b, options)).toEqual({ status: 200, body: { live: true } });
    expect(await answerServingRequest(request("GET", "/v2"), b, options)).toEqual({ status: 200, body: { name: "cuaderno", version: "1.2.3", extensions: [] } });
  });

  it("bad requests and unknown models are answered with error bodies and never reach the model", async () => {
    const b = backend();
    const cases: [string, string, string, number, string][] = [
      ["POST", "/v1/models/half:predict", '{"instances": [1.0, 5.0]}', 404, "Servable not found for request: Latest(half)"],
      ["POST", "/v1/models/fraud-detector/versions/9:predict", '{"instances": [1.0]}', 404, "Servable not found for request: Specific(fraud-detector, 9)"],
      ["POST", "/v1/models/fraud-detector:predict", '{"instances": [[1, 2]]}', 400, "instances is a plain list, but expecting list of objects as multiple input tensors required as per tensorinfo_map"],
      ["POST", "/v1/models/fraud-detector:classify", "{}", 400, "Expected classification signature method_name to be tensorflow/serving/classify. Was: tensorflow/serving/predict (this server serves :predict only)"],
      ["GET", "/v1/models/fraud-detector:predict", "", 400, "Malformed request: GET /v1/models/fraud-detector:predict"],
      ["POST", "/v2/models/nope/infer", "{}", 404, "Model with name nope does not exist."],
      ["GET", "/v2/models/fraud-detector/infer", "", 405, "Method Not Allowed: GET (use POST)"],
      ["POST", "/v2/models/fraud-detector/infer", '{"inputs": [{"name": "amount", "shape": [1], "datatype": "FP32", "data": ["x"]}]}', 400, `input 'amount': value "x" is not of datatype FP32 (a finite number)`],
    ];
    for (const [method, url, body, status, error] of cases) {
      expect(await answerServingRequest(request(method, url, body), b, options), `${method} ${url}`).toEqual({ status, body: { error } });
    }
    expect(b.calls).toEqual([]);
  });

  it("a body over the limit is 413", async () => {
    const tooBig = { method: "POST", url: "/v1/models/fraud-detector:predict", body: () => Promise.reject(bodyOverLimitError()) };
    expect(await answerServingRequest(tooBig, backend(), options)).toEqual({ status: 413, body: { error: `Request body is larger than the limit of ${MAX_PREDICT_BODY_BYTES} bytes` } });
  });

  it("engine failures keep their message with TF Serving's status; other errors are thrown", async () => {
    const failing = (e: Error) => backend({ predict: () => Promise.reject(e) });
    const body = '{"instances": [{"amount": 1, "hour": 1}]}';
    const url = "/v1/models/fraud-detector:predict";
    expect(await answerServingRequest(request("POST", url, body), failing(new ServingError("load-failed", "model.json is not a tfjs layers model")), options)).toEqual({ status: 400, body: { error: "model.json is not a tfjs layers model" } });
    expect(await answerServingRequest(request("POST", url, body), failing(new ServingError("overloaded", "Too many requests waiting")), options)).toEqual({ status: 429, body: { error: "Too many requests waiting" } });
    expect(await answerServingRequest(request("POST", url, body), failing(new ServingError("timeout", "No answer within 10 s")), options)).toEqual({ status: 504, body: { error: "No answer within 10 s" } });
    expect(await answerServingRequest(request("POST", url, body), failing(new ServingError("worker-crashed", "The worker stopped")), options)).toEqual({ status: 503, body: { error: "The worker stopped" } });
    expect(await answerServingRequest(request("POST", url, body), failing(new ServingError("predict-failed", "tensor shape")), options)).toEqual({ status: 500, body: { error: "tensor shape" } });
    await expect(answerServingRequest(request("POST", url, body), failing(new TypeError("bug")), options)).rejects.toThrow("bug");
    expect(await answerServingRequest(request("POST", url, body), backend({ predict: async () => [[1, 2]] }), options)).toEqual({ status: 500, body: { error: "The model returned 2 values per instance; its signature has 1" } });
    expect(engineErrorToProtocol(new ServingError("bad-input", "Row 0"))).toBeInstanceOf(ProtocolError);
  });
});
