// One gradebook cell from the rows behind it, and a student's total. Pure: the service reads the
// rows (and never reads a private challenge score before its deadline), this decides the grade.
import type { GradeItem } from "./items";

/** A graded exercise attempt (a `Submission` row). */
export interface ExerciseAttempt {
  status: string;
  /** After the lesson's hint and reveal caps. */
  score: number;
  hintsUsed: number;
  revealed: boolean;
  createdAt: Date;
}

/** A challenge submission. `privateScore` is undefined while it must stay hidden. */
export interface ChallengeEntry {
  publicScore: number;
  privateScore?: number;
  selected: boolean;
  createdAt: Date;
}

/** A quiz result: a self-paced attempt, or a player of a live game linked to the student. */
export interface QuizEntry {
  points: number;
  /** The attempt or game is over (a self-paced attempt may still be under way). */
  finished: boolean;
  createdAt: Date;
}

export interface ComputedGrade {
  /** null: nothing submitted that counts. */
  score: number | null;
  /** A challenge before its deadline: the best public score, which may still change. */
  provisional: boolean;
  attempts: number;
  /** null where the item has no hints (challenges). */
  hintsUsed: number | null;
  revealed: boolean | null;
  late: boolean;
  lastAt: Date | null;
}

export interface OverrideEntry {
  score: number;
  comment: string;
  createdAt: Date;
  createdByName: string;
}

export interface GradeCell {
  computed: ComputedGrade;
  /** The latest override, if any; the computed grade is kept beside it. */
  override: OverrideEntry | null;
  /** What counts: the override's score when there is one, else the computed score. */
  score: number | null;
}

/** An attempt the server could not grade because it was busy never counts against the student. */
export const countsAsAttempt = (a: { status: string }) => a.status !== "busy";

const EMPTY: ComputedGrade = { score: null, provisional: false, attempts: 0, hintsUsed: null, revealed: null, late: false, lastAt: null };

/**
 * An exercise: the best counted attempt's score; hints are the most the server recorded (they
 * only grow), revealed if any attempt was made after a reveal, late if any counted attempt came
 * after the lesson's deadline (the deadline as it is now, so moving it re-judges every attempt).
 */
export function exerciseGrade(attempts: readonly ExerciseAttempt[], dueAt: Date | null): ComputedGrade {
  const counted = attempts.filter(countsAsAttempt);
  if (counted.length === 0) return { ...EMPTY, hintsUsed: 0, revealed: false };
  let best = -Infinity;
  let hints = 0;
  let revealed = false;
  let late = false;
  let lastAt = counted[0]!.createdAt;
  for (const a of counted) {
    if (Number.isFinite(a.score) && a.score > best) best = a.score;
    hints = Math.max(hints, a.hintsUsed);
    revealed ||= a.revealed;
    if (dueAt && a.createdAt.getTime() > dueAt.getTime()) late = true;
    if (a.createdAt > lastAt) lastAt = a.createdAt;
  }
  return { score: best === -Infinity ? 0 : best, provisional: false, attempts: counted.length, hintsUsed: hints, revealed, late, lastAt };
}

function better(a: number, b: number, higherIsBetter: boolean) {
  return higherIsBetter ? a > b : a < b;
}

/** The submission a student's private score comes from: their best marked final(s), or by default their best public one. */
export function finalEntries<T extends ChallengeEntry>(entries: readonly T[], higherIsBetter: boolean): T[] {
  const selected = entries.filter((e) => e.selected);
  if (selected.length > 0) return selected;
  let best: T | null = null;
  for (const e of entries) if (Number.isFinite(e.publicScore) && (!best || better(e.publicScore, best.publicScore, higherIsBetter))) best = e;
  return best ? [best] : [];
}

/**
 * A challenge: before the deadline, the best public score, provisional; from the deadline on, the
 * best private score among the student's finals (or the default final). Throws if asked for a
 * final grade without the private scores, so a caller cannot quietly grade on public ones.
 */
export function challengeGrade(
  entries: readonly ChallengeEntry[],
  opts: { deadline: Date; now: Date; higherIsBetter: boolean },
): ComputedGrade {
  if (entries.length === 0) return EMPTY;
  const open = opts.now.getTime() < opts.deadline.getTime();
  let lastAt = entries[0]!.createdAt;
  let late = false;
  for (const e of entries) {
    if (e.createdAt > lastAt) lastAt = e.createdAt;
    if (e.createdAt.getTime() > opts.deadline.getTime()) late = true;
  }
  let score: number | null = null;
  if (open) {
    for (const e of entries) if (Number.isFinite(e.publicScore) && (score === null || better(e.publicScore, score, opts.higherIsBetter))) score = e.publicScore;
  } else {
    for (const e of finalEntries(entries, opts.higherIsBetter)) {
      if (e.privateScore === undefined) throw new Error("challengeGrade: private scores are needed after the deadline");
      if (Number.isFinite(e.privateScore) && (score === null || better(e.privateScore, score, opts.higherIsBetter))) score = e.privateScore;
    }
  }
  return { score, provisional: open, attempts: entries.length, hintsUsed: null, revealed: null, late, lastAt };
}

/**
 * A quiz: the best result's points over the item's most points, capped at 1 (streak bonuses can
 * pass it). Provisional while a self-paced attempt is unfinished before the deadline.
 */
export function quizGrade(entries: readonly QuizEntry[], opts: { maxScore: number; deadline: Date; now: Date }): ComputedGrade {
  if (entries.length === 0 || opts.maxScore <= 0) return { ...EMPTY, attempts: entries.length };
  let best = 0;
  let lastAt = entries[0]!.createdAt;
  let finished = false;
  for (const e of entries) {
    best = Math.max(best, Math.min(1, Math.max(0, e.points / opts.maxScore)));
    if (e.createdAt > lastAt) lastAt = e.createdAt;
    finished ||= e.finished;
  }
  return { score: best, provisional: !finished && opts.now.getTime() < opts.deadline.getTime(), attempts: entries.length, hintsUsed: null, revealed: null, late: false, lastAt };
}

/** The latest override wins; ties on time keep the later one in the list (rows come in creation order). */
export function latestOverride<T extends { createdAt: Date }>(overrides: readonly T[]): T | null {
  let latest: T | null = null;
  for (const o of overrides) if (!latest || o.createdAt.getTime() >= latest.createdAt.getTime()) latest = o;
  return latest;
}

export function gradeCell(computed: ComputedGrade, overrides: readonly OverrideEntry[]): GradeCell {
  const override = latestOverride(overrides);
  return { computed, override, score: override ? override.score : computed.score };
}

export interface StudentTotal {
  /** Mean over the items that count, a missing grade counting as 0. */
  total: number;
  /** How many items the mean is over. */
  items: number;
  missing: number;
}

/** Mean of the cells' scores over the items in totals; an item with no grade counts as 0. */
export function studentTotal(items: readonly GradeItem[], cells: Readonly<Record<string, GradeCell | undefined>>): StudentTotal {
  let sum = 0;
  let n = 0;
  let missing = 0;
  for (const item of items) {
    if (!item.inTotal) continue;
    n += 1;
    const s = cells[item.key]?.score;
    if (s === null || s === undefined) missing += 1;
    else sum += Math.min(1, Math.max(0, s));
  }
  return { total: n === 0 ? 0 : sum / n, items: n, missing };
}
