// Games shared between instances through Redis (issue 14 point 8). One instance owns a game at a
// time: it holds the lease key live:owner:<game> (SET NX PX, renewed every leaseMs/3) and runs
// its GameHost — the clock, scoring and storing happen there only. Another instance that gets a
// socket for that game forwards the socket's messages on the game's channel (live:game:<id>) and
// delivers what the owner sends back on its own channel (live:inst:<instance>): personal
// messages one by one, broadcasts once per instance. When an owner disappears its lease runs
// out; the other instances close their sockets of that game (1012) so the players rejoin with
// their tokens, and the first rejoin takes the game over from the database.
import type { RedisLink } from "@/lib/server/redis";
import type { ClientMessage } from "@/lib/live/protocol";
import { CLOSE, errorMessage, type Attached, type GameHost, type LiveConn, type RemoteBroadcast } from "./game-host";
import type { GameLink } from "./hub";

type First = Extract<ClientMessage, { t: "join" | "rejoin" | "host" }>;

/** To an instance. */
type InstMessage =
  | { k: "ping"; n: number }
  | { k: "to"; c: string; m: string }
  | { k: "close"; c: string; code: number; reason: string }
  | { k: "attached"; c: string; role: Attached["role"] }
  | { k: "bc"; g: string; to: "all" | "players" | "hosts"; m: string };
/** To a game's owner. */
type GameMessage =
  | { k: "ping"; n: number }
  | { k: "open"; inst: string; c: string; first: First; userId: string | null }
  | { k: "msg"; inst: string; c: string; m: ClientMessage }
  | { k: "close"; inst: string; c: string };

