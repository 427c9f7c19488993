// The notebook's `endpoints` API and `registerModel` on their own: what they send (TF Serving
// instances named by the model's metadata, tRPC's superjson envelope, MLflow registry bodies), how
// the server's error text surfaces, and the training reference's bounded seeded sample. The server
// side is covered in tests/integration/notebook-endpoints.integration.test.ts.
import { describe, expect, it } from "vitest";
import { createEndpointsApi, instancesFor } from "@/lib/kernel/endpoints";
import { registerModel, REFERENCE_SAMPLE, sampleTrainingReference } from "@/lib/kernel/register-model";
import type { TableDataset } from "@/lib/datasets/types";

type Call = { url: string; init?: RequestInit };

function fakeFetch(answer: (url: string, init?: RequestInit) => Response) {
  const calls: Call[] = [];
  const f = (async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return answer(url, init);
  }) as unknown as typeof fetch;
  return { f, calls };
}

const metadata = (inputs: string[]) =>
  new Response(JSON.stringify({ model_spec: {}, metadata: { signature_def: { signature_def: { serving_default: { inputs: Object.fromEntries(inputs.map((n) => [n, {}])) } } } } }));

function table(columns: string[], rows: Record<string, number>[]): TableDataset {
  return {
    kind: "table",
    name: "t",
    columns,
    rows,
    column: (c) => rows.map((r) => r[c]),
    matrix: (cols) => rows.map((r) => cols.map((c) => Number(r[c]))),
  };
}

