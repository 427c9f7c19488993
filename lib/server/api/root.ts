// The app's tRPC router: one sub-router per domain.
import { createCallerFactory, router } from "@/lib/server/api/trpc";
import { challengesRouter } from "@/lib/server/api/routers/challenges";
import { classesRouter } from "@/lib/server/api/routers/classes";
import { endpointsRouter } from "@/lib/server/api/routers/endpoints";
import { gradebookRouter } from "@/lib/server/api/routers/gradebook";
import { gradingRouter } from "@/lib/server/api/routers/grading";
import { liveRouter } from "@/lib/server/api/routers/live";
import { meRouter } from "@/lib/server/api/routers/me";
import { monitoringRouter } from "@/lib/server/api/routers/monitoring";
import { notebooksRouter } from "@/lib/server/api/routers/notebooks";
import { progressRouter } from "@/lib/server/api/routers/progress";
import { teachRouter } from "@/lib/server/api/routers/teach";
import { quizzesRouter } from "@/lib/server/api/routers/quizzes";
import { trackingRouter } from "@/lib/server/api/routers/tracking/_router";

export const appRouter = router({
  me: meRouter,
  monitoring: monitoringRouter,
  classes: classesRouter,
  challenges: challengesRouter,
  endpoints: endpointsRouter,
  gradebook: gradebookRouter,
  grading: gradingRouter,
  live: liveRouter,
  notebooks: notebooksRouter,
  progress: progressRouter,
  teach: teachRouter,
  quizzes: quizzesRouter,
  tracking: trackingRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