export interface RedisBridge {
  remoteBroadcast: RemoteBroadcast;
  /** "local" when this instance owns the game (taking it if free), else the owner's id. */
  ownerFor(gameId: string, loadLocal: () => Promise<GameHost | null>): Promise<"local" | string>;
  /** Links a socket here to the game owned by `owner`; resolves once the owner accepted or refused it. */
  forward(conn: LiveConn, gameId: string, owner: string, first: First, userId: string | null): Promise<GameLink | null>;
  /** Called when another instance holds the lease of a game run here (this one was cut off from Redis too long). */
  onLeaseLost(handler: (gameId: string) => void): void;
  /** Gives up a game this instance no longer runs (its lease is deleted). */
  release(gameId: string): void;
  /** Resolves once this instance receives its own channel's messages. */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

interface Forwarded {
  conn: LiveConn;
  gameId: string;
  owner: string;
  role?: Attached["role"];
  settle?: (attached: boolean) => void;
}

export function createRedisBridge(link: RedisLink, opts: { leaseMs?: number; log?: (m: string) => void } = {}): RedisBridge {
  const inst = link.instanceId;
  const leaseMs = opts.leaseMs ?? 15_000;
  const log = opts.log ?? ((m: string) => console.warn(m));
  const ownerKey = (gameId: string) => `${link.prefix}live:owner:${gameId}`;
  const instChannel = (id: string) => `live:inst:${id}`;
  const gameChannel = (gameId: string) => `live:game:${gameId}`;

  // Owner side: games owned here, their loaders and the remote sockets attached to them.
  const owned = new Map<string, { load: () => Promise<GameHost | null>; unsubscribe: () => void }>();
  const remoteConns = new Map<string, LiveConn>(); // `${inst}:${c}` → conn
  // Forwarding side: sockets here whose game is owned elsewhere.
  const forwarded = new Map<string, Forwarded>();
  let pingSeq = 0;
  const pings = new Map<number, () => void>();
  let closed = false;
  let leaseLost: (gameId: string) => void = () => undefined;

  const publish = (channel: string, msg: InstMessage | GameMessage) => link.publish(channel, JSON.stringify(msg));

  /** Subscribes and waits until a message published afterwards comes back (the subscription is live). */
  async function confirmed(channel: string, timeoutMs = 3000): Promise<void> {
    const n = ++pingSeq;
    const got = new Promise<void>((r) => pings.set(n, r));
    const started = Date.now();
    let done = false;
    void got.then(() => (done = true));
    while (!done) {
      if (Date.now() - started > timeoutMs) {
        pings.delete(n);
        throw new Error(`no message back on ${channel} within ${timeoutMs} ms`);
      }
      publish(channel, { k: "ping", n });
      await Promise.race([got, new Promise((r) => setTimeout(r, 50))]);
    }
  }

  const unsubInst = link.subscribe(instChannel(inst), (text) => {
    let m: InstMessage;
    try {
      m = JSON.parse(text) as InstMessage;
    } catch {
      return;
    }
    switch (m.k) {
      case "ping":
        return pings.get(m.n)?.();
      case "to": {
        const f = forwarded.get(m.c);
        if (!f) return;
        f.conn.send(m.m);
        if (f.settle && m.m.startsWith('{"t":"error"')) {
          f.settle(false);
          f.settle = undefined;
        }
        return;
      }
      case "attached": {
        const f = forwarded.get(m.c);
        if (!f) return;
        f.role = m.role;
        f.settle?.(true);
        f.settle = undefined;
        return;
      }
      case "close": {
        const f = forwarded.get(m.c);
        if (!f) return;
        forwarded.delete(m.c);
        f.conn.close(m.code, m.reason);
        return;
      }
      case "bc": {
        const bytes = Buffer.from(m.m);
        for (const f of forwarded.values()) {
          if (f.gameId !== m.g || !f.role) continue;
          if (m.to === "all" || (m.to === "players" && f.role === "player") || (m.to === "hosts" && f.role === "host")) f.conn.send(bytes);
        }
        return;
      }
    }
  });

  function remoteConn(from: string, c: string): LiveConn {
    const key = `${from}:${c}`;
    let conn = remoteConns.get(key);
    if (!conn) {
      conn = {
        id: key,
        instance: from,
        send: (m) => publish(instChannel(from), { k: "to", c, m: typeof m === "string" ? m : m.toString("utf8") }),
        close: (code, reason) => {
          remoteConns.delete(key);
          publish(instChannel(from), { k: "close", c, code, reason });
        },
      };
      remoteConns.set(key, conn);
    }
    return conn;
  }

  async function onGameMessage(gameId: string, text: string): Promise<void> {
    let m: GameMessage;
    try {
      m = JSON.parse(text) as GameMessage;
    } catch {
      return;
    }
    if (m.k === "ping") return pings.get(m.n)?.();
    const entry = owned.get(gameId);
    if (!entry) return;
    const host = await entry.load();
    if (!host) return;
    if (m.k === "open") {
      const conn = remoteConn(m.inst, m.c);
      const attached = await host.attach(conn, m.first, { userId: m.userId });
      if (attached) publish(instChannel(m.inst), { k: "attached", c: m.c, role: attached.role });
      else remoteConns.delete(conn.id);
    } else if (m.k === "msg") {
      const conn = remoteConns.get(`${m.inst}:${m.c}`);
      if (conn) await host.message(conn, m.m);
      else publish(instChannel(m.inst), { k: "to", c: m.c, m: errorMessage("not_joined", "join the game first") });
    } else if (m.k === "close") {
      const conn = remoteConns.get(`${m.inst}:${m.c}`);
      if (conn) {
        host.detach(conn);
        remoteConns.delete(conn.id);
      }
    }
  }

  // Leases: renewed while owned; forwarded sockets let go when their owner's lease is gone.
  const timer = setInterval(() => {
    void (async () => {
      for (const gameId of owned.keys()) {
        try {
          const holder = await link.client.get(ownerKey(gameId));
          if (holder === inst || holder === null) await link.client.set(ownerKey(gameId), inst, "PX", leaseMs);
          else {
            // Another instance took the game over while this one could not renew: it is theirs now.
            log(`[live] game ${gameId} is now run by ${holder}; letting it go here`);
            owned.get(gameId)?.unsubscribe();
            owned.delete(gameId);
            leaseLost(gameId);
          }
        } catch (e) {
          link.failed("live lease", e);
        }
      }
      const byGame = new Map<string, string>();
      for (const f of forwarded.values()) byGame.set(f.gameId, f.owner);
      for (const [gameId, owner] of byGame) {
        try {
          const holder = await link.client.get(ownerKey(gameId));
          if (holder === owner) continue;
        } catch (e) {
          link.failed("live lease", e);
          continue;
        }
        for (const [c, f] of forwarded) {
          if (f.gameId !== gameId) continue;
          forwarded.delete(c);
          f.conn.close(CLOSE.moved, "game moved, rejoin");
        }
      }
    })();
  }, Math.max(100, Math.floor(leaseMs / 3)));
  timer.unref();

  return {
    remoteBroadcast(to, gameId, text, who) {
      publish(instChannel(to), { k: "bc", g: gameId, to: who, m: text });
    },

    async ownerFor(gameId, loadLocal) {
      if (owned.has(gameId)) return "local";
      if (!link.up()) return "local"; // Redis away: serve alone
      try {
        for (let attempt = 0; attempt < 3; attempt++) {
          const took = await link.client.set(ownerKey(gameId), inst, "PX", leaseMs, "NX");
          if (took === "OK") {
            const unsubscribe = link.subscribe(gameChannel(gameId), (text) => {
              void onGameMessage(gameId, text).catch((e: unknown) => log(`[live] a forwarded message failed: ${String(e)}`));
            });
            owned.set(gameId, { load: loadLocal, unsubscribe });
            await confirmed(gameChannel(gameId));
            return "local";
          }
          const holder = await link.client.get(ownerKey(gameId));
          if (holder === inst) return "local";
          if (holder) return holder;
        }
      } catch (e) {
        link.failed("live lease", e);
      }
      return "local";
    },

    forward(conn, gameId, owner, first, userId) {
      const c = conn.id;
      return new Promise<GameLink | null>((resolve) => {
        const f: Forwarded = { conn, gameId, owner };
        // Refused: the owner's error reply was already delivered; timed out: say so here.
        const timeout = setTimeout(() => {
          if (!f.settle) return;
          f.settle = undefined;
          forwarded.delete(c);
          conn.send(errorMessage("server_error", "the game did not answer, try again"));
          resolve(null);
        }, 5000);
        f.settle = (ok) => {
          clearTimeout(timeout);
          if (!ok) {
            forwarded.delete(c);
            return resolve(null);
          }
          resolve({
            message: (m) => publish(gameChannel(gameId), { k: "msg", inst, c, m }),
            detach: () => {
              forwarded.delete(c);
              publish(gameChannel(gameId), { k: "close", inst, c });
            },
          });
        };
        forwarded.set(c, f);
        publish(gameChannel(gameId), { k: "open", inst, c, first, userId });
      });
    },

    onLeaseLost(handler) {
      leaseLost = handler;
    },

    release(gameId) {
      const o = owned.get(gameId);
      if (!o) return;
      o.unsubscribe();
      owned.delete(gameId);
      void (async () => {
        if ((await link.client.get(ownerKey(gameId))) === inst) await link.client.del(ownerKey(gameId));
      })().catch((e: unknown) => link.failed("live lease", e));
    },

    ready: (timeoutMs = 3000) => confirmed(instChannel(inst), timeoutMs),

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      unsubInst();
      for (const [gameId, o] of owned) {
        o.unsubscribe();
        try {
          if ((await link.client.get(ownerKey(gameId))) === inst) await link.client.del(ownerKey(gameId));
        } catch {
          /* the lease runs out by itself */
        }
      }
      owned.clear();
    },
  };
}
