// lib/server/services/serving/feedback-relay.ts: which instance a request id names. (Forwarding
// itself runs against the real Redis: tests/integration/serving-redis-feedback.integration.test.ts.)
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { instanceOfRequestId } from "@/lib/server/services/serving/feedback-relay";

describe("request ids naming the instance that answered", () => {
  it("reads `<instanceId>.<uuid>`, and nothing from any other id", () => {
    const instance = randomUUID();
    expect(instanceOfRequestId(`${instance}.${randomUUID()}`)).toBe(instance);
    for (const other of [randomUUID(), "nope", `${instance}.`, `${instance}.x`, `${instance}.${randomUUID()}.x`, `x${instance}.${randomUUID()}`, `${instance.toUpperCase()}.${randomUUID()}`, `${"z".repeat(36)}.${randomUUID()}`, "", "."]) {
      expect(instanceOfRequestId(other), other).toBeNull();
    }
  });
});
