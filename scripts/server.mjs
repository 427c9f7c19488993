// The server `npm start` runs (scripts/start.mjs): one Node http server in front of Next.
// Hot machine-to-machine routes (the MLflow REST API and artifact proxy; model predictions and
// the live quiz next) are answered by the lean layer in lib/server/http, which calls the same
// services as the Next routes without Next's per-request pipeline; every other request goes to
// Next's own handler, unchanged. The server is also the trust boundary for the client address
// (TRUSTED_PROXIES, lib/server/http/client-address.ts).
//
// Kept from `next start`: production mode, Next's config and build folder (CUADERNO_DIST_DIR
// via next.config.mjs), its compression and headers for what Next serves, Node's default
// keep-alive (5 s) and request timeouts, and a graceful stop on SIGINT/SIGTERM (stop accepting,
// finish what is in flight, close Next and the database, exit 130/143).
// Run directly: `PORT=3000 node scripts/server.mjs` after a build (npm start does all of it).
import { createServer } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ensureLeanBundle } from "./lean-bundle.mjs";
import { root } from "./prisma-schemas.mjs";

/**
 * Starts the server on `port` (all interfaces, as `next start`); resolves once it listens.
 * @param {{ port: number }} opts
 */
export async function startServer({ port }) {
  // As `next start`: Next, React and lib/env.ts read it.
  process.env.NODE_ENV = "production";
  const { default: next } = await import("next");
  const { default: nextConfig } = await import(pathToFileURL(join(root, "next.config.mjs")).href);
  const headerRules = typeof nextConfig.headers === "function" ? await nextConfig.headers() : [];

  // The lean layer first: it opens the database, and Next's copy of lib/server/db.ts then finds
  // the same client on globalThis (one connection pool per process).
  const { createLeanApp } = await import(pathToFileURL(ensureLeanBundle()).href);
  const app = next({ dev: false, dir: root, port });
  await app.prepare();
  const lean = await createLeanApp({ fallback: app.getRequestHandler(), headerRules });

  const server = createServer(lean.onRequest);
  server.on("upgrade", lean.onUpgrade);
  // Next adds its own upgrade listener at its first request and ends every upgrade to a path it
  // routes — with app/[locale]/[...rest] that is every path, the live quiz's /live/ws included.
  // Upgrade listeners added after the lean one see only the upgrades no lean route took.
  const on = server.on.bind(server);
  server.on = server.addListener = (event, listener) =>
    event === "upgrade" ? on(event, (req, socket, head) => (lean.tookUpgrade(req) ? undefined : listener(req, socket, head))) : on(event, listener);
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => {
      server.off("error", reject);
      resolve();
    });
  });
  console.log(`Ready on port ${port}${lean.trustedProxyCount ? ` (forwarding headers believed from ${lean.trustedProxyCount} trusted prox${lean.trustedProxyCount === 1 ? "y" : "ies"})` : ""}`);

  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    // Whatever happens below, the process goes within 10 s.
    setTimeout(() => process.exit(1), 10_000).unref();
    await new Promise((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      // Upgraded sockets (live quiz WebSockets) keep the server open: they are told to reconnect
      // (1012) and closed, and their games are stored already (lib/server/live).
      void lean.closeUpgrades();
    });
    await Promise.allSettled([app.close(), lean.close()]);
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => void stop(signal));
  return server;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await startServer({ port: Number(process.env.PORT || 3000) });
