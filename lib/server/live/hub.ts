// The live quiz transport of one server process (issue 14 points 8, 9): WebSocket upgrades at
// /live/ws (ws, noServer), the first message of each socket (join, rejoin, host), the join rate
// limit per client address, and which GameHost a socket talks to. Without Redis every game this
// process is asked about is loaded here (from the database: a restarted server resumes games).
// With Redis one instance owns each game (a lease key renewed every few seconds); the others
// forward their sockets' messages to it and deliver what it sends back (lib/server/live/redis-bridge.ts).
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { CLIENT_IP_HEADER } from "@/lib/server/http/client-address";
import { webHeaders } from "@/lib/server/http/node-adapter";
import { MAX_MESSAGE_BYTES, parseClientMessage, type ClientMessage } from "@/lib/live/protocol";
import { CLOSE, errorMessage, GameHost, type LiveConn } from "./game-host";
import { createRateLimiter, type RateLimiter } from "./rate-limit";
import type { LiveStore } from "./store";
import type { RedisBridge } from "./redis-bridge";

export interface LiveHubOptions {
  store: LiveStore;
  /** The signed-in user of an upgrade request's cookies. */
  sessionUser?: (headers: Headers) => Promise<{ id: string } | null>;
  /** The app's origin: a cookie is believed only on an upgrade from it (no cross-site hosting). */
  origin?: string;
  /** Joins and rejoins per client address (default: 40 at once, then 4 per second). */
  joinLimit?: { burst: number; perSecond: number };
  /** Messages per socket (default: 20 at once, then 10 per second). */
  messageLimit?: { burst: number; perSecond: number };
  bridge?: RedisBridge;
  now?: () => number;
  log?: (m: string) => void;
}

export interface LiveHub {
  onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** The game running here (tests, bench). */
  hostOf(gameId: string): GameHost | undefined;
  close(): Promise<void>;
}

type First = Extract<ClientMessage, { t: "join" | "rejoin" | "host" }>;

/** What a socket talks to once its first message found the game. */
export interface GameLink {
  message(msg: ClientMessage): void | Promise<void>;
  detach(): void;
}

let connSeq = 0;

