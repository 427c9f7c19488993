// One running game on the instance that owns it: the state machine (lib/live/game.ts) driven by
// the server clock and its timers, the connections of its players and host screens, storing
// (lib/server/live/store.ts) and broadcasting. Connections are local WebSockets or, with Redis,
// sockets held by another instance (lib/server/live/redis-bridge.ts): both are a LiveConn.
import { LiveGame } from "@/lib/live/game";
import { checkNickname } from "@/lib/live/nickname";
import type { ClientMessage, ErrorCode, HostPlayer, ServerMessage } from "@/lib/live/protocol";
import { hashToken, newId, newToken, type LiveStore, type StoredGameMeta } from "./store";
import { textFrame } from "./frame";

export interface LiveConn {
  readonly id: string;
  /** The instance holding the socket when it is not this one (Redis). */
  readonly instance?: string;
  /** A text frame; a Buffer holds UTF-8 text already encoded (a broadcast encodes once for everyone). */
  send(text: string | Buffer): void;
  /** A whole WebSocket frame written as is (lib/server/live/frame.ts); local sockets only. */
  sendFrame?(frame: Buffer): void;
  close(code: number, reason: string): void;
}

export interface ConnContext {
  /** The signed-in user of the socket's session, if any. */
  userId: string | null;
}

export type Attached = { role: "player"; playerId: string } | { role: "host" };

/** Tells a remote instance to hand `text` to all its sockets of this game (players, or everyone). */
export type RemoteBroadcast = (instance: string, gameId: string, text: string, to: "players" | "all" | "hosts") => void;

const HOST_UPDATE_MS = 200;
/** WebSocket close codes the UI can tell apart. */
export const CLOSE = { kicked: 4001, replaced: 4002, gameOver: 4003, moved: 1012 } as const;

export function errorMessage(code: ErrorCode, message: string, extra: { ref?: number; q?: number; retryMs?: number } = {}): string {
  return JSON.stringify({ t: "error", code, message, ...extra } satisfies ServerMessage);
}

export class GameHost {
  private readonly conns = new Map<LiveConn, Attached>();
  private readonly playerConns = new Map<string, LiveConn>();
  private readonly hostConns = new Set<LiveConn>();
  private readonly tokens = new Map<string, string>(); // token hash → player id (joined here)
  private timer: NodeJS.Timeout | null = null;
  private hostUpdate: NodeJS.Timeout | null = null;
  private hostUpdatePlayers = false;
  private closed = false;

  constructor(
    readonly meta: StoredGameMeta,
    readonly game: LiveGame,
    private readonly deps: { store: LiveStore; now?: () => number; remoteBroadcast?: RemoteBroadcast; log?: (m: string) => void },
  ) {
    this.schedule();
  }

