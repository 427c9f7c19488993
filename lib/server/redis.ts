// The process's link to Redis (REDIS_URL), shared by every instance of the app behind one proxy:
// serving policy changes are published on it and live metrics pushed to it. Optional: without
// REDIS_URL `processRedis()` is null and each instance works alone. A Redis that is down or goes
// away never fails a request: commands fail fast (no offline queue), callers fall back to this
// instance's own state, the link reconnects with capped exponential backoff, and the outage is
// logged once (and its end once).
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { env } from "@/lib/env";
import { processWide } from "@/lib/server/process-wide";

export interface RedisLinkOptions {
  url: string;
  /** Prepended to every key and channel (default "cuaderno:"); tests use a unique one per run. */
  prefix?: string;
  /** How long one connection attempt may take, ms (default 2,000). */
  connectTimeoutMs?: number;
  /** How long one command may wait for its answer, ms (default 1,000). */
  commandTimeoutMs?: number;
  /** Longest wait between reconnection attempts, ms (default 5,000). */
  maxBackoffMs?: number;
  log?: (message: string) => void;
}

export interface RedisLink {
  readonly prefix: string;
  /** Tells this process apart from the others on the same Redis. */
  readonly instanceId: string;
  /** Commands; they reject at once while the link is down. */
  readonly client: Redis;
  /** Whether commands can be sent now. */
  up(): boolean;
  /** Resolves once connected; rejects with a clear message after timeoutMs (tests, health checks). */
  ready(timeoutMs: number): Promise<void>;
  /** Fire and forget: a failure is logged once, never thrown. */
  publish(channel: string, message: string): void;
  /** Messages of a channel (prefixed like keys); kept across reconnections. Returns the unsubscribe. */
  subscribe(channel: string, handler: (message: string) => void): () => void;
  /** A failure of a Redis call that the caller survives (logged once per outage). */
  failed(what: string, error: unknown): void;
  close(): Promise<void>;
}

/** Where the URL points, without credentials (for messages). */
export function redisTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return "(bad REDIS_URL)";
  }
}

/** Backoff before reconnection attempt `times` (1, 2, ...): 100 ms doubling, capped, with ±20 % jitter. */
export function reconnectDelay(times: number, maxMs = 5000, random: () => number = Math.random): number {
  const base = Math.min(maxMs, 100 * 2 ** Math.min(16, Math.max(0, times - 1)));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export function createRedisLink(opts: RedisLinkOptions): RedisLink {
  const prefix = opts.prefix ?? "cuaderno:";
  const target = redisTarget(opts.url);
  const log = opts.log ?? ((m: string) => console.warn(m));
  const maxBackoff = opts.maxBackoffMs ?? 5000;
  let down = false;
  let closed = false;
  const failed = (what: string, error: unknown) => {
    if (down || closed) return;
    down = true;
    log(`[redis] ${target} unavailable (${what}: ${error instanceof Error ? error.message : String(error)}); this instance serves alone until it is back`);
  };
  const recovered = () => {
    if (!down) return;
    down = false;
    log(`[redis] ${target} reachable again; sharing serving state between instances`);
  };
  const common = {
    connectTimeout: opts.connectTimeoutMs ?? 2000,
    retryStrategy: (times: number) => (closed ? null : reconnectDelay(times, maxBackoff)),
    lazyConnect: false,
  };
  // A command that gets no answer within a second fails (a stuck Redis must not hold a request).
  const client = new Redis(opts.url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: opts.commandTimeoutMs ?? 1000 });
  client.on("error", (e) => failed("connection", e));
  client.on("ready", recovered);

  let subscriber: Redis | null = null;
  const handlers = new Map<string, Set<(message: string) => void>>();
  function sub(): Redis {
    if (subscriber) return subscriber;
    // Subscriptions wait for the connection (offline queue) and are renewed after a reconnection.
    subscriber = new Redis(opts.url, { ...common, enableOfflineQueue: true, autoResubscribe: true, maxRetriesPerRequest: null });
    subscriber.on("error", (e) => failed("subscription", e));
    subscriber.on("message", (channel: string, message: string) => {
      for (const h of handlers.get(channel) ?? []) {
        try {
          h(message);
        } catch (e) {
          console.error("[redis] a message handler failed", e);
        }
      }
    });
    return subscriber;
  }

  return {
    prefix,
    instanceId: randomUUID(),
    client,
    up: () => client.status === "ready",
    ready(timeoutMs) {
      if (client.status === "ready") return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          client.off("ready", onReady);
          reject(new Error(`Redis at ${target} is not reachable within ${timeoutMs} ms (is it running? REDIS_URL=${target})`));
        }, timeoutMs);
        const onReady = () => {
          clearTimeout(timer);
          resolve();
        };
        client.once("ready", onReady);
      });
    },
    publish(channel, message) {
      client.publish(prefix + channel, message).catch((e: unknown) => failed("publish", e));
    },
    subscribe(channel, handler) {
      const full = prefix + channel;
      let set = handlers.get(full);
      if (!set) {
        handlers.set(full, (set = new Set()));
        sub()
          .subscribe(full)
          .catch((e: unknown) => failed("subscribe", e));
      }
      set.add(handler);
      return () => {
        set.delete(handler);
      };
    },
    failed,
    async close() {
      closed = true;
      client.disconnect();
      subscriber?.disconnect();
    },
  };
}

const slot = () => processWide<{ link: RedisLink | null | undefined }>("redis", () => ({ link: undefined }));

/** This process's link (REDIS_URL), created on first use; null without REDIS_URL. */
export function processRedis(): RedisLink | null {
  const s = slot();
  if (s.link === undefined) s.link = env.REDIS_URL ? createRedisLink({ url: env.REDIS_URL }) : null;
  return s.link;
}

/** Tests: the link processRedis() returns from now on (modules built on it read it when they are first used). */
export function useProcessRedis(link: RedisLink | null): void {
  slot().link = link;
}
