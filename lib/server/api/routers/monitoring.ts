import { z } from "zod";
import { protectedProcedure, router } from "@/lib/server/api/trpc";
import { endpointStats, setTrainingReference, STATS_LIMITS } from "@/lib/server/services/serving/monitoring";
import { listNotifications, markNotificationsRead, NOTIFICATION_LIMITS } from "@/lib/server/services/notifications/notifications";

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
  /** The owner stores a version's drift reference ({ features: [{ name, sample }] }, validated by the service), or removes it with null. */
  setTrainingReference: protectedProcedure
    .input(z.object({ model: z.string().min(1).max(600), version: z.number().int().min(1), reference: z.unknown() }))
    .mutation(({ ctx, input }) => setTrainingReference(ctx, input)),
  /** The caller's notifications (drift alerts of their endpoints), newest first, with the unread count. */
  notifications: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(NOTIFICATION_LIMITS.list).default(20) }))
    .query(({ ctx, input }) => listNotifications(ctx, input.limit)),
  /** Marks the caller's notifications read: the ids given, or all. */
  markNotificationsRead: protectedProcedure
    .input(z.object({ ids: z.array(z.number().int().min(1)).max(NOTIFICATION_LIMITS.markIds).optional(), all: z.boolean().optional() }))
    .mutation(({ ctx, input }) => markNotificationsRead(ctx, input)),
});