  private now(): number {
    return this.deps.now ? this.deps.now() : Date.now();
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  attachedAs(conn: LiveConn): Attached | undefined {
    return this.conns.get(conn);
  }

  /** A connection's first message: join, rejoin or host. Resolves once answered. */
  async attach(conn: LiveConn, first: Extract<ClientMessage, { t: "join" | "rejoin" | "host" }>, ctx: ConnContext): Promise<Attached | null> {
    if (first.t === "host") return this.attachHost(conn, ctx);
    if (first.t === "rejoin") return this.attachRejoin(conn, first.token);
    return this.attachJoin(conn, first.nickname, ctx);
  }

  private attachHost(conn: LiveConn, ctx: ConnContext): Attached | null {
    if (!ctx.userId) return this.refuse(conn, "not_signed_in", "sign in to host this game");
    if (ctx.userId !== this.meta.hostId) return this.refuse(conn, "not_host", "only the game's instructor can host it");
    const attached: Attached = { role: "host" };
    this.conns.set(conn, attached);
    this.hostConns.add(conn);
    const now = this.now();
    this.sendTo(conn, {
      t: "welcome",
      role: "host",
      gameId: this.meta.id,
      pin: this.meta.pin,
      players: this.hostPlayers(),
      game: this.game.view(now),
      questionCount: this.game.questions.length,
      podiumPlaces: this.game.settings.podiumPlaces,
      now,
    });
    if (this.game.phase === "answering" || this.game.phase === "intro") this.sendTo(conn, { t: "answers", q: this.game.q, answered: this.game.answeredCount, players: this.game.activePlayers });
    if (this.game.phase === "podium" || this.game.phase === "ended") this.sendTo(conn, { t: "ranking", ranking: this.game.ranking() });
    return attached;
  }

  private async attachJoin(conn: LiveConn, rawNickname: string, ctx: ConnContext): Promise<Attached | null> {
    const nick = checkNickname(rawNickname);
    if (!nick.ok) return this.refuse(conn, nick.code, nicknameMessages[nick.code]);
    const id = newId();
    const token = newToken();
    const added = this.game.addJoined({ id, nickname: nick.nickname, userId: ctx.userId });
    if ("ok" in added) return this.refuse(conn, added.code, added.message);
    const tokenHash = hashToken(token);
    try {
      await this.deps.store.addPlayer({ id, gameId: this.meta.id, nickname: nick.nickname, userId: ctx.userId, tokenHash });
    } catch (e) {
      this.game.kick(id); // never stored: not in the game
      this.game.players.delete(id);
      this.deps.log?.(`[live] storing a player failed: ${String(e)}`);
      return this.refuse(conn, "server_error", "could not join, try again");
    }
    this.tokens.set(tokenHash, id);
    const attached: Attached = { role: "player", playerId: id };
    this.conns.set(conn, attached);
    this.playerConns.set(id, conn);
    const now = this.now();
    this.sendTo(conn, { t: "welcome", role: "player", gameId: this.meta.id, pin: this.meta.pin, token, you: this.game.standing(id), game: this.game.view(now), now });
    this.hostPlayersChanged();
    return attached;
  }

  private async attachRejoin(conn: LiveConn, token: string): Promise<Attached | null> {
    const hash = hashToken(token);
    const playerId = this.tokens.get(hash) ?? (await this.deps.store.playerForToken(this.meta.id, token));
    if (!playerId) return this.refuse(conn, "bad_token", "unknown rejoin token for this game");
    const p = this.game.rejoin(playerId);
    if ("ok" in p) return this.refuse(conn, p.code, p.message);
    this.tokens.set(hash, playerId);
    const old = this.playerConns.get(playerId);
    if (old && old !== conn) {
      this.conns.delete(old);
      old.close(CLOSE.replaced, "connected again elsewhere");
    }
    const attached: Attached = { role: "player", playerId };
    this.conns.set(conn, attached);
    this.playerConns.set(playerId, conn);
    const now = this.now();
    this.sendTo(conn, { t: "welcome", role: "player", gameId: this.meta.id, pin: this.meta.pin, you: this.game.standing(playerId), game: this.game.view(now), now });
    this.hostPlayersChanged();
    return attached;
  }

  private refuse(conn: LiveConn, code: ErrorCode, message: string): null {
    conn.send(errorMessage(code, message));
    return null;
  }

  detach(conn: LiveConn): void {
    const a = this.conns.get(conn);
    if (!a) return;
    this.conns.delete(conn);
    if (a.role === "host") this.hostConns.delete(conn);
    else if (this.playerConns.get(a.playerId) === conn) {
      this.playerConns.delete(a.playerId);
      this.hostPlayersChanged();
    }
  }

  /** A message after the first one. */
  async message(conn: LiveConn, msg: ClientMessage): Promise<void> {
    const a = this.conns.get(conn);
    if (!a) return void conn.send(errorMessage("not_joined", "join the game first"));
    switch (msg.t) {
      case "join":
      case "rejoin":
      case "host":
        return void conn.send(errorMessage("already_joined", "this connection is already in a game"));
      case "ping":
        return this.sendTo(conn, { t: "pong", now: this.now(), ...(msg.ref !== undefined ? { ref: msg.ref } : {}) });
      case "answer":
        if (a.role !== "player") return void conn.send(errorMessage("not_host", "the host does not answer", { ref: msg.ref }));
        return this.answer(conn, a.playerId, msg);
      default:
        if (a.role !== "host") return void conn.send(errorMessage("not_host", "only the host can do that"));
        return this.hostCommand(conn, msg);
    }
  }

  private async answer(conn: LiveConn, playerId: string, msg: Extract<ClientMessage, { t: "answer" }>): Promise<void> {
    const extra = { ...(msg.ref !== undefined ? { ref: msg.ref } : {}), q: msg.q };
    const r = this.game.answer(playerId, msg.q, msg.answer, this.now());
    if (!r.ok) {
      conn.send(errorMessage(r.code, r.message, extra));
      if (r.code === "late") this.tick();
      return;
    }
    try {
      await this.deps.store.recordAnswer(this.meta.id, r.record);
    } catch (e) {
      this.game.dropAnswer(playerId, msg.q);
      this.deps.log?.(`[live] storing an answer failed: ${String(e)}`);
      return void conn.send(errorMessage("server_error", "your answer could not be saved, answer again", extra));
    }
    this.sendTo(conn, { t: "ack", ...extra });
    this.hostAnswersChanged();
    // Everyone connected has answered: no need to wait for the deadline.
    if (this.game.phase === "answering" && msg.q === this.game.q && this.allConnectedAnswered()) this.change(() => this.game.close(this.now()));
  }

  private allConnectedAnswered(): boolean {
    // Cheap first: the full check runs only once there are as many answers as connected players.
    if (this.playerConns.size === 0 || this.game.answeredCount < this.playerConns.size) return false;
    for (const id of this.playerConns.keys()) if (!this.game.hasAnswered(id)) return false;
    return true;
  }

  private hostCommand(conn: LiveConn, msg: ClientMessage): void {
    const now = this.now();
    switch (msg.t) {
      case "start":
        return this.change(() => this.game.start(now), conn);
      case "next":
        return this.change(() => this.game.next(now), conn);
      case "close":
        return this.change(() => this.game.close(now), conn);
      case "end":
        return this.change(() => this.game.end(), conn);
      case "kick": {
        if (!this.game.kick(msg.playerId)) return void conn.send(errorMessage("not_found", "no such player"));
        const pc = this.playerConns.get(msg.playerId);
        if (pc) {
          pc.send(errorMessage("kicked", "you were removed from this game"));
          this.conns.delete(pc);
          this.playerConns.delete(msg.playerId);
          pc.close(CLOSE.kicked, "kicked");
        }
        void this.deps.store.kickPlayer(this.meta.id, msg.playerId).catch((e: unknown) => this.deps.log?.(`[live] storing a kick failed: ${String(e)}`));
        this.hostPlayersChanged(true);
        return;
      }
    }
  }

  /** Runs a state change; on success stores, broadcasts and re-arms the clock. */
  private change(step: () => { ok: true } | { ok: false; code: ErrorCode; message: string }, by?: LiveConn): void {
    const before = this.game.phase;
    const r = step();
    if (!r.ok) {
      by?.send(errorMessage(r.code, r.message));
      return;
    }
    this.afterChange(before);
  }

  /** The clock: moves the game at opensAt and at the deadline. */
  private tick(): void {
    const before = this.game.phase;
    let moved = false;
    while (this.game.tick(this.now())) moved = true;
    if (moved) this.afterChange(before);
    else this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.closed) return;
    const at = this.game.nextTimer();
    if (at === null) return;
    this.timer = setTimeout(() => this.tick(), Math.max(0, at - this.now()));
  }

