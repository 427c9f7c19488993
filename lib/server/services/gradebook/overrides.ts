// An instructor's override of one grade, with a required comment. Overrides are only ever added:
// the computed grade and every earlier override stay, and the latest one counts.
import { lessonsDir } from "@/lib/content/lessons";
import { parseItemKey } from "@/lib/gradebook/items";
import type { Locale } from "@/lib/i18n/routing";
import { DomainError } from "@/lib/server/errors";
import type { SignedInContext } from "@/lib/server/services/context";
import { assertTeaches } from "@/lib/server/services/classes";
import { courseExerciseItems } from "./course-items";

export const OVERRIDE_COMMENT_MAX = 1000;

export interface OverrideInput {
  classId: string;
  studentId: string;
  item: string;
  /** 0–1. */
  score: number;
  comment: string;
}

/** The item exists for this class: a course exercise, an exercise someone in the class submitted, or one of its challenges. */
async function assertItemOfClass(ctx: SignedInContext, classId: string, key: string, dir: string): Promise<void> {
  const item = parseItemKey(key);
  if (!item) throw new DomainError("invalidInput", "unknown item");
  if (item.kind === "exercise") {
    const known = (["es", "en"] as Locale[]).some((l) => courseExerciseItems(l, dir).some((e) => e.key === key));
    if (known) return;
    const submitted = await ctx.db.submission.findFirst({
      where: { classId, lessonSlug: item.lessonSlug, exerciseId: item.exerciseId },
      select: { id: true },
    });
    if (!submitted) throw new DomainError("notFound", "no such exercise");
    return;
  }
  if (item.kind === "quiz") {
    const found =
      item.source === "assignment"
        ? await ctx.db.quizAssignment.findFirst({ where: { id: item.quizId, classId }, select: { id: true } })
        : await ctx.db.quizHostedGame.findFirst({ where: { gameId: item.quizId, classId }, select: { gameId: true } });
    if (!found) throw new DomainError("notFound", "no such quiz");
    return;
  }
  const challenge = await ctx.db.challenge.findFirst({ where: { id: item.challengeId, classId }, select: { id: true } });
  if (!challenge) throw new DomainError("notFound", "no such challenge");
}

export async function overrideGrade(ctx: SignedInContext, input: OverrideInput, options: { lessonsDir?: string } = {}): Promise<{ id: string; createdAt: Date }> {
  await assertTeaches(ctx, input.classId);
  const comment = input.comment.trim();
  if (comment.length === 0 || comment.length > OVERRIDE_COMMENT_MAX) throw new DomainError("invalidInput", "a comment is required");
  if (!Number.isFinite(input.score) || input.score < 0 || input.score > 1) throw new DomainError("invalidInput", "score must be 0–1");
  const member = await ctx.db.membership.findUnique({
    where: { classId_userId: { classId: input.classId, userId: input.studentId } },
    select: { id: true },
  });
  if (!member) throw new DomainError("notFound", "not a student of this class");
  await assertItemOfClass(ctx, input.classId, input.item, options.lessonsDir ?? lessonsDir);
  return ctx.db.gradeOverride.create({
    data: { classId: input.classId, studentId: input.studentId, item: input.item, score: input.score, comment, createdById: ctx.user.id },
    select: { id: true, createdAt: true },
  });
}
