import { publicProcedure, router } from "@/lib/server/api/trpc";

export const meRouter = router({
  /** The caller, or null for a guest. */
  get: publicProcedure.query(({ ctx }) => ctx.user),
});
