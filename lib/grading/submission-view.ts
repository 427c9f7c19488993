// How a stored grade reads to its student (pure; shared by the grading service and the notebook UI).
import type { CaseVerdict } from "./exercises";
import type { GradingPolicy } from "./grade-exercise";

/** The largest cell a student may submit (characters); here so the browser can say so before sending. */
export const MAX_SUBMISSION_CHARS = 64 * 1024;

/** Why a submission's score is below its raw score: hints taken, or the solution revealed. */
export type CapReason = "hints" | "reveal";

/**
 * The reason the score was capped, or null when the raw score stood. With the lesson's policy, the
 * tighter of the two caps is named (a reveal is only blamed when its cap is the one that bit).
 */
export function capReason(rawScore: number, score: number, used: { hints: number; revealed: boolean }, policy?: GradingPolicy): CapReason | null {
  if (!(score < rawScore)) return null;
  if (!used.revealed) return "hints";
  if (!policy) return "reveal";
  const hintCap = Math.max(0, 1 - policy.hintCost * used.hints);
  return policy.revealedCap <= hintCap ? "reveal" : "hints";
}

/** A 0…1 score as a whole percentage (0.999 shows 99 %, never a rounded-up 100 %). */
export function percent(score: number): number {
  if (!Number.isFinite(score) || score <= 0) return 0;
  if (score >= 1) return 100;
  return Math.min(99, Math.round(score * 100));
}

/** Every verdict a case can get, in the order a legend lists them. */
export const CASE_VERDICTS: readonly CaseVerdict[] = ["passed", "wrong", "threw", "not-plain-data", "limit", "missing", "not-run"];
