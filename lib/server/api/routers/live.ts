import { z } from "zod";
import { instructorProcedure, router } from "@/lib/server/api/trpc";
import * as live from "@/lib/server/live/games";

const gameId = z.string().min(1).max(40);

export const liveRouter = router({
  create: instructorProcedure
    .input(
      z.object({
        title: z.string().trim().min(1).max(200),
        // Checked in depth by the service (lib/live/questions.ts questionListSchema).
        questions: z.array(z.unknown()).min(1).max(100),
        settings: z.unknown().optional(),
        classId: z.string().min(1).max(64).optional(),
        lessonSlug: z.string().min(1).max(200).optional(),
        quizSetId: z.string().min(1).max(64).optional(),
      }),
    )
    .mutation(({ ctx, input }) => live.createLiveGame(ctx.db, { ...input, hostId: ctx.user.id, questions: input.questions as never, settings: input.settings as never })),
  results: instructorProcedure.input(z.object({ gameId })).query(({ ctx, input }) => live.liveGameResults(ctx.db, { gameId: input.gameId, userId: ctx.user.id })),
  mine: instructorProcedure.query(({ ctx }) => live.listLiveGames(ctx.db, { hostId: ctx.user.id })),
  end: instructorProcedure.input(z.object({ gameId })).mutation(({ ctx, input }) => live.endLiveGame(ctx.db, { gameId: input.gameId, userId: ctx.user.id })),
});
