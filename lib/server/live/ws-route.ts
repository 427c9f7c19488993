// The live quiz WebSocket as a lean upgrade route of the server `npm start` runs, wired from
// lib/env.ts: the process's database and, with REDIS_URL, the Redis bridge between instances.
import type { Db } from "@/lib/server/db";
import type { RedisLink } from "@/lib/server/redis";
import type { PrefixRoute } from "@/lib/server/http/router";
import type { UpgradeHandler } from "@/lib/server/http/app-server";
import { LIVE_WS_PATH } from "@/lib/live/protocol";
import { createLiveHub, type LiveHub, type LiveHubOptions } from "./hub";
import { createLiveStore } from "./store";
import { createRedisBridge, type RedisBridge } from "./redis-bridge";
import { dbProvider } from "@/lib/server/db";

export interface LiveRouteOptions {
  db: Db;
  sessionUser?: LiveHubOptions["sessionUser"];
  origin?: string;
  redis?: RedisLink | null;
  joinLimit?: LiveHubOptions["joinLimit"];
  messageLimit?: LiveHubOptions["messageLimit"];
  leaseMs?: number;
}

export function liveRoutes(opts: LiveRouteOptions): { upgrades: PrefixRoute<UpgradeHandler>[]; hub: LiveHub; bridge?: RedisBridge } {
  const store = createLiveStore(opts.db, { maxInFlight: dbProvider(opts.db) === "postgresql" ? 4 : 1 });
  const bridge = opts.redis ? createRedisBridge(opts.redis, { leaseMs: opts.leaseMs }) : undefined;
  const hub = createLiveHub({ store, sessionUser: opts.sessionUser, origin: opts.origin, bridge, joinLimit: opts.joinLimit, messageLimit: opts.messageLimit });
  // The router takes "/"-ended prefixes; the hub answers only LIVE_WS_PATH under it (404 otherwise).
  return { upgrades: [{ prefix: LIVE_WS_PATH.slice(0, LIVE_WS_PATH.lastIndexOf("/") + 1), handler: hub.onUpgrade }], hub, bridge };
}