describe("endpoints API (kernel)", () => {
  it("sends rows as TF Serving instances: objects by feature name for named inputs, arrays for one input", () => {
    expect(instancesFor([[1, 2], [3, 4]], ["a", "b"])).toEqual([{ a: 1, b: 2 }, { a: 3, b: 4 }]);
    expect(instancesFor([[1, 2]], ["input"])).toEqual([[1, 2]]);
    expect(instancesFor({ arraySync: () => [[5, 6]] }, ["a", "b"])).toEqual([{ a: 5, b: 6 }]);
    expect(instancesFor([Float32Array.from([0.5, 1])], ["a", "b"])).toEqual([{ a: 0.5, b: 1 }]);
    expect(instancesFor(table(["b", "a", "y"], [{ a: 1, b: 2, y: 0 }]), ["a", "b"])).toEqual([{ a: 1, b: 2 }]);
    expect(instancesFor([[NaN, 1]], ["a", "b"])).toEqual([{ a: "NaN", b: 1 }]);
    expect(() => instancesFor([[1, 2, 3]], ["a", "b"])).toThrow(/row 0 has 3 values, the model takes 2/);
    expect(() => instancesFor(table(["a"], [{ a: 1 }]), ["a", "b"])).toThrow(/no column "b"/);
    expect(() => instancesFor(42, ["a"])).toThrow(/list of rows/);
    expect(() => instancesFor([], ["a"])).toThrow(/no rows/);
  });

  it("predict reads the metadata, posts instances and returns the predictions", async () => {
    const { f, calls } = fakeFetch((url) => (url.endsWith("/metadata") ? metadata(["a", "b"]) : new Response(JSON.stringify({ predictions: [[0.25], [0.75]] }))));
    const api = createEndpointsApi({ fetch: f });
    expect(await api.predict("ownerX/fraud", [[1, 2], [3, 4]])).toEqual([[0.25], [0.75]]);
    expect(calls[0].url).toBe("/v1/models/ownerX%2Ffraud/metadata");
    expect(calls[1].url).toBe("/v1/models/ownerX%2Ffraud:predict");
    expect(calls[1].init?.method).toBe("POST");
    expect(JSON.parse(String(calls[1].init?.body))).toEqual({ instances: [{ a: 1, b: 2 }, { a: 3, b: 4 }] });
    await api.predict("fraud", [[1, 2]], { version: 2 });
    expect(calls[2].url).toBe("/v1/models/fraud/versions/2/metadata");
    expect(calls[3].url).toBe("/v1/models/fraud/versions/2:predict");
    await expect(api.predict("bad name", [[1]])).rejects.toThrow(/not an endpoint name/);
  });

  it("predict surfaces the server's error text", async () => {
    const { f } = fakeFetch((url) =>
      url.endsWith("/metadata") ? metadata(["a"]) : new Response(JSON.stringify({ error: "Failed to process element: 0 of 'instances' list." }), { status: 400 }),
    );
    await expect(createEndpointsApi({ fetch: f }).predict("m", [[1]])).rejects.toThrow("endpoints.predict: Failed to process element: 0 of 'instances' list.");
    const gone = fakeFetch(() => new Response(JSON.stringify({ error: "Servable not found for request: Latest(nope)" }), { status: 404 }));
    await expect(createEndpointsApi({ fetch: gone.f }).predict("nope", [[1]])).rejects.toThrow("endpoints.predict: Servable not found for request: Latest(nope)");
  });

  it("list and deploy call the endpoints router with tRPC's envelope and surface its message", async () => {
    const view = { name: "fraud", ownerId: "u1", visibility: "class", mode: "canary", versions: [1, 2], servingVersion: 1, stableVersion: 1, candidateVersion: 2, mine: true };
    const { f, calls } = fakeFetch((url) => {
      if (url.includes("endpoints.get")) return new Response(JSON.stringify({ result: { data: { json: { ...view, mode: "single" } } } }));
      return new Response(JSON.stringify({ result: { data: { json: url.includes("listCallable") ? [view, { ...view, name: "u2/other", ownerId: "u2", mine: false }] : view } } }));
    });
    const api = createEndpointsApi({ fetch: f });
    const listed = await api.list();
    expect(calls[0].url).toBe("/api/trpc/endpoints.listCallable");
    expect(listed.map((e) => [e.name, e.mine])).toEqual([["fraud", true], ["u2/other", false]]);
    const d = await api.deploy("fraud", { mode: "canary", candidateVersion: 2, percent: 10 });
    expect(d).toMatchObject({ name: "fraud", mode: "canary", candidateVersion: 2 });
    expect(calls[1].url).toBe("/api/trpc/endpoints.startCanary");
    expect(JSON.parse(String(calls[1].init?.body))).toEqual({ json: { name: "fraud", candidateVersion: 2, percent: 10 } });
    await api.deploy("fraud");
    expect(calls[2].url).toBe(`/api/trpc/endpoints.get?input=${encodeURIComponent(JSON.stringify({ json: { name: "fraud" } }))}`);
    expect(JSON.parse(String(calls[3].init?.body))).toEqual({ json: { name: "fraud", version: 2 } });
    await expect(api.deploy("fraud", { mode: "canary", candidateVersion: 2 })).rejects.toThrow(/needs percent/);
    await expect(api.deploy("fraud", { mode: "nope" as "single" })).rejects.toThrow(/unknown mode/);

    const refused = fakeFetch(() => new Response(JSON.stringify({ error: { json: { message: "Only the owner of registered model 'x' may change its endpoint", code: -32603 } } }), { status: 403 }));
    await expect(createEndpointsApi({ fetch: refused.f }).deploy("u2/x", { version: 1 })).rejects.toThrow("endpoints.deploy: Only the owner of registered model 'x' may change its endpoint");
  });
});

