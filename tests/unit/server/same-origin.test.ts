import { describe, expect, it } from "vitest";
import { crossSiteWriteProblem, isSameOrigin, mediaType, originOf } from "@/lib/server/same-origin";

const app = "https://cuaderno.example";
const req = (method: string, headers: Record<string, string>) => ({ method, headers: new Headers(headers) });

describe("same-origin checks for cookie-authenticated writes", () => {
  it("reads the media type before ';', trimmed and lower-cased", () => {
    expect(mediaType("application/json")).toBe("application/json");
    expect(mediaType(" Application/JSON ; charset=utf-8")).toBe("application/json");
    expect(mediaType("text/plain; x=application/json")).toBe("text/plain");
    expect(mediaType("application/json-patch+json")).toBe("application/json-patch+json");
    expect(mediaType(null)).toBe("");
  });

  it("takes the app's origin from its URL", () => {
    expect(originOf("https://cuaderno.example/some/path")).toBe(app);
    expect(originOf("http://localhost:3101")).toBe("http://localhost:3101");
  });

  it("accepts the app's Origin, or Sec-Fetch-Site: same-origin; nothing else", () => {
    expect(isSameOrigin(new Headers({ origin: app }), app)).toBe(true);
    expect(isSameOrigin(new Headers({ origin: `${app}:443` }), app)).toBe(true); // default port normalized
    expect(isSameOrigin(new Headers({ "sec-fetch-site": "same-origin" }), app)).toBe(true);
    expect(isSameOrigin(new Headers({ origin: "https://evil.cuaderno.example" }), app)).toBe(false);
    expect(isSameOrigin(new Headers({ origin: "https://evil.cuaderno.example", "sec-fetch-site": "same-site" }), app)).toBe(false);
    expect(isSameOrigin(new Headers({ origin: "http://cuaderno.example" }), app)).toBe(false); // scheme differs
    expect(isSameOrigin(new Headers({ origin: "null" }), app)).toBe(false); // sandboxed frames, file: pages
    expect(isSameOrigin(new Headers({ origin: "not a url" }), app)).toBe(false);
    expect(isSameOrigin(new Headers(), app)).toBe(false);
  });

  it("refuses a sibling origin's text/plain write that smuggles application/json into a parameter", () => {
    expect(crossSiteWriteProblem(req("POST", { origin: "https://evil.cuaderno.example", "content-type": "text/plain; x=application/json" }), app, { requireJson: true })?.message).toMatch(
      /Content-Type: application\/json/,
    );
    expect(crossSiteWriteProblem(req("POST", { origin: "https://evil.cuaderno.example", "content-type": "application/json" }), app, { requireJson: true })?.message).toMatch(/must come from https:\/\/cuaderno\.example/);
    expect(crossSiteWriteProblem(req("POST", { origin: app, "content-type": "application/json; charset=utf-8" }), app, { requireJson: true })).toBeNull();
  });

  it("binary uploads skip the media type but not the origin; reads skip both", () => {
    expect(crossSiteWriteProblem(req("PUT", { origin: app, "content-type": "image/png" }), app, { requireJson: false })).toBeNull();
    expect(crossSiteWriteProblem(req("DELETE", {}), app, { requireJson: false })?.message).toMatch(/must come from/);
    expect(crossSiteWriteProblem(req("GET", { origin: "https://evil.example" }), app, { requireJson: true })).toBeNull();
    expect(crossSiteWriteProblem(req("HEAD", {}), app, { requireJson: true })).toBeNull();
  });
});
