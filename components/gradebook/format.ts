// Labels and numbers for gradebook items, shared by the instructor's, student's and leaderboard views.
import type { inferRouterOutputs } from "@trpc/server";
import type { GradeItem } from "@/lib/gradebook/items";
import { formatMetricValue, formatPercent } from "@/lib/gradebook/score-input";
import type { AppRouter } from "@/lib/server/api/root";

export type GradebookOutputs = inferRouterOutputs<AppRouter>["gradebook"];

/** An item as its column header says it: "Lesson · Exercise", "Challenge: Title", "Quiz: Title". */
export function itemLabel(item: GradeItem, challengeWord: string, quizWord = "Quiz"): string {
  switch (item.kind) {
    case "exercise":
      return `${item.lessonTitle} · ${item.title}`;
    case "challenge":
      return `${challengeWord}: ${item.title}`;
    case "quiz":
      return `${quizWord}: ${item.title}`;
  }
}

/** A 0–1 item as a percentage; a challenge scored by an error metric as the metric's value. */
export function formatItemScore(item: GradeItem, score: number | null, locale: string): string {
  return item.inTotal ? formatPercent(score, locale) : formatMetricValue(score, locale);
}

export function formatWhen(date: Date | null | undefined, locale: string, timeZone?: string): string {
  if (!date) return "—";
  return new Date(date).toLocaleString(locale === "es" ? "es-AR" : "en-US", { dateStyle: "medium", timeStyle: "short", ...(timeZone ? { timeZone } : {}) });
}
