// Server-graded lesson exercises: submit a cell, take a hint, reveal the solution, read one's own attempts.
import { z } from "zod";
import { MAX_SUBMISSION_CHARS } from "@/lib/grading/grade-exercise";
import { protectedProcedure, router } from "@/lib/server/api/trpc";
import * as exercises from "@/lib/server/services/grading/exercises";

const lessonSlug = z.string().regex(/^[a-z0-9-]{1,64}$/);
const locale = z.enum(["es", "en"]);
const exercise = z.object({ lessonSlug, locale, exerciseId: z.string().regex(/^[a-z0-9-]{1,64}$/) });

export const gradingRouter = router({
  submit: protectedProcedure
    .input(exercise.extend({ code: z.string().max(MAX_SUBMISSION_CHARS), classId: z.string().max(64).nullish() }))
    .mutation(({ ctx, input }) => exercises.submit(ctx, input)),
  hint: protectedProcedure.input(exercise.extend({ index: z.number().int().min(0).max(49) })).mutation(({ ctx, input }) => exercises.takeHint(ctx, input)),
  reveal: protectedProcedure.input(exercise).mutation(({ ctx, input }) => exercises.revealSolution(ctx, input)),
  mine: protectedProcedure.input(z.object({ lessonSlug, locale: locale.optional() })).query(({ ctx, input }) => exercises.mine(ctx, input)),
});
