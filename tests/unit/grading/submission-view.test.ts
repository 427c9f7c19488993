import { describe, expect, it } from "vitest";
import { capScore, DEFAULT_GRADING_POLICY, MAX_SUBMISSION_CHARS as GRADER_MAX } from "@/lib/grading/grade-exercise";
import { capReason, MAX_SUBMISSION_CHARS, percent } from "@/lib/grading/submission-view";

describe("capReason", () => {
  it("is null when the raw score stood", () => {
    expect(capReason(1, 1, { hints: 2, revealed: false })).toBeNull();
    expect(capReason(0.4, 0.4, { hints: 0, revealed: true })).toBeNull();
    expect(capReason(0, 0, { hints: 0, revealed: true }, DEFAULT_GRADING_POLICY)).toBeNull();
  });

  it("names hints when no solution was revealed", () => {
    const policy = { hintCost: 0.25, revealedCap: 0 };
    expect(capReason(1, capScore(1, { hints: 1, revealed: false }, policy), { hints: 1, revealed: false }, policy)).toBe("hints");
  });

  it("names the reveal under the default policy (a revealed solution scores 0)", () => {
    const score = capScore(1, { hints: 0, revealed: true });
    expect(score).toBe(0);
    expect(capReason(1, score, { hints: 0, revealed: true }, DEFAULT_GRADING_POLICY)).toBe("reveal");
  });

  it("names the tighter cap when both apply", () => {
    // Three hints at 0.3 leave 0.1; a reveal would leave 0.5: the hints are what bit.
    const lenient = { hintCost: 0.3, revealedCap: 0.5 };
    const used = { hints: 3, revealed: true };
    expect(capReason(1, capScore(1, used, lenient), used, lenient)).toBe("hints");
    // One hint leaves 0.7, the reveal 0.5: the reveal bit.
    const one = { hints: 1, revealed: true };
    expect(capReason(1, capScore(1, one, lenient), one, lenient)).toBe("reveal");
  });
});

describe("percent", () => {
  it("rounds to a whole percentage without showing 100 % for a partial score", () => {
    expect(percent(1)).toBe(100);
    expect(percent(0.999)).toBe(99);
    expect(percent(0.6)).toBe(60);
    expect(percent(2 / 3)).toBe(67);
    expect(percent(0)).toBe(0);
    expect(percent(Number.NaN)).toBe(0);
    expect(percent(-1)).toBe(0);
  });
});

it("the browser's size limit is the grader's", () => {
  expect(MAX_SUBMISSION_CHARS).toBe(GRADER_MAX);
  expect(MAX_SUBMISSION_CHARS).toBe(64 * 1024);
});
