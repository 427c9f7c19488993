// Finals and leaderboards, checked on small hand-made classes.
import { describe, expect, it } from "vitest";
import { bestPublic, finalSubmissions, privateLeaderboard, publicLeaderboard, type Entrant, type ScoredSubmission } from "@/lib/challenges/leaderboard";
import { METRICS } from "@/lib/challenges/metrics";

let seq = 0;
const sub = (pub: number, priv: number, minute: number, selected = false): ScoredSubmission => ({
  id: `s${++seq}`,
  publicScore: pub,
  privateScore: priv,
  selected,
  createdAt: new Date(Date.UTC(2026, 2, 10, 12, minute)),
});

describe("final submissions", () => {
  it("default to the best public one (the earliest among equals)", () => {
    const a = sub(0.5, 0.9, 1);
    const b = sub(0.7, 0.2, 2);
    const c = sub(0.7, 0.1, 3);
    expect(finalSubmissions(METRICS.f1, [a, b, c])).toEqual([b]);
    expect(bestPublic(METRICS.f1, [])).toBeUndefined();
    // lower is better for RMSE
    expect(finalSubmissions(METRICS.rmse, [a, b, c])).toEqual([a]);
  });

  it("are the marked ones when there are any (at most two)", () => {
    const a = sub(0.5, 0.9, 1, true);
    const b = sub(0.7, 0.2, 2);
    const c = sub(0.6, 0.4, 3, true);
    const d = sub(0.1, 0.99, 4, true);
    expect(finalSubmissions(METRICS.f1, [a, b, c])).toEqual([a, c]);
    expect(finalSubmissions(METRICS.f1, [a, b, c, d])).toHaveLength(2);
  });
});

describe("leaderboards", () => {
  // Ana: best public 0.80 (private 0.60); marks a 0.70/0.75 one too.
  // Beto: best public 0.75 (private 0.74).
  // Caro: best public 0.80 reached later than Ana (tie → after Ana), private 0.50.
  // Dani: best public 0.60, private 0.90 (an overfit public board hid the best model).
  const entrants: Entrant[] = [
    { userId: "ana", name: "Ana", submissions: [sub(0.8, 0.6, 10, true), sub(0.7, 0.75, 11, true), sub(0.2, 0.2, 12)] },
    { userId: "beto", name: "Beto", submissions: [sub(0.75, 0.74, 5)] },
    { userId: "caro", name: "Caro", submissions: [sub(0.8, 0.5, 20), sub(0.4, 0.95, 21)] },
    { userId: "dani", name: "Dani", submissions: [sub(0.6, 0.9, 30)] },
    { userId: "eva", name: "Eva", submissions: [] },
  ];

  it("public: best public score, ties to the earlier, entries and last submission", () => {
    const rows = publicLeaderboard(METRICS.f1, entrants);
    expect(rows.map((r) => [r.rank, r.userId, r.score, r.entries])).toEqual([
      [1, "ana", 0.8, 3],
      [2, "caro", 0.8, 2],
      [3, "beto", 0.75, 1],
      [4, "dani", 0.6, 1],
    ]);
    expect(rows[0].lastSubmissionAt.getUTCMinutes()).toBe(12);
    expect(rows[0].scoredAt.getUTCMinutes()).toBe(10);
  });

  it("private: each student's best final by private score, with the shift from the public rank", () => {
    const rows = privateLeaderboard(METRICS.f1, entrants);
    // Ana's finals are her two marked ones (0.60 and 0.75 private) → 0.75. Caro marked none: her
    // best public (0.80) counts, private 0.50 — not her 0.95, which she never chose.
    expect(rows.map((r) => [r.rank, r.userId, r.score, r.publicRank, r.shift])).toEqual([
      [1, "dani", 0.9, 4, 3],
      [2, "ana", 0.75, 1, -1],
      [3, "beto", 0.74, 3, 0],
      [4, "caro", 0.5, 2, -2],
    ]);
  });

  it("ranks lower-is-better metrics ascending", () => {
    // lowest public: Ana 0.2, Caro 0.4, Dani 0.6, Beto 0.75
    const rows = publicLeaderboard(METRICS.rmse, entrants);
    expect(rows.map((r) => [r.userId, r.score])).toEqual([
      ["ana", 0.2],
      ["caro", 0.4],
      ["dani", 0.6],
      ["beto", 0.75],
    ]);
  });
});
