// The class leaderboard: students ranked by points, one point per item at full marks (the sum of
// their scores over the items that enter totals). Ties share a rank ("1, 1, 3").

export interface LeaderboardInput {
  userId: string;
  /** The student's name or nickname, as the class shows them on every leaderboard. */
  displayName: string;
  /** n when the class shows nicknames and this student chose none ("Anónimo #n"). */
  anonymous: number | null;
  /** The caller's own row. */
  me: boolean;
  points: number;
  /** Items with a full score. */
  solved: number;
  lastAt: Date | null;
}

export interface LeaderboardRow extends LeaderboardInput {
  rank: number;
}

const EPS = 1e-9;

export function rankLeaderboard(rows: readonly LeaderboardInput[]): LeaderboardRow[] {
  const sorted = [...rows].sort(
    (a, b) => b.points - a.points || a.displayName.localeCompare(b.displayName) || a.userId.localeCompare(b.userId),
  );
  const out: LeaderboardRow[] = [];
  sorted.forEach((r, i) => {
    const prev = out[i - 1];
    const rank = prev && Math.abs(prev.points - r.points) < EPS ? prev.rank : i + 1;
    out.push({ ...r, rank });
  });
  return out;
}
