import { describe, expect, it } from "vitest";
import { buildGradebook } from "@/lib/gradebook/build";
import { metricScale } from "@/lib/gradebook/challenge-metrics";
import { NO_FILTER, visibleItems, visibleStudents } from "@/lib/gradebook/filters";
import { itemKey, parseItemKey, type ChallengeItem, type ExerciseItem } from "@/lib/gradebook/items";
import { rankLeaderboard } from "@/lib/gradebook/leaderboard";

const ex = (lessonSlug: string, exerciseId: string): ExerciseItem => ({
  kind: "exercise", key: itemKey.exercise(lessonSlug, exerciseId), lessonSlug, exerciseId, lessonTitle: lessonSlug, title: exerciseId, inTotal: true,
});
const ch: ChallengeItem = {
  kind: "challenge", key: itemKey.challenge("c1"), challengeId: "c1", title: "Fraude", metric: "average-precision", higherIsBetter: true,
  deadline: new Date("2026-06-01T00:00Z"), inTotal: true,
};

describe("item keys", () => {
  it("parses what it writes and nothing malformed", () => {
    expect(parseItemKey(itemKey.exercise("imbalance", "pick-threshold"))).toEqual({ kind: "exercise", lessonSlug: "imbalance", exerciseId: "pick-threshold" });
    expect(parseItemKey(itemKey.challenge("ck_1-a"))).toEqual({ kind: "challenge", challengeId: "ck_1-a" });
    for (const bad of ["exercise:Bad/x", "exercise:a", "challenge:", "challenge:a b", "quiz:1", "exercise:a/b/c", "x".repeat(300)]) expect(parseItemKey(bad)).toBeNull();
  });
});

describe("metric scales", () => {
  it("reads challenge metrics as grades where they are 0–1 and higher-better", () => {
    expect(metricScale("average-precision")).toEqual({ higherIsBetter: true, unitInterval: true });
    expect(metricScale("f1")).toEqual({ higherIsBetter: true, unitInterval: true });
    expect(metricScale("roc-auc")).toEqual({ higherIsBetter: true, unitInterval: true });
    expect(metricScale("rmse")).toEqual({ higherIsBetter: false, unitInterval: false });
    expect(metricScale("log-loss")).toEqual({ higherIsBetter: false, unitInterval: false });
    expect(metricScale("r2")).toEqual({ higherIsBetter: true, unitInterval: false });
  });
});

describe("buildGradebook", () => {
  const base = {
    exercises: [ex("imbalance", "a")],
    challenges: [ch],
    students: [{ id: "s1", name: "Sofía", email: "s1@x" }, { id: "s2", name: "Tomás", email: "s2@x" }],
    deadlines: new Map([["imbalance", new Date("2026-05-02T00:00Z")]]),
    lessonTitles: new Map([["imbalance", "Desbalance"], ["old", "Vieja"]]),
    now: new Date("2026-05-20T00:00Z"),
  };
  it("builds each student's cells from their own rows only, keeps submitted items the course dropped, and histories when asked", () => {
    const book = buildGradebook(
      {
        ...base,
        submissions: [
          { userId: "s1", lessonSlug: "imbalance", exerciseId: "a", status: "graded", score: 1, hintsUsed: 0, revealed: false, createdAt: new Date("2026-05-03T00:00Z") },
          { userId: "s2", lessonSlug: "old", exerciseId: "gone", status: "graded", score: 0.5, hintsUsed: 1, revealed: false, createdAt: new Date("2026-05-01T00:00Z") },
        ],
        challengeEntries: [{ userId: "s2", challengeId: "c1", publicScore: 0.4, selected: false, createdAt: new Date("2026-05-10T00:00Z") }],
        overrides: [{ studentId: "s1", item: itemKey.exercise("imbalance", "a"), score: 0.8, comment: "tarde", createdAt: new Date("2026-05-04T00:00Z"), createdByName: "Ada" }],
      },
      { withHistory: true },
    );
    expect(book.items.map((i) => i.key)).toEqual(["exercise:imbalance/a", "exercise:old/gone", "challenge:c1"]);
    expect(book.items[1]).toMatchObject({ lessonTitle: "Vieja", title: "gone" });
    const [s1, s2] = book.students;
    expect(s1!.cells["exercise:imbalance/a"]).toMatchObject({ score: 0.8, computed: { score: 1, late: true }, override: { comment: "tarde" } });
    expect(s1!.history).toEqual({ "exercise:imbalance/a": [expect.objectContaining({ score: 0.8 })] });
    expect(s1!.cells["challenge:c1"]!.score).toBeNull();
    expect(s2!.cells["challenge:c1"]).toMatchObject({ score: 0.4, computed: { provisional: true } });
    expect(s2!.cells["exercise:imbalance/a"]!.score).toBeNull();
    expect(s1!.total.total).toBeCloseTo(0.8 / 3);
    expect(s2!.total.total).toBeCloseTo(0.9 / 3);
  });
});

