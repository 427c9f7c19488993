import { describe, expect, it } from "vitest";
import { batchingFromTags, SERVING_TAGS } from "@/lib/server/services/serving/settings";

const tags = (size?: string, latency?: string) => [
  ...(size === undefined ? [] : [{ key: SERVING_TAGS.maxBatchSize, value: size }]),
  ...(latency === undefined ? [] : [{ key: SERVING_TAGS.maxLatencyMs, value: latency }]),
  { key: "team", value: "fraud" },
];

describe("batching from a registered model's tags", () => {
  it("reads integers in range", () => {
    expect(batchingFromTags(tags("1"))).toEqual({ maxBatchSize: 1 });
    expect(batchingFromTags(tags("128", "5"))).toEqual({ maxBatchSize: 128, maxLatencyMs: 5 });
    expect(batchingFromTags(tags(undefined, "0"))).toEqual({ maxLatencyMs: 0 });
  });
  it("ignores absent, malformed and out-of-range values (the engine's defaults apply)", () => {
    expect(batchingFromTags([])).toEqual({});
    for (const bad of ["0", "-1", "1.5", "abc", "", "10001", "1e3", "9999999"]) expect(batchingFromTags(tags(bad))).toEqual({});
    for (const bad of ["101", "-2", "2.5"]) expect(batchingFromTags(tags(undefined, bad))).toEqual({});
  });
});
