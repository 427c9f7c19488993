// The one server `npm start` runs (scripts/server.mjs): every request first gets the client
// address the server vouches for, then goes to a lean route (hot machine-to-machine traffic,
// lib/server/http/router.ts) or, for everything else, to Next's handler unchanged.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { CLIENT_IP_HEADER, clientAddress, isTrustedProxy, type TrustedProxies } from "./client-address";
import { createRouter, type PrefixRoute } from "./router";

// Forwarding headers a client could forge (who it is, and the host and scheme it used); kept only
// when a trusted proxy sent them. Without them Next derives host and scheme from the request itself.
const FORWARDING_HEADERS = ["x-forwarded-for", "x-real-ip", "forwarded", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port"] as const;

export type LeanHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface AppServerOptions {
  routes: readonly PrefixRoute<LeanHandler>[];
  /** WebSocket upgrades served by the lean layer (the live quiz, lib/server/live). */
  upgrades?: readonly PrefixRoute<UpgradeHandler>[];
  /** Everything that is not a lean route: Next's request handler. */
  fallback: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  trustedProxies: TrustedProxies;
}

// The address of a peer that is not a trusted proxy is the same for every request on its
// connection: worked out once per socket (keep-alive clients send thousands per connection).
const peerAddress = new WeakMap<object, string>();

/**
 * Replaces whatever the client said about its address: sets CLIENT_IP_HEADER to the address
 * computed from the socket (and a trusted proxy's X-Forwarded-For), and drops the forwarding
 * headers unless the peer is a trusted proxy, so nothing downstream can read a forged one
 * (Next then sets X-Forwarded-For to the socket's address itself).
 */
export function stampClientAddress(req: IncomingMessage, trusted: TrustedProxies): void {
  const h = req.headers;
  const socket = req.socket;
  let address = peerAddress.get(socket);
  if (address === undefined) {
    const peer = socket.remoteAddress;
    if (trusted.length > 0 && peer !== undefined && isTrustedProxy(peer, trusted)) {
      h[CLIENT_IP_HEADER] = clientAddress(peer, h["x-forwarded-for"], trusted);
      return;
    }
    address = clientAddress(peer, undefined, trusted);
    if (peer !== undefined) peerAddress.set(socket, address);
  }
  h[CLIENT_IP_HEADER] = address;
  for (const name of FORWARDING_HEADERS) if (h[name] !== undefined) delete h[name];
}

export function createRequestListener(opts: AppServerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const route = createRouter(opts.routes);
  const { fallback, trustedProxies } = opts;
  return (req, res) => {
    stampClientAddress(req, trustedProxies);
    const handler = route(req.url ?? "/");
    (handler ?? fallback)(req, res).catch((err: unknown) => {
      console.error(`[server] ${req.method} ${req.url?.split("?")[0]} failed`, err);
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8", connection: "close" });
        res.end("Internal Server Error");
      } else res.destroy();
    });
  };
}

/**
 * WebSocket and other upgrades: the client address is stamped the same way and a lean upgrade
 * route takes the socket. Any other upgrade is Next's: Next adds its own upgrade listener to a
 * custom server at its first request, after this one, so it sees the stamped headers; it never
 * sees an upgrade a lean route took (tookUpgrade, scripts/server.mjs), since it ends upgrades to
 * its own routes and app/[locale]/[...rest] is one for every path.
 */
export function createUpgradeListener(opts: Pick<AppServerOptions, "upgrades" | "trustedProxies">): UpgradeHandler {
  const route = createRouter(opts.upgrades ?? []);
  return (req, socket, head) => {
    stampClientAddress(req, opts.trustedProxies);
    const handler = route(req.url ?? "/");
    if (!handler) return;
    leanUpgrades.add(req);
    handler(req, socket, head);
  };
}

const leanUpgrades = new WeakSet<IncomingMessage>();
/**
 * Whether a lean upgrade route took this request. Next ends every upgrade to a path it routes,
 * and app/[locale]/[...rest] routes every path: scripts/server.mjs shows Next's own upgrade
 * listener only the upgrades no lean route took.
 */
export const tookUpgrade = (req: IncomingMessage): boolean => leanUpgrades.has(req);
