// Model endpoints' deployment state (issue 13 point 4): who may call a registered model and how its
// traffic is split between versions. Writes are the owner's; every write is audited
// (lib/server/services/serving/endpoints.ts).
import { z } from "zod";
import { instructorProcedure, protectedProcedure, router } from "@/lib/server/api/trpc";
import {
  deployVersion,
  getEndpoint,
  listCallableEndpoints,
  listClassEndpoints,
  listDeploymentEvents,
  listMyEndpoints,
  promote,
  rollback,
  setCanaryPercent,
  setEndpointVisibility,
  startAb,
  startCanary,
  startShadow,
  switchBlueGreen,
} from "@/lib/server/services/serving/endpoints";
import { VISIBILITIES } from "@/lib/server/services/serving/access";

/** A model as its owner (`name`) or another reader (`<ownerId>/<name>`) addresses it. */
const name = z.string().min(1).max(513);
const version = z.number().int().min(1).max(2_147_483_647);
const percent = z.number().int().min(0).max(100);
const byName = z.object({ name });

export const endpointsRouter = router({
  get: protectedProcedure.input(byName).query(({ ctx, input }) => getEndpoint(ctx, input.name)),
  listMine: protectedProcedure.query(({ ctx }) => listMyEndpoints(ctx)),
  /** The caller's endpoints and every other one they may call (the notebook's `endpoints.list()`). */
  listCallable: protectedProcedure.query(({ ctx }) => listCallableEndpoints(ctx)),
  /** Every student's endpoints in a class the caller teaches. */
  listClass: instructorProcedure.input(z.object({ classId: z.string().min(1).max(64) })).query(({ ctx, input }) => listClassEndpoints(ctx, input.classId)),
  events: protectedProcedure
    .input(z.object({ name, limit: z.number().int().min(1).max(1000).default(100) }))
    .query(({ ctx, input }) => listDeploymentEvents(ctx, input.name, input.limit)),
  setVisibility: protectedProcedure.input(z.object({ name, visibility: z.enum(VISIBILITIES) })).mutation(({ ctx, input }) => setEndpointVisibility(ctx, input)),
  deploy: protectedProcedure.input(z.object({ name, version })).mutation(({ ctx, input }) => deployVersion(ctx, input)),
  startCanary: protectedProcedure.input(z.object({ name, candidateVersion: version, percent })).mutation(({ ctx, input }) => startCanary(ctx, input)),
  setCanaryPercent: protectedProcedure.input(z.object({ name, percent })).mutation(({ ctx, input }) => setCanaryPercent(ctx, input)),
  promote: protectedProcedure.input(byName).mutation(({ ctx, input }) => promote(ctx, input)),
  rollback: protectedProcedure.input(byName).mutation(({ ctx, input }) => rollback(ctx, input)),
  startShadow: protectedProcedure.input(z.object({ name, candidateVersion: version })).mutation(({ ctx, input }) => startShadow(ctx, input)),
  startAb: protectedProcedure.input(z.object({ name, candidateVersion: version, percent: percent.default(50) })).mutation(({ ctx, input }) => startAb(ctx, input)),
  switchBlueGreen: protectedProcedure.input(z.object({ name, version: version.optional() })).mutation(({ ctx, input }) => switchBlueGreen(ctx, input)),
});
