// Self-paced quizzes (issue 14 point 6): an instructor assigns a quiz set to a class with a
// deadline; each student plays it alone with the live game's timer and scoring. The server serves
// one question at a time and records when (QuizAttempt.servedAt); the response time is the
// server's clock at the answer minus the moment the answers opened — the browser's clock is never
// read. A question left unanswered past its time counts as a miss (0 points, streak reset).
import { z } from "zod";
import { answerSchema, checkAnswer, publicQuestion, questionListSchema, revealedAnswer, type Answer, type PublicQuestion, type Question, type RevealedAnswer } from "@/lib/live/questions";
import { scoreAnswer } from "@/lib/live/scoring";
import { gameSettingsSchema, type GameSettings, type GameSettingsInput } from "@/lib/live/settings";
import { maxBasePoints } from "@/lib/quiz-sets/set-questions";
import { DomainError } from "@/lib/server/errors";
import { assertTeaches } from "@/lib/server/services/classes";
import { nowOf, type SignedInContext } from "@/lib/server/services/context";
import { displayNames } from "@/lib/server/services/challenges/names";
import { quizError, resolveQuestionsOrThrow } from "./sets";

/** An answer arriving this long after the deadline still counts (network time); later ones are refused. */
export const LATE_GRACE_MS = 300;

const isUniqueViolation = (e: unknown) => typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";

interface AssignmentRow {
  id: string;
  classId: string;
  title: string;
  questions: string;
  settings: string;
  maxScore: number;
  deadline: Date;
  createdAt: Date;
  class: { instructorId: string; name: string; leaderboardNames: string };
}
const assignmentSelect = {
  id: true, classId: true, title: true, questions: true, settings: true, maxScore: true, deadline: true, createdAt: true,
  class: { select: { instructorId: true, name: true, leaderboardNames: true } },
} as const;

interface Loaded {
  row: AssignmentRow;
  role: "instructor" | "student";
  questions: Question[];
  settings: GameSettings;
}

function load(row: AssignmentRow, userId: string): Loaded {
  return {
    row,
    role: row.class.instructorId === userId ? "instructor" : "student",
    questions: questionListSchema.parse(JSON.parse(row.questions)),
    settings: gameSettingsSchema.parse(JSON.parse(row.settings)),
  };
}

/** The assignment if the caller teaches its class or belongs to it; notFound otherwise. */
async function assignmentForMember(ctx: SignedInContext, id: string): Promise<Loaded> {
  const row = await ctx.db.quizAssignment.findFirst({
    where: { id, class: { OR: [{ instructorId: ctx.user.id }, { members: { some: { userId: ctx.user.id } } }] } },
    select: assignmentSelect,
  });
  if (!row) throw new DomainError("notFound");
  return load(row, ctx.user.id);
}

export interface AssignmentSummary {
  id: string;
  classId: string;
  title: string;
  questionCount: number;
  maxScore: number;
  deadline: Date;
  closed: boolean;
  /** Students: their own attempt. */
  mine: { score: number; finished: boolean; answered: number } | null;
  attempts: number;
}

export const assignSettingsSchema = z.object({
  streaks: z.boolean().optional(),
  speedBonus: z.boolean().optional(),
  introMs: z.number().int().min(0).max(10_000).optional(),
});

