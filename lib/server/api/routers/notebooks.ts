import { z } from "zod";
import { protectedProcedure, router } from "@/lib/server/api/trpc";
import * as notebooks from "@/lib/server/services/notebooks";

const key = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("scratch"), id: z.string().min(1).max(64) }),
  z.object({ kind: z.literal("lesson"), slug: z.string().regex(/^[a-z0-9-]{1,64}$/), locale: z.enum(["es", "en"]) }),
]);
const title = z.string().trim().min(1).max(200);

export const notebooksRouter = router({
  listScratch: protectedProcedure.query(({ ctx }) => notebooks.listScratch(ctx)),
  createScratch: protectedProcedure
    .input(z.object({ title, content: z.unknown() }))
    .mutation(({ ctx, input }) => notebooks.createScratch(ctx, input)),
  get: protectedProcedure.input(key).query(({ ctx, input }) => notebooks.get(ctx, input)),
  save: protectedProcedure
    .input(z.object({ key, baseRevision: z.number().int().min(0), content: z.unknown(), title: title.optional(), device: z.string().max(80).optional() }))
    .mutation(({ ctx, input }) => notebooks.save(ctx, input)),
  rename: protectedProcedure.input(z.object({ id: z.string().min(1).max(64), title })).mutation(({ ctx, input }) => notebooks.rename(ctx, input)),
  remove: protectedProcedure.input(z.object({ id: z.string().min(1).max(64) })).mutation(({ ctx, input }) => notebooks.remove(ctx, input.id)),
  restoreDeleted: protectedProcedure.input(z.object({ id: z.string().min(1).max(64) })).mutation(({ ctx, input }) => notebooks.restoreDeleted(ctx, input.id)),
  versions: protectedProcedure.input(key).query(({ ctx, input }) => notebooks.listVersions(ctx, input)),
  saveVersion: protectedProcedure.input(z.object({ key, label: z.string().trim().min(1).max(120) })).mutation(({ ctx, input }) => notebooks.saveNamedVersion(ctx, input)),
  restoreVersion: protectedProcedure.input(z.object({ key, revision: z.number().int().positive() })).mutation(({ ctx, input }) => notebooks.restoreVersion(ctx, input)),
});
