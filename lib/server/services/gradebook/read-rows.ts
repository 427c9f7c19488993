// Reads what a gradebook is built from, for a class and some of its students. What is selected is
// the whole of what leaves the database: never a submission's code, detail or cases, never a
// challenge's labels, and a private score only once its challenge's deadline has passed.
import { lessonsDir } from "@/lib/content/lessons";
import type { GradebookRows } from "@/lib/gradebook/build";
import { metricScale } from "@/lib/gradebook/challenge-metrics";
import { itemKey, type ChallengeItem } from "@/lib/gradebook/items";
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

export async function readGradebookRows(db: Db, classId: string, students: StudentRef[], options: ReadOptions): Promise<GradebookRows> {
  const now = options.now ?? new Date();
  const dir = options.lessonsDir ?? lessonsDir;
  const userIds = students.map((s) => s.id);
  const challenges = await classChallengeItems(db, classId);
  const closed = challenges.filter((c) => c.deadline.getTime() <= now.getTime()).map((c) => c.challengeId);
  const open = challenges.filter((c) => c.deadline.getTime() > now.getTime()).map((c) => c.challengeId);
  const entrySelect = { challengeId: true, userId: true, publicScore: true, selected: true, createdAt: true } as const;
  const [deadlines, submissions, openEntries, closedEntries, overrides] = await Promise.all([
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
    overrides: overrides.map(({ createdById, ...o }) => ({ ...o, createdByName: authors.get(createdById) ?? "" })),
    lessonTitles: lessonTitles(options.locale, dir),
    now,
  };
}
