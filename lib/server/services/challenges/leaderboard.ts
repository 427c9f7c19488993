// A challenge's leaderboards as a class member may see them: the public one always, the private
// one (each student's final submissions on the private rows, with the rank shift) to the
// instructor at any time and to students once the deadline has passed. Plus a cheap version the
// page polls to know when to refetch.
import { privateLeaderboard, publicLeaderboard, type Entrant, type ScoredSubmission } from "@/lib/challenges/leaderboard";
import { nowOf, type SignedInContext } from "@/lib/server/services/context";
import { challengeForMember, versionOf } from "./access";
import { displayNames } from "./names";

export interface LeaderboardRow {
  rank: number;
  /** Only the instructor gets ids; students see `isMe` on their own row. */
  userId: string | null;
  /** What the class shows: the student's name, or their nickname, or "Anónimo #n". */
  name: string;
  /** Set when `name` is the anonymous fallback: the page may translate "Anonymous #n". */
  anonymous: number | null;
  isMe: boolean;
  score: number;
  entries: number;
  lastSubmissionAt: Date;
}

export interface PrivateLeaderboardRow extends LeaderboardRow {
  publicRank: number;
  publicScore: number;
  /** publicRank − rank: positive = moved up on the private leaderboard. */
  shift: number;
}

export interface LeaderboardView {
  challengeId: string;
  metricName: string;
  higherIsBetter: boolean;
  deadline: Date;
  closed: boolean;
  names: "name" | "nickname";
  public: LeaderboardRow[];
  /** null for students before the deadline. */
  private: PrivateLeaderboardRow[] | null;
  version: string;
}

async function versionString(ctx: SignedInContext, challengeId: string, classId: string, deadline: Date): Promise<string> {
  const [agg, cls] = await Promise.all([
    ctx.db.challengeSubmission.aggregate({ where: { challengeId }, _count: { _all: true }, _max: { createdAt: true } }),
    ctx.db.class.findUnique({ where: { id: classId }, select: { updatedAt: true } }),
  ]);
  const closed = nowOf(ctx).getTime() >= deadline.getTime() ? 1 : 0;
  return [
    agg._count._all,
    agg._max.createdAt?.getTime() ?? 0,
    cls?.updatedAt.getTime() ?? 0,
    closed,
    versionOf(`challenge:${challengeId}`),
    versionOf(`names:${classId}`),
  ].join(".");
}

/** A short string that changes whenever the leaderboard could: poll it, refetch on change. */
export async function leaderboardVersion(ctx: SignedInContext, challengeId: string): Promise<{ version: string; closed: boolean }> {
  const { row } = await challengeForMember(ctx, challengeId);
  const version = await versionString(ctx, row.id, row.classId, row.deadline);
  return { version, closed: version.split(".")[3] === "1" };
}

export async function leaderboard(ctx: SignedInContext, challengeId: string): Promise<LeaderboardView> {
  const { row, role, metric } = await challengeForMember(ctx, challengeId);
  const closed = nowOf(ctx).getTime() >= row.deadline.getTime();
  const [version, subs, names] = await Promise.all([
    versionString(ctx, row.id, row.classId, row.deadline),
    ctx.db.challengeSubmission.findMany({
      where: { challengeId: row.id },
      select: { id: true, userId: true, publicScore: true, privateScore: true, selected: true, createdAt: true },
    }),
    displayNames(ctx, row.classId, row.class.leaderboardNames),
  ]);
  const byUser = new Map<string, ScoredSubmission[]>();
  for (const s of subs) {
    // Only current members are ranked (a student who left keeps their rows, off the board).
    if (!names.has(s.userId)) continue;
    let list = byUser.get(s.userId);
    if (!list) byUser.set(s.userId, (list = []));
    list.push(s);
  }
  const entrants: Entrant[] = [...byUser].map(([userId, submissions]) => ({ userId, name: names.get(userId)!.name, submissions }));
  const decorate = (userId: string) => {
    const n = names.get(userId)!;
    return { userId: role === "instructor" ? userId : null, name: n.name, anonymous: n.anonymous, isMe: userId === ctx.user.id };
  };
  const pub = publicLeaderboard(metric, entrants).map((r) => ({
    rank: r.rank,
    ...decorate(r.userId),
    score: r.score,
    entries: r.entries,
    lastSubmissionAt: r.lastSubmissionAt,
  }));
  const showPrivate = role === "instructor" || closed;
  const priv = showPrivate
    ? privateLeaderboard(metric, entrants).map((r) => ({
        rank: r.rank,
        ...decorate(r.userId),
        score: r.score,
        entries: r.entries,
        lastSubmissionAt: r.lastSubmissionAt,
        publicRank: r.publicRank,
        publicScore: r.publicScore,
        shift: r.shift,
      }))
    : null;
  return {
    challengeId: row.id,
    metricName: metric.name,
    higherIsBetter: metric.higherIsBetter,
    deadline: row.deadline,
    closed,
    names: row.class.leaderboardNames === "nickname" ? "nickname" : "name",
    public: pub,
    private: priv,
    version,
  };
}
