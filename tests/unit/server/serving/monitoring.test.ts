import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/server/db";
import type { SessionUser } from "@/lib/server/auth";
import { FeedbackBodyError, monitoredBackend, monitorKey, parseFeedbackBodyOrThrow, recordFeedback } from "@/lib/server/services/serving/monitoring";
import { TrafficRecorder } from "@/lib/serving/monitoring/recorder";
import type { ServingBackend } from "@/lib/serving/protocols/answer-request";
import { featureSignature, type ServedModel } from "@/lib/serving/protocols/model";

const ana = { id: "ana", role: "student" } as unknown as SessionUser;
const bob = { id: "bob", role: "student" } as unknown as SessionUser;
/** No reference or threshold stored: the lookup finds nothing. */
const db = { modelVersion: { findFirst: async () => null } } as unknown as Db;
const model: ServedModel = { name: "fraud", versions: [{ version: 1, state: "AVAILABLE", signature: featureSignature({ featureCount: 2 }) }] };

describe("parseFeedbackBodyOrThrow", () => {
  it("one label, labels per row, or a batch", () => {
    expect(parseFeedbackBodyOrThrow('{"request_id":"a","label":1}')).toEqual({ batch: false, items: [{ requestId: "a", labels: [1] }] });
    expect(parseFeedbackBodyOrThrow('{"request_id":"a","labels":[0,1]}')).toEqual({ batch: false, items: [{ requestId: "a", labels: [0, 1] }] });
    expect(parseFeedbackBodyOrThrow('{"feedback":[{"request_id":"a","label":0}]}')).toEqual({ batch: true, items: [{ requestId: "a", labels: [0] }] });
  });

  it("refuses what is not that, saying where", () => {
    for (const bad of ["", "[]", "null", '{"label":1}', '{"request_id":"a"}', '{"request_id":"a","label":1,"labels":[1]}', '{"request_id":"a","label":0.5}', '{"request_id":"a","label":"1"}', '{"feedback":[]}', `{"request_id":"${"x".repeat(129)}","label":1}`]) {
      expect(() => parseFeedbackBodyOrThrow(bad), bad).toThrow(FeedbackBodyError);
    }
    expect(() => parseFeedbackBodyOrThrow('{"feedback":[{"request_id":"a","label":1},{"request_id":"b","label":3}]}')).toThrow(/feedback\[1\]/);
    expect(() => parseFeedbackBodyOrThrow(JSON.stringify({ feedback: Array.from({ length: 1001 }, (_, i) => ({ request_id: `r${i}`, label: 1 })) }))).toThrow(/1000/);
  });
});

describe("monitoredBackend", () => {
  it("answers what the backend answers and records it under <owner>/<name>#<version>; failures count as errors and still throw", async () => {
    const monitor = new TrafficRecorder();
    let fail = false;
    const inner: ServingBackend = {
      findModel: () => model,
      routeLatest: () => model.versions[0],
      predict: async (_m, _v, rows) => {
        if (fail) throw Object.assign(new Error("boom"), { code: "predict-failed" });
        return rows.map((r) => [r[0] / 10]);
      },
    };
    const wrapped = monitoredBackend(inner, { db, user: ana, requestId: "req-1", monitor });
    expect(wrapped.routeLatest!(model)).toBe(model.versions[0]);
    expect(await wrapped.findModel("fraud")).toBe(model);
    expect(await wrapped.predict(model, model.versions[0], [[3, 1], [7, 1]])).toEqual([[0.3], [0.7]]);
    fail = true;
    await expect(monitoredBackend(inner, { db, user: ana, requestId: "req-2", monitor }).predict(model, model.versions[0], [[1, 1]])).rejects.toThrow("boom");
    const key = monitorKey("ana", "fraud", 1);
    const s = monitor.stats(key, 60_000);
    expect([s.requests, s.errors, s.rows, s.predictions.count]).toEqual([2, 1, 3, 2]);
    // an instructor calling by the qualified name lands on the same key
    fail = false;
    await monitoredBackend(inner, { db, user: bob, requestId: "req-3", monitor }).predict({ ...model, name: "ana/fraud" }, model.versions[0], [[9, 9]]);
    expect(monitor.stats(key, 60_000).requests).toBe(3);

    // feedback: the caller or the owner; anyone else is told the id is unknown
    expect(recordFeedback(bob, [{ requestId: "req-1", labels: [0, 1] }], monitor)[0]).toMatchObject({ ok: false, error: expect.stringMatching(/No prediction/) });
    expect(recordFeedback(ana, [{ requestId: "req-1", labels: [1] }], monitor)[0]).toMatchObject({ ok: false, error: expect.stringMatching(/2 row/) });
    expect(recordFeedback(ana, [{ requestId: "req-1", labels: [0, 1] }, { requestId: "req-3", labels: [1] }], monitor)).toEqual([
      { requestId: "req-1", ok: true },
      { requestId: "req-3", ok: true }, // bob's request to ana's model: ana owns it
    ]);
    expect(monitor.stats(key, 60_000).feedback).toMatchObject({ count: 3, tp: 2, tn: 1, fp: 0, fn: 0 });
  });
});
