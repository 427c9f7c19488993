// Final submissions and leaderboards, pure: the service loads the rows and names, this orders
// them. Ties go to whoever reached the score first (as on Kaggle), then by user id, so a rank
// never depends on the order rows come from the database.

import { compareScores, type MetricInfo } from "./metrics";

/** Most submissions a student may mark as final. */
export const MAX_FINALS = 2;

export interface ScoredSubmission {
  id: string;
  publicScore: number;
  privateScore: number;
  selected: boolean;
  createdAt: Date;
}

export interface Entrant {
  userId: string;
  name: string;
  submissions: readonly ScoredSubmission[];
}

function byScoreThenTime(metric: MetricInfo, score: (s: ScoredSubmission) => number) {
  return (a: ScoredSubmission, b: ScoredSubmission) =>
    compareScores(metric, score(a), score(b)) || a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The best submission by public score (earliest among equals); undefined when there is none. */
export function bestPublic(metric: MetricInfo, submissions: readonly ScoredSubmission[]): ScoredSubmission | undefined {
  let best: ScoredSubmission | undefined;
  const cmp = byScoreThenTime(metric, (s) => s.publicScore);
  for (const s of submissions) if (!best || cmp(s, best) < 0) best = s;
  return best;
}

/** What counts for the private leaderboard: the marked ones (at most 2), else the best public one. */
export function finalSubmissions(metric: MetricInfo, submissions: readonly ScoredSubmission[]): ScoredSubmission[] {
  const marked = submissions.filter((s) => s.selected).slice(0, MAX_FINALS);
  if (marked.length > 0) return marked;
  const best = bestPublic(metric, submissions);
  return best ? [best] : [];
}

/** The final submission with the best private score (earliest among equals). */
export function bestFinal(metric: MetricInfo, submissions: readonly ScoredSubmission[]): ScoredSubmission | undefined {
  const finals = finalSubmissions(metric, submissions);
  const cmp = byScoreThenTime(metric, (s) => s.privateScore);
  return finals.sort(cmp)[0];
}

export interface PublicRow {
  rank: number;
  userId: string;
  name: string;
  score: number;
  entries: number;
  lastSubmissionAt: Date;
  /** When the counted score was reached. */
  scoredAt: Date;
}

export interface PrivateRow extends PublicRow {
  publicRank: number;
  publicScore: number;
  /** publicRank − rank: positive when the student moved up on the private leaderboard. */
  shift: number;
}

function lastOf(submissions: readonly ScoredSubmission[]): Date {
  let t = 0;
  for (const s of submissions) t = Math.max(t, s.createdAt.getTime());
  return new Date(t);
}

function rankRows<T extends { score: number; scoredAt: Date; userId: string; rank: number }>(metric: MetricInfo, rows: T[]): T[] {
  rows.sort((a, b) => compareScores(metric, a.score, b.score) || a.scoredAt.getTime() - b.scoredAt.getTime() || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  rows.forEach((r, i) => (r.rank = i + 1));
  return rows;
}

/** One row per student with a submission: best public score, entries, last submission. */
export function publicLeaderboard(metric: MetricInfo, entrants: readonly Entrant[]): PublicRow[] {
  const rows: PublicRow[] = [];
  for (const e of entrants) {
    const best = bestPublic(metric, e.submissions);
    if (!best) continue;
    rows.push({
      rank: 0,
      userId: e.userId,
      name: e.name,
      score: best.publicScore,
      entries: e.submissions.length,
      lastSubmissionAt: lastOf(e.submissions),
      scoredAt: best.createdAt,
    });
  }
  return rankRows(metric, rows);
}

/** The private leaderboard: each student's best final submission by private score, with the rank shift. */
export function privateLeaderboard(metric: MetricInfo, entrants: readonly Entrant[]): PrivateRow[] {
  const publicRanks = new Map(publicLeaderboard(metric, entrants).map((r) => [r.userId, r]));
  const rows: PrivateRow[] = [];
  for (const e of entrants) {
    const best = bestFinal(metric, e.submissions);
    const pub = publicRanks.get(e.userId);
    if (!best || !pub) continue;
    rows.push({
      rank: 0,
      userId: e.userId,
      name: e.name,
      score: best.privateScore,
      entries: e.submissions.length,
      lastSubmissionAt: pub.lastSubmissionAt,
      scoredAt: best.createdAt,
      publicRank: pub.rank,
      publicScore: pub.score,
      shift: 0,
    });
  }
  rankRows(metric, rows);
  for (const r of rows) r.shift = r.publicRank - r.rank;
  return rows;
}
