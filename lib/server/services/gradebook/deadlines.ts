// Lesson deadlines of a class, typed as wall-clock times in the class's time zone and stored as
// instants. The zone itself and leaderboard names are set through challenges.updateSettings.
import { getLessonMeta, lessonsDir } from "@/lib/content/lessons";
import { instantToZonedLocal, zonedLocalToInstant } from "@/lib/time-zone";
import { DomainError } from "@/lib/server/errors";
import type { SignedInContext } from "@/lib/server/services/context";
import { assertMemberOrInstructor, assertTeaches } from "@/lib/server/services/classes";

export type LeaderboardNameMode = "name" | "nickname";

export interface ClassGradingSettings {
  timeZone: string;
  leaderboardNames: LeaderboardNameMode;
  deadlines: { lessonSlug: string; dueAt: Date; local: string }[];
}

/** Deadlines are not secret: members and the instructor read them. */
export async function classGradingSettings(ctx: SignedInContext, classId: string): Promise<ClassGradingSettings> {
  await assertMemberOrInstructor(ctx, classId);
  const cls = await ctx.db.class.findUniqueOrThrow({ where: { id: classId }, select: { timeZone: true, leaderboardNames: true } });
  const rows = await ctx.db.lessonDeadline.findMany({ where: { classId }, select: { lessonSlug: true, dueAt: true }, orderBy: { lessonSlug: "asc" } });
  return {
    timeZone: cls.timeZone,
    leaderboardNames: cls.leaderboardNames === "nickname" ? "nickname" : "name",
    deadlines: rows.map((d) => ({ ...d, local: instantToZonedLocal(d.dueAt, cls.timeZone) })),
  };
}

/** Sets (or with `local: null` removes) a lesson's deadline; `local` is "YYYY-MM-DDTHH:MM" in the class's zone. */
export async function setLessonDeadline(
  ctx: SignedInContext,
  input: { classId: string; lessonSlug: string; local: string | null },
  options: { lessonsDir?: string } = {},
): Promise<{ dueAt: Date | null }> {
  await assertTeaches(ctx, input.classId);
  if (!getLessonMeta(input.lessonSlug, options.lessonsDir ?? lessonsDir)) throw new DomainError("notFound", "no such lesson");
  const where = { classId_lessonSlug: { classId: input.classId, lessonSlug: input.lessonSlug } };
  if (input.local === null) {
    await ctx.db.lessonDeadline.deleteMany({ where: { classId: input.classId, lessonSlug: input.lessonSlug } });
    return { dueAt: null };
  }
  const cls = await ctx.db.class.findUniqueOrThrow({ where: { id: input.classId }, select: { timeZone: true } });
  const dueAt = zonedLocalToInstant(input.local, cls.timeZone);
  if (!dueAt) throw new DomainError("invalidInput", "not a date and time");
  await ctx.db.lessonDeadline.upsert({
    where,
    create: { classId: input.classId, lessonSlug: input.lessonSlug, dueAt },
    update: { dueAt },
  });
  return { dueAt };
}
