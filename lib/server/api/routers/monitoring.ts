import { z } from "zod";
import { protectedProcedure, router } from "@/lib/server/api/trpc";
import { endpointStats, STATS_LIMITS } from "@/lib/server/services/serving/monitoring";

export const monitoringRouter = router({
  /** Live traffic, latency, predictions, feedback metrics and drift per version of a model (its owner, or an instructor who reads it). */
  endpointStats: protectedProcedure
    .input(
      z.object({
        model: z.string().min(1).max(600),
        windowSeconds: z.number().int().min(STATS_LIMITS.minWindowSeconds).max(STATS_LIMITS.maxWindowSeconds).default(300),
      }),
    )
    .query(({ ctx, input }) => endpointStats(ctx, input)),
});
