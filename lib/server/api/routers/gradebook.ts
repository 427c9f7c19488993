import { z } from "zod";
import { instructorProcedure, protectedProcedure, router } from "@/lib/server/api/trpc";
import { classGradebook, myGrades } from "@/lib/server/services/gradebook/gradebook";
import { overrideGrade, OVERRIDE_COMMENT_MAX } from "@/lib/server/services/gradebook/overrides";
import { classGradingSettings, setLessonDeadline } from "@/lib/server/services/gradebook/deadlines";
import { classLeaderboard } from "@/lib/server/services/gradebook/leaderboard";

const classId = z.string().min(1).max(64);
const locale = z.enum(["es", "en"]).default("es");

export const gradebookRouter = router({
  forClass: instructorProcedure
    .input(z.object({ classId, locale }))
    .query(({ ctx, input }) => classGradebook(ctx, input.classId, { locale: input.locale })),
  mine: protectedProcedure.input(z.object({ locale })).query(({ ctx, input }) => myGrades(ctx, { locale: input.locale })),
  leaderboard: protectedProcedure
    .input(z.object({ classId, locale }))
    .query(({ ctx, input }) => classLeaderboard(ctx, input.classId, { locale: input.locale })),
  override: instructorProcedure
    .input(
      z.object({
        classId,
        studentId: z.string().min(1).max(64),
        item: z.string().min(1).max(200),
        score: z.number().min(0).max(1),
        comment: z.string().trim().min(1).max(OVERRIDE_COMMENT_MAX),
      }),
    )
    .mutation(({ ctx, input }) => overrideGrade(ctx, input)),
  /** Deadlines (and the class's time zone they are shown in); the zone and leaderboard names are set by challenges.updateSettings. */
  settings: protectedProcedure.input(z.object({ classId })).query(({ ctx, input }) => classGradingSettings(ctx, input.classId)),
  setDeadline: instructorProcedure
    .input(
      z.object({
        classId,
        lessonSlug: z.string().regex(/^[a-z0-9-]{1,100}$/),
        local: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/).nullable(),
      }),
    )
    .mutation(({ ctx, input }) => setLessonDeadline(ctx, input)),
});
