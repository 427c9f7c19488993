// A real node:http server with the live quiz's upgrade route (lib/server/live) and a WebSocket
// client that queues what the server sends, for the live integration tests and nothing else.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket from "ws";
import { createUpgradeListener } from "@/lib/server/http/app-server";
import { parseTrustedProxies } from "@/lib/server/http/client-address";
import { liveRoutes, type LiveRouteOptions } from "@/lib/server/live/ws-route";
import type { LiveHub } from "@/lib/server/live/hub";
import type { ServerMessage } from "@/lib/live/protocol";

export const LIVE_ORIGIN = "http://localhost:3000";

/** Sessions for tests: the cookie `session=<user id>` signs in that user (if listed). */
export const cookieSessions = (users: string[]) => async (h: Headers) => {
  const m = /(?:^|;\s*)session=([^;]+)/.exec(h.get("cookie") ?? "");
  return m && users.includes(m[1]) ? { id: m[1] } : null;
};

export interface LiveServer {
  port: number;
  hub: LiveHub;
  server: Server;
  stop(): Promise<void>;
}

export async function startLiveServer(opts: LiveRouteOptions & { trustedProxies?: string; port?: number }): Promise<LiveServer> {
  const live = liveRoutes(opts);
  const server = createServer((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  server.on("upgrade", createUpgradeListener({ upgrades: live.upgrades, trustedProxies: parseTrustedProxies(opts.trustedProxies ?? "") }));
  server.listen(opts.port ?? 0, "127.0.0.1");
  await once(server, "listening");
  await live.bridge?.ready();
  return {
    port: (server.address() as AddressInfo).port,
    hub: live.hub,
    server,
    async stop() {
      await live.hub.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export class Client {
  readonly ws: WebSocket;
  private queue: ServerMessage[] = [];
  private waiters: { pred: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  closed: { code: number; reason: string } | null = null;
  readonly opened: Promise<void>;

  constructor(port: number, opts: { cookie?: string; forwardedFor?: string; origin?: string } = {}) {
    const headers: Record<string, string> = {};
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.forwardedFor) headers["x-forwarded-for"] = opts.forwardedFor;
    if (opts.origin) headers.origin = opts.origin;
    this.ws = new WebSocket(`ws://127.0.0.1:${port}/live/ws`, { headers });
    this.opened = once(this.ws, "open").then(() => undefined);
    this.ws.on("message", (data) => {
      const m = JSON.parse(String(data)) as ServerMessage;
      const i = this.waiters.findIndex((w) => w.pred(m));
      if (i >= 0) {
        const [w] = this.waiters.splice(i, 1);
        clearTimeout(w.timer);
        w.resolve(m);
      } else this.queue.push(m);
    });
    this.ws.on("close", (code, reason) => {
      this.closed = { code, reason: String(reason) };
    });
    this.ws.on("error", () => undefined);
  }

  async send(msg: unknown): Promise<void> {
    await this.opened;
    this.ws.send(typeof msg === "string" ? msg : JSON.stringify(msg));
  }

  /** The next message (already queued or arriving) that matches. */
  next<T extends ServerMessage["t"]>(t: T, pred: (m: Extract<ServerMessage, { t: T }>) => boolean = () => true, timeoutMs = 5000): Promise<Extract<ServerMessage, { t: T }>> {
    const match = (m: ServerMessage) => m.t === t && pred(m as Extract<ServerMessage, { t: T }>);
    const i = this.queue.findIndex(match);
    if (i >= 0) return Promise.resolve(this.queue.splice(i, 1)[0] as Extract<ServerMessage, { t: T }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`no "${t}" message within ${timeoutMs} ms; queued: ${JSON.stringify(this.queue).slice(0, 500)}`));
      }, timeoutMs);
      this.waiters.push({ pred: match, resolve: resolve as (m: ServerMessage) => void, reject, timer });
    });
  }

  /** Sends and waits for the reply of type t. */
  async ask<T extends ServerMessage["t"]>(msg: unknown, t: T, pred?: (m: Extract<ServerMessage, { t: T }>) => boolean): Promise<Extract<ServerMessage, { t: T }>> {
    const p = this.next(t, pred);
    await this.send(msg);
    return p;
  }

  /** Sends and waits for the next message of any type. */
  async reply(msg: unknown, timeoutMs = 5000): Promise<ServerMessage> {
    const types = new Set<ServerMessage["t"]>(["welcome", "error", "ack", "pong"]);
    const i = this.queue.findIndex((m) => types.has(m.t));
    if (i >= 0) this.queue.splice(i, 1);
    const p = new Promise<ServerMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no reply")), timeoutMs);
      this.waiters.push({ pred: (m) => types.has(m.t), resolve, reject, timer });
    });
    await this.send(msg);
    return p;
  }

  drop(): void {
    this.queue = [];
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const closed = once(this.ws, "close");
    this.ws.close();
    await closed;
  }

  async waitClosed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    const started = Date.now();
    while (!this.closed) {
      if (Date.now() - started > timeoutMs) throw new Error("socket not closed");
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.closed;
  }
}
