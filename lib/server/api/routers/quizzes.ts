// Quiz sets, self-paced assignments and hosted live games (issue 14): lib/server/services/quiz-sets.
// The live game itself runs over the WebSocket of lib/server/live.
import { z } from "zod";
import { instructorProcedure, protectedProcedure, router } from "@/lib/server/api/trpc";
import { QUIZ_SET_LIMITS } from "@/lib/quiz-sets/set-questions";
import { addLessonQuestions, createQuizSet, deleteQuizSet, getQuizSet, lessonQuestionBank, listQuizSets, updateQuizSet } from "@/lib/server/services/quiz-sets/sets";
import { classLiveGames, gameResults, hostLiveGame, hostSettingsSchema } from "@/lib/server/services/quiz-sets/live-games";
import { answerSelfPaced, assignQuiz, assignSettingsSchema, deleteAssignment, listAssignments, selfPacedLeaderboard, selfPacedResults, selfPacedState, serveNext } from "@/lib/server/services/quiz-sets/self-paced";

const id = z.string().min(1).max(64);
const locale = z.enum(["es", "en"]);
const title = z.string().trim().min(1).max(QUIZ_SET_LIMITS.title);
// Items are checked one by one by the service (the refusal names the question); here only the bound.
const items = z.array(z.unknown()).max(QUIZ_SET_LIMITS.maxQuestions);
const slug = z.string().regex(/^[a-z0-9-]{1,80}$/);

export const quizzesRouter = router({
  list: instructorProcedure.query(({ ctx }) => listQuizSets(ctx)),
  get: instructorProcedure.input(z.object({ id })).query(({ ctx, input }) => getQuizSet(ctx, input.id)),
  create: instructorProcedure.input(z.object({ title, locale, items: items.optional() })).mutation(({ ctx, input }) => createQuizSet(ctx, input)),
  update: instructorProcedure.input(z.object({ id, title: title.optional(), items: items.optional() })).mutation(({ ctx, input }) => updateQuizSet(ctx, input)),
  addLessonQuestions: instructorProcedure
    .input(z.object({ id, lessonSlug: slug, quizId: z.string().regex(/^[\w-]{1,80}$/), indexes: z.array(z.number().int().min(0).max(1000)).max(QUIZ_SET_LIMITS.maxQuestions).optional() }))
    .mutation(({ ctx, input }) => addLessonQuestions(ctx, input)),
  delete: instructorProcedure.input(z.object({ id })).mutation(({ ctx, input }) => deleteQuizSet(ctx, input.id)),
  /** The course's quiz blocks as live questions (to pick from). */
  lessonBank: instructorProcedure.input(z.object({ locale })).query(({ ctx, input }) => lessonQuestionBank(ctx, input.locale)),

  // ---- live games (points 2, 7) ----
  /** Opens a game from a set or a lesson's quiz block; the host screen then connects with its id. */
  host: instructorProcedure
    .input(
      z.object({
        source: z.union([z.object({ quizSetId: id }), z.object({ lessonSlug: slug, quizId: z.string().regex(/^[\w-]{1,80}$/).optional(), locale })]),
        classId: id.nullable().optional(),
        settings: hostSettingsSchema.optional(),
      }),
    )
    .mutation(({ ctx, input }) => hostLiveGame(ctx, input)),
  gameResults: instructorProcedure.input(z.object({ gameId: z.string().min(1).max(40), locale })).query(({ ctx, input }) => gameResults(ctx, input.gameId, input.locale)),
  /** Live games played in a class with members' scores (students: their own). */
  classGames: protectedProcedure.input(z.object({ classId: id })).query(({ ctx, input }) => classLiveGames(ctx, input.classId)),

  // ---- self-paced (point 6) ----
  assign: instructorProcedure
    .input(z.object({ classId: id, quizSetId: id, deadline: z.date(), title: title.optional(), settings: assignSettingsSchema.optional() }))
    .mutation(({ ctx, input }) => assignQuiz(ctx, input)),
  assignments: protectedProcedure.input(z.object({ classId: id })).query(({ ctx, input }) => listAssignments(ctx, input.classId)),
  deleteAssignment: instructorProcedure.input(z.object({ assignmentId: id })).mutation(({ ctx, input }) => deleteAssignment(ctx, input.assignmentId)),
  selfPacedState: protectedProcedure.input(z.object({ assignmentId: id })).query(({ ctx, input }) => selfPacedState(ctx, input.assignmentId)),
  serveNext: protectedProcedure.input(z.object({ assignmentId: id })).mutation(({ ctx, input }) => serveNext(ctx, input.assignmentId)),
  answer: protectedProcedure
    .input(z.object({ assignmentId: id, q: z.number().int().min(0).max(1000), answer: z.unknown() }))
    .mutation(({ ctx, input }) => answerSelfPaced(ctx, input)),
  selfPacedLeaderboard: protectedProcedure.input(z.object({ assignmentId: id })).query(({ ctx, input }) => selfPacedLeaderboard(ctx, input.assignmentId)),
  selfPacedResults: instructorProcedure.input(z.object({ assignmentId: id })).query(({ ctx, input }) => selfPacedResults(ctx, input.assignmentId)),
});