describe("endpoints API: request ids, feedback, rollback, stats (kernel)", () => {
  it("request returns the predictions with the x-request-id header; feedback posts one item or a list and reports refusals", async () => {
    const { f, calls } = fakeFetch((url) => {
      if (url.endsWith("/metadata")) return metadata(["a", "b"]);
      if (url.endsWith(":predict")) return new Response(JSON.stringify({ predictions: [0.1, 0.9] }), { headers: { "x-request-id": "req-1" } });
      return new Response(JSON.stringify({ accepted: 1, results: [{ request_id: "req-1" }, { request_id: "old", error: "No prediction awaiting feedback" }] }));
    });
    const api = createEndpointsApi({ fetch: f });
    expect(await api.request("fraud", [[1, 2], [3, 4]])).toEqual({ requestId: "req-1", predictions: [0.1, 0.9] });
    const out = await api.feedback([{ requestId: "req-1", labels: [0, 1] }, { requestId: "old", labels: [1] }]);
    expect(out).toEqual({ accepted: 1, results: [{ requestId: "req-1" }, { requestId: "old", error: "No prediction awaiting feedback" }] });
    expect(calls[2].url).toBe("/api/serving/feedback");
    expect(JSON.parse(String(calls[2].init?.body))).toEqual({ feedback: [{ request_id: "req-1", labels: [0, 1] }, { request_id: "old", labels: [1] }] });
    await api.feedback("req-1", [1, 0]);
    expect(JSON.parse(String(calls[3].init?.body))).toEqual({ feedback: [{ request_id: "req-1", labels: [1, 0] }] });
    // Refused before anything is sent: no labels, a label that is not 0/1, too many items.
    await expect(api.feedback("req-1", [])).rejects.toThrow(/must be 0 or 1, one per row/);
    await expect(api.feedback("req-1", [2])).rejects.toThrow(/must be 0 or 1/);
    await expect(api.feedback(Array.from({ length: 1001 }, (_, i) => ({ requestId: `r${i}`, labels: [0] })))).rejects.toThrow(/at most 1000 requests/);
    expect(calls).toHaveLength(4);
    const refused = fakeFetch(() => new Response(JSON.stringify({ error: "Sign in or send a bearer token" }), { status: 401 }));
    await expect(createEndpointsApi({ fetch: refused.f }).feedback("x", [1])).rejects.toThrow("endpoints.feedback: Sign in or send a bearer token");
    await expect(createEndpointsApi({ fetch: refused.f }).request("fraud", [[1]])).rejects.toThrow("endpoints.request: Sign in or send a bearer token");
  });

  it("rollback, promote, stats and events call their routers; signedIn follows the page", async () => {
    const view = { name: "fraud", ownerId: "u1", visibility: "private", mode: "single", versions: [1, 2], servingVersion: 1, stableVersion: 1, candidateVersion: null };
    const { f, calls } = fakeFetch((url) => new Response(JSON.stringify({ result: { data: { json: url.includes("endpointStats") ? { model: "fraud", versions: [] } : url.includes("endpoints.events") ? [] : view } } })));
    let signedIn = false;
    const api = createEndpointsApi({ fetch: f, signedIn: () => signedIn });
    expect(api.signedIn()).toBe(false);
    signedIn = true;
    expect(api.signedIn()).toBe(true);
    expect(createEndpointsApi({ fetch: f }).signedIn()).toBe(true);
    expect(await api.rollback("fraud")).toMatchObject({ name: "fraud", servingVersion: 1, mine: true });
    expect(calls[0].url).toBe("/api/trpc/endpoints.rollback");
    expect(JSON.parse(String(calls[0].init?.body))).toEqual({ json: { name: "fraud" } });
    await api.promote("fraud");
    expect(calls[1].url).toBe("/api/trpc/endpoints.promote");
    expect(await api.stats("fraud", { windowSeconds: 60 })).toEqual({ model: "fraud", versions: [] });
    expect(calls[2].url).toBe(`/api/trpc/monitoring.endpointStats?input=${encodeURIComponent(JSON.stringify({ json: { model: "fraud", windowSeconds: 60 } }))}`);
    expect(await api.events("fraud")).toEqual([]);
    expect(calls[3].url).toContain("/api/trpc/endpoints.events?input=");
    await expect(api.stats("fraud", { windowSeconds: 5 })).rejects.toThrow(/windowSeconds must be a whole number from 10 to 600/);
    await expect(api.rollback("bad name")).rejects.toThrow(/not an endpoint name/);
    const refused = fakeFetch(() => new Response(JSON.stringify({ error: { json: { message: "Nothing to roll back: the endpoint has no earlier deployment" } } }), { status: 409 }));
    await expect(createEndpointsApi({ fetch: refused.f }).rollback("fraud")).rejects.toThrow("endpoints.rollback: Nothing to roll back");
  });
});

