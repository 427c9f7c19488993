import { describe, expect, it } from "vitest";
import { DEFAULT_SCORING, scoreAnswer, scoringSettingsSchema, speedPoints, streakBonus } from "@/lib/live/scoring";

const right = { correct: true, fraction: 1 };
const wrong = { correct: false, fraction: 0 };

describe("speedPoints: round(P × (1 − (t/T)/2))", () => {
  it.each([
    [1000, 0, 20_000, 1000],
    [1000, 499, 20_000, 1000], // under 0.5 s: full points
    [1000, 500, 20_000, 988], // 1000 × (1 − 0.025/2) = 987.5 → 988
    [1000, 10_000, 20_000, 750],
    [1000, 20_000, 20_000, 500],
    [1000, 30_000, 20_000, 500], // clamped to T
    [2000, 5_000, 20_000, 1750],
    [1000, 3_333, 10_000, 833], // 1000 × (1 − 0.3333/2) = 833.35
    [0, 100, 20_000, 0],
  ])("P=%i t=%i T=%i → %i", (p, t, T, want) => {
    expect(speedPoints(p, t, T)).toBe(want);
  });

  it("without the speed bonus every correct answer gets P", () => {
    expect(speedPoints(1000, 19_000, 20_000, { ...DEFAULT_SCORING, speedBonus: false })).toBe(1000);
  });

  it("the full-points threshold is a setting", () => {
    const s = { ...DEFAULT_SCORING, fullPointsUnderMs: 0 };
    expect(speedPoints(1000, 400, 20_000, s)).toBe(990);
  });
});

describe("streaks", () => {
  it("+100 per consecutive correct answer after the first, up to +500", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map((n) => streakBonus(n))).toEqual([0, 100, 200, 300, 400, 500, 500, 500]);
  });

  it("a run of correct answers builds the streak and a wrong one resets it", () => {
    let streak = 0;
    const got: number[] = [];
    for (const check of [right, right, right, wrong, right]) {
      const r = scoreAnswer({ check, points: 1000, poll: false, timeMs: 0, timeLimitMs: 20_000, streak });
      streak = r.streak;
      got.push(r.points);
    }
    expect(got).toEqual([1000, 1100, 1200, 0, 1000]);
    expect(streak).toBe(1);
  });

  it("no answer resets the streak", () => {
    expect(scoreAnswer({ check: null, points: 1000, poll: false, timeMs: 0, timeLimitMs: 20_000, streak: 4 })).toEqual({ points: 0, bonus: 0, streak: 0 });
  });

  it("streaks off: no bonus and no streak kept", () => {
    const s = scoringSettingsSchema.parse({ streaks: false });
    let streak = 0;
    for (let i = 0; i < 5; i++) {
      const r = scoreAnswer({ check: right, points: 1000, poll: false, timeMs: 0, timeLimitMs: 20_000, streak }, s);
      expect(r).toEqual({ points: 1000, bonus: 0, streak: 0 });
      streak = r.streak;
    }
  });

  it("step and cap are settings", () => {
    const s = scoringSettingsSchema.parse({ streakStep: 50, streakMax: 120 });
    expect([2, 3, 4].map((n) => streakBonus(n, s))).toEqual([50, 100, 120]);
  });

  it("a poll or a 0-point question neither scores nor touches the streak", () => {
    expect(scoreAnswer({ check: wrong, points: 0, poll: true, timeMs: 0, timeLimitMs: 20_000, streak: 3 })).toEqual({ points: 0, bonus: 0, streak: 3 });
    expect(scoreAnswer({ check: right, points: 0, poll: false, timeMs: 0, timeLimitMs: 20_000, streak: 3 })).toEqual({ points: 0, bonus: 0, streak: 3 });
  });
});

describe("multiple select", () => {
  it("earns per correct option chosen and resets the streak when partial", () => {
    const r = scoreAnswer({ check: { correct: false, fraction: 2 / 3 }, points: 1000, poll: false, timeMs: 10_000, timeLimitMs: 20_000, streak: 2 });
    expect(r).toEqual({ points: 500, bonus: 0, streak: 0 }); // 750 × 2/3
  });

  it("per-option points are a setting: off, a partial answer earns nothing", () => {
    const s = scoringSettingsSchema.parse({ multiPerOption: false });
    expect(scoreAnswer({ check: { correct: false, fraction: 0.5 }, points: 1000, poll: false, timeMs: 0, timeLimitMs: 20_000, streak: 0 }, s).points).toBe(0);
  });
});