  private afterChange(before: string): void {
    const phase = this.game.phase;
    const now = this.now();
    // Broadcast first (players are waiting); the state save follows in order. A crash in between
    // loses nothing: answers are stored before their ack, and a reloaded game replays them.
    this.broadcast({ t: "state", game: this.game.view(now) }, "all");
    if (phase === "reveal" || phase === "podium" || phase === "ended") this.sendStandings();
    if (phase === "podium" || phase === "ended") this.sendHosts({ t: "ranking", ranking: this.game.ranking() });
    if (phase === "intro" || phase === "answering") this.sendHosts({ t: "answers", q: this.game.q, answered: this.game.answeredCount, players: this.game.activePlayers });
    const final = phase === "podium" || (phase === "ended" && before !== "podium") ? { scores: this.game.ranking().map((r) => ({ playerId: r.playerId, score: r.score, streak: r.streak })) } : undefined;
    void this.deps.store.saveState(this.meta.id, this.game.snapshot(), final).catch((e: unknown) => this.deps.log?.(`[live] saving game ${this.meta.id} failed: ${String(e)}`));
    this.schedule();
    if (phase === "ended") for (const [c, a] of this.conns) if (a.role === "player") c.close(CLOSE.gameOver, "game over");
  }

  private sendStandings(): void {
    const ranks = this.game.rankMap();
    for (const [id, conn] of this.playerConns) conn.send(JSON.stringify({ t: "you", you: this.game.standing(id, ranks.get(id) ?? null) } satisfies ServerMessage));
  }

