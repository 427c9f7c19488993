// Live games opened from a quiz set or a lesson (issue 14 points 2, 7): resolves the questions,
// creates the game through lib/server/live (which runs it) and records where it came from
// (QuizHostedGame); reads its results with the players' accounts, as CSV too, and the class's
// records of games played in it.
import { z } from "zod";
import type { Locale } from "@/lib/i18n/routing";
import { questionListSchema } from "@/lib/live/questions";
import type { GameSettingsInput } from "@/lib/live/settings";
import { maxBasePoints } from "@/lib/quiz-sets/set-questions";
import { describeAnswer, resultsCsv } from "@/lib/quiz-sets/results-csv";
import { DomainError } from "@/lib/server/errors";
import { createLiveGame, liveGameResults, type LiveGameResults } from "@/lib/server/live/games";
import { assertTeaches } from "@/lib/server/services/classes";
import type { SignedInContext } from "@/lib/server/services/context";
import { resolveQuestionsOrThrow } from "./sets";

export const hostSettingsSchema = z.object({
  podiumPlaces: z.number().int().min(1).max(20).optional(),
  streaks: z.boolean().optional(),
  speedBonus: z.boolean().optional(),
  introMs: z.number().int().min(0).max(10_000).optional(),
  lateJoin: z.boolean().optional(),
});
export type HostSettings = z.infer<typeof hostSettingsSchema>;

export type GameSource = { quizSetId: string } | { lessonSlug: string; quizId?: string; locale: Locale };

export async function hostLiveGame(ctx: SignedInContext, input: { source: GameSource; classId?: string | null; settings?: HostSettings }): Promise<{ gameId: string; pin: string }> {
  if (ctx.user.role !== "instructor") throw new DomainError("forbidden");
  if (input.classId) await assertTeaches(ctx, input.classId);
  const { title, questions, quizSetId, lessonSlug } = await resolveQuestionsOrThrow(ctx, input.source);
  const s = input.settings ?? {};
  const settings: GameSettingsInput = {
    ...(s.podiumPlaces !== undefined ? { podiumPlaces: s.podiumPlaces } : {}),
    ...(s.introMs !== undefined ? { introMs: s.introMs } : {}),
    ...(s.lateJoin !== undefined ? { lateJoin: s.lateJoin } : {}),
    scoring: { ...(s.streaks !== undefined ? { streaks: s.streaks } : {}), ...(s.speedBonus !== undefined ? { speedBonus: s.speedBonus } : {}) },
  };
  const game = await createLiveGame(ctx.db, { hostId: ctx.user.id, title, questions, settings, classId: input.classId ?? null, lessonSlug, quizSetId });
  await ctx.db.quizHostedGame.create({
    data: { gameId: game.gameId, hostId: ctx.user.id, quizSetId, lessonSlug, classId: input.classId ?? null, title, maxScore: maxBasePoints(questions) },
  });
  return game;
}

export interface GameResultsView extends LiveGameResults {
  /** userId → account name (signed-in players). */
  accounts: Record<string, { name: string; email: string }>;
  /** Every player's answers in words, per question index. */
  described: Record<string, Record<number, string>>;
}

async function questionsOf(ctx: SignedInContext, gameId: string) {
  const row = await ctx.db.liveGame.findUnique({ where: { id: gameId }, select: { questions: true } });
  return questionListSchema.parse(JSON.parse(row!.questions));
}

/** Per game every player's answers, times and points, and per question the share correct (its host only). */
export async function gameResults(ctx: SignedInContext, gameId: string, locale: Locale): Promise<GameResultsView> {
  const results = await liveGameResults(ctx.db, { gameId, userId: ctx.user.id });
  const questions = await questionsOf(ctx, gameId);
  const ids = [...new Set(results.players.flatMap((p) => (p.userId ? [p.userId] : [])))];
  const users = ids.length ? await ctx.db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } }) : [];
  const described: GameResultsView["described"] = {};
  for (const p of results.players) {
    described[p.playerId] = Object.fromEntries(p.answers.map((a) => [a.q, questions[a.q] ? describeAnswer(questions[a.q], a.answer, locale) : "?"]));
  }
  return { ...results, accounts: Object.fromEntries(users.map((u) => [u.id, { name: u.name, email: u.email }])), described };
}

export async function gameResultsCsv(ctx: SignedInContext, gameId: string, locale: Locale): Promise<{ fileName: string; text: string }> {
  const r = await gameResults(ctx, gameId, locale);
  const questions = await questionsOf(ctx, gameId);
  const text = resultsCsv(
    questions,
    r.players.filter((p) => !p.kicked).map((p) => ({ nickname: p.nickname, account: p.userId && r.accounts[p.userId] ? `${r.accounts[p.userId].name} <${r.accounts[p.userId].email}>` : null, rank: p.rank, score: p.score, answers: p.answers })),
    locale,
  );
  const day = r.game.createdAt.toISOString().slice(0, 10);
  return { fileName: `${r.game.title} ${day} ${r.game.pin}.csv`, text };
}

export interface ClassLiveGame {
  gameId: string;
  title: string;
  createdAt: Date;
  maxScore: number;
  players: number;
  /** Signed-in class members' scores (students: only their own). */
  scores: { userId: string; name: string; nickname: string; score: number; rank: number }[];
}

/** The live games played in a class, with its signed-in members' scores: the class's records. */
export async function classLiveGames(ctx: SignedInContext, classId: string): Promise<ClassLiveGame[]> {
  const cls = await ctx.db.class.findFirst({
    where: { id: classId, OR: [{ instructorId: ctx.user.id }, { members: { some: { userId: ctx.user.id } } }] },
    select: { instructorId: true, members: { select: { userId: true, user: { select: { name: true } } } } },
  });
  if (!cls) throw new DomainError("notFound");
  const instructor = cls.instructorId === ctx.user.id;
  const members = new Map(cls.members.map((m) => [m.userId, m.user.name]));
  const hosted = await ctx.db.quizHostedGame.findMany({ where: { classId }, select: { gameId: true, title: true, createdAt: true, maxScore: true }, orderBy: { createdAt: "desc" }, take: 100 });
  if (hosted.length === 0) return [];
  const gameIds = hosted.map((h) => h.gameId);
  const [players, sums] = await Promise.all([
    ctx.db.livePlayer.findMany({ where: { gameId: { in: gameIds }, kicked: false }, select: { id: true, gameId: true, nickname: true, userId: true } }),
    ctx.db.liveAnswer.groupBy({ by: ["playerId"], where: { gameId: { in: gameIds } }, _sum: { points: true } }),
  ]);
  const scoreOf = new Map(sums.map((s) => [s.playerId, s._sum.points ?? 0]));
  return hosted.map((h) => {
    const inGame = players.filter((p) => p.gameId === h.gameId).map((p) => ({ ...p, score: scoreOf.get(p.id) ?? 0 }));
    inGame.sort((a, b) => b.score - a.score);
    const ranked = inGame.map((p, i) => ({ ...p, rank: inGame.findIndex((x) => x.score === p.score) + 1 || i + 1 }));
    const scores = ranked
      .filter((p) => p.userId && members.has(p.userId) && (instructor || p.userId === ctx.user.id))
      .map((p) => ({ userId: p.userId!, name: members.get(p.userId!)!, nickname: p.nickname, score: p.score, rank: p.rank }));
    return { gameId: h.gameId, title: h.title, createdAt: h.createdAt, maxScore: h.maxScore, players: inGame.length, scores };
  });
}
