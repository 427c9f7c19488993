// Route parsing for TF Serving's /v1/models/ paths (the malformed cases are TF Serving's own,
// tensorflow/serving tensorflow_serving/model_servers/http_rest_api_handler_test.cc
// "UnsupportedApiCalls") and the Open Inference Protocol's /v2/ paths (inference_rest.md API table).
import { describe, expect, it } from "vitest";
import { ProtocolError } from "@/lib/serving/protocols/errors";
import { decodeName, parseOipPathOrThrow, parseServingPathOrThrow, parseTfServingPathOrThrow, pathOf } from "@/lib/serving/protocols/paths";

function failure(fn: () => unknown): { status: number; body: unknown } {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProtocolError) return { status: e.status, body: e.body };
    throw e;
  }
  throw new Error("expected a ProtocolError");
}

describe("TF Serving paths", () => {
  it.each([
    ["GET", "/v1/models/fraud", { api: "tf", kind: "status", name: "fraud", selector: { kind: "latest" } }],
    ["GET", "/v1/models/fraud/versions/3", { api: "tf", kind: "status", name: "fraud", selector: { kind: "version", version: 3 } }],
    ["GET", "/v1/models/fraud/labels/champion", { api: "tf", kind: "status", name: "fraud", selector: { kind: "label", label: "champion" } }],
    ["GET", "/v1/models/fraud/metadata", { api: "tf", kind: "metadata", name: "fraud", selector: { kind: "latest" } }],
    ["GET", "/v1/models/fraud/versions/12/metadata", { api: "tf", kind: "metadata", name: "fraud", selector: { kind: "version", version: 12 } }],
    ["GET", "/v1/models/fraud/labels/stable/metadata", { api: "tf", kind: "metadata", name: "fraud", selector: { kind: "label", label: "stable" } }],
    // The name group comes first in kModelStatusApiRegex: a model may be called "metadata".
    ["GET", "/v1/models/metadata", { api: "tf", kind: "status", name: "metadata", selector: { kind: "latest" } }],
    ["POST", "/v1/models/fraud:predict", { api: "tf", kind: "predict", name: "fraud", selector: { kind: "latest" } }],
    ["POST", "/v1/models/fraud/versions/2:predict", { api: "tf", kind: "predict", name: "fraud", selector: { kind: "version", version: 2 } }],
    ["POST", "/v1/models/fraud/labels/canary:predict", { api: "tf", kind: "predict", name: "fraud", selector: { kind: "label", label: "canary" } }],
    ["POST", "/v1/models/fraud:classify", { api: "tf", kind: "classify", name: "fraud", selector: { kind: "latest" } }],
    ["POST", "/v1/models/fraud/versions/1:regress", { api: "tf", kind: "regress", name: "fraud", selector: { kind: "version", version: 1 } }],
    // (?i) patterns: the fixed words match in any case; names are decoded (curl_easy_unescape).
    ["POST", "/V1/Models/fraud/VERSIONS/007:predict", { api: "tf", kind: "predict", name: "fraud", selector: { kind: "version", version: 7 } }],
    ["POST", "/v1/models/detector%20de%20fraude:predict", { api: "tf", kind: "predict", name: "detector de fraude", selector: { kind: "latest" } }],
    ["GET", "/v1/models/caf%C3%A9/labels/b%C3%A9ta", { api: "tf", kind: "status", name: "café", selector: { kind: "label", label: "béta" } }],
  ])("%s %s", (method, path, route) => {
    expect(parseTfServingPathOrThrow(method, path)).toEqual(route);
    expect(parseServingPathOrThrow(method, path)).toEqual(route);
  });

  // http_rest_api_handler_test.cc UnsupportedApiCalls, one by one.
  it.each([
    ["GET", "/v1/foo"],
    ["POST", "/v1/foo"],
    ["GET", "/v1/models/debug/model_name"],
    ["POST", "/v1/models"],
    ["GET", "/v1/models/foo:predict"],
    ["GET", "/v1/models/foo/version/50:predict"],
    ["POST", "/v1/models/foo/version/50:regress"],
    ["POST", "/v1/models/foo/versions/HELLO:regress"],
    ["POST", "/v1/models/foo/metadata"],
    ["POST", "/v1/models/foo/label/some_label:regress"],
    ["POST", "/v1/models/foo/versions/50/labels/some_label:regress"],
    ["POST", "/v1/models/foo/versions/some_label:regress"],
  ])("%s %s is a malformed request (400)", (method, path) => {
    expect(failure(() => parseTfServingPathOrThrow(method, path))).toEqual({ status: 400, body: { error: `Malformed request: ${method} ${path}` } });
  });

  it.each([
    ["PUT", "/v1/models/fraud"],
    ["DELETE", "/v1/models/fraud:predict"],
    ["POST", "/v1/models/fraud:PREDICT"], // the handler compares the verb in lower case
    ["POST", "/v1/models/fraud:explain"],
    ["POST", "/v1/models/:predict"],
    ["POST", "/v1/models/a:b:predict"],
    ["GET", "/v1/models/fraud/"],
    ["GET", "/v1/models//versions/1"],
    ["GET", "/v1/models/fraud/versions/"],
    ["GET", "/v1/models/fraud/metadata/metadata"],
    ["GET", "/v1/models/fraud/versions/-1"],
    ["GET", "/v1/models/fraud/versions/1.5"],
  ])("%s %s is malformed too", (method, path) => {
    expect(failure(() => parseTfServingPathOrThrow(method, path))).toEqual({ status: 400, body: { error: `Malformed request: ${method} ${path}` } });
  });

  it("asks for a model name on GET /v1/models (ProcessModelStatusRequest)", () => {
    expect(failure(() => parseTfServingPathOrThrow("GET", "/v1/models"))).toEqual({ status: 400, body: { error: "Missing model name in request." } });
  });

  it("refuses a version that is not an int64 with ParseModelInfo's message", () => {
    const digits = "9".repeat(25);
    expect(failure(() => parseTfServingPathOrThrow("POST", `/v1/models/foo/versions/${digits}:regress`))).toEqual({ status: 400, body: { error: `Failed to convert version: ${digits} to numeric.` } });
    // Beyond 2^53 a version would not be exact as a number: refused the same way.
    expect(failure(() => parseTfServingPathOrThrow("GET", "/v1/models/foo/versions/9007199254740993"))).toEqual({ status: 400, body: { error: "Failed to convert version: 9007199254740993 to numeric." } });
  });

  it("refuses names that do not decode or are not usable names", () => {
    expect(failure(() => parseTfServingPathOrThrow("POST", "/v1/models/%E0%A4%A:predict")).body).toEqual({ error: "Failed to decode model name:%E0%A4%A (a name is 1 to 256 printable characters)" });
    expect(failure(() => parseTfServingPathOrThrow("GET", "/v1/models/a%00b")).status).toBe(400);
    expect(failure(() => parseTfServingPathOrThrow("GET", "/v1/models/a/labels/%0A")).body).toEqual({ error: "Failed to decode model version label:%0A (a name is 1 to 256 printable characters)" });
    expect(failure(() => parseTfServingPathOrThrow("GET", `/v1/models/${"n".repeat(257)}`)).status).toBe(400);
    expect(parseTfServingPathOrThrow("GET", `/v1/models/${"n".repeat(256)}`)).toMatchObject({ name: "n".repeat(256) });
    expect(decodeName("%D8%00")).toBeNull();
    expect(decodeName("%ED%A0%80")).toBeNull(); // an encoded lone surrogate does not decode
  });

  it("bounds the path it looks at and quotes a long path shortened", () => {
    const long = `/v1/models/${"x".repeat(10_000)}`;
    const { status, body } = failure(() => parseTfServingPathOrThrow("GET", long));
    expect(status).toBe(400);
    expect((body as { error: string }).error).toBe(`Malformed request: GET ${long.slice(0, 300)}…`);
  });

  it("parses a run of slashes or colons in linear time", () => {
    const path = `/v1/models/${"/".repeat(200_000)}:predict`;
    const start = performance.now();
    expect(failure(() => parseTfServingPathOrThrow("POST", path)).status).toBe(400);
    expect(failure(() => parseOipPathOrThrow("GET", `/v2/models/${"/".repeat(200_000)}`)).status).toBe(404);
    expect(performance.now() - start).toBeLessThan(200);
  });

  it("cuts the query and fragment off a request URL", () => {
    expect(pathOf("/v1/models/fraud:predict?x=1#y")).toBe("/v1/models/fraud:predict");
    expect(pathOf("/v2/health/ready#a?b")).toBe("/v2/health/ready");
    expect(pathOf("/v2")).toBe("/v2");
  });
});

