// A student's submission: predictions are read and checked (a refused file does not count), then
// scored on the hidden labels of the public and the private rows, and stored against the day's
// limit in the class's time zone. Only the public score goes back before the deadline.
import { createHash } from "node:crypto";
import { dayKey, nextDayStart } from "@/lib/time-zone";
import { ChallengeProblem } from "@/lib/challenges/errors";
import { MAX_FINALS } from "@/lib/challenges/leaderboard";
import { alignPredictions, parsePredictionsCsv } from "@/lib/challenges/predictions";
import { checkPredictionValues, scoreParts } from "@/lib/challenges/scoring";
import { DomainError } from "@/lib/server/errors";
import { nowOf, type SignedInContext } from "@/lib/server/services/context";
import { asDomain, bumpVersion, challengeForMember, problemError, scoringPlanFor, type ChallengeRow } from "./access";

export type SubmissionPayload = { predictions: readonly unknown[] } | { csv: string };

export interface SubmitInput {
  challengeId: string;
  payload: SubmissionPayload;
  /** Where it came from: a notebook (`challenge.submit`) or a CSV upload. */
  source: "notebook" | "csv";
}

export interface SubmitResult {
  submissionId: string;
  publicScore: number;
  /** 1 for the student's first submission to this challenge. */
  attempt: number;
  remainingToday: number;
  dailyLimit: number;
  resetsAt: Date;
}

function limitProblem(row: ChallengeRow, resetsAt: Date): ChallengeProblem {
  return new ChallengeProblem("dailyLimit", `You have used today's ${row.dailyLimit} submissions; the limit resets at midnight (${row.class.timeZone})`, {
    limit: row.dailyLimit,
    resetsAt: resetsAt.toISOString(),
    timeZone: row.class.timeZone,
  });
}

export async function submitPredictions(ctx: SignedInContext, input: SubmitInput): Promise<SubmitResult> {
  const { row, role } = await challengeForMember(ctx, input.challengeId);
  return asDomain(async () => {
    if (role !== "student") throw new ChallengeProblem("instructorCannotSubmit", "Only students of the class submit to its challenges", {});
    const now = nowOf(ctx);
    if (now.getTime() >= row.deadline.getTime()) throw new ChallengeProblem("closed", "The challenge is closed: its deadline has passed", { deadline: row.deadline.toISOString() });
    const day = dayKey(now, row.class.timeZone);
    const resetsAt = nextDayStart(now, row.class.timeZone);
    const where = { challengeId: row.id, userId: ctx.user.id, day };
    // Cheap check first; the count is repeated under the lock below.
    if ((await ctx.db.challengeSubmission.count({ where })) >= row.dailyLimit) throw limitProblem(row, resetsAt);

    const { plan, index } = await scoringPlanFor(ctx, row);
    const target = { ids: plan.ids, index, idColumn: row.idColumn };
    const predictions = "csv" in input.payload ? parsePredictionsCsv(input.payload.csv, target) : alignPredictions(input.payload.predictions, target);
    checkPredictionValues(plan, predictions);
    const { publicScore, privateScore } = scoreParts(plan, predictions);
    if (!Number.isFinite(publicScore) || !Number.isFinite(privateScore)) {
      throw new DomainError("invalidInput", "These predictions cannot be scored", { key: "challenges.errors.badRow", params: { line: 0 } });
    }
    const sha256 = createHash("sha256").update(new Uint8Array(predictions.buffer, predictions.byteOffset, predictions.byteLength)).digest("hex");

    const created = await ctx.db.$transaction(async (tx) => {
      // Serialise one student's submissions to one class: the count and the insert see the same rows.
      await tx.$executeRaw`UPDATE "Membership" SET "nickname" = "nickname" WHERE "classId" = ${row.classId} AND "userId" = ${ctx.user.id}`;
      const usedToday = await tx.challengeSubmission.count({ where });
      if (usedToday >= row.dailyLimit) throw limitProblem(row, resetsAt);
      const sub = await tx.challengeSubmission.create({
        data: { challengeId: row.id, userId: ctx.user.id, source: input.source, publicScore, privateScore, day, rows: predictions.length, sha256, createdAt: now },
        select: { id: true },
      });
      const attempt = await tx.challengeSubmission.count({ where: { challengeId: row.id, userId: ctx.user.id } });
      return { id: sub.id, usedToday: usedToday + 1, attempt };
    });
    bumpVersion(`challenge:${row.id}`);
    return {
      submissionId: created.id,
      publicScore,
      attempt: created.attempt,
      remainingToday: Math.max(0, row.dailyLimit - created.usedToday),
      dailyLimit: row.dailyLimit,
      resetsAt,
    };
  });
}

export interface SetFinalInput {
  challengeId: string;
  submissionId: string;
  selected: boolean;
}

/** Marks or unmarks one of the caller's submissions as final (at most 2; not after the deadline). */
export async function setFinal(ctx: SignedInContext, input: SetFinalInput): Promise<{ finals: string[] }> {
  const { row, role } = await challengeForMember(ctx, input.challengeId);
  if (role !== "student") throw problemError(new ChallengeProblem("instructorCannotSubmit", "Only students mark final submissions", {}));
  if (nowOf(ctx).getTime() >= row.deadline.getTime()) {
    throw problemError(new ChallengeProblem("closed", "The challenge is closed: final submissions can no longer change", { deadline: row.deadline.toISOString() }));
  }
  const finals = await ctx.db.$transaction(async (tx) => {
    await tx.$executeRaw`UPDATE "Membership" SET "nickname" = "nickname" WHERE "classId" = ${row.classId} AND "userId" = ${ctx.user.id}`;
    const sub = await tx.challengeSubmission.findFirst({ where: { id: input.submissionId, challengeId: row.id, userId: ctx.user.id }, select: { id: true, selected: true } });
    if (!sub) throw new DomainError("notFound");
    if (input.selected && !sub.selected) {
      const marked = await tx.challengeSubmission.count({ where: { challengeId: row.id, userId: ctx.user.id, selected: true } });
      if (marked >= MAX_FINALS) throw problemError(new ChallengeProblem("tooManyFinals", `At most ${MAX_FINALS} submissions can be final; unmark one first`, { max: MAX_FINALS }));
    }
    if (sub.selected !== input.selected) await tx.challengeSubmission.update({ where: { id: sub.id }, data: { selected: input.selected } });
    const rows = await tx.challengeSubmission.findMany({
      where: { challengeId: row.id, userId: ctx.user.id, selected: true },
      select: { id: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    return rows.map((r) => r.id);
  });
  bumpVersion(`challenge:${row.id}`);
  return { finals };
}
