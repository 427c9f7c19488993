// The notebook's `challenge` API on its own: what it sends (plain JSON, NaN named) and how it
// reports the server's answer; the REST side is covered in tests/integration/challenges.
import { describe, expect, it } from "vitest";
import { createChallengeApi, predictionsPayload } from "@/lib/kernel/challenge";

describe("challenge API (kernel)", () => {
  it("turns arrays, typed arrays, tensors and [n, 1] columns into plain JSON numbers", () => {
    expect(predictionsPayload([0.1, 1, 0])).toEqual([0.1, 1, 0]);
    expect(predictionsPayload(Float32Array.from([0.5, 0.25]))).toEqual([0.5, 0.25]);
    expect(predictionsPayload({ arraySync: () => [[0.5], [1]] })).toEqual([0.5, 1]);
    expect(predictionsPayload([NaN, Infinity, -Infinity, 2])).toEqual(["NaN", "Infinity", "-Infinity", 2]);
    expect(predictionsPayload([{ id: 7, prediction: NaN }, { id: "8", prediction: 0.5 }])).toEqual([
      { id: 7, prediction: "NaN" },
      { id: "8", prediction: 0.5 },
    ]);
    // anything else goes as it is, for the server to name
    expect(predictionsPayload(["x", null])).toEqual(["x", null]);
    expect(() => predictionsPayload(42)).toThrow(/list of numbers/);
  });

  it("posts JSON to the challenge's submissions route and returns the server's figures", async () => {
    const calls: { url: string; init?: RequestInit }[] = [];
    const api = createChallengeApi({
      fetch: (async (url: string, init?: RequestInit) => {
        calls.push({ url, init });
        return new Response(JSON.stringify({ publicScore: 0.42, remainingToday: 3, attempt: 2, dailyLimit: 5, resetsAt: "2026-03-11T03:00:00.000Z", submissionId: "s1", privateScore: 0.9 }), { status: 200 });
      }) as typeof fetch,
    });
    const r = await api.submit("ch1", [0.1, 0.2]);
    expect(r).toEqual({ publicScore: 0.42, remainingToday: 3, attempt: 2, dailyLimit: 5, resetsAt: "2026-03-11T03:00:00.000Z", submissionId: "s1" });
    expect(calls[0].url).toBe("/api/challenges/ch1/submissions");
    expect(calls[0].init?.method).toBe("POST");
    expect(JSON.parse(String(calls[0].init?.body))).toEqual({ predictions: [0.1, 0.2] });
    await expect(api.submit("../x", [1])).rejects.toThrow(/not a challenge id/);
  });

  it("throws the server's message when a submission is refused", async () => {
    const api = createChallengeApi({
      fetch: (async () => new Response(JSON.stringify({ error: { code: "wrongLength", message: "Expected 4 predictions, got 2" } }), { status: 400 })) as typeof fetch,
    });
    await expect(api.submit("ch1", [1, 0])).rejects.toThrow("challenge.submit: Expected 4 predictions, got 2");
    const down = createChallengeApi({ fetch: (async () => new Response("oops", { status: 502 })) as typeof fetch });
    await expect(down.list()).rejects.toThrow("challenge.list: HTTP 502");
  });

  it("loads the test features as a table named for SQL", async () => {
    const api = createChallengeApi({ fetch: (async () => new Response("id,x,city\n1,0.5,Rosario\n2,,Salta\n")) as unknown as typeof fetch });
    const t = await api.features("ch9");
    expect(t).toMatchObject({ kind: "table", name: "challenge_ch9", columns: ["id", "x", "city"] });
    expect(t.rows).toEqual([
      { id: 1, x: 0.5, city: "Rosario" },
      { id: 2, x: null, city: "Salta" },
    ]);
  });
});