describe("filters", () => {
  const items = [ex("imbalance", "a"), ex("metrics", "b"), ch];
  const cell = (late: boolean, revealed: boolean) => ({
    computed: { score: 1, provisional: false, attempts: 1, hintsUsed: 0, revealed, late, lastAt: null }, override: null, score: 1,
  });
  const students = [
    { name: "Sofía Paz", email: "sofia@x", cells: { "exercise:imbalance/a": cell(true, false) } },
    { name: "Tomás", email: "tomas@x", cells: { "exercise:metrics/b": cell(false, true) } },
  ];
  it("filters columns by lesson and kind", () => {
    expect(visibleItems(items, { ...NO_FILTER, lessonSlug: "metrics" }).map((i) => i.key)).toEqual(["exercise:metrics/b"]);
    expect(visibleItems(items, { ...NO_FILTER, kind: "challenge" }).map((i) => i.key)).toEqual(["challenge:c1"]);
  });
  it("filters students by accent-folded name, late and revealed among the shown items", () => {
    expect(visibleStudents(students, items, { ...NO_FILTER, studentQuery: "SOFIA" }).map((s) => s.name)).toEqual(["Sofía Paz"]);
    expect(visibleStudents(students, items, { ...NO_FILTER, onlyLate: true }).map((s) => s.name)).toEqual(["Sofía Paz"]);
    expect(visibleStudents(students, items, { ...NO_FILTER, onlyRevealed: true }).map((s) => s.name)).toEqual(["Tomás"]);
    expect(visibleStudents(students, [items[1]!], { ...NO_FILTER, onlyLate: true })).toEqual([]);
  });
});

describe("class leaderboard ranking", () => {
  it("ranks by points with shared ranks for ties", () => {
    const row = (userId: string, points: number) => ({ userId, displayName: userId, anonymous: null, me: false, points, solved: 0, lastAt: null });
    expect(rankLeaderboard([row("b", 1), row("a", 2), row("c", 1), row("d", 0)]).map((r) => [r.userId, r.rank])).toEqual([["a", 1], ["b", 2], ["c", 2], ["d", 4]]);
  });
});

import { formatPercent, parseScoreInput } from "@/lib/gradebook/score-input";

describe("override score input", () => {
  it("reads percent and 0–1 grades in either decimal form", () => {
    expect(parseScoreInput("85", "percent")).toBe(0.85);
    expect(parseScoreInput("85,5 %", "percent")).toBe(0.855);
    expect(parseScoreInput("100", "percent")).toBe(1);
    expect(parseScoreInput("0.7", "fraction")).toBe(0.7);
    expect(parseScoreInput("0,25", "fraction")).toBe(0.25);
    expect(parseScoreInput(".5", "fraction")).toBe(0.5);
  });
  it("refuses out-of-range and malformed input", () => {
    for (const [text, unit] of [["101", "percent"], ["1.5", "fraction"], ["-1", "percent"], ["", "percent"], ["abc", "fraction"], ["1e2", "percent"], ["85,5,1", "percent"]] as const) {
      expect(parseScoreInput(text, unit)).toBeNull();
    }
  });
  it("formats grades as percentages in the page's language", () => {
    expect(formatPercent(0.855, "es").replace(/\s/g, "")).toBe("85,5%");
    expect(formatPercent(0.855, "en")).toBe("85.5%");
    expect(formatPercent(null, "en")).toBe("—");
  });
});
