// Model challenges (Kaggle-style, per class): lib/server/services/challenges. The REST routes
// under app/api/challenges/ serve the CSV downloads, multipart uploads and the notebook's calls.
import { z } from "zod";
import { instructorProcedure, protectedProcedure, router } from "@/lib/server/api/trpc";
import { METRIC_IDS } from "@/lib/challenges/metrics";
import { MAX_PREDICTIONS_BYTES, MAX_TEST_ROWS } from "@/lib/challenges/predictions";
import { createFromCsv, createFromTemplate, deleteChallenge, updateChallenge } from "@/lib/server/services/challenges/create";
import { leaderboard, leaderboardVersion } from "@/lib/server/services/challenges/leaderboard";
import { leaderboardSettings, NICKNAME_MAX, setNickname, updateLeaderboardSettings } from "@/lib/server/services/challenges/names";
import { getChallenge, listChallenges, mySubmissions } from "@/lib/server/services/challenges/read";
import { setFinal, submitPredictions } from "@/lib/server/services/challenges/submit";
import { templateSummaries } from "@/lib/server/services/challenges/templates";
import { TRPC_CSV_MAX_CHARS } from "@/lib/server/services/challenges/limits";

const id = z.string().min(1).max(64);
const classId = id;
const challengeId = id;
const title = z.string().trim().min(2).max(120);
const description = z.string().max(5_000);
const deadline = z.date();
const dailyLimit = z.number().int().min(1).max(100);
const fraction = z.number().min(0.05).max(0.95);

export const challengesRouter = router({
  /** The course's one-click challenges (instructors). */
  templates: instructorProcedure.query(() => templateSummaries()),
  createFromTemplate: instructorProcedure
    .input(z.object({ classId, template: z.string().min(1).max(64), title: title.optional(), description: description.optional(), deadline: deadline.optional(), dailyLimit: dailyLimit.optional(), publicFraction: fraction.optional(), locale: z.enum(["es", "en"]).optional() }))
    .mutation(({ ctx, input }) => createFromTemplate(ctx, input)),
  /** A labelled CSV as text (≤ 4 MB through tRPC; larger files: POST /api/challenges multipart, ≤ 10 MB). */
  createFromCsv: instructorProcedure
    .input(
      z.object({
        classId,
        title,
        description: description.optional(),
        csv: z.string().min(1).max(TRPC_CSV_MAX_CHARS),
        targetColumn: z.string().min(1).max(200),
        idColumn: z.string().min(1).max(200).nullable(),
        metric: z.enum(METRIC_IDS),
        positiveLabel: z.string().max(200).nullable(),
        deadline: deadline.optional(),
        dailyLimit: dailyLimit.optional(),
        publicFraction: fraction.optional(),
        testFraction: fraction.optional(),
      }),
    )
    .mutation(({ ctx, input }) => createFromCsv(ctx, input)),
  update: instructorProcedure
    .input(z.object({ challengeId, title: title.optional(), description: description.optional(), deadline: deadline.optional(), dailyLimit: dailyLimit.optional() }))
    .mutation(({ ctx, input }) => updateChallenge(ctx, input)),
  delete: instructorProcedure.input(z.object({ challengeId })).mutation(({ ctx, input }) => deleteChallenge(ctx, input.challengeId)),

  list: protectedProcedure.input(z.object({ classId })).query(({ ctx, input }) => listChallenges(ctx, input.classId)),
  get: protectedProcedure.input(z.object({ challengeId })).query(({ ctx, input }) => getChallenge(ctx, input.challengeId)),
  mySubmissions: protectedProcedure.input(z.object({ challengeId })).query(({ ctx, input }) => mySubmissions(ctx, input.challengeId)),
  /** Predictions as numbers (feature-file order) or { id, prediction } rows, or a CSV text `id,prediction`. */
  submit: protectedProcedure
    .input(
      z.union([
        z.object({ challengeId, predictions: z.array(z.unknown()).max(MAX_TEST_ROWS), source: z.enum(["notebook", "csv"]).optional() }),
        z.object({ challengeId, csv: z.string().max(MAX_PREDICTIONS_BYTES), source: z.enum(["notebook", "csv"]).optional() }),
      ]),
    )
    .mutation(({ ctx, input }) =>
      submitPredictions(ctx, {
        challengeId: input.challengeId,
        payload: "csv" in input ? { csv: input.csv } : { predictions: input.predictions },
        source: input.source ?? ("csv" in input ? "csv" : "notebook"),
      }),
    ),
  setFinal: protectedProcedure
    .input(z.object({ challengeId, submissionId: id, selected: z.boolean() }))
    .mutation(({ ctx, input }) => setFinal(ctx, input)),
  leaderboard: protectedProcedure.input(z.object({ challengeId })).query(({ ctx, input }) => leaderboard(ctx, input.challengeId)),
  /** Cheap: poll every second, refetch `leaderboard` when `version` changes. */
  leaderboardVersion: protectedProcedure.input(z.object({ challengeId })).query(({ ctx, input }) => leaderboardVersion(ctx, input.challengeId)),

  /** Names or nicknames, time zone, and the caller's nickname, for a class. */
  settings: protectedProcedure.input(z.object({ classId })).query(({ ctx, input }) => leaderboardSettings(ctx, input.classId)),
  updateSettings: instructorProcedure
    .input(z.object({ classId, leaderboardNames: z.enum(["name", "nickname"]).optional(), timeZone: z.string().min(1).max(64).optional() }))
    .mutation(({ ctx, input }) => updateLeaderboardSettings(ctx, input)),
  setNickname: protectedProcedure
    .input(z.object({ classId, nickname: z.string().max(NICKNAME_MAX * 2).nullable() }))
    .mutation(({ ctx, input }) => setNickname(ctx, input)),
});