  private sendTo(conn: LiveConn, msg: ServerMessage): void {
    conn.send(JSON.stringify(msg));
  }

  private sendHosts(msg: ServerMessage): void {
    if (this.hostConns.size === 0 && !this.deps.remoteBroadcast) return;
    this.broadcast(msg, "hosts");
  }

  /** One serialisation for everyone; remote instances get one message each. */
  private broadcast(msg: ServerMessage, to: "all" | "players" | "hosts"): void {
    const text = JSON.stringify(msg);
    const bytes = Buffer.from(text);
    const remote = new Set<string>();
    if (to === "hosts") {
      for (const conn of this.hostConns) {
        if (conn.instance) remote.add(conn.instance);
        else conn.send(bytes);
      }
      if (this.deps.remoteBroadcast) for (const inst of remote) this.deps.remoteBroadcast(inst, this.meta.id, text, to);
      return;
    }
    let frame: Buffer | null = null;
    for (const [conn, a] of this.conns) {
      if (to === "players" && a.role !== "player") continue;
      if (conn.instance) remote.add(conn.instance);
      else if (conn.sendFrame) conn.sendFrame((frame ??= textFrame(bytes)));
      else conn.send(bytes);
    }
    if (this.deps.remoteBroadcast) for (const inst of remote) this.deps.remoteBroadcast(inst, this.meta.id, text, to);
  }

  private hostPlayers(): HostPlayer[] {
    const out: HostPlayer[] = [];
    for (const p of this.game.players.values()) if (!p.kicked) out.push({ playerId: p.id, nickname: p.nickname, connected: this.playerConns.has(p.id), score: p.score, signedIn: p.userId !== null });
    return out;
  }

  /** The host's player list, at most every HOST_UPDATE_MS (a join flood must not flood the host). */
  private hostPlayersChanged(now = false): void {
    this.hostUpdatePlayers = true;
    this.flushHostSoon(now);
  }

  private hostAnswersChanged(): void {
    this.flushHostSoon(false);
  }

  private flushHostSoon(immediately: boolean): void {
    if (this.hostUpdate && !immediately) return;
    if (this.hostUpdate) clearTimeout(this.hostUpdate);
    this.hostUpdate = setTimeout(() => {
      this.hostUpdate = null;
      if (this.hostUpdatePlayers) {
        this.hostUpdatePlayers = false;
        this.sendHosts({ t: "players", players: this.hostPlayers() });
      }
      if (this.game.phase === "answering" || this.game.phase === "intro") this.sendHosts({ t: "answers", q: this.game.q, answered: this.game.answeredCount, players: this.game.activePlayers });
    }, immediately ? 0 : HOST_UPDATE_MS);
  }

  /** Stops the timers and lets every socket go (the instance is stopping, or gave the game away). */
  shutdown(code: number = CLOSE.moved, reason = "server restarting"): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.hostUpdate) clearTimeout(this.hostUpdate);
    for (const c of this.conns.keys()) c.close(code, reason);
    this.conns.clear();
    this.playerConns.clear();
    this.hostConns.clear();
  }
}

const nicknameMessages = {
  nickname_empty: "choose a nickname",
  nickname_too_long: "nicknames are at most 24 characters",
  nickname_invalid: "that nickname has characters that are not allowed",
  nickname_offensive: "choose another nickname",
} as const;
