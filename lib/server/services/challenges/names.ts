// How students appear on a class's leaderboards: their name, or the nickname they chose for that
// class ("Anónimo #n" when they chose none), as the instructor decides. Also the class settings
// leaderboards depend on: names mode and time zone (the daily limit resets at midnight there).
import { isValidTimeZone } from "@/lib/time-zone";
import { DomainError } from "@/lib/server/errors";
import { assertTeaches, getClassForMember } from "@/lib/server/services/classes";
import type { SignedInContext } from "@/lib/server/services/context";
import { bumpVersion } from "./access";

export const NICKNAME_MAX = 32;

export interface DisplayName {
  name: string;
  anonymous: number | null;
}

/** userId → what the leaderboard shows, for every current member of the class. */
export async function displayNames(ctx: SignedInContext, classId: string, mode: string): Promise<Map<string, DisplayName>> {
  const members = await ctx.db.membership.findMany({
    where: { classId },
    select: { userId: true, nickname: true, user: { select: { name: true } } },
    orderBy: [{ joinedAt: "asc" }, { id: "asc" }],
  });
  const out = new Map<string, DisplayName>();
  members.forEach((m, i) => {
    if (mode !== "nickname") out.set(m.userId, { name: m.user.name, anonymous: null });
    else if (m.nickname) out.set(m.userId, { name: m.nickname, anonymous: null });
    // Numbered by joining order, so the number stays put while the class grows.
    else out.set(m.userId, { name: `Anónimo #${i + 1}`, anonymous: i + 1 });
  });
  return out;
}

export interface LeaderboardSettings {
  classId: string;
  role: "instructor" | "student";
  leaderboardNames: "name" | "nickname";
  timeZone: string;
  /** The caller's nickname in this class (students). */
  nickname: string | null;
}

export async function leaderboardSettings(ctx: SignedInContext, classId: string): Promise<LeaderboardSettings> {
  const cls = await getClassForMember(ctx, classId);
  const [row, membership] = await Promise.all([
    ctx.db.class.findUnique({ where: { id: classId }, select: { leaderboardNames: true, timeZone: true } }),
    ctx.db.membership.findUnique({ where: { classId_userId: { classId, userId: ctx.user.id } }, select: { nickname: true } }),
  ]);
  if (!row) throw new DomainError("notFound");
  return {
    classId,
    role: cls.role,
    leaderboardNames: row.leaderboardNames === "nickname" ? "nickname" : "name",
    timeZone: row.timeZone,
    nickname: membership?.nickname ?? null,
  };
}

/** The instructor chooses names or nicknames, and the class's time zone. */
export async function updateLeaderboardSettings(
  ctx: SignedInContext,
  input: { classId: string; leaderboardNames?: "name" | "nickname"; timeZone?: string },
): Promise<LeaderboardSettings> {
  await assertTeaches(ctx, input.classId);
  if (input.timeZone !== undefined && !isValidTimeZone(input.timeZone)) {
    throw new DomainError("invalidInput", `Unknown time zone "${input.timeZone.slice(0, 64)}"`, { key: "challenges.errors.badTimeZone", params: { timeZone: input.timeZone.slice(0, 64) } });
  }
  await ctx.db.class.update({
    where: { id: input.classId },
    data: {
      ...(input.leaderboardNames !== undefined ? { leaderboardNames: input.leaderboardNames } : {}),
      ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}),
    },
  });
  bumpVersion(`names:${input.classId}`);
  return leaderboardSettings(ctx, input.classId);
}

/** A student's nickname in one class (null clears it). Two members of a class cannot share one. */
export async function setNickname(ctx: SignedInContext, input: { classId: string; nickname: string | null }): Promise<{ nickname: string | null }> {
  const nickname = input.nickname === null ? null : input.nickname.normalize("NFC").replace(/\s+/g, " ").trim();
  if (nickname !== null && (nickname.length < 2 || nickname.length > NICKNAME_MAX || /[\u0000-\u001f\u007f]/.test(nickname))) {
    throw new DomainError("invalidInput", `A nickname has 2 to ${NICKNAME_MAX} characters`, { key: "challenges.errors.badNickname", params: { max: NICKNAME_MAX } });
  }
  const membership = await ctx.db.membership.findUnique({ where: { classId_userId: { classId: input.classId, userId: ctx.user.id } }, select: { id: true } });
  if (!membership) throw new DomainError("notFound");
  if (nickname !== null) {
    const others = await ctx.db.membership.findMany({ where: { classId: input.classId, NOT: { id: membership.id }, nickname: { not: null } }, select: { nickname: true } });
    const lower = nickname.toLowerCase();
    if (others.some((o) => o.nickname!.toLowerCase() === lower)) {
      throw new DomainError("conflict", "Another member of the class already uses that nickname", { key: "challenges.errors.nicknameTaken" });
    }
  }
  await ctx.db.membership.update({ where: { id: membership.id }, data: { nickname } });
  bumpVersion(`names:${input.classId}`);
  return { nickname };
}