export function createLiveHub(opts: LiveHubOptions): LiveHub {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, clientTracking: true });
  const joinLimiter: RateLimiter = createRateLimiter(opts.joinLimit ?? { burst: 40, perSecond: 4 });
  const msgLimit = opts.messageLimit ?? { burst: 20, perSecond: 10 };
  const log = opts.log ?? ((m: string) => console.warn(m));
  const hosts = new Map<string, GameHost>();
  const loading = new Map<string, Promise<GameHost | null>>();
  const pinCache = new Map<string, string>();
  const now = opts.now ?? Date.now;
  let closing: Promise<void> | null = null;

  /** The game here, loaded from storage if needed (resuming where it was). */
  function localHost(gameId: string): Promise<GameHost | null> {
    const h = hosts.get(gameId);
    if (h) return Promise.resolve(h);
    let p = loading.get(gameId);
    if (!p) {
      p = opts.store
        .loadGame(gameId)
        .then((loaded) => {
          if (!loaded) return null;
          const host = new GameHost(loaded.meta, loaded.game, { store: opts.store, now: opts.now, log, remoteBroadcast: opts.bridge?.remoteBroadcast });
          hosts.set(gameId, host);
          return host;
        })
        .finally(() => loading.delete(gameId));
      loading.set(gameId, p);
    }
    return p;
  }

  async function gameIdFor(first: First): Promise<string | null> {
    if (first.t === "host") return first.gameId;
    const cached = pinCache.get(first.pin);
    if (cached) {
      const h = hosts.get(cached);
      if (!h || h.game.phase !== "ended") return cached;
      pinCache.delete(first.pin);
    }
    const id = await opts.store.gameIdForPin(first.pin);
    if (id) {
      if (pinCache.size > 10_000) pinCache.clear();
      pinCache.set(first.pin, id);
    }
    return id;
  }

  /** Links a socket to its game: the local GameHost, or the owner instance through Redis. */
  async function link(conn: LiveConn, first: First, userId: string | null): Promise<GameLink | null> {
    const gameId = await gameIdFor(first);
    if (!gameId) {
      conn.send(first.t === "host" ? errorMessage("not_found", "no such game") : errorMessage("wrong_pin", "no game with that PIN is open"));
      return null;
    }
    if (opts.bridge) {
      const owner = await opts.bridge.ownerFor(gameId, () => localHost(gameId));
      if (owner !== "local") return opts.bridge.forward(conn, gameId, owner, first, userId);
    }
    const host = await localHost(gameId);
    if (!host) {
      conn.send(errorMessage("not_found", "no such game"));
      return null;
    }
    const attached = await host.attach(conn, first, { userId });
    if (!attached) return null;
    return { message: (m) => host.message(conn, m), detach: () => host.detach(conn) };
  }

  async function sessionUserId(req: IncomingMessage): Promise<string | null> {
    if (!opts.sessionUser || !req.headers.cookie) return null;
    const origin = req.headers.origin;
    if (opts.origin && origin !== undefined && origin !== opts.origin) return null; // cross-site: no cookie rights
    try {
      return (await opts.sessionUser(webHeaders(req.headers)))?.id ?? null;
    } catch {
      return null;
    }
  }

  function serve(ws: WebSocket, req: IncomingMessage, socket: Duplex): void {
    const address = String(req.headers[CLIENT_IP_HEADER] ?? req.socket.remoteAddress ?? "unknown");
    const userIdP = sessionUserId(req);
    const conn: LiveConn = {
      id: `c${++connSeq}`,
      send: (text) => {
        if (ws.readyState === ws.OPEN) ws.send(text, { binary: false });
      },
      // Safe beside ws's own writes: without compression ws writes each frame whole, at once.
      sendFrame: (frame) => {
        if (ws.readyState === ws.OPEN && !socket.destroyed) socket.write(frame);
      },
      close: (code, reason) => ws.close(code, reason),
    };
    const bucket = createRateLimiter(msgLimit);
    let linked: GameLink | null = null;
    let linking = false;
    let chain: Promise<void> = Promise.resolve();
    let gone = false;

    const handle = async (data: Buffer | string): Promise<void> => {
      const parsed = parseClientMessage(data);
      if (!parsed.ok) return conn.send(errorMessage(parsed.code, parsed.message));
      const msg = parsed.message;
      if (linked) return void (await linked.message(msg));
      if (msg.t !== "join" && msg.t !== "rejoin" && msg.t !== "host") return conn.send(errorMessage("not_joined", "join a game first"));
      if (msg.t !== "host") {
        const wait = joinLimiter.take(address, now());
        if (wait > 0) return conn.send(errorMessage("rate_limited", "too many joins from your network, wait a moment", { retryMs: wait }));
      }
      linking = true;
      try {
        const l = await link(conn, msg, await userIdP);
        if (gone) l?.detach();
        else linked = l;
      } finally {
        linking = false;
      }
    };

    ws.on("message", (data: Buffer, isBinary: boolean) => {
      if (bucket.take("m", now()) > 0) return conn.send(errorMessage("rate_limited", "too many messages, slow down", { retryMs: 1000 }));
      const text = isBinary ? data : data.toString("utf8");
      // In order per socket; the first message's lookup must finish before the next one is read.
      const run = () =>
        handle(text).catch((e: unknown) => {
          log(`[live] a message failed: ${e instanceof Error ? e.stack : String(e)}`);
          conn.send(errorMessage("server_error", "something went wrong"));
        });
      chain = linked && !linking ? (run(), chain) : chain.then(run);
    });
    ws.on("close", () => {
      gone = true;
      linked?.detach();
      linked = null;
    });
    ws.on("error", () => undefined);
  }

  // A game another instance took over (this one lost Redis for longer than the lease): its
  // sockets here are told to reconnect, and reach the new owner through the bridge.
  opts.bridge?.onLeaseLost((gameId) => {
    hosts.get(gameId)?.shutdown();
    hosts.delete(gameId);
  });

  // Games nobody is connected to leave memory (an ended one after a minute, any other after an
  // hour); a later socket loads them again from the database.
  const idleSince = new Map<string, number>();
  const sweep = setInterval(() => {
    const t = now();
    for (const [id, h] of hosts) {
      if (h.connectionCount > 0) {
        idleSince.delete(id);
        continue;
      }
      const since = idleSince.get(id) ?? t;
      idleSince.set(id, since);
      if (t - since >= (h.game.phase === "ended" ? 60_000 : 3_600_000)) {
        h.shutdown();
        hosts.delete(id);
        idleSince.delete(id);
        opts.bridge?.release(id);
      }
    }
  }, 30_000);
  sweep.unref();

  /** Tells every socket to reconnect (1012), gives them a second to close, then lets go. */
  async function closeAll(): Promise<void> {
    clearInterval(sweep);
    for (const h of hosts.values()) h.shutdown(CLOSE.moved, "server restarting");
    hosts.clear();
    // The last phase change of each game is written before the process lets go: the next
    // process resumes from it (a crash instead loses at most that change; answers are stored first).
    await opts.store.settled();
    await opts.bridge?.close();
    for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.close(CLOSE.moved, "server restarting");
    for (let waited = 0; wss.clients.size > 0 && waited < 1000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
  }

  return {
    onUpgrade(req, socket, head) {
      const path = (req.url ?? "").split("?")[0];
      if (path !== "/live/ws") {
        socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => serve(ws, req, socket));
    },
    hostOf: (gameId) => hosts.get(gameId),
    close() {
      closing ??= closeAll();
      return closing;
    },
  };
}
