// lib/server/redis.ts and REDIS_URL in lib/env.ts: the URL is validated (never echoed with its
// password), the backoff grows and is capped, and a link to a closed port fails fast, logs once and
// never throws into its caller.
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { createRedisLink, reconnectDelay, redisTarget } from "@/lib/server/redis";

describe("REDIS_URL", () => {
  it("is optional (empty counts as unset) and accepts redis:// and rediss:// URLs", () => {
    expect(parseEnv({}).REDIS_URL).toBeUndefined();
    expect(parseEnv({ REDIS_URL: "  " }).REDIS_URL).toBeUndefined();
    expect(parseEnv({ REDIS_URL: "redis://127.0.0.1:6379" }).REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(parseEnv({ REDIS_URL: "rediss://user:pw@cache.example.org:6380/2" }).REDIS_URL).toBe("rediss://user:pw@cache.example.org:6380/2");
  });

  it("refuses other URLs, naming the variable but not the value", () => {
    for (const bad of ["http://127.0.0.1:6379", "127.0.0.1:6379", "redis://", "redis://h:6379/db/x", "redis://u:topsecret@h:1?x=1"]) {
      let message = "";
      try {
        parseEnv({ REDIS_URL: bad });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, bad).toMatch(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
      expect(message).not.toContain("topsecret");
    }
  });
});

describe("redis link", () => {
  it("names its target without credentials", () => {
    expect(redisTarget("redis://user:secret@h:6379/1")).toBe("redis://h:6379/1");
  });

  it("backs off 100 ms doubling up to the cap, with jitter", () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((n) => reconnectDelay(n, 5000, mid))).toEqual([100, 200, 400, 800]);
    expect(reconnectDelay(30, 5000, mid)).toBe(5000);
    expect(reconnectDelay(1, 5000, () => 0)).toBe(80);
    expect(reconnectDelay(1, 5000, () => 0.999)).toBeLessThanOrEqual(120);
  });

  it("to a closed port: ready() rejects with a clear message, publish and commands do not throw, one log line", async () => {
    const logs: string[] = [];
    const link = createRedisLink({ url: "redis://127.0.0.1:1", prefix: "t:", connectTimeoutMs: 200, maxBackoffMs: 50, log: (m) => logs.push(m) });
    try {
      await expect(link.ready(300)).rejects.toThrow(/Redis at redis:\/\/127\.0\.0\.1:1 is not reachable within 300 ms/);
      expect(link.up()).toBe(false);
      link.publish("c", "m");
      await expect(link.client.get("x")).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 300)); // several reconnection attempts
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatch(/unavailable.*serves alone/);
    } finally {
      await link.close();
    }
  });
});
