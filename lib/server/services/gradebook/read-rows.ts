// Reads what a gradebook is built from, for a class and some of its students. What is selected is
// the whole of what leaves the database: never a submission's code, detail or cases, never a
// challenge's labels, and a private score only once its challenge's deadline has passed.
import { lessonsDir } from "@/lib/content/lessons";
import type { GradebookRows } from "@/lib/gradebook/build";
import { metricScale } from "@/lib/gradebook/challenge-metrics";
import { itemKey, type ChallengeItem, type QuizItem } from "@/lib/gradebook/items";
import type { Locale } from "@/lib/i18n/routing";
import type { Db } from "@/lib/server/db";
import { courseExerciseItems, lessonTitles } from "./course-items";

export interface ReadOptions {
  locale: Locale;
  now?: Date;
  /** Tests point this at fixture lessons. */
  lessonsDir?: string;
}

export interface StudentRef {
  id: string;
  name: string;
  email: string;
}

export async function classChallengeItems(db: Db, classId: string): Promise<ChallengeItem[]> {
  const rows = await db.challenge.findMany({
    where: { classId },
    select: { id: true, title: true, metric: true, deadline: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((c) => {
    const scale = metricScale(c.metric);
    return {
      kind: "challenge", key: itemKey.challenge(c.id), challengeId: c.id, title: c.title, metric: c.metric,
      higherIsBetter: scale.higherIsBetter, deadline: c.deadline, inTotal: scale.unitInterval,
    };
  });
}

/**
 * The class's quizzes: self-paced assignments, then live games played in the class, oldest first
 * (a quiz of polls only, with no points to earn, is listed outside totals).
 */
export async function classQuizItems(db: Db, classId: string): Promise<QuizItem[]> {
  const [assignments, games] = await Promise.all([
    db.quizAssignment.findMany({ where: { classId }, select: { id: true, title: true, deadline: true, maxScore: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
    db.quizHostedGame.findMany({ where: { classId }, select: { gameId: true, title: true, createdAt: true, maxScore: true }, orderBy: [{ createdAt: "asc" }, { gameId: "asc" }] }),
  ]);
  return [
    ...assignments.map((a): QuizItem => ({ kind: "quiz", key: itemKey.quiz("assignment", a.id), source: "assignment", quizId: a.id, title: a.title, deadline: a.deadline, maxScore: a.maxScore, inTotal: a.maxScore > 0 })),
    ...games.map((g): QuizItem => ({ kind: "quiz", key: itemKey.quiz("live", g.gameId), source: "live", quizId: g.gameId, title: g.title, deadline: g.createdAt, maxScore: g.maxScore, inTotal: g.maxScore > 0 })),
  ];
}

/** Each student's self-paced attempts and signed-in live players on the class's quizzes. */
async function quizEntries(db: Db, quizzes: QuizItem[], userIds: string[]): Promise<NonNullable<GradebookRows["quizEntries"]>> {
  const assignmentIds = quizzes.filter((q) => q.source === "assignment").map((q) => q.quizId);
  const gameIds = quizzes.filter((q) => q.source === "live").map((q) => q.quizId);
  const [attempts, players] = await Promise.all([
    assignmentIds.length === 0 ? [] : db.quizAttempt.findMany({ where: { assignmentId: { in: assignmentIds }, userId: { in: userIds } }, select: { assignmentId: true, userId: true, score: true, finishedAt: true, startedAt: true } }),
    gameIds.length === 0 ? [] : db.livePlayer.findMany({ where: { gameId: { in: gameIds }, userId: { in: userIds }, kicked: false }, select: { id: true, gameId: true, userId: true, game: { select: { phase: true, createdAt: true } } } }),
  ]);
  const sums = players.length === 0 ? [] : await db.liveAnswer.groupBy({ by: ["playerId"], where: { playerId: { in: players.map((p) => p.id) } }, _sum: { points: true } });
  const pointsOf = new Map(sums.map((s) => [s.playerId, s._sum.points ?? 0]));
  return [
    ...attempts.map((a) => ({ userId: a.userId, itemKey: itemKey.quiz("assignment", a.assignmentId), points: a.score, finished: a.finishedAt !== null, createdAt: a.finishedAt ?? a.startedAt })),
    ...players.map((p) => ({ userId: p.userId!, itemKey: itemKey.quiz("live", p.gameId), points: pointsOf.get(p.id) ?? 0, finished: true, createdAt: p.game.createdAt })),
  ];
}

export async function readGradebookRows(db: Db, classId: string, students: StudentRef[], options: ReadOptions): Promise<GradebookRows> {
  const now = options.now ?? new Date();
  const dir = options.lessonsDir ?? lessonsDir;
  const userIds = students.map((s) => s.id);
  const [challenges, quizzes] = await Promise.all([classChallengeItems(db, classId), classQuizItems(db, classId)]);
  const closed = challenges.filter((c) => c.deadline.getTime() <= now.getTime()).map((c) => c.challengeId);
  const open = challenges.filter((c) => c.deadline.getTime() > now.getTime()).map((c) => c.challengeId);
  const entrySelect = { challengeId: true, userId: true, publicScore: true, selected: true, createdAt: true } as const;
  const [deadlines, submissions, openEntries, closedEntries, overrides, quizResults] = await Promise.all([
    db.lessonDeadline.findMany({ where: { classId }, select: { lessonSlug: true, dueAt: true } }),
    db.submission.findMany({
      where: { classId, userId: { in: userIds } },
      select: { userId: true, lessonSlug: true, exerciseId: true, status: true, score: true, hintsUsed: true, revealed: true, createdAt: true },
    }),
    open.length === 0
      ? []
      : db.challengeSubmission.findMany({ where: { challengeId: { in: open }, userId: { in: userIds } }, select: entrySelect }),
    closed.length === 0
      ? []
      : db.challengeSubmission.findMany({
          where: { challengeId: { in: closed }, userId: { in: userIds } },
          select: { ...entrySelect, privateScore: true },
        }),
    db.gradeOverride.findMany({
      where: { classId, studentId: { in: userIds } },
      select: { studentId: true, item: true, score: true, comment: true, createdAt: true, createdById: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    quizEntries(db, quizzes, userIds),
  ]);
  const authorIds = [...new Set(overrides.map((o) => o.createdById))];
  const authors = authorIds.length
    ? new Map((await db.user.findMany({ where: { id: { in: authorIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]))
    : new Map<string, string>();
  return {
    exercises: courseExerciseItems(options.locale, dir),
    challenges,
    students,
    deadlines: new Map(deadlines.map((d) => [d.lessonSlug, d.dueAt])),
    submissions,
    challengeEntries: [...openEntries, ...closedEntries],
    quizzes,
    quizEntries: quizResults,
    overrides: overrides.map(({ createdById, ...o }) => ({ ...o, createdByName: authors.get(createdById) ?? "" })),
    lessonTitles: lessonTitles(options.locale, dir),
    now,
  };
}
