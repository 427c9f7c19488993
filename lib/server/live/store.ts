// Where live games live between restarts (issue 14 point 5): the LiveGame row (questions with
// answers, settings, the state machine's snapshot with absolute deadlines), its players and
// every answer. Answers are written by group commit and acknowledged only once written; scores
// are not stored per answer but replayed from the answers when a game is loaded.
import { createHash, randomBytes, randomInt, randomUUID } from "node:crypto";
import { dbProvider, type Db } from "@/lib/server/db";
import { createGroupCommit } from "@/lib/server/group-commit";
import { LiveGame, type AnswerRecord, type GameSnapshot } from "@/lib/live/game";
import { answerSchema, questionListSchema, type Question } from "@/lib/live/questions";
import { gameSettingsSchema, type GameSettings } from "@/lib/live/settings";
import { nicknameKey } from "@/lib/live/nickname";

export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");
/** A rejoin token: 32 random bytes, base64url (43 characters). */
export const newToken = (): string => randomBytes(32).toString("base64url");
export const newId = (): string => randomUUID().replace(/-/g, "");

export interface StoredGameMeta {
  id: string;
  pin: string;
  hostId: string;
  title: string;
}

export interface LiveStore {
  /** Inserts a new game with a PIN unique among the games not ended. */
  createGame(input: { hostId: string; title: string; questions: Question[]; settings: GameSettings; classId?: string | null; lessonSlug?: string | null; quizSetId?: string | null }): Promise<{ gameId: string; pin: string }>;
  /** The game id of an active PIN (null when none). */
  gameIdForPin(pin: string): Promise<string | null>;
  /** Loads a game and replays its state (null: no such game). */
  loadGame(gameId: string): Promise<{ meta: StoredGameMeta; game: LiveGame } | null>;
  /** The player a rejoin token belongs to in a game. */
  playerForToken(gameId: string, token: string): Promise<string | null>;
  /** Stores a player that just joined (resolves once written). */
  addPlayer(p: { id: string; gameId: string; nickname: string; userId: string | null; tokenHash: string }): Promise<void>;
  kickPlayer(gameId: string, playerId: string): Promise<void>;
  /** Stores an answer; resolves once it is durably written (group commit). */
  recordAnswer(gameId: string, a: AnswerRecord): Promise<void>;
  /** Stores the game's snapshot (in order: each call waits for the previous one). */
  saveState(gameId: string, snap: GameSnapshot, final?: { scores: { playerId: string; score: number; streak: number }[] }): Promise<void>;
  /** Resolves once every state save started so far has been written (or has failed). */
  settled(): Promise<void>;
}

interface AnswerRow {
  gameId: string;
  playerId: string;
  question: number;
  answer: string;
  ms: number;
  correct: boolean;
  points: number;
  bonus: number;
  streak: number;
}

const PIN_ATTEMPTS = 20;

/**
 * One INSERT for a whole group of answers, the rows passed as one JSON parameter (as the
 * tracking metrics: lib/server/services/tracking/metric-insert.ts) — Prisma's createMany spent
 * more CPU per answer than everything else an answer costs. All or nothing (one statement).
 */
async function insertAnswerRows(db: Db, provider: "sqlite" | "postgresql", rows: AnswerRow[]): Promise<void> {
  if (!rows.length) return;
  if (provider === "postgresql") {
    const json = JSON.stringify(rows.map((r) => [newId(), r.gameId, r.playerId, r.question, r.answer, r.ms, r.correct, r.points, r.bonus, r.streak]));
    await db.$executeRaw`INSERT INTO "LiveAnswer" ("id", "gameId", "playerId", "question", "answer", "ms", "correct", "points", "bonus", "streak")
      SELECT e->>0, e->>1, e->>2, (e->>3)::int, e->>4, (e->>5)::int, (e->>6)::boolean, (e->>7)::int, (e->>8)::int, (e->>9)::int
      FROM json_array_elements(${json}::json) WITH ORDINALITY AS j(e, i) ORDER BY j.i`;
    return;
  }
  // SQLite: the timestamp as Prisma writes it there (ISO with an explicit offset).
  const at = new Date().toISOString().replace("Z", "+00:00");
  const json = JSON.stringify(rows.map((r) => [newId(), r.gameId, r.playerId, r.question, r.answer, r.ms, r.correct ? 1 : 0, r.points, r.bonus, r.streak, at]));
  await db.$executeRaw`INSERT INTO "LiveAnswer" ("id", "gameId", "playerId", "question", "answer", "ms", "correct", "points", "bonus", "streak", "createdAt")
    SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7, j.value ->> 8, j.value ->> 9, j.value ->> 10
    FROM json_each(${json}) AS j ORDER BY j.key`;
}

