// The service API of live games for pages and routers (issue 14 points 2, 7): create a game from
// resolved questions, read its results, list and end a host's games. The running game itself is
// lib/server/live/hub.ts's; this module only touches the database.
import type { Db } from "@/lib/server/db";
import { DomainError } from "@/lib/server/errors";
import { questionListSchema, type QuestionInput } from "@/lib/live/questions";
import { gameSettingsSchema, type GameSettingsInput } from "@/lib/live/settings";
import { createLiveStore } from "./store";

export interface CreateLiveGameInput {
  hostId: string;
  title: string;
  questions: QuestionInput[];
  settings?: GameSettingsInput;
  classId?: string | null;
  lessonSlug?: string | null;
  quizSetId?: string | null;
}

/** Creates a game in its lobby; the host screen then connects to /live/ws with `{t:"host", gameId}`. */
export async function createLiveGame(db: Db, input: CreateLiveGameInput): Promise<{ gameId: string; pin: string }> {
  const questions = questionListSchema.safeParse(input.questions);
  if (!questions.success) {
    const issue = questions.error.issues[0];
    throw new DomainError("invalidInput", `questions: ${issue?.path.join(".")} ${issue?.message}`, { key: "live.errors.badQuestions", params: { path: issue?.path.join(".") ?? "" } });
  }
  const settings = gameSettingsSchema.safeParse(input.settings ?? {});
  if (!settings.success) throw new DomainError("invalidInput", `settings: ${settings.error.issues[0]?.message}`, { key: "live.errors.badSettings" });
  const title = input.title.trim().slice(0, 200) || "Quiz";
  return createLiveStore(db).createGame({ hostId: input.hostId, title, questions: questions.data, settings: settings.data, classId: input.classId, lessonSlug: input.lessonSlug, quizSetId: input.quizSetId });
}

export interface LiveGameResults {
  game: { id: string; pin: string; title: string; phase: string; createdAt: Date; endedAt: Date | null; classId: string | null; lessonSlug: string | null; quizSetId: string | null; questionCount: number };
  questions: { index: number; type: string; prompt: string; points: number; answered: number; correct: number; correctShare: number }[];
  players: {
    playerId: string;
    nickname: string;
    userId: string | null;
    kicked: boolean;
    score: number;
    rank: number;
    answers: { q: number; answer: unknown; timeMs: number; correct: boolean; points: number; bonus: number }[];
  }[];
}

async function ownedGame(db: Db, gameId: string, userId: string) {
  const game = await db.liveGame.findUnique({
    where: { id: gameId },
    select: { id: true, pin: true, title: true, phase: true, createdAt: true, endedAt: true, classId: true, lessonSlug: true, quizSetId: true, hostId: true, questions: true, activePin: true },
  });
  // Someone else's game is as absent as a missing one.
  if (!game || game.hostId !== userId) throw new DomainError("notFound", "no such game");
  return game;
}

/**
 * Every player's answers, times and points, and per question the share correct (of the players
 * not kicked). Scores are the sums of the stored answers' points (what the game replays).
 */
export async function liveGameResults(db: Db, input: { gameId: string; userId: string }): Promise<LiveGameResults> {
  const game = await ownedGame(db, input.gameId, input.userId);
  const questions = questionListSchema.parse(JSON.parse(game.questions));
  const [players, answers] = await Promise.all([
    db.livePlayer.findMany({ where: { gameId: game.id }, select: { id: true, nickname: true, userId: true, kicked: true }, orderBy: { joinedAt: "asc" } }),
    db.liveAnswer.findMany({ where: { gameId: game.id }, select: { playerId: true, question: true, answer: true, ms: true, correct: true, points: true, bonus: true }, orderBy: { question: "asc" } }),
  ]);
  const byPlayer = new Map<string, LiveGameResults["players"][number]["answers"]>();
  const perQ = questions.map(() => ({ answered: 0, correct: 0 }));
  const kicked = new Set(players.filter((p) => p.kicked).map((p) => p.id));
  for (const a of answers) {
    let list = byPlayer.get(a.playerId);
    if (!list) byPlayer.set(a.playerId, (list = []));
    list.push({ q: a.question, answer: JSON.parse(a.answer) as unknown, timeMs: a.ms, correct: a.correct, points: a.points, bonus: a.bonus });
    if (!kicked.has(a.playerId) && perQ[a.question]) {
      perQ[a.question].answered++;
      if (a.correct) perQ[a.question].correct++;
    }
  }
  const active = players.length - kicked.size;
  const scored = players
    .map((p) => {
      const list = byPlayer.get(p.id) ?? [];
      return { playerId: p.id, nickname: p.nickname, userId: p.userId, kicked: p.kicked, score: list.reduce((s, a) => s + a.points, 0), rank: 0, answers: list };
    })
    .sort((a, b) => Number(a.kicked) - Number(b.kicked) || b.score - a.score || a.nickname.localeCompare(b.nickname));
  scored.forEach((p, i) => {
    p.rank = i > 0 && scored[i - 1].score === p.score && !scored[i - 1].kicked ? scored[i - 1].rank : i + 1;
  });
  return {
    game: { id: game.id, pin: game.pin, title: game.title, phase: game.phase, createdAt: game.createdAt, endedAt: game.endedAt, classId: game.classId, lessonSlug: game.lessonSlug, quizSetId: game.quizSetId, questionCount: questions.length },
    questions: questions.map((q, i) => ({ index: i, type: q.type, prompt: q.prompt, points: q.points, answered: perQ[i].answered, correct: perQ[i].correct, correctShare: active ? perQ[i].correct / active : 0 })),
    players: scored,
  };
}

export async function listLiveGames(db: Db, input: { hostId: string; take?: number }) {
  const rows = await db.liveGame.findMany({
    where: { hostId: input.hostId },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(input.take ?? 50, 1), 200),
    select: { id: true, pin: true, title: true, phase: true, createdAt: true, endedAt: true, classId: true, lessonSlug: true, quizSetId: true, _count: { select: { players: true } } },
  });
  return rows.map(({ _count, ...r }) => ({ ...r, players: _count.players, active: r.phase !== "ended" }));
}

/**
 * Ends a game from outside the host screen (a game left open). A running game is ended through
 * its host socket ({t:"end"}); this marks the stored one, which a later load sees as ended.
 */
export async function endLiveGame(db: Db, input: { gameId: string; userId: string }): Promise<void> {
  const game = await ownedGame(db, input.gameId, input.userId);
  if (game.phase === "ended") return;
  const state = await db.liveGame.findUnique({ where: { id: game.id }, select: { state: true } });
  const snap = { ...(JSON.parse(state!.state) as object), phase: "ended" };
  await db.liveGame.update({ where: { id: game.id }, data: { phase: "ended", state: JSON.stringify(snap), activePin: null, endedAt: new Date() } });
}
