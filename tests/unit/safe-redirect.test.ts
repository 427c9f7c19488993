// lib/safe-redirect.ts: a `?next=` value is followed only to a path on the app's own origin;
// every way of writing another host (issue 11, point 3) falls back to the default.
import { describe, expect, it } from "vitest";
import { MAX_NEXT_LENGTH, safeNextPath } from "@/lib/safe-redirect";

const ORIGIN = "http://localhost:3000";
const HOME = "/es";
const go = (raw: string | null | undefined) => safeNextPath(raw, ORIGIN, HOME);

describe("safeNextPath", () => {
  it.each([
    ["/es/classes", "/es/classes"],
    ["/en/notebooks/abc", "/en/notebooks/abc"],
    ["/es/runs/compare?ids=a,b", "/es/runs/compare?ids=a,b"],
    ["/es/runs/compare?ids=a%2Cb#chart", "/es/runs/compare?ids=a%2Cb#chart"],
    ["/es/join/ABC-123", "/es/join/ABC-123"],
    ["/es/classes/x%20y", "/es/classes/x%20y"],
    // Dot segments are resolved, and stay on the origin.
    ["/es/../en/classes", "/en/classes"],
    ["/es/search?q=%5C", "/es/search?q=%5C"],
  ])("follows the same-origin path %j to %j", (raw, expected) => {
    expect(go(raw)).toBe(expected);
  });

  it.each([
    // The reported attack: browsers read `/\` as `//`.
    "/\\evil.example/phish",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    // Protocol-relative and absolute URLs.
    "//evil.example",
    "///evil.example",
    "////evil.example/x",
    "http://evil.example",
    "https://evil.example/es",
    "HTTPS://evil.example",
    "http:evil.example",
    "http://localhost:3000.evil.example/",
    "http://user@localhost:3000/es",
    // Script and data URLs.
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    // Control characters the URL parser strips or rewrites: `/\t/evil.example` parses as `//evil.example`.
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\u0000/evil.example",
    " //evil.example",
    "/es\u0000",
    // Percent-encoded variants (and double-encoded) of `\` and `/`.
    "/%5Cevil.example",
    "/%5cevil.example",
    "/%2F%2Fevil.example",
    "/%2fevil.example",
    "%2F%2Fevil.example",
    "/%255Cevil.example",
    "/%252F/evil.example",
    "/%09/evil.example",
    "/%E0%A4%A", // not valid %-encoding
    // Not a path at all.
    "es/classes",
    "evil.example",
    "?next=//evil.example",
    "#x",
    "",
  ])("refuses %j", (raw) => {
    expect(go(raw)).toBe(HOME);
  });

  it("refuses missing and over-long values", () => {
    expect(go(null)).toBe(HOME);
    expect(go(undefined)).toBe(HOME);
    const long = `/es/${"a".repeat(MAX_NEXT_LENGTH)}`;
    expect(go(long)).toBe(HOME);
    expect(go(long.slice(0, MAX_NEXT_LENGTH))).toBe(long.slice(0, MAX_NEXT_LENGTH));
  });

  it("compares against the origin it is given (scheme and port included)", () => {
    expect(safeNextPath("/es/classes", "https://cuaderno.example.org", HOME)).toBe("/es/classes");
    expect(safeNextPath("http://cuaderno.example.org/es", "https://cuaderno.example.org", HOME)).toBe(HOME);
    expect(safeNextPath("https://cuaderno.example.org:8443/es", "https://cuaderno.example.org", HOME)).toBe(HOME);
  });

  it("never returns anything a browser would resolve to another origin", () => {
    // Whatever it returns, resolving it against the origin stays on the origin.
    const tricky = ["/\\evil.example", "/.//evil.example", "/./\\evil.example", "/es/..//evil.example", "/%2e%2e//evil.example"];
    for (const raw of tricky) {
      const out = go(raw);
      expect(new URL(out, ORIGIN).origin, raw).toBe(ORIGIN);
      expect(out.startsWith("//")).toBe(false);
    }
  });
});
