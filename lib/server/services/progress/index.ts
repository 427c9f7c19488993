// A student's progress per lesson: cells run, exercises passed, quiz score.
import type { SignedInContext } from "@/lib/server/services/context";

export interface LessonProgressSummary {
  lessonSlug: string;
  cellsRun: number;
  cellsTotal: number;
  exercisesPassed: string[];
  quizScore: number | null;
}

export async function progressForUser(ctx: SignedInContext): Promise<LessonProgressSummary[]> {
  const rows = await ctx.db.lessonProgress.findMany({
    where: { userId: ctx.user.id },
    select: { lessonSlug: true, cellsRun: true, cellsTotal: true, exercisesPassed: true, quizScore: true },
  });
  return rows.map((r) => ({ ...r, exercisesPassed: JSON.parse(r.exercisesPassed) as string[] }));
}

export type ExerciseEventKind = "pass" | "fail" | "hint" | "reveal";

async function upsertProgress(
  ctx: SignedInContext,
  lessonSlug: string,
  data: { cellsRun?: number; cellsTotal?: number; exercisesPassed?: string; quizScore?: number },
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

/** Every check, hint and solution reveal is recorded; a pass adds the exercise to the passed list. */
export async function recordExerciseEvent(
  ctx: SignedInContext,
  input: { lessonSlug: string; exerciseId: string; kind: ExerciseEventKind; detail?: string },
) {
  await ctx.db.$transaction(async (tx) => {
    await tx.exerciseEvent.create({ data: { userId: ctx.user.id, ...input } });
    if (input.kind !== "pass") return;
    const row = await tx.lessonProgress.findUnique({
      where: { userId_lessonSlug: { userId: ctx.user.id, lessonSlug: input.lessonSlug } },
      select: { exercisesPassed: true },
    });
    const passed = new Set<string>(row ? (JSON.parse(row.exercisesPassed) as string[]) : []);
    passed.add(input.exerciseId);
    await upsertProgress({ ...ctx, db: tx as unknown as SignedInContext["db"] }, input.lessonSlug, { exercisesPassed: JSON.stringify([...passed].sort()) });
  });
}

/** The best quiz score (0..1) is kept. */
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
