// Tracking for the app's pages: experiments, runs table, run detail, compare, the instructor's
// class view, sharing, and personal access tokens for the REST API. Rules live in the services.
import { instructorProcedure, protectedProcedure, router } from "@/lib/server/api/trpc";
import * as tokens from "@/lib/server/services/tokens";
import { ensureLessonExperiment } from "@/lib/server/services/tracking/experiments";
import { deleteRun, restoreRun, setRunShared } from "@/lib/server/services/tracking/runs";
import * as views from "@/lib/server/services/tracking/views";
import * as s from "./schemas";

export const trackingRouter = router({
  experiments: protectedProcedure.input(s.listExperimentsInput).query(({ ctx, input }) => views.listExperiments(ctx, input ?? {})),
  lessonExperiment: protectedProcedure.input(s.lessonExperimentInput).mutation(({ ctx, input }) => ensureLessonExperiment(ctx, input)),
  runs: protectedProcedure.input(s.runsTableInput).query(({ ctx, input }) => views.runsTable(ctx, input)),
  run: protectedProcedure.input(s.runInput).query(({ ctx, input }) => views.runDetail(ctx, input.runId)),
  compare: protectedProcedure.input(s.compareInput).query(({ ctx, input }) => views.compareRuns(ctx, input)),
  classRuns: instructorProcedure.input(s.classRunsInput).query(({ ctx, input }) => views.classLessonRuns(ctx, input)),
  share: protectedProcedure.input(s.shareInput).mutation(({ ctx, input }) => setRunShared(ctx, input)),
  deleteRun: protectedProcedure.input(s.runInput).mutation(({ ctx, input }) => deleteRun(ctx, input.runId)),
  restoreRun: protectedProcedure.input(s.runInput).mutation(({ ctx, input }) => restoreRun(ctx, input.runId)),
  tokens: router({
    list: protectedProcedure.query(({ ctx }) => tokens.listTokens(ctx)),
    create: protectedProcedure.input(s.createTokenInput).mutation(({ ctx, input }) => tokens.createToken(ctx, input)),
    revoke: protectedProcedure.input(s.revokeTokenInput).mutation(({ ctx, input }) => tokens.revokeToken(ctx, input)),
  }),
});
