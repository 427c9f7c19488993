// What a raised drift alert becomes in the owner's notifications (the writing itself, its
// once-per-unread-subject rule and the listing: tests/integration/serving-monitoring and
// tests/integration/notifications).
import { describe, expect, it } from "vitest";
import { driftNotification, driftSubject, parseMonitorKey } from "@/lib/server/services/serving/drift-notifications";

describe("drift notifications", () => {
  it("reads a monitor key back: owner, model name (which may hold '#'), version", () => {
    expect(parseMonitorKey("u1/fraud-detector#3")).toEqual({ ownerId: "u1", name: "fraud-detector", version: 3 });
    expect(parseMonitorKey("u1/a#b#12")).toEqual({ ownerId: "u1", name: "a#b", version: 12 });
    for (const bad of ["fraud#1", "/x#1", "u1/#1", "u1/x#0", "u1/x#", "u1/x#1.5", "u1/x"]) expect(parseMonitorKey(bad), bad).toBeNull();
  });

  it("an alert is the owner's driftAlert about the version's feature, linked to the endpoint page", () => {
    const n = driftNotification("u1/fraud detector#2", { feature: "amount", raisedAt: 1_700_000_000_000, resolvedAt: null, psi: 0.35678, ksPValue: 1e-9 });
    expect(n).toEqual({
      userId: "u1",
      kind: "driftAlert",
      subject: driftSubject("fraud detector", 2, "amount"),
      data: { model: "fraud detector", version: 2, feature: "amount", psi: 0.357, ksPValue: 1e-9 },
      href: "/models/fraud%20detector",
      now: new Date(1_700_000_000_000),
    });
    expect(driftSubject("m", 1, "a")).not.toBe(driftSubject("m", 2, "a"));
    expect(driftNotification("not-a-key", { feature: "a", raisedAt: 0, resolvedAt: null, psi: 1, ksPValue: 0 })).toBeNull();
  });
});