export async function assignQuiz(
  ctx: SignedInContext,
  input: { classId: string; quizSetId: string; deadline: Date; title?: string; settings?: z.infer<typeof assignSettingsSchema> },
): Promise<AssignmentSummary> {
  await assertTeaches(ctx, input.classId);
  if (input.deadline.getTime() <= nowOf(ctx).getTime()) throw quizError("invalidInput", "deadlinePast");
  const { title, questions, quizSetId } = await resolveQuestionsOrThrow(ctx, { quizSetId: input.quizSetId });
  const s = input.settings ?? {};
  const settingsInput: GameSettingsInput = {
    ...(s.introMs !== undefined ? { introMs: s.introMs } : {}),
    scoring: { ...(s.streaks !== undefined ? { streaks: s.streaks } : {}), ...(s.speedBonus !== undefined ? { speedBonus: s.speedBonus } : {}) },
  };
  const settings = gameSettingsSchema.parse(settingsInput);
  const row = await ctx.db.quizAssignment.create({
    data: {
      classId: input.classId, quizSetId, createdById: ctx.user.id, title: input.title?.trim() || title,
      questions: JSON.stringify(questions), settings: JSON.stringify(settings), maxScore: maxBasePoints(questions), deadline: input.deadline,
    },
    select: { id: true },
  });
  return (await listAssignments(ctx, input.classId)).find((a) => a.id === row.id)!;
}

export async function listAssignments(ctx: SignedInContext, classId: string): Promise<AssignmentSummary[]> {
  const cls = await ctx.db.class.findFirst({
    where: { id: classId, OR: [{ instructorId: ctx.user.id }, { members: { some: { userId: ctx.user.id } } }] },
    select: { id: true },
  });
  if (!cls) throw new DomainError("notFound");
  const now = nowOf(ctx).getTime();
  const rows = await ctx.db.quizAssignment.findMany({
    where: { classId },
    select: { id: true, classId: true, title: true, questions: true, maxScore: true, deadline: true, _count: { select: { attempts: true } }, attempts: { where: { userId: ctx.user.id }, select: { score: true, finishedAt: true, _count: { select: { answers: true } } } } },
    orderBy: [{ deadline: "asc" }, { createdAt: "asc" }],
  });
  return rows.map((r) => {
    const mine = r.attempts[0];
    return {
      id: r.id, classId: r.classId, title: r.title, questionCount: (JSON.parse(r.questions) as unknown[]).length, maxScore: r.maxScore,
      deadline: r.deadline, closed: r.deadline.getTime() <= now, attempts: r._count.attempts,
      mine: mine ? { score: mine.score, finished: mine.finishedAt !== null, answered: mine._count.answers } : null,
    };
  });
}

export async function deleteAssignment(ctx: SignedInContext, id: string): Promise<{ id: string }> {
  const a = await assignmentForMember(ctx, id);
  if (a.role !== "instructor") throw new DomainError("forbidden");
  await ctx.db.quizAssignment.delete({ where: { id } });
  return { id };
}

// ---- playing ----

export interface AnswerResult {
  q: number;
  /** No answer before the time ran out. */
  timedOut: boolean;
  correct: boolean;
  points: number;
  bonus: number;
  streak: number;
  score: number;
  answer: RevealedAnswer;
  explanation?: string;
  /** What the player sent (null: timed out). */
  given: Answer | null;
}

export type SelfPacedState =
  | { status: "notStarted"; title: string; count: number; deadline: Date; closed: boolean; maxScore: number }
  | {
      status: "question";
      title: string;
      q: number;
      count: number;
      question: PublicQuestion;
      /** Server times (ms since the epoch) and the server's now: count down with `deadline - now`. */
      opensAt: number;
      deadline: number;
      now: number;
      score: number;
      streak: number;
    }
  | { status: "answered"; title: string; q: number; count: number; result: AnswerResult; rank: number; players: number }
  | { status: "finished"; title: string; count: number; score: number; correct: number; maxScore: number; rank: number; players: number };

