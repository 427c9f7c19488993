// Every message of a live quiz between a browser (player or host screen) and the server, over
// one WebSocket at LIVE_WS_PATH: JSON text frames, each at most MAX_MESSAGE_BYTES, validated
// with these zod schemas on arrival. Pure: the server and the UI both import it.
import { z } from "zod";
import { answerSchema, type PublicQuestion, type RevealedAnswer } from "./questions";

export const LIVE_WS_PATH = "/live/ws";
/** Largest frame either side accepts (the server closes the socket past it, 1009). */
export const MAX_MESSAGE_BYTES = 4096;
export const PIN_PATTERN = /^\d{6}$/;
export const NICKNAME_MAX = 24;

// ---------------------------------------------------------------------------------------------
// Client → server. The first message of a connection is `join`, `rejoin` or `host`.

const pin = z.string().regex(PIN_PATTERN);
/** Client-chosen number echoed in the reply (ack or error), to match them up. */
const ref = z.number().int().min(0).max(2 ** 31).optional();

export const clientMessageSchema = z.discriminatedUnion("t", [
  /** A new player. Signed-in players are linked to their account by the session cookie of the upgrade. */
  z.object({ t: z.literal("join"), pin, nickname: z.string().max(200) }),
  /** A player coming back (reload, network drop) with the token `welcome` gave it. */
  z.object({ t: z.literal("rejoin"), pin, token: z.string().min(20).max(100) }),
  /** The host screen; the session cookie must be the game's instructor's. */
  z.object({ t: z.literal("host"), gameId: z.string().min(1).max(40) }),
  /** An answer to question `q` (0-based index); `ref` comes back in the ack or error. */
  z.object({ t: z.literal("answer"), q: z.number().int().min(0).max(1000), answer: answerSchema, ref }),
  z.object({ t: z.literal("ping"), ref }),
  // Host only.
  /** Lobby → first question. */
  z.object({ t: z.literal("start") }),
  /** reveal → leaderboard → next question (or podium after the last) → ended. */
  z.object({ t: z.literal("next") }),
  /** Close answering now (before the deadline) and reveal. */
  z.object({ t: z.literal("close") }),
  z.object({ t: z.literal("kick"), playerId: z.string().min(1).max(40) }),
  /** Ends the game at once (no podium). */
  z.object({ t: z.literal("end") }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

// ---------------------------------------------------------------------------------------------
// Server → client.

export type GamePhase = "lobby" | "intro" | "answering" | "reveal" | "leaderboard" | "podium" | "ended";

export interface RankedPlayer {
  playerId: string;
  nickname: string;
  score: number;
  streak: number;
  /** 1-based; equal scores share a rank. */
  rank: number;
}

/**
 * The game as everybody may see it now (players and host alike). Times are the server's clock
 * (ms since the epoch) with the server's `now` at sending, so a client counts down with
 * `deadline - now` from when the message arrived, whatever its own clock says.
 */
export type GameView =
  | { phase: "lobby"; players: number }
  | {
      phase: "intro" | "answering";
      /** 0-based question index and the number of questions. */
      q: number;
      count: number;
      question: PublicQuestion;
      /** When answers are taken (end of the intro) and when they stop. */
      opensAt: number;
      deadline: number;
      now: number;
      players: number;
    }
  | {
      phase: "reveal";
      q: number;
      count: number;
      question: PublicQuestion;
      answer: RevealedAnswer;
      explanation?: string;
      /** Answers per bucket: option index (true = 0, false = 1) or "correct"/"wrong" for typed kinds. */
      distribution: Record<string, number>;
      answered: number;
      /** Share of players who answered fully correctly (0..1), of all players in the game. */
      correctShare: number;
      players: number;
    }
  | { phase: "leaderboard"; q: number; count: number; top: RankedPlayer[]; players: number }
  | { phase: "podium"; podium: RankedPlayer[]; players: number }
  | { phase: "ended"; players: number };

/** The player's own standing. `last`: their result on the last revealed question. */
export interface PlayerStanding {
  playerId: string;
  nickname: string;
  score: number;
  streak: number;
  rank: number | null;
  last?: { q: number; answered: boolean; correct: boolean; points: number; bonus: number };
  /** The question already answered in this phase (after a rejoin: do not offer the buttons again). */
  answeredQ?: number;
}

export interface HostPlayer {
  playerId: string;
  nickname: string;
  connected: boolean;
  score: number;
  signedIn: boolean;
}

export const ERROR_CODES = [
  "malformed", // not JSON, or not a message this protocol knows (the socket stays open)
  "too_large", // over MAX_MESSAGE_BYTES (the socket is closed)
  "not_joined", // a game message before join/rejoin/host
  "already_joined", // join/rejoin/host twice on one socket
  "wrong_pin", // no game open with that PIN
  "game_started", // joining after the lobby is not possible for new players
  "game_over",
  "game_full",
  "nickname_empty",
  "nickname_too_long",
  "nickname_invalid", // control characters and the like
  "nickname_offensive",
  "nickname_taken",
  "rate_limited", // too many joins from this address; retry after `retryMs`
  "bad_token", // rejoin token unknown for that game
  "kicked",
  "not_signed_in", // host without a session
  "not_host", // not the game's instructor, or a host command from a player
  "not_found", // host: no such game
  "not_open", // answer during the intro
  "late", // answer after the deadline
  "already_answered", // a second answer: ignored, the first stands
  "not_asked", // answer to a question that is not the current one
  "invalid_answer", // answer of the wrong type or out of range
  "wrong_phase", // host command not possible now
  "server_error",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ServerMessage =
  /** Reply to join/rejoin: who you are; `token` only on a first join (keep it in localStorage). */
  | { t: "welcome"; role: "player"; gameId: string; pin: string; token?: string; you: PlayerStanding; game: GameView; now: number }
  /** Reply to host. */
  | { t: "welcome"; role: "host"; gameId: string; pin: string; players: HostPlayer[]; game: GameView; questionCount: number; podiumPlaces: number; now: number }
  /** The game moved (broadcast to players and host). */
  | { t: "state"; game: GameView }
  /** Personal, to a player after each reveal and at the podium. */
  | { t: "you"; you: PlayerStanding }
  /** Answer taken (durably recorded). */
  | { t: "ack"; q: number; ref?: number }
  | { t: "error"; code: ErrorCode; message: string; ref?: number; q?: number; retryMs?: number }
  | { t: "pong"; now: number; ref?: number }
  /** Host only: the lobby and connection list changed. */
  | { t: "players"; players: HostPlayer[] }
  /** Host only: answers so far to the open question (sent at most every 200 ms). */
  | { t: "answers"; q: number; answered: number; players: number }
  /** Host only, at the podium and end: everyone ranked. */
  | { t: "ranking"; ranking: RankedPlayer[] };

/** Parses one client frame: the message, or the error to answer with (the game goes on). */
export function parseClientMessage(data: string | Buffer): { ok: true; message: ClientMessage } | { ok: false; code: "malformed" | "too_large"; message: string } {
  const size = typeof data === "string" ? Buffer.byteLength(data) : data.length;
  if (size > MAX_MESSAGE_BYTES) return { ok: false, code: "too_large", message: `message over ${MAX_MESSAGE_BYTES} bytes` };
  let raw: unknown;
  try {
    raw = JSON.parse(typeof data === "string" ? data : data.toString("utf8"));
  } catch {
    return { ok: false, code: "malformed", message: "message is not JSON" };
  }
  const parsed = clientMessageSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, code: "malformed", message: `bad message${issue ? `: ${issue.path.join(".") || "(root)"} ${issue.message}` : ""}` };
  }
  return { ok: true, message: parsed.data };
}

/** Reads a server frame on the client side (no validation: the server is trusted). */
export function parseServerMessage(data: string): ServerMessage | null {
  try {
    const m = JSON.parse(data) as ServerMessage;
    return m && typeof m === "object" && typeof m.t === "string" ? m : null;
  } catch {
    return null;
  }
}
