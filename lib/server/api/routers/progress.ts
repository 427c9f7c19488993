import { z } from "zod";
import { protectedProcedure, router } from "@/lib/server/api/trpc";
import * as progress from "@/lib/server/services/progress";

// No procedure records a pass, a hint or a reveal: exercises are graded, and hints and solutions
// handed out, by the `grading` router, which records them itself.

const lessonSlug = z.string().regex(/^[a-z0-9-]{1,64}$/);

export const progressRouter = router({
  mine: protectedProcedure.query(({ ctx }) => progress.progressForUser(ctx)),
  recordCellsRun: protectedProcedure
    .input(z.object({ lessonSlug, cellsRun: z.number().int().min(0).max(10_000), cellsTotal: z.number().int().min(0).max(10_000) }))
    .mutation(({ ctx, input }) => progress.recordCellsRun(ctx, input)),
  recordQuizScore: protectedProcedure
    .input(z.object({ lessonSlug, score: z.number().min(0).max(1) }))
    .mutation(({ ctx, input }) => progress.recordQuizScore(ctx, input)),
  exerciseEvents: protectedProcedure.input(z.object({ lessonSlug })).query(({ ctx, input }) => progress.exerciseEvents(ctx, input.lessonSlug)),
});
