// The class leaderboard over graded exercises and challenges, for the class's members and
// instructor. Points are computed grades (an instructor's override is a private matter between
// instructor and student and does not move anyone on the board); challenges count with their
// public score until the deadline, as their own leaderboards do.
import { buildGradebook } from "@/lib/gradebook/build";
import { rankLeaderboard, type LeaderboardRow } from "@/lib/gradebook/leaderboard";
import { displayNames } from "@/lib/server/services/challenges/names";
import type { SignedInContext } from "@/lib/server/services/context";
import { assertMemberOrInstructor } from "@/lib/server/services/classes";
import { classStudents } from "./gradebook";
import { readGradebookRows, type ReadOptions } from "./read-rows";

export type PublicLeaderboardRow = Omit<LeaderboardRow, "userId">;

export interface ClassLeaderboard {
  className: string;
  names: "name" | "nickname";
  /** How many items enter the points (a full score on each is one point). */
  items: number;
  rows: PublicLeaderboardRow[];
}

export async function classLeaderboard(ctx: SignedInContext, classId: string, options: ReadOptions): Promise<ClassLeaderboard> {
  await assertMemberOrInstructor(ctx, classId);
  const cls = await ctx.db.class.findUniqueOrThrow({ where: { id: classId }, select: { name: true, leaderboardNames: true } });
  // The same names as the challenge leaderboards ("Anónimo #n" numbered by joining order).
  const names = await displayNames(ctx, classId, cls.leaderboardNames);
  const students = await classStudents(ctx.db, classId);
  const book = buildGradebook(await readGradebookRows(ctx.db, classId, students, options));
  const counted = book.items.filter((i) => i.inTotal);
  const ranked = rankLeaderboard(
    book.students.map((s) => {
      let points = 0;
      let solved = 0;
      let lastAt: Date | null = null;
      for (const item of counted) {
        const c = s.cells[item.key]!.computed;
        const score = Math.min(1, Math.max(0, c.score ?? 0));
        points += score;
        if (score >= 1 - 1e-9) solved += 1;
        if (c.lastAt && (!lastAt || c.lastAt > lastAt)) lastAt = c.lastAt;
      }
      return {
        userId: s.id,
        displayName: names.get(s.id)?.name ?? s.name,
        anonymous: names.get(s.id)?.anonymous ?? null,
        me: s.id === ctx.user.id,
        points,
        solved,
        lastAt,
      };
    }),
  );
  return {
    className: cls.name,
    names: cls.leaderboardNames === "nickname" ? "nickname" : "name",
    items: counted.length,
    rows: ranked.map(({ userId: _userId, ...r }) => r),
  };
}