describe("registerModel (kernel)", () => {
  const features = ["a", "b"];
  const rows = Array.from({ length: 3000 }, (_, i) => [i, -i]);

  it("samples a bounded, seeded reference: the same rows for every feature, ≤ 1,000 per feature, ≤ 60,000 in all", () => {
    const r1 = sampleTrainingReference(rows, features);
    const r2 = sampleTrainingReference(rows, features);
    expect(r1).toEqual(r2);
    expect(r1.features.map((f) => f.name)).toEqual(features);
    expect(r1.features[0].sample).toHaveLength(REFERENCE_SAMPLE.perFeature);
    expect(r1.features[1].sample).toEqual(r1.features[0].sample.map((v) => -v));
    expect(new Set(r1.features[0].sample).size).toBe(REFERENCE_SAMPLE.perFeature); // without replacement
    expect(sampleTrainingReference(rows, features, 7)).not.toEqual(r1);
    const wide = Array.from({ length: 100 }, (_, i) => `f${i}`);
    const wideRows = Array.from({ length: 2000 }, (_, r) => wide.map((_, i) => r + i));
    const w = sampleTrainingReference(wideRows, wide);
    expect(w.features[0].sample).toHaveLength(600);
    expect(w.features.reduce((n, f) => n + f.sample.length, 0)).toBeLessThanOrEqual(REFERENCE_SAMPLE.total);
    // small sets: every row; a table by column name
    expect(sampleTrainingReference(rows.slice(0, 30), features).features[0].sample.sort((x, y) => x - y)).toEqual(rows.slice(0, 30).map((r) => r[0]));
    const t = table(["b", "a"], rows.slice(0, 50).map(([a, b]) => ({ a, b })));
    expect(sampleTrainingReference(t, features).features[0].sample).toHaveLength(50);
    expect(() => sampleTrainingReference(rows.slice(0, 10), features)).toThrow(/at least 20/);
    expect(() => sampleTrainingReference([[1, 2, 3]], features)).toThrow(/row 0 must have 2 numbers/);
  });

  it("creates the model if missing, a version from runs:/<run>/<path> with the signature, then the reference", async () => {
    const { f, calls } = fakeFetch((url) => {
      if (url.includes("registered-models/create")) return new Response(JSON.stringify({ error_code: "RESOURCE_ALREADY_EXISTS", message: "exists" }), { status: 400 });
      if (url.includes("model-versions/create")) return new Response(JSON.stringify({ model_version: { version: "3" } }));
      return new Response(JSON.stringify({ result: { data: { json: { ok: true } } } }));
    });
    const r = await registerModel({ fetch: f, serverRunId: async () => "run9" }, "fraud", {
      path: "fraud",
      features,
      scaler: { mean: Float32Array.from([1, 2]), scale: [3, 4] },
      threshold: 0.3,
      reference: rows,
    });
    expect(r).toEqual({ name: "fraud", version: 3, source: "runs:/run9/fraud", referenceSize: 1000 });
    expect(calls.map((c) => c.url)).toEqual(["/api/2.0/mlflow/registered-models/create", "/api/2.0/mlflow/model-versions/create", "/api/trpc/monitoring.setTrainingReference"]);
    expect(JSON.parse(String(calls[1].init?.body))).toEqual({
      name: "fraud",
      source: "runs:/run9/fraud",
      run_id: "run9",
      cuaderno: { signature: { inputs: features, outputs: ["score"], preprocessing: { type: "standard_scaler", mean: [1, 2], scale: [3, 4] }, threshold: 0.3 } },
    });
    const ref = JSON.parse(String(calls[2].init?.body)).json;
    expect(ref.model).toBe("fraud");
    expect(ref.version).toBe(3);
    expect(ref.reference.features[0].sample).toHaveLength(1000);
  });

  it("names what went wrong: a run not uploaded, a registry refusal", async () => {
    const { f } = fakeFetch(() => new Response(JSON.stringify({ error_code: "INVALID_PARAMETER_VALUE", message: "signature.inputs: duplicate input feature 'a'" }), { status: 400 }));
    await expect(registerModel({ fetch: f, serverRunId: async () => null }, "m", { features })).rejects.toThrow(/not on the server yet/);
    await expect(registerModel({ fetch: f, serverRunId: async () => "r" }, "m", { features })).rejects.toThrow(/duplicate input feature 'a' \(INVALID_PARAMETER_VALUE\)/);
    await expect(registerModel({ fetch: f, serverRunId: async () => "r" }, "a/b", { features })).rejects.toThrow(/no '\/'/);
    await expect(registerModel({ fetch: f, serverRunId: async () => "r" }, "m", { features: [] })).rejects.toThrow(/features must list/);
  });
});
