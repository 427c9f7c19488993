// Live quiz scoring (issue 14 point 4): Kahoot's rules as defaults, each one a setting.
// Correct answer: round(P × (1 − (t / T) / 2)), full points under 0.5 s; a multiple select earns
// per correct option; a streak bonus of +100 per consecutive correct answer, up to +500, reset by
// a wrong (or missing) answer, and streaks can be turned off. Pure.
import { z } from "zod";
import type { AnswerCheck } from "./questions";

export const scoringSettingsSchema = z.object({
  /** Points fall linearly with the response time to half at the deadline; off: full points for any correct answer in time. */
  speedBonus: z.boolean().default(true),
  /** Answers faster than this get full points (ms). */
  fullPointsUnderMs: z.number().int().min(0).max(10_000).default(500),
  /** Multiple select: points per correct option chosen; off: only a fully correct answer earns. */
  multiPerOption: z.boolean().default(true),
  streaks: z.boolean().default(true),
  /** Bonus per consecutive correct answer after the first. */
  streakStep: z.number().int().min(0).max(1000).default(100),
  /** Largest streak bonus on one answer. */
  streakMax: z.number().int().min(0).max(5000).default(500),
});
export type ScoringSettings = z.infer<typeof scoringSettingsSchema>;
export const DEFAULT_SCORING: ScoringSettings = scoringSettingsSchema.parse({});

/**
 * Base points of a correct answer: P when t < fullPointsUnderMs (or without the speed bonus),
 * otherwise round(P × (1 − (t / T) / 2)); t is clamped to [0, T].
 */
export function speedPoints(points: number, timeMs: number, timeLimitMs: number, s: ScoringSettings = DEFAULT_SCORING): number {
  if (points <= 0) return 0;
  if (!s.speedBonus || timeMs < s.fullPointsUnderMs || timeLimitMs <= 0) return points;
  const t = Math.min(Math.max(timeMs, 0), timeLimitMs);
  return Math.round(points * (1 - t / timeLimitMs / 2));
}

/** The streak bonus for an answer that makes the streak `streak` long (1 = the first correct one: no bonus). */
export function streakBonus(streak: number, s: ScoringSettings = DEFAULT_SCORING): number {
  if (!s.streaks || streak <= 1) return 0;
  return Math.min(s.streakMax, s.streakStep * (streak - 1));
}

export interface ScoredAnswer {
  /** Points earned on this question (base + streak bonus). */
  points: number;
  /** Of which the streak bonus. */
  bonus: number;
  /** The player's streak after this question. */
  streak: number;
}

/**
 * Scores one answer (or none: `check` null) of a player whose streak was `streak` before it.
 * A fully correct answer adds one to the streak; a wrong, partial or missing one resets it; a
 * poll or a 0-point question leaves it as it was and earns nothing.
 */
export function scoreAnswer(
  input: { check: AnswerCheck | null; points: number; poll: boolean; timeMs: number; timeLimitMs: number; streak: number },
  s: ScoringSettings = DEFAULT_SCORING,
): ScoredAnswer {
  const { check, points, poll, timeMs, timeLimitMs, streak } = input;
  if (poll || points <= 0) return { points: 0, bonus: 0, streak };
  if (!check || check.fraction <= 0) return { points: 0, bonus: 0, streak: 0 };
  const fraction = check.correct ? 1 : s.multiPerOption ? check.fraction : 0;
  const base = Math.round(speedPoints(points, timeMs, timeLimitMs, s) * fraction);
  if (!check.correct) return { points: base, bonus: 0, streak: 0 };
  const next = s.streaks ? streak + 1 : 0;
  const bonus = streakBonus(next, s);
  return { points: base + bonus, bonus, streak: next };
}
