// The app's tRPC router: one sub-router per domain.
import { createCallerFactory, router } from "@/lib/server/api/trpc";
import { classesRouter } from "@/lib/server/api/routers/classes";
import { meRouter } from "@/lib/server/api/routers/me";

export const appRouter = router({
  me: meRouter,
  classes: classesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
