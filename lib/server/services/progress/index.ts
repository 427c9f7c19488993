// A student's progress per lesson: cells run, exercises passed (server-graded submissions with a
// full score; the browser cannot report a pass), and the self-check quiz (browser-side feedback,
// never a grade).
import type { SignedInContext } from "@/lib/server/services/context";

export interface LessonProgressSummary {
  lessonSlug: string;
  cellsRun: number;
  cellsTotal: number;
  exercisesPassed: string[];
  quizScore: number | null;
}

export async function progressForUser(ctx: SignedInContext): Promise<LessonProgressSummary[]> {
  const [rows, passed] = await Promise.all([
    ctx.db.lessonProgress.findMany({
      where: { userId: ctx.user.id },
      select: { lessonSlug: true, cellsRun: true, cellsTotal: true, quizScore: true },
    }),
    ctx.db.submission.findMany({
      where: { userId: ctx.user.id, score: { gte: 1 } },
      distinct: ["lessonSlug", "exerciseId"],
      select: { lessonSlug: true, exerciseId: true },
    }),
  ]);
  const passedBy = new Map<string, string[]>();
  for (const p of passed) passedBy.set(p.lessonSlug, [...(passedBy.get(p.lessonSlug) ?? []), p.exerciseId]);
  const out: LessonProgressSummary[] = rows.map((r) => ({ ...r, exercisesPassed: (passedBy.get(r.lessonSlug) ?? []).sort() }));
  for (const [lessonSlug, ids] of passedBy) {
    if (!rows.some((r) => r.lessonSlug === lessonSlug)) out.push({ lessonSlug, cellsRun: 0, cellsTotal: 0, exercisesPassed: ids.sort(), quizScore: null });
  }
  return out;
}

async function upsertProgress(
  ctx: SignedInContext,
  lessonSlug: string,
  data: { cellsRun?: number; cellsTotal?: number; quizScore?: number },
) {
  await ctx.db.lessonProgress.upsert({
    where: { userId_lessonSlug: { userId: ctx.user.id, lessonSlug } },
    create: { userId: ctx.user.id, lessonSlug, ...data },
    update: data,
  });
}

/** Cells run: only ever grows (re-running after a reload does not lower it). */
export async function recordCellsRun(ctx: SignedInContext, input: { lessonSlug: string; cellsRun: number; cellsTotal: number }) {
  const current = await ctx.db.lessonProgress.findUnique({
    where: { userId_lessonSlug: { userId: ctx.user.id, lessonSlug: input.lessonSlug } },
    select: { cellsRun: true },
  });
  const cellsRun = Math.min(input.cellsTotal, Math.max(current?.cellsRun ?? 0, input.cellsRun));
  await upsertProgress(ctx, input.lessonSlug, { cellsRun, cellsTotal: input.cellsTotal });
}

/** The best self-check quiz score (0..1) is kept: the student's own feedback, checked in the browser, not a grade. */
export async function recordQuizScore(ctx: SignedInContext, input: { lessonSlug: string; score: number }) {
  const current = await ctx.db.lessonProgress.findUnique({
    where: { userId_lessonSlug: { userId: ctx.user.id, lessonSlug: input.lessonSlug } },
    select: { quizScore: true },
  });
  await upsertProgress(ctx, input.lessonSlug, { quizScore: Math.max(current?.quizScore ?? 0, input.score) });
}

export async function exerciseEvents(ctx: SignedInContext, lessonSlug: string) {
  return ctx.db.exerciseEvent.findMany({
    where: { userId: ctx.user.id, lessonSlug },
    select: { exerciseId: true, kind: true, createdAt: true },
    orderBy: { createdAt: "asc" },
  });
}