const seedOf = (attemptId: string, q: number) => {
  let h = 2166136261;
  for (const ch of `${attemptId}:${q}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
};

function timing(a: Loaded, servedAt: Date, q: number) {
  const opensAt = servedAt.getTime() + a.settings.introMs;
  return { opensAt, deadline: opensAt + a.questions[q].timeLimitSec * 1000 };
}

type AttemptRow = { id: string; current: number; servedAt: Date | null; score: number; streak: number; correct: number; finishedAt: Date | null };
const attemptSelect = { id: true, current: true, servedAt: true, score: true, streak: true, correct: true, finishedAt: true } as const;

async function rankOf(ctx: SignedInContext, assignmentId: string, score: number) {
  const [above, players] = await Promise.all([
    ctx.db.quizAttempt.count({ where: { assignmentId, score: { gt: score } } }),
    ctx.db.quizAttempt.count({ where: { assignmentId } }),
  ]);
  return { rank: above + 1, players };
}

/**
 * Records the answer (or the timeout, `answer` null) to the attempt's current question, once:
 * a second answer to the same question loses on the unique (attempt, question) and is reported.
 */
async function record(ctx: SignedInContext, a: Loaded, att: AttemptRow, answer: Answer | null, timeMs: number): Promise<AnswerResult> {
  const q = att.current;
  const question = a.questions[q];
  const check = answer ? checkAnswer(question, answer) : null;
  if (check?.invalid) throw quizError("invalidInput", "invalidAnswer");
  const scored = scoreAnswer({ check, points: question.points, poll: question.type === "poll", timeMs, timeLimitMs: question.timeLimitSec * 1000, streak: att.streak }, a.settings.scoring);
  const last = q === a.questions.length - 1;
  try {
    await ctx.db.$transaction(async (tx) => {
      await tx.quizAttemptAnswer.create({
        data: { attemptId: att.id, question: q, answer: JSON.stringify(answer), correct: Boolean(check?.correct), points: scored.points, streak: scored.streak, ms: Math.max(0, Math.round(timeMs)) },
      });
      await tx.quizAttempt.update({
        where: { id: att.id },
        data: { score: { increment: scored.points }, streak: scored.streak, correct: { increment: check?.correct ? 1 : 0 }, ...(last ? { finishedAt: nowOf(ctx) } : {}) },
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw quizError("conflict", "alreadyAnswered");
    throw e;
  }
  return {
    q, timedOut: answer === null, correct: Boolean(check?.correct), points: scored.points, bonus: scored.bonus, streak: scored.streak,
    score: att.score + scored.points, answer: revealedAnswer(question), ...(question.explanation ? { explanation: question.explanation } : {}), given: answer,
  };
}

async function resultOf(a: Loaded, att: AttemptRow, q: number, ctx: SignedInContext): Promise<AnswerResult> {
  const row = await ctx.db.quizAttemptAnswer.findUnique({ where: { attemptId_question: { attemptId: att.id, question: q } }, select: { answer: true, correct: true, points: true, streak: true } });
  const question = a.questions[q];
  const given = row ? (JSON.parse(row.answer) as Answer | null) : null;
  const bonus = row && row.correct && a.settings.scoring.streaks ? Math.min(a.settings.scoring.streakMax, a.settings.scoring.streakStep * Math.max(0, row.streak - 1)) : 0;
  return {
    q, timedOut: given === null, correct: Boolean(row?.correct), points: row?.points ?? 0, bonus, streak: row?.streak ?? 0, score: att.score,
    answer: revealedAnswer(question), ...(question.explanation ? { explanation: question.explanation } : {}), given,
  };
}

async function stateOf(ctx: SignedInContext, a: Loaded, att: AttemptRow | null): Promise<SelfPacedState> {
  const count = a.questions.length;
  const title = a.row.title;
  const now = nowOf(ctx).getTime();
  if (!att || att.current < 0 || !att.servedAt) {
    return { status: "notStarted", title, count, deadline: a.row.deadline, closed: a.row.deadline.getTime() <= now, maxScore: a.row.maxScore };
  }
  // Past the last question (the student asked for the next one after its result): the end.
  if (att.current >= count) {
    const { rank, players } = await rankOf(ctx, a.row.id, att.score);
    return { status: "finished", title, count, score: att.score, correct: att.correct, maxScore: a.row.maxScore, rank, players };
  }
  const answered = await ctx.db.quizAttemptAnswer.count({ where: { attemptId: att.id, question: att.current } });
  if (!answered) {
    const t = timing(a, att.servedAt, att.current);
    if (now <= t.deadline + LATE_GRACE_MS) {
      return { status: "question", title, q: att.current, count, question: publicQuestion(a.questions[att.current], seedOf(att.id, att.current)), opensAt: t.opensAt, deadline: t.deadline, now, score: att.score, streak: att.streak };
    }
    // The time ran out with no answer: a miss, recorded once (a racing answer may have won).
    try {
      await record(ctx, a, att, null, a.questions[att.current].timeLimitSec * 1000);
    } catch (e) {
      if (!(e instanceof DomainError && e.code === "conflict")) throw e;
    }
    att = (await ctx.db.quizAttempt.findUnique({ where: { id: att.id }, select: attemptSelect }))!;
  }
  const result = await resultOf(a, att, att.current, ctx);
  const { rank, players } = await rankOf(ctx, a.row.id, att.score);
  return { status: "answered", title, q: att.current, count, result, rank, players };
}

async function studentAssignment(ctx: SignedInContext, id: string): Promise<Loaded> {
  const a = await assignmentForMember(ctx, id);
  if (a.role !== "student") throw quizError("forbidden", "instructorCannotPlay");
  return a;
}

const findAttempt = (ctx: SignedInContext, assignmentId: string) =>
  ctx.db.quizAttempt.findUnique({ where: { assignmentId_userId: { assignmentId, userId: ctx.user.id } }, select: attemptSelect });

/** Where the student is in the assignment (a reload shows the same question with the time left). */
export async function selfPacedState(ctx: SignedInContext, assignmentId: string): Promise<SelfPacedState> {
  const a = await studentAssignment(ctx, assignmentId);
  return stateOf(ctx, a, await findAttempt(ctx, assignmentId));
}

/**
 * Serves the next question: the first one (starting the attempt), or the one after the current
 * once it is answered or its time ran out. Asking again while a question is open serves nothing
 * new (the timer keeps running). Nothing is served after the deadline.
 */
export async function serveNext(ctx: SignedInContext, assignmentId: string): Promise<SelfPacedState> {
  const a = await studentAssignment(ctx, assignmentId);
  const now = nowOf(ctx);
  let att = await findAttempt(ctx, assignmentId);
  const state = await stateOf(ctx, a, att);
  if (state.status === "question" || state.status === "finished") return state;
  if (a.row.deadline.getTime() <= now.getTime()) throw quizError("forbidden", "assignmentClosed");
  if (!att) {
    try {
      att = await ctx.db.quizAttempt.create({ data: { assignmentId, userId: ctx.user.id }, select: attemptSelect });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      att = (await findAttempt(ctx, assignmentId))!;
    }
  }
  const next = att.current + 1;
  // Only the request that moves `current` from its old value serves (two tabs cannot skip a
  // question). After the last question `current` moves past the end: the attempt's result.
  await ctx.db.quizAttempt.updateMany({ where: { id: att.id, current: att.current }, data: next >= a.questions.length ? { current: a.questions.length } : { current: next, servedAt: now } });
  return stateOf(ctx, a, await findAttempt(ctx, assignmentId));
}

/** The student's answer to question `q`, timed by the server; refused when late, not the current one, or a repeat. */
export async function answerSelfPaced(ctx: SignedInContext, input: { assignmentId: string; q: number; answer: unknown }): Promise<{ result: AnswerResult; rank: number; players: number }> {
  const a = await studentAssignment(ctx, input.assignmentId);
  const parsedAnswer = answerSchema.safeParse(input.answer);
  if (!parsedAnswer.success) throw quizError("invalidInput", "invalidAnswer");
  const att = await findAttempt(ctx, input.assignmentId);
  if (!att || !att.servedAt || att.current !== input.q) throw quizError("conflict", "notAsked");
  const now = nowOf(ctx).getTime();
  const t = timing(a, att.servedAt, att.current);
  if (now < t.opensAt) throw quizError("conflict", "notOpen");
  const done = await ctx.db.quizAttemptAnswer.count({ where: { attemptId: att.id, question: att.current } });
  if (done) throw quizError("conflict", "alreadyAnswered");
  if (now > t.deadline + LATE_GRACE_MS) {
    await stateOf(ctx, a, att); // records the miss
    throw quizError("conflict", "late");
  }
  const result = await record(ctx, a, att, parsedAnswer.data, Math.min(now - t.opensAt, t.deadline - t.opensAt));
  const { rank, players } = await rankOf(ctx, a.row.id, result.score);
  return { result, rank, players };
}

// ---- leaderboard and results ----

export interface SelfPacedLeaderboardRow {
  rank: number;
  name: string;
  score: number;
  correct: number;
  answered: number;
  finished: boolean;
  you: boolean;
}

/** The class's standings on an assignment: best score first, ties by who finished first. */
export async function selfPacedLeaderboard(ctx: SignedInContext, assignmentId: string): Promise<{ title: string; count: number; maxScore: number; rows: SelfPacedLeaderboardRow[] }> {
  const a = await assignmentForMember(ctx, assignmentId);
  const [attempts, names] = await Promise.all([
    ctx.db.quizAttempt.findMany({ where: { assignmentId }, select: { userId: true, score: true, correct: true, finishedAt: true, startedAt: true, _count: { select: { answers: true } } } }),
    displayNames(ctx, a.row.classId, a.row.class.leaderboardNames),
  ]);
  attempts.sort((x, y) => y.score - x.score || (x.finishedAt?.getTime() ?? Infinity) - (y.finishedAt?.getTime() ?? Infinity) || x.startedAt.getTime() - y.startedAt.getTime());
  let rank = 0;
  const rows = attempts.map((r, i) => {
    if (i === 0 || attempts[i - 1].score !== r.score) rank = i + 1;
    return { rank, name: names.get(r.userId)?.name ?? "—", score: r.score, correct: r.correct, answered: r._count.answers, finished: r.finishedAt !== null, you: r.userId === ctx.user.id };
  });
  return { title: a.row.title, count: a.questions.length, maxScore: a.row.maxScore, rows };
}

export interface SelfPacedResults {
  title: string;
  deadline: Date;
  questions: { prompt: string; type: Question["type"]; answered: number; correctShare: number }[];
  students: { userId: string; name: string; email: string; score: number; finished: boolean; answers: ({ answer: Answer | null; correct: boolean; points: number; ms: number } | null)[] }[];
}

/** Every student's answers, times and points, and each question's share correct (instructor). */
export async function selfPacedResults(ctx: SignedInContext, assignmentId: string): Promise<SelfPacedResults> {
  const a = await assignmentForMember(ctx, assignmentId);
  if (a.role !== "instructor") throw new DomainError("forbidden");
  const attempts = await ctx.db.quizAttempt.findMany({
    where: { assignmentId },
    select: { userId: true, score: true, finishedAt: true, user: { select: { name: true, email: true } }, answers: { select: { question: true, answer: true, correct: true, points: true, ms: true } } },
    orderBy: [{ score: "desc" }, { startedAt: "asc" }],
  });
  const questions = a.questions.map((q, i) => {
    const answers = attempts.flatMap((at) => at.answers.filter((x) => x.question === i));
    return { prompt: q.prompt, type: q.type, answered: answers.length, correctShare: answers.length ? answers.filter((x) => x.correct).length / answers.length : 0 };
  });
  const students = attempts.map((at) => ({
    userId: at.userId, name: at.user.name, email: at.user.email, score: at.score, finished: at.finishedAt !== null,
    answers: a.questions.map((_, i) => {
      const x = at.answers.find((y) => y.question === i);
      return x ? { answer: JSON.parse(x.answer) as Answer | null, correct: x.correct, points: x.points, ms: x.ms } : null;
    }),
  }));
  return { title: a.row.title, deadline: a.row.deadline, questions, students };
}
