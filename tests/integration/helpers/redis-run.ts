// A test run's links to the real Redis at REDIS_TEST_URL (default redis://127.0.0.1:6379), every
// key under a prefix unique to the run, deleted by `cleanUp` with the links closed.
import { randomUUID } from "node:crypto";
import { createRedisLink, type RedisLink } from "@/lib/server/redis";

export interface RedisRun {
  url: string;
  prefix: string;
  /** A link under this run's prefix that must connect (fails with a clear message, never hangs). */
  liveLink(): Promise<RedisLink>;
  /** Closes `link` with the others at the end (a link made here for another purpose). */
  track(link: RedisLink): void;
  /** Deletes the run's keys (through the first link that is up) and closes every link. */
  cleanUp(): Promise<void>;
}

export function redisRun(): RedisRun {
  const url = process.env.REDIS_TEST_URL || "redis://127.0.0.1:6379";
  const prefix = `cuaderno-test:${randomUUID()}:`;
  const links: RedisLink[] = [];
  return {
    url,
    prefix,
    async liveLink() {
      const link = createRedisLink({ url, prefix, connectTimeoutMs: 2000 });
      links.push(link);
      await link.ready(3000);
      return link;
    },
    track(link) {
      links.push(link);
    },
    async cleanUp() {
      const link = links.find((l) => l.up());
      if (link) {
        let cursor = "0";
        do {
          const [next, keys] = await link.client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
          if (keys.length) await link.client.del(...keys);
          cursor = next;
        } while (cursor !== "0");
      }
      for (const l of links) await l.close();
    },
  };
}
