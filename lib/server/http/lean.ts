// Entry of the lean layer as scripts/server.mjs loads it (bundled by scripts/lean-bundle.mjs):
// everything the server needs besides Next, wired from lib/env.ts.
import { env } from "@/lib/env";
import { getSessionUser } from "@/lib/server/auth";
import { db, dbReady } from "@/lib/server/db";
import { createRequestListener, createUpgradeListener, tookUpgrade, type AppServerOptions } from "./app-server";
import { parseTrustedProxies } from "./client-address";
import { mlflowRoutes } from "./mlflow-routes";
import { leanSecurityHeaders, type HeaderRule } from "./security-headers";
import { trpcRoutes } from "./trpc-routes";
import { servingRoutes } from "./serving-routes";
import { defaultArtifactStorage } from "@/lib/server/services/tracking/artifacts/storage";
import { liveRoutes } from "@/lib/server/live/ws-route";
import { processRedis } from "@/lib/server/redis";

export interface LeanApp {
  onRequest: ReturnType<typeof createRequestListener>;
  onUpgrade: ReturnType<typeof createUpgradeListener>;
  /** Whether onUpgrade's lean route took this upgrade (then no other listener may touch it). */
  tookUpgrade: typeof tookUpgrade;
  /** How many proxies are trusted (for the start-up line). */
  trustedProxyCount: number;
  /** Closes the upgraded sockets (live quiz WebSockets, told to reconnect) so the server can stop. */
  closeUpgrades(): Promise<void>;
  /** Closes the database connections (after the server stopped taking requests). */
  close(): Promise<void>;
}

/** `fallback`: Next's request handler; `headerRules`: next.config.mjs's headers(). */
export async function createLeanApp(opts: { fallback: AppServerOptions["fallback"]; headerRules: readonly HeaderRule[] }): Promise<LeanApp> {
  const trustedProxies = parseTrustedProxies(env.TRUSTED_PROXIES);
  await dbReady;
  const origin = new URL(env.CUADERNO_URL).origin;
  const securityHeaders = leanSecurityHeaders(opts.headerRules);
  const routes = [
    ...mlflowRoutes({ db, sessionUser: getSessionUser, origin, securityHeaders }),
    ...trpcRoutes({ origin, securityHeaders }),
    ...servingRoutes({ db, sessionUser: getSessionUser, origin, securityHeaders, storage: defaultArtifactStorage() }),
  ];
  // The live quiz WebSocket (lib/server/live): games shared through Redis when REDIS_URL is set.
  const live = liveRoutes({ db, sessionUser: getSessionUser, origin, redis: processRedis() });
  return {
    onRequest: createRequestListener({ routes, fallback: opts.fallback, trustedProxies }),
    onUpgrade: createUpgradeListener({ upgrades: live.upgrades, trustedProxies }),
    tookUpgrade,
    trustedProxyCount: trustedProxies.length,
    closeUpgrades: () => live.hub.close(),
    close: async () => {
      await live.hub.close();
      await db.$disconnect();
    },
  };
}