export function createLiveStore(db: Db, opts: { maxInFlight?: number } = {}): LiveStore {
  const provider = dbProvider(db);
  const writeAnswers = createGroupCommit<AnswerRow>(
    (rows) => insertAnswerRows(db, provider, rows),
    { maxInFlight: opts.maxInFlight ?? 1, maxItems: 2000 },
  );
  const writePlayers = createGroupCommit<{ id: string; gameId: string; nickname: string; nicknameKey: string; userId: string | null; tokenHash: string }>(
    async (rows) => {
      await db.livePlayer.createMany({ data: rows });
    },
    { maxInFlight: opts.maxInFlight ?? 1, maxItems: 1000 },
  );
  // State saves of one game go in order (a later phase never overwritten by an earlier one).
  const stateChains = new Map<string, Promise<void>>();

  return {
    async createGame(input) {
      const id = newId();
      for (let attempt = 0; attempt < PIN_ATTEMPTS; attempt++) {
        const pin = String(randomInt(100_000, 1_000_000));
        try {
          await db.liveGame.create({
            data: {
              id,
              pin,
              activePin: pin,
              hostId: input.hostId,
              title: input.title,
              questions: JSON.stringify(input.questions),
              settings: JSON.stringify(input.settings),
              state: JSON.stringify({ phase: "lobby", q: -1, opensAt: 0, deadline: 0, revealed: 0 } satisfies GameSnapshot),
              classId: input.classId ?? null,
              lessonSlug: input.lessonSlug ?? null,
              quizSetId: input.quizSetId ?? null,
            },
          });
          return { gameId: id, pin };
        } catch (e) {
          if ((e as { code?: string }).code !== "P2002") throw e; // PIN taken by an active game: draw again
        }
      }
      throw new Error("no free game PIN found");
    },

    async gameIdForPin(pin) {
      const row = await db.liveGame.findUnique({ where: { activePin: pin }, select: { id: true } });
      return row?.id ?? null;
    },

    async loadGame(gameId) {
      const row = await db.liveGame.findUnique({
        where: { id: gameId },
        select: { id: true, pin: true, hostId: true, title: true, questions: true, settings: true, state: true },
      });
      if (!row) return null;
      const [players, answers] = await Promise.all([
        db.livePlayer.findMany({ where: { gameId }, select: { id: true, nickname: true, userId: true, kicked: true }, orderBy: { joinedAt: "asc" } }),
        db.liveAnswer.findMany({ where: { gameId }, select: { playerId: true, question: true, answer: true, ms: true, correct: true, points: true, bonus: true, streak: true } }),
      ]);
      const questions = questionListSchema.parse(JSON.parse(row.questions));
      const settings = gameSettingsSchema.parse(JSON.parse(row.settings));
      const game = LiveGame.restore({
        id: row.id,
        pin: row.pin,
        questions,
        settings,
        snapshot: JSON.parse(row.state) as GameSnapshot,
        players,
        answers: answers.map((a) => ({ playerId: a.playerId, q: a.question, answer: answerSchema.parse(JSON.parse(a.answer)), timeMs: a.ms, correct: a.correct, points: a.points, bonus: a.bonus, streak: a.streak })),
      });
      return { meta: { id: row.id, pin: row.pin, hostId: row.hostId, title: row.title }, game };
    },

    async playerForToken(gameId, token) {
      const row = await db.livePlayer.findUnique({ where: { tokenHash: hashToken(token) }, select: { id: true, gameId: true } });
      return row && row.gameId === gameId ? row.id : null;
    },

    addPlayer(p) {
      return writePlayers({ ...p, nicknameKey: nicknameKey(p.nickname) });
    },

    async kickPlayer(gameId, playerId) {
      // The kicked player's nickname is freed for someone else.
      await db.livePlayer.update({ where: { id: playerId }, data: { kicked: true, nicknameKey: `kicked:${playerId}` } });
    },

    recordAnswer(gameId, a) {
      return writeAnswers({ gameId, playerId: a.playerId, question: a.q, answer: JSON.stringify(a.answer), ms: a.timeMs, correct: a.correct, points: a.points, bonus: a.bonus, streak: a.streak });
    },

    saveState(gameId, snap, final) {
      const prev = stateChains.get(gameId) ?? Promise.resolve();
      const ended = snap.phase === "ended";
      const next = prev
        .catch(() => undefined)
        .then(async () => {
          const update = db.liveGame.update({
            where: { id: gameId },
            data: { state: JSON.stringify(snap), phase: snap.phase, ...(ended ? { activePin: null, endedAt: new Date() } : {}) },
          });
          if (!final) return void (await update);
          // Final scores on the player rows (for records; the game itself replays answers).
          await db.$transaction([update, ...final.scores.map((s) => db.livePlayer.update({ where: { id: s.playerId }, data: { score: s.score, streak: s.streak } }))]);
        });
      stateChains.set(gameId, next);
      void next.finally(() => {
        if (stateChains.get(gameId) === next) stateChains.delete(gameId);
      });
      return next;
    },

    async settled() {
      await Promise.allSettled([...stateChains.values()]);
    },
  };
}