describe("Open Inference Protocol paths", () => {
  it.each([
    ["GET", "/v2", { api: "v2", kind: "server-metadata" }],
    ["GET", "/v2/", { api: "v2", kind: "server-metadata" }],
    ["GET", "/v2/health/live", { api: "v2", kind: "server-live" }],
    ["GET", "/v2/health/ready", { api: "v2", kind: "server-ready" }],
    ["HEAD", "/v2/health/ready", { api: "v2", kind: "server-ready" }],
    ["GET", "/v2/models/fraud", { api: "v2", kind: "model-metadata", name: "fraud", version: null }],
    ["GET", "/v2/models/fraud/versions/2", { api: "v2", kind: "model-metadata", name: "fraud", version: "2" }],
    ["GET", "/v2/models/fraud/ready", { api: "v2", kind: "model-ready", name: "fraud", version: null }],
    ["GET", "/v2/models/fraud/versions/2/ready", { api: "v2", kind: "model-ready", name: "fraud", version: "2" }],
    ["POST", "/v2/models/fraud/infer", { api: "v2", kind: "infer", name: "fraud", version: null }],
    ["POST", "/v2/models/fraud/versions/v10/infer", { api: "v2", kind: "infer", name: "fraud", version: "v10" }],
    ["POST", "/v2/models/mi%20modelo/infer", { api: "v2", kind: "infer", name: "mi modelo", version: null }],
    // A model may be called "ready" or "versions".
    ["GET", "/v2/models/ready", { api: "v2", kind: "model-metadata", name: "ready", version: null }],
    ["GET", "/v2/models/versions", { api: "v2", kind: "model-metadata", name: "versions", version: null }],
  ])("%s %s", (method, path, route) => {
    expect(parseOipPathOrThrow(method, path)).toEqual(route);
    expect(parseServingPathOrThrow(method, path)).toEqual(route);
  });

  it.each(["/v2/health", "/v2/health/dead", "/v2/models", "/v2/models/", "/v2/models//infer", "/v2/models/a/versions//infer", "/v2/models/a/explain", "/v2/models/a/versions/1/ready/x", "/v2x", "/v3/models/a"])(
    "GET %s is not found (404)",
    (path) => {
      expect(failure(() => parseOipPathOrThrow("GET", path))).toEqual({ status: 404, body: { error: `Not Found: ${path}` } });
    },
  );

  it.each([
    ["POST", "/v2/health/ready", "GET"],
    ["GET", "/v2/models/fraud/infer", "POST"],
    ["POST", "/v2/models/fraud", "GET"],
    ["DELETE", "/v2/models/fraud/ready", "GET"],
  ])("%s %s is not allowed (405)", (method, path, allowed) => {
    expect(failure(() => parseOipPathOrThrow(method, path))).toEqual({ status: 405, body: { error: `Method Not Allowed: ${method} (use ${allowed})` } });
  });

  it("refuses a name that does not decode", () => {
    expect(failure(() => parseOipPathOrThrow("POST", "/v2/models/%ZZ/infer"))).toEqual({ status: 400, body: { error: "Invalid model name in the path: a model name is 1 to 256 printable characters" } });
  });
});

describe("long encoded names", () => {
  it("a 256-character name written in percent-encoded UTF-8 is still a name", () => {
    const name = "ñ".repeat(256);
    expect(parseTfServingPathOrThrow("POST", `/v1/models/${encodeURIComponent(name)}:predict`)).toMatchObject({ name });
    expect(parseOipPathOrThrow("POST", `/v2/models/${encodeURIComponent(name)}/infer`)).toMatchObject({ name });
  });
});
