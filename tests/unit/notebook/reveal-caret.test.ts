import { describe, expect, it } from "vitest";
import { CARET_MARGIN, scrollToShow } from "@/components/notebook/reveal-caret";

// A 720 px window with a 48 px toolbar stuck at the top and a 40 px kernel bar at the bottom.
const room = { upper: 48, lower: 680 };
const line = (top: number, height = 18) => ({ top, bottom: top + height });

describe("scrollToShow: how far the page scrolls to keep the caret line in sight", () => {
  it("does not scroll while the line is clear of both bars", () => {
    expect(scrollToShow(line(300), room)).toBe(0);
    expect(scrollToShow(line(48 + CARET_MARGIN), room)).toBe(0);
    expect(scrollToShow(line(680 - CARET_MARGIN - 18), room)).toBe(0);
  });

  it("scrolls down by the least amount when Enter takes the caret under the bottom bar or off the window", () => {
    expect(scrollToShow(line(670), room)).toBe(670 + 18 + CARET_MARGIN - 680);
    expect(scrollToShow(line(1083), room)).toBe(1083 + 18 + CARET_MARGIN - 680);
  });

  it("scrolls up when the caret goes above the window or under the top bar", () => {
    expect(scrollToShow(line(40), room)).toBe(40 - CARET_MARGIN - 48);
    expect(scrollToShow(line(-200), room)).toBe(-200 - CARET_MARGIN - 48);
  });

  it("aligns a line taller than the room at its top instead of past it", () => {
    expect(scrollToShow({ top: 600, bottom: 1400 }, room)).toBe(600 - CARET_MARGIN - 48);
  });
});
