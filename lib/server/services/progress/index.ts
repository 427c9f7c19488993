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
